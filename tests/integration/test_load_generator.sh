#!/bin/bash
# opensstp-load against the server: 200 sessions, 50 at a time, each
# through TLS, SSTP, MS-CHAPv2, the crypto binding and IPCP, pushing a
# few datagrams and held briefly; all come up, the report gives the
# latencies, the server logs 200 session ends and frees every address.
. "$(dirname "$0")/lib.sh"
it_require
LOAD_BIN=$BUILD/bin/opensstp-load
[ -x "$LOAD_BIN" ] || it_fail "no $LOAD_BIN"
it_net 4
it_certs
it_users "alice s3cret"
it_server --max-per-source 0 # all clients share one address
ip netns exec "$NS_C" "$LOAD_BIN" --sessions 200 --concurrency 50 \
	--hold-ms 200 --packets 5 --user alice --password s3cret \
	--ca-file "$IT_TMP/ca.crt" --host server.test $OUT4_S:443 \
	>"$IT_TMP/load.log" 2>&1
rc=$?
cat "$IT_TMP/load.log"
[ $rc = 0 ] || it_fail "opensstp-load exit $rc: $(head -1 "$IT_TMP/load.log")"
grep -q "^sessions 200: 200 up, 0 failed" "$IT_TMP/load.log" || it_fail "not all up"
grep -q "^setup latency: p50 [0-9]* ms, p99 [0-9]* ms" "$IT_TMP/load.log" || it_fail "no latencies"
for _ in $(seq 50); do
	[ "$(grep -c "session=[0-9]* end" "$SERVER_LOG")" -ge 200 ] && break
	sleep 0.1
done
[ "$(grep -c "session=[0-9]* end" "$SERVER_LOG")" = 200 ] ||
	it_fail "the server logged $(grep -c "session=[0-9]* end" "$SERVER_LOG") session ends"
grep "session=[0-9]* end" "$SERVER_LOG" | grep -qv " pkts_in=5 " &&
	it_fail "a session did not carry its 5 datagrams: $(grep "session=[0-9]* end" "$SERVER_LOG" | grep -v " pkts_in=5 " | head -1)"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "$(head -2 "$IT_TMP/load.log" | tr '\n' ' ')"

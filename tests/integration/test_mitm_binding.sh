#!/bin/bash
# A man in the middle with a certificate for server.test from the same CA
# (so the client trusts it) relays the client's TLS into a TLS session of
# its own to the server.  The PPP authentication passes through, but the
# crypto binding carries the hash of the relay's certificate: the server
# must refuse the session there, before any datagram passes.  First a
# sanity run: the same client without the relay works.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_cert mitm server.test "DNS:server.test"
cmp -s "$IT_TMP/mitm.crt" "$IT_TMP/server.crt" && it_fail "relay certificate same as the server's"
it_users "alice s3cret"
it_server --log-level debug

# Sanity: direct, the client works.
it_client_up c1
ip netns exec "$NS_C" ping -c 1 -W 2 -I tc1 $IN4_S >/dev/null 2>&1 || it_fail "sanity: ping through the direct tunnel"
it_stop "$CLIENT_PID" || it_fail "sanity: client exit status $?"
it_wait_log "$SERVER_LOG" "session=1 end" 5 || it_fail "sanity: no end line for session 1"

# The relay in the client namespace on 127.0.0.1:443; server.test now
# names it.
it_bg "$NS_C" relay socat OPENSSL-LISTEN:443,bind=127.0.0.1,reuseaddr,fork,cert="$IT_TMP/mitm.crt",key="$IT_TMP/mitm.key",verify=0 \
	OPENSSL:$OUT4_S:443,verify=0
it_wait_listen "$NS_C" 443 5 || it_fail "the relay did not start: $(tail -2 "$IT_TMP/relay.log")"
it_hosts "127.0.0.1 server.test"
t0=$(date +%s%N)
it_client c2 --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" --tun tc2 server.test
it_wait_exit "$CLIENT_PID" 20
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
last=$(it_last "$CLIENT_LOG")
it_log "relayed client exit $rc after ${ms} ms: $last"
[ $rc = 124 ] && it_fail "the relayed client still runs after 20 s: $(tail -3 "$CLIENT_LOG")"
grep -q "connecting to 127.0.0.1:443" "$CLIENT_LOG" || it_fail "the client did not go through the relay"
[ $rc = 0 ] && it_fail "the relayed client exited 0"
it_wait_log "$SERVER_LOG" "session=2 (end|src=.* closed)" 10 || it_fail "session 2 never ended on the server"
grep -Eq "session=2 (accepted|src=)" "$SERVER_LOG" || it_fail "the relay never reached the server"
grep -q "session=2 start" "$SERVER_LOG" && it_fail "the server started the relayed session: $(grep 'session=2 start' "$SERVER_LOG")"
grep -q "session=2 crypto binding verified" "$SERVER_LOG" && it_fail "the server verified the relayed binding"
endl=$(grep -E "session=2 (end|src=.* closed)" "$SERVER_LOG")
echo "$endl" | grep -Eiq "binding|certificate|compound|abort|mac" ||
	it_fail "session 2 ended, but not for the binding: $endl"
if echo "$endl" | grep -q "pkts_in="; then
	echo "$endl" | grep -q " pkts_in=0 " || it_fail "datagrams passed before the binding: $endl"
fi
grep -q "IPv4 up\|IPv6 up" "$CLIENT_LOG" && it_fail "the relayed client configured addresses"
echo "$last" | grep -q "crypto binding" ||
	it_fail "the client's message does not name the crypto binding: $last"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "relay refused at the binding; server: ${endl#*session=2 }; client exit $rc: ${last#*: }"

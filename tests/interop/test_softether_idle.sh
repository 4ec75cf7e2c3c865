#!/bin/bash
# 60 s of idle tunnel with SoftEther and the client's default keepalive
# timers.  SoftEther never answers SSTP Echo Requests and aborts a session
# it has heard nothing from for 20 s (Proto_SSTP.c SSTP_TIMEOUT); it sends
# an LCP Echo-Request every 4.8 s, which the client answers.  The session
# must be the same one afterwards (no drop, no silent reconnect) and carry
# traffic.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
trap se_cleanup EXIT
it_require
it_net 4
se_start
IDLE=${SE_IDLE_SECONDS:-60}

# The defaults (later options win over the harness's short timers).
se_client idle --auth mschapv2 --ca-file "$SE_CA" \
	--hello-ms 60000 --lcp-echo-ms 30000 --dead-peer-ms 30000 \
	--max-retries 3 --backoff-min-ms 300
it_wait_log "$CLIENT_LOG" "IPv4 up" 15 || it_fail "no tunnel: $(tail -3 "$CLIENT_LOG")"
sid=$(se_sessions)
[ -n "$sid" ] || it_fail "SoftEther lists no SSTP session"
lines=$(wc -l <"$CLIENT_LOG")
sleep "$IDLE"
kill -0 "$CLIENT_PID" 2>/dev/null || it_fail "client exited while idle: $(it_last "$CLIENT_LOG")"
new=$(tail -n +$((lines + 1)) "$CLIENT_LOG")
[ -z "$new" ] || it_fail "client logged while idle: $(echo "$new" | head -2)"
[ "$(se_sessions)" = "$sid" ] || it_fail "session changed: $sid -> $(se_sessions)"
ip netns exec "$NS_C" ping -c 2 -i 0.3 -W 2 -I tidle $SE_GW >"$IT_TMP/ping.log" 2>&1 ||
	it_fail "ping after ${IDLE} s idle: $(tail -2 "$IT_TMP/ping.log")"
it_stop "$CLIENT_PID"
rc=$?
[ $rc = 0 ] || it_fail "client exit $rc: $(it_last "$CLIENT_LOG")"
grep -q "reconnecting" "$CLIENT_LOG" && it_fail "the client reconnected"
it_check_sanitizers
it_pass "${IDLE} s idle, same session $sid, ping after"

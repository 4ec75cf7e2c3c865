#!/bin/bash
# The SoftEther admin ends our session (vpncmd SessionDisconnect): the
# client notices at once (SoftEther sends Call Disconnect, README.md fact
# 7) and exits 7 with --no-reconnect; with reconnect on it comes back up
# and traffic flows again through a new session.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
# The judge's endings: two sessions the admin ends, then ours.
IO_ENDS="server-disconnect server-disconnect client-disconnect"
trap se_cleanup EXIT
it_require
it_net 4
se_start

# 1. No reconnect: exit 7 within 3 s of the command.
se_client once --auth mschapv2 --ca-file "$SE_CA" --no-reconnect
it_wait_log "$CLIENT_LOG" "IPv4 up" 15 || it_fail "no tunnel: $(tail -3 "$CLIENT_LOG")"
sid=$(se_sessions)
[ -n "$sid" ] || it_fail "SoftEther lists no SSTP session"
se_cmd SessionDisconnect "$sid" >"$IT_TMP/vpncmd-disc1.log" 2>&1 ||
	it_fail "SessionDisconnect $sid: $(tail -2 "$IT_TMP/vpncmd-disc1.log")"
t0=$(date +%s%N)
it_wait_exit "$CLIENT_PID" 3
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc = 124 ] && it_fail "client did not notice the disconnect in 3 s"
[ $rc = 7 ] || it_fail "exit $rc, want 7: $(it_last "$CLIENT_LOG")"
once_last=$(it_last "$CLIENT_LOG")

# 2. Reconnect on: a second "IPv4 up", a new session, a ping through it.
se_client again --auth mschapv2 --ca-file "$SE_CA" \
	--max-retries 3 --backoff-min-ms 300 --backoff-max-ms 1000
it_wait_log "$CLIENT_LOG" "IPv4 up" 15 || it_fail "no tunnel: $(tail -3 "$CLIENT_LOG")"
sid=$(se_sessions)
se_cmd SessionDisconnect "$sid" >"$IT_TMP/vpncmd-disc2.log" 2>&1 ||
	it_fail "SessionDisconnect $sid: $(tail -2 "$IT_TMP/vpncmd-disc2.log")"
for ((i = 0; i < 200; i++)); do
	[ "$(grep -c "IPv4 up" "$CLIENT_LOG")" -ge 2 ] && break
	kill -0 "$CLIENT_PID" 2>/dev/null || it_fail "client exited: $(it_last "$CLIENT_LOG")"
	sleep 0.1
done
[ "$(grep -c "IPv4 up" "$CLIENT_LOG")" -ge 2 ] ||
	it_fail "not re-established in 20 s: $(tail -3 "$CLIENT_LOG")"
grep -q "reconnecting in" "$CLIENT_LOG" || it_fail "no reconnect logged"
sid2=$(se_sessions)
[ -n "$sid2" ] && [ "$sid2" != "$sid" ] || it_fail "no new session ($sid -> $sid2)"
ip netns exec "$NS_C" ping -c 2 -i 0.3 -W 2 -I tagain $SE_GW >"$IT_TMP/ping.log" 2>&1 ||
	it_fail "ping after reconnect: $(tail -2 "$IT_TMP/ping.log")"
it_stop "$CLIENT_PID"
rc=$?
[ $rc = 0 ] || it_fail "client exit $rc: $(it_last "$CLIENT_LOG")"
it_check_sanitizers
it_pass "noticed in ${ms} ms (exit 7: ${once_last#*ERROR: }); reconnected as $sid2"

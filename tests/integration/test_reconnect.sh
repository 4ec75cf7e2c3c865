#!/bin/bash
# Staying up: the server is stopped and the client retries with delays
# that grow (the backoff cap doubles) and vary (full jitter), warning on
# every connect with --insecure; the server comes back and the client
# with it, traffic flowing again; --max-retries then stops it when the
# server stays away; a wrong password gives up at once although retries
# are allowed.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"
it_server
it_client c1 --insecure --user alice --password s3cret --tun tc1 --no-routes \
	--max-retries forever --backoff-min-ms 200 --backoff-max-ms 1600 server.test
it_wait_log "$CLIENT_LOG" "IPv4 up" 10 || it_fail "client did not come up"
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
it_wait_log "$CLIENT_LOG" "attempt 6," 20 || it_fail "no sixth attempt: $(tail -3 "$CLIENT_LOG")"
caps=$(grep -o "backoff up to [0-9.]*" "$CLIENT_LOG" | awk '{print $4}' | head -5 | tr '\n' ' ')
delays=$(grep -o "reconnecting in [0-9.]*" "$CLIENT_LOG" | awk '{print $3}' | head -5 | tr '\n' ' ')
[ "$caps" = "0.2 0.4 0.8 1.6 1.6 " ] || it_fail "backoff caps do not double up to the maximum: $caps"
[ "$(echo $delays | tr ' ' '\n' | sort -u | wc -l)" -ge 2 ] || it_fail "delays do not vary: $delays"
it_log "caps: $caps; delays: $delays"
it_server
it_wait_log "$CLIENT_LOG" "session end.*" 1
start=$(grep -c "IPv4 up" "$CLIENT_LOG")
for _ in $(seq 100); do
	[ "$(grep -c "IPv4 up" "$CLIENT_LOG")" -gt "$start" ] 2>/dev/null && break
	[ "$(grep -c "IPv4 up" "$CLIENT_LOG")" -ge 2 ] && break
	sleep 0.1
done
[ "$(grep -c "IPv4 up" "$CLIENT_LOG")" -ge 2 ] || it_fail "the client did not come back: $(tail -3 "$CLIENT_LOG")"
ip netns exec "$NS_C" ping -c 3 -i 0.2 -W 2 -I tc1 $IN4_S >"$IT_TMP/ping" 2>&1 ||
	it_fail "no traffic after reconnecting: $(tail -2 "$IT_TMP/ping")"
warns=$(grep -c "insecure: the server certificate is NOT checked" "$CLIENT_LOG")
tries=$(grep -c "resolving server.test" "$CLIENT_LOG")
[ "$warns" = "$tries" ] && [ "$tries" -ge 6 ] ||
	it_fail "--insecure warned $warns times over $tries connects"
it_stop "$CLIENT_PID" || it_fail "client exit status $?"

# --max-retries 2 with the server away: three attempts, then exit 5.
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_client c2 --insecure --user alice --password s3cret --tun tc2 --no-routes \
	--max-retries 2 --backoff-min-ms 100 --backoff-max-ms 200 server.test
it_wait_exit "$CLIENT_PID" 15
rc=$?
[ $rc = 5 ] || it_fail "--max-retries 2: exit $rc, want 5: $(tail -2 "$CLIENT_LOG")"
n=$(grep -c "connecting to" "$CLIENT_LOG")
[ "$n" = 3 ] || it_fail "--max-retries 2 made $n attempts, want 3"
grep -q "gave up after 3 attempts" "$CLIENT_LOG" || it_fail "no 'gave up' message: $(tail -1 "$CLIENT_LOG")"

# A wrong password stops at once, retries or not.
it_server
it_client c3 --insecure --user alice --password wrong --tun tc3 --no-routes \
	--max-retries forever server.test
it_wait_exit "$CLIENT_PID" 15
rc=$?
[ $rc = 3 ] || it_fail "wrong password with retries: exit $rc, want 3"
[ "$(grep -c "connecting to" "$CLIENT_LOG")" = 1 ] || it_fail "a wrong password was retried"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "caps $caps; delays $delays; back with traffic; --max-retries 2 gave up after 3 (exit 5); wrong password: one attempt (exit 3)"

# The client through squid, shared by test_proxy_client_*.sh (sourced
# after lib.sh and proxy_lib.sh): squid in the middle namespace is the
# client's only way to the server.  Set before sourcing:
#   PX_MODE   none|basic|digest (squid's authentication)
#   PX_URL    the client's --proxy URL ("" to pass none)
#   PX_ENV    optional "NAME=VALUE ..." exported for the client
#   PX_EXPECT up (tunnel up, ping through, CONNECT in squid's log) or a
#             regex the client's last line must match after it exits
#   PX_ARGS   extra client arguments when it is to fail (default
#             --max-retries 0; "" to see it give up by itself)
#   PX_UNSEEN 1: squid must not have seen a CONNECT
#   PX_PASSWORD the proxy password, given through --proxy-password-file
px_require
it_require
px_net
it_certs
it_users "alice s3cret"
it_server
px_squid "$PX_MODE"
for kv in ${PX_ENV:-}; do export "$kv"; done
args=(--user alice --password s3cret --ca-file "$IT_TMP/ca.crt" --tun tc1)
[ -n "$PX_URL" ] && args+=(--proxy "$PX_URL")
if [ -n "${PX_PASSWORD:-}" ]; then
	printf '%s\n' "$PX_PASSWORD" >"$IT_TMP/proxy-pw"
	args+=(--proxy-password-file "$IT_TMP/proxy-pw")
fi
if [ "$PX_EXPECT" = up ]; then
	it_client c1 "${args[@]}" server.test
	it_wait_log "$CLIENT_LOG" "IPv4 up" 20 ||
		it_fail "client did not come up through squid: $(tail -2 "$CLIENT_LOG")"
	ip netns exec "$NS_C" ping -c 3 -i 0.2 -W 2 -I tc1 $IN4_S >"$IT_TMP/ping4" 2>&1 ||
		it_fail "ping $IN4_S through the tunnel: $(tail -2 "$IT_TMP/ping4")"
	it_stop "$CLIENT_PID" || it_fail "client exit status $?"
	# squid logs a tunnel when it closes.
	it_wait_log "$PX_DIR/access.log" "TCP_TUNNEL/200 .*CONNECT server.test:443" 5 ||
		it_fail "squid's log has no CONNECT server.test:443"
	it_check_sanitizers
	it_pass "through squid ($PX_MODE${PX_ENV:+, $PX_ENV}): up, ping through, $(grep -o 'TCP_TUNNEL/200 [0-9]* CONNECT server.test:443 [^ ]*' "$PX_DIR/access.log" | head -1)"
fi
# shellcheck disable=SC2086
it_client c1 ${PX_ARGS---max-retries 0} "${args[@]}" server.test
it_wait_exit "$CLIENT_PID" 30
rc=$?
[ $rc = 124 ] && it_fail "client still running: $(tail -2 "$CLIENT_LOG")"
[ $rc = 0 ] && it_fail "client exited 0: $(tail -2 "$CLIENT_LOG")"
grep -Eq -- "$PX_EXPECT" <(it_last "$CLIENT_LOG") ||
	it_fail "client's last line does not match /$PX_EXPECT/: $(it_last "$CLIENT_LOG")"
if [ "${PX_UNSEEN:-}" = 1 ] && grep -q CONNECT "$PX_DIR/access.log" 2>/dev/null; then
	it_fail "squid saw a CONNECT: $(grep CONNECT "$PX_DIR/access.log" | head -1)"
fi
it_check_sanitizers
it_pass "through squid ($PX_MODE${PX_ENV:+, $PX_ENV}): exit $rc, $(it_last "$CLIENT_LOG")"

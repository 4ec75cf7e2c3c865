# The authentication case shared by test_auth_*.sh: the server allows just
# one method, the client offers its defaults; the tunnel comes up with
# that method (named in both logs), a ping goes through, and both stop
# cleanly with no sanitizer report.  Sourced after lib.sh with
#   AUTH      the server's --auth value (pap, chap, mschapv2, eap-mschapv2)
#   LOGNAME_RE  the extended regex both logs give after "authenticated with"
#   USERLINE  the users-file line for alice (default "alice s3cret")
#   EXTRA_CHECK optional function run once the tunnel is up
#   AFTER_CHECK optional function run after the client stopped, server still up

it_require
it_net 4
it_certs
it_users "${USERLINE:-alice s3cret}"
it_server --log-level debug --auth "$AUTH"
it_client c1 --log-level debug --user alice --password s3cret \
	--ca-file "$IT_TMP/ca.crt" --tun tc1 server.test
it_wait_log "$CLIENT_LOG" "IPv4 up" 10 ||
	it_fail "client did not come up with --auth $AUTH on the server: $(tail -2 "$CLIENT_LOG")"
grep -Eq "INFO: authenticated with $LOGNAME_RE\$" "$CLIENT_LOG" ||
	it_fail "client log does not say 'authenticated with $LOGNAME_RE': $(grep -m1 authenticated "$CLIENT_LOG")"
grep -Eq "session=1 user=alice authenticated with $LOGNAME_RE\$" "$SERVER_LOG" ||
	it_fail "server log does not name $LOGNAME_RE: $(grep -m1 authenticated "$SERVER_LOG")"
if declare -F EXTRA_CHECK >/dev/null; then EXTRA_CHECK; fi
it_wait_log "$SERVER_LOG" "session=1 start user=alice" 5 || it_fail "no session start line"
ip netns exec "$NS_C" ping -c 3 -i 0.2 -W 2 -I tc1 $IN4_S >"$IT_TMP/ping4" 2>&1 ||
	it_fail "ping $IN4_S through the tunnel: $(tail -2 "$IT_TMP/ping4")"
it_stop "$CLIENT_PID" || it_fail "client exit status $?"
it_wait_log "$SERVER_LOG" "session=1 end" 5 || it_fail "no session end line"
if declare -F AFTER_CHECK >/dev/null; then AFTER_CHECK; fi
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "--auth $AUTH: $(grep -o "authenticated with .*" "$IT_TMP/c1.log" | head -1) on both ends, ping through"

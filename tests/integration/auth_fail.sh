# Refused credentials, shared by test_auth_wrong_password.sh and
# test_auth_unknown_user.sh: the client exits 3 with one clear line about
# authentication, the server logs the failure for that session and never
# starts it, and nobody has a sanitizer report.  Sourced after lib.sh with
# CUSER and CPASS, the client's credentials (the users file holds alice).

it_require
it_net 4
it_certs
it_users "alice s3cret"
it_server --log-level debug
t0=$(date +%s%N)
it_client c1 --user "$CUSER" --password "$CPASS" --ca-file "$IT_TMP/ca.crt" \
	--tun tc1 server.test
it_wait_exit "$CLIENT_PID" 20
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
last=$(it_last "$CLIENT_LOG")
it_log "client exit $rc after ${ms} ms: $last"
[ $rc = 124 ] && it_fail "client still running after 20 s"
[ $rc = 3 ] || it_fail "client exit status $rc, not 3 (authentication refused): $last"
echo "$last" | grep -Eq "ERROR: .*authentication" ||
	it_fail "the client's last line does not talk about authentication: $last"
[ "$(grep -c "ERROR" "$CLIENT_LOG")" = 1 ] || it_fail "more than one error line: $(grep ERROR "$CLIENT_LOG")"
grep -q "IPv4 up\|IPv6 up" "$CLIENT_LOG" && it_fail "the refused client configured addresses"
it_wait_log "$SERVER_LOG" "session=1 .*authentication failed" 5 ||
	it_fail "server logged no authentication failure: $(tail -3 "$SERVER_LOG")"
grep -q "session=1 user=$CUSER .*authentication failed" "$SERVER_LOG" ||
	it_fail "the failure line does not name user $CUSER: $(grep 'authentication failed' "$SERVER_LOG")"
it_wait_log "$SERVER_LOG" "session=1 (end|src=.* closed)" 5 || it_fail "session 1 never ended on the server"
grep -q "session=1 start" "$SERVER_LOG" && it_fail "the server started the refused session"
grep -q "session=1 .*authenticated with" "$SERVER_LOG" && it_fail "the server says the session authenticated"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "user $CUSER refused in ${ms} ms: exit 3, '${last#*ERROR: }'; server: $(grep -o 'authentication failed.*' "$SERVER_LOG" | head -1)"

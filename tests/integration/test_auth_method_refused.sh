#!/bin/bash
# The server allows only MS-CHAPv2, the client offers only PAP: no method
# in common.  The client must fail with a message a user understands
# (naming authentication / the method), must not claim to have
# authenticated, and no session may start on the server.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"
it_server --log-level debug --auth mschapv2
t0=$(date +%s%N)
it_client c1 --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
	--tun tc1 --auth pap server.test
it_wait_exit "$CLIENT_PID" 20
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
last=$(it_last "$CLIENT_LOG")
it_log "client exit $rc after ${ms} ms: $last"
[ $rc = 124 ] && it_fail "client still running after 20 s"
[ $rc = 0 ] && it_fail "client exited 0"
it_wait_log "$SERVER_LOG" "session=1 (end|src=.* closed)" 5 || it_fail "session 1 never ended on the server"
grep -q "session=1 start" "$SERVER_LOG" && it_fail "a session started"
grep -q "IPv4 up\|IPv6 up" "$CLIENT_LOG" && it_fail "the client configured addresses"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
srv=$(grep -o "session=1 .*" "$SERVER_LOG" | tail -1)
grep -Eq "authenticated with" "$CLIENT_LOG" &&
	it_fail "the client claims '$(grep -o 'authenticated with.*' "$CLIENT_LOG")' though the server refused it (server: $srv)"
echo "$last" | grep -Eiq "ERROR: .*(authentication|method|pap)" ||
	it_fail "the client's message does not say the method was refused: '${last#*ERROR: }' (exit $rc; server: $srv)"
it_pass "no common method: client exit $rc '${last#*ERROR: }'; server: $srv"

#!/bin/bash
# A wrong password against SoftEther (MS-CHAPv2 and PAP): our clear
# one-line error and exit 3 (authentication refused), without retrying,
# at once rather than after a timer.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
# The judge's endings: after the CHAP Failure our client ends the call;
# after a wrong PAP password SoftEther does (README.md fact 4).
IO_ENDS="client-disconnect server-disconnect"
trap se_cleanup EXIT
it_require
it_net 4
se_start

for m in mschapv2 pap; do
	# A later --password wins over se_client's own.
	se_client "bad$m" --auth $m --ca-file "$SE_CA" --password wrong-$m
	it_wait_exit "$CLIENT_PID" 10
	rc=$?
	[ $rc = 124 ] && it_fail "$m: still running after 10 s: $(tail -2 "$CLIENT_LOG")"
	[ $rc = 3 ] || it_fail "$m: exit $rc, want 3: $(it_last "$CLIENT_LOG")"
	last=$(it_last "$CLIENT_LOG")
	echo "$last" | grep -Eq "ERROR: authentication failed: the server refused user 'test' or its password" ||
		it_fail "$m: unclear error: $last"
	grep -q "wrong-$m" "$CLIENT_LOG" && it_fail "$m: the password is in the log"
	[ "$(grep -c "TLS handshake" "$CLIENT_LOG")" = 1 ] || it_fail "$m: retried"
done
it_check_sanitizers
it_pass "exit 3: ${last#*ERROR: }"

#!/bin/bash
# SoftEther proposes EAP first, but its EAP is EAP-TLS only (5.01.9674,
# Proto_PPP.c): after Identity it sends EAP-TLS Start, reusing the
# Identity Request's Id.  EAP-MSCHAPv2 therefore cannot be had from it.
# With --auth eap our client Naks EAP-TLS (asking for EAP-MSCHAPv2),
# SoftEther falls back to an LCP Configure-Request for MS-CHAPv2, and the
# client must end at once with its clear one-line error and exit 3, not
# wait for the handshake timer.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
# Our client ends PPP; SoftEther then ends the call (the judge's ending).
IO_ENDS=server-disconnect
trap se_cleanup EXIT
it_require
it_net 4
se_start

se_client eap --auth eap --ca-file "$SE_CA"
it_wait_exit "$CLIENT_PID" 8
rc=$?
[ $rc = 124 ] && it_fail "client still waiting after 8 s: $(tail -2 "$CLIENT_LOG")"
[ $rc = 3 ] || it_fail "exit $rc, want 3: $(it_last "$CLIENT_LOG")"
last=$(it_last "$CLIENT_LOG")
echo "$last" | grep -q "ERROR: authentication failed: the server allows none of the methods this client accepts (see --auth)" ||
	it_fail "unclear error: $last"
grep -q "authenticated" "$CLIENT_LOG" && it_fail "authenticated?"
grep -q "IPv4 up" "$CLIENT_LOG" && it_fail "tunnel up?"
it_check_sanitizers
it_pass "EAP-TLS only: --auth eap refused, exit 3"

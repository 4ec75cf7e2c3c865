#!/bin/bash
# opensstp -> SoftEther with the default --auth (mschapv2,eap,chap,pap).
# SoftEther proposes EAP first and its EAP is EAP-TLS only; after our EAP
# Nak it renegotiates LCP for MS-CHAPv2 but never sends the Challenge (its
# Proto_PPP.c keeps the session's method at EAP).  The client notices
# within two PPP restart periods, says so once, and connects again at once
# without EAP: it Naks EAP in LCP, SoftEther proposes MS-CHAPv2, and the
# tunnel comes up on the second connection, not at the handshake timer.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
# The judge's endings: our client ends the first call itself, then ours.
IO_ENDS="client-disconnect client-disconnect"
trap se_cleanup EXIT
it_require
it_net 4
se_start

se_client def --ca-file "$SE_CA"
start=$(date +%s%N)
it_wait_log "$CLIENT_LOG" "IPv4 up" 30 ||
	it_fail "no tunnel: $(tail -3 "$CLIENT_LOG")"
ms=$((($(date +%s%N) - start) / 1000000))
grep -q "WARN: the server's EAP offers no type this client does; connecting again without EAP" "$CLIENT_LOG" ||
	it_fail "no fallback line: $(grep -E 'WARN|ERROR' "$CLIENT_LOG")"
[ "$(grep -c "TLS handshake" "$CLIENT_LOG")" = 2 ] ||
	it_fail "want 2 connections: $(grep -c "TLS handshake" "$CLIENT_LOG")"
grep -q "authenticated with mschapv2" "$CLIENT_LOG" ||
	it_fail "not MS-CHAPv2: $(grep authenticated "$CLIENT_LOG")"
grep -q "authentication failed" "$CLIENT_LOG" && it_fail "reported as a refusal"
ip netns exec "$NS_C" ping -c 2 -i 0.3 -W 2 -I tdef $SE_GW >"$IT_TMP/ping.log" 2>&1 ||
	it_fail "ping $SE_GW through the tunnel: $(tail -2 "$IT_TMP/ping.log")"
it_stop "$CLIENT_PID"
rc=$?
[ $rc = 0 ] || it_fail "client exit $rc: $(it_last "$CLIENT_LOG")"
it_check_sanitizers
it_pass "EAP-TLS only: fell back to MS-CHAPv2 on a second connection, up in $ms ms"

#!/bin/bash
# opensstp -> SoftEther with MS-CHAPv2 (after Naking its EAP proposal), the
# server trusted by --pin-sha256 alone (SHA-256 of the SPKI of the
# certificate SoftEther exported); a wrong pin is refused with exit 4.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
trap se_cleanup EXIT
it_require
it_net 4
se_start

pin=$(openssl x509 -in "$SE_CA" -pubkey -noout | openssl pkey -pubin -outform DER |
	openssl dgst -sha256 -binary | base64)
[ ${#pin} = 44 ] || it_fail "cannot compute the pin of $SE_CA"

se_client mschap --auth mschapv2 --pin-sha256 "$pin"
it_wait_log "$CLIENT_LOG" "IPv4 up" 15 ||
	it_fail "no tunnel: $(tail -3 "$CLIENT_LOG")"
grep -q "authenticated with mschapv2" "$CLIENT_LOG" ||
	it_fail "not MS-CHAPv2: $(grep authenticated "$CLIENT_LOG")"
grep -q "server key sha256//$pin" "$CLIENT_LOG" ||
	it_fail "pinned key not reported: $(grep ' up: ' "$CLIENT_LOG")"
ip netns exec "$NS_C" ping -c 2 -i 0.3 -W 2 -I tmschap $SE_GW >"$IT_TMP/ping.log" 2>&1 ||
	it_fail "ping $SE_GW through the tunnel: $(tail -2 "$IT_TMP/ping.log")"
it_stop "$CLIENT_PID"
rc=$?
[ $rc = 0 ] || it_fail "client exit $rc: $(it_last "$CLIENT_LOG")"

# The same server under a pin of another key: refused before any PPP.
wrong=$(head -c 32 /dev/zero | base64)
se_client badpin --auth mschapv2 --pin-sha256 "$wrong"
it_wait_exit "$CLIENT_PID" 15
rc=$?
[ $rc = 4 ] || it_fail "wrong pin: exit $rc, want 4: $(it_last "$CLIENT_LOG")"
grep -q "authenticated" "$CLIENT_LOG" && it_fail "authenticated despite a wrong pin"
it_check_sanitizers
it_pass "MS-CHAPv2 with --pin-sha256; wrong pin exit 4: $(it_last "$IT_TMP/badpin.log" | sed 's/^[^ ]* //')"

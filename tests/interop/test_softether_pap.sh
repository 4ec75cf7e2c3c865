#!/bin/bash
# opensstp -> SoftEther with PAP (after Naking its EAP and MS-CHAPv2
# proposals), the server certificate verified through the CA file
# SoftEther exported; IPv4 from SecureNAT's DHCP pool, a ping to its
# virtual gateway through the tunnel, counted in the client's counters.
# Also the judge's own check: both sides of the capture judged must fail
# on SoftEther's PAP Ack.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
trap se_cleanup EXIT
it_require
it_net 4
se_start

se_client pap --auth pap --ca-file "$SE_CA"
it_wait_log "$CLIENT_LOG" "IPv4 up" 15 ||
	it_fail "no tunnel: $(tail -3 "$CLIENT_LOG")"
grep -q "IPv4 up.*192\.168\.30\." "$CLIENT_LOG" ||
	it_fail "no SecureNAT address: $(grep 'IPv4 up' "$CLIENT_LOG")"
ip netns exec "$NS_C" ping -c 3 -i 0.3 -W 2 -I tpap $SE_GW >"$IT_TMP/ping.log" 2>&1 ||
	it_fail "ping $SE_GW through the tunnel: $(tail -2 "$IT_TMP/ping.log")"
it_stop "$CLIENT_PID"
rc=$?
[ $rc = 0 ] || it_fail "client exit $rc: $(it_last "$CLIENT_LOG")"
# Three echo replies of 84 bytes came back through the tunnel.
in=$(it_counter "$CLIENT_LOG" "session end" pkts_in)
bytes=$(it_counter "$CLIENT_LOG" "session end" bytes_in)
[ "${in:-0}" -ge 3 ] && [ "${bytes:-0}" -ge 252 ] ||
	it_fail "counters do not show the ping: $(grep 'session end' "$CLIENT_LOG")"
# The judge's own check: SoftEther's PAP Authenticate-Ack has no
# Msg-Length (length 4, README.md fact 5), malformed for tshark.  Judging
# both sides must fail on that frame; judging our side (here and in
# it_pass) passes and names it as SoftEther's.
io_capture_stop
io_judge_run --ours both >"$IT_TMP/judge-both.txt" 2>&1
rc=$?
sed 's/^/judge --ours both: /' "$IT_TMP/judge-both.txt"
[ $rc = 1 ] || it_fail "both sides judged: exit $rc, want 1: $(tail -1 "$IT_TMP/judge-both.txt")"
grep -Eq '^FAULT \(our side, both\): frame [0-9]+ from the server: \[Malformed Packet: PPP PAP\].*Authenticate-Ack' \
	"$IT_TMP/judge-both.txt" || it_fail "both sides judged: SoftEther's PAP Ack not named"
io_judge_run >"$IT_TMP/judge-ours.txt" 2>&1 ||
	it_fail "our side judged: $(tail -1 "$IT_TMP/judge-ours.txt")"
grep -Eq '^peer fault \(SoftEther\): frame [0-9]+ from the server: \[Malformed Packet: PPP PAP\].*Authenticate-Ack' \
	"$IT_TMP/judge-ours.txt" || it_fail "our side judged: SoftEther's PAP Ack not named as its fault"
it_check_sanitizers
it_pass "PAP, CA verified, ping $SE_GW: pkts_in=$in bytes_in=$bytes; both sides judged: FAIL on SoftEther's PAP Ack, as it must"

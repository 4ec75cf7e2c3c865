#!/bin/bash
# The judge can fail (judge.py; README.md, "Wireshark as judge").
# opensstpd against opensstp-hostile (tools/hostile), each hostile call
# recorded on its own and judged as if the hostile client were our side
# (judge.py --ours client):
#   connect-request-twice  a second Call Connect Request before the answer:
#                          a sequence MS-SSTP does not allow -> FAIL;
#   ack-from-client        a Call Connect Ack sent by the client: the wrong
#                          role -> FAIL;
#   MALFORMED (below)      a PPP packet tshark decodes as malformed -> FAIL.
# The same captures judged from opensstpd's side pass, the client's faults
# printed as the peer's: excluded by side, not muted.  The last call,
# legit (an honest one), is what it_pass judges: the control that passes.
# SoftEther's PAP case holds the other half: both sides of its capture
# judged fail on SoftEther's 4-byte PAP Ack.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
HOSTILE_BIN=$BUILD/bin/opensstp-hostile
MALFORMED=pap-malformed
it_require
[ -x "$HOSTILE_BIN" ] || it_fail "no $HOSTILE_BIN"
command -v tshark >/dev/null || it_skip "tshark not installed (tests/interop/deps.sh)"
it_net
it_certs
it_users "alice s3cret"
it_server --auth pap,mschapv2

# One hostile call, recorded in NAME.pcap: attack NAME [HOSTILE ARGS...].
attack() {
	local name=$1
	shift
	IO_PCAP=$IT_TMP/$name.pcap
	io_capture_start 443 client opensstp-hostile
	ip netns exec "$NS_C" "$HOSTILE_BIN" --server $OUT4_S:443 \
		--ca-file "$IT_TMP/ca.crt" --host server.test \
		--user alice --password s3cret --case "$name" "$@" \
		>"$IT_TMP/h-$name.log" 2>&1 ||
		it_fail "$name: not the server's expected answer: $(grep '^result' "$IT_TMP/h-$name.log")"
	io_capture_stop
}

# judged NAME SIDE WANT-STATUS REGEX: judge NAME.pcap from SIDE; the exit
# status must be WANT-STATUS and the report have a line matching REGEX.
judged() {
	local out=$IT_TMP/judge-$1-$2.txt rc
	IO_PCAP=$IT_TMP/$1.pcap io_judge_run --ours "$2" --expect "" >"$out" 2>&1
	rc=$?
	sed "s/^/judge $1 --ours $2: /" "$out"
	[ $rc = "$3" ] || it_fail "$1 judged from the $2: exit $rc, want $3: $(tail -1 "$out")"
	grep -Eq -- "$4" "$out" || it_fail "$1 judged from the $2: no line matching '$4'"
}

attack connect-request-twice
judged connect-request-twice client 1 \
	'^FAULT \(our side, client\): .* the client sent CALL_CONNECT_REQUEST in state request_sent'
judged connect-request-twice server 0 \
	'^peer fault \(opensstp-hostile\): .* the client sent CALL_CONNECT_REQUEST in state request_sent'

attack ack-from-client
judged ack-from-client client 1 \
	'^FAULT \(our side, client\): .* the client sent CALL_CONNECT_ACK in state start'
judged ack-from-client server 0 '^peer fault \(opensstp-hostile\): .* CALL_CONNECT_ACK'

attack $MALFORMED --auth pap
judged $MALFORMED client 1 '^FAULT \(our side, client\): frame [0-9]+ from the client: \[Malformed Packet: PPP PAP\]'
judged $MALFORMED server 0 '^peer fault \(opensstp-hostile\): frame [0-9]+ from the client: \[Malformed Packet: PPP PAP\]'

# The control: an honest call, judged by it_pass from the client's side;
# without its TLS keys the judge sees no SSTP, and must not pass.
attack legit
out=$(io_judge_run --keylog /dev/null 2>&1)
[ $? = 1 ] && echo "$out" | grep -q "^FAIL: no SSTP decoded" ||
	it_fail "legit judged without keys: not a FAIL: $(echo "$out" | tail -1)"
IO_ENDS=client-disconnect
it_check_sanitizers
it_pass "the judge failed a wrong sequence, a wrong role, a malformed PAP packet from our side (passed from the other) and a capture without keys"

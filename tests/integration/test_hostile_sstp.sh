#!/bin/bash
# Hostile input at the SSTP layer (issue 13): broken framing closes without
# a word; malformed attributes and messages out of state get a Call Abort
# with the status spec/sstp.md 2.5 names, then a close within the abort
# timers; repeated Call Connect Requests get Naks, then RETRY_COUNT_EXCEEDED.
# After each: the server alive, the established session passing traffic, a
# new session coming up.  The answers are in docs/hostile-input.md.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"

hostile_start
for c in sstp-bad-version sstp-data-length-3 sstp-control-length-7 \
	sstp-length-4096 sstp-reserved-bits sstp-c-bit-clear \
	sstp-length-over-attrs sstp-length-under-attrs attr-length-2 \
	attr-length-wrong attr-unknown attr-duplicate attr-too-many \
	attr-count-high attr-missing attr-not-in-msg echo-with-status \
	echo-with-attribute msg-type-unknown msg-type-zero \
	connected-before-ack ack-from-client echo-before-connect \
	echo-response-unasked disconnect-ack-stray connect-request-twice \
	connect-request-bad-protocol connect-request-repeat \
	connect-request-error-status data-before-ack lcp-as-control; do
	hostile_case $c
done
# Each Call Abort ended in the abort timers, each framing error at once.
grep -q "^result: call-abort.*closed after [0-9]* ms" "$IT_TMP"/h-*-attr-missing.log ||
	it_fail "attr-missing: no close after the Call Abort"
n=$(grep -l "^result: silent-close" "$IT_TMP"/h-*-sstp-*.log | wc -l)
[ "$n" = 4 ] || it_fail "$n framing cases closed silently, not 4"
hostile_finish "$HOSTILE_N SSTP attacks answered as spec/sstp.md says; the server, the established session and new sessions unaffected"

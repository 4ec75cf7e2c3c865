#!/bin/bash
# Hostile PPP (issue 13, spec/ppp.md 1.6, 1.7, traps 3, 5-7, 12): unknown
# codes get Code-Reject (LCP, IPCP), an unknown protocol Protocol-Reject in
# the Network phase and silence before it; malformed LCP, PAP, MS-CHAPv2 and
# EAP packets are discarded without an answer; a Protocol-Reject of LCP or a
# Code-Reject of Configure-Request ends the link with Terminate-Request.
# After each: the server alive, the established session passing traffic, a
# new session coming up.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"

# Every method allowed, MS-CHAPv2 first: the attacker picks its own by Nak.
hostile_start --auth mschapv2,eap-mschapv2,chap,pap
for c in lcp-unknown-code lcp-unknown-code-early lcp-length-long \
	lcp-length-short lcp-header-cut lcp-option-length-1 \
	lcp-option-past-end lcp-reject-lcp lcp-code-reject-fatal \
	unknown-protocol unknown-protocol-early even-protocol ppp-empty \
	ipcp-unknown-code chap-malformed; do
	hostile_case $c
done
hostile_case pap-malformed --auth pap
hostile_case eap-malformed --auth eap
hostile_case eap-unknown-type --auth eap
grep -q "rejected code=0x20" "$IT_TMP"/h-*-lcp-unknown-code.log ||
	it_fail "the Code-Reject does not carry the rejected code 0x20"
hostile_finish "$HOSTILE_N PPP attacks answered as spec/ppp.md says (Code-Reject, Protocol-Reject, silent discard, Terminate); other sessions unaffected"

#!/bin/bash
# Floods and the largest frames (issue 13): 5000 SSTP Echo Requests, 2000
# LCP Echo-Requests and 1000 Configure-Requests at once are each answered
# and the call goes on; a 4095-byte data packet (the SSTP maximum) is taken
# and its ICMP reply comes back fragmented; one byte over (length 4096, R
# bits) closes without a word.  Meanwhile the server keeps serving the
# established session and new ones.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"

hostile_start
hostile_case echo-flood --count 5000
hostile_case lcp-echo-flood --count 2000
hostile_case lcp-confreq-flood --count 1000
hostile_case max-frame
hostile_case max-frame-over
grep -q "echo responses 5000 of 5000" "$IT_TMP"/h-*-echo-flood.log ||
	it_fail "echo-flood: $(grep note "$IT_TMP"/h-*-echo-flood.log)"
grep -q "LCP Echo-Requests answered 2000 of 2000" "$IT_TMP"/h-*-lcp-echo-flood.log ||
	it_fail "lcp-echo-flood: $(grep note "$IT_TMP"/h-*-lcp-echo-flood.log)"
grep -Eq "Configure-Requests answered (100[0-9]) of 1000" "$IT_TMP"/h-*-lcp-confreq-flood.log ||
	it_fail "lcp-confreq-flood: $(grep note "$IT_TMP"/h-*-lcp-confreq-flood.log)"
grep -Eq "4095-byte packet; [1-9][0-9]* datagrams back" "$IT_TMP"/h-*-max-frame.log ||
	it_fail "max-frame: no reply came back: $(grep note "$IT_TMP"/h-*-max-frame.log)"
hostile_finish "floods answered, the SSTP maximum taken and one byte over refused; other sessions unaffected"

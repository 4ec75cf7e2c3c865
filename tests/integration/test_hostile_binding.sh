#!/bin/bash
# Hostile crypto bindings (issue 13, spec/sstp.md 4.7): the honest client's
# Call Connected changed on its way out (nonce, certificate hash, Compound
# MAC, a hash not offered, two hash bits, a short attribute, sent twice):
# each gets a Call Abort with its status and a close; no IP before Call
# Connected (trap 7), and the call comes up once a good binding arrives.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"

hostile_start
for c in binding-nonce binding-cert-hash binding-mac binding-hash-sha1 \
	binding-hash-both binding-short binding-twice data-before-connected; do
	hostile_case $c
done
hostile_result data-before-connected | grep -q "silent-discard" &&
	grep -q "then Call Connected: the call is up" "$IT_TMP"/h-*-data-before-connected.log ||
	it_fail "data-before-connected: $(cat "$IT_TMP"/h-*-data-before-connected.log)"
# Each refused binding is one session end naming the reason.
n=$(grep -c "reason=\"crypto binding" "$SERVER_LOG")
[ "$n" -ge 5 ] || it_fail "only $n session ends name a crypto binding failure"
grep -q "src=$SRC_ATTACK:[0-9]* .*crypto binding Compound MAC does not verify" "$SERVER_LOG" ||
	it_fail "no log line for the wrong Compound MAC: $(grep -m3 "src=$SRC_ATTACK" "$SERVER_LOG")"
hostile_finish "$HOSTILE_N binding attacks aborted with their status; data before Call Connected dropped; other sessions unaffected"

#!/bin/bash
# opensstpd stopped (SIGTERM, drain) under a live sstpc call: its Call
# Disconnect must carry a Status Info, or sstpc does not Ack it
# (README.md); sstpc must Ack it, our PPP hear the LCP Terminate, and the
# server exit 0 before its drain deadline.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
sc_require
it_net
it_certs
it_users "alice s3cret"
it_server --log-level debug --auth pap --drain-ms 8000
sc_pair c1 pap yes 30 --ca-cert "$IT_TMP/ca.crt" server.test
it_wait_log "$SC_LOG" "plugin: ACK" 15 || it_fail "no call: $(tail -2 "$SC_LOG")"
it_wait_log "$SERVER_LOG" "crypto binding verified" 5 || it_fail "binding not verified"
t0=$(date +%s%N)
it_stop "$SERVER_PID" 10
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc = 0 ] || it_fail "server exit status $rc after SIGTERM"
grep -q "drain deadline" "$SERVER_LOG" && it_fail "the drain deadline fired: sstpc did not end the call"
grep -Eq 'session=[0-9]+ end .*reason="server stopping"' "$SERVER_LOG" ||
	it_fail "no end line with reason \"server stopping\""
sc_wait 20
cat "$SC_LOG"
# The LCP Terminate-Request takes IPCP down; sstpc then exits at once.
grep -q "IPCP down" "$SC_LOG" || it_fail "our PPP did not hear the LCP Terminate"
grep -q "hold over" "$SC_LOG" && it_fail "the call outlived the server"
grep -aq "TYPE(6): DISCONNECT, ATTR(1)" "$SC_CLOG" || it_fail "no Call Disconnect with one attribute"
grep -aq "Sending Disconnect Ack Message" "$SC_CLOG" ||
	it_fail "sstpc did not Ack opensstpd's Call Disconnect"
sc_check_clean
it_check_sanitizers
sc_pass "drain: Call Disconnect with Status Info Acked by sstpc, server out in ${ms} ms"

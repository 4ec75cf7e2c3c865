#!/bin/bash
# The MS-CHAPv2 case's control: sstpc handed the MPPE keys in the wrong
# order (receive key as send key) computes a Compound MAC from the wrong
# HLAK, and opensstpd must refuse it (Call Abort), not connect the call.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
IO_ENDS=server-abort # the judge's ending: opensstpd refuses the binding
sc_require
it_net
it_certs
it_users "alice s3cret"
it_server --log-level debug --auth mschapv2
SC_SHIM_ARGS=--swap-keys sc_pair c1 mschapv2 yes 4 --ca-cert "$IT_TMP/ca.crt" server.test
sc_wait 60
cat "$SC_LOG"
grep -q "plugin: ACK (MPPE keys)" "$SC_LOG" || it_fail "sstpc did not take the plugin message"
grep -aq "Sending Connected Message" "$SC_CLOG" || it_fail "sstpc sent no Call Connected"
grep -E "session=[0-9]+ " "$SERVER_LOG"
grep -q "crypto binding verified" "$SERVER_LOG" && it_fail "opensstpd accepted a binding from swapped keys"
grep -Eq 'session=[0-9]+ end .*reason=".*(binding|MAC|invalid).*"' "$SERVER_LOG" ||
	it_fail "no end line naming the binding: $(grep -E 'session=[0-9]+ end' "$SERVER_LOG")"
grep -aq "TYPE(5): ABORT" "$SC_CLOG" || it_fail "sstpc did not receive a Call Abort"
sc_check_clean
it_check_sanitizers
sc_pass "swapped MPPE keys: binding refused, Call Abort"

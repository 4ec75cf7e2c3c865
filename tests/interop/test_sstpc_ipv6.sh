#!/bin/bash
# sstpc -> opensstpd at an IPv6 address (the outside of the tunnel; IPCP
# inside): the server sees the client's IPv6 source address.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
sc_require
it_net 6
it_certs
it_users "alice s3cret"
it_server --log-level debug --auth pap
sc_pair c1 pap yes 2 --ca-cert "$IT_TMP/ca.crt" "${SC_TARGET:-[$OUT6_S]}"
sc_check_up pap
grep -Eq "session=[0-9]+ src=\[$OUT6_C\]:" "$SERVER_LOG" ||
	it_fail "the session did not come over IPv6: $(grep -o 'session=[0-9]* src=[^ ]*' "$SERVER_LOG" | head -1)"
sc_pass "over IPv6 from [$OUT6_C], binding verified"

#!/bin/bash
# sstpc --tls-ext sends the server's name in the TLS hello (SNI): opensstpd
# must see it (its debug line "sni=server.test"), and the call come up.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
sc_require
it_net
it_certs
it_users "alice s3cret"
it_server --log-level debug --auth pap
sc_pair c1 pap yes 2 --tls-ext --ca-cert "$IT_TMP/ca.crt" server.test
sc_check_up pap
grep -q "crypto binding verified .* sni=server.test" "$SERVER_LOG" ||
	it_fail "opensstpd did not see the SNI: $(grep -o 'sni=.*' "$SERVER_LOG")"
sc_pass "SNI server.test seen by opensstpd, binding verified"

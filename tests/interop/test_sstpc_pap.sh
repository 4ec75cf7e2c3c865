#!/bin/bash
# sstpc -> opensstpd with PAP: the plugin message carries no keys, so
# sstpc binds with an all-zero HLAK, as opensstpd does for PAP; the server
# must verify that binding, and sstpc must Ack its Call Disconnect.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
sc_require
it_net
it_certs
it_users "alice s3cret"
it_server --log-level debug --auth pap
sc_pair c1 pap yes 2 --ca-cert "$IT_TMP/ca.crt" server.test
sc_check_up pap
sc_pass "PAP, zero-HLAK binding verified, $(grep -o 'IPCP up: .*' "$SC_LOG")"

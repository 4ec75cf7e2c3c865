#!/bin/bash
# sstpc -> opensstpd with MS-CHAPv2: our PPP client derives the MPPE keys
# (RFC 3079, src/ppp/mschap.c) and hands them to sstpc in the plugin
# message; sstpc, third-party code, computes the CMK and Compound MAC from
# them and opensstpd must verify that binding against its own HLAK.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
sc_require
it_net
it_certs
it_users "alice s3cret"
it_server --log-level debug --auth mschapv2
sc_pair c1 mschapv2 yes 2 --ca-cert "$IT_TMP/ca.crt" server.test
sc_check_up mschapv2
sc_pass "MS-CHAPv2, binding from the MPPE keys verified, $(grep -o 'IPCP up: .*' "$SC_LOG")"

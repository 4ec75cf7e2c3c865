#!/bin/bash
# sstpc -> squid (CONNECT, the client's only way out) -> opensstpd, without
# proxy auth and with Basic auth (squid's basic_ncsa_auth).  sstpc always
# asks the proxy for port 443, so the server listens on 443.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/proxy_lib.sh"
. "$(dirname "$0")/lib.sh"
sc_require
px_require
px_net
it_certs
it_users "alice s3cret"
it_server --log-level debug --auth pap

# through NAME MODE PROXY-URL: one call through squid, checked end to end.
through() {
	px_squid "$2"
	sc_pair "$1" pap yes 2 --proxy "$3" --ca-cert "$IT_TMP/ca.crt" server.test
	sc_check_up pap
	grep -Eq "CONNECT server.test:443 ${4:--} " "$PX_DIR/access.log" ||
		it_fail "$1: squid's log shows no CONNECT server.test:443: $(cat "$PX_DIR/access.log")"
	px_stop_squid
	it_log "$1: through squid, binding verified"
}
through open none http://proxy.test:3128
n=$(grep -c "crypto binding verified" "$SERVER_LOG")
through basic basic http://alice:proxy-pw@proxy.test:3128 alice
[ "$(grep -c "crypto binding verified" "$SERVER_LOG")" -gt "$n" ] ||
	it_fail "basic: no second verified binding"
sc_pass "through squid: open and Basic auth, both bindings verified"

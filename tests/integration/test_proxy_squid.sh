#!/bin/bash
# proxy_open() through a real squid (tests/unit/client/proxy_probe): no
# auth, Basic, Digest, wrong and missing passwords, a refused port, and a
# squid that closes after its 407 (the retry on a new connection).  The
# far end is a socat echo in the server's namespace.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
px_require
[ -x "$PROBE_BIN" ] || it_fail "no $PROBE_BIN"
px_net
it_bg "$NS_S" echo socat TCP-LISTEN:7000,bind=$OUT4_S,reuseaddr,fork EXEC:cat
it_wait_listen "$NS_S" 7000 5 || it_fail "echo server did not start"

# probe NAME URL [PORT]: status and output in $IT_TMP/NAME.*
probe() {
	echo "through $1" | timeout 20 ip netns exec "$NS_C" "$PROBE_BIN" \
		"$2" server.test "${3:-7000}" 5000 >"$IT_TMP/$1.out" 2>"$IT_TMP/$1.log"
}
expect_ok() {
	probe "$@" || it_fail "$1: $(cat "$IT_TMP/$1.log")"
	grep -qx "through $1" "$IT_TMP/$1.out" || it_fail "$1: no echo"
	it_log "$1: $(head -1 "$IT_TMP/$1.log"), echoed"
}
expect_refused() { # NAME URL REGEX [PORT]
	probe "$1" "$2" "${4:-}" && it_fail "$1: opened"
	grep -Eq "$3" "$IT_TMP/$1.log" || it_fail "$1: $(cat "$IT_TMP/$1.log")"
	it_log "$1: $(tail -1 "$IT_TMP/$1.log")"
}

px_squid none
expect_ok open http://proxy.test:3128
expect_refused port http://proxy.test:3128 \
	'error: proxy refused: HTTP/1.1 403 Forbidden' 22
px_stop_squid

px_squid basic
expect_ok basic http://alice:proxy-pw@proxy.test:3128
expect_ok basic-pct 'http://mufasa:Circle%20of%20Life@proxy.test:3128'
expect_refused basic-wrong http://alice:nope@proxy.test:3128 \
	'error: proxy refused: HTTP/1.1 407 Proxy Authentication Required \(credentials rejected\)'
expect_refused basic-none http://proxy.test:3128 \
	'error: proxy refused: HTTP/1.1 407 Proxy Authentication Required \(it wants credentials'
px_stop_squid

px_squid digest
expect_ok digest http://alice:proxy-pw@proxy.test:3128
expect_ok digest-mufasa 'http://mufasa:Circle%20of%20Life@proxy.test:3128'
expect_refused digest-wrong http://alice:nope@proxy.test:3128 \
	'error: proxy refused: HTTP/1.1 407 Proxy Authentication Required \(credentials rejected\)'
grep -q 'CONNECT server.test:7000 alice' "$PX_DIR/access.log" ||
	it_fail "squid's log does not show alice's CONNECT"
px_stop_squid

# A squid that closes every connection after its answer: the 407 comes
# with Connection: close and the credentials go on a new connection.
px_squid basic "client_persistent_connections off"
expect_ok basic-close http://alice:proxy-pw@proxy.test:3128
px_stop_squid

it_check_sanitizers
it_pass "proxy_open through squid: open, Basic, Digest, refusals, close after 407"

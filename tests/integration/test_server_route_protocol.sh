#!/bin/bash
# The pools' routes carry the configured route protocol (issue 13), so
# that a routing daemon can pick them up: static by default, a name
# (bird = 12) or a number (200); traffic flows over them.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"

# The pool routes of protocol PROTO in the server namespace, one line.
pool_routes() { # PROTO
	{
		ip -n "$NS_S" -4 route show proto "$1"
		ip -n "$NS_S" -6 route show proto "$1"
	} | grep -E "^(10\.77\.0\.0/24|fd77::/56) dev sstp0" | cut -d' ' -f1 | sort | tr '\n' ' '
}
want="10.77.0.0/24 fd77::/56 "
# Every route on the TUN, on one line, for a failure message.
routes_now() {
	{
		ip -n "$NS_S" -4 route show dev sstp0
		ip -n "$NS_S" -6 route show dev sstp0
	} | tr '\n' ';'
}

it_server
[ "$(pool_routes static)" = "$want" ] ||
	it_fail "default: not static: $(routes_now)"
it_stop "$SERVER_PID" || it_fail "server exit status $?"

it_server --route-protocol bird
[ "$(pool_routes 12)" = "$want" ] ||
	it_fail "bird: $(routes_now)"
[ -z "$(pool_routes static)" ] || it_fail "static routes left with bird: $(pool_routes static)"
it_client_up c1
ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 -I tc1 $IN4_S >/dev/null ||
	it_fail "no ping with the bird routes"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_wait_exit "$CLIENT_PID" 10

printf '[server]\nroute_protocol = 200\n' >"$IT_TMP/opensstpd.conf"
it_server -c "$IT_TMP/opensstpd.conf"
[ "$(pool_routes 200)" = "$want" ] ||
	it_fail "200: $(routes_now)"
it_stop "$SERVER_PID" || it_fail "server exit status $?"

it_check_sanitizers
it_pass "pool routes ${want}with proto static by default, bird (12) and 200 when configured"

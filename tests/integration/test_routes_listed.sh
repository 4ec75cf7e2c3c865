#!/bin/bash
# Only the routes listed (--route, repeatable), then none (--no-routes)
# (issue 12, Routes):
#  a) --route 192.0.2.0/24 --route 2001:db8:7::/48: those prefixes go into
#     the TUN, everything else stays on the default route through the
#     veth, no default halves; after SIGTERM the tables are as before;
#  b) --no-routes: nothing but the TUN's own routes; as before after.
# Needs the client's --route / --no-routes wiring.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_client_gateway
it_certs
it_users "alice s3cret"
it_server
TUN=trl$IT_ID
TUN=${TUN:0:15}
STATE=$(it_state_file "$TUN")
trap 'rm -f "$STATE" "$STATE.tmp"; it_cleanup' EXIT
before=$(it_routes_snapshot)

client() { # LOGNAME ARGS...
	local name=$1
	shift
	it_client "$name" --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
		--tun "$TUN" "$@" server.test
	it_wait_log "$CLIENT_LOG" "IPv4 up" 10 ||
		it_fail "client $name did not come up: $(tail -3 "$CLIENT_LOG")"
}

check_as_before() { # WHEN
	local now
	now=$(it_routes_snapshot)
	[ "$now" = "$before" ] || {
		diff <(echo "$before") <(echo "$now")
		it_fail "$1: routes differ from before the client (diff above)"
	}
	[ ! -e "$STATE" ] || it_fail "$1: state file $STATE left"
}

no_halves() { # WHO
	[ -z "$(ip -n "$NS_C" route show 0.0.0.0/1)$(ip -n "$NS_C" route show 128.0.0.0/1)" ] ||
		it_fail "$1: default halves present: $(ip -n "$NS_C" route)"
	[ -z "$(ip -n "$NS_C" -6 route show ::/1)$(ip -n "$NS_C" -6 route show 8000::/1)" ] ||
		it_fail "$1: IPv6 default halves present"
}

# a) listed
client c1 --route 192.0.2.0/24 --route 2001:db8:7::/48
it_wait_route_dev 192.0.2.9 "$TUN" 5 ||
	it_fail "192.0.2.9 goes out of '$(it_route_dev 192.0.2.9)', not $TUN"
it_wait_route_dev 2001:db8:7::9 "$TUN" 5 ||
	it_fail "2001:db8:7::9 goes out of '$(it_route_dev 2001:db8:7::9)', not $TUN"
for a in 198.51.100.7 2001:db8:77::7 $OUT4_S; do
	[ "$(it_route_dev $a)" = vc ] || it_fail "listed: $a goes out of '$(it_route_dev $a)', not vc"
done
no_halves listed
ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 $IN4_S >/dev/null 2>&1 ||
	it_fail "no ping through the tunnel"
it_stop "$CLIENT_PID" || it_fail "client c1 exit status $?"
check_as_before "after --route"

# b) none
client c2 --no-routes
sleep 1
for a in 198.51.100.7 192.0.2.9 2001:db8:77::7; do
	[ "$(it_route_dev $a)" = vc ] || it_fail "--no-routes: $a goes out of '$(it_route_dev $a)', not vc"
done
no_halves --no-routes
[ -z "$(ip -n "$NS_C" route show proto 83)$(ip -n "$NS_C" -6 route show proto 83)" ] ||
	it_fail "--no-routes: client routes present: $(ip -n "$NS_C" route show proto 83)"
it_stop "$CLIENT_PID" || it_fail "client c2 exit status $?"
check_as_before "after --no-routes"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "listed routes only through $TUN; none with --no-routes; restored after each"

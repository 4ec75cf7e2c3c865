#!/bin/bash
# The default route through the tunnel (the client's default), with the
# route to the server kept outside it (issue 12, Routes):
#  a) up: a far address (IPv4 and IPv6) goes into the TUN, the server
#     out of the veth; traffic through the tunnel works;
#  b) SIGTERM: the routing tables are exactly as before the client;
#  c) SIGKILL: the server's host route stays behind (the TUN's routes go
#     with the TUN); the next client on that TUN removes it at start, and
#     after it stops everything is as before.
# Needs the client's route wiring (client.c: routes_recover, keep_outside,
# default, down).
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_client_gateway
it_certs
it_users "alice s3cret"
it_server
TUN=trd$IT_ID
TUN=${TUN:0:15}
STATE=$(it_state_file "$TUN")
trap 'rm -f "$STATE" "$STATE.tmp"; it_cleanup' EXIT
FAR4=198.51.100.7 FAR6=2001:db8:77::7

before=$(it_routes_snapshot)
[ "$(it_route_dev $FAR4)" = vc ] || it_fail "setup: $FAR4 does not go out of vc"

client() { # LOGNAME
	it_client "$1" --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
		--tun "$TUN" server.test
	it_wait_log "$CLIENT_LOG" "IPv4 up" 10 ||
		it_fail "client $1 did not come up: $(tail -3 "$CLIENT_LOG")"
}

check_up() { # LOGNAME
	it_wait_route_dev $FAR4 "$TUN" 5 ||
		it_fail "$1: $FAR4 goes out of '$(it_route_dev $FAR4)', not $TUN"
	it_wait_route_dev $FAR6 "$TUN" 5 ||
		it_fail "$1: $FAR6 goes out of '$(it_route_dev $FAR6)', not $TUN"
	[ "$(it_route_dev $OUT4_S)" = vc ] ||
		it_fail "$1: the server $OUT4_S goes out of '$(it_route_dev $OUT4_S)', not vc"
	ip -n "$NS_C" route show $OUT4_S/32 | grep -q "dev vc" ||
		it_fail "$1: no host route to the server: $(ip -n "$NS_C" route)"
	ip -n "$NS_C" route show 0.0.0.0/1 | grep -q "dev $TUN" ||
		it_fail "$1: no 0.0.0.0/1 through $TUN"
	ip -n "$NS_C" route show 128.0.0.0/1 | grep -q "dev $TUN" ||
		it_fail "$1: no 128.0.0.0/1 through $TUN"
	[ -f "$STATE" ] || it_fail "$1: no state file $STATE"
	ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 $IN4_S >/dev/null 2>&1 ||
		it_fail "$1: no ping through the tunnel"
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

# a, b) up, then SIGTERM.
client c1
check_up c1
it_log "c1 up: $FAR4 and $FAR6 through $TUN, the server through vc"
it_stop "$CLIENT_PID" || it_fail "client c1 exit status $?"
check_as_before "after SIGTERM"

# c) SIGKILL, then a new client on the same TUN.
client c2
check_up c2
kill -KILL "$CLIENT_PID"
wait "$CLIENT_PID" 2>/dev/null
for _ in $(seq 50); do
	ip -n "$NS_C" link show "$TUN" >/dev/null 2>&1 || break
	sleep 0.1
done
ip -n "$NS_C" route show $OUT4_S/32 | grep -q "dev vc" ||
	it_log "note: no server route left after SIGKILL (expected one)"
[ -f "$STATE" ] || it_fail "no state file after SIGKILL"
client c3
check_up c3
it_stop "$CLIENT_PID" || it_fail "client c3 exit status $?"
check_as_before "after SIGKILL + restart + SIGTERM"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "default route through $TUN, server kept outside; restored after SIGTERM and after SIGKILL + restart"

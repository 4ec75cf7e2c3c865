#!/bin/bash
# --kill-switch (issue 12): nothing leaves outside the tunnel while it is
# down, checked with tcpdump on the client's outer interface (vc).
#  a) connecting (no server yet): pings and a UDP datagram to a far
#     address and a ping to the server's own address are not seen on vc;
#     the client's TCP SYNs to the server's port are (the capture works);
#  b) up: traffic flows through the tunnel;
#  c) reconnecting (server stopped): again nothing to the far address on vc;
#  d) after the client's exit the nftables table is gone and the routes
#     are as before.
# Needs the client's --kill-switch wiring and reconnecting (a, c).
. "$(dirname "$0")/lib.sh"
it_require
command -v tcpdump >/dev/null || it_fail "tcpdump not installed (make deps)"
command -v nft >/dev/null || it_fail "nft not installed (make deps)"
it_net 4
it_client_gateway
it_certs
it_users "alice s3cret"
TUN=tks$IT_ID
TUN=${TUN:0:15}
STATE=$(it_state_file "$TUN")
trap 'rm -f "$STATE" "$STATE.tmp"; it_cleanup' EXIT
FAR4=198.51.100.7 FAR6=2001:db8:77::7
before=$(it_routes_snapshot)

# Capture on vc into $IT_TMP/NAME.pcap until capture_stop.
capture_start() { # NAME
	CAP=$IT_TMP/$1.pcap
	it_bg "$NS_C" "tcpdump-$1" tcpdump -Z root -i vc -n -U -w "$CAP"
	CAP_PID=$BG_PID
	it_wait_log "$IT_TMP/tcpdump-$1.log" "listening on" 5 ||
		it_fail "tcpdump did not start: $(cat "$IT_TMP/tcpdump-$1.log")"
}
capture_stop() {
	sleep 0.5
	kill -INT "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
}
# How many captured packets match a tcpdump filter.
captured() { # FILTER
	tcpdump -r "$CAP" -n "$1" 2>/dev/null | wc -l
}
# Try to leak: pings and a DNS-like datagram to the far addresses, a ping
# to the server's outer address.
leak_tries() {
	ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 1 $FAR4 >/dev/null 2>&1
	ip netns exec "$NS_C" ping -6 -c 2 -i 0.2 -W 1 $FAR6 >/dev/null 2>&1
	ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 1 $OUT4_S >/dev/null 2>&1
	echo x | timeout 2 ip netns exec "$NS_C" socat -u - UDP:$FAR4:53 2>/dev/null
}
no_leak() { # WHEN
	local n
	n=$(captured "host $FAR4 or host $FAR6 or (icmp and host $OUT4_S)")
	[ "$n" = 0 ] || {
		tcpdump -r "$CAP" -n 2>/dev/null | head -20
		it_fail "$1: $n packet(s) left outside the tunnel (above)"
	}
}

# a) connecting: the client starts before the server.
capture_start connecting
it_client c1 --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
	--tun "$TUN" --kill-switch --max-retries forever --backoff-min-ms 200 \
	--backoff-max-ms 1000 server.test
for _ in $(seq 100); do
	it_ks_table "$TUN" && break
	sleep 0.1
done
it_ks_table "$TUN" || it_fail "no table inet opensstp_$TUN: $(tail -3 "$CLIENT_LOG")"
kill -0 "$CLIENT_PID" 2>/dev/null || it_fail "the client gave up instead of retrying: $(tail -3 "$CLIENT_LOG")"
leak_tries
sleep 1
capture_stop
no_leak connecting
syn=$(captured "tcp dst port 443 and host $OUT4_S")
[ "$syn" -gt 0 ] || it_fail "connecting: no SYN to the server seen (capture broken?)"
it_log "connecting: no leak, $syn packet(s) to the server's port"

# b) up
it_server
it_wait_log "$CLIENT_LOG" "IPv4 up" 30 || it_fail "client did not come up: $(tail -3 "$CLIENT_LOG")"
it_ks_table "$TUN" || it_fail "up: the table went"
ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 $IN4_S >/dev/null 2>&1 ||
	it_fail "up: no ping through the tunnel"
n=$(it_transfer $IN4_S 256) || it_fail "up: no transfer through the tunnel"
it_log "up: ping and $n bytes through the tunnel"

# c) reconnecting
it_stop "$SERVER_PID" >/dev/null
capture_start reconnecting
sleep 1
kill -0 "$CLIENT_PID" 2>/dev/null || it_fail "the client exited instead of reconnecting: $(tail -3 "$CLIENT_LOG")"
it_ks_table "$TUN" || it_fail "reconnecting: the table went"
leak_tries
capture_stop
no_leak reconnecting
it_log "reconnecting: no leak"

# d) exit
it_stop "$CLIENT_PID" || it_fail "client exit status $?"
it_ks_table "$TUN" && it_fail "the table is still there after the client's exit"
now=$(it_routes_snapshot)
[ "$now" = "$before" ] || {
	diff <(echo "$before") <(echo "$now")
	it_fail "routes differ from before the client (diff above)"
}
[ ! -e "$STATE" ] || it_fail "state file $STATE left"
it_check_sanitizers
it_pass "kill switch: no leak while connecting and reconnecting, traffic when up, table gone after exit"

# The traffic case shared by the outside-IPv4 and outside-IPv6 variants:
# connect, ping the server's tunnel addresses over IPv4 and IPv6, move
# random bytes over TCP through each and compare them, check that both
# ends' session counters cover those bytes, and stop both cleanly with no
# sanitizer report.  Sourced after lib.sh with OUTSIDE=4 or 6.

it_require
it_net "$OUTSIDE"
it_certs
it_users "alice s3cret"
# Both write their TLS secrets for captures when SSLKEYLOGFILE is set.
SSLKEYLOGFILE=$IT_TMP/server.keys it_server --log-level debug
SSLKEYLOGFILE=$IT_TMP/client.keys it_client_up c1
for k in server client; do
	grep -q "^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]* [0-9a-f]*" "$IT_TMP/$k.keys" ||
		it_fail "the $k wrote no TLS secrets to SSLKEYLOGFILE"
done
cmp -s <(sort "$IT_TMP/server.keys") <(sort "$IT_TMP/client.keys") ||
	it_fail "the two key logs differ"
it_wait_log "$CLIENT_LOG" "IPv6 up:" 5 || it_fail "no IPv6 global address from the RA"
it_wait_log "$CLIENT_LOG" "IPv6 DNS servers \(DHCPv6\): fd77::53" 5 ||
	it_fail "the DHCPv6 DNS server did not arrive"
grep -q "connecting to .*$([ "$OUTSIDE" = 6 ] && echo "\[$OUT6_S\]" || echo "$OUT4_S")" "$CLIENT_LOG" ||
	it_fail "the client did not connect over IPv$OUTSIDE"

ip netns exec "$NS_C" ping -c 3 -i 0.2 -W 2 $IN4_S >"$IT_TMP/ping4" 2>&1 ||
	it_fail "ping $IN4_S through the tunnel: $(tail -2 "$IT_TMP/ping4")"
ip netns exec "$NS_C" ping -c 3 -i 0.2 -W 2 $IN6_S >"$IT_TMP/ping6" 2>&1 ||
	it_fail "ping $IN6_S through the tunnel: $(tail -2 "$IT_TMP/ping6")"
n4=$(it_transfer $IN4_S 4096) || it_fail "TCP transfer over IPv4 inside: bytes differ or lost"
n6=$(it_transfer $IN6_S 4096) || it_fail "TCP transfer over IPv6 inside: bytes differ or lost"
it_log "moved $n4 + $n6 bytes intact"

it_stop "$CLIENT_PID" || it_fail "client exit status $?"
it_wait_log "$SERVER_LOG" "session=1 end" 5 || it_fail "no session end line"
total=$((n4 + n6))
cli_out=$(it_counter "$CLIENT_LOG" "session end" bytes_out)
srv_in=$(it_counter "$SERVER_LOG" "session=1 end" bytes_in)
[ "${cli_out:-0}" -ge $total ] || it_fail "client bytes_out $cli_out < $total sent"
[ "${srv_in:-0}" -ge $total ] || it_fail "server bytes_in $srv_in < $total sent"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "IPv$OUTSIDE outside: ping v4+v6, $total bytes through, counters client=$cli_out server=$srv_in"

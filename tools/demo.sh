#!/bin/bash
# make demo: the VPN working, end to end, on this machine, as root.
# Two network namespaces joined by a veth pair play the server's host and
# the client's; a throw-away CA signs an ECDSA server certificate;
# opensstpd runs in one, opensstp in the other; then pings over IPv4 and
# IPv6 and a short iperf3 go through the tunnel.  Everything made here is
# removed at the end.  The last line says success only if every step
# worked, and names what failed otherwise.
#
#   tools/demo.sh [BUILD_DIR]      (default: build, the release tree)

BUILD=${1:-build}
. "$(dirname "$0")/../tests/integration/lib.sh"
# Ordinary timers: this is a demonstration, not a timeout test.
IT_TIMERS_SRV=""
IT_TIMERS_CLI=""
failed=()

step() { echo; echo "==> $*"; }
check() { # WHAT COMMAND...
	local what=$1
	shift
	if "$@"; then
		echo "    ok: $what"
	else
		echo "    FAILED: $what"
		failed+=("$what")
	fi
}
show() { sed 's/^/    /'; }

[ "$(id -u)" = 0 ] || { echo "make demo needs root (network namespaces, TUN devices)"; exit 1; }
[ -x "$SERVER_BIN" ] || { echo "no $SERVER_BIN: run make first"; exit 1; }

step "Creating two network namespaces, $NS_S (server) and $NS_C (client), joined by a veth pair"
it_net 4
echo "    server outside: $OUT4_S and $OUT6_S; client outside: $OUT4_C and $OUT6_C"
echo "    the client resolves server.test through /etc/netns/$NS_C/hosts"

step "Making a throw-away CA and an ECDSA P-256 certificate for server.test"
it_certs
openssl x509 -in "$IT_TMP/server.crt" -noout -subject -ext subjectAltName 2>/dev/null | show

step "Writing a users file with alice (cleartext) and bob (NT hash from opensstpd --nt-hash)"
bob=$(printf 'hunter2\n' | "$SERVER_BIN" --nt-hash)
it_users "alice s3cret" "bob $bob"
show <"$IT_TMP/users"

step "Starting opensstpd in $NS_S: pool $POOL4, prefix $PREFIX6, MS-CHAPv2 and EAP-MSCHAPv2"
it_server
show <"$SERVER_LOG"

step "Starting opensstp in $NS_C as alice, verifying the server through the test CA"
it_client demo-client --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
	--tun sstpc0 server.test
if it_wait_log "$CLIENT_LOG" "IPv4 up" 15; then
	it_wait_log "$CLIENT_LOG" "IPv6 DNS servers" 5
	echo "    ok: tunnel up"
else
	failed+=("tunnel up")
	echo "    FAILED: the tunnel did not come up"
fi
show <"$CLIENT_LOG"
echo "    the client's TUN device:"
ip -n "$NS_C" addr show sstpc0 2>&1 | show

step "Ping the server's tunnel address over IPv4 ($IN4_S)"
check "ping over IPv4" ip netns exec "$NS_C" ping -c 3 -i 0.3 -W 2 $IN4_S
step "Ping the server's tunnel address over IPv6 ($IN6_S)"
check "ping over IPv6" ip netns exec "$NS_C" ping -c 3 -i 0.3 -W 2 $IN6_S

cc=$(ip netns exec "$NS_C" sysctl -n net.ipv4.tcp_congestion_control 2>/dev/null)
step "iperf3 for 3 seconds through the tunnel, client to server (TCP congestion control: $cc)"
ip netns exec "$NS_S" iperf3 -s -1 -B $IN4_S >"$IT_TMP/iperf3-server.log" 2>&1 &
ipid=$!
IT_PIDS+=("$ipid")
for _ in $(seq 50); do
	ip netns exec "$NS_S" ss -Hltn "sport = :5201" | grep -q . && break
	sleep 0.1
done
if ip netns exec "$NS_C" iperf3 -c $IN4_S -t 3 -f m >"$IT_TMP/iperf3.log" 2>&1; then
	grep -E "sender|receiver" "$IT_TMP/iperf3.log" | show
	echo "    ok: iperf3"
else
	tail -3 "$IT_TMP/iperf3.log" | show
	echo "    FAILED: iperf3"
	failed+=("iperf3")
fi

step "Disconnecting the client (SIGTERM): PPP Terminate, SSTP Call Disconnect"
if it_stop "$CLIENT_PID" 10; then
	echo "    ok: client exited cleanly"
else
	failed+=("client clean exit")
	echo "    FAILED: client exit status $?"
fi
tail -2 "$CLIENT_LOG" | show
it_wait_log "$SERVER_LOG" "session=1 end" 5
echo "    the server's session log lines:"
grep -E "session=[0-9]+ (start|end)" "$SERVER_LOG" | show
grep -q "session=1 start" "$SERVER_LOG" || failed+=("server session start line")
grep -q "session=1 end" "$SERVER_LOG" || failed+=("server session end line")

step "Stopping opensstpd and removing the namespaces, certificates and files"
it_stop "$SERVER_PID" 10 || failed+=("server clean exit")
IT_PIDS=()
it_cleanup
trap - EXIT

echo
if [ ${#failed[@]} -eq 0 ]; then
	echo "demo: SUCCESS: tunnel up, IPv4 and IPv6 pings and iperf3 through it, clean shutdown"
	exit 0
fi
echo "demo: FAILED: $(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')"
exit 1

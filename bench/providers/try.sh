#!/bin/bash
# Try one benchmark provider alone, as the bench driver would run it:
#
#   bench/providers/try.sh NAME [VARIANT]     e.g. try.sh ocserv dtls
#
# Makes the two namespaces the provider interface describes (bench/README.md,
# "Providers"), brings the provider up, pings idle, runs a 5 s iperf3 each
# way with a ping beside it (the RTT under load), checks that the client's
# tunnel counted the bytes, prints the figures, runs NAME_mem_per_client 5,
# brings it down, checks that nothing is left in the namespaces and removes
# them and its scratch directory.  A development aid, not the benchmark:
# one run, no ceilings, no ratios.  It sources bench/lib.sh as the driver
# does (opensstp's provider needs its helpers).
#
# Environment: BUILD (opensstp's release tree, default BENCH_TOP/build),
# CC_NAME (congestion control for both namespaces, default the machine's),
# T (iperf3 seconds, default 5), MEM_K (clients for NAME_mem_per_client,
# default 5), SOFTETHER_SRC (softether provider), PV_KEEP (a directory:
# the peers copy their state and logs there before removing them), PV_MEM
# (uss: the peers' memory row sums private pages instead of RSS).
# Exit 0 if every step worked, 77 if NAME is not available here, else 1.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
name=${1:?usage: bench/providers/try.sh NAME [VARIANT]}
variant=${2:-}
T=${T:-5}
MEM_K=${MEM_K:-5}

# The driver's helpers first: they set their own NS_S, NS_C and shell
# options, replaced below.
# shellcheck source=../lib.sh
[ -f "$HERE/../lib.sh" ] && . "$HERE/../lib.sh"
set -uo pipefail
export BENCH_TOP
BENCH_TOP=$(cd "$HERE/../.." && pwd)
export BUILD=${BUILD:-$BENCH_TOP/build}
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || {
	echo "try: no build tree ${BUILD} (make all, or set BUILD)"
	exit 1
}
export NS_S=bpt-s-$$ NS_C=bpt-c-$$ OUTER_S=10.201.0.1 OUTER_C=10.201.0.2
export CC_NAME=${CC_NAME:-$(sysctl -n net.ipv4.tcp_congestion_control)}
[ "$(id -u)" = 0 ] || {
	echo "try: needs root (network namespaces)"
	exit 1
}
[ -f "$HERE/$name.sh" ] || {
	echo "try: no provider $HERE/$name.sh"
	exit 1
}
for t in iperf3 python3 ping ip; do
	command -v $t >/dev/null || {
		echo "try: $t not installed"
		exit 1
	}
done

export WORK
WORK=$(mktemp -d /tmp/bench-try.XXXXXX) || exit 1
UP=
IPERF_PID=
failed=0
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	[ -n "$IPERF_PID" ] && kill "$IPERF_PID" 2>/dev/null && wait "$IPERF_PID" 2>/dev/null
	[ -n "$UP" ] && "${name}_down"
	ip netns del "$NS_S" 2>/dev/null
	ip netns del "$NS_C" 2>/dev/null
	rm -rf "/etc/netns/$NS_S" "/etc/netns/$NS_C" "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The namespaces, exactly as the provider interface says.
ip netns add "$NS_S" && ip netns add "$NS_C" &&
	ip link add bs0 netns "$NS_S" type veth peer name bc0 netns "$NS_C" &&
	ip -n "$NS_S" link set lo up && ip -n "$NS_C" link set lo up &&
	ip -n "$NS_S" addr add 10.201.0.1/24 dev bs0 &&
	ip -n "$NS_C" addr add 10.201.0.2/24 dev bc0 &&
	ip -n "$NS_S" link set bs0 up && ip -n "$NS_C" link set bc0 up || {
	echo "try: cannot make the namespaces"
	exit 1
}
for ns in "$NS_S" "$NS_C"; do
	mkdir -p "/etc/netns/$ns"
	printf '127.0.0.1 localhost\n10.201.0.1 server.test\n' >"/etc/netns/$ns/hosts"
	ip netns exec "$ns" sysctl -qw net.ipv4.tcp_congestion_control="$CC_NAME" || {
		echo "try: cannot set $CC_NAME"
		exit 1
	}
done

. "$HERE/lib/peers.sh"
# shellcheck disable=SC1090 # the provider named on the command line
. "$HERE/$name.sh"
if ! why=$("${name}_available"); then
	echo "try: $name not available: $why"
	exit 77
fi
echo "try: $name ${variant:-(default)}, $CC_NAME, iperf3 ${T} s"
UP=1
if ! "${name}_up" $variant; then
	echo "try: ${name}_up failed"
	UP=
	exit 1
fi
iperf_ns=${P_IPERF_NS:-$NS_S}
echo "try: up in ${P_SETUP_MS} ms; inner $P_INNER_S (iperf3 in $iperf_ns), tun $P_TUN_C," \
	"server pids $P_SERVER_PIDS, client pids $P_CLIENT_PIDS"

# CPU seconds (user + system, in clock ticks) of the PIDs and their
# descendants.
ticks() {
	local p sum=0 t
	for p in $(pv_tree "$@"); do
		t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null)
		sum=$((sum + ${t:-0}))
	done
	echo "$sum"
}
tun_bytes() { # rx|tx
	ip netns exec "$NS_C" cat "/sys/class/net/$P_TUN_C/statistics/${1}_bytes"
}

ip netns exec "$iperf_ns" iperf3 -s -B "$P_INNER_S" >"$WORK/iperf3-s.log" 2>&1 &
IPERF_PID=$!
pv_wait_listen "$iperf_ns" 5201 5 || {
	echo "try: iperf3 server not listening: $(tail -1 "$WORK/iperf3-s.log")"
	exit 1
}

rtt=$(ip netns exec "$NS_C" ping -n -q -c 10 -i 0.1 "$P_INNER_S" | sed -nE 's|.* = [^/]+/([^/]+)/.*|\1|p')
echo "try: ping idle: ${rtt:-none} ms avg of 10"
[ -n "$rtt" ] || failed=1

hz=$(getconf CLK_TCK)
for dir in up down; do
	flag=
	[ $dir = down ] && flag=-R
	s0=$(ticks $P_SERVER_PIDS)
	c0=$(ticks $P_CLIENT_PIDS)
	rx0=$(tun_bytes rx)
	tx0=$(tun_bytes tx)
	ip netns exec "$NS_C" ping -n -q -i 0.2 -c $(((T - 1) * 5)) "$P_INNER_S" \
		>"$WORK/ping-$dir.log" 2>&1 &
	ping_pid=$!
	ip netns exec "$NS_C" iperf3 -J -c "$P_INNER_S" -t "$T" $flag >"$WORK/iperf3-$dir.json" 2>&1
	rc=$?
	wait $ping_pid
	s1=$(ticks $P_SERVER_PIDS)
	c1=$(ticks $P_CLIENT_PIDS)
	rx1=$(tun_bytes rx)
	tx1=$(tun_bytes tx)
	if [ $rc != 0 ]; then
		echo "try: iperf3 $dir failed: $(tail -c 300 "$WORK/iperf3-$dir.json" | tr '\n' ' ')"
		failed=1
		continue
	fi
	read -r bps bytes retr < <(python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))["end"]
print(e["sum_received"]["bits_per_second"], e["sum_received"]["bytes"],
      e["sum_sent"].get("retransmits", 0))' "$WORK/iperf3-$dir.json")
	lrtt=$(sed -nE 's|.* = [^/]+/([^/]+)/.*|\1|p' "$WORK/ping-$dir.log")
	# The client's tunnel must have carried at least the payload iperf3
	# received: whole IP packets counted by the TUN device, payload by
	# iperf3 (what was sent may still have been in a socket buffer).
	tun=$((rx1 - rx0))
	[ $dir = up ] && tun=$((tx1 - tx0))
	check=ok
	if [ "$tun" -lt "${bytes%.*}" ]; then
		check="NOT THROUGH THE TUNNEL ($tun tunnel bytes < $bytes)"
		failed=1
	fi
	awk -v d=$dir -v bps="$bps" -v b="$bytes" -v r="$retr" -v s=$((s1 - s0)) \
		-v c=$((c1 - c0)) -v hz="$hz" -v l="${lrtt:-none}" -v k="$check" 'BEGIN {
		gb = b / 1e9
		printf "try: %-4s %6.3f Gbit/s, %s retransmits, CPU s/GB server %.2f client %.2f (sum %.2f), ping under load %s ms, tunnel bytes %s\n",
			d, bps / 1e9, r, s / hz / gb, c / hz / gb, (s + c) / hz / gb, l, k
	}'
done

# In this shell, as the driver calls it (the provider tracks its PIDs).
"${name}_mem_per_client" "$MEM_K" >"$WORK/mem.out"
rc=$?
mem=$(tail -1 "$WORK/mem.out")
if [ $rc = 0 ] && [[ $mem =~ ^-?[0-9.]+$ ]]; then
	echo "try: server memory per client: $mem KB (${PV_MEM:-rss}, $MEM_K more clients)"
else
	echo "try: ${name}_mem_per_client failed: $mem"
	failed=1
fi

kill "$IPERF_PID" 2>/dev/null
wait "$IPERF_PID" 2>/dev/null
IPERF_PID=
UP=
"${name}_down"
left=$(ip netns pids "$NS_S" 2>/dev/null; ip netns pids "$NS_C" 2>/dev/null)
if [ -n "$left" ]; then
	echo "try: processes left in the namespaces after ${name}_down: $(echo "$left" | tr '\n' ' ')"
	failed=1
fi
if [ $failed = 0 ]; then
	echo "try: $name ${variant:-(default)}: OK"
else
	echo "try: $name ${variant:-(default)}: FAILED"
fi
exit $failed

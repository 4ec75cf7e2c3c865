#!/bin/bash
# One worker against two (issue 13; a measurement, not a test): a release
# opensstpd in a network namespace with --workers 1, then 2, and for each
#   - set-up rate: opensstp-load opens SESSIONS full sessions (TLS,
#     SSTP, MS-CHAPv2, binding, IPCP), CONCURRENCY at a time, and the
#     server's CPU milliseconds per session (the generator shares the
#     machine, so it often saturates first: the CPU figure says more);
#   - throughput: two clients, each with its own tunnel, each running an
#     iperf3 stream to the server's tunnel address at once, for SECONDS.
# The congestion control in use is printed.  As root:
#
#	make BUILD=build-load && tools/measure-workers.sh build-load
BUILD=${1:-build-load}
SESSIONS=${SESSIONS:-2000}
CONCURRENCY=${CONCURRENCY:-100}
HOLD_MS=${HOLD_MS:-1}
SECONDS_RUN=${SECONDS_RUN:-5}
export BUILD
. "$(dirname "$0")/../tests/integration/lib.sh"
LOAD_BIN=$BUILD/bin/opensstp-load
[ -x "$LOAD_BIN" ] || it_fail "no $LOAD_BIN"
command -v iperf3 >/dev/null || it_fail "no iperf3"
it_require
it_net 4
it_certs
it_users "alice s3cret"

cpu_ms() { # PID: user + system CPU time in ms
	awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}

# A client's tunnel address, from its log.
client_addr() { # LOGNAME
	grep -o "IPv4 up: [0-9.]*" "$IT_TMP/$1.log" | head -1 | awk '{ print $3 }'
}

measure() { # WORKERS
	local w=$1 c0 c1 rate lat a1 a2 g1 g2 pa
	it_server --workers "$w" --max-per-source 0 --max-sessions 0 \
		--pool4 10.77.0.0/16
	c0=$(cpu_ms "$SERVER_PID")
	ip netns exec "$NS_C" "$LOAD_BIN" --sessions "$SESSIONS" \
		--concurrency "$CONCURRENCY" --hold-ms "$HOLD_MS" --timeout-ms 60000 \
		--user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
		--host server.test $OUT4_S:443 >"$IT_TMP/load$w.log" 2>&1 ||
		it_fail "opensstp-load: $(head -3 "$IT_TMP/load$w.log")"
	c1=$(cpu_ms "$SERVER_PID")
	rate=$(grep -o "([0-9.]* setups/s)" "$IT_TMP/load$w.log" | tr -d '()')
	lat=$(grep -o "p50 [0-9]* ms, p99 [0-9]* ms" "$IT_TMP/load$w.log")

	it_client_up t${w}a
	local pa=$CLIENT_PID
	it_client_up t${w}b
	a1=$(client_addr t${w}a) a2=$(client_addr t${w}b)
	# Daemons serving one client each; stopped by PID on exit whatever
	# happens (lib.sh), so a failed run leaves none behind.
	local port
	for port in 5201 5202; do
		ip netns exec "$NS_S" iperf3 -s -B $IN4_S -p $port -D -1 \
			--logfile "$IT_TMP/i$port.log" --pidfile "$IT_TMP/i$port.pid"
	done
	sleep 0.5
	IT_PIDS+=("$(cat "$IT_TMP/i5201.pid")" "$(cat "$IT_TMP/i5202.pid")")
	ip netns exec "$NS_C" iperf3 -c $IN4_S -p 5201 -B "$a1" --bind-dev tt${w}a -t "$SECONDS_RUN" -J \
		>"$IT_TMP/c1.json" 2>&1 &
	local p1=$!
	ip netns exec "$NS_C" iperf3 -c $IN4_S -p 5202 -B "$a2" --bind-dev tt${w}b -t "$SECONDS_RUN" -J \
		>"$IT_TMP/c2.json" 2>&1 &
	local p2=$!
	wait $p1 $p2
	g1=$(python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))' "$IT_TMP/c1.json") ||
		it_fail "iperf3 1: $(tail -3 "$IT_TMP/c1.json")"
	g2=$(python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))' "$IT_TMP/c2.json") ||
		it_fail "iperf3 2: $(tail -3 "$IT_TMP/c2.json")"
	printf '| %s | %s | %s | %s | %s + %s = %s |\n' "$w" "$rate" "$lat" \
		"$(((c1 - c0) * 1000 / SESSIONS)) µs" "$g1" "$g2" \
		"$(python3 -c "print('%.2f' % ($g1 + $g2))")" >>"$IT_TMP/table"
	it_stop "$CLIENT_PID"
	it_stop "$pa"
	it_stop "$SERVER_PID" || it_fail "server exit status $?"
	mv "$SERVER_LOG" "$IT_TMP/server$w.log"
}

{
	echo "| workers | set-ups/s | set-up latency | server CPU per session | iperf3 Gbit/s (2 tunnels) |"
	echo "|---|---|---|---|---|"
} >"$IT_TMP/table"
measure 1
measure 2
echo "congestion control: $(ip netns exec "$NS_C" sysctl -n net.ipv4.tcp_congestion_control)," \
	"$(nproc) CPUs, $SESSIONS sessions $CONCURRENCY at a time, iperf3 ${SECONDS_RUN} s"
cat "$IT_TMP/table"

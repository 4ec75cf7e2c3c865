# Helpers of `make bench` (bench/run.sh and the row scripts it sources;
# prefix bench_).  Everything runs in two network namespaces made here
# and removed on exit, whatever happened: NS_S (server) and NS_C
# (client), joined by a veth, bs0 (10.201.0.1/24) in NS_S and bc0
# (10.201.0.2/24) in NS_C, both with lo up; both resolve server.test to
# 10.201.0.1 through /etc/netns/NAME/hosts.  Every process started here
# is stopped by PID.  Rows go to $BENCH_RUN/rows.jsonl, one JSON object
# each, for bench/report.py.
set -uo pipefail

BENCH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NS_S=osb-s-$$
NS_C=osb-c-$$
OUTER_S=10.201.0.1
OUTER_C=10.201.0.2
BENCH_PIDS=()
BENCH_FAILED=0
BENCH_PROVIDER= # the provider that is up, brought down on exit
export NS_S NS_C OUTER_S BENCH_TOP

# Debian's python3 (a pyenv shim costs 0.1 s per start, and rows start
# it hundreds of times).
BENCH_PY=python3
[ -x /usr/bin/python3 ] && BENCH_PY=/usr/bin/python3

bench_log() { echo "[$(date +%T)] $*" >&2; }
bench_die() {
	bench_log "FATAL: $*"
	exit 1
}

# Milliseconds since the epoch (microsecond clock, so intervals of a few
# ms are meaningful).
bench_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# Start a command in the background, remembered for the clean-up.
# BENCH_BG_PID is set.
bench_bg() { # LOGFILE COMMAND...
	local log=$1
	shift
	"$@" >"$log" 2>&1 &
	BENCH_BG_PID=$!
	BENCH_PIDS+=("$BENCH_BG_PID")
}

# SIGTERM, up to SECONDS (5) to go, then SIGKILL; reaps our children.
bench_stop() { # PID [SECONDS]
	kill -TERM "$1" 2>/dev/null || { wait "$1" 2>/dev/null; return 0; }
	bench_reap "$@"
}

# Up to SECONDS (5) for PID, already signalled, to go (a second SIGTERM
# makes our client exit without its session end line), then SIGKILL;
# reaps our children.
bench_reap() { # PID [SECONDS]
	local pid=$1 n=$((${2:-5} * 20)) i
	for ((i = 0; i < n; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

bench_cleanup() {
	local pid
	if [ -n "$BENCH_PROVIDER" ]; then
		"${BENCH_PROVIDER}_down" >/dev/null 2>&1
		BENCH_PROVIDER=
	fi
	for pid in "${BENCH_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${BENCH_PIDS[@]}"; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null
	done
	bench_net_down
	if [ -n "$BENCH_ALLOWED_CC" ]; then
		echo "$BENCH_ALLOWED_CC" >/proc/sys/net/ipv4/tcp_allowed_congestion_control
		BENCH_ALLOWED_CC=
	fi
	[ -n "${BENCH_RUN:-}" ] && [ -z "${BENCH_KEEP:-}" ] && rm -rf "$BENCH_RUN"
}

# The two namespaces and the veth between them (defaults: MTU 1500,
# offloads as the driver sets them).
bench_net_up() {
	ip netns add "$NS_S" || bench_die "ip netns add $NS_S"
	ip netns add "$NS_C" || bench_die "ip netns add $NS_C"
	ip link add bs0 netns "$NS_S" type veth peer name bc0 netns "$NS_C" ||
		bench_die "veth"
	ip -n "$NS_S" link set lo up
	ip -n "$NS_C" link set lo up
	ip -n "$NS_S" addr add $OUTER_S/24 dev bs0
	ip -n "$NS_C" addr add $OUTER_C/24 dev bc0
	ip -n "$NS_S" link set bs0 up
	ip -n "$NS_C" link set bc0 up
	local ns
	for ns in "$NS_S" "$NS_C"; do
		mkdir -p "/etc/netns/$ns"
		printf '127.0.0.1 localhost\n%s server.test\n' $OUTER_S \
			>"/etc/netns/$ns/hosts"
	done
}

bench_net_down() {
	ip netns del "$NS_S" 2>/dev/null
	ip netns del "$NS_C" 2>/dev/null
	rm -rf "/etc/netns/$NS_S" "/etc/netns/$NS_C"
}

# The veth's MTU and offloads on both ends: bench_veth 1400 off.
bench_veth() { # MTU on|off
	local ns dev
	for ns in "$NS_S" "$NS_C"; do
		dev=$([ "$ns" = "$NS_S" ] && echo bs0 || echo bc0)
		ip -n "$ns" link set "$dev" mtu "$1" || return 1
		ip netns exec "$ns" ethtool -K "$dev" tso "$2" gso "$2" gro "$2" \
			>/dev/null 2>&1 || return 1
	done
}

# The congestion control of both namespaces (new sockets only).  A
# namespace other than the host's may only pick one of the host's
# tcp_allowed_congestion_control (reno and the host's default, unless
# someone added more): if NAME is not there, it is added for the run and
# the host's list is put back by the clean-up.  Nothing else of the
# host's changes.
BENCH_ALLOWED_CC=
bench_set_cc() { # NAME
	local ns f=/proc/sys/net/ipv4/tcp_allowed_congestion_control
	grep -qw "$1" /proc/sys/net/ipv4/tcp_available_congestion_control ||
		modprobe "tcp_$1" 2>/dev/null
	if ! grep -qw "$1" $f; then
		[ -n "$BENCH_ALLOWED_CC" ] || BENCH_ALLOWED_CC=$(cat $f)
		echo "$(cat $f) $1" >$f || return 1
		bench_log "$1 added to the host's tcp_allowed_congestion_control for the run (was: $BENCH_ALLOWED_CC)"
	fi
	for ns in "$NS_S" "$NS_C"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.tcp_congestion_control="$1" ||
			return 1
	done
	CC_NAME=$1
	export CC_NAME
}

# User + system CPU time in clock ticks, summed over PIDs (all their
# threads); a PID that is gone counts 0.
bench_cpu_ticks() { # PID...
	local p sum=0 t
	for p in "$@"; do
		t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null)
		sum=$((sum + ${t:-0}))
	done
	echo $sum
}
BENCH_HZ=$(getconf CLK_TCK)

# VmRSS in KB summed over PIDs.
# The memory of PIDs in KB: VmRSS, or with BENCH_MEM=private their private
# pages (Private_Clean + Private_Dirty: what is theirs alone).
bench_mem_kb() { # PID...
	local p sum=0 kb
	[ "${BENCH_MEM:-}" = private ] || {
		bench_rss_kb "$@"
		return
	}
	for p in "$@"; do
		kb=$(awk '$1 ~ /^Private_(Clean|Dirty):$/ { s += $2 } END { print s }' \
			"/proc/$p/smaps_rollup" 2>/dev/null)
		sum=$((sum + ${kb:-0}))
	done
	echo $sum
}

bench_rss_kb() { # PID...
	local p sum=0 kb
	for p in "$@"; do
		kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$p/status" 2>/dev/null)
		sum=$((sum + ${kb:-0}))
	done
	echo $sum
}

# An interface's byte counter in a namespace: bench_if_bytes NS DEV tx|rx
bench_if_bytes() {
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3_bytes" 2>/dev/null ||
		echo -1
}

# Median and 90th percentile (nearest rank) of the RTTs in ping output:
# "MEDIAN P90 COUNT", or "- - 0".
bench_ping_stats() { # FILE
	grep -o 'time=[0-9.]*' "$1" 2>/dev/null | cut -d= -f2 | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "- - 0"; exit }
			m = int((NR + 1) / 2); p = int(NR * 0.9 + 0.999)
			if (p < 1) p = 1
			printf "%.3f %.3f %d\n", v[m], v[p], NR
		}'
}

# Wait until FILE has a line matching the extended REGEX, for SECONDS.
bench_wait_log() { # FILE REGEX SECONDS
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# Wait until something listens on TCP PORT in NS.
bench_wait_listen() { # NS PORT SECONDS
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	return 1
}

# Poll with one ping every 10 ms from NS to ADDR until one is answered;
# prints the milliseconds since T0_MS.  Returns 1 after SECONDS, 2 if PID
# (optional) has exited first.  ping fails at once while there is no
# route yet; then again 10 ms later.
bench_first_ping() { # NS ADDR T0_MS SECONDS [PID]
	local ns=$1 addr=$2 t0=$3 end=$(($3 + $4 * 1000))
	while [ "$(bench_ms)" -lt $end ]; do
		if ip netns exec "$ns" ping -n -q -c 1 -W 0.05 "$addr" >/dev/null 2>&1; then
			echo $(($(bench_ms) - t0))
			return 0
		fi
		[ -n "${5:-}" ] && ! kill -0 "$5" 2>/dev/null && return 2
		sleep 0.01
	done
	return 1
}

# A throw-away CA and an ECDSA P-256 certificate for server.test and
# 10.201.0.1, signed by it: DIR/ca.crt, DIR/server.crt, DIR/server.key.
bench_certs() { # DIR
	local d=$1
	mkdir -p "$d" &&
		openssl ecparam -name prime256v1 -genkey -noout -out "$d/ca.key" 2>/dev/null &&
		openssl req -x509 -new -key "$d/ca.key" -subj "/CN=opensstp bench CA" \
			-days 2 -out "$d/ca.crt" 2>/dev/null &&
		openssl ecparam -name prime256v1 -genkey -noout -out "$d/server.key" 2>/dev/null &&
		openssl req -new -key "$d/server.key" -subj "/CN=server.test" \
			-out "$d/server.csr" 2>/dev/null &&
		printf 'subjectAltName=DNS:server.test,IP:%s\nextendedKeyUsage=serverAuth\n' \
			$OUTER_S >"$d/server.ext" &&
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
			-CAcreateserial -days 2 -extfile "$d/server.ext" \
			-out "$d/server.crt" 2>/dev/null
}

# One row of the results.  Keys: id (what is measured), label, group
# (ceiling, tunnel, sessions), provider, cc, value, unit, better
# (higher|lower), ceiling (the id of the ceiling row it is divided by,
# same cc or none), status (ok, skipped, failed), note; anything else is
# kept as a detail.  Values "-" or "" become null.
bench_row() { # KEY=VALUE...
	$BENCH_PY -c '
import json, sys
TEXT = {"id", "label", "group", "provider", "variant", "cc", "unit",
        "better", "ceiling", "status", "note", "suite"}
row = {}
for kv in sys.argv[1:]:
    k, _, v = kv.partition("=")
    if v in ("", "-"):
        row[k] = None
    elif k in TEXT:
        row[k] = " ".join(v.split())
    else:
        try:
            row[k] = int(v)
        except ValueError:
            try:
                row[k] = float(v)
            except ValueError:
                row[k] = v
row.setdefault("status", "ok")
print(json.dumps(row))' "$@" >>"$BENCH_RUN/rows.jsonl"
}

# A row that failed: printed loudly, counted, and the run ends non-zero.
bench_row_failed() { # REASON KEY=VALUE...
	local why=$1
	shift
	bench_log "ROW FAILED: $* : $why"
	BENCH_FAILED=$((BENCH_FAILED + 1))
	bench_row "$@" status=failed note="$why"
}

# A field of iperf3's JSON: bench_iperf3_field FILE sum_received.bytes
bench_iperf3_field() {
	$BENCH_PY -c '
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    v = d["end"]
    for k in sys.argv[2].split("."):
        v = v[k]
    print(v)
except Exception:
    sys.exit(1)' "$1" "$2"
}

# "BYTES BITS_PER_SECOND" received, one line per iperf3 JSON file given,
# "- -" for a file that holds no result.
bench_iperf3_received() { # FILE...
	$BENCH_PY -c '
import json, sys
for f in sys.argv[1:]:
    try:
        r = json.load(open(f))["end"]["sum_received"]
        print(r["bytes"], r["bits_per_second"])
    except Exception:
        print("- -")' "$@"
}

# A floating-point expression, printed with FMT (%.3f).
bench_calc() { # EXPR [FMT]
	awk "BEGIN { printf \"${2:-%.3f}\\n\", $1 }"
}

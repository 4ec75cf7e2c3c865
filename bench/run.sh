#!/bin/bash
# make bench: opensstp against this machine's ceilings and against the
# VPNs a user would pick instead, in one run, one thing at a time (never
# in parallel).  bench/README.md says what each row measures and how to
# read it.
#
#	bench/run.sh BUILD_DIR        (as root; QUICK=1 for the ~3 min run)
#
# 1. every micro-benchmark binary of the release tree (BUILD/bench);
# 2. the packages the rows need (tools/deps.sh, only what is missing);
# 3. two network namespaces and a veth (bench/lib.sh), then the ceilings
#    (bench/ceilings/rows.sh), every provider's tunnel rows under the
#    machine's default congestion control and under cubic
#    (bench/tunnel.sh), opensstp's many-session rows (bench/sessions.sh);
# 4. the report (bench/report.py): one table on stdout, and
#    bench/results/DATE-HOST.{json,md,png} and bench/results/latest.md.
# Everything made is removed at the end, and checked to be gone.  Exits
# non-zero if a micro-benchmark or a row failed, or something was left.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:?usage: bench/run.sh BUILD_DIR}
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || {
	echo "bench: no build tree $1"
	exit 1
}
export BUILD
case "${QUICK:-0}" in 0 | "") QUICK=0 ;; *) QUICK=1 ;; esac
T0=$(date +%s)

# --- 1. Micro-benchmarks: each times itself against a ceiling of its own.
MICRO=$(mktemp /tmp/osb-micro.XXXXXX)
micro_failed=0
for b in $(find "$BUILD/bench" -maxdepth 1 -type f -perm -u+x 2>/dev/null | sort); do
	{
		echo "== $(basename "$b")"
		"$b" 2>&1 || {
			echo "bench $(basename "$b"): FAILED"
			touch "$MICRO.failed"
		}
		echo
	} | tee -a "$MICRO"
done
[ -e "$MICRO.failed" ] && micro_failed=1 && rm -f "$MICRO.failed"

if [ "$(id -u)" != 0 ]; then
	rm -f "$MICRO"
	echo "bench: the ceilings, tunnels and sessions need root (network namespaces, TUN devices)"
	exit 1
fi

. "$HERE/lib.sh"
. "$HERE/tunnel.sh"
. "$HERE/sessions.sh"
. "$HERE/ceilings/rows.sh"

# --- 2. Packages: iperf3, ethtool, gnuplot, and the peers' (their own list).
peer_pkgs=$([ -x "$HERE/providers/deps.sh" ] && "$HERE/providers/deps.sh" --print)
# shellcheck disable=SC2086
"$BENCH_TOP/tools/deps.sh" iperf3 ethtool gnuplot-nox python3 iputils-ping \
	$peer_pkgs </dev/null || bench_die "cannot install the packages the benchmark needs"
command -v iperf3 >/dev/null || bench_die "no iperf3"

# --- Parameters: the full run, or QUICK.
if [ $QUICK = 1 ]; then
	T=4 IDLE_PINGS=5 CEIL_T=2 CEIL_MEM_N=1000 SETUP_REPS=0 PEER_MEM_K=10
	RATE_RUNS="1:100 10:300 100:600" MEM_KS="1000 10000"
	AGG_NS="1 10" AGG_T=3 AGG_ALL_CCS=0
else
	T=10 IDLE_PINGS=10 CEIL_T=3 CEIL_MEM_N=2000 SETUP_REPS=3 PEER_MEM_K=50
	RATE_RUNS="1:300 10:1000 100:2000" MEM_KS="1000 10000 100000"
	AGG_NS="1 10 100" AGG_T=8 AGG_ALL_CCS=1
fi
PROVIDERS=${BENCH_PROVIDERS:-opensstp openvpn ocserv softether}
variants_of() { # PROVIDER
	case "$1" in
	ocserv) echo "tls dtls" ;;
	*) echo "-" ;;
	esac
}

BENCH_RUN=$(mktemp -d /tmp/osb-run.XXXXXX)
trap bench_cleanup EXIT
trap 'exit 130' INT TERM
mv "$MICRO" "$BENCH_RUN/micro.txt"
: >"$BENCH_RUN/rows.jsonl"
# 100 000 sessions: a descriptor each on both sides.  Raising the hard
# limit needs CAP_SYS_RESOURCE, which a container may not give root.
BENCH_NOFILE_WHY=
if ! ulimit -Hn 1048576 2>/dev/null; then
	BENCH_NOFILE_WHY="the hard limit ($(ulimit -Hn)) cannot be raised here"
	capeff=$(awk '$1 == "CapEff:" { print $2 }' /proc/self/status)
	[ -n "$capeff" ] && (((0x$capeff >> 24 & 1) == 0)) &&
		BENCH_NOFILE_WHY="$BENCH_NOFILE_WHY: root lacks CAP_SYS_RESOURCE (CapEff $capeff)"
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null
export BENCH_NOFILE_WHY

DEFAULT_CC=$(cat /proc/sys/net/ipv4/tcp_congestion_control)
CCS=("$DEFAULT_CC")
[ "$DEFAULT_CC" != cubic ] && CCS+=(cubic)
bench_log "bench: $([ $QUICK = 1 ] && echo QUICK || echo full) run, congestion control ${CCS[*]}, build $BUILD"

bench_net_up
for p in $PROVIDERS; do
	# shellcheck disable=SC1090
	[ -f "$HERE/providers/$p.sh" ] && . "$HERE/providers/$p.sh"
done

# A scratch directory per provider, removed after it.
new_work() {
	WORK=$(mktemp -d "$BENCH_RUN/work.XXXXXX")
	export WORK
}

# --- 3a. What opensstpd negotiates by default, for the TLS ceilings.
bench_set_cc "$DEFAULT_CC" || bench_die "cannot set congestion control $DEFAULT_CC"
CEIL_TLS=
new_work
if opensstp_available >/dev/null && tun_up opensstp ""; then
	# P_TLS: set by the opensstp provider (not in the interface).
	# shellcheck disable=SC2153
	CEIL_TLS=$P_TLS
	tun_down opensstp
fi
rm -rf "$WORK"
[ -n "$CEIL_TLS" ] || bench_log "could not learn opensstpd's TLS suite; the ceilings use OpenSSL's default"
CEIL_CERTS=$BENCH_RUN/certs
bench_certs "$CEIL_CERTS" || bench_die "openssl: cannot make certificates"

# --- 3b. Ceilings.
bench_log "ceilings"
for cc in "${CCS[@]}"; do
	bench_set_cc "$cc" || bench_die "cannot set congestion control $cc"
	ceil_tls_bulk
	ceil_veth
done
bench_set_cc "$DEFAULT_CC"
ceil_tls_hs
ceil_tls_mem

# --- 3c. Providers.
declare -A SKIPPED=()
RUN_NAMES=()
for p in $PROVIDERS; do
	if [ ! -f "$HERE/providers/$p.sh" ]; then
		SKIPPED[$p]="no bench/providers/$p.sh"
		continue
	fi
	for v in $(variants_of "$p"); do
		[ "$v" = - ] && v=
		name=$p${v:+-$v}
		if ! why=$("${p}_available" 2>&1); then
			SKIPPED[$name]=$(echo "$why" | tail -1)
			bench_log "$name: skipped: ${SKIPPED[$name]}"
			continue
		fi
		RUN_NAMES+=("$name")
		new_work
		TUN_SETUPS=()
		for cc in "${CCS[@]}"; do
			bench_set_cc "$cc"
			bench_log "$name: one stream each way ($cc)"
			tun_measure "$name" "$p" "$v"
		done
		bench_set_cc "$DEFAULT_CC"
		bench_log "$name: set-up time, memory per client"
		tun_setup_rows "$name" "$p" "$v" "$SETUP_REPS"
		tun_mem_row "$name" "$p" "$v" "$PEER_MEM_K"
		[ "$p" = opensstp ] && sess_rows
		rm -rf "$WORK"
	done
done

# --- 3d. Everything stopped, nothing left in our namespaces.
leftovers=0
for pid in "${BENCH_PIDS[@]}"; do
	kill -0 "$pid" 2>/dev/null && bench_stop "$pid"
done
for ns in "$NS_S" "$NS_C"; do
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		bench_log "LEFT BEHIND in $ns: $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
		kill -KILL "$pid" 2>/dev/null
		leftovers=$((leftovers + 1))
	done
done
bench_net_down
ip netns list 2>/dev/null | grep -qE "^($NS_S|$NS_C)( |$)" && {
	bench_log "LEFT BEHIND: namespace $NS_S or $NS_C"
	leftovers=$((leftovers + 1))
}
others=$(ip netns list 2>/dev/null | grep -c '^osb-')
[ "$others" -gt 0 ] && bench_log "note: $others osb-* namespaces of another run exist"

# --- 4. The report.
versions=("iperf3 $(iperf3 --version 2>/dev/null | head -1 | awk '{ print $2 }')")
command -v openvpn >/dev/null && versions+=("$(openvpn --version 2>/dev/null | head -1 | awk '{ print $1, $2 }')")
command -v ocserv >/dev/null && versions+=("ocserv $(ocserv --version 2>&1 | head -1 | grep -o '[0-9][0-9.]*' | head -1)")
command -v openconnect >/dev/null && versions+=("openconnect $(openconnect --version 2>&1 | head -1 | grep -o 'v[0-9][0-9.]*' | head -1)")
git_desc=$(git -C "$BENCH_TOP" rev-parse --short HEAD 2>/dev/null)
[ -n "$(git -C "$BENCH_TOP" status --porcelain -uno 2>/dev/null)" ] && git_desc="$git_desc (with uncommitted changes)"
stamp=$(date -u +%Y-%m-%dT%H%MZ)
host=$(hostname -s 2>/dev/null || hostname)
export M_DATE M_HOST M_MODEL M_MEM M_KERNEL M_OPENSSL M_GIT M_TLS M_CCS M_RUN \
	M_SKIPPED M_VERSIONS
M_DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
M_HOST=$host
M_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
M_MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
M_KERNEL=$(uname -sr)
M_OPENSSL=$(openssl version 2>/dev/null)
M_GIT=$git_desc
M_TLS=${CEIL_TLS:-OpenSSL default}
M_CCS=${CCS[*]}
M_RUN=${RUN_NAMES[*]}
M_SKIPPED=$(for k in "${!SKIPPED[@]}"; do printf '%s\t%s\n' "$k" "${SKIPPED[$k]}"; done)
M_VERSIONS=$(printf '%s\n' "${versions[@]}")
python3 - "$BENCH_RUN/meta.json" "$(nproc)" "$DEFAULT_CC" "$QUICK" "$T" \
	"$(($(date +%s) - T0))" "$BENCH_FAILED" "$leftovers" <<'EOF'
import json, os, sys
e = os.environ
out, nproc, cc, quick, t, dur, failed, left = sys.argv[1:]
skipped = dict(l.split("\t", 1) for l in e["M_SKIPPED"].splitlines() if "\t" in l)
json.dump({
    "date": e["M_DATE"], "hostname": e["M_HOST"], "nproc": int(nproc),
    "cpu_model": e["M_MODEL"], "memory": e["M_MEM"], "kernel": e["M_KERNEL"],
    "openssl": e["M_OPENSSL"], "default_cc": cc, "ccs": e["M_CCS"].split(),
    "tls": e["M_TLS"], "git": e["M_GIT"],
    "versions": [l for l in e["M_VERSIONS"].splitlines() if l.strip()],
    "quick": quick == "1", "iperf3_seconds": int(t), "duration_s": int(dur),
    "providers_run": e["M_RUN"].split(), "providers_skipped": skipped,
    "failed_rows": int(failed), "leftovers": int(left),
}, open(out, "w"), indent=1)
EOF
echo
python3 "$HERE/report.py" --rows "$BENCH_RUN/rows.jsonl" --meta "$BENCH_RUN/meta.json" \
	--micro "$BENCH_RUN/micro.txt" --out "$HERE/results" --name "$stamp-$host" ||
	bench_die "report.py failed (rows kept: BENCH_KEEP=1 to keep $BENCH_RUN)"
echo
echo "bench: results in bench/results/$stamp-$host.{json,md,png} and bench/results/latest.md"
status=0
[ $micro_failed = 0 ] || {
	echo "bench: a micro-benchmark FAILED"
	status=1
}
[ "$BENCH_FAILED" = 0 ] || {
	echo "bench: $BENCH_FAILED row(s) FAILED (see the notes under the table)"
	status=1
}
[ $leftovers = 0 ] || {
	echo "bench: $leftovers thing(s) were LEFT BEHIND and removed"
	status=1
}
exit $status

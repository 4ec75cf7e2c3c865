#!/bin/bash
# make profile: where one saturated session spends its time on each side.
# A release opensstpd and opensstp in two network namespaces (the
# integration cases' helpers), one iperf3 stream through the tunnel
# client->server ("up"), then server->client ("down"); during each,
# `perf record` samples both processes (kernel and user space, DWARF call
# graphs: the release build has no frame pointers, and neither has
# libcrypto).  Saved under bench/results/profile-DATE/:
#   SIDE-DIR.txt      perf report --stdio: flat profile by symbol, then by
#                     library, then the call graph of the top entries
#   SIDE-DIR.folded   folded stacks (one "a;b;c count" line per stack),
#                     for any flame graph tool (flamegraph.pl, inferno,
#                     speedscope); SIDE-DIR.svg beside it when
#                     flamegraph.pl is installed
#   summary.txt       throughput, congestion control, CPU per GB and the
#                     top entries per side, as printed at the end
# SIDE is server or client, DIR up or down.  As root:
#
#	make profile                      (= bench/profile.sh build)
#	SECONDS_RUN=10 FREQ=999 bench/profile.sh build
#
# PERF_DATA=1 keeps the perf.data files too (large: ~50 MB each).
set -uo pipefail

BUILD=${1:-build}
SECONDS_RUN=${SECONDS_RUN:-8}
FREQ=${FREQ:-499}
TOP=${TOP:-15}
export BUILD
TOP_DIR=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP_DIR/tests/integration/lib.sh"
OUT=${OUT:-$TOP_DIR/bench/results/profile-$(date +%Y%m%d-%H%M%S)}

grep -qa AddressSanitizer "$SERVER_BIN" &&
	it_fail "$SERVER_BIN is a sanitizer build: profile a release tree (make profile)"
command -v perf >/dev/null || "$TOP_DIR/tools/deps.sh" linux-perf ||
	it_fail "cannot install perf (linux-perf)"
command -v iperf3 >/dev/null || it_fail "no iperf3 (make deps)"
perf version >/dev/null 2>&1 || it_fail "perf does not run: $(perf version 2>&1 | head -1)"
it_require
mkdir -p "$OUT" || it_fail "cannot create $OUT"

# The protocol timers stay at the server's defaults: no echo or hello
# shows up in a profile of a few seconds.
IT_TIMERS_SRV=""
IT_TIMERS_CLI="--max-retries 0"
it_net 4
it_certs
it_users "alice s3cret"
it_server
it_client_up prof
cc=$(ip netns exec "$NS_C" sysctl -n net.ipv4.tcp_congestion_control)

ip netns exec "$NS_S" iperf3 -s -B $IN4_S -D --pidfile "$IT_TMP/iperf3.pid" \
	--logfile "$IT_TMP/iperf3.log" || it_fail "iperf3 server"
for _ in $(seq 50); do [ -s "$IT_TMP/iperf3.pid" ] && break; sleep 0.1; done
IT_PIDS+=("$(cat "$IT_TMP/iperf3.pid")")
it_wait_listen "$NS_S" 5201 5 || it_fail "iperf3 server not listening"

cpu_ms() { # PID: user + system CPU time in ms
	awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}

# perf script's stacks folded into "comm;outer;...;leaf count" lines
# (what flamegraph.pl's stackcollapse-perf.pl makes).
fold_stacks() {
	awk '
	/^[^ \t]/ { comm = $1; n = 0; next }
	/^[ \t]+[0-9a-f]+ / {
		sym = $2
		for (i = 3; i < NF; i++) sym = sym " " $i
		sub(/\+0x[0-9a-f]+$/, "", sym)
		if (sym == "[unknown]") {
			dso = $NF; gsub(/[()]/, "", dso); sub(/.*\//, "", dso)
			if (dso != "unknown") sym = "[" dso "]"
		}
		st[n++] = sym; next
	}
	/^$/ {
		if (n > 0) {
			s = comm
			for (i = n - 1; i >= 0; i--) s = s ";" st[i]
			count[s]++
		}
		n = 0
	}
	END { for (s in count) print s, count[s] }' | sort
}

# The flat profile's first TOP symbols, one line each: "pct dso sym".
top_symbols() { # REPORT_FILE
	awk -v top="$TOP" '
	/^# Overhead/ { on = 1; next }
	on && /^$/ { exit }
	on && /^ +[0-9.]+%/ && n < top {
		sym = $4
		for (i = 5; i <= NF; i++) sym = sym " " $i
		printf "    %7s  %-18s %s\n", $1, $2, sym; n++ }' "$1"
}

# perf report on one process of the two recorded.  comm leads the sort
# keys: an entry mixing both processes would be kept or dropped whole by
# --comm; percentages are of that process's samples.
report() { # DATA COMM ARGS...
	local data=$1 comm=$2
	shift 2
	perf report -i "$data" --comm "$comm" --percentage relative --stdio \
		--no-children "$@" 2>/dev/null
}

# Inclusive shares of the steps of the data path, from the folded
# stacks: the samples whose stack holds the frame (self time alone is
# misleading here: without a PMU in the VM, perf samples on a timer and
# lands where interrupts come back on, _raw_spin_unlock_irqrestore and
# finish_task_switch).
inclusive() { # FOLDED
	awk '
	BEGIN {
		n = split("tun_chr_write_iter:TUN write (the inner TCP runs inside it)|" \
			"tun_chr_read_iter:TUN read|SSL_write_ex:TLS write|" \
			"tcp_sendmsg:  outer TCP send|EVP_EncryptUpdate:  AES-GCM encrypt|" \
			"SSL_read_ex:TLS read|tcp_recvmsg:  outer TCP receive|" \
			"EVP_DecryptUpdate:  AES-GCM decrypt|schedule:sleeping and waking (schedule)", f, "|")
		for (i = 1; i <= n; i++) { split(f[i], kv, ":"); key[i] = kv[1]; what[i] = kv[2] }
	}
	{
		c = $NF; total += c; s = $0; sub(/ [0-9]+$/, ";", s)
		for (i = 1; i <= n; i++) if (index(s, ";" key[i] ";")) sum[i] += c
	}
	END {
		for (i = 1; i <= n; i++)
			printf "    %6.1f%%  %s\n", total ? 100 * sum[i] / total : 0, what[i]
	}' "$1"
}

# CPU time by library: the kernel, libcrypto, libssl, libc, ours.
by_dso() { # DATA COMM
	report "$1" "$2" --sort comm,dso --percent-limit 1 |
		awk '/^ +[0-9.]+%/ { printf "%s%s %s", sep, $1, $2; sep = ", " } END { print "" }'
}

profile() { # DIR (up: client->server, down: server->client)
	local dir=$1 R="" data="$IT_TMP/perf-$1.data" s0 c0 s1 c1 side comm pid
	[ "$dir" = down ] && R=-R
	s0=$(cpu_ms "$SERVER_PID") c0=$(cpu_ms "$CLIENT_PID")
	ip netns exec "$NS_C" iperf3 -c $IN4_S $R -t $((SECONDS_RUN + 2)) -J \
		>"$IT_TMP/iperf3-$dir.json" 2>&1 &
	local ipid=$!
	sleep 1 # past slow start
	perf record -q -e cpu-clock -F "$FREQ" --call-graph dwarf,16384 \
		-p "$SERVER_PID,$CLIENT_PID" -o "$data" -- sleep "$SECONDS_RUN" \
		>"$IT_TMP/perf-$dir.log" 2>&1 ||
		it_fail "perf record: $(tail -3 "$IT_TMP/perf-$dir.log")"
	wait $ipid || it_fail "iperf3 $dir: $(tail -3 "$IT_TMP/iperf3-$dir.json")"
	s1=$(cpu_ms "$SERVER_PID") c1=$(cpu_ms "$CLIENT_PID")
	read -r gbps bytes <<<"$(python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))["end"]["sum_received"]
print("%.2f %d" % (e["bits_per_second"] / 1e9, e["bytes"]))' "$IT_TMP/iperf3-$dir.json")"
	{
		echo "== $dir ($([ "$dir" = up ] && echo client to server || echo server to client)):" \
			"$gbps Gbit/s, congestion control $cc," \
			"CPU-s per GB: server $(awk -v c=$((s1 - s0)) -v b="$bytes" 'BEGIN { printf "%.2f", c / 1000 / (b / 1e9) }')" \
			"client $(awk -v c=$((c1 - c0)) -v b="$bytes" 'BEGIN { printf "%.2f", c / 1000 / (b / 1e9) }')"
	} | tee -a "$OUT/summary.txt"
	for side in server client; do
		comm=opensstpd pid=$SERVER_PID
		[ $side = client ] && comm=opensstp pid=$CLIENT_PID
		{
			echo "# $comm, iperf3 $dir, $gbps Gbit/s, $cc, perf cpu-clock ${FREQ} Hz for ${SECONDS_RUN} s"
			echo "# flat profile by symbol (self time)"
			report "$data" "$comm" --sort comm,dso,sym -g none \
				--percent-limit 0.3
			echo "# by library"
			report "$data" "$comm" --sort comm,dso -g none \
				--percent-limit 0.1
			echo "# call graph (callers of each entry above 2 %)"
			report "$data" "$comm" --sort comm,sym -g caller,2,callee \
				--percent-limit 2
		} >"$OUT/$side-$dir.txt"
		perf script -i "$data" --comm "$comm" 2>/dev/null | fold_stacks \
			>"$OUT/$side-$dir.folded"
		if command -v flamegraph.pl >/dev/null; then
			flamegraph.pl --title "$comm, iperf3 $dir" \
				<"$OUT/$side-$dir.folded" >"$OUT/$side-$dir.svg"
		fi
		{
			echo "  $comm by library: $(by_dso "$data" "$comm")"
			echo "  $comm, steps (inclusive):"
			inclusive "$OUT/$side-$dir.folded"
			echo "  $comm top symbols (self):"
			top_symbols "$OUT/$side-$dir.txt"
		} | tee -a "$OUT/summary.txt"
	done
	[ -n "${PERF_DATA:-}" ] && cp "$data" "$OUT/perf-$dir.data"
	rm -f "$data"
}

{
	echo "# make profile $(date -Is), $(uname -r), $(nproc) CPUs," \
		"$(openssl version | cut -d' ' -f1-2), iperf3 ${SECONDS_RUN} s per direction"
	echo "# release tree: $BUILD"
} >"$OUT/summary.txt"
profile up
profile down
it_stop "$CLIENT_PID"
it_stop "$SERVER_PID"
echo "profile: saved in $OUT"

# opensstp's rows with many sessions (bench/README.md): set-up rate with
# opensstp-load and the server's CPU per session, the server's RSS per
# idle session at 1 000, 10 000 (and 100 000) sessions, and the aggregate
# throughput of 1, 10 and 100 sessions each carrying its own TCP stream.
# Sourced by bench/run.sh after bench/lib.sh, bench/tunnel.sh and
# bench/providers/opensstp.sh; the opensstp provider is up (tun_up)
# around each function.

# Sessions set up per second with CONC at a time (each: TCP, TLS, HTTP,
# SSTP, MS-CHAPv2, binding, IPCP; held 1 ms), and the server's CPU per
# session.
sess_setup_rate() { # CONC SESSIONS
	local c=$1 n=$2 c0 c1 log=$BENCH_RUN/load-c$1.log rate lat
	c0=$(bench_cpu_ticks "$OSB_SERVER_PID")
	if ! opensstp_load "$log" --sessions "$n" --concurrency "$c" --hold-ms 1 \
		--timeout-ms 60000; then
		bench_row_failed "opensstp-load: $(head -3 "$log" | tr '\n' ' ')" \
			id=setup_rate_c$c group=sessions provider=opensstp \
			label="sessions set up per second, $c at a time" unit=setups/s better=higher
		return
	fi
	c1=$(bench_cpu_ticks "$OSB_SERVER_PID")
	rate=$(sed -nE 's/.*\(([0-9.]+) setups\/s\).*/\1/p' "$log")
	lat=$(sed -nE 's/setup latency: (.*)/\1/p' "$log")
	bench_row id=setup_rate_c$c group=sessions provider=opensstp \
		label="sessions set up per second, $c at a time ($n sessions)" \
		value="$rate" unit=setups/s better=higher ceiling=tls_hs_rate \
		concurrency="$c" sessions="$n" note="latency $lat"
	bench_row id=setup_cpu_c$c group=sessions provider=opensstp \
		label="server CPU per session set up, $c at a time" \
		value="$(bench_calc "($c1 - $c0) * 1000 / $BENCH_HZ / $n")" unit="CPU ms" \
		better=lower ceiling=tls_hs_server_ms concurrency="$c"
}

# The server's RSS per idle session with K held at once.
sess_idle_memory() { # K
	local k=$1 kb rc
	opensstp_mem_per_client "$k" >"$BENCH_RUN/mem$k.out" 2>>"$BENCH_RUN/providers.log"
	rc=$?
	kb=$(tail -1 "$BENCH_RUN/mem$k.out")
	if [ $rc = 0 ] && [[ $kb =~ ^-?[0-9.]+$ ]]; then
		bench_row id=mem_idle_$k group=sessions provider=opensstp \
			label="server RSS per idle session, $k sessions" value="$kb" \
			unit=KB better=lower ceiling=tls_idle_rss sessions="$k" note="$OSB_MEM_NOTE"
	elif [ $rc = 2 ]; then
		# This machine cannot hold K sessions: said, not faked.
		bench_log "NOT REACHED: $k idle sessions: $kb"
		bench_row id=mem_idle_$k group=sessions provider=opensstp status=skipped \
			label="server RSS per idle session, $k sessions" unit=KB better=lower \
			note="not reached on this machine: $kb"
	else
		bench_row_failed "$(tail -c 600 "$BENCH_RUN/mem$k.out" | tr '\n' ' ')" \
			id=mem_idle_$k group=sessions provider=opensstp \
			label="server RSS per idle session, $k sessions" unit=KB better=lower
	fi
}

# N clients, each with its own tunnel and its own iperf3 stream to the
# server's tunnel address (one iperf3 server per stream), all at once,
# client -> server; the sum of what the servers received.  Each client's
# own counter of bytes sent must cover its stream.
sess_aggregate() { # N
	local n=$1 i port sum=0 bytes bps why='' out spids=() cpids=() f
	f=$BENCH_RUN/agg$n-$CC_NAME
	if ! opensstp_clients_up "$n" >"$f.up" 2>&1; then
		opensstp_clients_down
		bench_row_failed "$(tail -1 "$f.up")" id=agg_up_$n group=sessions \
			provider=opensstp cc="$CC_NAME" unit=Gbit/s better=higher \
			label="aggregate throughput of $n session(s), each with its own stream (client→server)"
		return
	fi
	for ((i = 0; i < n; i++)); do
		port=$((5301 + i))
		bench_bg "$f-s$i.log" ip netns exec "$NS_S" iperf3 -s -1 -B "$OSB_INNER" -p $port
		spids+=("$BENCH_BG_PID")
	done
	for ((i = 0; i < n; i++)); do
		bench_wait_listen "$NS_S" $((5301 + i)) 10 || why="iperf3 -s on port $((5301 + i)) did not start"
	done
	if [ -z "$why" ]; then
		for ((i = 0; i < n; i++)); do
			ip netns exec "$NS_C" iperf3 -c "$OSB_INNER" -p $((5301 + i)) \
				-B "${OSB_EXTRA_ADDRS[$i]}" --bind-dev "${OSB_EXTRA_TUNS[$i]}" \
				-t "$AGG_T" -J >"$f-c$i.json" 2>&1 &
			cpids+=($!)
		done
		wait "${cpids[@]}"
	fi
	for i in "${spids[@]}"; do
		bench_stop "$i" 2
	done
	opensstp_clients_down
	local -a files=() res=()
	for ((i = 0; i < n; i++)); do
		files+=("$f-c$i.json")
	done
	[ -z "$why" ] && mapfile -t res < <(bench_iperf3_received "${files[@]}")
	for ((i = 0; i < n; i++)); do
		[ -z "$why" ] || break
		read -r bytes bps <<<"${res[$i]}"
		if [ "$bytes" = - ]; then
			why="iperf3 of session $((i + 1)): $(tail -c 200 "${files[$i]}" | tr '\n' ' ')"
			break
		fi
		out=$(grep -o "session end: bytes_in=[0-9]* bytes_out=[0-9]*" \
			"${OSB_EXTRA_LOGS[$i]}" | tail -1 | sed -E 's/.*bytes_out=//')
		[ -n "$out" ] && [ "$out" -ge "$bytes" ] ||
			why="client $((i + 1)) counted ${out:-no} bytes out < $bytes iperf3 received"
		sum=$(bench_calc "$sum + $bps" %.0f)
	done
	if [ -n "$why" ]; then
		bench_row_failed "$why" id=agg_up_$n group=sessions provider=opensstp \
			cc="$CC_NAME" unit=Gbit/s better=higher \
			label="aggregate throughput of $n session(s), each with its own stream (client→server)"
		return
	fi
	bench_row id=agg_up_$n group=sessions provider=opensstp cc="$CC_NAME" \
		label="aggregate throughput of $n session(s), each with its own stream (client→server)" \
		value="$(bench_calc "$sum / 1e9")" unit=Gbit/s better=higher ceiling=veth1400 \
		sessions="$n" seconds="$AGG_T"
}

# Every row of this file, in order, each on a server of its own (the
# opensstp provider's up and down); RATE_RUNS, MEM_KS, AGG_NS, AGG_T,
# AGG_ALL_CCS, CCS and DEFAULT_CC from bench/run.sh.
sess_rows() {
	local cc k n run
	bench_log "opensstp: set-up rate"
	if tun_up opensstp ""; then
		for run in $RATE_RUNS; do
			sess_setup_rate "${run%%:*}" "${run#*:}"
		done
		tun_down opensstp
	else
		bench_row_failed "up: $TUN_WHY" id=setup_rate group=sessions provider=opensstp \
			label="sessions set up per second"
	fi
	# A fresh server for each count: memory freed by earlier
	# sessions would be reused by the next ones.
	for k in $MEM_KS; do
		bench_log "opensstp: $k idle sessions"
		if tun_up opensstp ""; then
			sess_idle_memory "$k"
			tun_down opensstp
		else
			bench_row_failed "up: $TUN_WHY" id=mem_idle_$k group=sessions \
				provider=opensstp label="server RSS per idle session, $k sessions"
		fi
	done
	for cc in "${CCS[@]}"; do
		[ "$cc" != "$DEFAULT_CC" ] && [ $AGG_ALL_CCS = 0 ] && continue
		bench_set_cc "$cc"
		bench_log "opensstp: aggregate throughput ($cc)"
		if tun_up opensstp ""; then
			for n in $AGG_NS; do
				sess_aggregate "$n"
			done
			tun_down opensstp
		else
			bench_row_failed "up: $TUN_WHY" id=agg_up group=sessions provider=opensstp \
				cc="$cc" label="aggregate throughput"
		fi
	done
	bench_set_cc "$DEFAULT_CC"
}

# The rows every provider gets (bench/README.md): one TCP stream through
# the tunnel each way with the CPU of both ends, the RTT idle and under
# load, the set-up time, the server's memory per client.  Sourced by
# bench/run.sh after bench/lib.sh; needs T, IDLE_PINGS, BENCH_RUN.
#
# The byte check: iperf3's payload must have gone through the tunnel.
# Every provider's client tunnel interface (P_TUN_C) must count at least
# the bytes iperf3 received, in the direction of the stream; a provider
# that defines NAME_counters (opensstp: the server's session end line)
# must count them too.  A row that fails it is reported FAILED.

# Run the provider's up; sets BENCH_PROVIDER so that the clean-up brings
# it down.  The reason of a failure in TUN_WHY.
tun_up() { # FUNC VARIANT
	local f=$1 v=$2
	P_INNER_S='' P_TUN_C='' P_SERVER_PIDS='' P_CLIENT_PIDS='' P_SETUP_MS=''
	BENCH_PROVIDER=$f
	if ! "${f}_up" ${v:+"$v"} >"$BENCH_RUN/up.out" 2>>"$BENCH_RUN/providers.log"; then
		TUN_WHY=$(tail -1 "$BENCH_RUN/up.out")
		"${f}_down" >/dev/null 2>>"$BENCH_RUN/providers.log"
		BENCH_PROVIDER=
		return 1
	fi
	if [ -z "$P_INNER_S" ] || [ -z "$P_TUN_C" ] || [ -z "$P_SETUP_MS" ]; then
		TUN_WHY="${f}_up set no P_INNER_S, P_TUN_C or P_SETUP_MS"
		tun_down "$f"
		return 1
	fi
	TUN_SETUPS+=("$P_SETUP_MS")
	return 0
}

tun_down() { # FUNC
	"${1}_down" >/dev/null 2>>"$BENCH_RUN/providers.log"
	BENCH_PROVIDER=
}

# One stream through the tunnel: DIR up (NS_C -> NS_S) or down (-R).
# Sets TUN_R_* for tun_rows.
tun_stream() { # DIR FILEPREFIX
	local dir=$1 f=$2 r='' ipid c0s c0c c1s c1c k0 k1 kdir
	[ "$dir" = down ] && r=-R
	kdir=$([ "$dir" = up ] && echo tx || echo rx)
	k0=$(bench_if_bytes "$NS_C" "$P_TUN_C" "$kdir")
	# shellcheck disable=SC2086
	c0s=$(bench_cpu_ticks $P_SERVER_PIDS)
	# shellcheck disable=SC2086
	c0c=$(bench_cpu_ticks $P_CLIENT_PIDS)
	ip netns exec "$NS_C" iperf3 -c "$P_INNER_S" -p 5201 -t "$T" $r -J \
		>"$f.json" 2>&1 &
	ipid=$!
	# The ping starts after slow start and ends before the stream does.
	sleep 1
	ip netns exec "$NS_C" ping -n -i 0.2 -c $(((T - 2) * 5)) "$P_INNER_S" \
		>"$f.ping" 2>&1
	wait $ipid
	# shellcheck disable=SC2086
	c1s=$(bench_cpu_ticks $P_SERVER_PIDS)
	# shellcheck disable=SC2086
	c1c=$(bench_cpu_ticks $P_CLIENT_PIDS)
	k1=$(bench_if_bytes "$NS_C" "$P_TUN_C" "$kdir")
	TUN_R_BYTES=$(bench_iperf3_field "$f.json" sum_received.bytes) || TUN_R_BYTES=
	TUN_R_BPS=$(bench_iperf3_field "$f.json" sum_received.bits_per_second) || TUN_R_BPS=
	TUN_R_RETR=$(bench_iperf3_field "$f.json" sum_sent.retransmits) || TUN_R_RETR=
	TUN_R_CC=$(bench_iperf3_field "$f.json" sender_tcp_congestion) || TUN_R_CC=
	TUN_R_CPU_S=$(bench_calc "($c1s - $c0s) / $BENCH_HZ")
	TUN_R_CPU_C=$(bench_calc "($c1c - $c0c) / $BENCH_HZ")
	TUN_R_IF=$((k1 - k0))
	[ "$k0" -ge 0 ] && [ "$k1" -ge 0 ] || TUN_R_IF=-1
	TUN_R_PING=$(bench_ping_stats "$f.ping")
}

# The rows of one direction, after the checks.  WHY is "" or the reason
# the figures cannot be trusted.
tun_rows() { # NAME DIR WHY
	local name=$1 dir=$2 why=$3 gb st ping idle side
	local -a common=(group=tunnel provider="$name" cc="$CC_NAME")
	st=ok
	[ -n "$why" ] && st=failed
	if [ -z "$TUN_R_BYTES" ]; then
		bench_row_failed "iperf3 $dir: $(tail -c 200 "$BENCH_RUN/$name-$CC_NAME-$dir.json" | tr '\n' ' ')" \
			id=tput_$dir "${common[@]}" unit=Gbit/s better=higher \
			label="one TCP stream $dir ($([ "$dir" = up ] && echo client→server || echo server→client))"
		return
	fi
	# The stream must have run under the congestion control its row names.
	if [ -n "$TUN_R_CC" ] && [ "$TUN_R_CC" != "$CC_NAME" ]; then
		why="${why:+$why; }iperf3's sender used $TUN_R_CC, not $CC_NAME"
		st=failed
	fi
	[ "$st" = failed ] && bench_log "ROW FAILED: $name $dir ($CC_NAME): $why" &&
		BENCH_FAILED=$((BENCH_FAILED + 1))
	gb=$(bench_calc "$TUN_R_BYTES / 1e9" %.6f)
	bench_row id=tput_$dir "${common[@]}" status=$st note="$why" \
		label="one TCP stream $dir ($([ "$dir" = up ] && echo client→server || echo server→client))" \
		value="$(bench_calc "$TUN_R_BPS / 1e9")" unit=Gbit/s better=higher \
		ceiling=veth1400 bytes="$TUN_R_BYTES" tun_bytes="$TUN_R_IF" \
		retransmits="$TUN_R_RETR" seconds="$T" cc_seen="$TUN_R_CC"
	# The server receives going up and sends going down; the client the
	# other way round: each is divided by the TLS side it plays.
	side=$([ "$dir" = up ] && echo recv || echo send)
	bench_row id=cpu_server_$dir "${common[@]}" status=$st \
		label="server CPU per GB, $dir" value="$(bench_calc "$TUN_R_CPU_S / $gb")" \
		unit="CPU s/GB" better=lower ceiling=tls_${side}_cpu_16k cpu_s="$TUN_R_CPU_S"
	side=$([ "$dir" = up ] && echo send || echo recv)
	bench_row id=cpu_client_$dir "${common[@]}" status=$st \
		label="client CPU per GB, $dir" value="$(bench_calc "$TUN_R_CPU_C / $gb")" \
		unit="CPU s/GB" better=lower ceiling=tls_${side}_cpu_16k cpu_s="$TUN_R_CPU_C"
	bench_row id=cpu_both_$dir "${common[@]}" status=$st \
		label="server + client CPU per GB, $dir" \
		value="$(bench_calc "($TUN_R_CPU_S + $TUN_R_CPU_C) / $gb")" \
		unit="CPU s/GB" better=lower ceiling=tls_both_cpu_16k
	read -r -a ping <<<"$TUN_R_PING"
	read -r -a idle <<<"$TUN_IDLE"
	bench_row id=rtt_load_$dir "${common[@]}" \
		label="ping RTT under load ($dir), median" value="${ping[0]}" unit=ms \
		better=lower ceiling=veth1400_rtt_load samples="${ping[2]}"
	bench_row id=rtt_load_p90_$dir "${common[@]}" \
		label="ping RTT under load ($dir), p90" value="${ping[1]}" unit=ms \
		better=lower ceiling=veth1400_rtt_load_p90 samples="${ping[2]}"
	if [ "${ping[0]}" != - ] && [ "${idle[0]}" != - ]; then
		bench_row id=rtt_added_$dir "${common[@]}" \
			label="RTT under load ($dir) minus idle, medians" \
			value="$(bench_calc "${ping[0]} - ${idle[0]}")" unit=ms better=lower
	fi
}

# Everything one provider (variant) gets under the current congestion
# control: up, idle ping, a stream each way, down, checks, rows.
tun_measure() { # NAME FUNC VARIANT
	local name=$1 f=$2 v=$3 why_up='' why_down='' counters bin bout b_up=''
	local pre=$BENCH_RUN/$name-$CC_NAME idle
	if ! tun_up "$f" "$v"; then
		bench_row_failed "up: $TUN_WHY" id=tput_up group=tunnel provider="$name" \
			cc="$CC_NAME" label="one TCP stream up (client→server)" unit=Gbit/s better=higher
		return 1
	fi
	ip netns exec "$NS_C" ping -n -i 0.2 -c "$IDLE_PINGS" "$P_INNER_S" >"$pre-idle.ping" 2>&1
	TUN_IDLE=$(bench_ping_stats "$pre-idle.ping")
	bench_bg "$pre-iperf3s.log" ip netns exec "$NS_S" iperf3 -s -B "$P_INNER_S" -p 5201
	local spid=$BENCH_BG_PID
	if ! bench_wait_listen "$NS_S" 5201 5; then
		bench_stop "$spid"
		tun_down "$f"
		bench_row_failed "iperf3 -s on $P_INNER_S: $(tail -1 "$pre-iperf3s.log")" \
			id=tput_up group=tunnel provider="$name" cc="$CC_NAME" \
			label="one TCP stream up (client→server)" unit=Gbit/s better=higher
		return 1
	fi
	tun_stream up "$pre-up"
	local up_bytes=$TUN_R_BYTES up_if=$TUN_R_IF
	local -a up_r=("$TUN_R_BYTES" "$TUN_R_BPS" "$TUN_R_RETR" "$TUN_R_CPU_S" "$TUN_R_CPU_C" "$TUN_R_IF" "$TUN_R_PING" "$TUN_R_CC")
	tun_stream down "$pre-down"
	bench_stop "$spid" 2
	tun_down "$f"
	# The checks, then the rows.
	[ -n "$up_bytes" ] && [ "$up_if" -lt "$up_bytes" ] &&
		why_up="$P_TUN_C sent $up_if bytes < $up_bytes iperf3 received: traffic bypassed the tunnel"
	[ -n "$TUN_R_BYTES" ] && [ "$TUN_R_IF" -lt "$TUN_R_BYTES" ] &&
		why_down="$P_TUN_C received $TUN_R_IF bytes < $TUN_R_BYTES iperf3 received: traffic bypassed the tunnel"
	if declare -F "${f}_counters" >/dev/null; then
		if counters=$("${f}_counters"); then
			read -r bin bout <<<"$counters"
			[ -n "$up_bytes" ] && [ "$bin" -lt "$up_bytes" ] &&
				why_up="${why_up:+$why_up; }server session counted $bin bytes in < $up_bytes iperf3 received"
			[ -n "$TUN_R_BYTES" ] && [ "$bout" -lt "$TUN_R_BYTES" ] &&
				why_down="${why_down:+$why_down; }server session counted $bout bytes out < $TUN_R_BYTES iperf3 received"
			b_up="server session bytes in $bin, out $bout"
		else
			why_up="no session end line with counters from ${f}_counters"
			why_down=$why_up
		fi
	fi
	[ -n "$b_up" ] && bench_log "$name ($CC_NAME): $b_up; iperf3 up $up_bytes, down $TUN_R_BYTES"
	local -a down_r=("$TUN_R_BYTES" "$TUN_R_BPS" "$TUN_R_RETR" "$TUN_R_CPU_S" "$TUN_R_CPU_C" "$TUN_R_IF" "$TUN_R_PING" "$TUN_R_CC")
	TUN_R_BYTES=${up_r[0]} TUN_R_BPS=${up_r[1]} TUN_R_RETR=${up_r[2]} TUN_R_CPU_S=${up_r[3]}
	TUN_R_CPU_C=${up_r[4]} TUN_R_IF=${up_r[5]} TUN_R_PING=${up_r[6]} TUN_R_CC=${up_r[7]}
	tun_rows "$name" up "$why_up"
	TUN_R_BYTES=${down_r[0]} TUN_R_BPS=${down_r[1]} TUN_R_RETR=${down_r[2]} TUN_R_CPU_S=${down_r[3]}
	TUN_R_CPU_C=${down_r[4]} TUN_R_IF=${down_r[5]} TUN_R_PING=${down_r[6]} TUN_R_CC=${down_r[7]}
	tun_rows "$name" down "$why_down"
	read -r -a idle <<<"$TUN_IDLE"
	bench_row id=rtt_idle group=tunnel provider="$name" cc="$CC_NAME" \
		label="ping RTT idle, median" value="${idle[0]}" unit=ms better=lower \
		ceiling=veth1400_rtt_idle samples="${idle[2]}"
	bench_row id=rtt_idle_p90 group=tunnel provider="$name" cc="$CC_NAME" \
		label="ping RTT idle, p90" value="${idle[1]}" unit=ms better=lower \
		ceiling=veth1400_rtt_idle_p90 samples="${idle[2]}"
}

# Set-up time: REPS more up/down cycles; the median of every up of this
# provider in the run (TUN_SETUPS, reset by the caller).
tun_setup_rows() { # NAME FUNC VARIANT REPS
	local name=$1 f=$2 v=$3 i med
	for ((i = 0; i < $4; i++)); do
		tun_up "$f" "$v" || break
		tun_down "$f"
	done
	[ ${#TUN_SETUPS[@]} -gt 0 ] || return 0
	med=$(printf '%s\n' "${TUN_SETUPS[@]}" | sort -n |
		awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	bench_row id=setup_ms group=tunnel provider="$name" \
		label="client start to first ping through the tunnel, median" \
		value="$med" unit=ms better=lower ceiling=tls_hs_ms \
		samples="${#TUN_SETUPS[@]}" all="$(IFS=,; echo "${TUN_SETUPS[*]}")"
}

# The server's growth in private memory per client with K more clients.
# Private pages (Private_Clean + Private_Dirty), not RSS: ocserv forks a
# worker per client, and summing RSS over them counts every shared library
# page once per worker (6.5 MB a client instead of the ~0.7 MB it adds).
# For a one-process server (opensstpd, OpenVPN, SoftEther) the two agree.
tun_mem_row() { # NAME FUNC VARIANT K
	local name=$1 f=$2 v=$3 k=$4 kb rc
	local label="server private memory per connected client ($k clients)"
	if ! tun_up "$f" "$v"; then
		bench_row_failed "up: $TUN_WHY" id=mem_per_client group=tunnel provider="$name" \
			label="$label" unit=KB better=lower
		return
	fi
	# Not in a subshell: the provider keeps track of what it starts.
	BENCH_MEM=private PV_MEM=uss "${f}_mem_per_client" "$k" \
		>"$BENCH_RUN/mem.out" 2>>"$BENCH_RUN/providers.log"
	rc=$?
	kb=$(tail -1 "$BENCH_RUN/mem.out")
	if [ $rc = 0 ] && [[ $kb =~ ^-?[0-9.]+$ ]]; then
		bench_row id=mem_per_client group=tunnel provider="$name" \
			label="$label" value="$kb" \
			unit=KB better=lower ceiling=tls_idle_rss clients="$k"
	else
		bench_row_failed "${f}_mem_per_client $k: $(echo "$kb" | tail -1)" \
			id=mem_per_client group=tunnel provider="$name" \
			label="$label" unit=KB better=lower
	fi
	tun_down "$f"
}

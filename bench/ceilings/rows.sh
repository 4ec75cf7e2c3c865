# The ceilings of `make bench`: what this machine can do at best, measured
# in the same run as the tunnels, so that every tunnel figure is read as a
# ratio (bench/README.md).  Sourced by bench/run.sh after bench/lib.sh;
# needs BENCH_RUN, BUILD, the namespaces, CEIL_CERTS (a bench_certs
# directory: ECDSA P-256, the key type of the opensstp rows), CEIL_TLS
# ("TLSv1.3 TLS_AES_256_GCM_SHA384": what opensstpd negotiated in this
# run), CEIL_T (seconds per run), T (iperf3 seconds), IDLE_PINGS.

CEIL_BIN=$BUILD/bench/ceilings

# The tls-* programs' common arguments: the certificate, and the version
# and suite opensstpd negotiated.
ceil_tls_args() {
	local v=${CEIL_TLS%% *} s=${CEIL_TLS#* }
	echo --cert "$CEIL_CERTS/server.crt" --key "$CEIL_CERTS/server.key" \
		--ca "$CEIL_CERTS/ca.crt"
	case "$v" in
	TLSv1.3) echo --tls 1.3 --suite "$s" ;;
	TLSv1.2) echo --tls 1.2 --suite "$s" ;;
	esac
}

# A key=value field of a ceiling program's output line.
ceil_field() { # LINE KEY
	echo "$1" | grep -o "$2=[^ ]*" | head -1 | cut -d= -f2 | tr -d '"'
}

# TLS bulk over loopback (in NS_S), 16 KiB and 1400-byte writes, under the
# current congestion control: wall Gbit/s, and each side's CPU seconds
# per GB, the floor of a tunnel end's CPU per GB.
ceil_tls_bulk() {
	local size tag out bytes gb
	for size in 16384 1400; do
		tag=$([ $size = 16384 ] && echo 16k || echo 1400)
		# shellcheck disable=SC2046
		if ! out=$(ip netns exec "$NS_S" "$CEIL_BIN/tls-bulk" $(ceil_tls_args) \
			--size $size --seconds "$CEIL_T" 2>&1); then
			bench_row_failed "tls-bulk: $(echo "$out" | tail -1)" id=tls_bulk_$tag \
				group=ceiling cc="$CC_NAME" label="TLS bulk, $size-byte writes"
			continue
		fi
		bytes=$(ceil_field "$out" bytes)
		gb=$(bench_calc "$bytes / 1e9" %.6f)
		bench_row id=tls_bulk_$tag group=ceiling cc="$CC_NAME" \
			label="TLS bulk over loopback, $size-byte writes" \
			value="$(ceil_field "$out" gbps)" unit=Gbit/s better=higher \
			suite="$CEIL_TLS" bytes="$bytes" short="TLS $size-B writes"
		bench_row id=tls_send_cpu_$tag group=ceiling cc="$CC_NAME" \
			label="TLS sender CPU per GB, $size-byte writes" \
			value="$(bench_calc "$(ceil_field "$out" send_cpu_s) / $gb")" \
			unit="CPU s/GB" better=lower short="TLS send, $size-B writes"
		bench_row id=tls_recv_cpu_$tag group=ceiling cc="$CC_NAME" \
			label="TLS receiver CPU per GB, $size-byte writes" \
			value="$(bench_calc "$(ceil_field "$out" recv_cpu_s) / $gb")" \
			unit="CPU s/GB" better=lower short="TLS receive, $size-B reads"
		bench_row id=tls_both_cpu_$tag group=ceiling cc="$CC_NAME" \
			label="TLS both ends' CPU per GB, $size-byte writes" \
			value="$(bench_calc "($(ceil_field "$out" send_cpu_s) + $(ceil_field "$out" recv_cpu_s)) / $gb")" \
			unit="CPU s/GB" better=lower short="TLS both ends, $size-B writes"
	done
}

# iperf3 NS_C -> NS_S over the bare veth, with a ping beside it (the RTT
# ceiling under load) and an idle ping before.  TAG names the rows.
ceil_veth_run() { # TAG LABEL SHORT
	local tag=$1 label=$2 short=$3 f=$BENCH_RUN/veth-$1-$CC_NAME ipid bps stats
	ip netns exec "$NS_C" ping -n -i 0.2 -c "$IDLE_PINGS" $OUTER_S >"$f.idle" 2>&1
	bench_bg "$f.srv" ip netns exec "$NS_S" iperf3 -s -1 -B $OUTER_S -p 5199
	local spid=$BENCH_BG_PID
	bench_wait_listen "$NS_S" 5199 5
	ip netns exec "$NS_C" iperf3 -c $OUTER_S -p 5199 -t "$T" -J >"$f.json" 2>&1 &
	ipid=$!
	sleep 1
	ip netns exec "$NS_C" ping -n -i 0.2 -c $(((T - 2) * 5)) $OUTER_S >"$f.load" 2>&1
	wait $ipid
	bench_stop "$spid" 2
	if ! bps=$(bench_iperf3_field "$f.json" sum_received.bits_per_second); then
		bench_row_failed "iperf3: $(tail -c 200 "$f.json" | tr '\n' ' ')" \
			id="$tag" group=ceiling cc="$CC_NAME" label="$label"
		return
	fi
	bench_row id="$tag" group=ceiling cc="$CC_NAME" label="$label" \
		value="$(bench_calc "$bps / 1e9")" unit=Gbit/s better=higher short="$short" \
		cc_seen="$(bench_iperf3_field "$f.json" sender_tcp_congestion)"
	read -r -a stats <<<"$(bench_ping_stats "$f.load")"
	bench_row id="${tag}_rtt_load" group=ceiling cc="$CC_NAME" \
		label="ping RTT beside that iperf3 ($short), median" short="$short, loaded" \
		value="${stats[0]}" unit=ms better=lower samples="${stats[2]}"
	bench_row id="${tag}_rtt_load_p90" group=ceiling cc="$CC_NAME" \
		label="ping RTT beside that iperf3 ($short), p90" short="$short, loaded" \
		value="${stats[1]}" unit=ms better=lower samples="${stats[2]}"
	read -r -a stats <<<"$(bench_ping_stats "$f.idle")"
	bench_row id="${tag}_rtt_idle" group=ceiling cc="$CC_NAME" \
		label="ping RTT ($short), idle, median" short="$short, idle" \
		value="${stats[0]}" unit=ms better=lower samples="${stats[2]}"
	bench_row id="${tag}_rtt_idle_p90" group=ceiling cc="$CC_NAME" \
		label="ping RTT ($short), idle, p90" short="$short, idle" \
		value="${stats[1]}" unit=ms better=lower samples="${stats[2]}"
}

# The veth at MTU 1400 without TSO/GSO/GRO (TCP one packet at a time, as
# inside a tunnel without offloads), then at 1500 with the defaults; the
# defaults are put back for the tunnels.
ceil_veth() {
	if bench_veth 1400 off; then
		ceil_veth_run veth1400 "iperf3 over the bare veth, MTU 1400, TSO/GSO/GRO off" \
			"bare veth 1400, no offloads"
	else
		bench_row_failed "cannot set MTU 1400 and offloads off (ethtool)" \
			id=veth1400 group=ceiling cc="$CC_NAME"
	fi
	bench_veth 1500 on || bench_die "cannot put the veth back to MTU 1500 with offloads"
	ceil_veth_run veth1500 "iperf3 over the bare veth, MTU 1500, default offloads" \
		"bare veth 1500"
}

# Full TLS handshakes with the certificate of the opensstp rows: two
# client processes against two server processes on 127.0.0.1 (wall rate),
# the servers' CPU per handshake (what a local generator cannot hide),
# and one handshake's latency with a single client.
ceil_tls_hs() {
	local out out1 per
	# shellcheck disable=SC2046
	if ! out=$(ip netns exec "$NS_S" "$CEIL_BIN/tls-hs" $(ceil_tls_args) \
		--clients 2 --seconds "$CEIL_T" 2>&1); then
		bench_row_failed "tls-hs: $(echo "$out" | tail -1)" id=tls_hs_rate group=ceiling
		return
	fi
	bench_row id=tls_hs_rate group=ceiling \
		label="full TLS handshakes/s, 2 clients, 2 servers (ECDSA P-256)" \
		value="$(ceil_field "$out" hs_per_s)" unit=hs/s better=higher suite="$CEIL_TLS" \
		short="TLS handshakes"
	per=$(bench_calc "$(ceil_field "$out" server_cpu_s) * 1000 / $(ceil_field "$out" server_handshakes)")
	bench_row id=tls_hs_server_ms group=ceiling \
		label="server CPU per full TLS handshake" value="$per" unit="CPU ms" better=lower \
		short="TLS handshake"
	bench_row id=tls_hs_per_core group=ceiling \
		label="full TLS handshakes per server CPU-second" \
		value="$(bench_calc "1000 / $per" %.1f)" unit=hs/s better=higher
	# shellcheck disable=SC2046
	if out1=$(ip netns exec "$NS_S" "$CEIL_BIN/tls-hs" $(ceil_tls_args) \
		--clients 1 --seconds 1 2>&1); then
		bench_row id=tls_hs_ms group=ceiling \
			label="one TCP connect + full TLS handshake + close, one client" \
			value="$(bench_calc "1000 / $(ceil_field "$out1" hs_per_s)")" unit=ms better=lower \
			short="TCP + TLS handshake"
	else
		bench_row_failed "tls-hs: $(echo "$out1" | tail -1)" id=tls_hs_ms group=ceiling
	fi
}

# RSS per idle TLS connection on the server side, buffers released (the
# opensstp memory rows' ceiling) and kept (for comparison).
ceil_tls_mem() {
	local out rb id label
	for rb in --release-buffers ""; do
		if [ -n "$rb" ]; then
			id=tls_idle_rss label="RSS per idle TLS connection, SSL_MODE_RELEASE_BUFFERS"
		else
			id=tls_idle_rss_kept label="RSS per idle TLS connection, buffers kept"
		fi
		# shellcheck disable=SC2046
		if out=$(ip netns exec "$NS_S" "$CEIL_BIN/tls-mem" $(ceil_tls_args) \
			--count "$CEIL_MEM_N" $rb 2>&1); then
			bench_row id=$id group=ceiling label="$label" \
				value="$(ceil_field "$out" kb_per_conn)" unit=KB better=lower \
				count="$CEIL_MEM_N" short="idle TLS conn."
		else
			bench_row_failed "tls-mem: $(echo "$out" | tail -1)" id=$id group=ceiling
		fi
	done
}

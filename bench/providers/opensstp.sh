# make bench provider: our own release opensstpd in NS_S and opensstp in
# NS_C (the interface is in bench/README.md, "Providers").  The server
# runs with its defaults (one worker, MS-CHAPv2, the crypto binding
# required, TLS as OpenSSL offers it) apart from what a benchmark with
# many sessions from one address needs: no per-source or total session
# limit and a /14 pool.  Its certificate is ECDSA P-256 from a throw-away
# CA, the key type of the TLS ceilings.  Beyond the interface:
#   opensstp_counters        after _down: "BYTES_IN BYTES_OUT" of the
#                            client's session, from the server's end line
#   opensstp_load LOG ARGS   opensstp-load in NS_C against the server
#   opensstp_clients_up N    N more clients (tunnels osb1..osbN);
#                            OSB_EXTRA_TUNS, OSB_EXTRA_ADDRS, _LOGS set
#   opensstp_clients_down    stops them
# Sourced by bench/run.sh after bench/lib.sh (bench_* helpers).

OSB_POOL=10.128.0.0/14
OSB_INNER=10.128.0.1
OSB_TUN=osb0
OSB_SERVER_PID=
OSB_CLIENT_PID=
OSB_EXTRA_PIDS=()
OSB_MEM_NOTE=

opensstp_available() {
	if [ ! -x "$BUILD/bin/opensstpd" ] || [ ! -x "$BUILD/bin/opensstp" ] ||
		[ ! -x "$BUILD/bin/opensstp-load" ]; then
		echo "no opensstpd, opensstp or opensstp-load in $BUILD/bin"
		return 1
	fi
	if grep -qa AddressSanitizer "$BUILD/bin/opensstpd"; then
		echo "$BUILD is a sanitizer build: benchmark a release tree"
		return 1
	fi
}

# Certificates and the users file, once per WORK.
osb_prepare() {
	OSB_DIR=$WORK/opensstp
	[ -e "$OSB_DIR/server.crt" ] && return 0
	bench_certs "$OSB_DIR" || return 1
	printf 'alice s3cret\n' >"$OSB_DIR/users"
}

osb_server_start() {
	local log=$OSB_DIR/server.log ready i
	ready=$(grep -c "INFO: ready:" "$log" 2>/dev/null)
	ip netns exec "$NS_S" "$BUILD/bin/opensstpd" --listen "$OUTER_S:443" \
		--cert "$OSB_DIR/server.crt" --key "$OSB_DIR/server.key" \
		--users "$OSB_DIR/users" --pool4 $OSB_POOL \
		--max-per-source 0 --max-sessions 0 >>"$log" 2>&1 &
	OSB_SERVER_PID=$!
	for ((i = 0; i < 200; i++)); do
		[ "$(grep -c "INFO: ready:" "$log" 2>/dev/null)" -gt "${ready:-0}" ] &&
			return 0
		kill -0 "$OSB_SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "opensstpd did not start: $(tail -2 "$log")"
	return 1
}

# A client on TUN; its PID in OSB_STARTED_PID.
osb_client_start() { # TUN LOG
	ip netns exec "$NS_C" "$BUILD/bin/opensstp" --user alice \
		--password s3cret --ca-file "$OSB_DIR/ca.crt" --tun "$1" \
		--no-routes --no-reconnect --max-retries 0 server.test \
		>>"$2" 2>&1 &
	OSB_STARTED_PID=$!
}

opensstp_up() {
	local t0
	osb_prepare || {
		echo "cannot make certificates"
		return 1
	}
	osb_server_start || return 1
	# The client's session is the first to start after this line.
	OSB_MARK=$(wc -l <"$OSB_DIR/server.log")
	OSB_CLIENT_LOG=$OSB_DIR/client.log
	: >"$OSB_CLIENT_LOG"
	t0=$(bench_ms)
	osb_client_start $OSB_TUN "$OSB_CLIENT_LOG"
	OSB_CLIENT_PID=$OSB_STARTED_PID
	if ! P_SETUP_MS=$(bench_first_ping "$NS_C" $OSB_INNER "$t0" 20 "$OSB_CLIENT_PID"); then
		echo "no ping through the tunnel: $(tail -1 "$OSB_CLIENT_LOG")"
		opensstp_down
		return 1
	fi
	P_INNER_S=$OSB_INNER
	P_TUN_C=$OSB_TUN
	P_SERVER_PIDS=$OSB_SERVER_PID
	P_CLIENT_PIDS=$OSB_CLIENT_PID
	# "TLSv1.3 TLS_AES_256_GCM_SHA384", for the ceilings' suite.
	P_TLS=$(sed -nE 's/.* up: (TLSv[0-9.]+ [A-Za-z0-9_-]+) via .*/\1/p' \
		"$OSB_CLIENT_LOG" | tail -1)
}

opensstp_down() {
	opensstp_clients_down
	[ -n "$OSB_CLIENT_PID" ] && bench_stop "$OSB_CLIENT_PID" 10
	[ -n "$OSB_SERVER_PID" ] && bench_stop "$OSB_SERVER_PID" 15
	OSB_CLIENT_PID='' OSB_SERVER_PID=''
	P_SERVER_PIDS='' P_CLIENT_PIDS=''
	return 0
}

# The client's session in the server's log (after _down): its end line's
# bytes_in (from the client) and bytes_out (to it).
opensstp_counters() {
	local id end
	id=$(tail -n +$((OSB_MARK + 1)) "$OSB_DIR/server.log" |
		sed -nE 's/.* session=([0-9]+) start .*/\1/p' | head -1)
	[ -n "$id" ] || return 1
	end=$(grep -E " session=$id end " "$OSB_DIR/server.log" | tail -1)
	[ -n "$end" ] || return 1
	echo "$(echo "$end" | grep -o 'bytes_in=[0-9]*' | cut -d= -f2)" \
		"$(echo "$end" | grep -o 'bytes_out=[0-9]*' | cut -d= -f2)"
}

opensstp_load() { # LOG ARGS...
	local log=$1
	shift
	ip netns exec "$NS_C" "$BUILD/bin/opensstp-load" --user alice \
		--password s3cret --ca-file "$OSB_DIR/ca.crt" --host server.test \
		"$@" "$OUTER_S:443" >"$log" 2>&1
}

osb_count() { # start|end
	grep -c " session=[0-9]* $1 " "$OSB_DIR/server.log"
}

# Wait until the server has logged COUNT session ends, for SECONDS.
osb_wait_ends() { # COUNT SECONDS
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ "$(osb_count end)" -ge "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# The slab caches a TCP socket lives in, in KB (machine-wide: a detail
# of the memory rows, not their figure).
osb_socket_slab_kb() {
	awk '$1 ~ /^(TCP|TCPv6|sock_inode_cache|dentry|filp|eventpoll_epi|eventpoll_pwq)$/ {
		b += $2 * $4 } END { printf "%d", b / 1024 }' /proc/slabinfo
}

# K idle sessions held by opensstp-load (full set-up each: TLS, SSTP,
# MS-CHAPv2, binding, IPCP), no TUN on the client side; the server's RSS
# growth per session.  Past ~28 000 sessions from one source address the
# client runs out of ports: more source addresses are added on bc0 and
# NS_C's port range is widened.  OSB_MEM_NOTE says how it went.  Returns
# 2 when this machine cannot hold K (the open-files limit), 1 on a
# failure.
OSB_PER_SOURCE=${OSB_PER_SOURCE:-25000}
opensstp_mem_per_client() { # K
	local k=$1 base ends0 rss0 rss1 slab0 slab1 fd0 fd1 i lp srcs=$OUTER_C
	local n_src=$(($1 / OSB_PER_SOURCE + 1)) limit wait_s log=$OSB_DIR/mem$1.log
	OSB_MEM_NOTE=
	limit=$(ulimit -n)
	if [ "$limit" != unlimited ] && [ "$limit" -lt $((k + 1024)) ]; then
		echo "the server and opensstp-load need a descriptor per session:" \
			"open files limit $limit < $k + 1024${BENCH_NOFILE_WHY:+; $BENCH_NOFILE_WHY}"
		return 2
	fi
	for ((i = 1; i < n_src; i++)); do
		ip -n "$NS_C" addr add 10.201.0.$((100 + i))/24 dev bc0 2>/dev/null
		srcs="$srcs,10.201.0.$((100 + i))"
	done
	ip netns exec "$NS_C" sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
	# Warm-up for the idle-session rows (K >= 1000): OpenSSL's and the
	# allocator's one-time state is not a session's; the server trims its
	# heap 2 s after a burst.  Not for the few clients of the row the
	# peers also have: there the server, like theirs, has had only its one
	# client, and 50 sessions' freed heap would be reused by K new ones,
	# an advantage the peers do not get.
	if [ "$k" -ge 1000 ]; then
		base=$(osb_count end)
		opensstp_load "$OSB_DIR/warmup.log" --sessions 50 --concurrency 50 --hold-ms 100
		osb_wait_ends $((base + 50)) 30
	fi
	# Whatever ended last (the warm-up, an earlier call) has had its
	# heap trimmed before the first figure is read.
	sleep 3
	rss0=$(bench_mem_kb "$OSB_SERVER_PID")
	fd0=$(ls "/proc/$OSB_SERVER_PID/fd" | wc -l)
	slab0=$(osb_socket_slab_kb)
	ends0=$(osb_count end)
	base=$(osb_count start)
	bench_bg "$log" ip netns exec "$NS_C" "$BUILD/bin/opensstp-load" \
		--user alice --password s3cret --ca-file "$OSB_DIR/ca.crt" \
		--host server.test --sessions "$k" --concurrency "$k" \
		--setup-concurrency 200 --hold-ms 3600000 --timeout-ms 120000 \
		--sources "$srcs" "$OUTER_S:443"
	lp=$BENCH_BG_PID
	wait_s=$((k / 200 + 60))
	for ((i = 0; i < wait_s * 5; i++)); do
		[ "$(osb_count start)" -ge $((base + k)) ] && break
		kill -0 "$lp" 2>/dev/null || break
		sleep 0.2
	done
	if [ "$(osb_count start)" -lt $((base + k)) ]; then
		echo "only $(($(osb_count start) - base)) of $k sessions came up:" \
			"$(head -c 300 "$log" | tr '\n' ' ')" \
			"server: $(grep -E "WARN|ERROR" "$OSB_DIR/server.log" | tail -1)"
		bench_stop "$lp"
		osb_mem_undo "$n_src"
		return 1
	fi
	sleep 2
	rss1=$(bench_mem_kb "$OSB_SERVER_PID")
	fd1=$(ls "/proc/$OSB_SERVER_PID/fd" | wc -l)
	slab1=$(osb_socket_slab_kb)
	if [ "$(osb_count end)" -ne "$ends0" ]; then
		echo "$(($(osb_count end) - ends0)) sessions ended while measured"
		bench_stop "$lp"
		osb_mem_undo "$n_src"
		return 1
	fi
	bench_stop "$lp"
	OSB_MEM_NOTE="server fds $fd0->$fd1, ${BENCH_MEM:-rss} $rss0->$rss1 KB; socket slabs $(bench_calc "($slab1 - $slab0) / 2 / $k" %.1f) KB per socket (machine-wide, halved); $n_src source address(es)"
	osb_wait_ends $((ends0 + k)) $((k / 1000 + 30)) ||
		OSB_MEM_NOTE="$OSB_MEM_NOTE; only $(($(osb_count end) - ends0)) of $k ended after"
	osb_mem_undo "$n_src"
	bench_calc "($rss1 - $rss0) / $k" %.1f
}

osb_mem_undo() { # N_SRC
	local i
	for ((i = 1; i < $1; i++)); do
		ip -n "$NS_C" addr del 10.201.0.$((100 + i))/24 dev bc0 2>/dev/null
	done
}

opensstp_clients_up() { # N
	local i log
	OSB_EXTRA_PIDS=() OSB_EXTRA_TUNS=() OSB_EXTRA_ADDRS=() OSB_EXTRA_LOGS=()
	for ((i = 1; i <= $1; i++)); do
		log=$OSB_DIR/client$i.log
		: >"$log"
		osb_client_start "osb$i" "$log"
		OSB_EXTRA_PIDS+=("$OSB_STARTED_PID")
		OSB_EXTRA_TUNS+=("osb$i")
		OSB_EXTRA_LOGS+=("$log")
	done
	for ((i = 1; i <= $1; i++)); do
		log=$OSB_DIR/client$i.log
		bench_wait_log "$log" "IPv4 up: " 60 || {
			echo "client $i did not come up: $(tail -1 "$log")"
			return 1
		}
		OSB_EXTRA_ADDRS+=("$(sed -nE 's/.*IPv4 up: ([0-9.]+) .*/\1/p' "$log" | head -1)")
	done
}

opensstp_clients_down() {
	local p
	for p in "${OSB_EXTRA_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${OSB_EXTRA_PIDS[@]}"; do
		bench_reap "$p" 10
	done
	OSB_EXTRA_PIDS=()
}

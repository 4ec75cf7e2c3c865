# Peer provider: SoftEther VPN Server's SSTP, driven by our own client
# (sourced by the bench driver; the interface is in bench/README.md,
# "Providers", the setup and quirks under "Peers"), so that opensstpd
# and SoftEther are compared with the same client.
#
# Server: vpnserver and vpncmd built from SOFTETHER_SRC with the interop
# suite's one-line fix (tests/interop/softether/build.sh, cached), a
# private copy in WORK run as `vpnserver execsvc` (a watchdog parent and
# a worker child) in NS_S, configured as tests/interop/lib.sh se_start
# does: SSTP on 443 only (the other listeners, OpenVPN, VPN Azure and the
# keep-alive pings off), a regenerated self-signed RSA-2048 certificate for
# server.test (SoftEther makes no other kind), hub DEFAULT with one user,
# SecureNAT on, UDP listeners off.  SoftEther cannot bind a listener to
# one address: it listens on every address of NS_S (10.201.0.1, lo and
# 10.202.3.1), and keeps two UDP sockets on random ports (its NAT-T and
# dynamic DNS clients, which find no route out of NS_S).
#
# Where iperf3 sits: SecureNAT is a NAT in user space; it ends the tunnel's
# TCP and ICMP in vpnserver and opens its own sockets from NS_S.  So the
# inner address is 10.202.3.1 on NS_S's lo: iperf3 runs in NS_S bound to
# it (no P_IPERF_NS), our client routes only 10.202.3.1/32 into the tunnel
# (--route), and NS_C has no other way to it.  Each TCP stream through it
# is therefore two TCP connections joined by SoftEther's user-space stack.
#
# Client: BUILD/bin/opensstp with --auth mschapv2 (SoftEther's EAP is
# EAP-TLS only and hangs a client that accepts EAP), LCP echoes every 3 s
# (SecureNAT's DHCP stalls SoftEther's PPP loop for about 5 s during IPCP,
# which is in the setup time), the exported certificate as its CA, no
# reconnect.  tests/interop/README.md has these facts in full.

. "$(dirname "${BASH_SOURCE[0]}")/lib/peers.sh"

SE_B_PORT=443
SE_B_USER=bench
SE_B_PASSWORD=bench-pw
SE_B_INNER=10.202.3.1
SE_B_PID=
SE_B_CLIENT_PID=
SE_B_EXTRA_PIDS=()
SE_B_ADDR=

# The binary directory from build.sh (builds once, then cached); prints
# the reason and fails when there is no source.
se_b_build() {
	local out rc
	out=$("$BENCH_TOP/tests/interop/softether/build.sh" 2>&1)
	rc=$?
	case $rc in
	0) echo "$out" | tail -1 ;;
	77)
		echo "SoftEther source not found (set SOFTETHER_SRC)"
		return 1
		;;
	*)
		echo "$out" | tail -1 | sed 's/^FAIL: //'
		return 1
		;;
	esac
}

softether_available() {
	[ -x "$BUILD/bin/opensstp" ] || {
		echo "no $BUILD/bin/opensstp (build opensstp first)"
		return 1
	}
	local why
	why=$(se_b_build) || {
		echo "$why"
		return 1
	}
	return 0
}

# vpncmd against the server's admin port inside NS_S (empty admin
# password), from the state directory: vpncmd takes a path with a slash
# for an option, so files are named relative to it.
se_b_cmd() { # ARGS...
	local d=$WORK/softether/se
	(cd "$d" && ip netns exec "$NS_S" env LD_LIBRARY_PATH="$d" \
		"$d/vpncmd" "localhost:$SE_B_PORT" /SERVER "$@")
}

# Start our client number N in NS_C with tun secN (log
# WORK/softether/cN.log); ARGS are added.  Sets SE_B_LAST_PID.
se_b_client_start() { # N ARGS...
	local d=$WORK/softether n=$1
	shift
	ip netns exec "$NS_C" "$BUILD/bin/opensstp" --no-progress --no-reconnect \
		--auth mschapv2 --lcp-echo-ms 3000 --handshake-ms 15000 \
		--user $SE_B_USER --password-file "$d/password" \
		--ca-file "$d/se/server-cert.pem" --tun "sec$n" "$@" \
		"server.test:$SE_B_PORT" >"$d/c$n.log" 2>&1 </dev/null &
	SE_B_LAST_PID=$!
}

softether_up() { # [VARIANT] (none)
	local d=$WORK/softether bin t0 setup rc
	[ -z "${1:-}" ] || {
		echo "softether: no variant $1"
		return 1
	}
	bin=$(se_b_build) || {
		echo "softether: $bin"
		return 1
	}
	rm -rf "$d"
	mkdir -p "$d" || return 1
	# A source build keeps its configuration and logs beside the binary:
	# each run has its own copy.
	cp -a "$bin" "$d/se" || {
		echo "softether: cannot copy $bin"
		return 1
	}
	printf '%s\n' "$SE_B_PASSWORD" >"$d/password"
	ip -n "$NS_S" addr replace $SE_B_INNER/32 dev lo || {
		echo "softether: cannot add $SE_B_INNER to $NS_S's lo"
		return 1
	}
	SE_B_ADDR=1
	# From its own directory and without core dumps: vpnserver sometimes
	# dies of SIGSEGV while it stops (a session thread logging through
	# ProtoLog after the log is gone), and a core file would land in the
	# caller's directory.
	(cd "$d/se" && ulimit -c 0 && exec ip netns exec "$NS_S" \
		env LD_LIBRARY_PATH="$d/se" "$d/se/vpnserver" execsvc) \
		>"$d/vpnserver.log" 2>&1 </dev/null &
	SE_B_PID=$!
	if ! pv_wait_listen "$NS_S" $SE_B_PORT 20; then
		echo "softether: vpnserver not listening: $(tail -1 "$d/vpnserver.log")"
		softether_down
		return 1
	fi
	# SSTP is on by default in 5.x (no SstpEnable command).  The UDP
	# listeners (OpenVPN, its UDP acceleration) go too.
	cat >"$d/se/setup.txt" <<-EOF
		PortsUDPSet 0
		ListenerDelete 992
		ListenerDelete 1194
		ListenerDelete 5555
		ProtoOptionsSet SSTP /NAME:Enabled /VALUE:true
		ProtoOptionsSet OpenVPN /NAME:Enabled /VALUE:false
		VpnAzureSetEnable no
		KeepDisable
		ServerCertRegenerate server.test
		ServerCertGet server-cert.pem
		Hub DEFAULT
		UserCreate $SE_B_USER /GROUP:none /REALNAME:none /NOTE:none
		UserPasswordSet $SE_B_USER /PASSWORD:$SE_B_PASSWORD
		SecureNatEnable
	EOF
	if ! se_b_cmd /IN:setup.txt >"$d/vpncmd-setup.log" 2>&1 ||
		[ ! -s "$d/se/server-cert.pem" ]; then
		echo "softether: vpncmd setup failed: $(tail -2 "$d/vpncmd-setup.log" | tr '\n' ' ')"
		softether_down
		return 1
	fi
	t0=$(pv_ms)
	se_b_client_start 0 --route $SE_B_INNER/32
	SE_B_CLIENT_PID=$SE_B_LAST_PID
	setup=$(pv_first_ping "$NS_C" $SE_B_INNER "$t0" 60 "$SE_B_CLIENT_PID")
	rc=$?
	if [ $rc != 0 ]; then
		echo "softether: no ping through the tunnel ($([ $rc = 2 ] && echo "client exited" || echo "60 s")): $(tail -1 "$d/c0.log")"
		softether_down
		return 1
	fi
	P_INNER_S=$SE_B_INNER
	P_TUN_C=sec0
	P_SERVER_PIDS=$(pv_tree $SE_B_PID | tr '\n' ' ')
	P_SERVER_PIDS=${P_SERVER_PIDS% }
	P_CLIENT_PIDS=$SE_B_CLIENT_PID
	P_SETUP_MS=$setup
	unset P_IPERF_NS
	return 0
}

softether_down() {
	local kids
	pv_stop "${SE_B_EXTRA_PIDS[@]}" $SE_B_CLIENT_PID
	# execsvc is a watchdog that restarts its worker: stop it and the
	# children it had together.
	[ -n "$SE_B_PID" ] && kids=$(pv_descendants $SE_B_PID)
	pv_stop $SE_B_PID ${kids:-}
	[ -n "$SE_B_ADDR" ] && ip -n "$NS_S" addr del $SE_B_INNER/32 dev lo 2>/dev/null
	SE_B_ADDR=
	SE_B_EXTRA_PIDS=()
	SE_B_CLIENT_PID=
	SE_B_PID=
	pv_rm_state "$WORK/softether"
	return 0
}

softether_mem_per_client() { # K
	local k=$1 i before after d=$WORK/softether
	[ -n "$SE_B_PID" ] || {
		echo "softether: server not up"
		return 1
	}
	before=$(pv_rss_kb $SE_B_PID)
	for ((i = 1; i <= k; i++)); do
		se_b_client_start $i --no-routes
		SE_B_EXTRA_PIDS+=("$SE_B_LAST_PID")
	done
	for ((i = 1; i <= k; i++)); do
		pv_wait_log "$d/c$i.log" "IPv4 up" 60 "${SE_B_EXTRA_PIDS[i - 1]}" || {
			echo "softether: extra client $i not up: $(tail -1 "$d/c$i.log")"
			pv_stop "${SE_B_EXTRA_PIDS[@]}"
			SE_B_EXTRA_PIDS=()
			return 1
		}
	done
	sleep 0.5
	after=$(pv_rss_kb $SE_B_PID)
	pv_stop "${SE_B_EXTRA_PIDS[@]}"
	SE_B_EXTRA_PIDS=()
	rm -f "$d"/c[1-9]*.log
	pv_per_client "$before" "$after" "$k"
}

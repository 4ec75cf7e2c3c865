# Peer provider: OpenVPN 2.6 in TCP mode (sourced by the bench driver;
# the interface is in bench/README.md, "Providers", this peer's setup and
# quirks under "Peers").
#
# Server in NS_S: `proto tcp-server` on 10.201.0.1:1194, `dev tun`,
# `server 10.202.1.0 255.255.255.0` (topology subnet: its tun is
# 10.202.1.1/24, the inner address iperf3 binds to), data cipher
# AES-256-GCM only, a throw-away CA made with openssl in WORK, client
# certificates (OpenVPN's default authentication).  Client in NS_C:
# `client`, `proto tcp-client`, chain + name checked.  Everything else is
# OpenVPN's default: no compression (allow-compression no), no
# tcp-nodelay, no sndbuf/rcvbuf/txqueuelen (the OS defaults), tun-mtu 1500.
# DCO is tried by default; this kernel has no ovpn-dco, so the log says
# it is disabled and the data path is the ordinary userspace one.

. "$(dirname "${BASH_SOURCE[0]}")/lib/peers.sh"

OV_PORT=1194
OV_NET=10.202.1
OV_PID=
OV_CLIENT_PID=
OV_EXTRA_PIDS=()

openvpn_available() {
	command -v openvpn >/dev/null || {
		echo "openvpn not installed (bench/providers/deps.sh)"
		return 1
	}
	local v
	v=$(openvpn --version 2>&1)
	[[ $v == "OpenVPN 2.6."* ]] || {
		echo "not OpenVPN 2.6: ${v%%$'\n'*}"
		return 1
	}
	command -v openssl >/dev/null || {
		echo "openssl not installed"
		return 1
	}
	return 0
}

# The client's configuration for client number N (0 is the measured one;
# each has its own certificate, so the server needs no duplicate-cn).
ov_client_conf() { # N
	local d=$WORK/openvpn n=$1
	[ -f "$d/c$n.crt" ] || pv_cert "$d" "c$n" "client$n" clientAuth || return 1
	cat >"$d/c$n.conf" <<-EOF
		client
		dev ovpnc$n
		dev-type tun
		proto tcp-client
		remote server.test $OV_PORT
		ca $d/ca.crt
		cert $d/c$n.crt
		key $d/c$n.key
		remote-cert-tls server
		verify-x509-name server.test name
		data-ciphers AES-256-GCM
		verb 3
	EOF
}

# Start client N (ov_client_conf done) in NS_C (log $WORK/openvpn/cN.log);
# sets OV_LAST_PID.
ov_client_start() { # N
	local d=$WORK/openvpn
	ip netns exec "$NS_C" openvpn --config "$d/c$1.conf" \
		>"$d/c$1.log" 2>&1 </dev/null &
	OV_LAST_PID=$!
}

openvpn_up() { # [VARIANT] (none)
	local d=$WORK/openvpn t0 setup rc
	[ -z "${1:-}" ] || {
		echo "openvpn: no variant $1"
		return 1
	}
	rm -rf "$d"
	pv_ca "$d" || {
		echo "openvpn: cannot make the CA: $(tail -1 "$d/openssl.log")"
		return 1
	}
	cat >"$d/server.conf" <<-EOF
		dev ovpns
		dev-type tun
		proto tcp-server
		local $OUTER_S
		port $OV_PORT
		topology subnet
		server $OV_NET.0 255.255.255.0
		ca $d/ca.crt
		cert $d/server.crt
		key $d/server.key
		dh none
		data-ciphers AES-256-GCM
		verb 3
	EOF
	ip netns exec "$NS_S" openvpn --config "$d/server.conf" \
		>"$d/server.log" 2>&1 </dev/null &
	OV_PID=$!
	if ! pv_wait_listen "$NS_S" $OV_PORT 10; then
		echo "openvpn: server not listening: $(tail -1 "$d/server.log")"
		openvpn_down
		return 1
	fi
	ov_client_conf 0 || {
		echo "openvpn: cannot make the client certificate"
		openvpn_down
		return 1
	}
	t0=$(pv_ms)
	ov_client_start 0
	OV_CLIENT_PID=$OV_LAST_PID
	setup=$(pv_first_ping "$NS_C" $OV_NET.1 "$t0" 30 "$OV_CLIENT_PID")
	rc=$?
	if [ $rc != 0 ]; then
		echo "openvpn: no ping through the tunnel ($([ $rc = 2 ] && echo "client exited" || echo "30 s")): $(tail -1 "$d/c0.log")"
		openvpn_down
		return 1
	fi
	P_INNER_S=$OV_NET.1
	P_TUN_C=ovpnc0
	P_SERVER_PIDS=$OV_PID
	P_CLIENT_PIDS=$OV_CLIENT_PID
	P_SETUP_MS=$setup
	unset P_IPERF_NS
	return 0
}

openvpn_down() {
	pv_stop "${OV_EXTRA_PIDS[@]}" $OV_CLIENT_PID
	pv_stop $OV_PID
	OV_EXTRA_PIDS=()
	OV_CLIENT_PID=
	OV_PID=
	pv_rm_state "$WORK/openvpn"
	return 0
}

openvpn_mem_per_client() { # K
	local k=$1 i before after
	[ -n "$OV_PID" ] || {
		echo "openvpn: server not up"
		return 1
	}
	for ((i = 1; i <= k; i++)); do
		ov_client_conf $i || {
			echo "openvpn: cannot make client $i's certificate"
			return 1
		}
	done
	before=$(pv_rss_kb $OV_PID)
	for ((i = 1; i <= k; i++)); do
		ov_client_start $i
		OV_EXTRA_PIDS+=("$OV_LAST_PID")
	done
	for ((i = 1; i <= k; i++)); do
		pv_wait_log "$WORK/openvpn/c$i.log" "Initialization Sequence Completed" 60 \
			"${OV_EXTRA_PIDS[i - 1]}" || {
			echo "openvpn: extra client $i not up: $(tail -1 "$WORK/openvpn/c$i.log")"
			pv_stop "${OV_EXTRA_PIDS[@]}"
			OV_EXTRA_PIDS=()
			return 1
		}
	done
	# The server's side of each session is set up once the client says so.
	sleep 0.5
	after=$(pv_rss_kb $OV_PID)
	pv_stop "${OV_EXTRA_PIDS[@]}"
	OV_EXTRA_PIDS=()
	rm -f "$WORK"/openvpn/c[1-9]*
	pv_per_client "$before" "$after" "$k"
}

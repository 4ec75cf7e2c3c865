# Peer provider: ocserv 1.1 with openconnect (sourced by the bench driver;
# the interface is in bench/README.md, "Providers", this peer's setup and
# quirks under "Peers").
#
# Variants: `tls` (the default) has DTLS off on both ends (no udp-port on
# the server, --no-dtls on the client): everything over TLS on TCP, the
# fair comparison with SSTP.  `dtls` opens UDP 443 too and waits until the
# client has its DTLS channel: a reference, not a TCP peer.
#
# Server in NS_S: its own configuration in WORK (nothing read from
# /etc/ocserv), listen-host 10.201.0.1 port 443, a throw-away CA made with
# openssl, plain password authentication (a passwd file made with
# ocpasswd, one user per client), pid file in WORK, sec-mod's sockets in
# a directory of their own under /tmp (the workers, as nobody, must reach
# them, and WORK may sit in a 0700 directory), occtl off, run as root in
# the foreground (-f) with workers as nobody, pool 10.202.2.0/24 (the
# server's side of every client's tun is 10.202.2.1, the inner address
# iperf3 binds to), no routes pushed.  Everything else is ocserv's
# compiled-in default (TLS priorities, MTU: the tuns get 1472 over TLS,
# 1434 with DTLS; keepalives; no compression).  ocserv starts a worker
# process (ocserv-worker) per client; P_SERVER_PIDS is the main process
# and all its descendants (sec-mod and the workers).
#
# Client in NS_C: openconnect with the CA file, a user and password on
# stdin, and a vpnc-script written in WORK that only sets the address and
# MTU and brings the tun up (Debian's vpnc-scripts would rewrite the
# host's resolv.conf and routes).

. "$(dirname "${BASH_SOURCE[0]}")/lib/peers.sh"

OC_PORT=443
OC_NET=10.202.2
OC_PASSWORD=bench-pw
OC_PID=
OC_CLIENT_PID=
OC_EXTRA_PIDS=()
OC_VARIANT=
OC_SOCK_DIR=

ocserv_available() {
	local t
	for t in ocserv ocpasswd openconnect openssl; do
		command -v $t >/dev/null || {
			echo "$t not installed (bench/providers/deps.sh)"
			return 1
		}
	done
	# Read whole first: under pipefail, grep -q quitting early would make
	# the writer's SIGPIPE fail the test.
	t=$(ocserv --version 2>&1)
	[[ $t == "ocserv 1.1."* ]] || {
		echo "not ocserv 1.1: ${t%%$'\n'*}"
		return 1
	}
	return 0
}

# A user for client N in the passwd file (ocpasswd reads the password
# twice from stdin when it is not a terminal).
oc_user() { # N
	local d=$WORK/ocserv
	grep -q "^bench$1:" "$d/passwd" 2>/dev/null && return 0
	printf '%s\n%s\n' "$OC_PASSWORD" "$OC_PASSWORD" |
		ocpasswd -c "$d/passwd" "bench$1" >/dev/null 2>&1
}

# Start openconnect number N (its user made already) in NS_C with tun
# occN (log WORK/ocserv/cN.log; the vpnc-script touches
# WORK/ocserv/up.occN once the tun is up); sets OC_LAST_PID.
oc_client_start() { # N
	local d=$WORK/ocserv dtls=--no-dtls
	[ "$OC_VARIANT" = dtls ] && dtls=
	ip netns exec "$NS_C" openconnect --non-inter --passwd-on-stdin \
		--user "bench$1" --cafile "$d/ca.crt" --script "$d/vpnc-script" \
		--interface "occ$1" $dtls "https://server.test:$OC_PORT/" \
		<"$d/password" >"$d/c$1.log" 2>&1 &
	OC_LAST_PID=$!
}

oc_write_conf() {
	local d=$WORK/ocserv
	cat >"$d/ocserv.conf" <<-EOF
		auth = "plain[passwd=$d/passwd]"
		listen-host = $OUTER_S
		tcp-port = $OC_PORT
		run-as-user = nobody
		run-as-group = nogroup
		socket-file = $OC_SOCK_DIR/ocserv.sock
		pid-file = $d/ocserv.pid
		use-occtl = false
		server-cert = $d/server.crt
		server-key = $d/server.key
		device = vpns
		ipv4-network = $OC_NET.0/24
	EOF
	[ "$OC_VARIANT" = dtls ] && echo "udp-port = $OC_PORT" >>"$d/ocserv.conf"
	# Every client reads its password from this file on stdin: written
	# once, never while one may be reading it.
	printf '%s\n' "$OC_PASSWORD" >"$d/password"
	# The client's script: the tun's address and MTU, nothing else; marks
	# the tun up for ocserv_mem_per_client.
	cat >"$d/vpnc-script" <<-EOF
		#!/bin/sh
		# Minimal vpnc-script for the benchmark (bench/providers/ocserv.sh).
		[ "\$reason" = connect ] || exit 0
		ip link set dev "\$TUNDEV" mtu "\${INTERNAL_IP4_MTU:-1400}" up || exit 1
		ip addr add "\$INTERNAL_IP4_ADDRESS/\${INTERNAL_IP4_NETMASKLEN:-32}" dev "\$TUNDEV" || exit 1
		: >"$d/up.\$TUNDEV"
	EOF
	chmod +x "$d/vpnc-script"
}

ocserv_up() { # [tls|dtls]
	local d=$WORK/ocserv t0 setup rc
	OC_VARIANT=${1:-tls}
	case $OC_VARIANT in
	tls | dtls) ;;
	*)
		echo "ocserv: no variant $OC_VARIANT (tls or dtls)"
		return 1
		;;
	esac
	rm -rf "$d"
	pv_ca "$d" || {
		echo "ocserv: cannot make the CA: $(tail -1 "$d/openssl.log")"
		return 1
	}
	# The workers run as nobody and connect to sec-mod's sockets, so those
	# sit in a directory of their own that nobody can traverse (WORK and
	# the directories above it may be 0700: mktemp -d); ocserv_down
	# removes it.
	OC_SOCK_DIR=$(mktemp -d /tmp/ocserv-bench.XXXXXX) || {
		echo "ocserv: cannot make a socket directory"
		return 1
	}
	chmod 0711 "$OC_SOCK_DIR"
	oc_write_conf
	oc_user 0 || {
		echo "ocserv: ocpasswd failed"
		ocserv_down
		return 1
	}
	ip netns exec "$NS_S" ocserv -f -c "$d/ocserv.conf" \
		>"$d/server.log" 2>&1 </dev/null &
	OC_PID=$!
	if ! pv_wait_listen "$NS_S" $OC_PORT 10; then
		echo "ocserv: server not listening: $(tail -1 "$d/server.log")"
		ocserv_down
		return 1
	fi
	t0=$(pv_ms)
	oc_client_start 0
	OC_CLIENT_PID=$OC_LAST_PID
	setup=$(pv_first_ping "$NS_C" $OC_NET.1 "$t0" 30 "$OC_CLIENT_PID")
	rc=$?
	if [ $rc != 0 ]; then
		echo "ocserv: no ping through the tunnel ($([ $rc = 2 ] && echo "client exited" || echo "30 s")): $(tail -1 "$d/c0.log")"
		ocserv_down
		return 1
	fi
	# dtls: the first ping may have gone over TLS; measure over DTLS.
	if [ "$OC_VARIANT" = dtls ] &&
		! pv_wait_log "$d/c0.log" "Established DTLS connection" 10 "$OC_CLIENT_PID"; then
		echo "ocserv: no DTLS channel: $(tail -1 "$d/c0.log")"
		ocserv_down
		return 1
	fi
	P_INNER_S=$OC_NET.1
	P_TUN_C=occ0
	P_SERVER_PIDS=$(pv_tree $OC_PID | tr '\n' ' ')
	P_SERVER_PIDS=${P_SERVER_PIDS% }
	P_CLIENT_PIDS=$OC_CLIENT_PID
	P_SETUP_MS=$setup
	unset P_IPERF_NS
	return 0
}

ocserv_down() {
	pv_stop "${OC_EXTRA_PIDS[@]}" $OC_CLIENT_PID
	# The main process ends its workers and sec-mod on SIGTERM; stop any
	# that outlive it too (they are its children, so ours).
	local kids
	[ -n "$OC_PID" ] && kids=$(pv_descendants $OC_PID)
	pv_stop $OC_PID
	pv_stop ${kids:-}
	OC_EXTRA_PIDS=()
	OC_CLIENT_PID=
	OC_PID=
	pv_rm_state "$WORK/ocserv"
	[ -n "$OC_SOCK_DIR" ] && rm -rf "$OC_SOCK_DIR"
	OC_SOCK_DIR=
	return 0
}

ocserv_mem_per_client() { # K
	local k=$1 i before after d=$WORK/ocserv
	[ -n "$OC_PID" ] || {
		echo "ocserv: server not up"
		return 1
	}
	# Every user first: ocpasswd rewrites the file sec-mod reads at each
	# login.
	for ((i = 1; i <= k; i++)); do
		oc_user $i || {
			echo "ocserv: cannot add user $i"
			return 1
		}
	done
	before=$(pv_rss_kb $OC_PID)
	for ((i = 1; i <= k; i++)); do
		oc_client_start $i
		OC_EXTRA_PIDS+=("$OC_LAST_PID")
	done
	for ((i = 1; i <= k; i++)); do
		pv_wait_file "$d/up.occ$i" 60 "${OC_EXTRA_PIDS[i - 1]}" || {
			echo "ocserv: extra client $i not up: $(tail -1 "$d/c$i.log")"
			pv_stop "${OC_EXTRA_PIDS[@]}"
			OC_EXTRA_PIDS=()
			return 1
		}
	done
	# Each worker finishes setting up its side after the client's tun.
	sleep 0.5
	after=$(pv_rss_kb $OC_PID)
	pv_stop "${OC_EXTRA_PIDS[@]}"
	OC_EXTRA_PIDS=()
	rm -f "$d"/up.occ[1-9]* "$d"/c[1-9]*.log
	pv_per_client "$before" "$after" "$k"
}

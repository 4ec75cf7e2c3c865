# Helpers for the interop cases (sourced, bash, after
# tests/integration/lib.sh, which makes the namespaces NS_S and NS_C, a
# veth between them, IT_TMP and the cleanup trap).  README.md beside this
# file lists the peers' quirks the cases rely on.

IO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# --- SoftEther VPN Server (tests/interop/softether/) ---
#
# se_start: build (or find in the cache) a patched vpnserver, run a private
# copy with `vpnserver execsvc` in NS_S, configure it by vpncmd batch and
# export its certificate.  The client reaches it at server.test:$SE_PORT
# over the veth (it_net).  Sets SE_CA (its self-signed certificate, CN
# server.test), SE_USER/SE_PASSWORD, SE_GW (SecureNAT's virtual gateway).
SE_PORT=4443
SE_USER=test
SE_PASSWORD=test123
SE_HUB=DEFAULT
SE_GW=192.168.30.1
SE_PID=

se_start() {
	local bin out i
	out=$("$IO_DIR/softether/build.sh")
	case $? in
	0) bin=$(echo "$out" | tail -1) ;;
	77) it_skip "${out##*SKIP: }" ;;
	*) it_fail "$(echo "$out" | tail -1 | sed 's/^FAIL: //')" ;;
	esac
	# A source build keeps its config and logs beside the binary: each
	# case runs its own copy.
	SE_DIR=$IT_TMP/softether
	cp -a "$bin" "$SE_DIR" || it_fail "cannot copy $bin"
	ip netns exec "$NS_S" env LD_LIBRARY_PATH="$SE_DIR" \
		"$SE_DIR/vpnserver" execsvc >"$IT_TMP/vpnserver.log" 2>&1 </dev/null &
	SE_PID=$!
	# Out of the box it listens on 443 (admin included): wait for it.
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$NS_S" ss -Hltn "sport = :443" | grep -q . && break
		kill -0 "$SE_PID" 2>/dev/null || it_fail "vpnserver exited: $(tail -2 "$IT_TMP/vpnserver.log")"
		sleep 0.1
	done
	# SSTP is on by default in 5.x (no SstpEnable command); the other
	# listeners, OpenVPN, VPN Azure and the keep-alive pings go.
	cat >"$SE_DIR/setup.txt" <<-EOF
		ListenerCreate $SE_PORT
		ListenerDelete 992
		ListenerDelete 1194
		ListenerDelete 5555
		ProtoOptionsSet SSTP /NAME:Enabled /VALUE:true
		ProtoOptionsSet OpenVPN /NAME:Enabled /VALUE:false
		VpnAzureSetEnable no
		KeepDisable
		ServerCertRegenerate server.test
		ServerCertGet server-cert.pem
		Hub $SE_HUB
		UserCreate $SE_USER /GROUP:none /REALNAME:none /NOTE:none
		UserPasswordSet $SE_USER /PASSWORD:$SE_PASSWORD
		SecureNatEnable
	EOF
	se_cmd_at 443 /IN:setup.txt >"$IT_TMP/vpncmd-setup.log" 2>&1 ||
		it_fail "vpncmd setup failed: $(tail -3 "$IT_TMP/vpncmd-setup.log")"
	se_cmd_at $SE_PORT /CMD ListenerDelete 443 >>"$IT_TMP/vpncmd-setup.log" 2>&1
	SE_CA=$SE_DIR/server-cert.pem
	[ -s "$SE_CA" ] || it_fail "SoftEther certificate not exported"
	it_wait_listen "$NS_S" $SE_PORT 5 || it_fail "SoftEther not listening on $SE_PORT"
	# Our client is judged; it ends its calls itself unless a case says.
	io_capture_start $SE_PORT client SoftEther
	IO_ENDS_DEFAULT=client-disconnect
}

# vpncmd against the server's admin port (inside NS_S, empty admin
# password), from SE_DIR: vpncmd takes a path with a slash for an option,
# so files are named relative to it.  se_cmd_at PORT ARGS...
se_cmd_at() {
	local port=$1
	shift
	(cd "$SE_DIR" && ip netns exec "$NS_S" env LD_LIBRARY_PATH="$SE_DIR" \
		"$SE_DIR/vpncmd" "localhost:$port" /SERVER "$@")
}

# One vpncmd command in hub DEFAULT: se_cmd Command ARGS...
se_cmd() {
	se_cmd_at $SE_PORT /HUB:$SE_HUB /CMD "$@"
}

# The names of the hub's sessions from the SSTP client (not SecureNAT's).
se_sessions() {
	se_cmd SessionList | sed -nE 's/^Session Name +\|(SID-[^ ]+).*/\1/p' |
		grep -v SECURENAT
}

# Stop vpnserver by PID: execsvc is a watchdog parent that restarts its
# worker child, so the parent goes first, then the children it had.
se_stop() {
	local kids k i
	[ -n "$SE_PID" ] || return 0
	kids=$(io_descendants "$SE_PID")
	kill -TERM "$SE_PID" 2>/dev/null
	for k in $kids; do kill -TERM "$k" 2>/dev/null; done
	for ((i = 0; i < 50; i++)); do
		kill -0 "$SE_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$SE_PID" $kids 2>/dev/null
	wait "$SE_PID" 2>/dev/null
	SE_PID=
}

# Every descendant of PID, by parent PID.
io_descendants() { # PID
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$c"
		io_descendants "$c"
	done
}

# The SoftEther cases: lib.sh's trap plus vpnserver.
se_cleanup() {
	se_stop
	it_cleanup
}

# Our client to SoftEther (backgrounded, see it_client): LOGNAME ARGS...
# SoftEther answers nothing, LCP echoes included, for about 5 s while
# SecureNAT's DHCP hands out the address during IPCP: the harness's 1 s
# LCP echo (4 misses) would end the link, so echoes are 3 s apart here.
se_client() {
	local name=$1
	shift
	it_client "$name" --lcp-echo-ms 3000 --handshake-ms 15000 \
		--user "$SE_USER" --password "$SE_PASSWORD" \
		--tun "t$name" --no-routes "$@" "server.test:$SE_PORT"
}

# --- sstp-client (sstpc) against opensstpd ---
#
# sstpc cannot launch pppd here (no /dev/ppp): sc_pair runs it with
# --nolaunchpppd against opensstp-pppd-shim (tools/pppd-shim), our PPP
# client over async HDLC that also plays the pppd plugin, through
# sstpc_pair.py (the socketpair).  README.md, "sstpc", has the facts.
SHIM_BIN=$BUILD/bin/opensstp-pppd-shim

sc_require() {
	[ "$(id -u)" = 0 ] || it_skip "needs root (network namespaces)"
	command -v sstpc >/dev/null || it_skip "sstpc not installed (apt-get install sstp-client)"
	command -v python3 >/dev/null || it_fail "python3 not installed"
	[ -x "$SHIM_BIN" ] || it_fail "no $SHIM_BIN (build the tree)"
	[ -x "$SERVER_BIN" ] || it_fail "no $SERVER_BIN"
}

# sc_pair NAME AUTH PLUGIN HOLD [SSTPC-ARGS...] TARGET, backgrounded in
# NS_C: alice/s3cret, AUTH pap|mschapv2, PLUGIN yes|no, HOLD seconds.
# Sets SC_PID, SC_LOG (shim and wrapper), SC_CLOG (sstpc's own log).
# SC_SHIM_ARGS: more shim options (--swap-keys).
sc_pair() {
	local name=$1 auth=$2 plugin=$3 hold=$4 ipparam=ost$IT_ID-$1 p
	shift 4
	SC_LOG=$IT_TMP/$name.shim.log
	SC_CLOG=$IT_TMP/$name.sstpc.log
	# opensstpd (on 443) is judged; the shim's LCP Terminate makes it end
	# the call with a Call Disconnect unless a case says otherwise.
	io_capture_start 443 server sstpc
	IO_ENDS_DEFAULT=server-disconnect
	if [ "$plugin" = yes ]; then
		p="--plugin-socket /var/run/sstpc/sstpc-$ipparam"
	else
		p=--no-plugin
	fi
	ip netns exec "$NS_C" python3 "$IO_DIR/sstpc_pair.py" \
		--shim "$SHIM_BIN --user alice --password s3cret --auth $auth $p --hold $hold ${SC_SHIM_ARGS:-}" \
		--shim-log "$SC_LOG" --sstpc-log "$SC_CLOG" --ipparam "$ipparam" \
		--timeout $((hold + 30)) -- "$@" >>"$SC_LOG" 2>&1 &
	SC_PID=$!
	IT_PIDS+=("$SC_PID")
}

# Wait for sc_pair to end; its exit status.
sc_wait() { # SECONDS
	it_wait_exit "$SC_PID" "$1"
}

# No sstpc of this case left running, no plugin socket left behind.
sc_check_clean() {
	pgrep -f -- "--ipparam ost$IT_ID-" >/dev/null &&
		it_fail "an sstpc of this case is still running"
	ls /var/run/sstpc/sstpc-ost$IT_ID-* >/dev/null 2>&1 &&
		it_fail "a plugin socket is left in /var/run/sstpc"
	return 0
}

# After sc_pair with the plugin: the session came up with a binding that
# opensstpd verified, and sstpc Acked the server's Call Disconnect (which
# it does only when a Status Info is in it: README.md).  AUTH: pap or
# mschapv2 (the plugin message then carries the MPPE keys).
sc_check_up() { # AUTH
	local rc keys="no keys"
	[ "$1" = mschapv2 ] && keys="MPPE keys"
	sc_wait 60
	rc=$?
	cat "$SC_LOG"
	[ $rc = 0 ] || it_fail "shim exit $rc: $(grep -v '^sstpc_pair' "$SC_LOG" | tail -1)"
	grep -q "auth $1: ok" "$SC_LOG" || it_fail "no $1 success in the shim's log"
	grep -q "plugin: ACK ($keys)" "$SC_LOG" || it_fail "sstpc did not ACK the plugin message"
	grep -Eq "IPCP up: 10\.77\.0\.[0-9]+" "$SC_LOG" || it_fail "no pool address"
	it_wait_log "$SERVER_LOG" "crypto binding verified" 5 ||
		it_fail "opensstpd did not verify the binding: $(tail -3 "$SERVER_LOG")"
	grep -aq "Connection Established" "$SC_CLOG" ||
		it_fail "sstpc did not log Connection Established"
	if [ "$1" = mschapv2 ]; then
		grep -aq "No MPPE-Send-Key present" "$SC_CLOG" &&
			it_fail "sstpc did not take the MPPE keys"
	fi
	grep -aq "Sending Disconnect Ack Message" "$SC_CLOG" ||
		it_fail "sstpc did not Ack opensstpd's Call Disconnect"
	sc_check_clean
	it_check_sanitizers
}

# sstpc without its plugin never sends Call Connected (README.md).  The
# policy, the same under both crypto_binding settings (optional only skips
# checking the binding's contents): the call stays in Call Connect
# Pending with data blocked, and at the negotiation timer opensstpd ends
# it with a Call Abort (NEGOTIATION_TIMEOUT).  sc_no_plugin_case POLICY.
sc_no_plugin_case() {
	IO_ENDS=server-abort # the judge's ending
	sc_require
	it_net
	it_certs
	it_users "alice s3cret"
	it_server --log-level debug --auth pap --crypto-binding "$1"
	sc_pair c1 pap no 8 --ca-cert "$IT_TMP/ca.crt" server.test
	sc_wait 60
	cat "$SC_LOG"
	grep -q "IPCP up:" "$SC_LOG" || it_fail "PPP did not reach IPCP: $(tail -1 "$SC_LOG")"
	grep -aq "Sending Connected Message" "$SC_CLOG" &&
		it_fail "sstpc sent Call Connected without the plugin"
	grep -E "session=[0-9]+ " "$SERVER_LOG"
	grep -q "crypto binding verified" "$SERVER_LOG" && it_fail "the call was connected"
	grep -Eq 'session=[0-9]+ end .*reason="negotiation timed out \(status 8\)"' "$SERVER_LOG" ||
		it_fail "opensstpd did not end the call at its negotiation timer"
	grep -aq "TYPE(5): ABORT" "$SC_CLOG" || it_fail "sstpc did not receive a Call Abort"
	sc_check_clean
	it_check_sanitizers
	sc_pass "crypto_binding=$1: no Call Connected, Call Abort at the negotiation timer"
}

# it_pass, naming the sstpc stalls sstpc_pair.py retried (README.md, fact 6).
sc_pass() { # MESSAGE
	local n
	n=$(cat "$IT_TMP"/*.shim.log 2>/dev/null | grep -c "sstpc stalled after HTTP")
	[ "${n:-0}" -gt 0 ] && it_pass "$1 (sstpc stalled after HTTP ${n}x, retried)"
	it_pass "$1"
}

# --- Wireshark as judge (judge.py; README.md, "Wireshark as judge") ---
#
# Every case records the traffic between our binary and the peer and has
# tshark judge it.  The capture: tcpdump on the server namespace's end of
# the veth ("vs": between the client and the server, and in the squid case
# between squid and opensstpd, where the TLS to opensstpd is), started by
# se_start and sc_pair when the peer comes up.  The keys: the TLS secrets
# our binary writes to $SSLKEYLOGFILE, exported here for every process of
# the case (our client in the SoftEther cases, opensstpd in the sstpc
# ones: sstpc has no key log).  it_pass (below) stops the capture and
# judges it; a case names the endings it expects in IO_ENDS (judge.py
# --expect; default: the peer's usual ending, set by se_start/sc_pair).
export SSLKEYLOGFILE=$IT_TMP/tls-keys.log
IO_PCAP=$IT_TMP/capture.pcap
IO_CAP_PID=
IO_PORT=
IO_OURS=
IO_PEER=
IO_ENDS=${IO_ENDS:-}
IO_ENDS_DEFAULT=
IO_VERDICT=

# Start recording: io_capture_start PORT OURS PEER.  OURS is the side that
# is ours (client or server); PEER names the other in the verdict.  Once
# per case: a second call (sc_pair again) keeps the running capture.
io_capture_start() {
	local i
	[ -z "$IO_CAP_PID" ] || return 0
	IO_PORT=$1 IO_OURS=$2 IO_PEER=$3
	command -v tcpdump >/dev/null || it_fail "tcpdump not installed (tests/interop/deps.sh)"
	# -U and --immediate-mode: every packet is in the file when tcpdump
	# is stopped (without them the last ones were lost); -B 16 MiB: a
	# loaded machine made the default 2 MiB drop packets, and a capture
	# with holes cannot be decrypted; -Z root: it writes into the case's
	# private directory.
	ip netns exec "$NS_S" tcpdump -i vs -n -s 0 -B 16384 -U --immediate-mode -Z root \
		-w "$IO_PCAP" "tcp port $IO_PORT" >"$IT_TMP/tcpdump.log" 2>&1 &
	IO_CAP_PID=$!
	IT_PIDS+=("$IO_CAP_PID")
	for ((i = 0; i < 50; i++)); do
		grep -q "listening on" "$IT_TMP/tcpdump.log" && return 0
		kill -0 "$IO_CAP_PID" 2>/dev/null || break
		sleep 0.1
	done
	it_fail "tcpdump did not start: $(tail -1 "$IT_TMP/tcpdump.log")"
}

# Stop recording, by PID (a no-op when nothing records).
io_capture_stop() {
	local p keep=()
	[ -n "$IO_CAP_PID" ] || return 0
	sleep 0.3 # the last segments (FIN, RST) reach tcpdump
	kill -TERM "$IO_CAP_PID" 2>/dev/null
	wait "$IO_CAP_PID" 2>/dev/null
	for p in "${IT_PIDS[@]}"; do
		[ "$p" = "$IO_CAP_PID" ] || keep+=("$p")
	done
	IT_PIDS=("${keep[@]}")
	IO_CAP_PID=
}

# judge.py on this case's capture, from its own side, with the endings the
# case expects; more judge.py options (--ours both) override.  Prints its
# report; exit status judge.py's (0 pass, 1 fail, 2 not judged).
io_judge_run() {
	python3 "$IO_DIR/judge.py" --pcap "$IO_PCAP" --keylog "$SSLKEYLOGFILE" \
		--port "$IO_PORT" --ours "$IO_OURS" --peer "$IO_PEER" \
		--expect "${IO_ENDS:-$IO_ENDS_DEFAULT}" "$@"
}

# Stop the capture and judge it: the report goes to the case's output and
# IT_TMP/judge.txt, the verdict (its last line) to IO_VERDICT.  Status 0
# pass, 1 fail, 2 not judged (IO_VERDICT says why).
io_judge() {
	local rc drops
	io_capture_stop
	if [ -z "$IO_PORT" ]; then
		IO_VERDICT="not judged: this case recorded no traffic"
		return 2
	fi
	io_judge_run >"$IT_TMP/judge.txt" 2>&1
	rc=$?
	sed 's/^/judge: /' "$IT_TMP/judge.txt"
	IO_VERDICT=$(tail -1 "$IT_TMP/judge.txt")
	# A capture with holes decrypts badly: say so beside the verdict.
	drops=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$IT_TMP/tcpdump.log")
	[ "${drops:-0}" = 0 ] || IO_VERDICT="$IO_VERDICT (tcpdump dropped $drops packets)"
	return $rc
}

# Every case's pass goes through the judge: PASS with its verdict, FAIL on
# a fault of ours.  A case that cannot be judged says why in its PASS
# line, and fails under CI=true, where tshark is always installed.
it_pass() {
	io_judge
	case $? in
	0) ;;
	2) [ "${CI:-}" = true ] && it_fail "$*; $IO_VERDICT" ;;
	*) it_fail "$IO_VERDICT" ;;
	esac
	it_log "PASS: $*; $IO_VERDICT"
	exit 0
}

# A failing case keeps the judge's word too (on whatever was recorded),
# after its own reason; the endings it expected no longer hold.
it_fail() {
	local v=
	if [ -n "$IO_PORT" ] && [ -z "${IO_FAILING:-}" ]; then
		IO_FAILING=1
		io_capture_stop
		io_judge_run --expect "" >"$IT_TMP/judge.txt" 2>&1
		sed 's/^/judge: /' "$IT_TMP/judge.txt"
		v=" [$(tail -1 "$IT_TMP/judge.txt")]"
	fi
	it_log "FAIL: $*$v"
	exit 1
}

# Shared helpers for the integration cases (sourced, bash).  Each case runs
# the server and the client in two network namespaces of its own, joined
# by a veth pair, and removes everything it made on exit, whatever
# happened.  All traffic stays inside those namespaces.
#
#   BUILD=build-check bash tests/integration/NAME.sh    one case by hand
#
# A case exits 0 (pass), 77 (skip) or anything else (fail), and says why
# on its last line.

set -uo pipefail

IT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$IT_TOP/build-check}
case "$BUILD" in /*) ;; *) BUILD=$IT_TOP/$BUILD ;; esac
SERVER_BIN=$BUILD/bin/opensstpd
CLIENT_BIN=$BUILD/bin/opensstp
# Short protocol timers so that timeouts are tested in seconds.
IT_TIMERS_SRV="--hello-ms 3000 --lcp-echo-ms 1000 --handshake-ms 5000"
# The client gives up at the first failure unless a case asks for
# retries (a later --max-retries wins), so that exit codes are tested.
IT_TIMERS_CLI="--hello-ms 3000 --lcp-echo-ms 1000 --handshake-ms 5000 --connect-ms 3000 --max-retries 0"
# LeakSanitizer reports at exit; a report makes the exit status 23.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}

IT_ID=$$
NS_S=ost${IT_ID}s
NS_C=ost${IT_ID}c
IT_TMP=$(mktemp -d /tmp/opensstp-it.XXXXXX)
IT_PIDS=()
IT_PGIDS=() # process groups (it_bg), killed whole on exit
# Addresses outside the tunnel (on the veth) and inside it (server side).
OUT4_S=10.200.0.1 OUT4_C=10.200.0.2
OUT6_S=fd00:200::1 OUT6_C=fd00:200::2
IN4_S=10.77.0.1 IN6_S=fd77::1
POOL4=10.77.0.0/24 PREFIX6=fd77::/56

it_log() { echo "[$(date +%T.%3N)] $*"; }
it_fail() { it_log "FAIL: $*"; exit 1; }
it_skip() { it_log "SKIP: $*"; exit 77; }
it_pass() { it_log "PASS: $*"; exit 0; }

it_cleanup() {
	local pid
	for pid in "${IT_PGIDS[@]}"; do
		kill -TERM -- "-$pid" 2>/dev/null
	done
	for pid in "${IT_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${IT_PIDS[@]}"; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$pid" 2>/dev/null
	done
	ip netns del "$NS_S" 2>/dev/null
	ip netns del "$NS_C" 2>/dev/null
	rm -rf "/etc/netns/$NS_S" "/etc/netns/$NS_C"
	if [ -n "${IT_KEEP:-}" ]; then
		echo "logs kept in $IT_TMP"
	else
		rm -rf "$IT_TMP"
	fi
}
trap it_cleanup EXIT

it_require() {
	[ "$(id -u)" = 0 ] || it_skip "needs root (network namespaces, TUN)"
	[ -c /dev/net/tun ] || it_skip "no /dev/net/tun"
	[ -x "$SERVER_BIN" ] && [ -x "$CLIENT_BIN" ] || it_fail "no binaries in $BUILD/bin"
	local t
	for t in ip openssl socat ping; do
		command -v $t >/dev/null || it_fail "$t not installed (make deps)"
	done
}

# Two namespaces, a veth between them with IPv4 and IPv6, and a hosts file
# for the client naming the server "server.test" (by the outside family
# given: 4 or 6).
it_net() {
	local fam=${1:-4}
	ip netns add "$NS_S" || it_fail "ip netns add"
	ip netns add "$NS_C" || it_fail "ip netns add"
	IT_CLEAN_NS=1
	ip link add vs netns "$NS_S" type veth peer name vc netns "$NS_C" ||
		it_fail "veth"
	ip -n "$NS_S" link set lo up
	ip -n "$NS_C" link set lo up
	ip -n "$NS_S" addr add $OUT4_S/24 dev vs
	ip -n "$NS_C" addr add $OUT4_C/24 dev vc
	ip -n "$NS_S" addr add $OUT6_S/64 dev vs nodad
	ip -n "$NS_C" addr add $OUT6_C/64 dev vc nodad
	ip -n "$NS_S" link set vs up
	ip -n "$NS_C" link set vc up
	mkdir -p "/etc/netns/$NS_C"
	if [ "$fam" = 6 ]; then
		printf '127.0.0.1 localhost\n%s server.test\n' $OUT6_S >"/etc/netns/$NS_C/hosts"
	else
		printf '127.0.0.1 localhost\n%s server.test\n' $OUT4_S >"/etc/netns/$NS_C/hosts"
	fi
}

# A throw-away CA and an ECDSA P-256 server certificate for server.test
# and both outside addresses: $IT_TMP/ca.crt, server.crt, server.key.
it_certs() {
	local d=$IT_TMP
	openssl ecparam -name prime256v1 -genkey -noout -out $d/ca.key 2>/dev/null &&
	openssl req -x509 -new -key $d/ca.key -subj "/CN=opensstp test CA" \
		-days 2 -out $d/ca.crt 2>/dev/null &&
	openssl ecparam -name prime256v1 -genkey -noout -out $d/server.key 2>/dev/null &&
	openssl req -new -key $d/server.key -subj "/CN=server.test" \
		-out $d/server.csr 2>/dev/null &&
	printf 'subjectAltName=DNS:server.test,IP:%s,IP:%s\nextendedKeyUsage=serverAuth\n' \
		$OUT4_S $OUT6_S >$d/server.ext &&
	openssl x509 -req -in $d/server.csr -CA $d/ca.crt -CAkey $d/ca.key \
		-CAcreateserial -days 2 -extfile $d/server.ext \
		-out $d/server.crt 2>/dev/null || it_fail "openssl: cannot make certificates"
}

# Users file: it_users "alice s3cret" "bob nt:..."
it_users() {
	printf '%s\n' "$@" >"$IT_TMP/users"
}

# Wait until FILE has a line matching the extended regex, or fail.
it_wait_log() { # FILE REGEX SECONDS
	local i n=$(($3 * 10))
	for ((i = 0; i < n; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# Start the server in its namespace; extra arguments are passed on.
# SERVER_PID and SERVER_LOG are set.
it_server() {
	SERVER_LOG=$IT_TMP/server.log
	local ready
	ready=$(grep -c "INFO: ready:" "$SERVER_LOG" 2>/dev/null)
	ip netns exec "$NS_S" "$SERVER_BIN" --listen "$OUT4_S:443,[$OUT6_S]:443" \
		--cert "$IT_TMP/server.crt" --key "$IT_TMP/server.key" \
		--users "$IT_TMP/users" --pool4 $POOL4 --prefix6 $PREFIX6 \
		--dns 10.77.0.53,fd77::53 $IT_TIMERS_SRV "$@" \
		>>"$SERVER_LOG" 2>&1 &
	SERVER_PID=$!
	IT_PIDS+=("$SERVER_PID")
	# The log is appended to: wait for this start's own ready line.
	local i n
	for ((i = 0; i < 100; i++)); do
		n=$(grep -c "INFO: ready:" "$SERVER_LOG" 2>/dev/null)
		[ "${n:-0}" -gt "${ready:-0}" ] && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	it_fail "server did not start: $(tail -3 "$SERVER_LOG")"
}

# Start a client in its namespace (backgrounded); CLIENT_PID, CLIENT_LOG.
it_client() { # LOGNAME ARGS...
	CLIENT_LOG=$IT_TMP/$1.log
	shift
	ip netns exec "$NS_C" "$CLIENT_BIN" $IT_TIMERS_CLI "$@" \
		>>"$CLIENT_LOG" 2>&1 &
	CLIENT_PID=$!
	IT_PIDS+=("$CLIENT_PID")
}

# The usual client: alice, verified through the test CA, tun "tun$2".
it_client_up() { # LOGNAME [SERVER]
	it_client "$1" --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
		--tun "t$1" --no-routes "${2:-server.test}"
	it_wait_log "$CLIENT_LOG" "IPv4 up" 10 ||
		it_fail "client $1 did not come up: $(tail -3 "$CLIENT_LOG")"
}

# Stop a process with SIGTERM and give its exit status.
it_stop() { # PID [SECONDS]
	local pid=$1 n=$((${2:-10} * 10)) i
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < n; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	wait "$pid"
}

# No sanitizer report in any log of this case.
it_check_sanitizers() {
	if grep -l "Sanitizer" "$IT_TMP"/*.log 2>/dev/null; then
		grep -h -A15 "Sanitizer" "$IT_TMP"/*.log | head -40
		it_fail "sanitizer report"
	fi
}

# A byte counter from a log line: it_counter FILE REGEX KEY
it_counter() {
	grep -E -- "$2" "$1" | tail -1 | grep -o "$3=[0-9]*" | cut -d= -f2
}

# Send SIZE random bytes from the client to the server's tunnel address
# through TCP and compare them: prints the byte count on success.
it_transfer() { # DEST_ADDR SIZE_KB
	local dst=$1 kb=$2 port=5001 pf=ip4 d=$1 i
	case "$dst" in *:*) pf=ip6 d="[$dst]" ;; esac
	head -c $((kb * 1024)) /dev/urandom >"$IT_TMP/tx.bin"
	rm -f "$IT_TMP/rx.bin"
	ip netns exec "$NS_S" socat -u TCP-LISTEN:$port,bind=$d,reuseaddr,pf=$pf \
		OPEN:"$IT_TMP/rx.bin",creat,trunc >>"$IT_TMP/socat.log" 2>&1 &
	local rpid=$!
	for ((i = 0; i < 50; i++)); do
		ip netns exec "$NS_S" ss -Hltn "sport = :$port" | grep -q . && break
		sleep 0.1
	done
	timeout 30 ip netns exec "$NS_C" socat -u OPEN:"$IT_TMP/tx.bin" TCP:$d:$port ||
		{ kill $rpid 2>/dev/null; return 1; }
	wait $rpid
	cmp -s "$IT_TMP/tx.bin" "$IT_TMP/rx.bin" || return 1
	echo $((kb * 1024))
}

# Wait up to SECONDS for PID (a child of this shell) to exit and give its
# exit status; 124 if it is still running.
it_wait_exit() { # PID SECONDS
	local pid=$1 n=$(($2 * 10)) i
	for ((i = 0; i < n; i++)); do
		kill -0 "$pid" 2>/dev/null || {
			wait "$pid"
			return
		}
		sleep 0.1
	done
	return 124
}

# Another certificate from the test CA (after it_certs), with a key of its
# own: $IT_TMP/NAME.crt and NAME.key.  SAN is an openssl subjectAltName
# value, e.g. "DNS:server.test".
it_cert() { # NAME CN SAN
	local d=$IT_TMP n=$1
	openssl ecparam -name prime256v1 -genkey -noout -out $d/$n.key 2>/dev/null &&
	openssl req -new -key $d/$n.key -subj "/CN=$2" -out $d/$n.csr 2>/dev/null &&
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$3" >$d/$n.ext &&
	openssl x509 -req -in $d/$n.csr -CA $d/ca.crt -CAkey $d/ca.key \
		-CAserial $d/ca.srl -days 2 -extfile $d/$n.ext \
		-out $d/$n.crt 2>/dev/null || it_fail "openssl: cannot make $n.crt"
}

# Replace the client namespace's hosts file: it_hosts "ADDR NAME..." ...
it_hosts() {
	{
		echo "127.0.0.1 localhost"
		printf '%s\n' "$@"
	} >"/etc/netns/$NS_C/hosts"
}

# Run a helper program (socat...) in namespace NS in a process group of
# its own, so that its forked children go too: BG_PID is set.
it_bg() { # NS LOGNAME COMMAND...
	local ns=$1 log=$IT_TMP/$2.log
	shift 2
	ip netns exec "$ns" setsid "$@" >>"$log" 2>&1 &
	BG_PID=$!
	IT_PGIDS+=("$BG_PID")
}

# Wait until something listens on TCP PORT in namespace NS.
it_wait_listen() { # NS PORT SECONDS
	local i n=$(($3 * 10))
	for ((i = 0; i < n; i++)); do
		ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# The last line a client wrote (its final message).
it_last() { # LOGFILE
	tail -1 "$1"
}

# --- Routes, DNS and the kill switch (issue 12) ---

# A default route in the client namespace through the server's end of the
# veth (IPv4 and IPv6), as a host behind a router has.
it_client_gateway() {
	ip -n "$NS_C" route add default via $OUT4_S dev vc ||
		it_fail "default route in $NS_C"
	ip -n "$NS_C" -6 route add default via $OUT6_S dev vc ||
		it_fail "IPv6 default route in $NS_C"
}

# The client namespace's main routing tables, sorted, without the
# kernel's timers: equal before a client starts and after it ends.
it_routes_snapshot() {
	{
		ip -n "$NS_C" -4 route show table main
		ip -n "$NS_C" -6 route show table main
	} | sed -E 's/ expires [0-9]+sec//' | sort
}

# The device the client namespace sends to ADDR out of ("" if none).
it_route_dev() { # ADDR
	ip -n "$NS_C" route get "$1" 2>/dev/null |
		sed -nE 's/.* dev ([^ ]+).*/\1/p' | head -1
}

# Wait until ADDR goes out of DEV in the client namespace.
it_wait_route_dev() { # ADDR DEV SECONDS
	local i n=$(($3 * 10))
	for ((i = 0; i < n; i++)); do
		[ "$(it_route_dev "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# The state file a client on TUN keeps in the client namespace
# (routes.h: TUN@netINODE.state outside init's namespace).
it_state_file() { # TUN
	local ino
	ino=$(ip netns exec "$NS_C" stat -L -c %i /proc/self/ns/net)
	echo "/run/opensstp/$1@net$ino.state"
}

# Does the client namespace have the kill switch table of TUN?
it_ks_table() { # TUN
	ip netns exec "$NS_C" nft list table inet "opensstp_$1" >/dev/null 2>&1
}

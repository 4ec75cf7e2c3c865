# Helpers for the proxy cases (sourced after lib.sh): three namespaces in
# a row, client -- proxy -- server, so that squid in the middle is the
# client's only way out, and our own squid instance in the middle one
# (its own config, no cache, pid file and logs in $IT_TMP; never the
# system service).  Everything goes when the case exits.

NS_P=ost${IT_ID}p
PX_DIR=$IT_TMP/squid
PROXY4=10.202.0.1 CLI4=10.202.0.2
PROBE_BIN=$BUILD/unit/proxy_probe
SQUID_PID=

px_cleanup() {
	local i
	if [ -n "$SQUID_PID" ]; then
		kill -TERM -- "-$SQUID_PID" 2>/dev/null
		for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
			kill -0 "$SQUID_PID" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL -- "-$SQUID_PID" 2>/dev/null
	fi
	ip netns del "$NS_P" 2>/dev/null
	it_cleanup
}
trap px_cleanup EXIT

px_require() {
	[ "$(id -u)" = 0 ] || it_skip "needs root (network namespaces)"
	command -v squid >/dev/null || it_skip "squid not installed"
	[ -x /usr/lib/squid/basic_ncsa_auth ] && [ -x /usr/lib/squid/digest_file_auth ] ||
		it_skip "squid's auth helpers not installed"
	id proxy >/dev/null 2>&1 || it_skip "no user proxy for squid"
	command -v socat >/dev/null || it_fail "socat not installed (make deps)"
}

# client (NS_C) -- proxy (NS_P) -- server (NS_S); the client has no
# route beyond the proxy's link.
px_net() {
	ip netns add "$NS_S" || it_fail "ip netns add"
	ip netns add "$NS_P" || it_fail "ip netns add"
	ip netns add "$NS_C" || it_fail "ip netns add"
	ip link add vs netns "$NS_S" type veth peer name vps netns "$NS_P" ||
		it_fail "veth"
	ip link add vc netns "$NS_C" type veth peer name vpc netns "$NS_P" ||
		it_fail "veth"
	local ns
	for ns in "$NS_S" "$NS_P" "$NS_C"; do ip -n "$ns" link set lo up; done
	ip -n "$NS_S" addr add $OUT4_S/24 dev vs
	ip -n "$NS_S" addr add $OUT6_S/64 dev vs nodad
	ip -n "$NS_P" addr add $OUT4_C/24 dev vps
	ip -n "$NS_P" addr add $OUT6_C/64 dev vps nodad
	ip -n "$NS_P" addr add $PROXY4/24 dev vpc
	ip -n "$NS_C" addr add $CLI4/24 dev vc
	ip -n "$NS_S" link set vs up
	ip -n "$NS_P" link set vps up
	ip -n "$NS_P" link set vpc up
	ip -n "$NS_C" link set vc up
	mkdir -p "/etc/netns/$NS_C"
	printf '127.0.0.1 localhost\n%s server.test\n%s proxy.test\n' \
		$OUT4_S $PROXY4 >"/etc/netns/$NS_C/hosts"
	ip netns exec "$NS_C" ping -c1 -W1 $OUT4_S >/dev/null 2>&1 &&
		it_fail "the client reaches the server without the proxy"
	return 0
}

# Start squid in NS_P: px_squid none|basic|digest [CONFIG LINE...].
# Users: alice / proxy-pw (and "mufasa" / "Circle of Life").
px_squid() {
	local mode=$1 i
	shift
	mkdir -p "$PX_DIR"
	chmod 711 "$IT_TMP"
	chown proxy "$PX_DIR"
	printf '%s server.test\n' $OUT4_S >"$PX_DIR/hosts"
	printf 'alice:%s\nmufasa:%s\n' "$(openssl passwd -apr1 proxy-pw)" \
		"$(openssl passwd -apr1 'Circle of Life')" >"$PX_DIR/htpasswd"
	printf 'alice:proxy-pw\nmufasa:Circle of Life\n' >"$PX_DIR/digest"
	chmod 644 "$PX_DIR/htpasswd" "$PX_DIR/digest" "$PX_DIR/hosts"
	{
		echo "http_port $PROXY4:3128"
		echo "pid_filename $PX_DIR/squid.pid"
		echo "cache_effective_user proxy"
		echo "cache deny all"
		echo "cache_mem 0 MB"
		echo "access_log stdio:$PX_DIR/access.log"
		echo "cache_log $PX_DIR/cache.log"
		echo "cache_store_log none"
		echo "coredump_dir $PX_DIR"
		echo "hosts_file $PX_DIR/hosts"
		echo "dns_nameservers 127.0.0.1"
		echo "pinger_enable off"
		echo "shutdown_lifetime 1 seconds"
		echo "acl SSL_ports port 443 7000"
		echo "acl CONNECT method CONNECT"
		echo "http_access deny CONNECT !SSL_ports"
		case $mode in
		basic)
			echo "auth_param basic program /usr/lib/squid/basic_ncsa_auth $PX_DIR/htpasswd"
			echo "auth_param basic realm opensstp-test"
			echo "acl authed proxy_auth REQUIRED"
			echo "http_access allow authed"
			;;
		digest)
			echo "auth_param digest program /usr/lib/squid/digest_file_auth $PX_DIR/digest"
			echo "auth_param digest realm opensstp-test"
			echo "acl authed proxy_auth REQUIRED"
			echo "http_access allow authed"
			;;
		*) echo "http_access allow all" ;;
		esac
		echo "http_access deny all"
		printf '%s\n' "$@"
	} >"$PX_DIR/squid.conf"
	ip netns exec "$NS_P" setsid squid -N -f "$PX_DIR/squid.conf" \
		>>"$IT_TMP/squid.log" 2>&1 &
	SQUID_PID=$!
	it_wait_listen "$NS_P" 3128 10 ||
		it_fail "squid did not start: $(tail -3 "$IT_TMP/squid.log" "$PX_DIR/cache.log" 2>/dev/null)"
}

px_stop_squid() {
	[ -n "$SQUID_PID" ] || return 0
	kill -TERM -- "-$SQUID_PID" 2>/dev/null
	for i in $(seq 30); do
		kill -0 "$SQUID_PID" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL -- "-$SQUID_PID" 2>/dev/null
	wait "$SQUID_PID" 2>/dev/null
	SQUID_PID=
	rm -f "$PX_DIR/squid.pid"
}

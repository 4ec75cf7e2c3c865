# Helpers shared by the peer providers (bench/providers/openvpn.sh,
# ocserv.sh, softether.sh), sourced by them.  Prefix pv_.  It lives in a
# subdirectory so that nothing that globs bench/providers/*.sh takes it
# for a provider.  Needs the caller's NS_S, NS_C and WORK (bench/README.md,
# "Providers").

# Milliseconds since the epoch (microsecond clock, no fork).
pv_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# Every descendant of PID, by parent PID, depth first.
pv_descendants() { # PID
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		echo "$c"
		pv_descendants "$c"
	done
}

# The PIDs given and all their descendants, one per line, no duplicates.
pv_tree() { # PID...
	local p
	for p in "$@"; do
		echo "$p"
		pv_descendants "$p"
	done | sort -un
}

# Sum of VmRSS in KB over the PIDs and all their descendants (threads
# share their process's RSS, so each process counts once).  RSS counts the
# shared library pages every process maps, so for a server that execs a
# worker per client (ocserv) it is more than the memory really added;
# PV_MEM=uss sums the private pages (Private_Clean + Private_Dirty)
# instead, a diagnostic: the benchmark's figure is RSS, the same for every
# server.  (PSS is no better: the clients in NS_C map the same libraries,
# so starting them lowers a server's PSS.)
pv_rss_kb() { # PID...
	local p kb sum=0
	for p in $(pv_tree "$@"); do
		if [ "${PV_MEM:-}" = uss ]; then
			kb=$(awk '$1 ~ /^Private_(Clean|Dirty):$/ { s += $2 } END { print s }' \
				"/proc/$p/smaps_rollup" 2>/dev/null)
		else
			kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$p/status" 2>/dev/null)
		fi
		sum=$((sum + ${kb:-0}))
	done
	echo "$sum"
}

# Poll with one ping every 10 ms from NS to ADDR until one is answered;
# print the milliseconds since T0_MS.  Returns 1 after SECONDS, 2 if PID
# (optional) has exited first.  Under the bench driver this is its own
# bench_first_ping (bench/lib.sh), the one opensstp's provider uses, so
# that every setup time is taken the same way; alone (try.sh), the same
# method: a ping process per try, -W 0.05 (ping fails at once while there
# is no route yet), 10 ms between tries.
pv_first_ping() { # NS ADDR T0_MS SECONDS [PID]
	if declare -F bench_first_ping >/dev/null; then
		bench_first_ping "$@"
		return
	fi
	local ns=$1 addr=$2 t0=$3 end=$(($3 + $4 * 1000))
	while [ "$(pv_ms)" -lt $end ]; do
		if ip netns exec "$ns" ping -n -q -c 1 -W 0.05 "$addr" >/dev/null 2>&1; then
			echo $(($(pv_ms) - t0))
			return 0
		fi
		[ -n "${5:-}" ] && ! kill -0 "$5" 2>/dev/null && return 2
		sleep 0.01
	done
	return 1
}

# Wait until something listens on TCP PORT in NS (ss), for SECONDS.
pv_wait_listen() { # NS PORT SECONDS
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	return 1
}

# Wait until FILE holds a line matching the extended REGEX, for SECONDS;
# 2 if PID (optional) exits first.
pv_wait_log() { # FILE REGEX SECONDS [PID]
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		[ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null && return 2
		sleep 0.05
	done
	return 1
}

# Wait until FILE exists, for SECONDS; 2 if PID (optional) exits first.
pv_wait_file() { # FILE SECONDS [PID]
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		[ -e "$1" ] && return 0
		[ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 2
		sleep 0.05
	done
	return 1
}

# Stop the PIDs (processes this provider started): SIGTERM, up to 5 s
# for them to go, then SIGKILL.  Reaps those that are our children.
pv_stop() { # PID...
	local p i alive
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		alive=
		for p in "$@"; do
			kill -0 "$p" 2>/dev/null && alive=1
		done
		[ -z "$alive" ] && break
		sleep 0.05
	done
	kill -KILL "$@" 2>/dev/null
	for p in "$@"; do
		wait "$p" 2>/dev/null
	done
	return 0
}

# A throw-away CA in DIR and a server certificate for server.test signed
# by it (ECDSA P-256, the key type opensstp's own benchmark server uses):
# DIR/ca.crt, DIR/server.crt, DIR/server.key.
pv_ca() { # DIR
	local d=$1
	mkdir -p "$d" || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/ca.key" -out "$d/ca.crt" -days 2 -subj /CN=bench-ca \
		>"$d/openssl.log" 2>&1 || return 1
	pv_cert "$d" server server.test serverAuth
}

# A certificate signed by DIR's CA: DIR/NAME.crt and DIR/NAME.key, with
# CN (also the DNS subjectAltName) and extended key usage EKU
# (serverAuth or clientAuth).  keyUsage is present: OpenVPN's
# remote-cert-tls requires it.
pv_cert() { # DIR NAME CN EKU
	local d=$1
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=%s\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n' \
		"$3" "$4" >"$d/$2.ext"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$d/$2.key" -out "$d/$2.csr" -subj "/CN=$3" \
		>>"$d/openssl.log" 2>&1 &&
		openssl x509 -req -in "$d/$2.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
			-CAcreateserial -days 2 -extfile "$d/$2.ext" -out "$d/$2.crt" \
			>>"$d/openssl.log" 2>&1
}

# Remove a provider's state directory; with PV_KEEP set (a directory),
# move it there first, for its logs.
pv_rm_state() { # DIR
	if [ -n "${PV_KEEP:-}" ] && [ -d "$1" ]; then
		mkdir -p "$PV_KEEP" && cp -a "$1" "$PV_KEEP/$(basename "$1").$(date +%H%M%S%N)"
	fi
	rm -rf "$1"
}

# Print RSS growth per client in KB: (after - before) / K, rounded.
pv_per_client() { # BEFORE_KB AFTER_KB K
	echo $((($2 - $1 + $3 / 2) / $3))
}

#!/bin/bash
# Memory per idle session (issue 13; a measurement, not a test): a release
# opensstpd in a network namespace, opensstp-load holding SESSIONS full
# sessions (TLS, SSTP, MS-CHAPv2, binding, IPCP) idle from another; the
# server's resident memory and the kernel's socket memory before and
# after, per session.  As root:
#
#	make BUILD=build-load && tools/measure-idle-memory.sh build-load 1000
#
# Compare with an idle TLS 1.3 connection with released buffers, as
# measured on this kind of machine: 13.9 KB of RSS, and ~4 KB of kernel
# memory per TCP socket.  Timers are the server's defaults (LCP echo 30 s, SSTP
# hello 60 s), so nothing wakes a session while it is measured.  The
# kernel's part is the slab caches a TCP socket lives in, counted
# machine-wide and halved (both ends of every connection are on this
# machine; other work moves them a little); the sockstat "mem" pages are
# the TCP buffers still queued (none when idle).  The warm-up's heap is
# given back (heap_trim) before the "before" figure is read.
#
# SETUP_CONCURRENCY=N sets the sessions up N at a time (make bench: 200);
# unset, all at once.  It moves the figure by a third: a handshake's
# temporaries (~50 KB) are freed around the long-lived objects of the
# handshakes beside it, and every page that keeps one stays resident
# (issue 15: 24 KB per session all at once, 17 KB 200 at a time, 16 KB
# one at a time, for 15 KB of live heap).
BUILD=${1:-build-load}
N=${2:-1000}
HOLD_MS=${HOLD_MS:-30000}
SETTLE_S=${SETTLE_S:-3}
export BUILD
. "$(dirname "$0")/../tests/integration/lib.sh"
LOAD_BIN=$BUILD/bin/opensstp-load
[ -x "$LOAD_BIN" ] || it_fail "no $LOAD_BIN"
it_require
grep -qa AddressSanitizer "$SERVER_BIN" &&
	it_log "warning: $SERVER_BIN is a sanitizer build; measure a release build (make BUILD=build-load)"

status_kb() { # PID FIELD
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}
# The slab caches a TCP socket lives in (its sock, inode, dentry, file,
# epoll entry), in KB: machine-wide, but little else moves them.
socket_slab_kb() {
	awk '$1 ~ /^(TCP|TCPv6|sock_inode_cache|dentry|filp|eventpoll_epi|eventpoll_pwq)$/ {
		b += $2 * $4 } END { printf "%d", b / 1024 }' /proc/slabinfo
}
sockstat() { # NS: "inuse mem" of the TCP line
	ip netns exec "$1" awk '$1 == "TCP:" { print $3, $11 }' /proc/net/sockstat
}
starts() {
	grep -c "session=[0-9]* start" "$SERVER_LOG"
}
ends() {
	grep -c "session=[0-9]* end" "$SERVER_LOG"
}
load() { # SESSIONS CONCURRENCY HOLD_MS
	ip netns exec "$NS_C" "$LOAD_BIN" --sessions "$1" --concurrency "$2" \
		${SETUP_CONCURRENCY:+--setup-concurrency "$SETUP_CONCURRENCY"} \
		--hold-ms "$3" --timeout-ms 60000 --user alice --password s3cret \
		--ca-file "$IT_TMP/ca.crt" --host server.test $OUT4_S:443
}

it_net 4
it_certs
it_users "alice s3cret"
it_server --pool4 10.77.0.0/16 --max-per-source 0 --max-sessions 0 --hello-ms 60000 \
	--lcp-echo-ms 30000 --handshake-ms 60000
# Warm-up: OpenSSL's and the allocator's one-time state is not a
# session's.
load 50 50 100 >"$IT_TMP/warmup.log" 2>&1 || it_fail "warm-up: $(head -3 "$IT_TMP/warmup.log")"
for _ in $(seq 100); do [ "$(ends)" -ge 50 ] && break; sleep 0.1; done
# The server trims its heap 2 s after a burst (server/heap_trim.h).
sleep 3
rss0=$(status_kb "$SERVER_PID" VmRSS)
anon0=$(status_kb "$SERVER_PID" RssAnon)
slab0=$(socket_slab_kb)
read -r inuse0 mem0 <<<"$(sockstat "$NS_S")"
fd0=$(ls "/proc/$SERVER_PID/fd" | wc -l)
ends0=$(ends)
want=$(($(starts) + N))

load "$N" "$N" "$HOLD_MS" >"$IT_TMP/load.log" 2>&1 &
LOAD_PID=$!
IT_PIDS+=("$LOAD_PID")
for _ in $(seq 600); do [ "$(starts)" -ge $want ] && break; sleep 0.1; done
[ "$(starts)" -ge $want ] || it_fail "only $(($(starts) + N - want)) of $N sessions up"
sleep "$SETTLE_S"
rss1=$(status_kb "$SERVER_PID" VmRSS)
anon1=$(status_kb "$SERVER_PID" RssAnon)
slab1=$(socket_slab_kb)
read -r inuse1 mem1 <<<"$(sockstat "$NS_S")"
fd1=$(ls "/proc/$SERVER_PID/fd" | wc -l)
[ "$(ends)" -eq "$ends0" ] ||
	it_fail "sessions ended while measured: hold longer (HOLD_MS=$HOLD_MS)"
wait "$LOAD_PID" || it_fail "opensstp-load: $(head -3 "$IT_TMP/load.log")"

per() { # DELTA_KB -> KB per session, one decimal
	awk -v d="$1" -v n="$N" 'BEGIN { printf "%.1f", d / n }'
}
echo "sessions held idle: $N, set up ${SETUP_CONCURRENCY:-all} at a time ($(head -1 "$IT_TMP/load.log"))"
echo "server fds: $fd0 -> $fd1"
echo "server VmRSS: $rss0 -> $rss1 KB: $(per $((rss1 - rss0))) KB per session (RssAnon $(per $((anon1 - anon0))) KB)"
echo "kernel socket slabs (both ends are on this machine, so halved): $slab0 -> $slab1 KB: $(per $(((slab1 - slab0) / 2))) KB per socket"
echo "server namespace TCP sockets in use: $inuse0 -> $inuse1, buffer pages (sockstat mem, all namespaces): $mem0 -> $mem1"
echo "compare: LIMITS.md 6b/6c, an idle TLS connection with released buffers: 13.9 KB RSS + ~4 KB kernel"

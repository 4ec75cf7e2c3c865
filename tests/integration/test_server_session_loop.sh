#!/bin/bash
# 10 000 sessions opened and closed in a loop (issue 13): opensstp-load,
# 200 at a time from four source addresses, each session through TLS,
# SSTP, MS-CHAPv2, the binding and IPCP, held 1 ms and closed.  The
# server's open descriptors (/proc/PID/fd) are the idle count again after
# the loop, as after the warm-up, and never more than one per session
# above it while it runs; it logs 10 000 session ends and refuses nobody;
# the per-source counts come back to zero (100 sessions from one source
# are then admitted at max_per_source 100); it exits cleanly and
# LeakSanitizer finds nothing.  The client closes first, mostly with a
# reset (its socket still has the server's last bytes unread), so neither
# side piles up TIME_WAIT; the counts are logged.
. "$(dirname "$0")/lib.sh"
it_require
LOAD_BIN=$BUILD/bin/opensstp-load
[ -x "$LOAD_BIN" ] || it_fail "no $LOAD_BIN"
TOTAL=${LOOP_SESSIONS:-10000}
CONC=200
it_net 4
for i in 3 4 5; do
	ip -n "$NS_C" addr add 10.200.0.$i/24 dev vc || it_fail "ip addr add"
done
SOURCES=$OUT4_C,10.200.0.3,10.200.0.4,10.200.0.5
it_certs
it_users "alice s3cret"
# 50 sessions per source at a time, so a per-source limit twice that
# never refuses one; no login fails here, so bans stay at their default.
# Two workers: descriptors and memory of both threads accounted for.
it_server --max-per-source 100 --workers 2

load() { # LOGNAME SESSIONS CONCURRENCY HOLD_MS SOURCES
	ip netns exec "$NS_C" "$LOAD_BIN" --sessions "$2" --concurrency "$3" \
		--hold-ms "$4" --sources "$5" --user alice --password s3cret \
		--ca-file "$IT_TMP/ca.crt" --host server.test $OUT4_S:443 \
		>"$IT_TMP/$1.log" 2>&1
}
fds() {
	ls "/proc/$SERVER_PID/fd" | wc -l
}
ends() {
	grep -c "session=[0-9]* end" "$SERVER_LOG"
}
wait_ends() { # COUNT
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(ends)" -ge "$1" ] && break
		sleep 0.1
	done
	[ "$(ends)" = "$1" ] || it_fail "the server logged $(ends) session ends, not $1"
	# The last session's descriptor goes right after its end line.
	sleep 0.2
}

# Warm-up: one-time state (OpenSSL, the allocator, the ACL's table).
load warmup $CONC $CONC 50 "$SOURCES" || it_fail "warm-up: $(head -3 "$IT_TMP/warmup.log")"
wait_ends $CONC
idle=$(fds)
it_log "warm-up: $(head -1 "$IT_TMP/warmup.log"); server fds idle: $idle"

# The loop, the server's descriptors sampled meanwhile.
(
	peak=0
	while kill -0 "$SERVER_PID" 2>/dev/null && [ ! -e "$IT_TMP/loop.done" ]; do
		n=$(fds)
		[ "$n" -gt $peak ] && peak=$n && echo $peak >"$IT_TMP/peak"
		sleep 0.2
	done
) &
SAMPLER=$!
t0=$(date +%s)
load loop "$TOTAL" $CONC 1 "$SOURCES"
rc=$?
secs=$(($(date +%s) - t0))
touch "$IT_TMP/loop.done"
wait $SAMPLER
cat "$IT_TMP/loop.log"
[ $rc = 0 ] || it_fail "opensstp-load exit $rc: $(head -1 "$IT_TMP/loop.log")"
grep -q "^sessions $TOTAL: $TOTAL up, 0 failed" "$IT_TMP/loop.log" || it_fail "not all up"
wait_ends $((CONC + TOTAL))
after=$(fds)
peak=$(cat "$IT_TMP/peak" 2>/dev/null || echo 0)
it_log "loop of $TOTAL in $secs s; server fds: idle $idle, peak $peak, after $after"
for ns in "$NS_C" "$NS_S"; do
	it_log "$([ "$ns" = "$NS_C" ] && echo client || echo server):" \
		"$(ip netns exec "$ns" ss -Htan state time-wait | wc -l) in TIME_WAIT;" \
		"$(ip netns exec "$ns" nstat -az TcpOutRsts TcpEstabResets TcpExtTCPAbortOnClose TcpExtTCPAbortOnData |
			awk 'NR > 1 { printf "%s=%s ", $1, $2 }')"
done
[ "$after" = "$idle" ] || it_fail "server fds: $idle idle before the loop, $after after it"
[ "$peak" -le $((idle + 2 * CONC)) ] ||
	it_fail "server fds peaked at $peak for $CONC sessions at a time (idle $idle)"
grep -q "refused src=" "$SERVER_LOG" &&
	it_fail "the server refused a connection: $(grep -m1 "refused src=" "$SERVER_LOG")"
grep -q "closed before authentication" "$SERVER_LOG" &&
	it_fail "a session ended before its login: $(grep -m1 "closed before authentication" "$SERVER_LOG")"

# Every per-source count is back to zero: 100 at once from one source.
load one 100 100 2000 "$OUT4_C" ||
	it_fail "100 sessions from one source at max_per_source 100: $(head -3 "$IT_TMP/one.log")"
wait_ends $((CONC + TOTAL + 100))
[ "$(fds)" = "$idle" ] || it_fail "server fds: $idle idle, $(fds) at the end"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "$TOTAL sessions opened and closed in $secs s ($CONC at a time), server fds $idle before and after (peak $peak), no leak"

#!/bin/bash
# The release build with its seccomp filter enforcing (issue 13): every
# other case runs the sanitizer build, whose filter only logs.  Here a
# system call missing from the filter kills the daemon (SIGSYS), so the
# server does what a day in production does, on two workers: clients,
# traffic, a load of sessions, hostile input, SIGHUP, the heap trim, and
# the drain, and must still exit 0.  make check builds the release tree
# and passes it in RELEASE_BUILD.
RELEASE_BUILD=${RELEASE_BUILD:-}
if [ -z "$RELEASE_BUILD" ]; then
	echo "SKIP: no RELEASE_BUILD (make check sets it)"
	exit 77
fi
BUILD=$RELEASE_BUILD
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"
id nobody >/dev/null 2>&1 || it_skip "no user nobody"
LOAD_BIN=$BUILD/bin/opensstp-load
[ -x "$LOAD_BIN" ] && [ -x "$HOSTILE_BIN" ] || it_fail "no release tools in $BUILD/bin"
strings "$SERVER_BIN" | grep -q "AddressSanitizer" && it_fail "$SERVER_BIN is a sanitizer build"

hostile_start --workers 2 --max-per-source 0
grep -q "running user=nobody capabilities=none seccomp=enforce" "$SERVER_LOG" ||
	it_fail "not enforcing: $(grep running "$SERVER_LOG")"
[ "$(awk '$1 == "Seccomp:" { print $2 }' "/proc/$SERVER_PID/status")" = 2 ] ||
	it_fail "no seccomp filter on the server"

alive() { # WHAT
	kill -0 "$SERVER_PID" 2>/dev/null ||
		it_fail "server died after $1: $(tail -2 "$SERVER_LOG")"
}

# Sessions on both workers, with packets through each.
ip netns exec "$NS_C" "$LOAD_BIN" --sessions 200 --concurrency 50 --hold-ms 200 \
	--packets 5 --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
	--host server.test $OUT4_S:443 >"$IT_TMP/load.log" 2>&1 ||
	it_fail "opensstp-load: $(head -3 "$IT_TMP/load.log")"
alive "200 sessions"
it_transfer $IN4_S 2048 >/dev/null || it_fail "2 MiB through the tunnel"
for c in tcp-junk http-header-too-long attr-too-many binding-mac lcp-unknown-code \
	unknown-protocol echo-flood max-frame; do
	hostile_case $c
	alive "$c"
done
chmod o+x "$IT_TMP"
chmod 644 "$IT_TMP/users"
kill -HUP "$SERVER_PID"
it_wait_log "$SERVER_LOG" "reloaded users=" 5 || it_fail "no reload: $(tail -2 "$SERVER_LOG")"
# The heap is trimmed within seconds of a burst of set-ups.
sleep 3
alive "reload and heap trim"
grep -q "session=[0-9]* end .* worker=1 " "$SERVER_LOG" || it_fail "no session on worker 1"
it_stop "$SERVER_PID"
rc=$?
[ $rc = 0 ] || it_fail "server exit status $rc (159: killed by seccomp): $(tail -3 "$SERVER_LOG")"
it_pass "release build, seccomp enforcing, 2 workers: 200 sessions, 2 MiB, 8 attacks, SIGHUP, trim, drain; exit 0"

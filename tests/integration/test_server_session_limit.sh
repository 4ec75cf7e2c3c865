#!/bin/bash
# The total session limit (issue 13).  With max_sessions 2 and two
# clients up, a third connection is refused at accept with a log line
# naming the rule and answered HTTP 503 Service Unavailable over TLS
# (spec/sstp.md 1.3), which the client reports as a full server, not as
# "not an SSTP server".  A 503 costs a handshake, so only 16 are answered
# at once: with 16 silent connections waiting for theirs, the next one is
# closed at accept without a word.  Once a session ends, a new client is
# admitted again.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"
# Long enough a handshake limit that the silent connections below hold
# their places while the next one is tried.
it_server --max-sessions 2 --max-per-source 0 --handshake-ms 20000 \
	--setup-ms 30000
it_client_up c1
C1=$CLIENT_PID
it_client_up c2

refused_client() { # NAME: must fail within 5 s, without coming up
	local rc
	it_client "$1" --user alice --password s3cret \
		--ca-file "$IT_TMP/ca.crt" --tun "t$1" --no-routes server.test
	it_wait_exit "$CLIENT_PID" 5
	rc=$?
	[ $rc = 124 ] && it_fail "$1: still running after 5 s"
	[ $rc = 0 ] && it_fail "$1: exit status 0"
	grep -q "IPv4 up" "$CLIENT_LOG" && it_fail "$1: came up past max_sessions"
	it_log "$1: exit $rc: $(it_last "$CLIENT_LOG")"
}
nfull() {
	grep -c "refused src=$OUT4_C:[0-9]* rule=\"max_sessions 2\" answer=503\$" "$SERVER_LOG"
}

# 1. The third: refused at accept, answered 503.
refused_client c3
[ "$(nfull)" = 1 ] || it_fail "no refusal with answer=503: $(grep refused "$SERVER_LOG" | tail -2)"
grep -q "has no session free (HTTP 503 Service Unavailable)" "$CLIENT_LOG" ||
	it_fail "c3 does not report the 503: $(it_last "$CLIENT_LOG")"
grep -q "session=3 start" "$SERVER_LOG" && it_fail "a third session started"

# 2. 16 connections that never start TLS take every 503 place; the next
# connection is refused at accept and closed, with no answer.
it_bg "$NS_C" holders bash -c \
	"for i in \$(seq 16); do exec {fd}<>/dev/tcp/$OUT4_S/443 || exit 1; done; sleep 60"
for _ in $(seq 50); do
	[ "$(nfull)" -ge 17 ] && break
	sleep 0.1
done
[ "$(nfull)" = 17 ] || it_fail "$(($(nfull) - 1)) of 16 silent connections waiting for a 503"
refused_client c4
grep -q "refused src=$OUT4_C:[0-9]* rule=\"max_sessions 2\"\$" "$SERVER_LOG" ||
	it_fail "no refusal without an answer past 16 503s: $(grep refused "$SERVER_LOG" | tail -1)"
grep -q "HTTP 503" "$CLIENT_LOG" && it_fail "c4 got a 503 past the 16 places"
[ "$(nfull)" = 17 ] || it_fail "c4 was answered 503"
kill -TERM -- "-$BG_PID" 2>/dev/null

# 3. A session ends: the next client is admitted.
it_stop "$C1" || it_fail "c1 exit status $?"
it_wait_log "$SERVER_LOG" "session=1 end" 5 || it_fail "no end line for session 1"
it_client_up c5
it_wait_log "$SERVER_LOG" "start user=alice src=$OUT4_C:[0-9]+ " 5 || it_fail "no start line"
[ "$(grep -c "session=[0-9]* start" "$SERVER_LOG")" = 3 ] ||
	it_fail "$(grep -c "session=[0-9]* start" "$SERVER_LOG") sessions started, not 3"
it_stop "$CLIENT_PID" || it_fail "c5 exit status $?"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "max_sessions 2: the third refused at accept and answered 503, the 18th closed unanswered past 16 503s, a new one admitted after a session ended"

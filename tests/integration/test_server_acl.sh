#!/bin/bash
# Access control at accept, before TLS (issue 13): a denied IPv4 subnet and
# IPv6 prefix, an allow list without us, max_per_source, and the ban after
# repeated failed logins with its expiry; max_per_user after the login.  Each refusal is one log line
# naming the source and the rule; the client fails fast.
. "$(dirname "$0")/lib.sh"

it_require
it_net 4
it_certs
it_users "alice s3cret"
RUN=0

# Stop the server and keep its log aside, so each part greps its own.
srv_stop() {
	it_stop "$SERVER_PID" || it_fail "server exit status $?"
	RUN=$((RUN + 1))
	mv "$SERVER_LOG" "$IT_TMP/server-$RUN.log"
}

# A client that must be refused before TLS: it exits fast and the server
# logs the refusal with RULE.  No session starts.
refused() { # NAME RULE
	local t0 ms rc
	t0=$(date +%s%N)
	it_client "$1" --user alice --password s3cret \
		--ca-file "$IT_TMP/ca.crt" --tun "t$1" --no-routes server.test
	it_wait_exit "$CLIENT_PID" 10
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ $rc = 124 ] && it_fail "$1: client still running after 10 s"
	[ $rc = 0 ] && it_fail "$1: client exit status 0"
	[ $ms -lt 3000 ] || it_fail "$1: refusal took $ms ms"
	it_wait_log "$SERVER_LOG" "refused src=$OUT_C:[0-9]+ rule=\"$2\"" 5 ||
		it_fail "$1: no refused line with rule \"$2\": $(tail -3 "$SERVER_LOG")"
	grep -q "IPv4 up" "$CLIENT_LOG" && it_fail "$1: the refused client came up"
	it_log "$1 refused in $ms ms (exit $rc): $(grep -o 'refused src=.*' "$SERVER_LOG" | tail -1)"
}

OUT_C=$OUT4_C
# 1. A denied IPv4 subnet.
it_server --deny "192.0.2.0/24, 10.200.0.0/24"
refused d4 "deny 10.200.0.0/24"
grep -q "session=1 " "$SERVER_LOG" && it_fail "a session started for a denied address"
srv_stop

# 2. A denied IPv6 prefix, over IPv6 outside.
it_hosts "$OUT6_S server.test"
OUT_C="\\[$OUT6_C\\]"
it_server --deny "10.9.0.0/16,fd00:200::/64"
refused d6 "deny fd00:200::/64"
srv_stop
it_hosts "$OUT4_S server.test"
OUT_C=$OUT4_C

# 3. An allow list with another address only.
it_server --allow 10.200.0.99,fd00:200::99
refused a1 "not in allow"
srv_stop

# 4. max_per_source 1: a second concurrent client from our address.
it_server --max-per-source 1
it_client_up p1
P1=$CLIENT_PID
refused p2 "max_per_source 1"
kill -TERM "$P1"
it_wait_exit "$P1" 10 >/dev/null
srv_stop

# 5. Three wrong passwords ban the source; the right one is then refused
# until the ban ends, after which it connects.
it_server --ban-failures 3 --ban-ms 2000
for i in 1 2 3; do
	it_client w$i --user alice --password wrong --ca-file "$IT_TMP/ca.crt" \
		--tun tw$i --no-routes server.test
	it_wait_exit "$CLIENT_PID" 15
	rc=$?
	[ $rc = 3 ] || it_fail "w$i: exit status $rc, not 3: $(it_last "$CLIENT_LOG")"
done
it_wait_log "$SERVER_LOG" "src=$OUT4_C:[0-9]+ banned ms=2000 failures=3 " 5 ||
	it_fail "no ban logged: $(tail -3 "$SERVER_LOG")"
t_ban=$(date +%s%N)
refused b1 "banned [0-9]+s"
left=$((2200 - ($(date +%s%N) - t_ban) / 1000000))
[ $left -gt 0 ] && sleep "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))"
it_client_up b2
kill -TERM "$CLIENT_PID"
it_wait_exit "$CLIENT_PID" 10 >/dev/null
srv_stop

# 6. max_per_user 1: alice's second session is ended after its login.
it_server --max-per-user 1
it_client_up u1
U1=$CLIENT_PID
it_client u2 --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
	--tun tu2 --no-routes server.test
it_wait_exit "$CLIENT_PID" 15
rc=$?
[ $rc = 124 ] && it_fail "u2: still running after 15 s"
[ $rc = 0 ] && it_fail "u2: exit status 0"
grep -q "IPv4 up" "$CLIENT_LOG" && it_fail "u2: the second session came up"
it_wait_log "$SERVER_LOG" "user=alice src=$OUT4_C:[0-9]+ refused rule=\"max_per_user 1\"" 5 ||
	it_fail "no max_per_user line: $(tail -3 "$SERVER_LOG")"
it_log "u2 ended (exit $rc): $(it_last "$CLIENT_LOG")"
kill -0 "$U1" || it_fail "u1 went down"
kill -TERM "$U1"
it_wait_exit "$U1" 10 >/dev/null
srv_stop

it_check_sanitizers
it_pass "deny v4 and v6, allow list, max_per_source and the ban (3 failures, 2 s) refused before TLS; max_per_user after login"

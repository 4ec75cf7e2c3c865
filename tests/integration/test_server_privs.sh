#!/bin/bash
# After start-up the server runs as nobody with no capabilities, no way to
# gain any and a seccomp filter (/proc/PID/status), still serves a client
# (ping through, clean disconnect) and stops cleanly on SIGTERM.  A
# sanitizer build's filter only logs and says so; the release build's
# enforces (the kill itself is tests/unit/server/test_server_privs.c).  A
# user that does not exist stops the server at start-up.
. "$(dirname "$0")/lib.sh"
it_require
id nobody >/dev/null 2>&1 || it_skip "no user nobody"
uid=$(id -u nobody) gid=$(id -g nobody)
it_net 4
it_certs
it_users "alice s3cret"
it_server --log-level debug

field() { # NAME: the value of a /proc/PID/status line, blanks squeezed
	awk -v k="$1:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' \
		"/proc/$SERVER_PID/status"
}
[ "$(field Uid)" = "$uid $uid $uid $uid" ] || it_fail "Uid: $(field Uid), wanted $uid (nobody)"
[ "$(field Gid)" = "$gid $gid $gid $gid" ] || it_fail "Gid: $(field Gid), wanted $gid"
[ "$(field Groups)" = "$gid" ] || it_fail "Groups: '$(field Groups)', wanted $gid"
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
	[ "$(field $c)" = 0000000000000000 ] || it_fail "$c: $(field $c)"
done
[ "$(field NoNewPrivs)" = 1 ] || it_fail "NoNewPrivs: $(field NoNewPrivs)"
[ "$(field Seccomp)" = 2 ] || it_fail "Seccomp: $(field Seccomp) (2: a filter)"
mode=$(grep -o "running user=nobody capabilities=none seccomp=[a-z]*" "$SERVER_LOG" |
	sed 's/.*seccomp=//')
if grep -q "WARN: seccomp: sanitizer build" "$SERVER_LOG"; then
	[ "$mode" = log ] || it_fail "sanitizer build, but seccomp is '$mode', not log"
else
	[ "$mode" = enforce ] || it_fail "release build, but seccomp is '$mode', not enforce"
fi

it_client_up c1
ip netns exec "$NS_C" ping -c 3 -i 0.2 -W 2 -I tc1 $IN4_S >"$IT_TMP/ping4" 2>&1 ||
	it_fail "ping $IN4_S through the tunnel: $(tail -2 "$IT_TMP/ping4")"
it_stop "$CLIENT_PID"
rc=$?
[ $rc = 0 ] || it_fail "client exit $rc: $(tail -2 "$CLIENT_LOG")"
it_wait_log "$SERVER_LOG" "session=1 end " 5 || it_fail "no session end in the server log"
it_stop "$SERVER_PID"
rc=$?
[ $rc = 0 ] || it_fail "server exit $rc after SIGTERM: $(tail -3 "$SERVER_LOG")"
it_check_sanitizers

# A user that does not exist: refused at start-up, before "ready".
bad=$IT_TMP/bad.log
timeout 20 ip netns exec "$NS_S" "$SERVER_BIN" --listen "$OUT4_S:443" \
	--cert "$IT_TMP/server.crt" --key "$IT_TMP/server.key" \
	--users "$IT_TMP/users" --pool4 $POOL4 --user no-such-user-ost >"$bad" 2>&1
rc=$?
[ $rc = 1 ] || it_fail "unknown user: exit $rc, wanted 1: $(tail -2 "$bad")"
grep -q "ERROR: dropping privileges: user no-such-user-ost: no such user" "$bad" ||
	it_fail "unknown user: $(tail -2 "$bad")"
grep -q "INFO: ready:" "$bad" && it_fail "unknown user: the server said ready"
it_check_sanitizers

it_pass "uid $uid gid $gid, no capabilities, no_new_privs, seccomp $mode; ping through, clean stop; unknown user refused"

#!/bin/bash
# SIGHUP (issue 13): the users file and the ACL are read again while a
# session stays up and passes traffic; a broken configuration or users
# file is reported with its line and the old one stays in force.  The
# server runs as nobody, so a file it cannot read is named at start-up.
. "$(dirname "$0")/lib.sh"
it_require
id nobody >/dev/null 2>&1 || it_skip "no user nobody"
it_net 4
it_certs
it_users "alice s3cret"
CONF=$IT_TMP/opensstpd.conf
printf '[server]\ndeny = 192.0.2.0/24\n' >"$CONF"

# 1. Files nobody cannot read (IT_TMP is root's, mode 0700): named at start.
it_server -c "$CONF"
grep -q "WARN: unreadable what=users path=$IT_TMP/users user=nobody error=\"Permission denied\" sighup_reload=impossible" "$SERVER_LOG" ||
	it_fail "no warning for an unreadable users file: $(tail -3 "$SERVER_LOG")"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
mv "$SERVER_LOG" "$IT_TMP/server-unreadable.log"

chmod o+x "$IT_TMP"
chmod 644 "$IT_TMP/users" "$CONF"
it_server -c "$CONF"
grep -q "unreadable" "$SERVER_LOG" && it_fail "readable files warned about: $(grep "unreadable" "$SERVER_LOG")"
it_client_up c1
C1=$CLIENT_PID

ping_c1() { # WHEN
	ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 -I tc1 $IN4_S >"$IT_TMP/ping" 2>&1 ||
		it_fail "$1: the live session passes no traffic: $(tail -2 "$IT_TMP/ping")"
	kill -0 "$C1" 2>/dev/null || it_fail "$1: the live session's client exited"
}

reloads=0
hup() { # REGEX: send SIGHUP, wait for this reload's outcome line
	reloads=$((reloads + 1))
	kill -HUP "$SERVER_PID"
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(grep -Ec "$1" "$SERVER_LOG")" -ge "$2" ] && return 0
		sleep 0.1
	done
	it_fail "reload $reloads: no line matching '$1': $(tail -3 "$SERVER_LOG")"
}

# A client that must fail: exit status STATUS.
fails() { # NAME STATUS ARGS...
	local name=$1 want=$2
	shift 2
	it_client "$name" --ca-file "$IT_TMP/ca.crt" --tun "t$name" --no-routes "$@" server.test
	it_wait_exit "$CLIENT_PID" 15
	local rc=$?
	[ $rc = "$want" ] || it_fail "$name: exit status $rc, wanted $want: $(it_last "$CLIENT_LOG")"
}
# A client that must come up, and go.
comes_up() { # NAME ARGS...
	local name=$1
	shift
	it_client "$name" --ca-file "$IT_TMP/ca.crt" --tun "t$name" --no-routes "$@" server.test
	it_wait_log "$CLIENT_LOG" "IPv4 up" 10 ||
		it_fail "$name did not come up: $(tail -3 "$CLIENT_LOG")"
	it_stop "$CLIENT_PID" || it_fail "$name: client exit status $?"
}

# 2. A new user: bob cannot log in, then can after SIGHUP.
fails b1 3 --user bob --password b0b
it_users "alice s3cret" "bob b0b"
hup "INFO: reloaded users=2 users_before=1 deny=1 allow=0" 1
comes_up b2 --user bob --password b0b
ping_c1 "after adding a user"

# 3. The client's subnet denied: refused before TLS; the live session stays.
printf '[server]\ndeny = 192.0.2.0/24, 10.200.0.0/24\n' >"$CONF"
hup "INFO: reloaded users=2 users_before=2 deny=2" 1
fails d1 1 --user bob --password b0b
grep -Eq "refused src=$OUT4_C:[0-9]+ rule=\"deny 10.200.0.0/24\"" "$SERVER_LOG" ||
	it_fail "no refusal by the reloaded deny rule: $(tail -3 "$SERVER_LOG")"
ping_c1 "after denying its subnet"

# 4. A broken configuration file: named with its line; the deny stays.
printf '[server]\n# the deny list is gone\nno_such_key = 1\n' >"$CONF"
hup "ERROR: reload failed what=config error=\"$CONF:3: .*\" kept=old" 1
fails d2 1 --user bob --password b0b
[ "$(grep -Ec "refused src=$OUT4_C:[0-9]+ rule=\"deny 10.200.0.0/24\"" "$SERVER_LOG")" -ge 2 ] ||
	it_fail "the old deny rule is no longer in force after a broken reload"

# 5. A good configuration but a broken users file: nothing changes.
printf '[server]\n' >"$CONF"
it_users "alice s3cret" "carol"
hup "ERROR: reload failed what=users error=\"$IT_TMP/users:2: no password for user .*carol.*\" kept=old" 1
fails d3 1 --user bob --password b0b
ping_c1 "after two broken reloads"

# 6. Both fixed, alice removed: her live session stays; a new login fails.
it_users "bob b0b"
hup "INFO: reloaded users=1 users_before=2 deny=0 allow=0" 1
comes_up b3 --user bob --password b0b
fails a2 3 --user alice --password s3cret
ping_c1 "after removing its user"
grep -q "session=1 end" "$SERVER_LOG" && it_fail "the live session ended: $(grep "session=1 end" "$SERVER_LOG")"

it_stop "$C1" || it_fail "c1: client exit status $?"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "users and ACL reloaded 3 times with a session up; 2 broken files kept the old state"

#!/bin/bash
# etc/systemd/opensstpd.service (issue 13): the server started the way the
# unit starts it, as far as this machine can without systemd as PID 1 --
# root with only the unit's CapabilityBoundingSet, NoNewPrivileges, its
# UMask, stderr as the journal's stream and NOTIFY_SOCKET -- drops to
# nobody, says READY=1, carries a client, reloads on the unit's SIGHUP,
# and drains on SIGTERM with STOPPING=1.
. "$(dirname "$0")/lib.sh"
it_require
command -v setpriv >/dev/null || it_skip "setpriv is not installed"
id nobody >/dev/null 2>&1 || it_skip "no user nobody"
UNIT=$IT_TOP/etc/systemd/opensstpd.service
[ -f "$UNIT" ] || it_fail "no $UNIT"
key() { sed -nE "s/^$1=//p" "$UNIT" | tail -1; }

[ "$(key Type)" = notify ] || it_fail "Type=$(key Type), not notify"
[ "$(key ExecStart)" = /usr/sbin/opensstpd ] || it_fail "ExecStart=$(key ExecStart)"
key ExecReload | grep -q 'kill -HUP \$MAINPID' || it_fail "ExecReload=$(key ExecReload)"
[ "$(key NoNewPrivileges)" = yes ] || it_fail "NoNewPrivileges=$(key NoNewPrivileges)"
caps=$(key CapabilityBoundingSet)
[ -n "$caps" ] || it_fail "no CapabilityBoundingSet"
bset="-all"
for c in $caps; do
	c=$(echo "${c#CAP_}" | tr 'A-Z' 'a-z')
	bset="$bset,+$c"
done
umask_=$(key UMask)

it_net 4
it_certs
it_users "alice s3cret"
# The unprivileged server reads the users file again on SIGHUP.
chmod o+x "$IT_TMP"
chmod 644 "$IT_TMP/users"

sock=$IT_TMP/notify.sock
note=$IT_TMP/notify.out
: >"$note"
it_bg "$NS_S" notify socat -u UNIX-RECV:"$sock" OPEN:"$note",creat,append
for ((i = 0; i < 50; i++)); do
	[ -S "$sock" ] && break
	sleep 0.1
done
[ -S "$sock" ] || it_fail "socat did not bind $sock"

SERVER_LOG=$IT_TMP/server.log
: >"$SERVER_LOG"
stream=$(stat -c '%d:%i' "$SERVER_LOG")
ip netns exec "$NS_S" env NOTIFY_SOCKET="$sock" JOURNAL_STREAM="$stream" \
	setpriv --nnp --bounding-set "$bset" \
	sh -c 'umask "$0"; shift; exec "$@"' "${umask_:-0077}" x \
	"$SERVER_BIN" --listen "$OUT4_S:443" --cert "$IT_TMP/server.crt" \
	--key "$IT_TMP/server.key" --users "$IT_TMP/users" --pool4 $POOL4 \
	--prefix6 $PREFIX6 $IT_TIMERS_SRV >>"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
IT_PIDS+=("$SERVER_PID")
for ((i = 0; i < 100; i++)); do
	grep -q "READY=1" "$note" && break
	kill -0 "$SERVER_PID" 2>/dev/null || break
	sleep 0.1
done
grep -q "READY=1" "$note" ||
	it_fail "no READY=1 with the unit's bounding set ($bset): $(tail -2 "$SERVER_LOG" | tr '\n' ' ')"
grep -q "^<6>running user=nobody capabilities=none " "$SERVER_LOG" ||
	it_fail "not dropped to nobody: $(grep running "$SERVER_LOG")"
grep -q "^CapBnd:.*0000000000000000" /proc/$SERVER_PID/status ||
	it_fail "bounding set left: $(grep CapBnd /proc/$SERVER_PID/status)"

it_client_up c1
ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 -I tc1 $IN4_S >/dev/null ||
	it_fail "no ping through the tunnel"
# ExecReload.
kill -HUP "$SERVER_PID"
it_wait_log "$SERVER_LOG" "^<6>reloaded users=1" 5 ||
	it_fail "SIGHUP did not reload: $(tail -2 "$SERVER_LOG" | tr '\n' ' ')"
it_stop "$SERVER_PID" 15
rc=$?
[ $rc = 0 ] || it_fail "server exit status $rc: $(tail -2 "$SERVER_LOG" | tr '\n' ' ')"
grep -q "STOPPING=1" "$note" || it_fail "no STOPPING=1: $(tr '\n' ' ' <"$note")"
it_wait_exit "$CLIENT_PID" 10
it_check_sanitizers
it_pass "bounding set {$caps}, no_new_privs, umask ${umask_:-0077}: READY=1, nobody, client up, reload, STOPPING=1, exit 0"

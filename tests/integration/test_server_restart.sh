#!/bin/bash
# The server dies (SIGKILL) under a connected client and is started again:
# the client notices (the kernel resets/closes its TCP connection, or at
# the latest the keepalives fail), exits 7 "tunnel lost" with a clear
# message, and a new client connects to the restarted server.  Then the
# server freezes (SIGSTOP): the client's keepalives must find that out and
# it exits 7 too.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"
it_server --log-level debug
it_client_up c1
ip netns exec "$NS_C" ping -c 1 -W 2 -I tc1 $IN4_S >/dev/null 2>&1 || it_fail "ping before the restart"
pid1=$CLIENT_PID

t0=$(date +%s%N)
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
mv "$SERVER_LOG" "$IT_TMP/server-killed.txt" # no leak report after SIGKILL
it_wait_exit "$pid1" 15
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
last=$(it_last "$IT_TMP/c1.log")
it_log "client exit $rc after $ms ms: $last"
[ $rc = 124 ] && it_fail "the client still runs 15 s after the server died"
[ $rc = 7 ] || it_fail "client exit status $rc, want 7 (tunnel lost): $last"
echo "$last" | grep -Eiq "ERROR: .*(tunnel|connection|server).*(lost|ended|closed|reset)" ||
	it_fail "unclear message: $last"
ip netns exec "$NS_C" ip link show tc1 >/dev/null 2>&1 && it_fail "tc1 still exists after the client exited"

it_server --log-level debug
t1=$(date +%s%N)
it_client_up c2
ms2=$((($(date +%s%N) - t1) / 1000000))
ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 -I tc2 $IN4_S >/dev/null 2>&1 || it_fail "ping through the new tunnel"
it_wait_log "$SERVER_LOG" "session=1 start" 5 || it_fail "no start line on the restarted server"

# Now the server hangs (SIGSTOP) instead: only the client's keepalives
# (SSTP echo after 3 s of silence) can tell; it must give up in time.
t2=$(date +%s%N)
kill -STOP "$SERVER_PID"
it_wait_exit "$CLIENT_PID" 15
rc2=$?
ms3=$((($(date +%s%N) - t2) / 1000000))
kill -CONT "$SERVER_PID"
last2=$(it_last "$IT_TMP/c2.log")
it_log "frozen server: client exit $rc2 after $ms3 ms: $last2"
[ $rc2 = 124 ] && it_fail "the client still runs 15 s after the server froze"
[ $rc2 = 7 ] || it_fail "frozen server: client exit status $rc2, want 7: $last2"
it_wait_log "$SERVER_LOG" "session=1 end" 5 || it_fail "no end line on the restarted server"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "client exit 7 after $ms ms ('${last#*ERROR: }'); new client up on the restarted server in $ms2 ms; frozen server: exit 7 after $ms3 ms"

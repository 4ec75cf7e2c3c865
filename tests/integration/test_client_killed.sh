#!/bin/bash
# A client that goes away without a goodbye (no Call Disconnect):
#  a) killed with SIGKILL: the kernel closes its TCP connection, the server
#     must end the session promptly (at the latest after the keepalive
#     timeout) and free its address;
#  b) frozen with SIGSTOP (TCP stays open, nothing answers): only the
#     keepalives (SSTP echo after --hello-ms 3000, LCP echo every 1000 ms)
#     can find it; the server must end it within the keepalive timeout.
# Both times are measured and printed.  The IPv4 pool is a /30, one
# client address: each new client can only connect if the ended
# session's address went back to the pool; the last one passes traffic.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"
it_server --log-level debug --pool4 10.77.0.0/30
LIMIT=15 # seconds: hello 3 s + handshake/echo 5 s, with room for ASan

# Wait for LINE-RE in the server log; print ms since T0 (ns).
ended_after() { # RE T0
	it_wait_log "$SERVER_LOG" "$1" $LIMIT || return 1
	echo $((($(date +%s%N) - $2) / 1000000))
}

# a) SIGKILL
it_client_up c1
it_wait_log "$SERVER_LOG" "session=1 start" 5 || it_fail "no start line for session 1"
addr1=$(grep -o "session=1 start .*ipv4=[0-9.]*" "$SERVER_LOG" | grep -o "ipv4=[0-9.]*")
t0=$(date +%s%N)
kill -KILL "$CLIENT_PID"
wait "$CLIENT_PID" 2>/dev/null
ms_kill=$(ended_after "session=1 end" $t0) || it_fail "session 1 not ended $LIMIT s after SIGKILL"
end1=$(grep "session=1 end" "$SERVER_LOG")
it_log "SIGKILL: server ended session 1 after $ms_kill ms: ${end1##*reason=}"

# b) SIGSTOP: the connection stays, the peer is silent.
it_client_up c2
it_wait_log "$SERVER_LOG" "session=2 start" 5 || it_fail "no start line for session 2"
addr2=$(grep -o "session=2 start .*ipv4=[0-9.]*" "$SERVER_LOG" | grep -o "ipv4=[0-9.]*")
[ "$addr2" = "$addr1" ] || it_fail "session 2 got $addr2, session 1 had $addr1 (pool not a single address?)"
t0=$(date +%s%N)
kill -STOP "$CLIENT_PID"
ms_stop=$(ended_after "session=2 end" $t0)
ok=$?
kill -KILL "$CLIENT_PID"
kill -CONT "$CLIENT_PID" 2>/dev/null
wait "$CLIENT_PID" 2>/dev/null
[ $ok = 0 ] || it_fail "session 2 (frozen client) not ended $LIMIT s after SIGSTOP"
end2=$(grep "session=2 end" "$SERVER_LOG")
it_log "SIGSTOP: server ended session 2 after $ms_stop ms: ${end2##*reason=}"
[ "$ms_stop" -ge 2500 ] || it_fail "session 2 ended after only $ms_stop ms, before any keepalive could fail"

# The freed address goes to the next client, which works.
it_client_up c3
it_wait_log "$SERVER_LOG" "session=3 start" 5 || it_fail "no start line for session 3"
addr3=$(grep -o "session=3 start .*ipv4=[0-9.]*" "$SERVER_LOG" | grep -o "ipv4=[0-9.]*")
[ "$addr3" = "$addr1" ] || it_fail "session 3 got $addr3, not the freed $addr1 (pool leak?)"
ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 -I tc3 $IN4_S >/dev/null 2>&1 || it_fail "ping through the new client"
it_stop "$CLIENT_PID" || it_fail "client 3 exit status $?"
it_wait_log "$SERVER_LOG" "session=3 end" 5 || it_fail "no end line for session 3"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
# The killed clients cannot report leaks; the server and client 3 can.
it_check_sanitizers
it_pass "SIGKILL: ended in $ms_kill ms; SIGSTOP: ended in $ms_stop ms; $addr1 reused by session 3"

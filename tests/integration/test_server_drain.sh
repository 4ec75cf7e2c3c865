#!/bin/bash
# SIGTERM drains (issue 13, "Privileges and processes"): (a) a connected
# client is told (LCP Terminate, Call Disconnect), exits 7 "ended by the
# server", and the server exits 0 after its session's end line; (b) a
# client that cannot answer (SIGSTOP) holds the server only until
# --drain-ms; (c) with NOTIFY_SOCKET (a datagram socket this test owns,
# as systemd would), READY=1 arrives once the server is up and STOPPING=1
# on SIGTERM.
. "$(dirname "$0")/lib.sh"
it_require
command -v socat >/dev/null || it_skip "socat is not installed"
it_net 4
it_certs
it_users "alice s3cret"

# (a) a client that answers.
it_server --log-level debug
it_client_up c1
t0=$(date +%s%N)
it_stop "$SERVER_PID" 10
rc=$?
ms_a=$((($(date +%s%N) - t0) / 1000000))
[ $rc = 0 ] || it_fail "(a) server exit status $rc after SIGTERM: $(tail -3 "$SERVER_LOG")"
grep -Eq 'session=1 end .*reason="server stopping"' "$SERVER_LOG" ||
	it_fail "(a) no end line with reason \"server stopping\""
it_wait_exit "$CLIENT_PID" 10
crc=$?
last=$(it_last "$IT_TMP/c1.log")
[ $crc = 7 ] || it_fail "(a) client exit status $crc, want 7: $last"
echo "$last" | grep -Eiq "ERROR: .*(tunnel|connection|server).*(lost|ended|closed|disconnect)" ||
	it_fail "(a) unclear client message: $last"
grep -q "drain deadline" "$SERVER_LOG" && it_fail "(a) the deadline fired with a client that answers"
mv "$SERVER_LOG" "$IT_TMP/server-a.log"
: >"$SERVER_LOG"

# (b) a client that cannot answer: the deadline.
it_server --log-level debug --drain-ms 1500
it_client_up c2
kill -STOP "$CLIENT_PID"
t1=$(date +%s%N)
it_stop "$SERVER_PID" 10
rc=$?
ms_b=$((($(date +%s%N) - t1) / 1000000))
kill -CONT "$CLIENT_PID"
kill -TERM "$CLIENT_PID" 2>/dev/null
it_wait_exit "$CLIENT_PID" 10 >/dev/null
[ $rc = 0 ] || it_fail "(b) server exit status $rc: $(tail -3 "$SERVER_LOG")"
[ $ms_b -lt 2500 ] || it_fail "(b) the server took $ms_b ms to exit with --drain-ms 1500"
[ $ms_b -ge 1400 ] || it_fail "(b) the server exited after $ms_b ms, before the deadline"
grep -Eq "drain deadline drain_ms=1500 open=1" "$SERVER_LOG" ||
	it_fail "(b) no deadline line: $(tail -3 "$SERVER_LOG")"
mv "$SERVER_LOG" "$IT_TMP/server-b.log"
: >"$SERVER_LOG"

# (c) readiness over NOTIFY_SOCKET.
sock=$IT_TMP/notify.sock
note=$IT_TMP/notify.out
: >"$note"
socat -u UNIX-RECV:"$sock" - >"$note" 2>"$IT_TMP/socat.txt" &
IT_PIDS+=("$!")
for ((i = 0; i < 50; i++)); do
	[ -S "$sock" ] && break
	sleep 0.1
done
[ -S "$sock" ] || it_fail "(c) socat did not bind $sock"
NOTIFY_SOCKET=$sock it_server --log-level debug
for ((i = 0; i < 20; i++)); do
	grep -q "READY=1" "$note" && break
	sleep 0.1
done
grep -q "READY=1" "$note" || it_fail "(c) no READY=1 after start-up: $(cat "$note")"
grep -q "STATUS=" "$note" || it_fail "(c) no STATUS= with READY=1"
mainpid=$(grep -o "MAINPID=[0-9]*" "$note" | cut -d= -f2)
[ "$mainpid" = "$SERVER_PID" ] || it_fail "(c) MAINPID=$mainpid, server pid $SERVER_PID"
grep -q "STOPPING=1" "$note" && it_fail "(c) STOPPING=1 before SIGTERM"
it_stop "$SERVER_PID" 10
rc=$?
[ $rc = 0 ] || it_fail "(c) server exit status $rc: $(tail -3 "$SERVER_LOG")"
for ((i = 0; i < 20; i++)); do
	grep -q "STOPPING=1" "$note" && break
	sleep 0.1
done
grep -q "STOPPING=1" "$note" || it_fail "(c) no STOPPING=1 on SIGTERM: $(cat "$note")"
it_check_sanitizers
it_pass "(a) drained in $ms_a ms, client exit 7; (b) deadline after $ms_b ms; (c) READY=1 (MAINPID=$mainpid), STOPPING=1"

#!/bin/bash
# Two workers (issue 13): the kernel spreads sessions over both
# (SO_REUSEPORT), and traffic between two clients on different workers
# crosses between them: the TUN hands a forwarded packet to the queue of
# the worker that wrote it, which passes it to the other worker in a
# batch.  Pings both ways succeed, both workers count hand-offs, and
# every session's counters carry the pings.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"
it_server --workers 2 --max-per-source 0
grep -q "ready: .* workers=2" "$SERVER_LOG" || it_fail "not 2 workers: $(grep ready: "$SERVER_LOG")"

# Clients until both workers have one (each new one: 1 in 2 for worker 1).
declare -A on
n=0
while [ -z "${on[0]:-}" ] || [ -z "${on[1]:-}" ]; do
	n=$((n + 1))
	[ $n -le 16 ] || it_fail "16 sessions, all on one worker: $(grep -c "worker=0" "$SERVER_LOG") on worker 0"
	it_client_up c$n
	it_wait_log "$SERVER_LOG" "session=$n start user=alice .* worker=[01]" 10 ||
		it_fail "no start line for session $n: $(tail -2 "$SERVER_LOG")"
	line=$(grep -o "session=$n start user=alice .*" "$SERVER_LOG")
	w=${line##*worker=}
	addr=$(echo "$line" | grep -o "ipv4=[0-9.]*" | cut -d= -f2)
	# The client of session n is c$n: sessions start one at a time here.
	grep -q "IPv4 up: $addr " "$IT_TMP/c$n.log" ||
		it_fail "session $n ($addr) is not client c$n: $(grep 'IPv4 up' "$IT_TMP/c$n.log")"
	[ -n "${on[$w]:-}" ] || on[$w]="$n $addr"
done
read -r a addr_a <<<"${on[0]}"
read -r b addr_b <<<"${on[1]}"
it_log "$n sessions; c$a ($addr_a) on worker 0, c$b ($addr_b) on worker 1"

# Each ping leaves through one client's tunnel to the other's address.
# Both clients share a namespace: let a datagram arrive from the tunnel
# with a source address that is local (the other client's), and answer
# it directly.
ip netns exec "$NS_C" sysctl -qw net.ipv4.conf.all.accept_local=1 \
	net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.tc$a.rp_filter=0 \
	net.ipv4.conf.tc$b.rp_filter=0 net.ipv4.conf.tc$a.accept_local=1 \
	net.ipv4.conf.tc$b.accept_local=1 || it_fail "sysctl in $NS_C"
# The server's host routes between its clients.
ip netns exec "$NS_S" sysctl -qw net.ipv4.ip_forward=1 || it_fail "sysctl in $NS_S"
ip netns exec "$NS_C" ping -c 5 -i 0.2 -W 2 -I tc$a "$addr_b" >"$IT_TMP/ping-ab" 2>&1 ||
	it_fail "ping c$a -> c$b: $(tail -2 "$IT_TMP/ping-ab")"
ip netns exec "$NS_C" ping -c 5 -i 0.2 -W 2 -I tc$b "$addr_a" >"$IT_TMP/ping-ba" 2>&1 ||
	it_fail "ping c$b -> c$a: $(tail -2 "$IT_TMP/ping-ba")"

it_stop "$SERVER_PID" || it_fail "server exit status $?"
# The TUN steers a forwarded packet to the queue that last wrote its flow
# (either direction), so most pings cross; the kernel's choice is not
# ours to count exactly.
hand="" total=0
for w in 0 1; do
	h=$(grep -o "worker=$w handed_off=[0-9]*" "$SERVER_LOG" | cut -d= -f3)
	[ -n "$h" ] || it_fail "no statistics line for worker $w"
	[ "$h" -ge 1 ] || it_fail "worker $w handed nothing to the other"
	hand="$hand worker$w=$h" total=$((total + h))
done
[ $total -ge 5 ] || it_fail "only $total datagrams handed off:$hand" 
for s in $a $b; do
	out=$(grep -o "session=$s end .* pkts_out=[0-9]*" "$SERVER_LOG" | grep -o "pkts_out=[0-9]*" | cut -d= -f2)
	[ "${out:-0}" -ge 5 ] || it_fail "session $s sent ${out:-no} datagrams to its client, wanted >= 5"
done
it_check_sanitizers
it_pass "$n sessions over 2 workers; 5 pings each way between workers; handed off:$hand"

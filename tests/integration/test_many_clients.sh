#!/bin/bash
# 50 clients at once in one namespace (tun t1..t50), on a server with two
# workers: each gets an IPv4 address of its own, all ping the server's
# tunnel address at the same time through their own device (ping -I tN),
# every ping succeeds; the server logs 50 distinct sessions and
# addresses, and 50 end lines once all clients are stopped; no sanitizer
# report anywhere.
. "$(dirname "$0")/lib.sh"
N=${IT_MANY:-50}
it_require
it_net 4
it_certs
it_users "alice s3cret"
# Two workers: the multi-threaded path under ASan with many sessions.
it_server --max-per-source 0 --workers 2 # all clients share one address
t0=$(date +%s%N)
declare -a CPIDS
for ((i = 1; i <= N; i++)); do
	it_client m$i --no-routes --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
		--tun t$i server.test
	CPIDS[i]=$CLIENT_PID
done
# All up within 40 s (ASan processes on a small machine).
for ((s = 0; s < 400; s++)); do
	up=$(grep -l "IPv4 up" "$IT_TMP"/m*.log 2>/dev/null | wc -l)
	[ "$up" -ge $N ] && break
	sleep 0.1
done
ms_up=$((($(date +%s%N) - t0) / 1000000))
it_log "$up/$N clients up after $ms_up ms"
if [ "$up" -lt $N ]; then
	for ((i = 1; i <= N; i++)); do
		grep -q "IPv4 up" "$IT_TMP/m$i.log" || { it_log "m$i: $(tail -1 "$IT_TMP/m$i.log")"; break; }
	done
	it_fail "only $up of $N clients came up in $ms_up ms"
fi
for ((i = 1; i <= N; i++)); do
	a=$(grep -o "IPv4 up: [0-9.]* peer $IN4_S on t$i," "$IT_TMP/m$i.log") ||
		it_fail "m$i: IPv4 line not for t$i/$IN4_S: $(grep 'IPv4 up' "$IT_TMP/m$i.log")"
done
dup=$(grep -ho "IPv4 up: [0-9.]*" "$IT_TMP"/m*.log | sort | uniq -d | head -3)
[ -z "$dup" ] || it_fail "clients share addresses: $dup"

# Every client pings at the same time through its own device.
t1=$(date +%s%N)
declare -a PPIDS
for ((i = 1; i <= N; i++)); do
	ip netns exec "$NS_C" ping -c 5 -i 0.2 -W 3 -I t$i $IN4_S >"$IT_TMP/ping$i.txt" 2>&1 &
	PPIDS[i]=$!
done
bad=0
for ((i = 1; i <= N; i++)); do
	wait "${PPIDS[i]}" || { bad=$((bad + 1)); it_log "ping via t$i: $(tail -2 "$IT_TMP/ping$i.txt" | head -1)"; }
done
ms_ping=$((($(date +%s%N) - t1) / 1000000))
[ $bad = 0 ] || it_fail "$bad of $N parallel pings failed"
lost=$(grep -h "packet loss" "$IT_TMP"/ping*.txt | grep -vc " 0% packet loss")
[ "$lost" = 0 ] || it_fail "$lost pings lost packets"
it_log "$N x 5 pings all answered in $ms_ping ms"

it_wait_log "$SERVER_LOG" "session=$N start" 5 || true
starts=$(grep -E "session=[0-9]+ start" "$SERVER_LOG")
nid=$(echo "$starts" | grep -o "session=[0-9]*" | sort -u | wc -l)
nip=$(echo "$starts" | grep -o "ipv4=[0-9.]*" | sort -u | wc -l)
[ "$nid" = $N ] || it_fail "server started $nid distinct sessions, not $N"
[ "$nip" = $N ] || it_fail "server gave $nip distinct IPv4 addresses, not $N"

# Stop them all together.
t2=$(date +%s%N)
for ((i = 1; i <= N; i++)); do kill -TERM "${CPIDS[i]}"; done
bad=0
for ((i = 1; i <= N; i++)); do
	it_wait_exit "${CPIDS[i]}" 20
	rc=$?
	[ $rc = 0 ] || { bad=$((bad + 1)); it_log "m$i exit $rc: $(tail -1 "$IT_TMP/m$i.log")"; }
done
[ $bad = 0 ] || it_fail "$bad clients did not exit 0"
for ((s = 0; s < 100; s++)); do
	nend=$(grep -cE "session=[0-9]+ end" "$SERVER_LOG")
	[ "$nend" -ge $N ] && break
	sleep 0.1
done
ms_stop=$((($(date +%s%N) - t2) / 1000000))
[ "$nend" = $N ] || it_fail "$nend end lines on the server, not $N"
# Each session carried its own client's 5 echo requests.
few=$(grep -E "session=[0-9]+ end" "$SERVER_LOG" | grep -o "pkts_in=[0-9]*" | awk -F= '$2 < 5' | wc -l)
[ "$few" = 0 ] || it_fail "$few sessions carried fewer than 5 datagrams in"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "$N clients up in $ms_up ms, $N parallel pings in $ms_ping ms, $nid sessions/$nip addresses, all stopped in $ms_stop ms"

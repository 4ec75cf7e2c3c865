#!/bin/bash
# Hostile input before HTTP (issue 13): plaintext HTTP and junk on the TLS
# port close at once; 300 idle TCP connections and 200 idle TLS
# connections are all closed by the handshake timers (the TLS ones with
# 408) while the established session passes traffic and a new session comes
# up; the request one byte a second is cut at the HTTP deadline with 408.
# Then with max_per_source at its default, 16: the 17th idle connection
# from one address is refused by that rule, at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"

# Checks while idle connections are held: run the attack in the background.
held_case() { # CASE COUNT
	HOSTILE_N=$((HOSTILE_N + 1))
	local log=h-$HOSTILE_N-$1
	hostile_run $log $SRC_ATTACK --case $1 --count $2 --close-ms 9000 &
	local pid=$!
	sleep 1.5
	hostile_checks "$1 (held)"
	wait $pid || it_fail "$1: $(grep -E '^(result|note|mismatch)' "$IT_TMP/$log.log" | tr '\n' ' ')"
	it_log "$1: $(grep -E '^(result|note)' "$IT_TMP/$log.log" | cut -d' ' -f2- | tr '\n' ' ')"
	hostile_checks "$1"
}

# handshake 5 s (lib.sh): each connection is closed 5 s after its accept.
hostile_start --max-per-source 0
hostile_case plaintext-http
hostile_case tcp-junk
hostile_case tls-junk
held_case idle-tcp 300
held_case idle-tls 200
grep -q "note: n=200 early=0 open=0 http408=200" "$IT_TMP"/h-*-idle-tls.log ||
	it_fail "idle-tls: not every connection got its 408"
hostile_case slowloris --wait-ms 9000
hostile_result slowloris | grep -Eq "http 408 after (4[89][0-9][0-9]|[56][0-9][0-9][0-9]) ms" ||
	it_fail "slowloris: not cut at the 5 s HTTP deadline: $(hostile_result slowloris)"

# max_per_source 16 (the default): 17 idle connections from one address.
hostile_restart
held_case idle-tcp 17
grep -q "note: n=17 early=1 open=0" "$IT_TMP"/h-$HOSTILE_N-idle-tcp.log ||
	it_fail "17 from one address: $(grep note "$IT_TMP"/h-$HOSTILE_N-idle-tcp.log)"
[ "$(grep -c "refused src=$SRC_ATTACK:[0-9]* rule=\"max_per_source 16\"" "$SERVER_LOG")" = 1 ] ||
	it_fail "not one refusal by max_per_source 16: $(grep refused "$SERVER_LOG" | tail -3)"
hostile_finish "junk closed at once; 300 idle TCP and 200 idle TLS closed by the handshake timer, slowloris cut with 408; the 17th from one address refused by max_per_source; other sessions unaffected"

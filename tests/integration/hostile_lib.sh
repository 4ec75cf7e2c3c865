# Shared by the hostile-input cases (test_hostile_*.sh, issue 13), sourced
# after lib.sh.  The server runs with one real client session up (c1, on
# TUN tc1, then c2... after a restart); each attack is one run of opensstp-hostile from an address of
# its own, so per-source limits and bans never touch the others; after
# each attack the server must be alive, c1 must still pass traffic, and a
# new session (opensstp-hostile --case legit, from a third address) must
# still come up.
#
#   hostile_start [SERVER ARGS...]     network, certs, server, c1
#   hostile_restart [SERVER ARGS...]   the server again, a new client
#   hostile_case CASE [HOSTILE ARGS...]  attack, its expected answer, checks
#   hostile_finish SUMMARY             stop all, sanitizers, pass

HOSTILE_BIN=$BUILD/bin/opensstp-hostile
SRC_ATTACK=10.200.0.3 # the attacker
SRC_FRESH=10.200.0.4  # a newcomer, for "a new session comes up"
HOSTILE_N=0

hostile_start() {
	it_require
	[ -x "$HOSTILE_BIN" ] || it_fail "no $HOSTILE_BIN"
	it_net 4
	it_certs
	it_users "alice s3cret"
	ip -n "$NS_C" addr add $SRC_ATTACK/24 dev vc || it_fail "address $SRC_ATTACK"
	ip -n "$NS_C" addr add $SRC_FRESH/24 dev vc || it_fail "address $SRC_FRESH"
	it_server "$@"
	hostile_client
}

# The established session: a real client, a log and a TUN of its own.
HOSTILE_CLIENTS=0
hostile_client() {
	HOSTILE_CLIENTS=$((HOSTILE_CLIENTS + 1))
	C1=c$HOSTILE_CLIENTS
	it_client_up $C1
	C1_PID=$CLIENT_PID
}

# Stop the client and the server, start both again (new server options).
hostile_restart() { # SERVER ARGS...
	it_stop "$C1_PID" || it_fail "client $C1 exit status $?"
	it_stop "$SERVER_PID" || it_fail "server exit status $?"
	it_server "$@"
	hostile_client
}

# opensstp-hostile against the server: hostile_run LOGNAME SOURCE ARGS...
hostile_run() {
	local log=$IT_TMP/$1.log src=$2
	shift 2
	ip netns exec "$NS_C" "$HOSTILE_BIN" --server $OUT4_S:443 \
		--ca-file "$IT_TMP/ca.crt" --host server.test \
		--user alice --password s3cret --source "$src" "$@" >"$log" 2>&1
}

hostile_ping() {
	ip netns exec "$NS_C" ping -c 1 -W 2 -I t$C1 $IN4_S >>"$IT_TMP/ping.out" 2>&1
}

# The three checks after an attack.
hostile_checks() { # WHAT
	kill -0 "$SERVER_PID" 2>/dev/null ||
		it_fail "$1: the server died: $(tail -5 "$SERVER_LOG")"
	kill -0 "$C1_PID" 2>/dev/null ||
		it_fail "$1: the established session's client exited: $(tail -2 "$IT_TMP/$C1.log")"
	# One lost echo on a loaded machine is not an effect: three tries,
	# each logged.
	: >"$IT_TMP/ping.out"
	if ! hostile_ping; then
		it_log "$1: a ping through t$C1 was lost: $(tail -1 "$IT_TMP/ping.out")"
		hostile_ping || hostile_ping || {
			tail -5 "$IT_TMP/$C1.log"
			grep -v "src=$SRC_ATTACK\|src=$SRC_FRESH" "$SERVER_LOG" | tail -5
			it_fail "$1: the established session passes no traffic: $(tail -2 "$IT_TMP/ping.out")"
		}
	fi
	hostile_run fresh $SRC_FRESH --case legit ||
		it_fail "$1: a new session did not come up: $(grep -E '^result' "$IT_TMP/fresh.log")"
}

# One attack: its answer must be the one it expects (built in, or the
# --expect given), then the checks.
hostile_case() { # CASE [ARGS...]
	local c=$1 log
	shift
	HOSTILE_N=$((HOSTILE_N + 1))
	log=$IT_TMP/h-$HOSTILE_N-$c.log
	hostile_run "h-$HOSTILE_N-$c" $SRC_ATTACK --case "$c" "$@"
	local rc=$?
	[ $rc = 0 ] || it_fail "$c: exit $rc: $(grep -E '^(result|expected|mismatch)' "$log" | tr '\n' ' ')"
	it_log "$c: $(grep -E '^result' "$log" | cut -c9-)"
	hostile_checks "$c"
}

# The result line of the last run of CASE.
hostile_result() { # CASE
	grep -h '^result' "$IT_TMP"/h-*-"$1".log | tail -1
}

hostile_finish() { # SUMMARY
	kill -0 "$C1_PID" 2>/dev/null || it_fail "the established session ended"
	it_stop "$C1_PID" || it_fail "client $C1 exit status $?"
	it_stop "$SERVER_PID" || it_fail "server exit status $?"
	it_check_sanitizers
	it_pass "$1"
}

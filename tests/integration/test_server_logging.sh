#!/bin/bash
# Logging (issue 13).  (a) log = syslog: the server runs in a private
# mount namespace whose /dev is an overlay with /dev/log pointing at a
# datagram socket this test owns (the host's /dev is not touched).  The
# session lines arrive as "<PRI>... opensstpd[PID]: key=value..." with
# daemon.info (30) and daemon.warning (28); after the receiver restarts
# with a new socket, syslog(3) reconnects, as nobody, after the drop.
# (b) stderr as systemd's journal stream (JOURNAL_STREAM = its dev:ino):
# sd-daemon "<N>" priorities and no timestamps.
. "$(dirname "$0")/lib.sh"
it_require
command -v unshare >/dev/null || it_skip "unshare is not installed"
grep -qw overlay /proc/filesystems || it_skip "no overlayfs for a private /dev"
it_net 4
it_certs
it_users "alice s3cret" "bob s3cret"
# nobody reconnects to the socket after the drop: let it reach it.
chmod o+x "$IT_TMP"
SOCK=$IT_TMP/log.sock
RAW=$IT_TMP/syslog.raw

# A datagram receiver on $SOCK, appending every message to $RAW.
receiver() {
	it_bg "$NS_S" "receiver" socat -u \
		"UNIX-RECV:$SOCK,unlink-early,perm=0666" "OPEN:$RAW,creat,append"
	RECV_PID=$BG_PID
	local i
	for ((i = 0; i < 50; i++)); do
		[ -S "$SOCK" ] && return 0
		sleep 0.1
	done
	it_fail "the syslog receiver did not start"
}

# The messages so far, one per line (datagrams carry no newline).
syslog_lines() {
	sed -E 's/<[0-9]{1,3}>/\n&/g' "$RAW" 2>/dev/null | grep -v '^$'
}

wait_syslog() { # REGEX SECONDS
	local i n=$(($2 * 10))
	for ((i = 0; i < n; i++)); do
		syslog_lines | grep -Eq -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

# A session line is key=value fields after its event words.
kv_ok() { # LINE
	local msg=${1#*]: }
	echo "$msg" | grep -Eq '^session=[0-9]+ (start|end)( [a-z0-9_]+=("[^"]*"|[^ "=]+))+$'
}

# (a) syslog.
: >"$RAW"
receiver
# The overlay's writable half: a tmpfs the namespace mounts over this.
OVL=$IT_TMP/dev-overlay
mkdir "$OVL"
SERVER_LOG=$IT_TMP/server.log
ip netns exec "$NS_S" unshare -m --propagation private sh -c '
	mount -t tmpfs tmpfs "$1" && mkdir "$1/up" "$1/work" &&
	mount -t overlay overlay -o "lowerdir=/dev,upperdir=$1/up,workdir=$1/work" /dev &&
	ln -s "$2" /dev/log || exit 99
	shift 2
	exec "$@"' sh "$OVL" "$SOCK" \
	"$SERVER_BIN" --listen "$OUT4_S:443" --cert "$IT_TMP/server.crt" \
	--key "$IT_TMP/server.key" --users "$IT_TMP/users" --pool4 $POOL4 \
	--prefix6 $PREFIX6 $IT_TIMERS_SRV --log syslog --ban-failures 0 \
	>>"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
IT_PIDS+=("$SERVER_PID")
wait_syslog "^<30>.* opensstpd\[$SERVER_PID\]: ready: tun=" 10 ||
	it_fail "no ready line over syslog: $(tail -3 "$SERVER_LOG") $(syslog_lines | tail -2)"
grep -q "ready:" "$SERVER_LOG" && it_fail "lines went to stderr too: $(head -3 "$SERVER_LOG")"

it_client_up c1
C1=$CLIENT_PID
it_client bob --user bob --password wrong --ca-file "$IT_TMP/ca.crt" \
	--tun tbob --no-routes server.test
it_wait_exit "$CLIENT_PID" 15
wait_syslog "^<28>.* opensstpd\[$SERVER_PID\]: session=[0-9]+ user=bob src=[^ ]+ authentication failed method=[a-z0-9-]+ reason=\"wrong password or unknown user\"$" 5 ||
	it_fail "no daemon.warning authentication line: $(syslog_lines | grep bob)"
kill -TERM "$C1"
it_wait_exit "$C1" 10
wait_syslog "^<30>.* opensstpd\[$SERVER_PID\]: session=1 end user=alice " 5 ||
	it_fail "no end line: $(syslog_lines | tail -3)"
start=$(syslog_lines | grep -E "^<30>.* opensstpd\[$SERVER_PID\]: session=1 start user=alice ")
end=$(syslog_lines | grep -E "^<30>.* opensstpd\[$SERVER_PID\]: session=1 end user=alice ")
kv_ok "$start" || it_fail "start line not key=value: $start"
kv_ok "$end" || it_fail "end line not key=value: $end"
echo "$end" | grep -q 'reason="' || it_fail "end line without a quoted reason: $end"
it_log "syslog: ${end#*]: }"

# The receiver goes away and comes back with a new socket: the next
# line needs a reconnect (socket + connect after the drop).
kill -TERM -- "-$RECV_PID"
sleep 0.3
mv "$RAW" "$IT_TMP/syslog-1.raw"
: >"$RAW"
receiver
it_client_up c2
wait_syslog "^<30>.* opensstpd\[$SERVER_PID\]: session=[0-9]+ start user=alice " 5 ||
	it_fail "nothing after the receiver restarted: $(syslog_lines | tail -2)"
kill -0 "$SERVER_PID" || it_fail "the server died on the reconnect"
it_stop "$SERVER_PID"
rc=$?
[ $rc = 0 ] || it_fail "server exit status $rc: $(tail -3 "$SERVER_LOG")"
wait_syslog "opensstpd\[$SERVER_PID\]: stopping signal=SIGTERM sessions=1 drain_ms=" 2 ||
	it_fail "no stopping line: $(syslog_lines | tail -3)"
it_wait_exit "$CLIENT_PID" 10
kill -TERM -- "-$RECV_PID"
syslog_lines >"$IT_TMP/syslog.log"
mv "$SERVER_LOG" "$IT_TMP/server-syslog.log"

# (b) the journal's stream on stderr.
JLOG=$IT_TMP/journal.log
: >"$JLOG"
stream=$(stat -c '%d:%i' "$JLOG")
ip netns exec "$NS_S" env JOURNAL_STREAM="$stream" "$SERVER_BIN" \
	--listen "$OUT4_S:443" --cert "$IT_TMP/server.crt" \
	--key "$IT_TMP/server.key" --users "$IT_TMP/users" --pool4 $POOL4 \
	--prefix6 $PREFIX6 $IT_TIMERS_SRV >>"$JLOG" 2>&1 &
SERVER_PID=$!
IT_PIDS+=("$SERVER_PID")
it_wait_log "$JLOG" "^<6>ready: tun=" 10 || it_fail "no <6>ready line: $(tail -3 "$JLOG")"
it_client_up c3
kill -TERM "$CLIENT_PID"
it_wait_exit "$CLIENT_PID" 10
it_wait_log "$JLOG" '^<6>session=1 end user=alice .* reason="' 5 ||
	it_fail "no <6> end line: $(tail -3 "$JLOG")"
it_client bob2 --user bob --password wrong --ca-file "$IT_TMP/ca.crt" \
	--tun tbob --no-routes server.test
it_wait_exit "$CLIENT_PID" 15
it_wait_log "$JLOG" '^<4>session=2 user=bob .*authentication failed' 5 ||
	it_fail "no <4> authentication line: $(tail -3 "$JLOG")"
# A name with a space and a quote stays one quoted field.
it_client odd --user 'eve "x" y' --password wrong --ca-file "$IT_TMP/ca.crt" \
	--tun todd --no-routes server.test
it_wait_exit "$CLIENT_PID" 15
it_wait_log "$JLOG" '^<4>session=3 user="eve \\"x\\" y" src=[^ ]+ authentication failed method=' 5 ||
	it_fail "the odd name is not one quoted field: $(grep 'session=3' "$JLOG" | head -2 | tr '\n' ' ')"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
bad=$(grep -Ev '^<[3467]>[a-zA-Z]' "$JLOG" | head -1)
[ -z "$bad" ] || it_fail "a journal line without its priority: $bad"
kv_ok "$(grep '^<6>session=1 start' "$JLOG" | sed 's/^<6>/x]: /')" ||
	it_fail "journal start line not key=value: $(grep 'session=1 start' "$JLOG")"

it_check_sanitizers
it_pass "syslog: daemon.info/warning key=value session lines, reconnected after a receiver restart; journal: $(grep -c . "$JLOG") lines with <N> priorities"

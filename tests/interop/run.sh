#!/bin/bash
# Run every interop case (tests/interop/test_*.sh: opensstp against peers
# nobody here wrote), two at a time, and count them:
#   tests/interop/run.sh BUILD_DIR       one "PASS/FAIL/SKIP name (detail)"
#                                        line per case, then
#                                        "N passed, N failed, N skipped"
# A case exits 0 (pass), 77 (skip) or anything else (fail) and says why on
# its last line; its whole output is in BUILD_DIR/interop-logs/NAME.log.
# Exit status non-zero if any case failed.  `make interop` runs this.
set -uo pipefail

build=${1:?usage: run.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd) || exit 1
logs=$build/interop-logs
jobs=${INTEROP_JOBS:-2}

# Packages the cases need (sstp-client, tshark...): cheap when present.
if [ -x "$here/deps.sh" ]; then
	"$here/deps.sh" || echo "interop: deps.sh failed; cases needing them fail" >&2
fi

rm -rf "$logs"
mkdir -p "$logs"

# What the cases must not leave behind (issue 14): namespaces, peer and
# opensstp processes, sstpc's plugin sockets.  Compared with what was
# there before, so that other work on the machine is not counted.
leftovers() {
	ip netns list 2>/dev/null | awk '{ print "netns " $1 }'
	ps -eo pid=,comm= | awk '$2 ~ /^(sstpc|vpnserver|squid|tcpdump|opensstpd|opensstp|opensstp-pppd-s)$/ { print "pid " $1 " " $2 }'
	ls /var/run/sstpc 2>/dev/null | sed 's/^/socket /'
}
leftovers | sort >"$logs/before.list"
cases=$(find "$here" -maxdepth 1 -type f -name 'test_*.sh' | sort)

one() { # SCRIPT LOGDIR BUILD
	local name
	name=$(basename "$1" .sh)
	BUILD=$3 timeout 400 bash "$1" >"$2/$name.log" 2>&1
	echo $? >"$2/$name.rc"
}
export -f one
printf '%s\n' $cases | grep . | xargs -r -P "$jobs" -I{} bash -c \
	'one "{}" "$0" "$1"' "$logs" "$build"

passed=0 failed=0 skipped=0
for t in $cases; do
	name=$(basename "$t" .sh)
	last=$(tail -1 "$logs/$name.log" 2>/dev/null)
	case "$(cat "$logs/$name.rc" 2>/dev/null)" in
	0)
		passed=$((passed + 1))
		echo "PASS ${name#test_}${last:+ ($last)}"
		;;
	77)
		skipped=$((skipped + 1))
		echo "SKIP ${name#test_} ($last)"
		;;
	*)
		failed=$((failed + 1))
		echo "FAIL ${name#test_} ($last; see $logs/$name.log)"
		;;
	esac
done
# Give stopped processes a moment to be reaped, then compare.
for _ in 1 2 3 4 5 6 7 8 9 10; do
	leftovers | sort | comm -13 "$logs/before.list" - >"$logs/left.list"
	[ -s "$logs/left.list" ] || break
	sleep 0.5
done
if [ -s "$logs/left.list" ]; then
	failed=$((failed + 1))
	echo "FAIL nothing_left_behind ($(paste -sd, "$logs/left.list"))"
else
	passed=$((passed + 1))
	echo "PASS nothing_left_behind (no namespaces, processes or sstpc sockets left)"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

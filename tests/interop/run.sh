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
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

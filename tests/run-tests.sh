#!/bin/bash
# Run and count every test case of a build tree:
#   tests/run-tests.sh BUILD_DIR          run, print a line per case, and
#                                         end with "N passed, N failed, N skipped"
#   tests/run-tests.sh BUILD_DIR --list   print every case name
# Cases: each cmocka case of each unit binary, one smoke run per fuzz target
# (FUZZ_SMOKE_SECONDS each, seeded from tests/fuzz/corpus), each
# integration case (tests/integration/test_*.sh: server and client in
# network namespaces; exit 0 pass, 77 skip), each interop case
# (tests/interop/run.sh: third-party peers), the style check.
set -uo pipefail

build=${1:?usage: run-tests.sh BUILD_DIR [--list]}
mode=${2:-run}
top=$(cd "$(dirname "$0")/.." && pwd)
smoke=${FUZZ_SMOKE_SECONDS:-4}
jobs=${TEST_JOBS:-$(nproc)}
logs="$build/test-logs"

units=$(find "$build/unit" -maxdepth 1 -type f -name 'test_*' -perm -u+x 2>/dev/null | sort)
fuzzers=$(find "$build/fuzz" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x 2>/dev/null | sort)
integration=$(find "$top/tests/integration" -maxdepth 1 -type f -name 'test_*.sh' 2>/dev/null | sort)
interop=$(find "$top/tests/interop" -maxdepth 1 -type f -name 'test_*.sh' 2>/dev/null | sort)
it_jobs=${IT_JOBS:-2}

if [ "$mode" = "--list" ]; then
	for u in $units; do "$u" --list; done
	for f in $fuzzers; do echo "fuzz_smoke_$(basename "$f" | sed 's/^fuzz_//')"; done
	for t in $integration; do basename "$t" .sh | sed 's/^test_/it_/'; done
	for t in $interop; do basename "$t" .sh | sed 's/^test_/interop_/'; done
	[ -n "$interop" ] && echo interop_nothing_left_behind
	echo "style_clang_format"
	exit 0
fi

rm -rf "$logs"
mkdir -p "$logs"
passed=0 failed=0 skipped=0

report() { # STATUS NAME [DETAIL]
	case "$1" in
	PASS) passed=$((passed + 1)) ;;
	FAIL) failed=$((failed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	esac
	echo "$1 $2${3:+ ($3)}"
}

# Unit binaries in parallel, each into its own log; TAP parsed afterwards.
printf '%s\n' $units | grep . | xargs -r -P "$jobs" -I{} sh -c \
	'OPENSSTP_TAP=1 "{}" >"$0/$(basename "{}").tap" 2>"$0/$(basename "{}").err"; echo $? >"$0/$(basename "{}").rc"' "$logs"

for u in $units; do
	b=$(basename "$u")
	tap="$logs/$b.tap"
	for name in $("$u" --list); do
		# cmocka 1.1 writes a skipped case as "not ok N # SKIP".
		if grep -Eq "^(not )?ok [0-9]+ (- )?(# SKIP )?$name # SKIP" "$tap" ||
			grep -Eq "^not ok [0-9]+ # SKIP .*$name" "$tap"; then
			report SKIP "$name"
		elif grep -Eq "^ok [0-9]+ - $name( |\$)" "$tap"; then
			report PASS "$name"
		elif grep -Eq "^not ok [0-9]+ - $name( |\$)" "$tap"; then
			report FAIL "$name" "see $logs/$b.tap"
		else
			report FAIL "$name" "did not run: $b exited $(cat "$logs/$b.rc"), see $logs/$b.err"
		fi
	done
done

# Fuzz smoke runs: new inputs go to a scratch dir, the committed corpus is
# only read.
fuzz_one() { # BINARY LOGDIR SECONDS TOP
	local f=$1 logs=$2 secs=$3 top=$4 name scratch
	name=$(basename "$f" | sed 's/^fuzz_//')
	scratch="$logs/corpus-$name"
	mkdir -p "$scratch" "$logs/artifacts-$name"
	"$f" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$logs/artifacts-$name/" \
		"$scratch" "$top/tests/fuzz/corpus/$name" >"$logs/fuzz-$name.log" 2>&1
	echo $? >"$logs/fuzz-$name.rc"
}
export -f fuzz_one
printf '%s\n' $fuzzers | grep . | xargs -r -P "$jobs" -I{} bash -c \
	'fuzz_one "{}" "$0" "$1" "$2"' "$logs" "$smoke" "$top"
for f in $fuzzers; do
	name=$(basename "$f" | sed 's/^fuzz_//')
	if [ "$(cat "$logs/fuzz-$name.rc")" = 0 ]; then
		report PASS "fuzz_smoke_$name" "$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/fuzz-$name.log" | grep -o '[0-9]*$') execs"
	else
		report FAIL "fuzz_smoke_$name" "see $logs/fuzz-$name.log"
	fi
done

# Integration cases: a few at a time (each runs a server and clients
# under ASan); every case's output goes to its own log.
it_one() { # SCRIPT LOGDIR BUILD
	local name
	name=$(basename "$1" .sh)
	BUILD=$3 timeout 300 bash "$1" >"$2/$name.log" 2>&1
	echo $? >"$2/$name.rc"
}
export -f it_one
printf '%s\n' $integration | grep . | xargs -r -P "$it_jobs" -I{} bash -c \
	'it_one "{}" "$0" "$1"' "$logs" "$(cd "$build" && pwd)"
for t in $integration; do
	name=$(basename "$t" .sh)
	case "$(cat "$logs/$name.rc")" in
	0) report PASS "it_${name#test_}" ;;
	77) report SKIP "it_${name#test_}" "$(tail -1 "$logs/$name.log")" ;;
	*) report FAIL "it_${name#test_}" "$(tail -1 "$logs/$name.log"); see $logs/$name.log" ;;
	esac
done

# Interop cases: opensstp against peers nobody here wrote (SoftEther,
# sstpc, squid; tshark judges the captures), counted one by one, and the
# suite's check that nothing was left behind.
if [ -n "$interop" ]; then
	"$top/tests/interop/run.sh" "$build" >"$logs/interop.out" 2>&1
	while read -r status name detail; do
		case "$status" in
		PASS | FAIL | SKIP)
			detail=${detail#(}
			report "$status" "interop_$name" "${detail%)}"
			;;
		esac
	done <"$logs/interop.out"
	grep -Eq '^[0-9]+ passed, ' "$logs/interop.out" ||
		report FAIL interop_suite "did not finish; see $logs/interop.out"
fi

# Style: every C file formatted by the root .clang-format.
files=$(cd "$top" && git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null || find src tests tools -name '*.[ch]')
if (cd "$top" && clang-format --dry-run --Werror $files) >"$logs/style.log" 2>&1; then
	report PASS style_clang_format
else
	report FAIL style_clang_format "run make format; see $logs/style.log"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

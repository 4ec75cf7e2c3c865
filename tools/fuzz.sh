#!/bin/bash
# make fuzz: run every libFuzzer target of a check tree for FUZZ_TIME
# seconds each, JOBS at a time, seeded from tests/fuzz/corpus/NAME.  New
# inputs go to BUILD/fuzz-corpus/NAME (merge the useful ones into the
# committed corpus by hand with -merge=1), crashes to BUILD/fuzz-artifacts/.
# Prints one summary line per target: execs/s and libFuzzer's final cov/ft.
set -uo pipefail

build=${1:?usage: fuzz.sh CHECK_BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${FUZZ_TIME:-600}
jobs=${JOBS:-$(nproc)}
only=${FUZZ_TARGETS:-}

targets=$(find "$build/fuzz" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x | sort)
[ -n "$only" ] && targets=$(printf '%s\n' $targets | grep -E "$only")
mkdir -p "$build/fuzz-corpus" "$build/fuzz-artifacts" "$build/fuzz-logs"

run_one() { # BINARY BUILD SECONDS TOP
	local f=$1 build=$2 secs=$3 top=$4 name
	name=$(basename "$f" | sed 's/^fuzz_//')
	mkdir -p "$build/fuzz-corpus/$name"
	"$f" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$build/fuzz-artifacts/$name-" \
		"$build/fuzz-corpus/$name" "$top/tests/fuzz/corpus/$name" \
		>"$build/fuzz-logs/$name.log" 2>&1
	echo $? >"$build/fuzz-logs/$name.rc"
}
export -f run_one

echo "fuzz: $(echo $targets | wc -w) targets, ${secs}s each, $jobs at a time"
printf '%s\n' $targets | xargs -r -P "$jobs" -I{} bash -c \
	'run_one "{}" "$0" "$1" "$2"' "$build" "$secs" "$top"

failed=0
for f in $targets; do
	name=$(basename "$f" | sed 's/^fuzz_//')
	log="$build/fuzz-logs/$name.log"
	last=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1)
	rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
	cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*')
	ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*')
	if [ "$(cat "$build/fuzz-logs/$name.rc")" = 0 ]; then
		echo "fuzz $name: ok ${secs}s ${rate:-?} exec/s cov ${cov:-?} ft ${ft:-?}"
	else
		echo "fuzz $name: FINDING, see $log and $build/fuzz-artifacts/"
		failed=1
	fi
done
exit $failed

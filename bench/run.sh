#!/bin/bash
# make bench: run every benchmark binary of a release tree, one after the
# other (never in parallel: each times itself against ceilings it measures
# in the same run).  Ends non-zero if any benchmark failed.
set -uo pipefail

build=${1:?usage: bench/run.sh BUILD_DIR}
failed=0

for b in $(find "$build/bench" -maxdepth 1 -type f -perm -u+x 2>/dev/null | sort); do
	echo "== $(basename "$b")"
	"$b" || { echo "bench $(basename "$b"): FAILED"; failed=1; }
	echo
done
exit $failed

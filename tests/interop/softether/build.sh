#!/bin/bash
# Build SoftEther's vpnserver and vpncmd from the upstream source tarball
# with the one-line SSTP fix (proto-handle-connection.patch), into a cache
# directory keyed by the tarball and the patch, and print that directory.
# A second run finds the cache and only prints it.
#
#   tests/interop/softether/build.sh            prints the binary directory
#
# SOFTETHER_SRC: the tarball (default: the one softether-*-src.tar.xz in
# ../shared/peers/third_party/ beside the project).  Exit 77 (last line
# "SKIP: ...") when there is none; under CI=true that is exit 1.
# Debian 12's own softether-vpnserver cannot be used: it has the bug the
# patch fixes (SSTP requests are read and never answered).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
PATCH=$HERE/proto-handle-connection.patch

missing() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: SoftEther source not found (set SOFTETHER_SRC)"
		exit 1
	fi
	echo "SKIP: SoftEther source not found (set SOFTETHER_SRC)"
	exit 77
}

src=${SOFTETHER_SRC:-}
if [ -z "$src" ]; then
	for f in "$(dirname "$TOP")"/shared/peers/third_party/softether-*-src.tar.xz; do
		[ -f "$f" ] && src=$f
	done
fi
[ -n "$src" ] && [ -f "$src" ] || missing

hash=$(cat "$src" "$PATCH" | sha256sum | cut -c1-16)
cache=${XDG_CACHE_HOME:-/var/cache}/opensstp-interop
out=$cache/softether-$hash
if [ -x "$out/vpnserver" ] && [ -x "$out/vpncmd" ] && [ -f "$out/hamcore.se2" ]; then
	echo "$out"
	exit 0
fi

for t in cmake gcc make patch; do
	command -v $t >/dev/null || {
		echo "FAIL: $t not installed (tests/interop/deps.sh)"
		exit 1
	}
done

mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xJf "$src" -C "$work" || {
	echo "FAIL: cannot unpack $src"
	exit 1
}
cd "$work"
patch -p1 --forward <"$PATCH" >patch.log 2>&1 || {
	cat patch.log
	echo "FAIL: $PATCH does not apply to $src"
	exit 1
}
mkdir build
cd build
# SKIP_CPU_FEATURES: the cpu_features submodule is not in the tarball.
cmake .. -DSKIP_CPU_FEATURES=ON -DCMAKE_BUILD_TYPE=Release \
	>"$work/cmake.log" 2>&1 || {
	tail -20 "$work/cmake.log"
	echo "FAIL: SoftEther cmake failed"
	exit 1
}
# Two jobs at most: the machine is shared.
make -j2 vpnserver vpncmd hamcore-archive-build >"$work/make.log" 2>&1 || {
	tail -20 "$work/make.log"
	echo "FAIL: SoftEther build failed"
	exit 1
}
mkdir -p "$work/out"
cp vpnserver vpncmd hamcore.se2 "$work/out/"
cp -a lib*.so* "$work/out/" 2>/dev/null || true
# Atomic publish: two cases building at once both end with one directory.
mv -T "$work/out" "$out" 2>/dev/null || [ -x "$out/vpnserver" ]
echo "$out"

#!/bin/sh
# Install exactly the Debian packages opensstp needs to build and test,
# and any named as arguments (tests/interop/deps.sh: the peers).
# Idempotent: asks dpkg first and runs apt-get only for what is missing.
set -eu

PKGS="make cmake gcc libc6-dev pkg-config
clang libclang-rt-14-dev llvm clang-format
libssl-dev libcmocka-dev libmnl-dev libinih-dev libnftables-dev libseccomp-dev
iproute2 iputils-ping iperf3 socat openssl procps
squid nftables tcpdump
groff-base $*"

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root; run as root: apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# wireshark-common (tshark, for interop) asks whether non-root users may
# capture: they may not.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	debconf-set-selections 2>/dev/null || true
# A fresh machine or chroot has no package lists yet.
if ! apt-get install -y --no-install-recommends $missing; then
	apt-get update
	apt-get install -y --no-install-recommends $missing
fi

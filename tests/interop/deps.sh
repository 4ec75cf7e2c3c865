#!/bin/sh
# The Debian packages the interop cases need beyond tools/deps.sh (the
# peers themselves), installed by run.sh before the cases, so that `make
# check` does not pay for them.  Idempotent: asks dpkg first and runs
# apt-get only for what is missing.  Add peers to PKGS.
set -eu

# SoftEther is built from source (softether/build.sh): patch and its
# libraries; cmake, gcc and libssl-dev come with tools/deps.sh.
PKGS="sstp-client python3
patch libreadline-dev zlib1g-dev libncurses-dev"

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "interop deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "interop deps: not root; run as root: apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# wireshark-common asks whether non-root users may capture: they may not.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	debconf-set-selections 2>/dev/null || true
if ! apt-get install -y --no-install-recommends $missing; then
	apt-get update
	apt-get install -y --no-install-recommends $missing
fi

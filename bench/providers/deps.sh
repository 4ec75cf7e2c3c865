#!/bin/sh
# The Debian packages the peers of `make bench` need beyond tools/deps.sh
# (which already brings iperf3, iproute2, iputils-ping, openssl, procps,
# cmake, gcc and libssl-dev): OpenVPN, ocserv and openconnect, and what
# SoftEther's source build needs (tests/interop/softether/build.sh).
#
#   bench/providers/deps.sh           install what is missing (as root)
#   bench/providers/deps.sh --print   print the package names only
#
# Non-interactive; installing starts no service here (no systemd, and
# every peer is run by its provider with its own configuration in WORK).
PEER_PKGS="openvpn ocserv openconnect ethtool patch libreadline-dev zlib1g-dev libncurses-dev"
if [ "${1:-}" = --print ]; then
	echo "$PEER_PKGS"
	exit 0
fi
exec "$(dirname "$0")/../../tools/deps.sh" $PEER_PKGS

#!/bin/bash
# A TCP transfer through the tunnel and SoftEther's SecureNAT to a server
# the harness places where SoftEther reaches it: socat on 10.201.0.1, an
# address only SoftEther's namespace has (on its lo).  The client routes
# only that address into the tunnel (--route), so the bytes must cross
# it: compared end to end, and counted in the client's session counters.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
trap se_cleanup EXIT
it_require
it_net 4
se_start
TARGET=10.201.0.1
KB=256
ip -n "$NS_S" addr add $TARGET/32 dev lo || it_fail "address $TARGET"

it_client tcp --lcp-echo-ms 3000 --handshake-ms 15000 \
	--user "$SE_USER" --password "$SE_PASSWORD" --auth mschapv2 \
	--ca-file "$SE_CA" --tun ttcp --route $TARGET/32 "server.test:$SE_PORT"
it_wait_log "$CLIENT_LOG" "IPv4 up" 15 || it_fail "no tunnel: $(tail -3 "$CLIENT_LOG")"
[ "$(it_wait_route_dev $TARGET ttcp 5 && echo ok)" = ok ] ||
	it_fail "$TARGET not routed into the tunnel: $(ip -n "$NS_C" route get $TARGET)"
t0=$(date +%s%N)
n=$(it_transfer $TARGET $KB) || it_fail "transfer of $KB KiB through SecureNAT failed"
ms=$((($(date +%s%N) - t0) / 1000000))
it_stop "$CLIENT_PID"
rc=$?
[ $rc = 0 ] || it_fail "client exit $rc: $(it_last "$CLIENT_LOG")"
out=$(it_counter "$CLIENT_LOG" "session end" bytes_out)
[ "${out:-0}" -ge "$n" ] ||
	it_fail "bytes_out=$out < $n sent: not through the tunnel"
it_check_sanitizers
it_pass "$n bytes via SecureNAT in $ms ms, client bytes_out=$out"

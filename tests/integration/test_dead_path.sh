#!/bin/bash
# A path that goes silent (every packet of the connection dropped by
# nftables in the client's namespace, so no FIN or RST arrives) is
# noticed within the configured dead-peer time by the outer TCP socket
# alone (keepalive and TCP_USER_TIMEOUT), with the SSTP and LCP echoes
# set far out of the way; with retries on, the client then tries again.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"
it_server --hello-ms 60000 --lcp-echo-ms 600000
it_client c1 --ca-file "$IT_TMP/ca.crt" --user alice --password s3cret --tun tc1 \
	--no-routes --hello-ms 60000 --lcp-echo-ms 600000 --dead-peer-ms 3000 \
	--max-retries forever --backoff-min-ms 5000 server.test
it_wait_log "$CLIENT_LOG" "IPv4 up" 10 || it_fail "client did not come up"
ip netns exec "$NS_C" nft -f - <<NFT || it_fail "nft"
table inet blackhole {
	chain out { type filter hook output priority 0; tcp dport 443 drop; }
	chain in { type filter hook input priority 0; tcp sport 443 drop; }
}
NFT
t0=$(date +%s%N)
it_wait_log "$CLIENT_LOG" "tunnel to server.test ended" 15 ||
	it_fail "a silent path was not noticed in 15 s: $(tail -2 "$CLIENT_LOG")"
ms=$((($(date +%s%N) - t0) / 1000000))
[ $ms -le 6000 ] || it_fail "noticed after $ms ms, more than twice the dead-peer time"
grep -q "reconnecting in" "$CLIENT_LOG" || it_fail "no retry after the dead path"
it_stop "$CLIENT_PID" || it_fail "client exit status $?"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "silent path noticed after $ms ms (dead-peer 3000 ms): $(grep -o 'ended: .*' "$CLIENT_LOG" | head -1)"

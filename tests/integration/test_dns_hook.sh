#!/bin/bash
# The shipped DNS hook (etc/opensstp/dns-hook), resolv.conf flavour
# (issue 12, DNS).  The client namespace gets its own resolv.conf
# (/etc/netns/NS/resolv.conf, which `ip netns exec` mounts over
# /etc/resolv.conf); the host's /etc/resolv.conf is checked unchanged.
#  a) the hook alone, "up" then "down": the namespace's file names the
#     tunnel's servers (IPv4 and IPv6) and keeps its search line, then
#     comes back byte for byte, with no backup left;
#  b) through the client (--dns-hook): the server's DNS (10.77.0.53, and
#     fd77::53 from DHCPv6) in the namespace's file while up; restored
#     after SIGTERM.  Needs the client's --dns-hook wiring.
. "$(dirname "$0")/lib.sh"
it_require
HOOK=$IT_TOP/etc/opensstp/dns-hook
[ -x "$HOOK" ] || it_fail "no executable $HOOK"
if command -v resolvectl >/dev/null 2>&1 && [ -d /run/systemd/resolve ]; then
	it_skip "systemd-resolved runs here: the hook would use resolvectl"
fi
it_net 4
TUN=tdh$IT_ID
TUN=${TUN:0:15}
host_sum=$(sha256sum /etc/resolv.conf 2>/dev/null)
NSCONF=/etc/netns/$NS_C/resolv.conf
printf '# opensstp test %s\nnameserver 192.0.2.53\nsearch example.test\n' "$IT_ID" >"$NSCONF"
cp "$NSCONF" "$IT_TMP/resolv.orig"
INO=$(ip netns exec "$NS_C" stat -L -c %i /proc/self/ns/net)
BACKUP=/run/opensstp/resolv.conf.$TUN@net$INO
trap 'rm -f "$BACKUP" "$BACKUP.new" "$BACKUP.absent"; it_cleanup' EXIT

# The namespace must see its own file, or the hook would write the host's.
ip netns exec "$NS_C" cmp -s /etc/resolv.conf "$IT_TMP/resolv.orig" ||
	it_fail "ip netns exec does not mount $NSCONF over /etc/resolv.conf"

host_same() {
	[ "$(sha256sum /etc/resolv.conf 2>/dev/null)" = "$host_sum" ] ||
		it_fail "the host's /etc/resolv.conf changed!"
}

hook() { # EVENT
	ip netns exec "$NS_C" env OPENSSTP_EVENT="$1" OPENSSTP_TUN="$TUN" \
		OPENSSTP_DNS4="10.77.0.53 10.77.0.54" OPENSSTP_DNS6="fd77::53" \
		OPENSSTP_IPV4=10.77.0.2 OPENSSTP_PEER4=10.77.0.1 OPENSSTP_IPV6= \
		OPENSSTP_SERVER=server.test "$HOOK" "$1"
}

# a) the hook alone
hook up || it_fail "hook up: exit status $?"
host_same
for l in "nameserver 10.77.0.53" "nameserver 10.77.0.54" "nameserver fd77::53" "search example.test"; do
	grep -qx "$l" "$NSCONF" || it_fail "hook up: no '$l' in: $(cat "$NSCONF")"
done
grep -q 192.0.2.53 "$NSCONF" && it_fail "hook up: the old server is still there"
[ -f "$BACKUP" ] || it_fail "hook up: no backup $BACKUP"
hook up || it_fail "hook up (again): exit status $?"
cmp -s "$BACKUP" "$IT_TMP/resolv.orig" || it_fail "a second up overwrote the backup"
hook down || it_fail "hook down: exit status $?"
host_same
cmp -s "$NSCONF" "$IT_TMP/resolv.orig" || it_fail "hook down: not restored: $(cat "$NSCONF")"
[ ! -e "$BACKUP" ] || it_fail "hook down: backup left"
it_log "hook alone: rewrote and restored $NSCONF"

# b) through the client
it_certs
it_users "alice s3cret"
it_server
it_client c1 --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
	--tun "$TUN" --dns-hook "$HOOK" server.test
it_wait_log "$CLIENT_LOG" "IPv4 up" 10 || it_fail "client did not come up: $(tail -3 "$CLIENT_LOG")"
for _ in $(seq 100); do
	grep -qx "nameserver 10.77.0.53" "$NSCONF" && break
	sleep 0.1
done
grep -qx "nameserver 10.77.0.53" "$NSCONF" ||
	it_fail "client: 10.77.0.53 not in the namespace's resolv.conf: $(cat "$NSCONF")"
grep -qx "search example.test" "$NSCONF" || it_fail "client: the search line was lost"
for _ in $(seq 50); do
	grep -qx "nameserver fd77::53" "$NSCONF" && break
	sleep 0.1
done
v6=yes
grep -qx "nameserver fd77::53" "$NSCONF" || v6=no
host_same
it_stop "$CLIENT_PID" || it_fail "client exit status $?"
host_same
cmp -s "$NSCONF" "$IT_TMP/resolv.orig" || it_fail "client down: not restored: $(cat "$NSCONF")"
[ ! -e "$BACKUP" ] || it_fail "client down: backup left"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "the hook rewrote and restored the namespace's resolv.conf (alone, and through the client; IPv6 DNS: $v6)"

#!/bin/bash
# A saved profile connects: `opensstp @work` with the server, user,
# password file, CA and tunnel settings all from work.conf (the profile
# directory moved to a temporary one through OPENSSTP_PROFILE_DIR), and a
# command-line option overriding the profile's.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"
it_server
mkdir -p "$IT_TMP/profiles"
printf 's3cret\n' >"$IT_TMP/pw"
chmod 600 "$IT_TMP/pw"
cat >"$IT_TMP/profiles/work.conf" <<CONF
[client]
server = server.test:443
user = alice
password-file = $IT_TMP/pw
ca-file = $IT_TMP/ca.crt
tun = tprof1
mtu = 1300
no-routes = yes
CONF
OPENSSTP_PROFILE_DIR=$IT_TMP/profiles it_client p1 @work --mtu 1280
it_wait_log "$CLIENT_LOG" "IPv4 up" 10 || it_fail "@work did not connect: $(tail -3 "$CLIENT_LOG")"
mtu=$(ip -n "$NS_C" -o link show tprof1 | grep -o "mtu [0-9]*")
[ "$mtu" = "mtu 1280" ] || it_fail "the command line's --mtu did not override the profile: $mtu"
ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 $IN4_S >/dev/null 2>&1 || it_fail "no ping through @work"
it_stop "$CLIENT_PID" || it_fail "client exit status $?"
it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "@work connected with its profile (tun tprof1, $mtu from the command line)"

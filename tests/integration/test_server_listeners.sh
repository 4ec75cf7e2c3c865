#!/bin/bash
# Two listeners with different certificates (issue 13): [server]'s own on
# 443 (the test CA's server.test) and [listener second] on 8443 (a key of
# another CA).  A client trusting the CA reaches 443, a client pinning the
# second key reaches 8443; both sessions come up with the crypto binding
# verified, which needs the server to bind each session to the
# certificate of the listener it came in on ([MS-SSTP] 3.3.5.2.3).  Each
# listener refuses the other's client (exit 4).
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret" "bob s3cret"

# The second certificate: another CA's, so that only a pin reaches it.
d=$IT_TMP
openssl ecparam -name prime256v1 -genkey -noout -out $d/ca2.key 2>/dev/null &&
	openssl req -x509 -new -key $d/ca2.key -subj "/CN=second test CA" \
		-days 2 -out $d/ca2.crt 2>/dev/null &&
	openssl ecparam -name prime256v1 -genkey -noout -out $d/second.key 2>/dev/null &&
	openssl req -new -key $d/second.key -subj "/CN=server.test" \
		-out $d/second.csr 2>/dev/null &&
	openssl x509 -req -in $d/second.csr -CA $d/ca2.crt -CAkey $d/ca2.key \
		-CAcreateserial -days 2 -extfile $d/server.ext \
		-out $d/second.crt 2>/dev/null || it_fail "openssl: cannot make the second certificate"
spki() { # KEYFILE: its SPKI SHA-256, base64
	openssl pkey -in "$1" -pubout -outform DER 2>/dev/null |
		openssl dgst -sha256 -binary | base64
}
PIN2=$(spki $d/second.key)
PIN1=$(spki $d/server.key)
[ -n "$PIN2" ] && [ "$PIN1" != "$PIN2" ] || it_fail "cannot compute the pins"

CONF=$IT_TMP/opensstpd.conf
cat >"$CONF" <<EOF
[listener second]
listen = $OUT4_S:8443
cert = $d/second.crt
key = $d/second.key
EOF
# it_server gives [server] its listen, cert and key: both listeners open.
it_server -c "$CONF" --log-level debug
grep -q "listening addr=$OUT4_S:443 listener=-" "$SERVER_LOG" &&
	grep -q "listening addr=$OUT4_S:8443 listener=second" "$SERVER_LOG" ||
	it_fail "not both listeners: $(grep listening "$SERVER_LOG")"

it_client_up c1
it_client c2 --user bob --password s3cret --pin-sha256 "$PIN2" --tun tc2 \
	--no-routes server.test:8443
C2=$CLIENT_PID
it_wait_log "$CLIENT_LOG" "IPv4 up" 10 ||
	it_fail "client 2 (pin, 8443) did not come up: $(tail -3 "$CLIENT_LOG")"

# Which session came in where, and its binding.
s1=$(grep -oE "session=[0-9]+ src=[^ ]+ accepted .*listener=-$" "$SERVER_LOG" | cut -d' ' -f1)
s2=$(grep -oE "session=[0-9]+ src=[^ ]+ accepted .*listener=second$" "$SERVER_LOG" | cut -d' ' -f1)
[ -n "$s1" ] && [ -n "$s2" ] || it_fail "accept lines: $(grep accepted "$SERVER_LOG")"
for s in $s1 $s2; do
	grep -q "$s crypto binding verified" "$SERVER_LOG" ||
		it_fail "$s: no crypto binding verified"
	grep -Eq "$s start user=" "$SERVER_LOG" || it_fail "$s: no start line"
done
grep -q "$s2 start user=bob" "$SERVER_LOG" || it_fail "bob's session is not the one on 8443"
ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 -I tc1 $IN4_S >/dev/null ||
	it_fail "no ping through client 1"
ip netns exec "$NS_C" ping -c 2 -i 0.2 -W 2 -I tc2 $IN4_S >/dev/null ||
	it_fail "no ping through client 2"

# Each listener shows its own certificate: the other client refuses it.
it_client c3 --user alice --password s3cret --ca-file "$d/ca.crt" --tun tc3 \
	--no-routes server.test:8443
it_wait_exit "$CLIENT_PID" 10
rc=$?
[ $rc = 4 ] || it_fail "CA client on 8443: exit $rc, want 4: $(it_last "$CLIENT_LOG")"
it_client c4 --user alice --password s3cret --pin-sha256 "$PIN2" --tun tc4 \
	--no-routes server.test:443
it_wait_exit "$CLIENT_PID" 10
rc=$?
[ $rc = 4 ] || it_fail "pinned client on 443: exit $rc, want 4: $(it_last "$CLIENT_LOG")"
grep -q "$PIN1" "$CLIENT_LOG" || it_fail "443 did not show the first key: $(it_last "$CLIENT_LOG")"

it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_wait_exit "$C2" 10
it_check_sanitizers
it_pass "two listeners, two certificates: $s1 (CA, 443) and $s2 (pin, 8443) up with their bindings verified; each refused by the other's client"

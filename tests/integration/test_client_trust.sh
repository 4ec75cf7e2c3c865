#!/bin/bash
# Trust: the client refuses an expired certificate, one without the
# server-auth EKU, a wildcard that does not cover the name, and a pinned
# key that differs (naming both keys and how to pin); it accepts a
# wildcard match, a pinned key alone (no CA) and a pin with the chain;
# the server sees the SNI; --tls-min 1.3 refuses a TLS 1.2-only server.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"

mkcert() { # NAME CN SAN EKU DAYS
	local d=$IT_TMP n=$1
	openssl ecparam -name prime256v1 -genkey -noout -out $d/$n.key 2>/dev/null &&
	openssl req -new -key $d/$n.key -subj "/CN=$2" -out $d/$n.csr 2>/dev/null &&
	printf 'subjectAltName=%s\nextendedKeyUsage=%s\n' "$3" "$4" >$d/$n.ext &&
	openssl x509 -req -in $d/$n.csr -CA $d/ca.crt -CAkey $d/ca.key \
		-CAserial $d/ca.srl -days "$5" -extfile $d/$n.ext \
		-out $d/$n.crt 2>/dev/null || it_fail "openssl: cannot make $n.crt"
}
pin_of() { # CERT
	openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der |
		openssl dgst -sha256 -binary | base64
}
# Run the server with a certificate and a client with arguments; sets rc.
try() { # CERT NAME CLIENT_ARGS...
	local cert=$1 name=$2
	shift 2
	it_server --cert "$IT_TMP/$cert.crt" --key "$IT_TMP/$cert.key" --log-level debug
	it_client "$name" --user alice --password s3cret --tun "t$name" --no-routes "$@"
	local i
	rc=124
	for ((i = 0; i < 200; i++)); do
		grep -q "IPv4 up" "$IT_TMP/$name.log" && break
		kill -0 "$CLIENT_PID" 2>/dev/null || {
			wait "$CLIENT_PID"
			rc=$?
			break
		}
		sleep 0.1
	done
	if [ $rc = 124 ]; then
		# Up: a clean stop is the pass condition of the accepting cases.
		grep -q "IPv4 up" "$IT_TMP/$name.log" || it_fail "$name: neither up nor ended"
		it_stop "$CLIENT_PID" || it_fail "$name: client exit status $?"
		rc=up
	fi
	it_stop "$SERVER_PID" || it_fail "$name: server exit status $?"
}
it_hosts "$OUT4_S server.test vpn.example.test a.b.example.test"

mkcert wild "*.example.test" "DNS:*.example.test" serverAuth 2
try wild w1 --ca-file "$IT_TMP/ca.crt" vpn.example.test
[ "$rc" = up ] || it_fail "wildcard *.example.test did not match vpn.example.test: $(it_last "$IT_TMP/w1.log")"
grep -q "sni=vpn.example.test" "$SERVER_LOG" || it_fail "the server did not see the SNI vpn.example.test"
try wild w2 --ca-file "$IT_TMP/ca.crt" a.b.example.test
[ "$rc" = 4 ] || it_fail "wildcard matched two labels: rc $rc"
grep -q "hostname mismatch" "$IT_TMP/w2.log" || it_fail "w2: $(it_last "$IT_TMP/w2.log")"

mkcert expired server.test "DNS:server.test" serverAuth -1
try expired e1 --ca-file "$IT_TMP/ca.crt" server.test
[ "$rc" = 4 ] || it_fail "expired certificate: rc $rc"
grep -q "expired" "$IT_TMP/e1.log" || it_fail "e1: $(it_last "$IT_TMP/e1.log")"

mkcert clientonly server.test "DNS:server.test" clientAuth 2
try clientonly k1 --ca-file "$IT_TMP/ca.crt" server.test
[ "$rc" = 4 ] || it_fail "certificate without serverAuth EKU: rc $rc"
grep -q "purpose" "$IT_TMP/k1.log" || it_fail "k1: $(it_last "$IT_TMP/k1.log")"

pin=$(pin_of "$IT_TMP/server.crt")
other=$(pin_of "$IT_TMP/wild.crt")
try server p1 --pin-sha256 "$pin" server.test
[ "$rc" = up ] || it_fail "a pinned key alone was refused: $(it_last "$IT_TMP/p1.log")"
try server p2 --ca-file "$IT_TMP/ca.crt" --pin-sha256 "sha256//$pin" server.test
[ "$rc" = up ] || it_fail "a pin with the chain was refused: $(it_last "$IT_TMP/p2.log")"
try server p3 --pin-sha256 "$other" server.test
[ "$rc" = 4 ] || it_fail "a wrong pin: rc $rc"
grep -q "sha256//$pin does not match the pinned sha256//$other" "$IT_TMP/p3.log" ||
	it_fail "p3 does not name both keys: $(it_last "$IT_TMP/p3.log")"
grep -q -- "--pin-sha256 $pin" "$IT_TMP/p3.log" || it_fail "p3 does not say how to pin"

# A TLS 1.2-only server: refused by --tls-min 1.3, fine without it.
it_bg "$NS_S" s_server openssl s_server -quiet -tls1_2 -accept "$OUT4_S:443" \
	-cert "$IT_TMP/server.crt" -key "$IT_TMP/server.key"
it_wait_listen "$NS_S" 443 5 || it_fail "openssl s_server did not start"
it_client v1 --user alice --password s3cret --tun tv1 --no-routes \
	--ca-file "$IT_TMP/ca.crt" --tls-min 1.3 server.test
it_wait_exit "$CLIENT_PID" 15
rc=$?
[ $rc != 0 ] && [ $rc != 124 ] || it_fail "--tls-min 1.3 against TLS 1.2: rc $rc"
grep -Eiq "protocol|version" "$IT_TMP/v1.log" || it_fail "v1: $(it_last "$IT_TMP/v1.log")"
it_check_sanitizers
it_pass "wildcard match/mismatch, expired, no serverAuth EKU, pin alone/with chain/wrong, SNI, --tls-min 1.3"

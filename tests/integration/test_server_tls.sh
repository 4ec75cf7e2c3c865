#!/bin/bash
# The server's TLS settings (issue 13): ciphers (AEAD only on 443; a
# [listener] with an RSA certificate and the AES128-SHA suite old RouterOS
# needs on 8443, in the server's order), tls_min_version 1.3 (a TLS 1.2
# handshake refused, the real client up on TLS 1.3), groups (P-384 only),
# and --check-config naming the line of a list OpenSSL refuses.  The
# handshakes are openssl s_client's, from the client namespace.
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"

# An RSA certificate from the test CA: the RSA key exchange suites need it.
openssl req -newkey rsa:2048 -nodes -keyout "$IT_TMP/rsa.key" \
	-subj "/CN=server.test" -out "$IT_TMP/rsa.csr" 2>/dev/null &&
	openssl x509 -req -in "$IT_TMP/rsa.csr" -CA "$IT_TMP/ca.crt" \
		-CAkey "$IT_TMP/ca.key" -CAserial "$IT_TMP/ca.srl" -days 2 \
		-extfile "$IT_TMP/server.ext" -out "$IT_TMP/rsa.crt" 2>/dev/null ||
	it_fail "openssl: cannot make the RSA certificate"

# The suite a handshake to PORT settled on; "(NONE)" when it failed.
tls_cipher() { # PORT S_CLIENT_ARGS...
	local port=$1
	shift
	ip netns exec "$NS_C" timeout 10 openssl s_client \
		-connect "$OUT4_S:$port" -servername server.test \
		-CAfile "$IT_TMP/ca.crt" "$@" </dev/null >"$IT_TMP/s_client.out" 2>&1
	local c
	c=$(sed -nE 's/.*Cipher is ([^ ]+).*/\1/p' "$IT_TMP/s_client.out" | head -1)
	echo "${c:-(NONE)}"
}

expect_cipher() { # WHAT WANT PORT S_CLIENT_ARGS...
	local what=$1 want=$2 got
	shift 2
	got=$(tls_cipher "$@")
	[ "$got" = "$want" ] ||
		it_fail "$what: cipher $got, want $want: $(grep -m1 -E 'error|alert' "$IT_TMP/s_client.out")"
	it_log "$what: $got"
}

# 1. [server] AEAD only; [listener legacy] adds AES128-SHA on 8443.
CONF=$IT_TMP/opensstpd.conf
# Readable by nobody, for SIGHUP.
chmod o+x "$IT_TMP"
chmod 644 "$IT_TMP/users"
cat >"$CONF" <<EOF
[server]
ciphers = ECDHE+AESGCM:ECDHE+CHACHA20

[listener legacy]
listen = $OUT4_S:8443
cert = $IT_TMP/rsa.crt
key = $IT_TMP/rsa.key
ciphers = ECDHE+AESGCM:AES128-SHA
EOF
chmod 644 "$CONF"
it_server -c "$CONF" --log-level debug
grep -q "listening addr=$OUT4_S:8443 listener=legacy" "$SERVER_LOG" ||
	it_fail "no line for the legacy listener: $(grep listening "$SERVER_LOG")"
expect_cipher "443, TLS 1.2 GCM" ECDHE-ECDSA-AES128-GCM-SHA256 443 \
	-tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
expect_cipher "443, TLS 1.2 CBC refused" "(NONE)" 443 \
	-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA
expect_cipher "8443, the RSA CBC suite of old RouterOS" AES128-SHA 8443 \
	-tls1_2 -cipher AES128-SHA
expect_cipher "8443, a CBC suite not in its list" "(NONE)" 8443 \
	-tls1_2 -cipher ECDHE-RSA-AES128-SHA
# The server's order wins over a client that lists CBC first.
expect_cipher "8443, server order" ECDHE-RSA-AES128-GCM-SHA256 8443 \
	-tls1_2 -cipher AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256
# SIGHUP parses the TLS keys again (a scratch context each, after the
# privilege drop); the listeners keep theirs.
kill -HUP "$SERVER_PID"
it_wait_log "$SERVER_LOG" "reloaded users=" 5 ||
	it_fail "no reload with the TLS keys: $(tail -1 "$SERVER_LOG")"
kill -0 "$SERVER_PID" || it_fail "the server died on SIGHUP"
expect_cipher "8443 after SIGHUP" AES128-SHA 8443 -tls1_2 -cipher AES128-SHA
it_stop "$SERVER_PID" || it_fail "server exit status $? (1)"
mv "$SERVER_LOG" "$IT_TMP/server-ciphers.log"

# 2. TLS 1.3 only, P-384 only.
it_server --tls-min-version 1.3 --groups P-384 --log-level debug
expect_cipher "TLS 1.2 refused" "(NONE)" 443 -tls1_2
grep -Eq "alert protocol version|unsupported protocol|no protocols available" \
	"$IT_TMP/s_client.out" ||
	it_fail "TLS 1.2 failed, but not on the version: $(grep -m1 -E 'error|alert' "$IT_TMP/s_client.out")"
expect_cipher "TLS 1.3, X25519 only" "(NONE)" 443 -tls1_3 -groups X25519
expect_cipher "TLS 1.3, P-384 offered" TLS_AES_256_GCM_SHA384 443 \
	-tls1_3 -groups X25519:P-384
grep -Eq "Server Temp Key: ECDH, (secp384r1|P-384)" "$IT_TMP/s_client.out" ||
	it_fail "not P-384: $(grep 'Temp Key' "$IT_TMP/s_client.out")"
it_client_up c1
it_wait_log "$SERVER_LOG" 'crypto binding verified tls="TLSv1.3 ' 5 ||
	it_fail "the client's session is not TLS 1.3: $(grep 'binding verified' "$SERVER_LOG")"
ip netns exec "$NS_C" ping -c 1 -W 2 -I tc1 $IN4_S >/dev/null ||
	it_fail "no ping through the TLS 1.3 tunnel"
it_stop "$SERVER_PID" || it_fail "server exit status $? (2)"
it_wait_exit "$CLIENT_PID" 10

# 3. --check-config names the line of a list OpenSSL refuses.
printf '[server]\ncert = /c\nkey = /k\n\nciphers = NOSUCHCIPHER:ALSONOT\n' >"$IT_TMP/bad.conf"
out=$("$SERVER_BIN" -c "$IT_TMP/bad.conf" --check-config 2>&1)
rc=$?
[ $rc = 1 ] || it_fail "--check-config exit $rc on a bad cipher list: $out"
echo "$out" | grep -q "$IT_TMP/bad.conf:5: ciphers: OpenSSL refuses \"NOSUCHCIPHER:ALSONOT\"" ||
	it_fail "--check-config did not name line 5: $out"
printf '[server]\n[listener b]\nlisten = 127.0.0.1:1\ngroups = P-384:NOPE-1\n' >"$IT_TMP/bad2.conf"
out=$("$SERVER_BIN" -c "$IT_TMP/bad2.conf" --check-config 2>&1)
echo "$out" | grep -q "$IT_TMP/bad2.conf:4: groups: OpenSSL refuses" ||
	it_fail "--check-config did not name line 4 of [listener b]: $out"

it_check_sanitizers
it_pass "AEAD-only, legacy CBC on its own listener in server order, TLS 1.3 only, P-384 only, bad lists named by line"

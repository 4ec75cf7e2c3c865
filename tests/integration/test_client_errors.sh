#!/bin/bash
# The client's failures before a tunnel, each with its exit status and a
# message naming the problem:
#   nothing listening on the port          5, "cannot reach"
#   certificate from an unknown CA          4, names the certificate
#   a name the certificate does not hold    4, names the certificate/name
#   a plain HTTPS server answering 404      6, "not an SSTP server"
. "$(dirname "$0")/lib.sh"
it_require
it_net 4
it_certs
it_users "alice s3cret"
it_server --log-level debug
it_hosts "$OUT4_S server.test" "$OUT4_S other.test"

RESULTS=()
# Run a client to its end: expect status WANT and a last line matching RE.
check() { # NAME WANT RE CLIENT-ARGS...
	local name=$1 want=$2 re=$3 rc t0 ms last
	shift 3
	t0=$(date +%s%N)
	it_client "$name" --user alice --password s3cret --tun t"$name" "$@"
	it_wait_exit "$CLIENT_PID" 15
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	last=$(it_last "$CLIENT_LOG")
	it_log "$name: exit $rc after $ms ms: $last"
	[ $rc = 124 ] && it_fail "$name: client still running after 15 s: $last"
	[ $rc = "$want" ] || it_fail "$name: exit status $rc, want $want: $last"
	echo "$last" | grep -Eiq -- "ERROR: .*($re)" || it_fail "$name: message does not match /$re/: $last"
	grep -q "IPv4 up\|authenticated with" "$CLIENT_LOG" && it_fail "$name: the client got further than it should"
	RESULTS+=("$name=$rc")
}

# 1. Unreachable: the server's address, a port nobody listens on.
check unreach 5 "cannot reach" --ca-file "$IT_TMP/ca.crt" server.test:4443
# 2. Not trusted: the system store does not hold the test CA.
check untrusted 4 "certificate" server.test
# 3. Name mismatch: other.test is the server, but not in its certificate.
check badname 4 "certificate|name|other.test" --ca-file "$IT_TMP/ca.crt" other.test
grep -q "session=.* start" "$SERVER_LOG" && it_fail "a session started on the real server"

# 4. Not SSTP: an HTTPS server (a valid certificate for server.test from
# the test CA) that answers every request with 404.
it_cert www server.test "DNS:server.test"
printf 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' >"$IT_TMP/404.http"
it_bg "$NS_C" www socat OPENSSL-LISTEN:8443,bind=127.0.0.1,reuseaddr,fork,cert="$IT_TMP/www.crt",key="$IT_TMP/www.key",verify=0 \
	SYSTEM:"sleep 0.3; cat $IT_TMP/404.http"
it_wait_listen "$NS_C" 8443 5 || it_fail "the HTTPS server did not start: $(tail -2 "$IT_TMP/www.log")"
it_hosts "127.0.0.1 server.test"
check notsstp 6 "not an SSTP server" --ca-file "$IT_TMP/ca.crt" server.test:8443

it_stop "$SERVER_PID" || it_fail "server exit status $?"
it_check_sanitizers
it_pass "${RESULTS[*]}"

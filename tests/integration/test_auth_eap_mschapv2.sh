#!/bin/bash
# Server allows only EAP-MSCHAPv2; the default client authenticates with it.
# Both logs name the method (eap-mschapv2); and so that EAP was really used
# is shown by a client that offers only plain MS-CHAPv2 not getting in.
. "$(dirname "$0")/lib.sh"
AUTH=eap-mschapv2 LOGNAME_RE=eap-mschapv2
AFTER_CHECK() {
	it_client plain --user alice --password s3cret --ca-file "$IT_TMP/ca.crt" \
		--tun tc2 --auth mschapv2 server.test
	it_wait_exit "$CLIENT_PID" 10
	local rc=$?
	[ $rc = 124 ] && it_fail "a plain-MS-CHAPv2-only client was not refused within 10 s"
	[ $rc = 0 ] && it_fail "a plain-MS-CHAPv2-only client exited 0"
	grep -q "IPv4 up" "$IT_TMP/plain.log" &&
		it_fail "a plain-MS-CHAPv2-only client got a tunnel from an EAP-only server"
	grep -q "session=2 start" "$SERVER_LOG" && it_fail "session 2 started"
	it_log "plain-MS-CHAPv2-only client refused (exit $rc): $(it_last "$IT_TMP/plain.log")"
}
. "$(dirname "$0")/auth.sh"

#!/bin/bash
# No secret in any log (issue 13): the server and every client at debug
# level, SSLKEYLOGFILE unset; alice's password is in the users file in
# cleartext, bob's as an NT hash; alice logs in with PAP, CHAP,
# MS-CHAPv2 and EAP-MSCHAPv2, bob with PAP, MS-CHAPv2 and EAP-MSCHAPv2
# (the password on the command line and from a file), one PAP login
# with a wrong password fails, and a client is given a proxy URL with a
# password that it refuses.  No log then holds a password, an NT hash
# (hex, either case) or a line of the server's private key.
. "$(dirname "$0")/lib.sh"
unset SSLKEYLOGFILE
it_require
it_net 4
it_certs
PW_A='Alice-Cleartext-7f3c'
PW_B='Bob-Hashed-91d2'
PW_WRONG='Wrong-Guess-4e8a'
PW_PROXY='Proxy-Secret-5b1e'
nt_hash() {
	printf '%s\n' "$1" | "$SERVER_BIN" --nt-hash | sed 's/^nt://'
}
NT_A=$(nt_hash "$PW_A")
NT_B=$(nt_hash "$PW_B")
[[ $NT_A =~ ^[0-9A-F]{32}$ && $NT_B =~ ^[0-9A-F]{32}$ ]] ||
	it_fail "opensstpd --nt-hash gave \"$NT_A\", \"$NT_B\""
it_users "alice $PW_A" "bob nt:$NT_B"
printf '%s\n' "$PW_B" >"$IT_TMP/bob.pw"
chmod 600 "$IT_TMP/bob.pw"
it_server --log-level debug --auth pap,chap,mschapv2,eap-mschapv2

# A login that must come up with METHOD (the name both logs give).
login() { # NAME USER AUTH METHOD PASSWORD-ARGS...
	local name=$1 user=$2 auth=$3 method=$4 n
	shift 4
	n=$(grep -c "session=[0-9]* end" "$SERVER_LOG")
	it_client "$name" --log-level debug --user "$user" "$@" --auth "$auth" \
		--ca-file "$IT_TMP/ca.crt" --tun "t$name" --no-routes server.test
	it_wait_log "$CLIENT_LOG" "IPv4 up" 10 ||
		it_fail "$name: $user with $auth did not come up: $(tail -2 "$CLIENT_LOG")"
	grep -q "authenticated with $method\$" "$CLIENT_LOG" ||
		it_fail "$name: not authenticated with $method: $(grep -m1 authenticated "$CLIENT_LOG")"
	it_stop "$CLIENT_PID" || it_fail "$name: client exit status $?"
	it_wait_log "$SERVER_LOG" "session=$((n + 1)) end" 5 ||
		it_fail "$name: no session end line"
}
login ap alice pap pap --password "$PW_A"
login ac alice chap chap-md5 --password "$PW_A"
login am alice mschapv2 mschapv2 --password "$PW_A"
login ae alice eap eap-mschapv2 --password "$PW_A"
login bp bob pap pap --password-file "$IT_TMP/bob.pw"
login bm bob mschapv2 mschapv2 --password-file "$IT_TMP/bob.pw"
login be bob eap eap-mschapv2 --password-file "$IT_TMP/bob.pw"
it_client wrong --log-level debug --user alice --password "$PW_WRONG" \
	--auth pap --ca-file "$IT_TMP/ca.crt" --tun twrong --no-routes server.test
it_wait_exit "$CLIENT_PID" 15
rc=$?
[ $rc = 3 ] || it_fail "wrong password: exit status $rc, not 3: $(it_last "$CLIENT_LOG")"
it_wait_log "$SERVER_LOG" "session=8 .*authentication failed" 5 ||
	it_fail "no failed login logged: $(tail -2 "$SERVER_LOG")"
# A proxy URL it refuses is quoted back, without its password.
it_client badproxy --log-level debug --user alice --password "$PW_A" \
	--proxy "http://carol:$PW_PROXY@server.test:3128/path" \
	--ca-file "$IT_TMP/ca.crt" --tun tbad --no-routes server.test
it_wait_exit "$CLIENT_PID" 5
rc=$?
[ $rc = 2 ] || it_fail "bad proxy URL: exit status $rc, not 2: $(it_last "$CLIENT_LOG")"
grep -q "carol:\*\*\*@server.test" "$CLIENT_LOG" ||
	it_fail "the bad proxy URL is not quoted back: $(it_last "$CLIENT_LOG")"
it_stop "$SERVER_PID" || it_fail "server exit status $?"

# The logs did say something at debug level about every login.
[ "$(grep -c "authenticated with" "$SERVER_LOG")" = 7 ] ||
	it_fail "the server logged $(grep -c "authenticated with" "$SERVER_LOG") logins at debug level, not 7"
grep -q "DEBUG" "$IT_TMP/ap.log" || it_fail "no debug line in a client log"

# What must appear nowhere: passwords, NT hashes in both cases, key lines.
{
	printf '%s\n' "$PW_A" "$PW_B" "$PW_WRONG" "$PW_PROXY"
	for h in "$NT_A" "$NT_B"; do
		printf '%s\n' "$h" "${h,,}"
	done
	grep -v '^-----' "$IT_TMP/server.key"
} >"$IT_TMP/secrets"
logs=("$IT_TMP"/*.log)
[ ${#logs[@]} -ge 10 ] || it_fail "only ${#logs[@]} logs: ${logs[*]}"
if grep -F -n -f "$IT_TMP/secrets" "${logs[@]}" >"$IT_TMP/found"; then
	it_fail "a secret in $(cut -d: -f1,2 "$IT_TMP/found" | head -3 | tr '\n' ' ')(IT_KEEP=1 keeps $IT_TMP/found)"
fi
it_check_sanitizers
it_pass "${#logs[@]} logs at debug level, 7 logins (PAP, CHAP, MS-CHAPv2, EAP-MSCHAPv2; cleartext and NT-hash users), a failed one and a refused proxy URL: no password, NT hash or key line"

#!/bin/bash
# Server allows only MS-CHAPv2, and alice's users-file entry is an NT hash
# made by opensstpd --nt-hash: the default client authenticates with it.
. "$(dirname "$0")/lib.sh"
it_require
hash=$(printf 's3cret\n' | "$SERVER_BIN" --nt-hash) || it_fail "opensstpd --nt-hash failed"
# NT hash of "s3cret" (MD4 of its UTF-16LE form).
want=$(printf 's3cret' | iconv -t UTF-16LE 2>/dev/null | openssl dgst -md4 -provider legacy -provider default 2>/dev/null | awk '{print $NF}')
echo "$hash" | grep -Eq '^nt:[0-9a-fA-F]{32}$' || it_fail "--nt-hash printed '$hash', not nt:HEX"
if [ -n "$want" ]; then
	[ "${hash#nt:}" = "$want" ] || [ "${hash#nt:}" = "${want^^}" ] ||
		it_fail "--nt-hash gave $hash, MD4(UTF-16LE) is $want"
fi
AUTH=mschapv2 LOGNAME_RE=mschapv2 USERLINE="alice $hash"
. "$(dirname "$0")/auth.sh"

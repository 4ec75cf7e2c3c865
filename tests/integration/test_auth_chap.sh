#!/bin/bash
# Server allows only CHAP (MD5); the default client authenticates with it.
. "$(dirname "$0")/lib.sh"
AUTH=chap LOGNAME_RE=chap-md5
. "$(dirname "$0")/auth.sh"

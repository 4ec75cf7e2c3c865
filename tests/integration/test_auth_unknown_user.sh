#!/bin/bash
# A user not in the users file is refused (exit 3).
. "$(dirname "$0")/lib.sh"
CUSER=mallory CPASS=s3cret
. "$(dirname "$0")/auth_fail.sh"

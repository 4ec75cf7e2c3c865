#!/bin/bash
# A known user with the wrong password is refused (exit 3).
. "$(dirname "$0")/lib.sh"
CUSER=alice CPASS=wrong-password
. "$(dirname "$0")/auth_fail.sh"

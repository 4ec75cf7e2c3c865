#!/bin/bash
# Server allows only PAP; the default client authenticates with it.
. "$(dirname "$0")/lib.sh"
AUTH=pap LOGNAME_RE=pap
. "$(dirname "$0")/auth.sh"

#!/bin/bash
# The client through squid without authentication (--proxy).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
PX_MODE=none PX_URL='http://proxy.test:3128' PX_ENV='' PX_EXPECT='up'
. "$(dirname "$0")/proxy_client.sh"

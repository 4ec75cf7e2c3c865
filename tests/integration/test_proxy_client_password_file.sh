#!/bin/bash
# The client through squid with Digest, the proxy's password read from
# --proxy-password-file for the user named in the proxy URL.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
PX_MODE=digest PX_URL='http://alice@proxy.test:3128' PX_PASSWORD='proxy-pw' PX_ENV='' PX_EXPECT='up'
. "$(dirname "$0")/proxy_client.sh"

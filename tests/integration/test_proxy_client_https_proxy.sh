#!/bin/bash
# No --proxy: https_proxy names squid (Basic, credentials in the URL).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
PX_MODE=basic PX_URL='' PX_ENV='https_proxy=http://alice:proxy-pw@proxy.test:3128' PX_EXPECT='up'
. "$(dirname "$0")/proxy_client.sh"

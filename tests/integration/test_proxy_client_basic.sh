#!/bin/bash
# The client through squid with Basic authentication (RFC 7617).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
PX_MODE=basic PX_URL='http://alice:proxy-pw@proxy.test:3128' PX_ENV='' PX_EXPECT='up'
. "$(dirname "$0")/proxy_client.sh"

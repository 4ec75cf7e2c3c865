#!/bin/bash
# A wrong proxy password: the client stops, naming squid's status line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
PX_MODE=basic PX_URL='http://alice:wrong@proxy.test:3128' PX_ENV='' PX_EXPECT='407 Proxy Authentication Required'
PX_ARGS=''
. "$(dirname "$0")/proxy_client.sh"

#!/bin/bash
# https_proxy set but no_proxy names the server: the client goes direct, which this network does not allow, and squid sees nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/proxy_lib.sh"
PX_MODE=none PX_URL='' PX_ENV='https_proxy=http://proxy.test:3128 no_proxy=.test' PX_EXPECT='.'
PX_UNSEEN=1
. "$(dirname "$0")/proxy_client.sh"

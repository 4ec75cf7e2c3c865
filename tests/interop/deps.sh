#!/bin/sh
# The Debian packages the interop cases need beyond tools/deps.sh (the
# peers themselves), installed by run.sh before the cases, so that `make
# check` does not pay for them.  SoftEther is built from source
# (softether/build.sh): patch and its libraries; cmake, gcc and libssl-dev
# come with tools/deps.sh.  Add peers here.
exec "$(dirname "$0")/../../tools/deps.sh" sstp-client python3 \
	patch libreadline-dev zlib1g-dev libncurses-dev

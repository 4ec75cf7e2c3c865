#!/bin/sh
# The Debian packages the interop cases need beyond tools/deps.sh (the
# peers themselves), installed by run.sh before the cases, so that `make
# check` does not pay for them.  SoftEther is built from source
# (softether/build.sh): patch and its libraries; cmake, gcc and libssl-dev
# come with tools/deps.sh.  tshark and tcpdump are the judge of every
# case (judge.py): tools/deps.sh answers wireshark-common's setuid question
# "no" before apt-get runs, so the install asks nothing.  Add peers here.
exec "$(dirname "$0")/../../tools/deps.sh" sstp-client python3 \
	patch libreadline-dev zlib1g-dev libncurses-dev tshark tcpdump

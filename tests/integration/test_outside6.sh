#!/bin/bash
# IPv6 outside; IPv4 and IPv6 inside (see traffic.sh).
. "$(dirname "$0")/lib.sh"
OUTSIDE=6
. "$(dirname "$0")/traffic.sh"

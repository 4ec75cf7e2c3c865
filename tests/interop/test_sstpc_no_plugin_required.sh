#!/bin/bash
# sstpc without its pppd plugin (never sends Call Connected) against
# crypto_binding = required: Call Abort at the negotiation timer.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
sc_no_plugin_case required

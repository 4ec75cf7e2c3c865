#!/bin/bash
# sstpc without its pppd plugin (never sends Call Connected) against
# crypto_binding = optional: optional skips checking the binding, not the
# Call Connected itself, so the call still ends at the negotiation timer.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/lib.sh"
sc_no_plugin_case optional

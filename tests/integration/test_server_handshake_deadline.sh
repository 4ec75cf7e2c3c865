#!/bin/bash
# The whole-handshake deadline (issue 13, [timers] setup, --setup-ms): a
# connection stalled in any phase (TLS, HTTP, SSTP, LCP, authentication,
# binding) is ended at the set-up deadline, 3 s here, long before the
# per-phase limit (20 s), each as that phase's own timer would (a silent
# close before TLS, 408 in HTTP, a Call Abort NEGOTIATION_TIMEOUT after),
# with a log line naming the phase.  A call that is up is not touched.
# Then a client that keeps every phase under a 2 s phase limit but needs
# 3.7 s in all is cut at 3 s, and comes up when setup allows 10 s.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"

hostile_start --handshake-ms 20000 --setup-ms 3000
PIDS=()
for p in tls http sstp lcp auth binding; do
	hostile_run stall-$p $SRC_ATTACK --case stall-$p --wait-ms 8000 \
		--close-ms 8000 &
	PIDS+=($!)
done
i=0
for p in tls http sstp lcp auth binding; do
	wait "${PIDS[$i]}" ||
		it_fail "stall-$p: $(grep -E '^(result|expected|mismatch)' "$IT_TMP/stall-$p.log" | tr '\n' ' ')"
	i=$((i + 1))
	r=$(grep '^result' "$IT_TMP/stall-$p.log")
	it_log "stall-$p: ${r#result: }"
	ms=$(echo "$r" | sed -nE 's/.* after ([0-9]+) ms.*/\1/p' | head -1)
	[ -n "$ms" ] && [ "$ms" -ge 2900 ] && [ "$ms" -le 4500 ] ||
		it_fail "stall-$p: answered after ${ms:-?} ms, not at the 3 s set-up deadline"
done
for p in tls http sstp lcp authentication binding; do
	[ "$(grep -c "src=$SRC_ATTACK:[0-9]* setup_timeout ms=3000 phase=$p" "$SERVER_LOG")" = 1 ] ||
		it_fail "no single log line for phase $p: $(grep "setup_timeout" "$SERVER_LOG")"
done
# Stuck before the binding was verified: no session ever "started".
grep -q "start user=.* src=$SRC_ATTACK:" "$SERVER_LOG" &&
	it_fail "a start line for an unverified call: $(grep "start user=.* src=$SRC_ATTACK:" "$SERVER_LOG")"
# c1 came up before all this and is older than 3 s: untouched.
hostile_checks "after the stalls"
grep -q "src=$OUT4_C:[0-9]* setup_timeout" "$SERVER_LOG" &&
	it_fail "the set-up deadline touched the established session"

# Each phase under a 2 s limit, 1.2 s late three times: 3.7 s in all.
hostile_restart --handshake-ms 2000 --setup-ms 3000
hostile_case slow-setup --interval-ms 1200 --wait-ms 9000 --close-ms 8000 \
	--expect call-abort:NEGOTIATION_TIMEOUT
hostile_result slow-setup | grep -Eq "after (29[0-9][0-9]|3[0-9][0-9][0-9]|4[0-4][0-9][0-9]) ms" ||
	it_fail "slow-setup: not cut at the 3 s deadline: $(hostile_result slow-setup)"
grep -Eq "src=$SRC_ATTACK:[0-9]* setup_timeout ms=3000 phase=(lcp|authentication|binding)" "$SERVER_LOG" ||
	it_fail "slow-setup: no set-up deadline line: $(grep -m3 "src=$SRC_ATTACK" "$SERVER_LOG")"
hostile_restart --handshake-ms 2000 --setup-ms 10000
hostile_case slow-setup --interval-ms 1200 --wait-ms 9000
"$SERVER_BIN" --help | grep -q -- "--setup-ms N" || it_fail "--help lacks --setup-ms"
hostile_finish "stalls in all six phases ended at the 3 s set-up deadline, each its phase's way and named in the log; a slow set-up within each phase limit cut at 3 s and up with 10 s; established sessions untouched"

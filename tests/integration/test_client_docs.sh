#!/bin/bash
# opensstp --help and the man page docs/opensstp.1 agree: every option in
# one is in the other, the exit statuses are the same numbers with the
# same words, and the page renders without a groff warning.  Needs no
# root and no network.
. "$(dirname "$0")/lib.sh"
MAN=${CLIENT_MAN:-$IT_TOP/docs/opensstp.1}
[ -x "$CLIENT_BIN" ] || it_fail "no $CLIENT_BIN (build first)"
[ -f "$MAN" ] || it_fail "no $MAN"

help=$("$CLIENT_BIN" --help) || it_fail "opensstp --help exited $?"

# Options: "  -u, --user NAME  ..." and "      --mtu N  ..." lines.
help_opts=$(printf '%s\n' "$help" |
	sed -nE 's/^  (-[A-Za-z]), (--[a-z0-9-]+).*/\1\n\2/p; s/^      (--[a-z0-9-]+).*/\1/p' |
	sort -u)
# The tag lines (after .TP) of the OPTIONS section, escapes removed.
man_opts=$(awk '/^\.SH /{ sec = $0 } sec == ".SH OPTIONS" && prev == ".TP" { print } { prev = $0 }' "$MAN" |
	sed -E 's/\\-/-/g; s/\\f[BIRP]//g' |
	grep -oE '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | tr -d ' ,' | sort -u)
[ -n "$help_opts" ] || it_fail "no option found in --help"
[ -n "$man_opts" ] || it_fail "no option found in $MAN"
it_log "--help: $(echo $help_opts | wc -w) options; opensstp.1: $(echo $man_opts | wc -w)"
only_help=$(comm -23 <(echo "$help_opts") <(echo "$man_opts") | tr '\n' ' ')
only_man=$(comm -13 <(echo "$help_opts") <(echo "$man_opts") | tr '\n' ' ')
[ -z "$only_help" ] || it_fail "in --help, not in opensstp.1: $only_help"
[ -z "$only_man" ] || it_fail "in opensstp.1, not in --help: $only_man"

# Exit statuses: "  N  words" after "Exit status:" in --help; ".TP",
# ".B N", "words" in EXIT STATUS of the page.
help_codes=$(printf '%s\n' "$help" | sed -n '/^Exit status:/,$p' |
	sed -nE 's/^  ([0-9]+)  (.*)/\1 \2/p')
man_codes=$(awk '/^\.SH /{ sec = $0; next } sec == ".SH EXIT STATUS" {
		if (want_text) { print code " " $0; want_text = 0 }
		if (prev == ".TP" && $1 == ".B" && $2 ~ /^[0-9]+$/) { code = $2; want_text = 1 }
		prev = $0 }' "$MAN" | sed -E 's/\\-/-/g; s/\\f[BIRP]//g')
[ -n "$help_codes" ] || it_fail "no exit status found in --help"
[ -n "$man_codes" ] || it_fail "no exit status found in $MAN"
if ! diff <(echo "$help_codes") <(echo "$man_codes") >"$IT_TMP/codes.diff"; then
	cat "$IT_TMP/codes.diff"
	it_fail "exit statuses differ between --help (<) and opensstp.1 (>)"
fi
it_log "exit statuses: $(echo "$help_codes" | cut -d' ' -f1 | tr '\n' ' ')"

# The page renders cleanly.
if command -v groff >/dev/null; then
	warn=$(groff -man -Tutf8 -ww -z "$MAN" 2>&1)
	[ -z "$warn" ] || it_fail "groff warns: $(echo "$warn" | head -3 | tr '\n' ' ')"
fi
it_pass "$(echo $help_opts | wc -w) options and $(echo "$help_codes" | wc -l) exit statuses agree in --help and opensstp.1"

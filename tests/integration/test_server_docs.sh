#!/bin/bash
# The server's documentation stays true.  opensstpd --help and
# docs/opensstpd.8 list the same options and exit statuses, and the page
# has the signals the server handles.  Every key of the parser's tables
# (src/server/config.c) is in docs/opensstpd.conf.5 under its section,
# marked reloaded by SIGHUP exactly when src/server/reload.c applies it,
# in the sample etc/opensstp/opensstpd.conf and in config.h's comment
# block, and has its command-line option.  The sample passes
# --check-config as shipped and with every setting uncommented; broken
# copies fail naming FILE:LINE.  Both pages render without a groff
# warning.  Needs no root and no network.
. "$(dirname "$0")/lib.sh"
MAN8=${SERVER_MAN:-$IT_TOP/docs/opensstpd.8}
MAN5=${SERVER_CONF_MAN:-$IT_TOP/docs/opensstpd.conf.5}
SAMPLE=${SERVER_SAMPLE:-$IT_TOP/etc/opensstp/opensstpd.conf}
CONFIG_C=$IT_TOP/src/server/config.c
CONFIG_H=$IT_TOP/src/server/config.h
RELOAD_C=$IT_TOP/src/server/reload.c
SERVER_C=$IT_TOP/src/server/server.c
[ -x "$SERVER_BIN" ] || it_fail "no $SERVER_BIN (build first)"
for f in "$MAN8" "$MAN5" "$SAMPLE" "$CONFIG_C" "$CONFIG_H" "$RELOAD_C" "$SERVER_C"; do
	[ -f "$f" ] || it_fail "no $f"
done
command -v groff >/dev/null || it_fail "groff not installed (make deps)"

# Words only in one of two sorted lists, for the failure messages.
only_in() { comm -23 <(echo "$1") <(echo "$2") | tr '\n' ' '; }
# Roff escapes off: \- \fB \fI \fR \fP \: \& \(aq.
unroff() { sed -E 's/\\-/-/g; s/\\f[BIRP]//g; s/\\[:&]//g; s/\\\(aq/'"'"'/g'; }

help=$("$SERVER_BIN" --help) || it_fail "opensstpd --help exited $?"

# --- opensstpd.8: options, exit statuses, signals -------------------------

# Every -x and --long-option in --help: the option lines, the usage line
# (--nt-hash) and the notes (--drain-ms).
opt_re='(^|[[:space:],(])(--[a-z][a-z0-9-]+|-[A-Za-z])([[:space:],)|]|$)'
help_opts=$(printf '%s\n' "$help" | grep -oE "$opt_re" |
	sed -E 's/^[[:space:],(]*//; s/[[:space:],)|]*$//' | sort -u)
# The tag lines (after .TP) of the page's OPTIONS section.
man_opts=$(awk '/^\.SH /{ sec = $0 } sec == ".SH OPTIONS" && prev == ".TP" { print } { prev = $0 }' "$MAN8" |
	unroff | grep -oE "$opt_re" |
	sed -E 's/^[[:space:],(]*//; s/[[:space:],)|]*$//' | sort -u)
[ -n "$help_opts" ] || it_fail "no option found in --help"
[ -n "$man_opts" ] || it_fail "no option found in $MAN8"
it_log "--help: $(echo $help_opts | wc -w) options; opensstpd.8: $(echo $man_opts | wc -w)"
d=$(only_in "$help_opts" "$man_opts")
[ -z "$d" ] || it_fail "in --help, not in opensstpd.8: $d"
d=$(only_in "$man_opts" "$help_opts")
[ -z "$d" ] || it_fail "in opensstpd.8, not in --help: $d"

# "Exit status: 0 after a clean stop, 1 on an error, 2 on a usage error."
# in --help; ".TP", ".B N", "words" in EXIT STATUS of the page.
help_codes=$(printf '%s\n' "$help" | sed -n 's/^Exit status: //p' |
	sed 's/\.$//' | sed 's/, \([0-9]\)/\n\1/g')
man_codes=$(awk '/^\.SH /{ sec = $0; next } sec == ".SH EXIT STATUS" {
		if (want_text) { print code " " $0; want_text = 0 }
		if (prev == ".TP" && $1 == ".B" && $2 ~ /^[0-9]+$/) { code = $2; want_text = 1 }
		prev = $0 }' "$MAN8" | unroff)
[ -n "$help_codes" ] || it_fail "no exit status found in --help"
[ -n "$man_codes" ] || it_fail "no exit status found in $MAN8"
if ! diff <(echo "$help_codes") <(echo "$man_codes") >"$IT_TMP/codes.diff"; then
	cat "$IT_TMP/codes.diff"
	it_fail "exit statuses differ between --help (<) and opensstpd.8 (>)"
fi

# The signals the server takes (its signalfd set) are tags of SIGNALS.
code_sigs=$(grep -oE 'sigaddset\(&set, SIG[A-Z]+\)' "$SERVER_C" |
	grep -oE 'SIG[A-Z]+' | sort -u)
man_sigs=$(awk '/^\.SH /{ sec = $0 } sec == ".SH SIGNALS" && prev == ".TP" { print } { prev = $0 }' "$MAN8" |
	grep -oE 'SIG[A-Z]+' | sort -u)
[ -n "$code_sigs" ] || it_fail "no sigaddset(&set, SIG...) found in $SERVER_C"
d=$(only_in "$code_sigs" "$man_sigs")
[ -z "$d" ] || it_fail "signals the server handles, not in SIGNALS of opensstpd.8: $d"

# --- config keys: the parser's tables against the docs ----------------------

# "section key" lines: [server] and [timers] from keys[], [listener NAME]
# from listener_keys[].
code_keys=$( {
	grep -oE '\{ "(server|timers)", "[a-z0-9_]+"' "$CONFIG_C" |
		sed -E 's/\{ "([a-z]+)", "([a-z0-9_]+)"/\1 \2/'
	awk '/listener_keys\[\] = \{/ { on = 1 } on { print } on && /^\};/ { on = 0 }' "$CONFIG_C" |
		grep -oE '\{ "[a-z0-9_]+", LISTENER_HAS_' |
		sed -E 's/\{ "([a-z0-9_]+)".*/listener \1/'
} | sort -u)
n_server=$(grep -c '^server ' <<<"$code_keys")
n_timers=$(grep -c '^timers ' <<<"$code_keys")
n_listener=$(grep -c '^listener ' <<<"$code_keys")
[ "$n_server" -ge 10 ] && [ "$n_timers" -ge 1 ] && [ "$n_listener" -ge 3 ] ||
	it_fail "could not read the key tables of $CONFIG_C (server $n_server, timers $n_timers, listener $n_listener): has their layout changed?"
it_log "config.c: $n_server [server], $n_listener [listener], $n_timers [timers] keys"

# The page: "section key mark" for each tag line "key = ..." under the
# three section headings, mark being what its paragraph says of SIGHUP.
man_entries=$(unroff <"$MAN5" | awk '
	function flush() {
		if (key != "") print sec " " key " " (hup && !rst ? "sighup" : rst && !hup ? "restart" : "unclear")
		key = ""; hup = rst = 0
	}
	/^\.SH / {
		flush()
		sec = ""
		if ($0 ~ /^\.SH THE \[server\] SECTION/) sec = "server"
		else if ($0 ~ /^\.SH THE \[listener NAME\] SECTIONS/) sec = "listener"
		else if ($0 ~ /^\.SH THE \[timers\] SECTION/) sec = "timers"
		next
	}
	/^\.(TP|SS|PP)/ { flush() }
	sec != "" && prev == ".TP" && match($0, /^[a-z0-9_]+ =/) {
		key = substr($0, 1, RLENGTH - 2)
	}
	key != "" && /SIGHUP applies a change\./ { hup = 1 }
	key != "" && /A change needs a restart\./ { rst = 1 }
	{ prev = $0 }
	END { flush() }' | sort -u)
man_keys=$(cut -d' ' -f1,2 <<<"$man_entries" | sort -u)
d=$(only_in "$code_keys" "$man_keys")
[ -z "$d" ] || it_fail "keys the parser takes, not in opensstpd.conf.5 (section key): $d"
d=$(only_in "$man_keys" "$code_keys")
[ -z "$d" ] || it_fail "keys in opensstpd.conf.5 the parser does not take (section key): $d"
d=$(grep ' unclear$' <<<"$man_entries" | cut -d' ' -f1,2 | tr '\n' ',')
[ -z "$d" ] || it_fail "opensstpd.conf.5 must say either \"SIGHUP applies a change.\" or \"A change needs a restart.\" for: $d"

# What SIGHUP applies: the fields reload.c's apply() copies from the new
# configuration; a [server] key is its field, a [timers] key its field
# less "_ms".  [listener] settings are never reloaded.
fields=$(sed -n '/^apply(/,/^}/p' "$RELOAD_C" |
	grep -oE '(c->[a-z0-9_]+ = n->|memcpy\(c->[a-z0-9_]+, n->)' |
	sed -E 's/^(memcpy\()?c->([a-z0-9_]+).*/\2/' | sort -u)
[ -n "$fields" ] || it_fail "no field assignment found in apply() of $RELOAD_C: has it changed?"
code_hup=$(while read -r sec key; do
	case $sec in
	server) grep -qx "$key" <<<"$fields" && echo "$sec $key" ;;
	timers) grep -qx "${key}_ms" <<<"$fields" && echo "$sec $key" ;;
	esac
done <<<"$code_keys" | sort -u)
man_hup=$(grep ' sighup$' <<<"$man_entries" | cut -d' ' -f1,2 | sort -u)
[ -n "$code_hup" ] || it_fail "apply() in $RELOAD_C sets no config key"
d=$(only_in "$code_hup" "$man_hup")
[ -z "$d" ] || it_fail "SIGHUP applies these, opensstpd.conf.5 says restart: $d"
d=$(only_in "$man_hup" "$code_hup")
[ -z "$d" ] || it_fail "opensstpd.conf.5 says SIGHUP applies these, reload.c does not: $d"
it_log "SIGHUP applies: $(cut -d' ' -f2 <<<"$code_hup" | tr '\n' ' ')"

# The sample: "key = value" or ";key = value" under "[section]" or
# ";[section]"; every key once.
sample_keys=$(awk '
	match($0, /^;?\[[^]]+\]/) {
		sec = substr($0, 1, RLENGTH); sub(/^;?\[/, "", sec); sub(/\]$/, "", sec)
		sub(/ .*/, "", sec)
		next
	}
	match($0, /^;?[a-z0-9_]+ *=/) {
		k = substr($0, 1, RLENGTH); sub(/^;/, "", k); sub(/ *=$/, "", k)
		print sec " " k
	}' "$SAMPLE" | sort)
d=$(uniq -d <<<"$sample_keys" | tr '\n' ',')
[ -z "$d" ] || it_fail "keys given twice in the sample: $d"
sample_keys=$(sort -u <<<"$sample_keys")
d=$(only_in "$code_keys" "$sample_keys")
[ -z "$d" ] || it_fail "keys the parser takes, not in $SAMPLE: $d"
d=$(only_in "$sample_keys" "$code_keys")
[ -z "$d" ] || it_fail "keys in $SAMPLE the parser does not take: $d"

# config.h's comment block names each [server] and [timers] key.
h_block=$(sed -n '1,/\*\//p' "$CONFIG_H")
missing=""
while read -r sec key; do
	[ "$sec" = listener ] && continue
	grep -qE "^ \*[[:space:]]+$key =" <<<"$h_block" || missing="$missing $sec.$key"
done <<<"$code_keys"
[ -z "$missing" ] || it_fail "keys not in the comment block of config.h:$missing"

# Each [server] key has --key (with - for _), each [timers] key --key-ms;
# and every other option of --help is one of these five.
want_opts=$( {
	while read -r sec key; do
		case $sec in
		server) echo "--${key//_/-}" ;;
		timers) echo "--${key//_/-}-ms" ;;
		esac
	done <<<"$code_keys"
	printf '%s\n' --config --check-config --nt-hash --help --version
} | sort -u)
long_opts=$(grep -- '^--' <<<"$help_opts" | sort -u)
d=$(only_in "$want_opts" "$long_opts")
[ -z "$d" ] || it_fail "config keys without their option in --help: $d"
d=$(only_in "$long_opts" "$want_opts")
[ -z "$d" ] || it_fail "options in --help that set no config key: $d"

# --- the sample passes --check-config ---------------------------------------

it_certs
it_users "alice s3cret"
out=$("$SERVER_BIN" --check-config -c "$SAMPLE" --cert "$IT_TMP/server.crt" \
	--key "$IT_TMP/server.key" --users "$IT_TMP/users" 2>&1)
rc=$?
[ $rc -eq 0 ] && [ "$out" = "configuration OK" ] ||
	it_fail "the sample fails --check-config (exit $rc): $out"

# Every setting uncommented (sections too), the paths moved here: each
# value shown is one the parser takes, and the keys go together.
mkdir -p "$IT_TMP/etc"
cp "$IT_TMP/server.crt" "$IT_TMP/etc/server.crt"
cp "$IT_TMP/server.key" "$IT_TMP/etc/server.key"
cp "$IT_TMP/server.crt" "$IT_TMP/etc/modern.crt"
cp "$IT_TMP/server.key" "$IT_TMP/etc/modern.key"
cp "$IT_TMP/users" "$IT_TMP/etc/users"
ALL=$IT_TMP/all.conf
sed -E 's/^;([a-z0-9_]+ *=)/\1/; s/^;\[/[/; s#/etc/opensstp/#'"$IT_TMP"'/etc/#g' \
	"$SAMPLE" >"$ALL"
grep -q '^;' "$ALL" && it_fail "a line of the sample starts with ';' but is not a setting: $(grep -m1 '^;' "$ALL")"
out=$("$SERVER_BIN" --check-config -c "$ALL" 2>&1)
rc=$?
[ $rc -eq 0 ] && [ "$out" = "configuration OK" ] ||
	it_fail "the sample with every setting uncommented fails --check-config (exit $rc): $out"
it_log "sample: $(echo "$sample_keys" | wc -l) keys; passes --check-config as shipped and uncommented"

# --- broken files are named with their line ------------------------------

# broken NAME LINE_REGEX NEW_LINE WHY_REGEX: the sample with the first
# line matching LINE_REGEX replaced; exit 1 and "FILE:LINE: " then WHY.
broken() {
	local f=$IT_TMP/$1.conf line out rc
	line=$(grep -nE -m1 -- "$2" "$SAMPLE" | cut -d: -f1)
	[ -n "$line" ] || it_fail "no line matching $2 in the sample"
	awk -v n="$line" -v s="$3" 'NR == n { print s; next } { print }' "$SAMPLE" >"$f"
	out=$("$SERVER_BIN" --check-config -c "$f" --cert "$IT_TMP/server.crt" \
		--key "$IT_TMP/server.key" --users "$IT_TMP/users" 2>&1)
	rc=$?
	[ $rc -eq 1 ] || it_fail "$1: --check-config exited $rc, not 1: $out"
	grep -qE -- "^opensstpd: $f:$line: $4" <<<"$out" ||
		it_fail "$1: the error does not name $f:$line ($4): $out"
	it_log "$1: $out"
}
broken bad_value '^;?mtu *=' 'mtu = 99999' 'mtu: '
broken unknown_key '^;?workers *=' 'wrokers = auto' 'unknown key "wrokers"'
broken unknown_section '^\[timers\]' '[timer]' 'unknown section \[timer\]'
broken indented '^;?max_per_user *=' '  max_per_user = 2' 'indented line'
broken outside_section '^\[server\]' 'tun = sstp0' '"tun" outside any \[section\]'

# A bad option is a usage error (2) naming its key.
out=$("$SERVER_BIN" --check-config -c "$SAMPLE" --cert "$IT_TMP/server.crt" \
	--key "$IT_TMP/server.key" --users "$IT_TMP/users" --mtu 5 2>&1)
rc=$?
[ $rc -eq 2 ] && grep -q 'mtu' <<<"$out" ||
	it_fail "--mtu 5: exit $rc, not 2 naming mtu: $out"

# --- both pages render cleanly ---------------------------------------------

for page in "$MAN8" "$MAN5"; do
	for width in "" 80n 65n; do
		warn=$(groff -man -Tutf8 -ww -z ${width:+-rLL=$width} "$page" 2>&1)
		[ -z "$warn" ] || it_fail "groff ${width:+(line length $width) }warns on $(basename "$page"): $(echo "$warn" | head -3 | tr '\n' ' ')"
	done
done

it_pass "$(echo $help_opts | wc -w) options, $(echo "$help_codes" | wc -l) exit statuses, $(echo "$code_keys" | wc -l) config keys ($(echo "$code_hup" | wc -l) reloaded by SIGHUP) agree in --help, opensstpd.8, opensstpd.conf.5, the sample and config.h; the sample passes --check-config; 5 broken files named FILE:LINE"

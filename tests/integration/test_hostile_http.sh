#!/bin/bash
# Hostile HTTP requests (issue 13, spec/sstp.md 1.3): each malformed or
# oversized request gets its HTTP error (400, 404, 414, 431, 505) and a
# close; a header line past the cap followed by a blank line is refused
# where it crosses the cap, never taken as the end of the headers; the
# request pipelined with the first SSTP message is legal.  Then the caps
# as configured: http_max_headers, http_max_header_bytes and http_max_line
# from the command line and the file, each refusing a request the
# defaults take.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile_lib.sh"

hostile_start
for c in http-get http-uri http-version http-garbage http-line-too-long \
	http-header-too-long http-too-many-headers http-headers-too-big \
	http-cap-then-blank http-content-length http-two-hosts \
	http-pipelined; do
	hostile_case $c
done
# Ten 200-byte header lines: under the default caps, taken.
hostile_case http-headers-n --count 10
grep -q "HTTP request or status line too long\|HTTP header line too long" "$SERVER_LOG" ||
	it_fail "no log line names the cap: $(grep -m3 "src=$SRC_ATTACK" "$SERVER_LOG")"

# The same ten lines past each cap in turn, the last one from the file.
printf '[server]\nhttp_max_headers = 9\n' >"$IT_TMP/caps.conf"
for caps in "--http-max-headers 8" "--http-max-header-bytes 1024" \
	"--http-max-line 150" "--config $IT_TMP/caps.conf"; do
	hostile_restart $caps
	hostile_case http-headers-n --count 10 --expect http:431
done
"$SERVER_BIN" --help | grep -q -- "--http-max-header-bytes N" ||
	it_fail "--help does not list the HTTP caps"
hostile_finish "$HOSTILE_N HTTP attacks answered with their status and a close; the three caps configurable, each enforced"

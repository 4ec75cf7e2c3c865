#include <stdio.h>
#include <string.h>

#include "sstp/sstp_http.h"
#include "test_run.h"

#define URI	 SSTP_HTTP_URI
#define REQ_LINE SSTP_HTTP_METHOD " " URI " HTTP/1.1\r\n"
#define CL_MAX	 "18446744073709551615"

/* Our probe's request to SoftEther, as recorded (spec/sstp.md 1.2). */
#define REQ_OURS                                                               \
	REQ_LINE                                                               \
	"Host: localhost\r\n"                                                  \
	"Content-Length: " CL_MAX "\r\n"                                       \
	"SSTPCORRELATIONID: {6E5712BF-F917-42F6-BF49-603DB18CDF6A}\r\n"        \
	"\r\n"
#define GUID_OURS "6E5712BFF91742F6BF49603DB18CDF6A"

/* sstp-client: same layout, four rand() values as the GUID. */
#define MALFORMED_GUID "{6B8B4567-327B23C6-643C9869-66334873}"
#define REQ_SSTPC                                                              \
	REQ_LINE "Host: vpn.example.com\r\n"                                   \
		 "Content-Length: " CL_MAX "\r\n"                              \
		 "SSTPCORRELATIONID: " MALFORMED_GUID "\r\n"                   \
		 "\r\n"

/* SoftEther's answer, as recorded (spec/sstp.md 1.3). */
#define RESP_SOFTETHER                                                         \
	"HTTP/1.1 200 OK\r\n"                                                  \
	"Content-Length: " CL_MAX "\r\n"                                       \
	"Date: Wed, 25 Nov 2026 02:54:55 GMT\r\n"                              \
	"Server: Microsoft-HTTPAPI/2.0\r\n"                                    \
	"\r\n"

/* A Call Connect Request pipelined right after the header block. */
#define CALL_CONNECT_HEX "10 01 00 0e 00 01 00 01 00 01 00 06 00 01"

/* Bytes and length of a literal, embedded NULs included. */
#define LIT(s) (const uint8_t *)(s), sizeof(s) - 1

struct result {
	enum sstp_err err;
	size_t used; /* over all the calls */
	bool done;
	struct sstp_http_request req;
	struct sstp_http_response resp;
};

/*
 * Feed data to a fresh parser: first bytes [0, first) if first > 0, then
 * pieces of chunk bytes (0: all that is left), until an error, the end of
 * the headers or the end of the data.
 */
static void
feed(bool response, const struct sstp_http_limits *lim, const uint8_t *data,
    size_t len, size_t first, size_t chunk, struct result *res)
{
	struct sstp_http_parser p;
	size_t off = 0, n, used;

	memset(res, 0, sizeof(*res));
	if (response)
		sstp_http_response_parser_init(&p, lim);
	else
		sstp_http_request_parser_init(&p, lim);
	do {
		n = len - off;
		if (off == 0 && first > 0 && first < n)
			n = first;
		else if (chunk > 0 && chunk < n)
			n = chunk;
		if (response)
			res->err = sstp_http_response_parse(
			    &p, data + off, n, &used, &res->resp, &res->done);
		else
			res->err = sstp_http_request_parse(
			    &p, data + off, n, &used, &res->req, &res->done);
		assert_true(used <= n);
		if (res->err == SSTP_OK && !res->done)
			assert_int_equal(used, n);
		off += used;
	} while (res->err == SSTP_OK && !res->done && off < len);
	res->used = off;
}

static void
req_whole(const struct sstp_http_limits *lim, const uint8_t *data, size_t len,
    struct result *res)
{
	feed(false, lim, data, len, 0, 0, res);
}

static void
resp_whole(const uint8_t *data, size_t len, struct result *res)
{
	feed(true, NULL, data, len, 0, 0, res);
}

static void
assert_same_result(const struct result *a, const struct result *b)
{
	assert_int_equal(a->err, b->err);
	assert_int_equal(a->used, b->used);
	assert_int_equal(a->done, b->done);
	assert_int_equal(a->req.version_minor, b->req.version_minor);
	assert_int_equal(a->req.has_host, b->req.has_host);
	assert_string_equal(a->req.host, b->req.host);
	assert_int_equal(a->req.has_correlation_id, b->req.has_correlation_id);
	assert_string_equal(a->req.correlation_id, b->req.correlation_id);
	assert_int_equal(a->req.has_content_length, b->req.has_content_length);
	assert_true(a->req.content_length == b->req.content_length);
	assert_int_equal(a->resp.version_minor, b->resp.version_minor);
	assert_int_equal(a->resp.status, b->resp.status);
	assert_string_equal(a->resp.reason, b->resp.reason);
	assert_int_equal(
	    a->resp.has_content_length, b->resp.has_content_length);
	assert_true(a->resp.content_length == b->resp.content_length);
}

/* Whole, a byte at a time, every chunk size, split at every position. */
static void
assert_any_split(bool response, const struct sstp_http_limits *lim,
    const uint8_t *data, size_t len, struct result *whole)
{
	struct result r;
	size_t k;

	feed(response, lim, data, len, 0, 0, whole);
	for (k = 1; k <= len; k++) {
		feed(response, lim, data, len, 0, k, &r);
		assert_same_result(&r, whole);
		feed(response, lim, data, len, k, 0, &r);
		assert_same_result(&r, whole);
	}
}

static void
assert_req_error(const uint8_t *data, size_t len, enum sstp_err err)
{
	struct result r;

	assert_any_split(false, NULL, data, len, &r);
	assert_int_equal(r.err, err);
	assert_false(r.done);
}

static void
assert_resp_error(const uint8_t *data, size_t len, enum sstp_err err)
{
	struct result r;

	assert_any_split(true, NULL, data, len, &r);
	assert_int_equal(r.err, err);
	assert_false(r.done);
}

static size_t
offset_of(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	assert_non_null(p);
	return (size_t)(p - hay);
}

/* --- Request parser: refusals --- */

static void
request_truncated_needs_more(void **state)
{
	const uint8_t *req = (const uint8_t *)REQ_OURS;
	struct result r;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(REQ_OURS) - 1; k++) {
		req_whole(NULL, req, k, &r);
		assert_int_equal(r.err, SSTP_OK);
		assert_false(r.done);
		assert_int_equal(r.used, k);
	}
}

static void
request_bad_method(void **state)
{
	(void)state;
	assert_req_error(
	    LIT("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), SSTP_E_HTTP_METHOD);
	assert_req_error(LIT("POST " URI " HTTP/1.1\r\n"), SSTP_E_HTTP_METHOD);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POSTX " URI " HTTP/1.1\r\n"), SSTP_E_HTTP_METHOD);
	assert_req_error(
	    LIT("SSTP_DUPLEX_GET " URI " HTTP/1.1\r\n"), SSTP_E_HTTP_METHOD);
	/* Method checked before the version: still looks like a web server. */
	assert_req_error(LIT("GET / HTTP/2.0\r\n"), SSTP_E_HTTP_METHOD);
}

static void
request_bad_uri(void **state)
{
	(void)state;
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST / HTTP/1.1\r\n\r\n"), SSTP_E_HTTP_URI);
	assert_req_error(LIT("SSTP_DUPLEX_POST "
			     "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75} "
			     "HTTP/1.1\r\n"),
	    SSTP_E_HTTP_URI);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI "x HTTP/1.1\r\n"), SSTP_E_HTTP_URI);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI " HTTP/3.0\r\n"), SSTP_E_HTTP_VERSION);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST /x HTTP/3.0\r\n"), SSTP_E_HTTP_URI);
}

static void
request_bad_version(void **state)
{
	(void)state;
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI " HTTP/2.0\r\n"), SSTP_E_HTTP_VERSION);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI " HTTP/1.2\r\n"), SSTP_E_HTTP_VERSION);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI " HTTP/0.9\r\n"), SSTP_E_HTTP_VERSION);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI " HTTP/1.1x\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI " HTTP/11\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI " HTTP/1.\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI " FTP/1.1\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI " \r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI "\r\n"), SSTP_E_HTTP_SYNTAX);
}

static void
request_garbage(void **state)
{
	(void)state;
	/* A TLS ClientHello sent to the plain-HTTP listener. */
	assert_req_error(LIT("\x16\x03\x01\x02\x00\x01"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(LIT("hello\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(LIT("hello world\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST  " URI " HTTP/1.1\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT(" SSTP_DUPLEX_POST " URI " HTTP/1.1\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST " URI " HTTP/1.1 x\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT("SSTP(DUPLEX)POST " URI " HTTP/1.1\r\n"), SSTP_E_HTTP_SYNTAX);
	/* More empty lines before the request line than tolerated. */
	assert_req_error(
	    LIT("\r\n\r\n\r\n\r\n\r\n" REQ_OURS), SSTP_E_HTTP_SYNTAX);
}

static void
request_nul_in_line(void **state)
{
	const char in[] = REQ_LINE "Host: local\0host\r\n\r\n";
	struct result r;

	(void)state;
	req_whole(NULL, LIT(in), &r);
	assert_int_equal(r.err, SSTP_E_HTTP_SYNTAX);
	/* Decided on the NUL itself, not at the end of the line. */
	assert_int_equal(r.used, offset_of(in, "local") + 6);
	assert_req_error(LIT(in), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT("SSTP_DUPLEX_POST\0 " URI " HTTP/1.1\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(LIT("\0"), SSTP_E_HTTP_SYNTAX);
}

static void
request_control_bytes(void **state)
{
	(void)state;
	assert_req_error(
	    LIT(REQ_LINE "X-A: a\x7f\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT(REQ_LINE "X-A: a\x1b\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT(REQ_LINE "X-A: a\x0b\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	/* A CR not right before LF is a control byte like any other. */
	assert_req_error(LIT(REQ_LINE "X-A: a\rb\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(LIT(REQ_LINE "\rX-A: a\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(LIT("SSTP_DUPLEX_POST " URI " HTTP/1.1\r\r\rx"),
	    SSTP_E_HTTP_SYNTAX);
}

static void
request_obs_fold(void **state)
{
	const char in[] = REQ_LINE "X-A: b\r\n c:d\r\n\r\n";
	struct result r;

	(void)state;
	/* Decided on the leading white space, not at the end of the line. */
	req_whole(NULL, LIT(in), &r);
	assert_int_equal(r.err, SSTP_E_HTTP_SYNTAX);
	assert_int_equal(r.used, offset_of(in, " c:d") + 1);
	assert_req_error(
	    LIT(REQ_LINE "X-A: b\r\n c\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT(REQ_LINE "X-A: b\r\n\tc\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	/* RFC 7230 3: white space before the first header, same thing. */
	assert_req_error(LIT(REQ_LINE " Host: a\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
}

static void
request_bad_header_name(void **state)
{
	(void)state;
	assert_req_error(LIT(REQ_LINE "Host : a\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT(REQ_LINE "Bad Name: a\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(LIT(REQ_LINE ": a\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(LIT(REQ_LINE "NoColon\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(LIT(REQ_LINE "X(y): a\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_req_error(
	    LIT(REQ_LINE "X\xc3\xa9: a\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
}

static void
request_bad_content_length(void **state)
{
	static const char *const bad[] = { "18446744073709551616",
		"99999999999999999999", "184467440737095516150", "-1", "+1",
		"12a", "0x10", "1 2", "1,1", "", "   " };
	char in[256];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		n = snprintf(in, sizeof(in),
		    REQ_LINE "Content-Length: %s\r\n\r\n", bad[i]);
		assert_true(n > 0 && (size_t)n < sizeof(in));
		assert_req_error(
		    (const uint8_t *)in, (size_t)n, SSTP_E_HTTP_CONTENT_LENGTH);
	}
	/* RFC 7230 3.3.2: two different values. */
	assert_req_error(LIT(REQ_LINE "Content-Length: " CL_MAX "\r\n"
				      "Content-Length: 0\r\n\r\n"),
	    SSTP_E_HTTP_CONTENT_LENGTH);
}

static void
request_bad_host(void **state)
{
	char in[512];
	struct result r;
	int n;

	(void)state;
	/* One byte over SSTP_HTTP_HOST_MAX, then exactly at it. */
	n = snprintf(in, sizeof(in), REQ_LINE "Host: %0256d\r\n\r\n", 0);
	assert_req_error((const uint8_t *)in, (size_t)n, SSTP_E_HTTP_SYNTAX);
	n = snprintf(in, sizeof(in), REQ_LINE "Host: %0255d\r\n\r\n", 0);
	req_whole(NULL, (const uint8_t *)in, (size_t)n, &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_int_equal(strlen(r.req.host), SSTP_HTTP_HOST_MAX);
	/* RFC 7230 5.4: only one Host. */
	assert_req_error(
	    LIT(REQ_LINE "Host: a\r\nHost: a\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
}

/* --- Request parser: caps, each exactly at and one byte over --- */

static void
request_line_cap(void **state)
{
	struct sstp_http_limits lim;
	const size_t line = sizeof(REQ_LINE) - 3; /* without CRLF */
	struct result r;

	(void)state;
	sstp_http_limits_default(&lim);
	lim.max_line = line;
	assert_any_split(false, &lim, LIT(REQ_OURS), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	/* A bare LF or CRLF ends it; each CR after the first counts. */
	assert_any_split(
	    false, &lim, LIT(SSTP_HTTP_METHOD " " URI " HTTP/1.1\n\n"), &r);
	assert_true(r.done);
	assert_any_split(
	    false, &lim, LIT(SSTP_HTTP_METHOD " " URI " HTTP/1.1\r\r\n\n"), &r);
	assert_int_equal(r.err, SSTP_E_HTTP_LINE_TOO_LONG);
	assert_int_equal(r.used, line + 2);
	lim.max_line = line - 1;
	assert_any_split(false, &lim, LIT(REQ_OURS), &r);
	assert_int_equal(r.err, SSTP_E_HTTP_LINE_TOO_LONG);
	assert_int_equal(r.used, line);
	assert_false(r.done);
}

static void
request_header_line_cap(void **state)
{
	const size_t start = sizeof(REQ_LINE) - 1, name = 7; /* "X-Pad: " */
	char in[4096];
	struct result r;
	size_t n;

	(void)state;
	/* Exactly 2048 bytes of header line, CRLF apart: accepted. */
	memcpy(in, REQ_LINE "X-Pad: ", start + name);
	memset(in + start + name, 'a', 2048 - name);
	memcpy(in + start + 2048, "\r\n\r\n", 4);
	n = start + 2048 + 4;
	req_whole(NULL, (const uint8_t *)in, n, &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_int_equal(r.used, n);
	/* One more: refused on its 2049th byte, never the end of headers. */
	memset(in + start + name, 'a', 2049 - name);
	memcpy(in + start + 2049, "\r\n\r\n", 4);
	n = start + 2049 + 4;
	req_whole(NULL, (const uint8_t *)in, n, &r);
	assert_int_equal(r.err, SSTP_E_HTTP_HEADER_TOO_LONG);
	assert_int_equal(r.used, start + 2049);
	assert_false(r.done);
}

static void
request_block_cap(void **state)
{
	struct sstp_http_limits lim;
	struct result r;

	(void)state;
	sstp_http_limits_default(&lim);
	lim.max_header_bytes = sizeof(REQ_OURS) - 1;
	assert_any_split(false, &lim, LIT(REQ_OURS), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	/* The final LF is the byte over: an error, not the end. */
	lim.max_header_bytes = sizeof(REQ_OURS) - 2;
	assert_any_split(false, &lim, LIT(REQ_OURS), &r);
	assert_int_equal(r.err, SSTP_E_HTTP_HEADERS_TOO_BIG);
	assert_int_equal(r.used, sizeof(REQ_OURS) - 1);
	assert_false(r.done);
}

static void
request_header_count_cap(void **state)
{
	struct sstp_http_limits lim;
	struct result r;

	(void)state;
	sstp_http_limits_default(&lim);
	lim.max_headers = 3;
	assert_any_split(false, &lim, LIT(REQ_OURS), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	/* Decided on the first byte of the third header line. */
	lim.max_headers = 2;
	assert_any_split(false, &lim, LIT(REQ_OURS), &r);
	assert_int_equal(r.err, SSTP_E_HTTP_TOO_MANY_HEADERS);
	assert_int_equal(r.used, offset_of(REQ_OURS, "SSTPCORRELATIONID") + 1);
}

/* Feed gen(i) a byte at a time until the parser refuses; bytes consumed. */
static size_t
drip(uint8_t (*gen)(size_t), size_t max, enum sstp_err *err)
{
	struct sstp_http_request req;
	struct sstp_http_parser p;
	size_t i, used;
	uint8_t c;
	bool done;

	sstp_http_request_parser_init(&p, NULL);
	for (i = 0; i < max; i++) {
		c = gen(i);
		*err = sstp_http_request_parse(&p, &c, 1, &used, &req, &done);
		assert_false(done);
		assert_int_equal(used, 1);
		if (*err != SSTP_OK)
			return i + 1;
	}
	fail_msg("no error after %zu bytes", max);
	return 0;
}

static uint8_t
gen_endless_header(size_t i)
{
	static const char head[] = REQ_LINE "X-Pad: ";

	return i < sizeof(head) - 1 ? (uint8_t)head[i] : 'a';
}

static uint8_t
gen_endless_crs(size_t i)
{
	static const char head[] = REQ_LINE "X-Pad: a";

	return i < sizeof(head) - 1 ? (uint8_t)head[i] : '\r';
}

static uint8_t
gen_endless_headers(size_t i)
{
	static const char line[] = "X-Pad: a\r\n";
	const size_t start = sizeof(REQ_LINE) - 1;

	if (i < start)
		return (uint8_t)REQ_LINE[i];
	return (uint8_t)line[(i - start) % (sizeof(line) - 1)];
}

static uint8_t
gen_endless_empty_lines(size_t i)
{
	return i % 2 == 0 ? '\r' : '\n';
}

static void
request_slow_drip_ends_at_cap(void **state)
{
	const size_t start = sizeof(REQ_LINE) - 1;
	enum sstp_err err;

	(void)state;
	/* At most max_line + 1 bytes of the endless line are taken. */
	assert_int_equal(drip(gen_endless_header, 100000, &err), start + 2049);
	assert_int_equal(err, SSTP_E_HTTP_HEADER_TOO_LONG);
	/* "X-Pad: a" (8), one free CR, 2040 counted, then the one over. */
	assert_int_equal(drip(gen_endless_crs, 100000, &err), start + 2050);
	assert_int_equal(err, SSTP_E_HTTP_HEADER_TOO_LONG);
	assert_int_equal(
	    drip(gen_endless_headers, 100000, &err), start + 64 * 10 + 1);
	assert_int_equal(err, SSTP_E_HTTP_TOO_MANY_HEADERS);
	assert_int_equal(drip(gen_endless_empty_lines, 100000, &err), 10);
	assert_int_equal(err, SSTP_E_HTTP_SYNTAX);
}

static void
request_block_cap_drip(void **state)
{
	struct sstp_http_limits lim;
	struct sstp_http_request req;
	struct sstp_http_parser p;
	enum sstp_err err = SSTP_OK;
	size_t i, used;
	uint8_t c;
	bool done;

	(void)state;
	sstp_http_limits_default(&lim);
	lim.max_headers = 100000;
	sstp_http_request_parser_init(&p, &lim);
	for (i = 0; i < 100000 && err == SSTP_OK; i++) {
		c = gen_endless_headers(i);
		err = sstp_http_request_parse(&p, &c, 1, &used, &req, &done);
	}
	assert_int_equal(err, SSTP_E_HTTP_HEADERS_TOO_BIG);
	assert_int_equal(i, 8192 + 1);
}

static void
request_error_is_sticky(void **state)
{
	struct sstp_http_request req;
	struct sstp_http_parser p;
	size_t used;
	bool done;

	(void)state;
	sstp_http_request_parser_init(&p, NULL);
	assert_int_equal(sstp_http_request_parse(
			     &p, LIT("GET / HTTP/1.1\r\n"), &used, &req, &done),
	    SSTP_E_HTTP_METHOD);
	assert_int_equal(
	    sstp_http_request_parse(&p, LIT(REQ_OURS), &used, &req, &done),
	    SSTP_E_HTTP_METHOD);
	assert_int_equal(used, 0);
	assert_false(done);
}

static void
parser_wrong_direction(void **state)
{
	struct sstp_http_response resp;
	struct sstp_http_request req;
	struct sstp_http_parser p;
	size_t used = 99;
	bool done = true;

	(void)state;
	sstp_http_request_parser_init(&p, NULL);
	assert_int_equal(sstp_http_response_parse(
			     &p, LIT(RESP_SOFTETHER), &used, &resp, &done),
	    SSTP_E_STATE);
	assert_int_equal(used, 0);
	assert_false(done);
	sstp_http_response_parser_init(&p, NULL);
	assert_int_equal(
	    sstp_http_request_parse(&p, LIT(REQ_OURS), &used, &req, &done),
	    SSTP_E_STATE);
}

/* --- Request parser: what real clients send --- */

static void
request_our_client_parses(void **state)
{
	struct result r;

	(void)state;
	assert_any_split(false, NULL, LIT(REQ_OURS), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_int_equal(r.used, sizeof(REQ_OURS) - 1);
	assert_int_equal(r.req.version_minor, 1);
	assert_true(r.req.has_host);
	assert_string_equal(r.req.host, "localhost");
	assert_true(r.req.has_correlation_id);
	assert_string_equal(
	    r.req.correlation_id, "{6E5712BF-F917-42F6-BF49-603DB18CDF6A}");
	assert_true(r.req.has_content_length);
	assert_true(r.req.content_length == UINT64_MAX);
}

static void
request_sstp_client_parses(void **state)
{
	struct result r;

	(void)state;
	assert_any_split(false, NULL, LIT(REQ_SSTPC), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_string_equal(r.req.host, "vpn.example.com");
	assert_string_equal(r.req.correlation_id, MALFORMED_GUID);
	assert_true(r.req.content_length == UINT64_MAX);
}

static void
request_minimal_and_http_1_0(void **state)
{
	struct result r;

	(void)state;
	req_whole(NULL, LIT(SSTP_HTTP_METHOD " " URI " HTTP/1.0\r\n\r\n"), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_int_equal(r.req.version_minor, 0);
	assert_false(r.req.has_host);
	assert_false(r.req.has_correlation_id);
	assert_false(r.req.has_content_length);
	assert_string_equal(r.req.host, "");
}

/* The caller's struct may hold anything before the first call. */
static void
request_output_cleared(void **state)
{
	struct sstp_http_request req;
	struct sstp_http_parser p;
	size_t used;
	bool done;

	(void)state;
	memset(&req, 0xa5, sizeof(req));
	sstp_http_request_parser_init(&p, NULL);
	assert_int_equal(sstp_http_request_parse(&p,
			     LIT(SSTP_HTTP_METHOD " " URI " HTTP/1.1\r\n\r\n"),
			     &used, &req, &done),
	    SSTP_OK);
	assert_true(done);
	assert_false(req.has_host);
	assert_false(req.has_correlation_id);
	assert_false(req.has_content_length);
	assert_string_equal(req.host, "");
	assert_string_equal(req.correlation_id, "");
}

static void
request_unknown_headers_ignored(void **state)
{
	struct result r;

	(void)state;
	assert_any_split(false, NULL,
	    LIT(REQ_LINE "Via: 1.1 proxy\r\n"
			 "X-Forwarded-For: 192.0.2.7\r\n"
			 "Cookie: a=b; c=d\r\n"
			 "Connection: keep-alive\r\n"
			 "X-Empty:\r\n"
			 "Host:\t vpn.example.com \t\r\n"
			 "X-Obs-Text: caf\xc3\xa9\r\n"
			 "\r\n"),
	    &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_string_equal(r.req.host, "vpn.example.com");
}

static void
request_correlation_id_truncated(void **state)
{
	char in[512];
	struct result r;
	int n;

	(void)state;
	n = snprintf(
	    in, sizeof(in), REQ_LINE "SSTPCORRELATIONID: {%0200d}\r\n\r\n", 7);
	req_whole(NULL, (const uint8_t *)in, (size_t)n, &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_true(r.req.has_correlation_id);
	assert_int_equal(
	    strlen(r.req.correlation_id), SSTP_HTTP_CORRELATION_MAX);
	assert_int_equal(r.req.correlation_id[0], '{');
}

static void
request_duplicate_equal_content_length(void **state)
{
	struct result r;

	(void)state;
	req_whole(NULL,
	    LIT(REQ_LINE "Content-Length: " CL_MAX "\r\n"
			 "content-length: " CL_MAX "\r\n\r\n"),
	    &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.req.content_length == UINT64_MAX);
}

static void
request_leading_empty_lines(void **state)
{
	struct result r;

	(void)state;
	assert_any_split(false, NULL, LIT("\r\n\n\r\r\n\n" REQ_OURS), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_string_equal(r.req.host, "localhost");
}

/* spec/sstp.md trap 11: the bytes after the header block are SSTP. */
static void
request_leaves_sstp_bytes(void **state)
{
	uint8_t in[256], cc[16];
	const size_t hlen = sizeof(REQ_OURS) - 1;
	size_t ccl = test_hex(CALL_CONNECT_HEX, cc, sizeof(cc));
	struct sstp_http_request req;
	struct sstp_http_parser p;
	struct result r;
	size_t used;
	bool done;

	(void)state;
	memcpy(in, REQ_OURS, hlen);
	memcpy(in + hlen, cc, ccl);
	assert_any_split(false, NULL, in, hlen + ccl, &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_int_equal(r.used, hlen);
	assert_memory_equal(in + r.used, cc, ccl);
	/* Done is final: nothing more is taken. */
	sstp_http_request_parser_init(&p, NULL);
	assert_int_equal(
	    sstp_http_request_parse(&p, in, hlen + ccl, &used, &req, &done),
	    SSTP_OK);
	assert_int_equal(used, hlen);
	assert_int_equal(
	    sstp_http_request_parse(&p, in + used, ccl, &used, &req, &done),
	    SSTP_OK);
	assert_int_equal(used, 0);
	assert_true(done);
}

/* --- Response parser --- */

static void
response_truncated_needs_more(void **state)
{
	struct result r;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(RESP_SOFTETHER) - 1; k++) {
		resp_whole((const uint8_t *)RESP_SOFTETHER, k, &r);
		assert_int_equal(r.err, SSTP_OK);
		assert_false(r.done);
		assert_int_equal(r.used, k);
	}
}

static void
response_bad_status_line(void **state)
{
	(void)state;
	assert_resp_error(LIT("HTTP/1.1 20 OK\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_resp_error(LIT("HTTP/1.1 2000 OK\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_resp_error(LIT("HTTP/1.1 2x0 OK\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_resp_error(LIT("HTTP/1.1 099 OK\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_resp_error(LIT("HTTP/1.1200 OK\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_resp_error(LIT("HTTP/1.1\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_resp_error(LIT("ICY 200 OK\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_resp_error(LIT("\x15\x03\x03\x00\x02"), SSTP_E_HTTP_SYNTAX);
	assert_resp_error(LIT("HTTP/2.0 200 OK\r\n\r\n"), SSTP_E_HTTP_VERSION);
	assert_resp_error(LIT("HTTP/1.1 200 O\0K\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_resp_error(
	    LIT("HTTP/1.1 200 OK\r\n Date: x\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
	assert_resp_error(
	    LIT("HTTP/1.1 200 OK\r\nServer : x\r\n\r\n"), SSTP_E_HTTP_SYNTAX);
}

static void
response_bad_content_length(void **state)
{
	(void)state;
	assert_resp_error(
	    LIT("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n"
		"\r\n"),
	    SSTP_E_HTTP_CONTENT_LENGTH);
	assert_resp_error(LIT("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
	    SSTP_E_HTTP_CONTENT_LENGTH);
	assert_resp_error(LIT("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n"),
	    SSTP_E_HTTP_CONTENT_LENGTH);
	assert_resp_error(LIT("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
			      "Content-Length: 2\r\n\r\n"),
	    SSTP_E_HTTP_CONTENT_LENGTH);
}

static void
response_caps(void **state)
{
	char in[4200];
	size_t n;

	(void)state;
	memcpy(in, "HTTP/1.1 200 ", 13);
	memset(in + 13, 'k', 2049 - 13);
	memcpy(in + 2049, "\r\n\r\n", 4);
	n = 2049 + 4;
	assert_resp_error((const uint8_t *)in, n, SSTP_E_HTTP_LINE_TOO_LONG);
	memcpy(in, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(in + 20, 'v', 2049);
	memcpy(in + 20 + 2049, "\r\n\r\n", 4);
	n = 20 + 2049 + 4;
	assert_resp_error((const uint8_t *)in, n, SSTP_E_HTTP_HEADER_TOO_LONG);
}

static void
response_softether(void **state)
{
	uint8_t in[256], cc[16];
	const size_t hlen = sizeof(RESP_SOFTETHER) - 1;
	size_t ccl = test_hex(CALL_CONNECT_HEX, cc, sizeof(cc));
	struct result r;

	(void)state;
	memcpy(in, RESP_SOFTETHER, hlen);
	memcpy(in + hlen, cc, ccl);
	assert_any_split(true, NULL, in, hlen + ccl, &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_int_equal(r.used, hlen);
	assert_int_equal(r.resp.version_minor, 1);
	assert_int_equal(r.resp.status, 200);
	assert_string_equal(r.resp.reason, "OK");
	assert_true(r.resp.has_content_length);
	assert_true(r.resp.content_length == UINT64_MAX);
}

static void
response_other_servers(void **state)
{
	struct result r;

	(void)state;
	/* sorz/sstp-server: no Date, its own Server. */
	assert_any_split(true, NULL,
	    LIT("HTTP/1.1 200 OK\r\nContent-Length: " CL_MAX "\r\n"
		"Server: SSTP-Server/0.6\r\n\r\n"),
	    &r);
	assert_true(r.done);
	assert_true(r.resp.content_length == UINT64_MAX);
	/* accel-ppp: Date first, keep-alive, no Server. */
	assert_any_split(true, NULL,
	    LIT("HTTP/1.1 200 OK\r\nDate: Wed, 25 Nov 2026 02:54:55 GMT\r\n"
		"Content-Length: " CL_MAX "\r\nConnection: keep-alive\r\n\r\n"),
	    &r);
	assert_true(r.done);
	assert_int_equal(r.resp.status, 200);
	/* Bare minimum, LF only, no reason, HTTP/1.0. */
	assert_any_split(true, NULL, LIT("HTTP/1.0 200\n\n"), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_int_equal(r.resp.version_minor, 0);
	assert_string_equal(r.resp.reason, "");
	assert_false(r.resp.has_content_length);
}

static void
response_status_reported(void **state)
{
	char in[512];
	struct result r;
	int n;

	(void)state;
	resp_whole(LIT("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
		       "Connection: close\r\n\r\n"),
	    &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_int_equal(r.resp.status, 404);
	assert_string_equal(r.resp.reason, "Not Found");
	assert_true(r.resp.has_content_length);
	assert_true(r.resp.content_length == 0);
	n = snprintf(in, sizeof(in), "HTTP/1.1 503 %0300d\r\n\r\n", 5);
	resp_whole((const uint8_t *)in, (size_t)n, &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_int_equal(r.resp.status, 503);
	assert_int_equal(strlen(r.resp.reason), SSTP_HTTP_REASON_MAX);
}

/* --- The spec's traps --- */

static void
sstp_trap_12_content_length_is_unsigned_64(void **state)
{
	uint8_t out[512];
	struct result r;
	struct wr w;

	(void)state;
	/* 2^63, where strtoll overflows, and 2^64-1 itself. */
	req_whole(NULL,
	    LIT(REQ_LINE "Content-Length: 9223372036854775808\r\n\r\n"), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.req.content_length == (uint64_t)1 << 63);
	req_whole(NULL, LIT(REQ_OURS), &r);
	assert_true(r.req.content_length == UINT64_MAX);
	resp_whole(LIT(RESP_SOFTETHER), &r);
	assert_true(r.resp.content_length == UINT64_MAX);
	req_whole(NULL, LIT(REQ_LINE "Content-Length: 0\r\n\r\n"), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.req.has_content_length);
	assert_true(r.req.content_length == 0);
	/* One over 2^64-1 and a minus sign: refused, not wrapped. */
	assert_req_error(LIT(REQ_LINE "Content-Length: 18446744073709551616\r\n"
				      "\r\n"),
	    SSTP_E_HTTP_CONTENT_LENGTH);
	assert_req_error(LIT(REQ_LINE "Content-Length: -1\r\n\r\n"),
	    SSTP_E_HTTP_CONTENT_LENGTH);
	/* Both builders announce exactly 2^64-1. */
	memset(out, 0, sizeof(out));
	wr_init(&w, out, sizeof(out) - 1);
	assert_int_equal(sstp_http_response_build(&w, 0), SSTP_OK);
	assert_non_null(
	    strstr((const char *)out, "\r\nContent-Length: " CL_MAX "\r\n"));
}

static void
sstp_trap_13_case_and_format_leniency(void **state)
{
	struct result r;

	(void)state;
	/* Method, URI and header names in any case; LF-only line ends. */
	assert_any_split(false, NULL,
	    LIT("sstp_duplex_post /SRA_{ba195980-cd49-458B-9e23-c84ee0adcd75}/"
		" HTTP/1.1\n"
		"HOST: vpn.example.com\n"
		"content-length: " CL_MAX "\n"
		"sstpCorrelationId: " MALFORMED_GUID "\n"
		"\n"),
	    &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_string_equal(r.req.host, "vpn.example.com");
	assert_true(r.req.content_length == UINT64_MAX);
	/* The malformed GUID is kept as sent, never checked. */
	assert_string_equal(r.req.correlation_id, MALFORMED_GUID);
	/* Any mix of CRLF and LF, and a mixed-case version name. */
	assert_any_split(false, NULL,
	    LIT(SSTP_HTTP_METHOD " " URI " http/1.1\r\nHost: a\n\r\n"), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	/* A response without Date or Server, LF only. */
	assert_any_split(true, NULL,
	    LIT("HTTP/1.1 200 OK\ncontent-LENGTH: " CL_MAX "\n\n"), &r);
	assert_int_equal(r.err, SSTP_OK);
	assert_true(r.done);
	assert_int_equal(r.resp.status, 200);
	assert_true(r.resp.content_length == UINT64_MAX);
}

/* --- Builders --- */

static void
request_build_bad_host(void **state)
{
	static const char *const bad[] = { "", "a b", "a\r\nX: b", "a\tb",
		"a\x7f", "\x01" };
	uint8_t out[1024], guid[SSTP_GUID_LEN] = { 0 };
	char host[300];
	struct wr w;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		wr_init(&w, out, sizeof(out));
		assert_int_equal(sstp_http_request_build(&w, bad[i], guid),
		    SSTP_E_HTTP_SYNTAX);
	}
	wr_init(&w, out, sizeof(out));
	assert_int_equal(
	    sstp_http_request_build(&w, NULL, guid), SSTP_E_HTTP_SYNTAX);
	memset(host, 'h', sizeof(host));
	host[SSTP_HTTP_HOST_MAX + 1] = '\0';
	wr_init(&w, out, sizeof(out));
	assert_int_equal(
	    sstp_http_request_build(&w, host, guid), SSTP_E_HTTP_SYNTAX);
	host[SSTP_HTTP_HOST_MAX] = '\0';
	wr_init(&w, out, sizeof(out));
	assert_int_equal(sstp_http_request_build(&w, host, guid), SSTP_OK);
}

static void
request_build_nospace(void **state)
{
	uint8_t out[256], guid[SSTP_GUID_LEN];
	const size_t len = sizeof(REQ_OURS) - 1;
	struct wr w;
	size_t cap;

	(void)state;
	test_hex(GUID_OURS, guid, sizeof(guid));
	for (cap = 0; cap < len; cap++) {
		wr_init(&w, out, cap);
		assert_int_equal(sstp_http_request_build(&w, "localhost", guid),
		    SSTP_E_NOSPACE);
	}
	wr_init(&w, out, len);
	assert_int_equal(
	    sstp_http_request_build(&w, "localhost", guid), SSTP_OK);
	assert_int_equal(wr_len(&w), len);
}

static void
request_build_exact(void **state)
{
	uint8_t out[512], guid[SSTP_GUID_LEN];
	struct result r;
	struct wr w;

	(void)state;
	assert_int_equal(test_hex(GUID_OURS, guid, sizeof(guid)), 16);
	wr_init(&w, out, sizeof(out));
	assert_int_equal(
	    sstp_http_request_build(&w, "localhost", guid), SSTP_OK);
	assert_int_equal(wr_len(&w), sizeof(REQ_OURS) - 1);
	assert_memory_equal(out, REQ_OURS, sizeof(REQ_OURS) - 1);
	/* And our own server takes it. */
	req_whole(NULL, out, wr_len(&w), &r);
	assert_true(r.done);
	assert_string_equal(
	    r.req.correlation_id, "{6E5712BF-F917-42F6-BF49-603DB18CDF6A}");
}

static void
guid_format(void **state)
{
	static const struct {
		const char *hex;
		const char *text;
	} vec[] = {
		{ "000102030405060708090a0b0c0d0e0f",
		    "{00010203-0405-0607-0809-0A0B0C0D0E0F}" },
		{ "ffffffffffffffffffffffffffffffff",
		    "{FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF}" },
		{ "00000000000000000000000000000000",
		    "{00000000-0000-0000-0000-000000000000}" },
		{ "BA195980CD49458b9E23C84EE0ADCD75",
		    "{BA195980-CD49-458B-9E23-C84EE0ADCD75}" },
	};
	uint8_t out[512], guid[SSTP_GUID_LEN];
	struct result r;
	struct wr w;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(vec); i++) {
		test_hex(vec[i].hex, guid, sizeof(guid));
		wr_init(&w, out, sizeof(out));
		assert_int_equal(
		    sstp_http_request_build(&w, "h", guid), SSTP_OK);
		req_whole(NULL, out, wr_len(&w), &r);
		assert_true(r.done);
		assert_string_equal(r.req.correlation_id, vec[i].text);
	}
}

static void
response_build_exact(void **state)
{
	/* date -u -d @1795575276: Wed, 25 Nov 2026 02:54:36 GMT */
	static const char want[] = "HTTP/1.1 200 OK\r\n"
				   "Content-Length: " CL_MAX "\r\n"
				   "Date: Wed, 25 Nov 2026 02:54:36 GMT\r\n"
				   "Server: Microsoft-HTTPAPI/2.0\r\n"
				   "\r\n";
	uint8_t out[512];
	struct wr w;

	(void)state;
	wr_init(&w, out, sizeof(out));
	assert_int_equal(sstp_http_response_build(&w, 1795575276), SSTP_OK);
	assert_int_equal(wr_len(&w), sizeof(want) - 1);
	assert_memory_equal(out, want, sizeof(want) - 1);
	/* 19 s later: SoftEther's recorded answer, byte for byte. */
	wr_init(&w, out, sizeof(out));
	assert_int_equal(sstp_http_response_build(&w, 1795575295), SSTP_OK);
	assert_int_equal(wr_len(&w), sizeof(RESP_SOFTETHER) - 1);
	assert_memory_equal(out, RESP_SOFTETHER, sizeof(RESP_SOFTETHER) - 1);
}

static void
response_build_dates(void **state)
{
	static const struct {
		time_t t;
		const char *date;
	} vec[] = {
		{ 0, "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n" },
		{ 951782400, "Date: Tue, 29 Feb 2000 00:00:00 GMT\r\n" },
		{ 1795575276, "Date: Wed, 25 Nov 2026 02:54:36 GMT\r\n" },
		{ 1798761599, "Date: Thu, 31 Dec 2026 23:59:59 GMT\r\n" },
	};
	uint8_t out[512];
	struct result r;
	struct wr w;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(vec); i++) {
		memset(out, 0, sizeof(out));
		wr_init(&w, out, sizeof(out) - 1);
		assert_int_equal(
		    sstp_http_response_build(&w, vec[i].t), SSTP_OK);
		assert_non_null(strstr((const char *)out, vec[i].date));
		resp_whole(out, wr_len(&w), &r);
		assert_true(r.done);
		assert_int_equal(r.used, wr_len(&w));
		assert_int_equal(r.resp.status, 200);
		assert_true(r.resp.content_length == UINT64_MAX);
	}
}

static void
response_build_nospace(void **state)
{
	uint8_t out[256];
	const size_t len = sizeof(RESP_SOFTETHER) - 1;
	struct wr w;
	size_t cap;

	(void)state;
	for (cap = 0; cap < len; cap++) {
		wr_init(&w, out, cap);
		assert_int_equal(
		    sstp_http_response_build(&w, 1795575295), SSTP_E_NOSPACE);
	}
	wr_init(&w, out, len);
	assert_int_equal(sstp_http_response_build(&w, 1795575295), SSTP_OK);
}

static void
error_status_mapping(void **state)
{
	static const struct {
		enum sstp_err err;
		int status;
	} vec[] = {
		{ SSTP_E_HTTP_METHOD, 404 },
		{ SSTP_E_HTTP_URI, 404 },
		{ SSTP_E_HTTP_LINE_TOO_LONG, 414 },
		{ SSTP_E_HTTP_HEADER_TOO_LONG, 431 },
		{ SSTP_E_HTTP_HEADERS_TOO_BIG, 431 },
		{ SSTP_E_HTTP_TOO_MANY_HEADERS, 431 },
		{ SSTP_E_HTTP_VERSION, 505 },
		{ SSTP_E_HTTP_TIMEOUT, 408 },
		{ SSTP_E_HTTP_UNAVAILABLE, 503 },
		{ SSTP_E_HTTP_SYNTAX, 400 },
		{ SSTP_E_HTTP_CONTENT_LENGTH, 400 },
		{ SSTP_E_HTTP_STATUS, 400 },
		{ SSTP_E_VERSION, 400 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(vec); i++)
		assert_int_equal(
		    sstp_http_error_status(vec[i].err), vec[i].status);
}

static void
error_build_bytes(void **state)
{
	static const struct {
		int status;
		const char *line;
	} vec[] = {
		{ 400, "HTTP/1.1 400 Bad Request\r\n" },
		{ 404, "HTTP/1.1 404 Not Found\r\n" },
		{ 408, "HTTP/1.1 408 Request Timeout\r\n" },
		{ 414, "HTTP/1.1 414 URI Too Long\r\n" },
		{ 431, "HTTP/1.1 431 Request Header Fields Too Large\r\n" },
		{ 503, "HTTP/1.1 503 Service Unavailable\r\n" },
		{ 505, "HTTP/1.1 505 HTTP Version Not Supported\r\n" },
		{ 418, "HTTP/1.1 418 Error\r\n" },
		{ 500, "HTTP/1.1 500 Error\r\n" },
	};
	static const char tail[] =
	    "Content-Length: 0\r\nConnection: close\r\n\r\n";
	uint8_t out[256];
	char want[256];
	struct result r;
	struct wr w;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < ARRAY_LEN(vec); i++) {
		n = snprintf(want, sizeof(want), "%s%s", vec[i].line, tail);
		wr_init(&w, out, sizeof(out));
		assert_int_equal(
		    sstp_http_error_build(&w, vec[i].status), SSTP_OK);
		assert_int_equal(wr_len(&w), (size_t)n);
		assert_memory_equal(out, want, (size_t)n);
		resp_whole(out, wr_len(&w), &r);
		assert_true(r.done);
		assert_int_equal(r.resp.status, vec[i].status);
		wr_init(&w, out, (size_t)n - 1);
		assert_int_equal(
		    sstp_http_error_build(&w, vec[i].status), SSTP_E_NOSPACE);
	}
	wr_init(&w, out, sizeof(out));
	assert_int_equal(sstp_http_error_build(&w, 99), SSTP_E_HTTP_SYNTAX);
	assert_int_equal(sstp_http_error_build(&w, 1000), SSTP_E_HTTP_SYNTAX);
	assert_int_equal(wr_len(&w), 0);
}

static void
limits_default(void **state)
{
	struct sstp_http_limits lim;

	(void)state;
	sstp_http_limits_default(&lim);
	assert_int_equal(lim.max_line, 2048);
	assert_int_equal(lim.max_header_bytes, 8192);
	assert_int_equal(lim.max_headers, 64);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request_truncated_needs_more),
		cmocka_unit_test(request_bad_method),
		cmocka_unit_test(request_bad_uri),
		cmocka_unit_test(request_bad_version),
		cmocka_unit_test(request_garbage),
		cmocka_unit_test(request_nul_in_line),
		cmocka_unit_test(request_control_bytes),
		cmocka_unit_test(request_obs_fold),
		cmocka_unit_test(request_bad_header_name),
		cmocka_unit_test(request_bad_content_length),
		cmocka_unit_test(request_bad_host),
		cmocka_unit_test(request_line_cap),
		cmocka_unit_test(request_header_line_cap),
		cmocka_unit_test(request_block_cap),
		cmocka_unit_test(request_header_count_cap),
		cmocka_unit_test(request_slow_drip_ends_at_cap),
		cmocka_unit_test(request_block_cap_drip),
		cmocka_unit_test(request_error_is_sticky),
		cmocka_unit_test(parser_wrong_direction),
		cmocka_unit_test(request_our_client_parses),
		cmocka_unit_test(request_sstp_client_parses),
		cmocka_unit_test(request_minimal_and_http_1_0),
		cmocka_unit_test(request_output_cleared),
		cmocka_unit_test(request_unknown_headers_ignored),
		cmocka_unit_test(request_correlation_id_truncated),
		cmocka_unit_test(request_duplicate_equal_content_length),
		cmocka_unit_test(request_leading_empty_lines),
		cmocka_unit_test(request_leaves_sstp_bytes),
		cmocka_unit_test(response_truncated_needs_more),
		cmocka_unit_test(response_bad_status_line),
		cmocka_unit_test(response_bad_content_length),
		cmocka_unit_test(response_caps),
		cmocka_unit_test(response_softether),
		cmocka_unit_test(response_other_servers),
		cmocka_unit_test(response_status_reported),
		cmocka_unit_test(sstp_trap_12_content_length_is_unsigned_64),
		cmocka_unit_test(sstp_trap_13_case_and_format_leniency),
		cmocka_unit_test(request_build_bad_host),
		cmocka_unit_test(request_build_nospace),
		cmocka_unit_test(request_build_exact),
		cmocka_unit_test(guid_format),
		cmocka_unit_test(response_build_exact),
		cmocka_unit_test(response_build_dates),
		cmocka_unit_test(response_build_nospace),
		cmocka_unit_test(error_status_mapping),
		cmocka_unit_test(error_build_bytes),
		cmocka_unit_test(limits_default),
	};

	return test_run(argc, argv, "sstp_http", tests, ARRAY_LEN(tests));
}

/*
 * The HTTP handshake of SSTP (spec/sstp.md 1.2, 1.3): builders for the
 * client's request and the server's answers, and one incremental line
 * parser for the request (server) and the response (client).  Input goes
 * through the parser byte by byte, so a cap is enforced on the byte that
 * crosses it, whatever the size of the pieces the caller feeds.
 */
#include "sstp/sstp_http.h"

#include <stdio.h>
#include <string.h>

#include "base/rd.h"

/* RFC 7230 3.5: ignore at least one empty line before the start line. */
#define HTTP_EMPTY_LINES_MAX 4

/* Where the parsed message goes: exactly one of the two is set. */
struct http_out {
	struct sstp_http_request *req;
	struct sstp_http_response *resp;
};

void
sstp_http_limits_default(struct sstp_http_limits *lim)
{
	lim->max_line = 2048;
	lim->max_header_bytes = 8192;
	lim->max_headers = 64;
}

/* lim NULL means the defaults; max_line is clamped to the line buffer. */
static void
http_parser_init(struct sstp_http_parser *p, const struct sstp_http_limits *lim,
    bool response)
{
	memset(p, 0, sizeof(*p));
	if (lim != NULL)
		p->lim = *lim;
	else
		sstp_http_limits_default(&p->lim);
	if (p->lim.max_line > SSTP_HTTP_LINE_BUF)
		p->lim.max_line = SSTP_HTTP_LINE_BUF;
	p->response = response;
}

void
sstp_http_request_parser_init(
    struct sstp_http_parser *p, const struct sstp_http_limits *lim)
{
	http_parser_init(p, lim, false);
}

void
sstp_http_response_parser_init(
    struct sstp_http_parser *p, const struct sstp_http_limits *lim)
{
	http_parser_init(p, lim, true);
}

static bool
http_is_ows(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static bool
http_is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* RFC 7230 3.2.6: tchar. */
static bool
http_is_tchar(uint8_t c)
{
	if (http_is_digit(c) || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* ASCII only: no locale decides how a header name compares. */
static uint8_t
http_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* Index of the first sep in what r has left, rd_left(r) if none. */
static size_t
http_span(const struct rd *r, uint8_t sep)
{
	const uint8_t *s = rd_ptr(r);
	size_t i;

	for (i = 0; i < rd_left(r) && s[i] != sep; i++)
		continue;
	return i;
}

/* Hand f the bytes before the first sep, skip the sep; false if none. */
static bool
http_split(struct rd *r, uint8_t sep, struct rd *f)
{
	size_t n = http_span(r, sep);

	return n < rd_left(r) && rd_sub(r, n, f) && rd_skip(r, 1);
}

/* The whole of f equals s, ASCII case-insensitively. */
static bool
http_field_is(const struct rd *f, const char *s)
{
	struct rd r = *f;
	uint8_t c;

	for (; *s != '\0'; s++)
		if (!rd_u8(&r, &c) || http_lower(c) != http_lower((uint8_t)*s))
			return false;
	return rd_empty(&r);
}

/* RFC 7230 3.2.6: token = 1*tchar. */
static bool
http_is_token(const struct rd *f)
{
	struct rd r = *f;
	uint8_t c;

	if (rd_empty(&r))
		return false;
	while (rd_u8(&r, &c))
		if (!http_is_tchar(c))
			return false;
	return true;
}

/* RFC 7230 3.2.3: drop the optional white space around a field value. */
static void
http_trim(struct rd *f)
{
	struct rd all;
	size_t n;

	while (!rd_empty(f) && http_is_ows(rd_ptr(f)[0]))
		(void)rd_skip(f, 1);
	n = rd_left(f);
	while (n > 0 && http_is_ows(rd_ptr(f)[n - 1]))
		n--;
	all = *f;
	(void)rd_sub(&all, n, f);
}

/* Copy f as a C string into dst[cap]; false when it had to be cut. */
static bool
http_copy(const struct rd *f, char *dst, size_t cap)
{
	struct rd r = *f;
	size_t n = rd_left(&r) < cap - 1 ? rd_left(&r) : cap - 1;

	(void)rd_bytes(&r, dst, n);
	dst[n] = '\0';
	return rd_empty(&r);
}

/*
 * RFC 7230 2.6: "HTTP/" DIGIT "." DIGIT, anything else is not HTTP at all;
 * of the well-formed ones only 1.0 and 1.1 are spoken here.
 */
static enum sstp_err
http_version_parse(const struct rd *f, unsigned *minor)
{
	struct rd r = *f, name;
	uint8_t major, dot, mi;

	if (!rd_sub(&r, 5, &name) || !http_field_is(&name, "HTTP/") ||
	    !rd_u8(&r, &major) || !rd_u8(&r, &dot) || !rd_u8(&r, &mi) ||
	    !rd_empty(&r) || !http_is_digit(major) || dot != '.' ||
	    !http_is_digit(mi))
		return SSTP_E_HTTP_SYNTAX;
	if (major != '1' || mi > '1')
		return SSTP_E_HTTP_VERSION;
	*minor = (unsigned)(mi - '0');
	return SSTP_OK;
}

/*
 * RFC 7230 3.1.1: method SP request-target SP HTTP-version.  Malformed is
 * decided before wrong, so that garbage gets 400 and only a well-formed
 * request for something else gets the 404 of a web server.
 */
static enum sstp_err
http_request_line(struct rd *line, struct sstp_http_request *req)
{
	struct rd method, uri;
	enum sstp_err err;
	unsigned minor = 0;

	if (!http_split(line, ' ', &method) || !http_split(line, ' ', &uri) ||
	    !http_is_token(&method) || rd_empty(&uri))
		return SSTP_E_HTTP_SYNTAX;
	if ((err = http_version_parse(line, &minor)) == SSTP_E_HTTP_SYNTAX)
		return err;
	/* spec/sstp.md 1.3, trap 13: method and URI in any case. */
	if (!http_field_is(&method, SSTP_HTTP_METHOD))
		return SSTP_E_HTTP_METHOD;
	if (!http_field_is(&uri, SSTP_HTTP_URI))
		return SSTP_E_HTTP_URI;
	if (err != SSTP_OK)
		return err;
	req->version_minor = minor;
	return SSTP_OK;
}

/*
 * RFC 7230 3.1.2: HTTP-version SP 3DIGIT SP reason-phrase; the SP before
 * an empty reason may be missing.  The status is reported, not judged.
 */
static enum sstp_err
http_status_line(struct rd *line, struct sstp_http_response *resp)
{
	struct rd version;
	enum sstp_err err;
	unsigned minor = 0;
	uint8_t d[3], sp;
	int i, status = 0;

	if (!http_split(line, ' ', &version))
		return SSTP_E_HTTP_SYNTAX;
	if ((err = http_version_parse(&version, &minor)) != SSTP_OK)
		return err;
	if (!rd_bytes(line, d, sizeof(d)))
		return SSTP_E_HTTP_SYNTAX;
	for (i = 0; i < 3; i++) {
		if (!http_is_digit(d[i]))
			return SSTP_E_HTTP_SYNTAX;
		status = status * 10 + (d[i] - '0');
	}
	if (status < 100 || (rd_u8(line, &sp) && sp != ' '))
		return SSTP_E_HTTP_SYNTAX;
	resp->version_minor = minor;
	resp->status = status;
	(void)http_copy(line, resp->reason, sizeof(resp->reason));
	return SSTP_OK;
}

/*
 * spec/sstp.md trap 12: the value is 18446744073709551615 both ways, so
 * the whole unsigned 64-bit range, digits only, never through strtoll.
 * RFC 7230 3.3.2: two different values are refused.
 */
static enum sstp_err
http_content_length(struct rd *val, bool *has, uint64_t *cl)
{
	uint64_t v = 0;
	uint8_t c;

	if (rd_empty(val))
		return SSTP_E_HTTP_CONTENT_LENGTH;
	while (rd_u8(val, &c)) {
		if (!http_is_digit(c) ||
		    v > (UINT64_MAX - (uint64_t)(c - '0')) / 10)
			return SSTP_E_HTTP_CONTENT_LENGTH;
		v = v * 10 + (uint64_t)(c - '0');
	}
	if (*has && *cl != v)
		return SSTP_E_HTTP_CONTENT_LENGTH;
	*has = true;
	*cl = v;
	return SSTP_OK;
}

/* Host and SSTPCORRELATIONID, the request headers the server keeps. */
static enum sstp_err
http_request_header(
    const struct rd *name, const struct rd *val, struct sstp_http_request *req)
{
	if (http_field_is(name, "Host")) {
		/* RFC 7230 5.4: more than one Host is refused. */
		if (req->has_host ||
		    !http_copy(val, req->host, sizeof(req->host)))
			return SSTP_E_HTTP_SYNTAX;
		req->has_host = true;
	} else if (http_field_is(name, "SSTPCORRELATIONID")) {
		/* spec/sstp.md 1.2: never validated, cut if long. */
		(void)http_copy(
		    val, req->correlation_id, sizeof(req->correlation_id));
		req->has_correlation_id = true;
	}
	return SSTP_OK;
}

/*
 * RFC 7230 3.2: field-name ":" OWS field-value OWS, no white space before
 * the colon; unknown fields (Via, X-Forwarded-For, Cookie...) are ignored.
 */
static enum sstp_err
http_header_line(struct rd *line, const struct http_out *out)
{
	struct rd name;

	if (!http_split(line, ':', &name) || !http_is_token(&name))
		return SSTP_E_HTTP_SYNTAX;
	http_trim(line);
	if (http_field_is(&name, "Content-Length")) {
		if (out->req != NULL)
			return http_content_length(line,
			    &out->req->has_content_length,
			    &out->req->content_length);
		return http_content_length(line, &out->resp->has_content_length,
		    &out->resp->content_length);
	}
	if (out->req != NULL)
		return http_request_header(&name, line, out->req);
	return SSTP_OK;
}

/* A whole line, line ends stripped, is in p->line. */
static enum sstp_err
http_line_end(struct sstp_http_parser *p, const struct http_out *out)
{
	struct rd line;

	rd_init(&line, p->line, p->line_len);
	p->line_len = 0;
	p->crs = 0;
	if (rd_empty(&line) && p->start_seen)
		p->done = true;
	else if (rd_empty(&line) && ++p->empty_lines > HTTP_EMPTY_LINES_MAX)
		return SSTP_E_HTTP_SYNTAX;
	if (rd_empty(&line))
		return SSTP_OK;
	if (p->start_seen)
		return http_header_line(&line, out);
	p->start_seen = true;
	if (out->req != NULL)
		return http_request_line(&line, out->req);
	return http_status_line(&line, out->resp);
}

static enum sstp_err
http_line_too_long(const struct sstp_http_parser *p)
{
	return p->start_seen ? SSTP_E_HTTP_HEADER_TOO_LONG
			     : SSTP_E_HTTP_LINE_TOO_LONG;
}

/* A byte of a line that is neither CR nor LF: check it, then keep it. */
static enum sstp_err
http_line_byte(struct sstp_http_parser *p, uint8_t c)
{
	/* RFC 7230 3.2.6: no CTL in a line but HTAB; CR only before LF. */
	if (p->crs > 0 || (c < 0x20 && c != '\t') || c == 0x7f)
		return SSTP_E_HTTP_SYNTAX;
	if (p->line_len == 0 && p->start_seen) {
		/* RFC 7230 3.2.4: obs-fold is refused. */
		if (http_is_ows(c))
			return SSTP_E_HTTP_SYNTAX;
		if (p->headers >= p->lim.max_headers)
			return SSTP_E_HTTP_TOO_MANY_HEADERS;
		p->headers++;
	}
	if (p->line_len >= p->lim.max_line)
		return http_line_too_long(p);
	p->line[p->line_len++] = c;
	return SSTP_OK;
}

/*
 * One byte of the header block.  A line ends at LF; the CRs before it are
 * held back and dropped (CRLF, bare LF and accel-ppp's CR CR LF alike), but
 * all of them except one count against the line cap.
 */
static enum sstp_err
http_feed_byte(
    struct sstp_http_parser *p, uint8_t c, const struct http_out *out)
{
	if (p->total >= p->lim.max_header_bytes)
		return SSTP_E_HTTP_HEADERS_TOO_BIG;
	p->total++;
	if (c == '\n')
		return http_line_end(p, out);
	if (c != '\r')
		return http_line_byte(p, c);
	if (p->line_len + p->crs > p->lim.max_line)
		return http_line_too_long(p);
	p->crs++;
	return SSTP_OK;
}

/* spec/sstp.md trap 11: stop right after the final LF. */
static enum sstp_err
http_parse(struct sstp_http_parser *p, const uint8_t *data, size_t len,
    size_t *used, const struct http_out *out, bool *done)
{
	struct rd r;
	uint8_t c;

	rd_init(&r, data, len);
	while (p->err == SSTP_OK && !p->done && rd_u8(&r, &c))
		p->err = http_feed_byte(p, c, out);
	*used = len - rd_left(&r);
	*done = p->done;
	return p->err;
}

enum sstp_err
sstp_http_request_parse(struct sstp_http_parser *p, const uint8_t *data,
    size_t len, size_t *used, struct sstp_http_request *req, bool *done)
{
	struct http_out out = { req, NULL };

	if (p->response) {
		*used = 0;
		*done = false;
		return SSTP_E_STATE;
	}
	if (!p->fed)
		memset(req, 0, sizeof(*req));
	p->fed = true;
	return http_parse(p, data, len, used, &out, done);
}

enum sstp_err
sstp_http_response_parse(struct sstp_http_parser *p, const uint8_t *data,
    size_t len, size_t *used, struct sstp_http_response *resp, bool *done)
{
	struct http_out out = { NULL, resp };

	if (!p->response) {
		*used = 0;
		*done = false;
		return SSTP_E_STATE;
	}
	if (!p->fed)
		memset(resp, 0, sizeof(*resp));
	p->fed = true;
	return http_parse(p, data, len, used, &out, done);
}

/* Decimal, without printf: 2^64-1 needs all 20 digits. */
static void
http_wr_u64(struct wr *w, uint64_t v)
{
	char buf[20];
	size_t i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	wr_bytes(w, &buf[i], sizeof(buf) - i);
}

/* spec/sstp.md 1.2: {8-4-4-4-12}, upper-case hex, the bytes in order. */
static void
http_wr_guid(struct wr *w, const uint8_t guid[SSTP_GUID_LEN])
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	wr_u8(w, '{');
	for (i = 0; i < SSTP_GUID_LEN; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			wr_u8(w, '-');
		wr_u8(w, (uint8_t)hex[guid[i] >> 4]);
		wr_u8(w, (uint8_t)hex[guid[i] & 0x0f]);
	}
	wr_u8(w, '}');
}

/* A Host value: 1..SSTP_HTTP_HOST_MAX bytes, no space, no control. */
static bool
http_host_ok(const char *host)
{
	size_t n;
	uint8_t c;

	if (host == NULL)
		return false;
	for (n = 0; (c = (uint8_t)host[n]) != '\0'; n++)
		if (n == SSTP_HTTP_HOST_MAX || c <= ' ' || c == 0x7f)
			return false;
	return n > 0;
}

/* spec/sstp.md 1.2: byte for byte what sstp-client and Windows send. */
enum sstp_err
sstp_http_request_build(
    struct wr *w, const char *host, const uint8_t guid[SSTP_GUID_LEN])
{
	if (!http_host_ok(host))
		return SSTP_E_HTTP_SYNTAX;
	wr_str(w, SSTP_HTTP_METHOD " " SSTP_HTTP_URI " HTTP/1.1\r\n");
	wr_str(w, "Host: ");
	wr_str(w, host);
	wr_str(w, "\r\nContent-Length: ");
	http_wr_u64(w, SSTP_HTTP_CONTENT_LENGTH);
	wr_str(w, "\r\nSSTPCORRELATIONID: ");
	http_wr_guid(w, guid);
	wr_str(w, "\r\n\r\n");
	return wr_ok(w) ? SSTP_OK : SSTP_E_NOSPACE;
}

/*
 * RFC 7231 7.1.1.1: IMF-fixdate with English names whatever the locale
 * (hence no strftime).  A date gmtime_r cannot give in four digits is left
 * out: clients do not check Date (spec/sstp.md 1.3).
 */
static void
http_wr_date(struct wr *w, time_t date)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char buf[64];
	struct tm tm;

	if (gmtime_r(&date, &tm) == NULL || tm.tm_year < -1900 ||
	    tm.tm_year > 9999 - 1900)
		return;
	(void)snprintf(buf, sizeof(buf),
	    "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n", days[tm.tm_wday],
	    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	wr_str(w, buf);
}

/* spec/sstp.md 1.3: Windows' (HTTP.sys) answer, SoftEther's order. */
enum sstp_err
sstp_http_response_build(struct wr *w, time_t date)
{
	wr_str(w, "HTTP/1.1 200 OK\r\nContent-Length: ");
	http_wr_u64(w, SSTP_HTTP_CONTENT_LENGTH);
	wr_str(w, "\r\n");
	http_wr_date(w, date);
	wr_str(w, "Server: Microsoft-HTTPAPI/2.0\r\n\r\n");
	return wr_ok(w) ? SSTP_OK : SSTP_E_NOSPACE;
}

int
sstp_http_error_status(enum sstp_err err)
{
	switch (err) {
	case SSTP_E_HTTP_METHOD:
	case SSTP_E_HTTP_URI:
		/* spec/sstp.md 1.3: look like any web server. */
		return 404;
	case SSTP_E_HTTP_TIMEOUT:
		return 408;
	case SSTP_E_HTTP_LINE_TOO_LONG:
		return 414;
	case SSTP_E_HTTP_HEADER_TOO_LONG:
	case SSTP_E_HTTP_HEADERS_TOO_BIG:
	case SSTP_E_HTTP_TOO_MANY_HEADERS:
		/* RFC 6585 5 */
		return 431;
	case SSTP_E_HTTP_VERSION:
		return 505;
	case SSTP_E_HTTP_UNAVAILABLE:
		/* spec/sstp.md 1.3: out of sessions. */
		return 503;
	default:
		return 400;
	}
}

static const char *
http_reason(int status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 408:
		return "Request Timeout";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Error";
	}
}

/* spec/sstp.md 1.3: the last bytes before close; status has 3 digits. */
enum sstp_err
sstp_http_error_build(struct wr *w, int status)
{
	if (status < 100 || status > 999)
		return SSTP_E_HTTP_SYNTAX;
	wr_str(w, "HTTP/1.1 ");
	http_wr_u64(w, (uint64_t)status);
	wr_u8(w, ' ');
	wr_str(w, http_reason(status));
	wr_str(w, "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
	return wr_ok(w) ? SSTP_OK : SSTP_E_NOSPACE;
}

/*
 * The CONNECT exchange as bytes (RFC 9110 9.3.6, RFC 9112): the request,
 * and the answer parsed one byte at a time so that every cap holds on
 * the byte that crosses it, whatever pieces the caller feeds.
 */
#include "client/proxy_conn.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

enum {
	ST_STATUS,
	ST_HEADERS,
	ST_BODY,
	ST_DONE,
};

/* RFC 9112 2.2: at least one empty line before the status line. */
#define PC_EMPTY_LINES_MAX 4

void
proxy_conn_init(struct proxy_conn *c, const struct proxy_url *proxy,
    const char *host, uint16_t port)
{
	memset(c, 0, sizeof(*c));
	/* RFC 9112 3.2.3: authority-form; an IPv6 literal in brackets. */
	if (strchr(host, ':') != NULL)
		snprintf(c->target, sizeof(c->target), "[%s]:%u", host,
		    (unsigned)port);
	else
		snprintf(c->target, sizeof(c->target), "%s:%u", host,
		    (unsigned)port);
	if (proxy != NULL && proxy->has_creds) {
		c->has_creds = true;
		snprintf(c->user, sizeof(c->user), "%s", proxy->user);
		snprintf(
		    c->password, sizeof(c->password), "%s", proxy->password);
	}
}

void
proxy_conn_set_cnonce(struct proxy_conn *c, const char *cnonce)
{
	snprintf(c->cnonce_fixed, sizeof(c->cnonce_fixed), "%s", cnonce);
}

void
proxy_conn_clear(struct proxy_conn *c)
{
	OPENSSL_cleanse(c->user, sizeof(c->user));
	OPENSSL_cleanse(c->password, sizeof(c->password));
	c->has_creds = false;
}

static void
pc_seterr(char *err, size_t errlen, const char *msg)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

/* Printable ASCII only: the target ends up in the request line. */
static bool
pc_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* Append with bounds: false once buf is full. */
static bool
pc_add(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n >= cap)
		return false;
	memcpy(buf + *len, s, n + 1);
	*len += n;
	return true;
}

/* RFC 9110 5.6.4: s as a quoted-string, '"' and '\' escaped. */
static bool
pc_add_quoted(char *buf, size_t cap, size_t *len, const char *s)
{
	char one[3];

	if (!pc_add(buf, cap, len, "\""))
		return false;
	for (; *s != '\0'; s++) {
		one[0] = '\\';
		one[1] = *s;
		one[2] = '\0';
		if (!pc_add(
			buf, cap, len, *s == '"' || *s == '\\' ? one : one + 1))
			return false;
	}
	return pc_add(buf, cap, len, "\"");
}

static bool
pc_cnonce(struct proxy_conn *c, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char r[16];
	size_t k;

	if (c->cnonce_fixed[0] != '\0') {
		snprintf(out, cap, "%s", c->cnonce_fixed);
		return true;
	}
	/* RFC 7616 5.12: an unpredictable cnonce. */
	if (cap < 2 * sizeof(r) + 1 || RAND_bytes(r, sizeof(r)) != 1)
		return false;
	for (k = 0; k < sizeof(r); k++) {
		out[2 * k] = digits[r[k] >> 4];
		out[2 * k + 1] = digits[r[k] & 15];
	}
	out[2 * sizeof(r)] = '\0';
	return true;
}

/* RFC 7616 3.4: the Digest credentials for this CONNECT. */
static bool
pc_digest(struct proxy_conn *c, char *buf, size_t cap, size_t *len)
{
	const struct proxy_challenge *ch = &c->chal;
	char cnonce[128], resp[65], uh[65], num[16];

	if (!pc_cnonce(c, cnonce, sizeof(cnonce)))
		return false;
	c->nc++;
	/* RFC 7616 3.4.6: uri is the request-target, here the authority. */
	if (!proxy_digest_response(ch->alg, c->user, ch->realm, c->password,
		ch->nonce, cnonce, c->nc, ch->qop_auth, "CONNECT", c->target,
		resp, sizeof(resp)))
		return false;
	if (ch->userhash &&
	    !proxy_digest_userhash(ch->alg, c->user, ch->realm, uh, sizeof(uh)))
		return false;
	snprintf(num, sizeof(num), "%08x", c->nc);
	return pc_add(buf, cap, len, "Proxy-Authorization: Digest username=") &&
	    pc_add_quoted(buf, cap, len, ch->userhash ? uh : c->user) &&
	    pc_add(buf, cap, len, ", realm=") &&
	    pc_add_quoted(buf, cap, len, ch->realm) &&
	    pc_add(buf, cap, len, ", uri=") &&
	    pc_add_quoted(buf, cap, len, c->target) &&
	    pc_add(buf, cap, len, ", algorithm=") &&
	    pc_add(buf, cap, len, proxy_digest_alg_name(ch->alg)) &&
	    pc_add(buf, cap, len, ", nonce=") &&
	    pc_add_quoted(buf, cap, len, ch->nonce) &&
	    (!ch->qop_auth ||
		(pc_add(buf, cap, len, ", nc=") && pc_add(buf, cap, len, num) &&
		    pc_add(buf, cap, len, ", cnonce=") &&
		    pc_add_quoted(buf, cap, len, cnonce) &&
		    pc_add(buf, cap, len, ", qop=auth"))) &&
	    pc_add(buf, cap, len, ", response=\"") &&
	    pc_add(buf, cap, len, resp) && pc_add(buf, cap, len, "\"") &&
	    (!ch->has_opaque ||
		(pc_add(buf, cap, len, ", opaque=") &&
		    pc_add_quoted(buf, cap, len, ch->opaque))) &&
	    (!ch->userhash || pc_add(buf, cap, len, ", userhash=true")) &&
	    pc_add(buf, cap, len, "\r\n");
}

static void
pc_response_begin(struct proxy_conn *c)
{
	c->state = ST_STATUS;
	c->line_len = 0;
	c->pending = false;
	c->empty_lines = 0;
	c->header_bytes = 0;
	c->headers = 0;
	c->status = 0;
	c->minor = 0;
	c->status_line[0] = '\0';
	c->conn_close = c->keep_alive = false;
	c->has_length = c->bad_length = c->has_te = false;
	c->length = c->body_left = 0;
	memset(&c->offered, 0, sizeof(c->offered));
	c->reusable = false;
	c->result = PROXY_MORE;
	c->err[0] = '\0';
}

bool
proxy_conn_request(struct proxy_conn *c, char *buf, size_t cap, size_t *len,
    char *err, size_t errlen)
{
	char b64[700];
	bool ok;

	*len = 0;
	if (!pc_printable(c->target) || c->target[0] == ':') {
		pc_seterr(err, errlen, "proxy: bad target host name");
		return false;
	}
	/* RFC 9110 9.3.6 and 7.2: CONNECT with the same authority as Host. */
	ok = pc_add(buf, cap, len, "CONNECT ") &&
	    pc_add(buf, cap, len, c->target) &&
	    pc_add(buf, cap, len, " HTTP/1.1\r\nHost: ") &&
	    pc_add(buf, cap, len, c->target) &&
	    pc_add(buf, cap, len, "\r\nUser-Agent: opensstp\r\n");
	if (ok && c->has_creds && c->chal.scheme == PROXY_SCHEME_BASIC) {
		if (!proxy_basic_credentials(
			c->user, c->password, b64, sizeof(b64))) {
			pc_seterr(err, errlen,
			    "proxy: Basic cannot carry this user name "
			    "(a colon, RFC 7617 2)");
			return false;
		}
		ok = pc_add(buf, cap, len, "Proxy-Authorization: Basic ") &&
		    pc_add(buf, cap, len, b64) && pc_add(buf, cap, len, "\r\n");
		OPENSSL_cleanse(b64, sizeof(b64));
		c->auth_sent++;
	} else if (ok && c->has_creds &&
	    c->chal.scheme == PROXY_SCHEME_DIGEST) {
		ok = pc_digest(c, buf, cap, len);
		c->auth_sent++;
	}
	ok = ok && pc_add(buf, cap, len, "\r\n");
	if (!ok) {
		OPENSSL_cleanse(buf, cap);
		*len = 0;
		pc_seterr(err, errlen,
		    "proxy: cannot build the CONNECT request "
		    "(too long, or no randomness)");
		return false;
	}
	pc_response_begin(c);
	return true;
}

static bool
pc_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Keep the status line for messages: printable, without CR. */
static void
pc_keep_status_line(struct proxy_conn *c, const char *l, size_t n)
{
	size_t k, cap = sizeof(c->status_line) - 1;

	if (n > cap)
		n = cap;
	for (k = 0; k < n; k++)
		c->status_line[k] =
		    (unsigned char)l[k] >= 0x20 && (unsigned char)l[k] < 0x7f
		    ? l[k]
		    : '?';
	c->status_line[n] = '\0';
}

static enum proxy_status pc_fail(struct proxy_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum proxy_status
pc_fail(struct proxy_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	c->state = ST_DONE;
	c->result = PROXY_FAIL;
	return PROXY_FAIL;
}

/* RFC 9112 4: HTTP-version SP 3DIGIT SP [ reason-phrase ]. */
static enum proxy_status
pc_status_line(struct proxy_conn *c, const char *l, size_t n)
{
	pc_keep_status_line(c, l, n);
	if (n < 12 || strncmp(l, "HTTP/1.", 7) != 0 || !pc_is_digit(l[7]) ||
	    l[8] != ' ' || !pc_is_digit(l[9]) || !pc_is_digit(l[10]) ||
	    !pc_is_digit(l[11]) || (n > 12 && l[12] != ' ')) {
		c->status = 0;
		return pc_fail(
		    c, "proxy answer is not HTTP/1.x: %s", c->status_line);
	}
	c->minor = (unsigned)(l[7] - '0');
	c->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (c->status < 100)
		return pc_fail(
		    c, "proxy answer is not HTTP/1.x: %s", c->status_line);
	c->state = ST_HEADERS;
	return PROXY_MORE;
}

/* Is tok one of the comma-separated tokens of v[0..n)? */
static bool
pc_list_has(const char *v, size_t n, const char *tok)
{
	size_t i = 0, s, tl = strlen(tok);

	while (i < n) {
		while (i < n && (v[i] == ',' || v[i] == ' ' || v[i] == '\t'))
			i++;
		s = i;
		while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
			i++;
		if (i - s == tl && strncasecmp(v + s, tok, tl) == 0)
			return true;
	}
	return false;
}

static void
pc_header(struct proxy_conn *c, char *l, size_t n)
{
	size_t nl, vs, ve, k;
	uint64_t v = 0;
	char *colon = memchr(l, ':', n);

	if (colon == NULL)
		return; /* RFC 9112 5: not a field line; ignored */
	nl = (size_t)(colon - l);
	vs = nl + 1;
	while (vs < n && (l[vs] == ' ' || l[vs] == '\t'))
		vs++;
	ve = n;
	while (ve > vs && (l[ve - 1] == ' ' || l[ve - 1] == '\t'))
		ve--;
#define PC_IS(s) (nl == sizeof(s) - 1 && strncasecmp(l, s, nl) == 0)
	if (PC_IS("Content-Length")) {
		/* RFC 9112 6.3 (5): one decimal value, repeats equal. */
		if (ve == vs)
			c->bad_length = true;
		for (k = vs; k < ve; k++) {
			if (!pc_is_digit(l[k]) || v > (UINT64_MAX - 9) / 10) {
				c->bad_length = true;
				break;
			}
			v = v * 10 + (uint64_t)(l[k] - '0');
		}
		if (c->has_length && v != c->length)
			c->bad_length = true;
		c->has_length = true;
		c->length = v;
	} else if (PC_IS("Transfer-Encoding"))
		c->has_te = true;
	else if (PC_IS("Connection") || PC_IS("Proxy-Connection")) {
		/* RFC 9112 9.3, 9.6; Proxy-Connection is old but sent. */
		if (pc_list_has(l + vs, ve - vs, "close"))
			c->conn_close = true;
		if (pc_list_has(l + vs, ve - vs, "keep-alive"))
			c->keep_alive = true;
	} else if (PC_IS("Proxy-Authenticate") && c->status == 407)
		(void)proxy_challenge_parse(l + vs, ve - vs, &c->offered);
#undef PC_IS
}

/* The empty line: decide what the answer means. */
static enum proxy_status
pc_end_of_headers(struct proxy_conn *c)
{
	bool again;

	/* RFC 9110 15.2: interim answers are skipped. */
	if (c->status < 200) {
		c->state = ST_STATUS;
		c->empty_lines = 0;
		c->headers = 0;
		c->conn_close = c->keep_alive = false;
		c->has_length = c->bad_length = c->has_te = false;
		memset(&c->offered, 0, sizeof(c->offered));
		return PROXY_MORE;
	}
	/*
	 * RFC 9110 9.3.6: a 2xx to CONNECT has no content, and its
	 * Content-Length and Transfer-Encoding are to be ignored.
	 */
	if (c->status < 300) {
		c->state = ST_DONE;
		c->result = PROXY_OK;
		return PROXY_OK;
	}
	if (c->status != 407)
		return pc_fail(c, "proxy refused: %s", c->status_line);
	/*
	 * One try per challenge; a Digest nonce that went stale while the
	 * credentials were right is answered again (RFC 7616 3.3).
	 */
	again = c->auth_sent == 0 ||
	    (c->offered.scheme == PROXY_SCHEME_DIGEST && c->offered.stale &&
		c->auth_sent < 3);
	if (!c->has_creds)
		return pc_fail(c,
		    "proxy refused: %s (it wants credentials: "
		    "http://USER:PASSWORD@host:port)",
		    c->status_line);
	if (!again)
		return pc_fail(c, "proxy refused: %s (credentials rejected)",
		    c->status_line);
	if (c->offered.scheme == PROXY_SCHEME_NONE)
		return pc_fail(c,
		    "proxy refused: %s (no Basic or Digest challenge; "
		    "NTLM and Negotiate are not spoken)",
		    c->status_line);
	/* RFC 7616 3.4: nc counts the requests made with one nonce. */
	if (c->chal.scheme != PROXY_SCHEME_DIGEST ||
	    strcmp(c->chal.nonce, c->offered.nonce) != 0)
		c->nc = 0;
	c->chal = c->offered;
	c->result = PROXY_AUTH;
	/*
	 * RFC 9112 6.3: the page's length decides whether the connection
	 * can carry the next request; without one (or with a close, an
	 * HTTP/1.0 answer without keep-alive, a transfer coding or a page
	 * too big to skip) the next request goes on a new connection.
	 */
	c->reusable = !c->conn_close && (c->minor >= 1 || c->keep_alive) &&
	    !c->has_te && c->has_length && !c->bad_length &&
	    c->length <= PROXY_BODY_SKIP_MAX;
	if (c->reusable && c->length > 0) {
		c->body_left = c->length;
		c->state = ST_BODY;
		return PROXY_MORE;
	}
	c->state = ST_DONE;
	return PROXY_AUTH;
}

/* A complete line (without its LF, CR removed) in c->line. */
static enum proxy_status
pc_line(struct proxy_conn *c)
{
	size_t n = c->line_len;

	if (n > 0 && c->line[n - 1] == '\r')
		n--;
	c->line_len = 0;
	if (c->state == ST_STATUS) {
		if (n == 0) {
			if (++c->empty_lines > PC_EMPTY_LINES_MAX)
				return pc_fail(
				    c, "%s", "proxy answer: empty lines only");
			return PROXY_MORE;
		}
		return pc_status_line(c, c->line, n);
	}
	if (++c->headers > PROXY_HEADERS_MAX)
		return pc_fail(
		    c, "proxy answer: over %d header lines", PROXY_HEADERS_MAX);
	pc_header(c, c->line, n);
	return PROXY_MORE;
}

/* One byte of the answer's start line or header section. */
static enum proxy_status
pc_byte(struct proxy_conn *c, uint8_t b)
{
	enum proxy_status st;

	if (++c->header_bytes > PROXY_HEADER_BYTES_MAX)
		return pc_fail(c, "proxy answer: headers over %d bytes",
		    PROXY_HEADER_BYTES_MAX);
	if (c->pending) {
		/* RFC 9112 5.2: obs-fold becomes a space. */
		if (b == ' ' || b == '\t') {
			c->pending = false;
			if (c->line_len > 0 && c->line[c->line_len - 1] == '\r')
				c->line_len--;
			c->line[c->line_len++] = ' ';
			return PROXY_MORE;
		}
		c->pending = false;
		st = pc_line(c);
		if (st != PROXY_MORE)
			return st;
	}
	if (b == '\n') {
		if (c->state == ST_HEADERS &&
		    !(c->line_len == 0 ||
			(c->line_len == 1 && c->line[0] == '\r'))) {
			/* Wait for the next byte: it may fold this line. */
			c->pending = true;
			return PROXY_MORE;
		}
		if (c->state == ST_HEADERS) {
			c->line_len = 0;
			return pc_end_of_headers(c);
		}
		return pc_line(c);
	}
	if (b == '\0' || c->line_len + 1 >= sizeof(c->line))
		return pc_fail(c, "proxy answer: %s",
		    b == '\0' ? "a NUL byte" : "a line too long");
	c->line[c->line_len++] = (char)b;
	return PROXY_MORE;
}

enum proxy_status
proxy_conn_feed(struct proxy_conn *c, const uint8_t *data, size_t len,
    size_t *used, char *err, size_t errlen)
{
	size_t i = 0, k;

	while (i < len && c->state != ST_DONE) {
		if (c->state == ST_BODY) {
			/* The 407's page, skipped (result already AUTH). */
			k = len - i < c->body_left ? len - i
						   : (size_t)c->body_left;
			i += k;
			c->body_left -= k;
			if (c->body_left == 0)
				c->state = ST_DONE;
			continue;
		}
		(void)pc_byte(c, data[i++]);
	}
	*used = i;
	if (c->state != ST_DONE)
		return PROXY_MORE;
	if (c->result == PROXY_FAIL)
		pc_seterr(err, errlen, c->err);
	return c->result;
}

enum proxy_status
proxy_conn_eof(struct proxy_conn *c, char *err, size_t errlen)
{
	char msg[PROXY_ERR_MAX];

	if (c->state == ST_DONE) {
		if (c->result == PROXY_FAIL)
			pc_seterr(err, errlen, c->err);
		return c->result;
	}
	/* The 407's page cut short: the next request needs a new link. */
	if (c->state == ST_BODY) {
		c->state = ST_DONE;
		c->reusable = false;
		return c->result;
	}
	if (c->status != 0 && c->status_line[0] != '\0')
		snprintf(msg, sizeof(msg),
		    "proxy closed the connection in its answer: %s",
		    c->status_line);
	else
		snprintf(msg, sizeof(msg),
		    "proxy closed the connection without an answer");
	(void)pc_fail(c, "%s", msg);
	pc_seterr(err, errlen, c->err);
	return PROXY_FAIL;
}

bool
proxy_conn_reusable(const struct proxy_conn *c)
{
	return c->result == PROXY_AUTH && c->reusable;
}

int
proxy_conn_status(const struct proxy_conn *c)
{
	return c->status;
}

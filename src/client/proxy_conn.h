/*
 * The pure half of the CONNECT exchange (see proxy.h): the request with
 * its Proxy-Authorization, the incremental response parser, the
 * Proxy-Authenticate challenge parser and the Basic and Digest
 * credentials.  No sockets and no clocks; the one source of randomness,
 * the Digest cnonce, can be fixed for tests.
 */
#ifndef OPENSSTP_CLIENT_PROXY_CONN_H
#define OPENSSTP_CLIENT_PROXY_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/proxy.h"

#define PROXY_LINE_MAX	       4096 /* one status or header line */
#define PROXY_HEADER_BYTES_MAX 16384 /* every line of one answer */
#define PROXY_HEADERS_MAX      64
#define PROXY_BODY_SKIP_MAX    65536 /* a 407 page read to keep the link */
#define PROXY_STATUS_LINE_MAX  160
#define PROXY_REQUEST_MAX      4096
#define PROXY_PARAM_MAX	       256 /* realm, nonce, opaque */

enum proxy_scheme {
	PROXY_SCHEME_NONE,
	PROXY_SCHEME_BASIC,
	PROXY_SCHEME_DIGEST,
};

enum proxy_digest_alg {
	PROXY_DIGEST_MD5,
	PROXY_DIGEST_MD5_SESS,
	PROXY_DIGEST_SHA256,
	PROXY_DIGEST_SHA256_SESS,
};

/* The challenge answered: the best one a 407 offered. */
struct proxy_challenge {
	enum proxy_scheme scheme;
	enum proxy_digest_alg alg;
	bool qop_auth; /* qop offered, with "auth": RFC 7616 3.4.1 */
	bool stale; /* RFC 7616 3.3: same credentials, new nonce */
	bool userhash; /* RFC 7616 3.4.4 */
	char realm[PROXY_PARAM_MAX];
	char nonce[PROXY_PARAM_MAX];
	char opaque[PROXY_PARAM_MAX];
	bool has_opaque;
};

/*
 * One Proxy-Authenticate field value (RFC 9110 11.6.1: one or more
 * challenges).  A challenge we can answer replaces *best when it is
 * better: Digest over Basic, and of two of the same scheme the first.
 * false when the value is malformed; challenges before the error count.
 */
bool proxy_challenge_parse(
    const char *value, size_t len, struct proxy_challenge *best);

/* RFC 7617 2: base64 of "user:password" into out (NUL-terminated). */
bool proxy_basic_credentials(
    const char *user, const char *password, char *out, size_t cap);

/*
 * RFC 7616 3.4.1: the response directive, lowercase hex, for method and
 * uri.  qop_auth false gives the RFC 2069 form that 7616 keeps for old
 * servers (no nc, no cnonce).
 */
bool proxy_digest_response(enum proxy_digest_alg alg, const char *user,
    const char *realm, const char *password, const char *nonce,
    const char *cnonce, uint32_t nc, bool qop_auth, const char *method,
    const char *uri, char *hex, size_t cap);

/* RFC 7616 3.4.4: the hashed user name, H(user ":" realm). */
bool proxy_digest_userhash(enum proxy_digest_alg alg, const char *user,
    const char *realm, char *hex, size_t cap);

const char *proxy_digest_alg_name(enum proxy_digest_alg alg);

struct proxy_conn {
	/* What we ask for and who we are. */
	char target[300]; /* "host:port" or "[v6]:port" */
	bool has_creds;
	char user[256];
	char password[256];
	char cnonce_fixed[128]; /* tests; "" means RAND_bytes */
	/* Authentication. */
	struct proxy_challenge chal; /* answered in the next request */
	unsigned auth_sent; /* requests that carried credentials */
	uint32_t nc; /* RFC 7616 3.4: nonce count for chal.nonce */
	/* The answer being parsed. */
	int state;
	char line[PROXY_LINE_MAX];
	size_t line_len;
	bool pending; /* a header line waits: is the next one obs-fold? */
	unsigned empty_lines;
	size_t header_bytes;
	unsigned headers;
	int status;
	unsigned minor;
	char status_line[PROXY_STATUS_LINE_MAX];
	bool conn_close, keep_alive, has_length, bad_length, has_te;
	uint64_t length, body_left;
	struct proxy_challenge offered;
	bool reusable;
	enum proxy_status result;
	char err[PROXY_ERR_MAX];
};

/* The target host is a name or a literal (IPv6 without brackets). */
void proxy_conn_init(struct proxy_conn *c, const struct proxy_url *proxy,
    const char *host, uint16_t port);
/* Fix the Digest cnonce (tests: RFC 7616 3.9.1's example). */
void proxy_conn_set_cnonce(struct proxy_conn *c, const char *cnonce);
/* Wipe the credentials. */
void proxy_conn_clear(struct proxy_conn *c);

/*
 * The next CONNECT request (with credentials once a challenge was
 * taken) into buf; resets the response parser.  false with err when it
 * cannot be built (a bad host or credentials, no randomness).
 */
bool proxy_conn_request(struct proxy_conn *c, char *buf, size_t cap,
    size_t *len, char *err, size_t errlen);

/*
 * Feed the answer.  Every byte is taken (*used == len) while the result
 * is PROXY_MORE; otherwise *used ends right after the last byte of the
 * answer, and later calls take nothing and give the same result.  On
 * PROXY_FAIL err names the proxy's status line when there was one.
 */
enum proxy_status proxy_conn_feed(struct proxy_conn *c, const uint8_t *data,
    size_t len, size_t *used, char *err, size_t errlen);
/* The proxy closed the connection: the final result. */
enum proxy_status proxy_conn_eof(
    struct proxy_conn *c, char *err, size_t errlen);
/* After PROXY_AUTH: the same connection may carry the next request. */
bool proxy_conn_reusable(const struct proxy_conn *c);
/* The last status seen (0: none). */
int proxy_conn_status(const struct proxy_conn *c);

#endif

/*
 * The proxy's answer (proxy_conn_feed) and its challenges
 * (proxy_challenge_parse).  The first byte picks the target and the
 * piece size: the answer must end the same way whole or in pieces,
 * never take more than it is given, take nothing once final, and leave
 * NUL-terminated strings.
 */
#include <stdlib.h>
#include <string.h>

#include "client/proxy_conn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct proxy_conn whole, piece;

static void
start(struct proxy_conn *c)
{
	static const struct proxy_url u = { "p", 3128, true, "u", "p" };
	char req[PROXY_REQUEST_MAX], err[PROXY_ERR_MAX];
	size_t len;

	proxy_conn_init(c, &u, "server.test", 443);
	proxy_conn_set_cnonce(c, "0a4f113b");
	if (!proxy_conn_request(c, req, sizeof(req), &len, err, sizeof(err)))
		abort();
}

static enum proxy_status
run(struct proxy_conn *c, const uint8_t *data, size_t size, size_t chunk,
    size_t *total, char *err, size_t errlen)
{
	enum proxy_status st = PROXY_MORE;
	size_t off = 0, n, used;

	do {
		n = chunk == 0 || chunk > size - off ? size - off : chunk;
		st = proxy_conn_feed(c, data + off, n, &used, err, errlen);
		if (used > n || (st == PROXY_MORE && used != n))
			abort();
		off += used;
	} while (st == PROXY_MORE && off < size);
	*total = off;
	if (st != PROXY_MORE &&
	    (proxy_conn_feed(c, data, size, &used, err, errlen) != st ||
		used != 0))
		abort();
	return st;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxy_challenge best;
	char ew[PROXY_ERR_MAX], ep[PROXY_ERR_MAX], req[PROXY_REQUEST_MAX];
	size_t tw, tp, len, chunk;
	enum proxy_status sw, sp;

	if (size < 1)
		return 0;
	if (data[0] & 0x80) {
		memset(&best, 0, sizeof(best));
		(void)proxy_challenge_parse(
		    (const char *)data + 1, size - 1, &best);
		if (memchr(best.realm, 0, sizeof(best.realm)) == NULL ||
		    memchr(best.nonce, 0, sizeof(best.nonce)) == NULL ||
		    memchr(best.opaque, 0, sizeof(best.opaque)) == NULL)
			abort();
		return 0;
	}
	chunk = 1 + (data[0] & 0x3f);
	start(&whole);
	start(&piece);
	ew[0] = ep[0] = '\0';
	sw = run(&whole, data + 1, size - 1, 0, &tw, ew, sizeof(ew));
	sp = run(&piece, data + 1, size - 1, chunk, &tp, ep, sizeof(ep));
	if (sw != sp || tw != tp || strcmp(ew, ep) != 0)
		abort();
	if (sw == PROXY_MORE) {
		sw = proxy_conn_eof(&whole, ew, sizeof(ew));
		if (sw == PROXY_MORE)
			abort();
	}
	if (memchr(whole.status_line, 0, sizeof(whole.status_line)) == NULL)
		abort();
	/* A challenge taken must make a request (with the credentials). */
	if (sw == PROXY_AUTH &&
	    !proxy_conn_request(&whole, req, sizeof(req), &len, ew, sizeof(ew)))
		abort();
	return 0;
}

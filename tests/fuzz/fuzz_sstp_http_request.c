/*
 * The server's request parser, fed in pieces (the first byte picks their
 * size and the limits): it never takes more than it is given, stops for
 * good at the end of the headers or the first error, leaves its strings
 * NUL-terminated, and ends the same way however the input is cut.
 */
#include <stdlib.h>
#include <string.h>

#include "sstp/sstp_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feed in pieces of chunk bytes (0: whole); checks the invariants. */
static enum sstp_err
run(const struct sstp_http_limits *lim, const uint8_t *data, size_t size,
    size_t chunk, struct sstp_http_request *req, size_t *total, bool *fin)
{
	struct sstp_http_parser p;
	enum sstp_err err = SSTP_OK;
	size_t off = 0, n, used;
	bool done = false;

	sstp_http_request_parser_init(&p, lim);
	memset(req, 0xa5, sizeof(*req));
	do {
		n = chunk == 0 || chunk > size - off ? size - off : chunk;
		err = sstp_http_request_parse(
		    &p, data + off, n, &used, req, &done);
		if (used > n || (err == SSTP_OK && !done && used != n) ||
		    (err != SSTP_OK && done))
			abort();
		off += used;
	} while (err == SSTP_OK && !done && off < size);
	*total = off;
	*fin = done;
	/* Done and errors are final: nothing more is taken. */
	if ((err != SSTP_OK || done) &&
	    (sstp_http_request_parse(&p, data, size, &used, req, &done) !=
		    err ||
		used != 0))
		abort();
	if (done &&
	    (memchr(req->host, '\0', sizeof(req->host)) == NULL ||
		memchr(req->correlation_id, '\0',
		    sizeof(req->correlation_id)) == NULL ||
		req->version_minor > 1))
		abort();
	return err;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sstp_http_request whole, piece;
	struct sstp_http_limits lim = { 64, 256, 4 };
	size_t chunk, used_whole, used_piece;
	bool done_whole, done_piece;
	enum sstp_err err;

	if (size < 1)
		return 0;
	chunk = 1 + (data[0] & 0x3f);
	if ((data[0] & 0x80) == 0)
		sstp_http_limits_default(&lim);
	err =
	    run(&lim, data + 1, size - 1, 0, &whole, &used_whole, &done_whole);
	if (run(&lim, data + 1, size - 1, chunk, &piece, &used_piece,
		&done_piece) != err ||
	    used_piece != used_whole || done_piece != done_whole)
		abort();
	if (done_whole &&
	    (whole.has_host != piece.has_host ||
		strcmp(whole.host, piece.host) != 0 ||
		strcmp(whole.correlation_id, piece.correlation_id) != 0 ||
		whole.content_length != piece.content_length))
		abort();
	return 0;
}

/*
 * The HTTP handshake that opens every SSTP connection (spec/sstp.md 1.2,
 * 1.3): the client's SSTP_DUPLEX_POST request and the server's 200 reply,
 * builders for both and incremental parsers for both.  Parsers take input
 * in pieces of any size (one byte at a time too), keep no pointer into it,
 * and stop at the end of the header block: the bytes after it are SSTP
 * (trap 11) and are left to the caller.  No clock: the caller enforces the
 * total time a request may take; here only sizes are capped.
 */
#ifndef OPENSSTP_SSTP_HTTP_H
#define OPENSSTP_SSTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/wr.h"
#include "sstp/sstp_err.h"

#define SSTP_HTTP_METHOD "SSTP_DUPLEX_POST"
#define SSTP_HTTP_URI	 "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"
/* Content-Length both ways: 2^64-1, an endless body (trap 12). */
#define SSTP_HTTP_CONTENT_LENGTH UINT64_MAX
/* Size of the parser's line buffer: the largest max_line allowed. */
#define SSTP_HTTP_LINE_BUF	  2048
#define SSTP_HTTP_HOST_MAX	  255
#define SSTP_HTTP_CORRELATION_MAX 127
#define SSTP_HTTP_REASON_MAX	  127
#define SSTP_GUID_LEN		  16

struct sstp_http_limits {
	size_t max_line; /* start line and each header line */
	size_t max_header_bytes; /* the whole block, start line included */
	unsigned max_headers; /* header lines */
};

/* 2048-byte lines, 8 KiB block, 64 headers (spec/sstp.md 1.3). */
void sstp_http_limits_default(struct sstp_http_limits *lim);

/* What the server learns from the request. */
struct sstp_http_request {
	unsigned version_minor; /* HTTP/1.0 or HTTP/1.1 */
	bool has_host;
	char host[SSTP_HTTP_HOST_MAX + 1];
	bool has_correlation_id; /* SSTPCORRELATIONID, never validated */
	char correlation_id[SSTP_HTTP_CORRELATION_MAX + 1];
	bool has_content_length;
	uint64_t content_length;
};

/* What the client learns from the response. */
struct sstp_http_response {
	unsigned version_minor;
	int status; /* 100..999 */
	char reason[SSTP_HTTP_REASON_MAX + 1];
	bool has_content_length;
	uint64_t content_length;
};

/* Parser state; opaque to callers, embedded in the connection. */
struct sstp_http_parser {
	struct sstp_http_limits lim;
	bool response; /* parsing a response (client) */
	bool fed; /* output struct cleared by the first call */
	bool start_seen; /* start line parsed */
	bool done;
	enum sstp_err err; /* sticky: the first error */
	unsigned empty_lines; /* ignored before the start line */
	unsigned headers;
	size_t total; /* header block bytes so far */
	size_t crs; /* CRs held back: legal only right before LF */
	size_t line_len;
	uint8_t line[SSTP_HTTP_LINE_BUF];
};

void sstp_http_request_parser_init(
    struct sstp_http_parser *p, const struct sstp_http_limits *lim);
void sstp_http_response_parser_init(
    struct sstp_http_parser *p, const struct sstp_http_limits *lim);

/*
 * Feed len bytes.  Sets *used to the bytes consumed and *done when the
 * header block is complete (bytes past it are not consumed).  Returns
 * SSTP_OK (need more when !*done) or the reason the request is refused;
 * after an error the parser must not be fed again.  Pass the same req
 * (resp) on every call: the first call clears it, it is whole once *done.
 */
enum sstp_err sstp_http_request_parse(struct sstp_http_parser *p,
    const uint8_t *data, size_t len, size_t *used,
    struct sstp_http_request *req, bool *done);
enum sstp_err sstp_http_response_parse(struct sstp_http_parser *p,
    const uint8_t *data, size_t len, size_t *used,
    struct sstp_http_response *resp, bool *done);

/*
 * Client request, header order as sstp-client and Windows send it; the
 * SSTPCORRELATIONID is the 16 bytes of guid as {8-4-4-4-12} upper-case hex.
 * Fails with SSTP_E_HTTP_SYNTAX if host holds a control character or space.
 */
enum sstp_err sstp_http_request_build(
    struct wr *w, const char *host, const uint8_t guid[SSTP_GUID_LEN]);

/* Server's 200: Content-Length, Date (RFC 1123, from date), Server. */
enum sstp_err sstp_http_response_build(struct wr *w, time_t date);

/*
 * The HTTP status a refused request gets: 400, 404, 408, 414, 431, 505,
 * and 503 when the server has no session free.
 */
int sstp_http_error_status(enum sstp_err err);

/* A complete error response: status line, Content-Length: 0, close. */
enum sstp_err sstp_http_error_build(struct wr *w, int status);

#endif

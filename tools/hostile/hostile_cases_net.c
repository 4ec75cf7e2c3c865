/*
 * Attacks before SSTP: on TCP (plaintext, junk), on TLS (idle
 * connections by the hundred), and on the HTTP request (every cap,
 * malformed lines, one byte a second).  The answers are spec/sstp.md
 * 1.3's: an HTTP error, then close; TLS itself closes on what is not TLS.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "hostile.h"

/* --- raw TCP to the TLS port ------------------------------------------ */

static void
send_str(struct hconn *h, const char *s)
{
	hc_queue(h, s, strlen(s));
}

static bool
run_tcp(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	struct hconn h;
	uint64_t t;
	bool ok;

	if ((ok = hc_open(&h, o, err, errlen))) {
		t = hc_now();
		c->attack(&h);
		(void)hc_pump_until(&h, t + o->wait_ms, NULL, NULL);
		v->have_after = true;
		v->after_ms = (h.eof ? h.eof_at : hc_now()) - t;
		/* RFC 8446 5.1: an alert record is content type 21. */
		if (h.eof && h.bytes_in == 0)
			v->kind = V_SILENT_CLOSE;
		else if (h.eof && h.first_in == 0x15)
			v->kind = V_TLS_ALERT;
		else
			v->kind = V_STILL_OPEN;
		v->closed = h.eof;
		v->closed_ms = v->after_ms;
		verdict_note(
		    v, "%llu bytes back", (unsigned long long)h.bytes_in);
	}
	hc_close(&h);
	return ok;
}

static void
plaintext_http(struct hconn *h)
{
	send_str(h, "GET / HTTP/1.1\r\nHost: server.test\r\n\r\n");
}

static void
tcp_junk(struct hconn *h)
{
	uint8_t junk[1024];

	RAND_bytes(junk, sizeof(junk));
	hc_queue(h, junk, sizeof(junk));
}

/* --- the HTTP request, over TLS --------------------------------------- */

static bool
run_http(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	struct hconn h;
	struct tap before;
	uint64_t t;
	bool ok;

	if ((ok = open_tls(&h, o, err, errlen))) {
		h.answer_aborts = true;
		before = h.tap;
		t = hc_now();
		c->attack(&h);
		await_judge(&h, &before, t, 1, V_SILENT_DISCARD, v);
	}
	hc_close(&h);
	return ok;
}

#define REQ_LINE "SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\r\n"
#define REQ_HEAD                                                               \
	REQ_LINE "Host: server.test\r\n"                                       \
		 "Content-Length: 18446744073709551615\r\n"

static void
tls_junk(struct hconn *h)
{
	uint8_t junk[256];

	RAND_bytes(junk, sizeof(junk));
	junk[0] = 0x01; /* a control byte: never a request line */
	hc_queue(h, junk, sizeof(junk));
}

static void
http_get(struct hconn *h)
{
	send_str(h, "GET / HTTP/1.1\r\nHost: server.test\r\n\r\n");
}

static void
http_wrong_uri(struct hconn *h)
{
	send_str(h,
	    "SSTP_DUPLEX_POST /sra_{00000000-0000-0000-0000-"
	    "000000000000}/ HTTP/1.1\r\nHost: server.test\r\n\r\n");
}

static void
http_version(struct hconn *h)
{
	send_str(h,
	    "SSTP_DUPLEX_POST " SSTP_HTTP_URI
	    " HTTP/2.0\r\nHost: server.test\r\n\r\n");
}

static void
http_garbage(struct hconn *h)
{
	send_str(h, "hello there\r\n\r\n");
}

/* n bytes of 'a' into the queue. */
static void
send_filler(struct hconn *h, size_t n)
{
	char buf[512];
	size_t k;

	memset(buf, 'a', sizeof(buf));
	for (; n > 0; n -= k) {
		k = n < sizeof(buf) ? n : sizeof(buf);
		hc_queue(h, buf, k);
	}
}

static void
http_long_line(struct hconn *h)
{
	send_str(h, "SSTP_DUPLEX_POST /");
	send_filler(h, 3000);
	send_str(h, " HTTP/1.1\r\nHost: server.test\r\n\r\n");
}

static void
http_long_header(struct hconn *h)
{
	send_str(h, REQ_HEAD "X-Long: ");
	send_filler(h, 3000);
	send_str(h, "\r\n\r\n");
}

static void
http_many_headers(struct hconn *h)
{
	char line[32];
	int i;

	send_str(h, REQ_HEAD);
	for (i = 0; i < 100; i++) {
		snprintf(line, sizeof(line), "X-H%d: v\r\n", i);
		send_str(h, line);
	}
	send_str(h, "\r\n");
}

/* Each line under the line cap, few of them, the block over 8 KiB. */
static void
http_big_block(struct hconn *h)
{
	int i;

	send_str(h, REQ_HEAD);
	for (i = 0; i < 6; i++) {
		send_str(h, "X-Big: ");
		send_filler(h, 1500);
		send_str(h, "\r\n");
	}
	send_str(h, "\r\n");
}

/*
 * A header line past the cap, then the blank line that would end a
 * block and a Call Connect Request: the line is refused where it crosses
 * the cap, the blank line is never seen as the end (no 200, no Ack).
 */
static void
http_cap_then_blank(struct hconn *h)
{
	static const uint8_t ccr[] = { 0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00,
		0x01, 0x00, 0x01, 0x00, 0x06, 0x00, 0x01 };

	send_str(h, REQ_HEAD "X-Long: ");
	send_filler(h, 2100);
	send_str(h, "\r\n\r\n");
	hc_queue(h, ccr, sizeof(ccr));
}

static void
http_bad_length(struct hconn *h)
{
	send_str(h, REQ_LINE "Host: server.test\r\nContent-Length: -1\r\n\r\n");
}

static void
http_two_hosts(struct hconn *h)
{
	send_str(h, REQ_HEAD "Host: other.test\r\n\r\n");
}

/*
 * A legal request with --count extra header lines of 200 bytes each,
 * then a Call Connect Request: taken under the default caps, refused
 * (431) under caps made small enough (the server's http_max_* keys).
 */
static void
http_headers_n(struct hconn *h)
{
	static const uint8_t ccr[] = { 0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00,
		0x01, 0x00, 0x01, 0x00, 0x06, 0x00, 0x01 };
	char name[32];
	unsigned i;

	send_str(h, REQ_HEAD);
	for (i = 0; i < h->o->count; i++) {
		snprintf(name, sizeof(name), "X-H%04u: ", i);
		send_str(h, name);
		send_filler(h, 200 - strlen(name) - 2);
		send_str(h, "\r\n");
	}
	send_str(h, "\r\n");
	hc_queue(h, ccr, sizeof(ccr));
	send_probe(h);
}

/* spec/sstp.md 1.3 trap: the request and the first SSTP in one write. */
static void
http_pipelined(struct hconn *h)
{
	static const uint8_t ccr[] = { 0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00,
		0x01, 0x00, 0x01, 0x00, 0x06, 0x00, 0x01 };

	send_str(h, REQ_HEAD "SSTPCORRELATIONID: {x}\r\n\r\n");
	hc_queue(h, ccr, sizeof(ccr));
	send_probe(h);
}

/* --- slowloris: the request one byte every interval ------------------- */

static bool
http_answer(struct hconn *h, void *arg)
{
	(void)arg;
	return h->eof || h->tap.http_done || h->tap.http_bad;
}

static bool
run_slowloris(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	static const char req[] = REQ_HEAD "X-Slow: ";
	struct hconn h;
	struct tap before;
	uint64_t t;
	size_t i;
	bool ok;

	(void)c;
	if ((ok = open_tls(&h, o, err, errlen))) {
		before = h.tap;
		t = hc_now();
		/* Past the request's end a header line goes on for ever. */
		for (i = 0; !http_answer(&h, NULL); i++) {
			hc_queue(&h, i < sizeof(req) - 1 ? &req[i] : "a", 1);
			if (hc_pump_until(&h, hc_now() + o->interval_ms,
				http_answer, NULL) ||
			    hc_now() >= t + o->wait_ms)
				break;
		}
		verdict_note(v, "%zu bytes sent", i + 1);
		await_judge(&h, &before, t, 0, V_STILL_OPEN, v);
	}
	hc_close(&h);
	return ok;
}

/* --- idle connections by the count ------------------------------------ */

#define EARLY_MS 300 /* closed this soon: refused, not timed out */

static bool
run_idle(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	bool tls = c->arg_len != 0;
	struct hconn *hs = calloc(o->count, sizeof(*hs));
	struct pollfd *pf = calloc(o->count, sizeof(*pf));
	unsigned i, n = 0, open = 0, early = 0, got408 = 0;
	uint64_t deadline, last = 0, ms;
	char why[256];
	bool ok = hs != NULL && pf != NULL;

	if (!ok)
		snprintf(err, errlen, "out of memory");
	/* Each handshake right after its connect: the server's clock for
	 * a connection starts at its accept. */
	for (i = 0; ok && i < o->count; i++, n++) {
		if (!hc_open(&hs[i], o, err, errlen)) {
			hc_close(&hs[i]);
			ok = false;
			break;
		}
		if (tls && !hc_tls(&hs[i], why, sizeof(why)) && !hs[i].eof) {
			/* Refused at accept: the server closed, no TLS. */
			hs[i].eof = true;
			hs[i].eof_at = hc_now();
		}
	}
	deadline = hc_now() + o->close_ms;
	while (ok && hc_now() < deadline) {
		for (i = open = 0; i < n; i++) {
			pf[i].fd = hs[i].eof ? -1 : hs[i].fd;
			pf[i].events = POLLIN;
			open += !hs[i].eof;
		}
		if (open == 0)
			break;
		(void)poll(pf, n, 100);
		for (i = 0; i < n; i++)
			if (pf[i].fd >= 0 && pf[i].revents != 0)
				hc_input(&hs[i]);
	}
	for (i = 0; ok && i < n; i++) {
		if (!hs[i].eof)
			continue;
		ms = hs[i].eof_at - hs[i].t0;
		early += ms < EARLY_MS;
		last = ms > last ? ms : last;
		got408 += hs[i].tap.http_status == 408;
	}
	if (ok) {
		v->kind = open == 0 ? V_ALL_CLOSED : V_STILL_OPEN;
		v->have_after = true;
		v->after_ms = last;
		verdict_note(v, "n=%u early=%u open=%u http408=%u", n, early,
		    open, got408);
	}
	for (i = 0; i < n; i++)
		hc_close(&hs[i]);
	free(hs);
	free(pf);
	return ok;
}

const struct hostile_case hostile_cases_net[] = {
	{ "plaintext-http", "silent-close|tls-alert",
	    "an HTTP request in clear text on the TLS port", run_tcp,
	    plaintext_http, NULL, 0 },
	{ "tcp-junk", "silent-close|tls-alert", "1 KiB of random bytes, no TLS",
	    run_tcp, tcp_junk, NULL, 0 },
	{ "tls-junk", "http:400", "random bytes as the HTTP request", run_http,
	    tls_junk, NULL, 0 },
	{ "http-get", "http:404", "GET /, as to a web server", run_http,
	    http_get, NULL, 0 },
	{ "http-uri", "http:404", "SSTP_DUPLEX_POST to another URI", run_http,
	    http_wrong_uri, NULL, 0 },
	{ "http-version", "http:505", "HTTP/2.0", run_http, http_version, NULL,
	    0 },
	{ "http-garbage", "http:400", "a request line that is not one",
	    run_http, http_garbage, NULL, 0 },
	{ "http-line-too-long", "http:414", "a 3000-byte request line",
	    run_http, http_long_line, NULL, 0 },
	{ "http-header-too-long", "http:431", "a 3000-byte header line",
	    run_http, http_long_header, NULL, 0 },
	{ "http-too-many-headers", "http:431", "100 header lines", run_http,
	    http_many_headers, NULL, 0 },
	{ "http-headers-too-big", "http:431",
	    "6 header lines of 1.5 KiB: the block over 8 KiB", run_http,
	    http_big_block, NULL, 0 },
	{ "http-cap-then-blank", "http:431",
	    "a header line past the cap, a blank line, a Call Connect Request",
	    run_http, http_cap_then_blank, NULL, 0 },
	{ "http-content-length", "http:400", "Content-Length: -1", run_http,
	    http_bad_length, NULL, 0 },
	{ "http-two-hosts", "http:400", "two Host headers", run_http,
	    http_two_hosts, NULL, 0 },
	{ "http-headers-n", "call-connect-ack",
	    "--count header lines of 200 bytes, then a Call Connect Request",
	    run_http, http_headers_n, NULL, 0 },
	{ "http-pipelined", "call-connect-ack",
	    "the request and a Call Connect Request in one write (legal)",
	    run_http, http_pipelined, NULL, 0 },
	{ "slowloris", "http:408", "the request one byte every --interval-ms",
	    run_slowloris, NULL, NULL, 0 },
	{ "idle-tcp", "all-closed", "--count TCP connections, nothing sent",
	    run_idle, NULL, NULL, 0 },
	{ "idle-tls", "all-closed",
	    "--count TLS connections, handshake done, nothing sent", run_idle,
	    NULL, "tls", 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

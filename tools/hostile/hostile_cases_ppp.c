/*
 * Attacks on PPP (malformed LCP, unknown codes and protocols, malformed
 * PAP, CHAP and EAP), floods (SSTP and LCP echoes, Configure-Requests),
 * the largest frames, the set-up stalled in each phase or dragged out,
 * and one honest call.  The PPP answers are spec/ppp.md 1.6 and 11's:
 * Code-Reject, Protocol-Reject in the Network phase, silent discard of
 * what is malformed or not allowed in the phase.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "hostile.h"
#include "ppp/ppp_frame.h"

static bool
auth_seen(struct hconn *h, void *arg)
{
	(void)arg;
	return h->tap.auth > 0;
}

/* PPP attacks once the honest call reached c->arg ("ack", "lcp",
 * "up"), our authentication withheld where it would get in the way. */
static bool
run_ppp_as(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen, enum stall stall)
{
	struct hconn h;
	struct tap before;
	uint64_t t;
	bool ok;

	if ((ok = open_peer(&h, o, c->arg, stall, err, errlen))) {
		/* CHAP and EAP: a forged answer needs the server's Id. */
		if (stall == STALL_AUTH && o->auth != PPP_AUTH_PAP)
			(void)hc_pump_until(
			    &h, hc_now() + o->wait_ms, auth_seen, NULL);
		before = h.tap;
		t = hc_now();
		c->attack(&h);
		send_probe(&h);
		await_judge(&h, &before, t, 1, V_SILENT_DISCARD, v);
	}
	hc_close(&h);
	return ok;
}

static bool
run_ppp(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	return run_ppp_as(c, o, v, err, errlen, STALL_NONE);
}

static bool
run_ppp_in_auth(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	return run_ppp_as(c, o, v, err, errlen, STALL_AUTH);
}

static void
lcp_unknown_code(struct hconn *h)
{
	hc_send_ppp(h, PPP_PROTO_LCP, 0x20, 0x42, (const uint8_t *)"abcd", 4);
}

/* The frames below are whole PPP frames, FF 03 and protocol first. */
static void
send_frame(struct hconn *h, const uint8_t *f, size_t len)
{
	hc_send_data(h, f, len);
}

#define FRAME_ATTACK(name, ...)                                                \
	static void name(struct hconn *h)                                      \
	{                                                                      \
		static const uint8_t f[] = { __VA_ARGS__ };                    \
		send_frame(h, f, sizeof(f));                                   \
	}

/* Echo-Request whose Length says 64 with 8 bytes there. */
FRAME_ATTACK(lcp_length_long, 0xff, 0x03, 0xc0, 0x21, 0x09, 0x42, 0x00, 0x40,
    0x00, 0x00, 0x00, 0x00)
/* Length 2, below the 4-byte header. */
FRAME_ATTACK(lcp_length_short, 0xff, 0x03, 0xc0, 0x21, 0x09, 0x42, 0x00, 0x02,
    0x00, 0x00, 0x00, 0x00)
/* The header itself cut. */
FRAME_ATTACK(lcp_header_cut, 0xff, 0x03, 0xc0, 0x21, 0x09)
/* A Configure-Request whose option has length 1. */
FRAME_ATTACK(lcp_option_len_1, 0xff, 0x03, 0xc0, 0x21, 0x01, 0x42, 0x00, 0x08,
    0x01, 0x01, 0x05, 0xdc)
/* A Configure-Request whose option runs past the packet. */
FRAME_ATTACK(lcp_option_past_end, 0xff, 0x03, 0xc0, 0x21, 0x01, 0x42, 0x00,
    0x08, 0x01, 0x0a, 0x05, 0xdc)
/* Protocol 0x8020: an even last byte is no protocol (RFC 1661 2). */
FRAME_ATTACK(even_protocol, 0xff, 0x03, 0x80, 0x20, 0x01, 0x01, 0x00, 0x04)
/* An empty frame after FF 03. */
FRAME_ATTACK(ppp_empty, 0xff, 0x03)

static void
unknown_protocol(struct hconn *h)
{
	hc_send_ppp(h, 0x8281, 1, 1, NULL, 0);
}

static void
ipcp_unknown_code(struct hconn *h)
{
	hc_send_ppp(h, PPP_PROTO_IPCP, 0x0b, 0x42, NULL, 0);
}

/* LCP itself Protocol-Rejected: fatal (RFC 1661 5.7). */
static void
lcp_reject_lcp(struct hconn *h)
{
	static const uint8_t d[] = { 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };

	hc_send_ppp(h, PPP_PROTO_LCP, LCP_PROTREJ, 0x42, d, sizeof(d));
}

/* Configure-Request Code-Rejected: fatal too (spec/ppp.md trap 7). */
static void
lcp_code_reject_fatal(struct hconn *h)
{
	static const uint8_t d[] = { 0x01, 0x01, 0x00, 0x04 };

	hc_send_ppp(h, PPP_PROTO_LCP, 7, 0x42, d, sizeof(d));
}

/* PAP Authenticate-Request: Peer-ID length 200, 5 bytes there. */
static void
pap_malformed(struct hconn *h)
{
	static const uint8_t d[] = { 200, 'a', 'l', 'i', 'c', 'e' };

	hc_send_ppp(h, PPP_PROTO_PAP, 1, 1, d, sizeof(d));
}

/* MS-CHAPv2 Response with Value-Size 48, not 49 (spec/ppp.md trap 12). */
static void
chap_malformed(struct hconn *h)
{
	uint8_t d[1 + 48 + 5];

	memset(d, 0, sizeof(d));
	d[0] = 48;
	memcpy(d + 49, "alice", 5);
	hc_send_ppp(h, PPP_PROTO_CHAP, 2, h->tap.auth_id, d, sizeof(d));
}

/* An EAP Response whose Length runs past the frame. */
static void
eap_malformed(struct hconn *h)
{
	uint8_t f[] = { 0xff, 0x03, 0xc2, 0x27, 0x02, 0x00, 0x00, 0x40, 0x01,
		'a' };

	f[5] = h->tap.auth_id;
	send_frame(h, f, sizeof(f));
}

/* An EAP Response of a type nobody offered (a Nak would name one). */
static void
eap_unknown_type(struct hconn *h)
{
	static const uint8_t d[] = { 0xfe, 0x00 };

	hc_send_ppp(h, PPP_PROTO_EAP, 2, h->tap.auth_id, d, sizeof(d));
}

/* --- floods ----------------------------------------------------------- */

static bool
run_echo_flood(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	struct hconn h;
	struct tap before;
	uint64_t t;
	unsigned i;
	bool ok;

	(void)c;
	if ((ok = open_peer(&h, o, "up", STALL_NONE, err, errlen))) {
		before = h.tap;
		t = hc_now();
		for (i = 0; i < o->count; i++)
			send_probe(&h);
		await_judge(&h, &before, t, o->count, V_ALIVE, v);
		verdict_note(v, "echo responses %u of %u",
		    h.tap.msgs[SSTP_MSG_ECHO_RESPONSE] -
			before.msgs[SSTP_MSG_ECHO_RESPONSE],
		    o->count);
	}
	hc_close(&h);
	return ok;
}

/* N LCP packets of code, then one SSTP probe; counts the answers. */
static bool
run_lcp_flood(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	const bool echo = strcmp(c->arg, "up") == 0;
	uint8_t d[8];
	struct hconn h;
	struct tap before;
	uint32_t magic;
	uint64_t t;
	unsigned i;
	bool ok;

	if ((ok = open_peer(&h, o, c->arg, STALL_NONE, err, errlen))) {
		before = h.tap;
		t = hc_now();
		magic = htonl(h.peer.ppp.lcp.magic);
		for (i = 0; i < o->count; i++) {
			if (echo) {
				/* RFC 1661 5.8: our magic, then anything. */
				memcpy(d, &magic, 4);
				memcpy(d + 4, "ping", 4);
				hc_send_ppp(&h, PPP_PROTO_LCP, LCP_ECHOREQ,
				    (uint8_t)i, d, 8);
			} else {
				/* MRU 1400: acceptable, so each is Acked. */
				d[0] = 1;
				d[1] = 4;
				d[2] = 0x05;
				d[3] = 0x78;
				hc_send_ppp(
				    &h, PPP_PROTO_LCP, 1, (uint8_t)i, d, 4);
			}
		}
		send_probe(&h);
		await_judge(&h, &before, t, 1, V_ALIVE, v);
		verdict_note(v, "%s answered %u of %u",
		    echo ? "LCP Echo-Requests" : "Configure-Requests",
		    echo ? h.tap.lcp[LCP_ECHOREP] - before.lcp[LCP_ECHOREP]
			 : h.tap.lcp[2] + h.tap.lcp[3] + h.tap.lcp[4] -
			    before.lcp[2] - before.lcp[3] - before.lcp[4],
		    o->count);
	}
	hc_close(&h);
	return ok;
}

/* RFC 1071 over len bytes. */
static uint16_t
inet_sum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)(p[len - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/*
 * The largest data packet SSTP can frame (4095 bytes: an IPv4 ICMP Echo
 * of 4087 to the server's tunnel address, above the MRU but within the
 * SSTP cap).  The server passes it on; the kernel's reply comes back
 * fragmented to the tunnel's MTU.
 */
static bool
run_max_frame(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	uint8_t f[SSTP_MAX_DATA];
	uint8_t *ip = f + PPP_HDR_LEN;
	size_t iplen = sizeof(f) - PPP_HDR_LEN;
	uint32_t a;
	struct hconn h;
	struct tap before;
	uint64_t t;
	bool ok;
	uint16_t sum;

	(void)c;
	if ((ok = open_peer(&h, o, "up", STALL_NONE, err, errlen))) {
		memset(f, 0x5a, sizeof(f));
		f[0] = 0xff;
		f[1] = 0x03;
		f[2] = 0x00;
		f[3] = 0x21;
		memset(ip, 0, 20);
		ip[0] = 0x45;
		ip[2] = (uint8_t)(iplen >> 8);
		ip[3] = (uint8_t)iplen;
		ip[8] = 64;
		ip[9] = 1; /* ICMP */
		a = htonl(h.peer.v4.local);
		memcpy(ip + 12, &a, 4);
		a = htonl(h.peer.v4.peer);
		memcpy(ip + 16, &a, 4);
		sum = inet_sum(ip, 20);
		ip[10] = (uint8_t)(sum >> 8);
		ip[11] = (uint8_t)sum;
		memset(ip + 20, 0, 8);
		ip[20] = 8; /* Echo Request, id 0, seq 0 */
		memset(ip + 28, 0x5a, iplen - 28);
		sum = inet_sum(ip + 20, iplen - 20);
		ip[22] = (uint8_t)(sum >> 8);
		ip[23] = (uint8_t)sum;
		before = h.tap;
		t = hc_now();
		hc_send_data(&h, f, sizeof(f));
		send_probe(&h);
		await_judge(&h, &before, t, 1, V_ALIVE, v);
		/* The reply's fragments may follow the probe's answer. */
		if (v->kind == V_ALIVE)
			hc_pump_for(&h, 1000);
		verdict_note(v, "sent a %zu-byte packet; %u datagrams back",
		    sizeof(f) + SSTP_HDR_LEN,
		    h.tap.datagrams - before.datagrams);
	}
	hc_close(&h);
	return ok;
}

/* 4096 in a data packet's length (R bits): one byte over the cap. */
static void
frame_over_max(struct hconn *h)
{
	static const uint8_t b[] = { 0x10, 0x00, 0x10, 0x00 };

	hc_queue(h, b, sizeof(b));
}

/* --- the set-up stalled, dragged out, or honest ----------------------- */

static bool
run_stall_tcp(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	struct hconn h;
	bool ok;

	(void)c;
	if ((ok = hc_open(&h, o, err, errlen))) {
		(void)hc_pump_until(&h, h.t0 + o->wait_ms, NULL, NULL);
		v->kind = !h.eof      ? V_STILL_OPEN
		    : h.bytes_in == 0 ? V_SILENT_CLOSE
				      : V_TLS_ALERT;
		v->have_after = v->closed = h.eof;
		v->after_ms = v->closed_ms = h.eof_at - h.t0;
	}
	hc_close(&h);
	return ok;
}

/* Stalled where c->arg says; the times count from the TCP connect. */
static bool
run_stall(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	const char *at = c->arg;
	struct hconn h;
	struct tap before;
	bool ok;

	if (strcmp(at, "http") == 0)
		ok = open_tls(&h, o, err, errlen);
	else if (strcmp(at, "sstp") == 0)
		ok = open_http_done(&h, o, err, errlen);
	else if (strcmp(at, "lcp") == 0)
		ok = open_peer(&h, o, "ack", STALL_LCP, err, errlen);
	else if (strcmp(at, "authentication") == 0)
		ok = open_peer(&h, o, "lcp", STALL_AUTH, err, errlen);
	else
		ok = open_peer(&h, o, "auth", STALL_BINDING, err, errlen);
	if (ok) {
		before = h.tap;
		await_judge(&h, &before, h.t0, 0, V_STILL_OPEN, v);
	}
	hc_close(&h);
	return ok;
}

static bool
peer_up(struct hconn *h, void *arg)
{
	(void)arg;
	return h->peer.ipv4_up || h->peer.closed;
}

static bool
peer_gone(struct hconn *h, void *arg)
{
	(void)arg;
	return h->peer.closed;
}

/* Leave as a client would, so the server logs a clean end. */
static void
leave(struct hconn *h)
{
	peer_leave(h);
	(void)hc_pump_until(h, hc_now() + 3000, peer_gone, NULL);
}

/*
 * Three steps of the set-up each wait --interval-ms: the HTTP request
 * after TLS, the Call Connect Request after the 200, the Call Connected
 * after authentication.  Each wait can stay under the per-phase limit
 * ([timers] handshake) while together they pass [timers] setup.
 */
static bool
run_slow_setup(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	struct hconn h;
	struct tap before;
	bool ok;

	(void)c;
	if ((ok = open_tls(&h, o, err, errlen))) {
		before = h.tap;
		hc_pump_for(&h, o->interval_ms);
		h.peer.delay_ms = o->interval_ms;
		if ((ok = !h.eof && peer_start(&h, err, errlen))) {
			await_judge(&h, &before, h.t0, 0, V_STILL_OPEN, v);
			if (v->kind == V_UP)
				leave(&h);
		} else if (h.eof) {
			ok = true;
			await_judge(&h, &before, h.t0, 0, V_STILL_OPEN, v);
		}
	}
	hc_close(&h);
	return ok;
}

/*
 * An honest call: up once IPCP is open and an Echo Request sent after
 * our Call Connected is answered with nothing else (no Call Abort for
 * the binding); then a clean leave.
 */
static bool
run_legit(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	struct hconn h;
	struct tap before;
	char a4[INET_ADDRSTRLEN];
	uint32_t a;
	bool ok;

	(void)c;
	if ((ok = open_tls(&h, o, err, errlen) &&
		    peer_start(&h, err, errlen))) {
		(void)hc_pump_until(&h, h.t0 + o->wait_ms, peer_up, NULL);
		before = h.tap;
		if (h.peer.ipv4_up)
			send_probe(&h);
		await_judge(&h, &before, h.t0, h.peer.ipv4_up ? 1 : 0, V_UP, v);
		if (v->kind == V_UP) {
			a = htonl(h.peer.v4.local);
			verdict_note(v, "ipv4=%s",
			    inet_ntop(AF_INET, &a, a4, sizeof(a4)));
			leave(&h);
		} else if (h.eof) {
			verdict_note(v, "%s", h.eof_why);
		}
	}
	hc_close(&h);
	return ok;
}

#define PPP_CASE(name, expect, what, run, attack, until)                       \
	{                                                                      \
		name, expect, what, run, attack, until, 0                      \
	}

const struct hostile_case hostile_cases_ppp[] = {
	PPP_CASE("lcp-unknown-code", "code-reject:lcp",
	    "LCP code 0x20 in the Network phase", run_ppp, lcp_unknown_code,
	    "up"),
	PPP_CASE("lcp-unknown-code-early", "code-reject:lcp",
	    "LCP code 0x20 while LCP negotiates", run_ppp, lcp_unknown_code,
	    "ack"),
	PPP_CASE("lcp-length-long", "silent-discard",
	    "an LCP Length past the frame", run_ppp, lcp_length_long, "up"),
	PPP_CASE("lcp-length-short", "silent-discard", "an LCP Length of 2",
	    run_ppp, lcp_length_short, "up"),
	PPP_CASE("lcp-header-cut", "silent-discard",
	    "an LCP packet of one byte", run_ppp, lcp_header_cut, "up"),
	PPP_CASE("lcp-option-length-1", "silent-discard",
	    "a Configure-Request with an option of length 1", run_ppp,
	    lcp_option_len_1, "up"),
	PPP_CASE("lcp-option-past-end", "silent-discard",
	    "a Configure-Request with an option past its end", run_ppp,
	    lcp_option_past_end, "up"),
	PPP_CASE("lcp-reject-lcp", "lcp-terminate",
	    "a Protocol-Reject of LCP itself (fatal)", run_ppp, lcp_reject_lcp,
	    "up"),
	PPP_CASE("lcp-code-reject-fatal", "lcp-terminate",
	    "a Code-Reject of Configure-Request (fatal)", run_ppp,
	    lcp_code_reject_fatal, "up"),
	PPP_CASE("unknown-protocol", "protocol-reject:0x8281",
	    "protocol 0x8281 in the Network phase", run_ppp, unknown_protocol,
	    "up"),
	PPP_CASE("unknown-protocol-early", "silent-discard",
	    "protocol 0x8281 while LCP negotiates", run_ppp, unknown_protocol,
	    "ack"),
	PPP_CASE("even-protocol", "silent-discard",
	    "protocol 0x8020 (even: not a protocol)", run_ppp, even_protocol,
	    "up"),
	PPP_CASE("ppp-empty", "silent-discard", "a frame of FF 03 alone",
	    run_ppp, ppp_empty, "up"),
	PPP_CASE("ipcp-unknown-code", "code-reject:ipcp", "IPCP code 11",
	    run_ppp, ipcp_unknown_code, "up"),
	PPP_CASE("pap-malformed", "silent-discard",
	    "PAP Peer-ID length past the packet (--auth pap)", run_ppp_in_auth,
	    pap_malformed, "lcp"),
	PPP_CASE("chap-malformed", "silent-discard",
	    "MS-CHAPv2 Response with Value-Size 48 (--auth mschapv2)",
	    run_ppp_in_auth, chap_malformed, "lcp"),
	PPP_CASE("eap-malformed", "silent-discard",
	    "EAP Response Length past the frame (--auth eap)", run_ppp_in_auth,
	    eap_malformed, "lcp"),
	PPP_CASE("eap-unknown-type", "silent-discard",
	    "EAP Response of type 254 (--auth eap)", run_ppp_in_auth,
	    eap_unknown_type, "lcp"),
	{ "echo-flood", "alive", "--count SSTP Echo Requests at once",
	    run_echo_flood, NULL, NULL, 0 },
	{ "lcp-echo-flood", "alive", "--count LCP Echo-Requests at once",
	    run_lcp_flood, NULL, "up", 0 },
	{ "lcp-confreq-flood", "alive",
	    "--count LCP Configure-Requests while LCP negotiates",
	    run_lcp_flood, NULL, "ack", 0 },
	{ "max-frame", "alive", "a 4095-byte data packet (the SSTP maximum)",
	    run_max_frame, NULL, NULL, 0 },
	PPP_CASE("max-frame-over", "silent-close",
	    "a data packet of length 4096 (R bits)", run_ppp, frame_over_max,
	    "up"),
	{ "stall-tls", "silent-close", "TCP connected, no TLS", run_stall_tcp,
	    NULL, NULL, 0 },
	{ "stall-http", "http:408", "TLS up, no request", run_stall, NULL,
	    "http", 0 },
	{ "stall-sstp", "call-abort:NEGOTIATION_TIMEOUT",
	    "HTTP done, no Call Connect Request", run_stall, NULL, "sstp", 0 },
	{ "stall-lcp", "call-abort:NEGOTIATION_TIMEOUT",
	    "Call Connect Ack received, PPP never started", run_stall, NULL,
	    "lcp", 0 },
	{ "stall-auth", "call-abort:NEGOTIATION_TIMEOUT",
	    "LCP opened, no authentication", run_stall, NULL, "authentication",
	    0 },
	{ "stall-binding", "call-abort:NEGOTIATION_TIMEOUT",
	    "authenticated, no Call Connected", run_stall, NULL, "binding", 0 },
	{ "slow-setup", "up",
	    "each set-up step --interval-ms late (TLS, request, PPP, binding)",
	    run_slow_setup, NULL, NULL, 0 },
	{ "legit", "up", "an honest call up to IPCP, then a clean leave",
	    run_legit, NULL, NULL, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

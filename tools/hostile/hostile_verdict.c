/*
 * Results: their names, matching against what a case expects, and the
 * judgement of what the tap saw after an attack (see hostile.h).  Also
 * the usual ways into a case: a TLS connection, the HTTP exchange done,
 * the honest cores up to a phase.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hostile.h"
#include "ppp/ppp_frame.h"

static const char *const kind_names[V_KIND_COUNT_] = {
	[V_NONE] = "none",
	[V_SILENT_CLOSE] = "silent-close",
	[V_TLS_ALERT] = "tls-alert",
	[V_HTTP] = "http",
	[V_CALL_ACK] = "call-connect-ack",
	[V_CALL_NAK] = "call-connect-nak",
	[V_CALL_ABORT] = "call-abort",
	[V_CALL_DISCONNECT] = "call-disconnect",
	[V_CODE_REJECT] = "code-reject",
	[V_PROTOCOL_REJECT] = "protocol-reject",
	[V_LCP_TERMINATE] = "lcp-terminate",
	[V_ECHO_RESPONSE] = "echo-response",
	[V_SILENT_DISCARD] = "silent-discard",
	[V_ALIVE] = "alive",
	[V_UP] = "up",
	[V_ALL_CLOSED] = "all-closed",
	[V_STILL_OPEN] = "still-open",
};

const char *
verdict_kind_name(enum verdict_kind k)
{
	return (unsigned)k < V_KIND_COUNT_ ? kind_names[k] : "none";
}

enum verdict_kind
verdict_kind_parse(const char *name)
{
	int k;

	for (k = 0; k < V_KIND_COUNT_; k++)
		if (strcmp(kind_names[k], name) == 0)
			return (enum verdict_kind)k;
	return V_NONE;
}

bool
verdict_kind_closes(enum verdict_kind k)
{
	return k == V_SILENT_CLOSE || k == V_TLS_ALERT || k == V_HTTP ||
	    k == V_CALL_ABORT || k == V_CALL_DISCONNECT;
}

/* One alternative, "kind" or "kind:detail", len bytes of it. */
static bool
matches_one(const struct verdict *v, const char *e, size_t len)
{
	const char *name = verdict_kind_name(v->kind);
	const char *colon = memchr(e, ':', len);
	size_t klen = colon != NULL ? (size_t)(colon - e) : len;

	if (strlen(name) != klen || strncmp(name, e, klen) != 0)
		return false;
	if (colon == NULL)
		return true;
	len -= klen + 1;
	return strlen(v->detail) == len &&
	    strncasecmp(v->detail, colon + 1, len) == 0;
}

bool
verdict_matches(const struct verdict *v, const char *expect)
{
	const char *p = expect, *bar;
	size_t len;

	for (;;) {
		bar = strchr(p, '|');
		len = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (matches_one(v, p, len))
			return true;
		if (bar == NULL)
			return false;
		p = bar + 1;
	}
}

void
verdict_note(struct verdict *v, const char *fmt, ...)
{
	size_t used = strlen(v->note);
	va_list ap;

	if (used + 2 >= sizeof(v->note))
		return;
	if (used > 0) {
		v->note[used++] = ';';
		v->note[used++] = ' ';
		v->note[used] = '\0';
	}
	va_start(ap, fmt);
	vsnprintf(v->note + used, sizeof(v->note) - used, fmt, ap);
	va_end(ap);
}

void
verdict_print(const struct verdict *v)
{
	printf("result: %s%s%s", verdict_kind_name(v->kind),
	    v->detail[0] != '\0' ? " " : "", v->detail);
	if (v->have_after)
		printf(" after %llu ms", (unsigned long long)v->after_ms);
	if (v->closed)
		printf(
		    ", closed after %llu ms", (unsigned long long)v->closed_ms);
	printf("\n");
	if (v->note[0] != '\0')
		printf("note: %s\n", v->note);
}

/* --- judging ---------------------------------------------------------- */

struct await {
	const struct tap *before;
	unsigned probe_replies;
	bool up_before;
};

/* The honest call is up: IPCP opened and our Call Connected sent. */
static bool
peer_is_up(const struct hconn *h)
{
	return h->peer.on && h->peer.ipv4_up && h->peer.connected;
}

static bool
more(const unsigned *now, const unsigned *before, int code)
{
	return now != NULL && now[code] > before[code];
}

/* A PPP answer of code from LCP, IPCP or IPv6CP since before. */
static uint16_t
ppp_answer(const struct tap *t, const struct tap *b, int code)
{
	if (more(t->lcp, b->lcp, code))
		return PPP_PROTO_LCP;
	if (more(t->ipcp, b->ipcp, code))
		return PPP_PROTO_IPCP;
	if (more(t->ipv6cp, b->ipv6cp, code))
		return PPP_PROTO_IPV6CP;
	return 0;
}

static bool
answered(struct hconn *h, void *arg)
{
	const struct await *a = arg;
	const struct tap *t = &h->tap, *b = a->before;

	return h->eof ||
	    (t->http_status != b->http_status && t->http_status != 200) ||
	    t->http_bad != b->http_bad || t->framing_bad ||
	    t->msgs[SSTP_MSG_CALL_ABORT] > b->msgs[SSTP_MSG_CALL_ABORT] ||
	    t->msgs[SSTP_MSG_CALL_DISCONNECT] >
	    b->msgs[SSTP_MSG_CALL_DISCONNECT] ||
	    ppp_answer(t, b, 7) != 0 ||
	    t->lcp[LCP_PROTREJ] > b->lcp[LCP_PROTREJ] ||
	    t->lcp[5] > b->lcp[5] || (peer_is_up(h) && !a->up_before) ||
	    (a->probe_replies > 0 &&
		t->msgs[SSTP_MSG_ECHO_RESPONSE] >=
		    b->msgs[SSTP_MSG_ECHO_RESPONSE] + a->probe_replies);
}

static const char *
ppp_name(uint16_t proto)
{
	switch (proto) {
	case PPP_PROTO_LCP:
		return "lcp";
	case PPP_PROTO_IPCP:
		return "ipcp";
	case PPP_PROTO_IPV6CP:
		return "ipv6cp";
	default:
		return "?";
	}
}

static void
judge(struct hconn *h, const struct await *a, enum verdict_kind quiet,
    struct verdict *v)
{
	const struct tap *t = &h->tap, *b = a->before;
	uint16_t proto;

	if (t->http_status != b->http_status && t->http_status != 200) {
		v->kind = V_HTTP;
		snprintf(v->detail, sizeof(v->detail), "%d", t->http_status);
	} else if (t->msgs[SSTP_MSG_CALL_ABORT] >
	    b->msgs[SSTP_MSG_CALL_ABORT]) {
		v->kind = V_CALL_ABORT;
		snprintf(v->detail, sizeof(v->detail), "%s",
		    sstp_status_name(t->abort_status));
		verdict_note(v, "status=0x%08x", (unsigned)t->abort_status);
	} else if (t->msgs[SSTP_MSG_CALL_DISCONNECT] >
	    b->msgs[SSTP_MSG_CALL_DISCONNECT]) {
		v->kind = V_CALL_DISCONNECT;
		snprintf(v->detail, sizeof(v->detail), "%s",
		    sstp_status_name(t->disconnect_status));
	} else if ((proto = ppp_answer(t, b, 7)) != 0) {
		v->kind = V_CODE_REJECT;
		snprintf(v->detail, sizeof(v->detail), "%s", ppp_name(proto));
		verdict_note(v, "rejected code=0x%02x", t->coderej_code);
	} else if (t->lcp[LCP_PROTREJ] > b->lcp[LCP_PROTREJ]) {
		v->kind = V_PROTOCOL_REJECT;
		snprintf(
		    v->detail, sizeof(v->detail), "0x%04x", t->protrej_proto);
	} else if (t->lcp[5] > b->lcp[5]) {
		v->kind = V_LCP_TERMINATE;
	} else if (peer_is_up(h) && !a->up_before) {
		v->kind = V_UP;
	} else if (t->msgs[SSTP_MSG_CALL_CONNECT_NAK] >
	    b->msgs[SSTP_MSG_CALL_CONNECT_NAK]) {
		v->kind = V_CALL_NAK;
		snprintf(v->detail, sizeof(v->detail), "%s",
		    sstp_status_name(t->nak_status));
	} else if (t->msgs[SSTP_MSG_CALL_CONNECT_ACK] >
	    b->msgs[SSTP_MSG_CALL_CONNECT_ACK]) {
		v->kind = V_CALL_ACK;
	} else if (h->eof) {
		v->kind = V_SILENT_CLOSE;
	} else if (a->probe_replies > 0 &&
	    t->msgs[SSTP_MSG_ECHO_RESPONSE] >=
		b->msgs[SSTP_MSG_ECHO_RESPONSE] + a->probe_replies) {
		v->kind = quiet;
	} else {
		v->kind = V_STILL_OPEN;
	}
	if (t->msgs[SSTP_MSG_CALL_CONNECT_NAK] >
	    b->msgs[SSTP_MSG_CALL_CONNECT_NAK])
		verdict_note(v, "naks=%u",
		    t->msgs[SSTP_MSG_CALL_CONNECT_NAK] -
			b->msgs[SSTP_MSG_CALL_CONNECT_NAK]);
}

void
send_probe(struct hconn *h)
{
	hc_send_ctrl(h, SSTP_MSG_ECHO_REQUEST, NULL, 0, 0);
}

void
await_judge(struct hconn *h, const struct tap *before, uint64_t t_attack,
    unsigned probe_replies, enum verdict_kind quiet, struct verdict *v)
{
	const struct hostile_opts *o = h->o;
	struct await a = { before, probe_replies, false };

	a.up_before = peer_is_up(h);
	(void)hc_pump_until(h, t_attack + o->wait_ms, answered, &a);
	v->have_after = true;
	v->after_ms = (h->eof ? h->eof_at : hc_now()) - t_attack;
	judge(h, &a, quiet, v);
	if (!verdict_kind_closes(v->kind))
		return;
	(void)hc_pump_until(h, t_attack + o->close_ms, NULL, NULL);
	if (h->eof) {
		v->closed = true;
		v->closed_ms = h->eof_at - t_attack;
	}
}

/* --- the ways into a case --------------------------------------------- */

bool
open_tls(
    struct hconn *h, const struct hostile_opts *o, char *err, size_t errlen)
{
	return hc_open(h, o, err, errlen) && hc_tls(h, err, errlen);
}

static bool
http_answered(struct hconn *h, void *arg)
{
	(void)arg;
	return h->tap.http_done || h->tap.http_bad;
}

bool
open_http_done(
    struct hconn *h, const struct hostile_opts *o, char *err, size_t errlen)
{
	if (!open_tls(h, o, err, errlen))
		return false;
	h->answer_aborts = true;
	hc_send_http_request(h);
	if (!hc_pump_until(h, hc_now() + o->wait_ms, http_answered, NULL) ||
	    h->tap.http_status != 200) {
		snprintf(err, errlen, "no HTTP 200 (status %d%s)",
		    h->tap.http_status, h->eof ? ", closed" : "");
		return false;
	}
	return true;
}

static bool
peer_reached(struct hconn *h, void *arg)
{
	const char *until = arg;
	const struct peer *p = &h->peer;

	if (p->closed)
		return true;
	if (strcmp(until, "ack") == 0)
		return sstp_conn_state(&p->sstp) ==
		    SSTP_STATE_CONNECT_PENDING ||
		    sstp_conn_state(&p->sstp) == SSTP_STATE_CONNECTED;
	if (strcmp(until, "lcp") == 0)
		return p->ppp_started && p->ppp.phase >= PPP_PHASE_AUTHENTICATE;
	if (strcmp(until, "auth") == 0)
		return p->auth_ok;
	return p->ipv4_up;
}

bool
open_peer(struct hconn *h, const struct hostile_opts *o, const char *until,
    enum stall stall, char *err, size_t errlen)
{
	if (!open_tls(h, o, err, errlen))
		return false;
	h->peer.stall = stall;
	if (!peer_start(h, err, errlen))
		return false;
	if (!hc_pump_until(
		h, hc_now() + o->wait_ms, peer_reached, (void *)until) ||
	    h->peer.closed) {
		snprintf(err, errlen, "the call did not reach \"%s\"%s%s",
		    until, h->eof ? ": closed: " : "",
		    h->eof ? h->eof_why : "");
		return false;
	}
	return true;
}

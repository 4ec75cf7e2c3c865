/*
 * The RFC 1661 automaton driven by a script: packets in, time passing,
 * Open/Close/Up/Down, Protocol-Reject.  A mock protocol Acks, Naks or
 * Rejects by the option bytes.  After every step and every packet sent the
 * invariants hold, or abort().
 *
 * Input: 4 config bytes, then ops (first byte % 10) with their operands.
 */
#include <stdlib.h>
#include <string.h>

#include "base/rd.h"
#include "ppp/fsm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OPTS_MAX 32

struct harness {
	struct fsm f;
	struct rd script;
	uint64_t now;
	uint8_t req[OPTS_MAX], built[OPTS_MAX];
	size_t req_len, built_len;
	bool reenter; /* finished() takes the lower layer down at once */
	bool in_input; /* the packet being handled, for the checks */
	struct rd in;
	/* Requests sent since the last event allowed to irc. */
	unsigned scr_run, str_run;
	unsigned sent;
	int ups, downs;
};

static struct harness *
H(struct fsm *f)
{
	return f->arg;
}

static void
check(bool ok)
{
	if (!ok)
		abort();
}

/* Options well formed: Type Len(>= 2) Value, to the end. */
static bool
opts_ok(const uint8_t *o, size_t len)
{
	struct rd r, v;
	uint8_t t, l;

	rd_init(&r, o, len);
	while (!rd_empty(&r))
		if (!rd_u8(&r, &t) || !rd_u8(&r, &l) || l < 2 ||
		    !rd_sub(&r, l - 2, &v))
			return false;
	return true;
}

static void
h_build_request(struct fsm *f, struct wr *w)
{
	struct harness *h = H(f);

	wr_bytes(w, h->req, h->req_len);
	memcpy(h->built, h->req, h->req_len);
	h->built_len = h->req_len;
}

static bool
h_recv_ack(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct harness *h = H(f);
	bool ok = len == h->built_len && memcmp(opts, h->built, len) == 0;

	if (ok)
		h->scr_run = 0;
	return ok;
}

/* Nak: take the suggested list as our next request. */
static bool
h_recv_nak(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct harness *h = H(f);

	if (!opts_ok(opts, len) || len > OPTS_MAX)
		return false;
	memcpy(h->req, opts, len);
	h->req_len = len;
	h->scr_run = 0;
	return true;
}

/* Reject: a subset of what we sent; drop our options. */
static bool
h_recv_reject(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct harness *h = H(f);

	if (!opts_ok(opts, len) || len > h->built_len)
		return false;
	h->req_len = 0;
	h->scr_run = 0;
	return true;
}

/* Type % 3: 0 Rejected, 1 Nak'd (value + 1), 2 Acked (spec/ppp.md 1.10). */
static int
h_recv_request(struct fsm *f, const uint8_t *opts, size_t len, bool reject_naks,
    struct wr *reply)
{
	size_t i;
	int pass;

	(void)f;
	if (!opts_ok(opts, len))
		return 0;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < len; i += opts[i + 1]) {
			int kind = opts[i] % 3;

			if (kind == 1 && reject_naks)
				kind = 0;
			if (pass == 0 && kind == 0)
				wr_bytes(reply, opts + i, opts[i + 1]);
			if (pass == 1 && kind == 1) {
				wr_bytes(reply, opts + i, opts[i + 1] - 1u);
				wr_u8(reply,
				    (uint8_t)(opts[i + 1] > 2
					    ? opts[i + opts[i + 1] - 1] + 1
					    : 2));
			}
		}
		if (wr_len(reply) > 0)
			return pass == 0 ? FSM_CONFREJ : FSM_CONFNAK;
	}
	return FSM_CONFACK;
}

static void
h_up(struct fsm *f)
{
	check(f->state == FSM_OPENED);
	H(f)->ups++;
}

static void
h_down(struct fsm *f)
{
	check(f->state != FSM_OPENED);
	H(f)->downs++;
}

static void
h_started(struct fsm *f)
{
	check(f->state == FSM_STARTING);
}

static void
h_finished(struct fsm *f)
{
	check(f->state <= FSM_STOPPED);
	if (H(f)->reenter)
		fsm_down(f, f->now);
}

/* LCP-like: Echo answered in Opened; Protocol-Reject of us fatal. */
static bool
h_extcode(
    struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	switch (code) {
	case 8:
		if (fsm_is_opened(f)) {
			H(f)->str_run = 0;
			fsm_rxj_minus(f, f->now);
		}
		return true;
	case 9:
		if (fsm_is_opened(f))
			fsm_send_packet(f, 10, id, data, len);
		return true;
	default:
		return code % 2 == 0;
	}
}

static bool
h_code_rejected(struct fsm *f, uint8_t code)
{
	(void)f;
	return code > 4;
}

/* A reply answers the packet being handled, copying its Id; an Ack its
 * options; a Code-Reject carries it. */
static void
check_reply(struct harness *h, const uint8_t *pkt, size_t len)
{
	const uint8_t *in = rd_ptr(&h->in);
	size_t in_len = rd_left(&h->in);

	switch (pkt[0]) {
	case FSM_CONFACK:
		check(h->in_input && in[0] == FSM_CONFREQ && in[1] == pkt[1]);
		check(len == in_len && memcmp(pkt + 4, in + 4, len - 4) == 0);
		break;
	case FSM_CONFNAK:
	case FSM_CONFREJ:
		check(h->in_input && in[0] == FSM_CONFREQ && in[1] == pkt[1]);
		break;
	case FSM_TERMACK:
		check(h->in_input && in[1] == pkt[1]);
		break;
	case FSM_CODEREJ:
		check(h->in_input && len - 4 <= in_len &&
		    memcmp(pkt + 4, in, len - 4) == 0);
		break;
	default:
		break;
	}
}

static void
h_send(struct fsm *f, const uint8_t *pkt, size_t len)
{
	struct harness *h = H(f);

	check(len >= 4 && len <= FSM_MAX_PACKET);
	check((size_t)(pkt[2] << 8 | pkt[3]) == len);
	h->sent++;
	if (pkt[0] == FSM_CONFREQ)
		check(++h->scr_run <= f->cfg.max_configure);
	if (pkt[0] == FSM_TERMREQ)
		check(++h->str_run <= f->cfg.max_terminate);
	check_reply(h, pkt, len);
}

static const struct fsm_callbacks h_cb = {
	.build_request = h_build_request,
	.recv_ack = h_recv_ack,
	.recv_nak = h_recv_nak,
	.recv_reject = h_recv_reject,
	.recv_request = h_recv_request,
	.up = h_up,
	.down = h_down,
	.started = h_started,
	.finished = h_finished,
	.extcode = h_extcode,
	.code_rejected = NULL,
	.send = h_send,
};

static const struct fsm_callbacks h_cb_ncp = {
	.build_request = h_build_request,
	.recv_ack = h_recv_ack,
	.recv_nak = h_recv_nak,
	.recv_reject = h_recv_reject,
	.recv_request = h_recv_request,
	.up = h_up,
	.down = h_down,
	.started = h_started,
	.finished = h_finished,
	.extcode = NULL,
	.code_rejected = h_code_rejected,
	.send = h_send,
};

/* The state is one of the ten; the timer runs exactly in 4-8 and is
 * never left overdue; up and down alternate with Opened. */
static void
check_state(const struct harness *h)
{
	const struct fsm *f = &h->f;
	bool timed = f->state >= FSM_CLOSING && f->state <= FSM_ACKSENT;

	check(f->state <= FSM_OPENED);
	check(timed == (fsm_deadline(f) != FSM_NO_DEADLINE));
	check(!timed || fsm_deadline(f) > h->now);
	check(h->ups - h->downs == (f->state == FSM_OPENED));
}

/* Hand a packet in, remembering it for check_reply. */
static void
deliver(struct harness *h, const uint8_t *pkt, size_t len)
{
	/* Stopped + RCR and Code-Rejects may irc. */
	if (len > 0 && pkt[0] == FSM_CONFREQ && h->f.state == FSM_STOPPED)
		h->scr_run = 0;
	if (len > 0 && pkt[0] == FSM_CODEREJ)
		h->str_run = 0;
	rd_init(&h->in, pkt, len >= 4 ? (size_t)(pkt[2] << 8 | pkt[3]) : 0);
	if (rd_left(&h->in) > len)
		rd_init(&h->in, pkt, len);
	h->in_input = true;
	fsm_input(&h->f, pkt, len, h->now);
	h->in_input = false;
}

/* Op 7: Code, Id choice, option bytes; a well-formed Length. */
static void
op_packet(struct harness *h)
{
	uint8_t pkt[4 + 255], code, idsel, n;
	const uint8_t *opts;

	if (!rd_u8(&h->script, &code) || !rd_u8(&h->script, &idsel) ||
	    !rd_u8(&h->script, &n) || !rd_view(&h->script, n, &opts))
		return;
	pkt[0] = code;
	if (idsel % 3 == 0)
		pkt[1] = h->f.req_id;
	else if (idsel % 3 == 1)
		pkt[1] = h->f.term_id;
	else
		pkt[1] = idsel;
	pkt[2] = (uint8_t)((4 + n) >> 8);
	pkt[3] = (uint8_t)(4 + n);
	memcpy(pkt + 4, opts, n);
	deliver(h, pkt, 4u + n);
}

/* Op 9: what a willing peer sends: an Ack of our last request, or a
 * request of options we Ack (type 2). */
static void
op_willing_peer(struct harness *h)
{
	uint8_t pkt[4 + OPTS_MAX], sel;

	if (!rd_u8(&h->script, &sel))
		return;
	if (sel & 1) {
		pkt[0] = FSM_CONFACK;
		pkt[1] = h->f.req_id;
		memcpy(pkt + 4, h->built, h->built_len);
		pkt[3] = (uint8_t)(4 + h->built_len);
	} else {
		pkt[0] = FSM_CONFREQ;
		pkt[1] = sel;
		pkt[4] = 2;
		pkt[5] = 3;
		pkt[6] = sel;
		pkt[3] = 7;
	}
	pkt[2] = 0;
	deliver(h, pkt, pkt[3]);
}

static void
op_time(struct harness *h, bool to_deadline)
{
	enum fsm_state state;
	unsigned sent;
	uint8_t b = 0;
	bool due;

	if (to_deadline) {
		if (fsm_deadline(&h->f) != FSM_NO_DEADLINE)
			h->now = fsm_deadline(&h->f);
	} else {
		(void)rd_u8(&h->script, &b);
		h->now += 1 + b * 50u;
	}
	/* Early ticks too: they must do nothing. */
	due = h->now >= fsm_deadline(&h->f);
	state = h->f.state;
	sent = h->sent;
	fsm_tick(&h->f, h->now);
	check(due || (h->f.state == state && h->sent == sent));
}

static void
op_run(struct harness *h, uint8_t op)
{
	uint8_t n;
	const uint8_t *raw;

	switch (op % 10) {
	case 0:
		h->scr_run = 0;
		fsm_up(&h->f, h->now);
		break;
	case 1:
		fsm_down(&h->f, h->now);
		break;
	case 2:
		h->scr_run = 0;
		fsm_open(&h->f, h->now);
		break;
	case 3:
		h->str_run = 0;
		fsm_close(&h->f, h->now);
		break;
	case 4:
	case 5:
		op_time(h, op % 10 == 5);
		break;
	case 6:
		if (rd_u8(&h->script, &n) && rd_view(&h->script, n, &raw))
			deliver(h, raw, n);
		break;
	case 7:
		op_packet(h);
		break;
	case 8:
		h->str_run = 0;
		fsm_rxj_minus(&h->f, h->now);
		break;
	default:
		op_willing_peer(h);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t req[] = { 0x01, 0x04, 0x05, 0xdc, 0x05, 0x06, 0x11,
		0x22, 0x33, 0x44 };
	struct harness h;
	struct fsm_config cfg;
	uint8_t c[4], op;

	memset(&h, 0, sizeof(h));
	rd_init(&h.script, data, size);
	if (!rd_bytes(&h.script, c, sizeof(c)))
		return 0;
	cfg.restart_ms = 1 + c[0] * 20u;
	cfg.max_configure = c[1] % 12;
	cfg.max_terminate = c[2] % 4;
	cfg.max_failure = c[3] % 6;
	cfg.passive = c[3] & 0x80;
	h.reenter = c[3] & 0x40;
	fsm_init(&h.f, c[3] & 0x20 ? &h_cb_ncp : &h_cb, &cfg, &h);
	memcpy(h.req, req, sizeof(req));
	h.req_len = sizeof(req);
	h.now = (uint64_t)c[2] << 40;
	check_state(&h);
	while (rd_u8(&h.script, &op)) {
		op_run(&h, op);
		check_state(&h);
	}
	return 0;
}

/*
 * The RFC 1661 option negotiation automaton: spec/ppp.md 1.4 cell by cell.
 *
 * Each cell first moves to its next state (fsm_enter: the restart timer
 * stops in a state without one), then runs its actions in the table's
 * order, so every callback sees the state the cell leads to.  A callback
 * that is a cell's last action (up, started, finished) is called after
 * the automaton's last touch of f: it may re-enter it.
 *
 * Identifiers (spec/ppp.md 1.8): every Configure-Request and
 * Terminate-Request sent takes a fresh Id from f->id, timeout
 * retransmissions included (pppd's choice), so one Id always names one
 * exact option list even when build_request writes something new.
 */
#include "ppp/fsm.h"

#include <string.h>

#include "ppp/ppp_frame.h"

/* Room for the options of a packet we send. */
#define FSM_MAX_DATA (FSM_MAX_PACKET - PPP_PKT_HDR_LEN)

/* Our answer to a Configure-Request: code, Id and options to send. */
struct fsm_reply {
	int code;
	uint8_t id;
	const uint8_t *opts;
	size_t len;
};

static const char *const fsm_state_names[] = {
	[FSM_INITIAL] = "Initial",
	[FSM_STARTING] = "Starting",
	[FSM_CLOSED] = "Closed",
	[FSM_STOPPED] = "Stopped",
	[FSM_CLOSING] = "Closing",
	[FSM_STOPPING] = "Stopping",
	[FSM_REQSENT] = "Req-Sent",
	[FSM_ACKRCVD] = "Ack-Rcvd",
	[FSM_ACKSENT] = "Ack-Sent",
	[FSM_OPENED] = "Opened",
};

void
fsm_config_default(struct fsm_config *cfg)
{
	/* spec/ppp.md 1.5: the RFC's defaults, which pppd uses. */
	cfg->restart_ms = 3000;
	cfg->max_configure = 10;
	cfg->max_terminate = 2;
	cfg->max_failure = 5;
	cfg->passive = false;
}

/* cfg NULL: the defaults.  A counter of 0 is taken as 1: each request is
 * sent at least once. */
void
fsm_init(struct fsm *f, const struct fsm_callbacks *cb,
    const struct fsm_config *cfg, void *arg)
{
	f->cb = cb;
	f->arg = arg;
	if (cfg != NULL)
		f->cfg = *cfg;
	else
		fsm_config_default(&f->cfg);
	if (f->cfg.max_configure == 0)
		f->cfg.max_configure = 1;
	if (f->cfg.max_terminate == 0)
		f->cfg.max_terminate = 1;
	f->state = FSM_INITIAL;
	f->id = 1;
	f->req_id = 0;
	f->term_id = 0;
	f->restart_count = 0;
	f->naks_sent = 0;
	f->deadline = FSM_NO_DEADLINE;
	f->now = 0;
}

uint8_t
fsm_next_id(struct fsm *f)
{
	return f->id++;
}

uint64_t
fsm_deadline(const struct fsm *f)
{
	return f->deadline;
}

bool
fsm_is_opened(const struct fsm *f)
{
	return f->state == FSM_OPENED;
}

const char *
fsm_state_name(enum fsm_state state)
{
	if ((unsigned)state >=
	    sizeof(fsm_state_names) / sizeof(*fsm_state_names))
		return "unknown";
	return fsm_state_names[state];
}

/* Data beyond FSM_MAX_PACKET is cut off (RFC 1661 5.6: a Code-Reject is
 * truncated to the peer's MRU; FSM_MAX_PACKET is the MRU floor). */
void
fsm_send_packet(
    struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	uint8_t buf[FSM_MAX_PACKET];
	struct wr w;
	size_t start;

	if (len > FSM_MAX_DATA)
		len = FSM_MAX_DATA;
	wr_init(&w, buf, sizeof(buf));
	start = ppp_pkt_begin(&w, code, id);
	wr_bytes(&w, data, len);
	ppp_pkt_end(&w, start);
	f->cb->send(f, buf, wr_len(&w));
}

/* --- moves and actions (RFC 1661 4.4) --- */

/* spec/ppp.md 1.1: the restart timer runs in states 4 to 8 only; Naks are
 * counted within one negotiation (states 6 to 8 and Opened). */
static void
fsm_enter(struct fsm *f, enum fsm_state state)
{
	f->state = state;
	if (state < FSM_CLOSING || state == FSM_OPENED)
		f->deadline = FSM_NO_DEADLINE;
	if (state < FSM_REQSENT)
		f->naks_sent = 0;
}

static void
fsm_timer_start(struct fsm *f)
{
	if (f->now >= FSM_NO_DEADLINE - 1 - f->cfg.restart_ms)
		f->deadline = FSM_NO_DEADLINE - 1;
	else
		f->deadline = f->now + f->cfg.restart_ms;
}

/* irc: spec/ppp.md 1.3 (re)starts the timer with the count. */
static void
fsm_irc(struct fsm *f, unsigned count)
{
	f->restart_count = count;
	fsm_timer_start(f);
}

/* zrc: RFC 1661 4.4, one Restart period for our Terminate-Ack to leave. */
static void
fsm_zrc(struct fsm *f)
{
	f->restart_count = 0;
	fsm_timer_start(f);
}

static void
fsm_count_down(struct fsm *f)
{
	if (f->restart_count > 0)
		f->restart_count--;
	fsm_timer_start(f);
}

/* scr: a fresh Id every time, counter and timer set before send. */
static void
fsm_scr(struct fsm *f)
{
	uint8_t opts[FSM_MAX_DATA];
	struct wr w;

	wr_init(&w, opts, sizeof(opts));
	f->cb->build_request(f, &w);
	f->req_id = fsm_next_id(f);
	f->req_answered = false;
	fsm_count_down(f);
	fsm_send_packet(f, FSM_CONFREQ, f->req_id, opts, wr_len(&w));
}

static void
fsm_str(struct fsm *f)
{
	f->term_id = fsm_next_id(f);
	fsm_count_down(f);
	fsm_send_packet(f, FSM_TERMREQ, f->term_id, NULL, 0);
}

/* sta: copies the Id of what it answers. */
static void
fsm_sta(struct fsm *f, uint8_t id)
{
	fsm_send_packet(f, FSM_TERMACK, id, NULL, 0);
}

/* sca / scn, and spec/ppp.md 1.5 Max-Failure: Naks sent since our last
 * Ack. */
static void
fsm_send_reply(struct fsm *f, const struct fsm_reply *r)
{
	if (r->code == FSM_CONFACK)
		f->naks_sent = 0;
	else if (r->code == FSM_CONFNAK)
		f->naks_sent++;
	fsm_send_packet(f, (uint8_t)r->code, r->id, r->opts, r->len);
}

static void
fsm_tlu(struct fsm *f)
{
	if (f->cb->up != NULL)
		f->cb->up(f);
}

static void
fsm_tld(struct fsm *f)
{
	if (f->cb->down != NULL)
		f->cb->down(f);
}

static void
fsm_tls(struct fsm *f)
{
	if (f->cb->started != NULL)
		f->cb->started(f);
}

static void
fsm_tlf(struct fsm *f)
{
	if (f->cb->finished != NULL)
		f->cb->finished(f);
}

/* --- administrative and lower-layer events (RFC 1661 4.3) --- */

void
fsm_up(struct fsm *f, uint64_t now)
{
	f->now = now;
	switch (f->state) {
	case FSM_INITIAL:
		fsm_enter(f, FSM_CLOSED);
		break;
	case FSM_STARTING:
		fsm_enter(f, FSM_REQSENT);
		fsm_irc(f, f->cfg.max_configure);
		fsm_scr(f);
		break;
	default:
		/* RFC 1661 4.3: cannot happen; ignored. */
		break;
	}
}

void
fsm_down(struct fsm *f, uint64_t now)
{
	f->now = now;
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_CLOSING:
		fsm_enter(f, FSM_INITIAL);
		break;
	case FSM_STOPPED:
		fsm_enter(f, FSM_STARTING);
		fsm_tls(f);
		break;
	case FSM_STOPPING:
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		fsm_enter(f, FSM_STARTING);
		break;
	case FSM_OPENED:
		fsm_enter(f, FSM_STARTING);
		fsm_tld(f);
		break;
	default:
		break;
	}
}

/* No restart option (the r of 3r, 5r, 9r): an Open never bounces the
 * link. */
void
fsm_open(struct fsm *f, uint64_t now)
{
	f->now = now;
	switch (f->state) {
	case FSM_INITIAL:
		fsm_enter(f, FSM_STARTING);
		fsm_tls(f);
		break;
	case FSM_CLOSED:
		fsm_enter(f, FSM_REQSENT);
		fsm_irc(f, f->cfg.max_configure);
		fsm_scr(f);
		break;
	case FSM_CLOSING:
		fsm_enter(f, FSM_STOPPING);
		break;
	default:
		break;
	}
}

void
fsm_close(struct fsm *f, uint64_t now)
{
	f->now = now;
	switch (f->state) {
	case FSM_STARTING:
		fsm_enter(f, FSM_INITIAL);
		fsm_tlf(f);
		break;
	case FSM_STOPPED:
		fsm_enter(f, FSM_CLOSED);
		break;
	case FSM_STOPPING:
		fsm_enter(f, FSM_CLOSING);
		break;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		fsm_enter(f, FSM_CLOSING);
		fsm_irc(f, f->cfg.max_terminate);
		fsm_str(f);
		break;
	case FSM_OPENED:
		fsm_enter(f, FSM_CLOSING);
		fsm_tld(f);
		fsm_irc(f, f->cfg.max_terminate);
		fsm_str(f);
		break;
	default:
		break;
	}
}

/* --- the restart timer (RFC 1661 4.6) --- */

static void
fsm_to_plus(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSING:
	case FSM_STOPPING:
		fsm_str(f);
		break;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
		fsm_enter(f, FSM_REQSENT);
		fsm_scr(f);
		break;
	case FSM_ACKSENT:
		fsm_scr(f);
		break;
	default:
		f->deadline = FSM_NO_DEADLINE;
		break;
	}
}

/* The passive option (RFC 1661 4.2 Stopped): wait for the peer's
 * Configure-Request without This-Layer-Finished. */
static void
fsm_to_minus(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSING:
		fsm_enter(f, FSM_CLOSED);
		fsm_tlf(f);
		break;
	case FSM_STOPPING:
		fsm_enter(f, FSM_STOPPED);
		fsm_tlf(f);
		break;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		fsm_enter(f, FSM_STOPPED);
		if (!f->cfg.passive)
			fsm_tlf(f);
		break;
	default:
		f->deadline = FSM_NO_DEADLINE;
		break;
	}
}

/* Early calls and calls with the timer off do nothing. */
void
fsm_tick(struct fsm *f, uint64_t now)
{
	f->now = now;
	if (f->deadline == FSM_NO_DEADLINE || now < f->deadline)
		return;
	if (f->restart_count > 0)
		fsm_to_plus(f);
	else
		fsm_to_minus(f);
}

/* --- received packets (RFC 1661 4.3, 5) --- */

/*
 * spec/ppp.md 1.10: the protocol's verdict on a Configure-Request, with
 * the Nak or Reject options written into buf.  False to discard: the
 * protocol found it malformed, or the reply would not fit FSM_MAX_PACKET
 * (a request longer than that cannot even be Acked).
 */
static bool
fsm_rcr_verdict(struct fsm *f, const struct ppp_pkt *p, uint8_t *buf,
    size_t cap, struct fsm_reply *r)
{
	bool reject_naks = f->naks_sent >= f->cfg.max_failure;
	struct wr w;

	r->id = p->id;
	r->opts = rd_ptr(&p->data);
	r->len = rd_left(&p->data);
	if (r->len > cap)
		return false;
	wr_init(&w, buf, cap);
	r->code = f->cb->recv_request(f, r->opts, r->len, reject_naks, &w);
	switch (r->code) {
	case FSM_CONFACK:
		return true;
	case FSM_CONFNAK:
	case FSM_CONFREJ:
		if (!wr_ok(&w))
			return false;
		r->opts = buf;
		r->len = wr_len(&w);
		return true;
	default:
		return false;
	}
}

/* RCR+: a Configure-Request we Ack as is. */
static void
fsm_rcr_plus(struct fsm *f, const struct fsm_reply *r)
{
	switch (f->state) {
	case FSM_STOPPED:
		/* spec/ppp.md 1.4: our request goes out before the Ack. */
		fsm_enter(f, FSM_ACKSENT);
		fsm_irc(f, f->cfg.max_configure);
		fsm_scr(f);
		fsm_send_reply(f, r);
		break;
	case FSM_REQSENT:
		fsm_enter(f, FSM_ACKSENT);
		fsm_send_reply(f, r);
		break;
	case FSM_ACKRCVD:
		fsm_enter(f, FSM_OPENED);
		fsm_send_reply(f, r);
		fsm_tlu(f);
		break;
	case FSM_ACKSENT:
		fsm_send_reply(f, r);
		break;
	case FSM_OPENED:
		fsm_enter(f, FSM_ACKSENT);
		fsm_tld(f);
		fsm_scr(f);
		fsm_send_reply(f, r);
		break;
	default:
		break;
	}
}

/* RCR-: a Configure-Request we Nak or Reject. */
static void
fsm_rcr_minus(struct fsm *f, const struct fsm_reply *r)
{
	switch (f->state) {
	case FSM_STOPPED:
		fsm_enter(f, FSM_REQSENT);
		fsm_irc(f, f->cfg.max_configure);
		fsm_scr(f);
		fsm_send_reply(f, r);
		break;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
		/* Trap 20: Ack-Rcvd stays in Ack-Rcvd. */
		fsm_send_reply(f, r);
		break;
	case FSM_ACKSENT:
		fsm_enter(f, FSM_REQSENT);
		fsm_send_reply(f, r);
		break;
	case FSM_OPENED:
		fsm_enter(f, FSM_REQSENT);
		fsm_tld(f);
		fsm_scr(f);
		fsm_send_reply(f, r);
		break;
	default:
		break;
	}
}

/* Closed answers with Terminate-Ack; Closing and Stopping ignore it
 * without asking the protocol. */
static void
fsm_rcr(struct fsm *f, const struct ppp_pkt *p)
{
	uint8_t buf[FSM_MAX_DATA];
	struct fsm_reply r;

	switch (f->state) {
	case FSM_CLOSED:
		fsm_sta(f, p->id);
		return;
	case FSM_STOPPED:
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
	case FSM_OPENED:
		break;
	default:
		return;
	}
	if (!fsm_rcr_verdict(f, p, buf, sizeof(buf), &r))
		return;
	if (r.code == FSM_CONFACK)
		fsm_rcr_plus(f, &r);
	else
		fsm_rcr_minus(f, &r);
}

/*
 * spec/ppp.md 1.8: an Ack, Nak or Reject counts only with the Id of our
 * last Configure-Request (trap 1) and when the protocol finds it valid
 * (trap 3); anything else is discarded silently.
 */
static bool
fsm_reply_valid(struct fsm *f, const struct ppp_pkt *p)
{
	const uint8_t *opts = rd_ptr(&p->data);
	size_t len = rd_left(&p->data);

	bool ok;

	/*
	 * Only the first answer to a request counts (pppd's seen_ack): a
	 * duplicated Ack would otherwise restart an Opened layer, and a link
	 * whose every frame is doubled would never settle.
	 */
	if (p->id != f->req_id || f->req_answered)
		return false;
	switch (p->code) {
	case FSM_CONFACK:
		ok = f->cb->recv_ack(f, opts, len);
		break;
	case FSM_CONFNAK:
		ok = f->cb->recv_nak(f, opts, len);
		break;
	default:
		ok = f->cb->recv_reject(f, opts, len);
		break;
	}
	f->req_answered = ok;
	return ok;
}

/* RCA; in Ack-Rcvd and Opened a second Ack is a crossed connection. */
static void
fsm_rca(struct fsm *f)
{
	switch (f->state) {
	case FSM_REQSENT:
		fsm_enter(f, FSM_ACKRCVD);
		fsm_irc(f, f->cfg.max_configure);
		break;
	case FSM_ACKRCVD:
		fsm_enter(f, FSM_REQSENT);
		fsm_scr(f);
		break;
	case FSM_ACKSENT:
		/* irc: the count only, the timer stays off in Opened. */
		fsm_enter(f, FSM_OPENED);
		f->restart_count = f->cfg.max_configure;
		fsm_tlu(f);
		break;
	case FSM_OPENED:
		fsm_enter(f, FSM_REQSENT);
		fsm_tld(f);
		fsm_scr(f);
		break;
	default:
		break;
	}
}

/* RCN: Nak or Reject; the protocol has already adjusted its request. */
static void
fsm_rcn(struct fsm *f)
{
	switch (f->state) {
	case FSM_REQSENT:
		fsm_irc(f, f->cfg.max_configure);
		fsm_scr(f);
		break;
	case FSM_ACKRCVD:
		fsm_enter(f, FSM_REQSENT);
		fsm_scr(f);
		break;
	case FSM_ACKSENT:
		fsm_irc(f, f->cfg.max_configure);
		fsm_scr(f);
		break;
	case FSM_OPENED:
		fsm_enter(f, FSM_REQSENT);
		fsm_tld(f);
		fsm_scr(f);
		break;
	default:
		break;
	}
}

/* Configure-Ack, -Nak or -Reject received: Closed and Stopped answer with
 * Terminate-Ack, Closing and Stopping ignore it. */
static void
fsm_rconf_reply(struct fsm *f, const struct ppp_pkt *p)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
		fsm_sta(f, p->id);
		return;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
	case FSM_OPENED:
		break;
	default:
		return;
	}
	if (!fsm_reply_valid(f, p))
		return;
	if (p->code == FSM_CONFACK)
		fsm_rca(f);
	else
		fsm_rcn(f);
}

/* RTR: the Terminate-Ack copies the request's Id. */
static void
fsm_rtr(struct fsm *f, uint8_t id)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
	case FSM_CLOSING:
	case FSM_STOPPING:
		fsm_sta(f, id);
		break;
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		fsm_enter(f, FSM_REQSENT);
		fsm_sta(f, id);
		break;
	case FSM_OPENED:
		/* Trap 19: wait one Restart period before tlf. */
		fsm_enter(f, FSM_STOPPING);
		fsm_tld(f);
		fsm_zrc(f);
		fsm_sta(f, id);
		break;
	default:
		break;
	}
}

/* RTA, whatever its Id (spec/ppp.md 1.8, as pppd). */
static void
fsm_rta(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSING:
		fsm_enter(f, FSM_CLOSED);
		fsm_tlf(f);
		break;
	case FSM_STOPPING:
		fsm_enter(f, FSM_STOPPED);
		fsm_tlf(f);
		break;
	case FSM_ACKRCVD:
		fsm_enter(f, FSM_REQSENT);
		break;
	case FSM_OPENED:
		fsm_enter(f, FSM_REQSENT);
		fsm_tld(f);
		fsm_scr(f);
		break;
	default:
		break;
	}
}

/* RUC: a Code-Reject with a fresh Id carrying the packet from its Code
 * on, cut to FSM_MAX_PACKET by fsm_send_packet (RFC 1661 5.6). */
static void
fsm_ruc(struct fsm *f, const uint8_t *pkt, size_t len)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
	case FSM_CLOSING:
	case FSM_STOPPING:
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
	case FSM_OPENED:
		fsm_send_packet(f, FSM_CODEREJ, fsm_next_id(f), pkt, len);
		break;
	default:
		break;
	}
}

/* RXJ-, also for a fatal Protocol-Reject (spec/ppp.md 1.6). */
void
fsm_rxj_minus(struct fsm *f, uint64_t now)
{
	f->now = now;
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_CLOSING:
		fsm_enter(f, FSM_CLOSED);
		fsm_tlf(f);
		break;
	case FSM_STOPPED:
	case FSM_STOPPING:
	case FSM_REQSENT:
	case FSM_ACKRCVD:
	case FSM_ACKSENT:
		fsm_enter(f, FSM_STOPPED);
		fsm_tlf(f);
		break;
	case FSM_OPENED:
		fsm_enter(f, FSM_STOPPING);
		fsm_tld(f);
		fsm_irc(f, f->cfg.max_terminate);
		fsm_str(f);
		break;
	default:
		break;
	}
}

/* RXJ+: the rejected code was optional; only Ack-Rcvd moves. */
static void
fsm_rxj_plus(struct fsm *f)
{
	switch (f->state) {
	case FSM_ACKRCVD:
		fsm_enter(f, FSM_REQSENT);
		break;
	default:
		break;
	}
}

/* Code-Reject received (trap 7): the protocol says how bad it is. */
static void
fsm_rxj(struct fsm *f, const struct ppp_pkt *p)
{
	struct rd data = p->data;
	uint8_t code;
	bool tolerable;

	if (!rd_u8(&data, &code))
		return;
	if (f->cb->code_rejected != NULL)
		tolerable = f->cb->code_rejected(f, code);
	else
		tolerable = code < FSM_CONFREQ || code > FSM_CODEREJ;
	if (tolerable)
		fsm_rxj_plus(f);
	else
		fsm_rxj_minus(f, f->now);
}

/*
 * Nothing arrives while the lower layer is down (Initial, Starting).  A
 * code above 7 goes to the protocol first; extcode is the last use of f
 * when it returns true, so it may re-enter the automaton.
 */
void
fsm_input(struct fsm *f, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct ppp_pkt p;
	struct rd r;

	f->now = now;
	if (f->state < FSM_CLOSED)
		return;
	rd_init(&r, pkt, len);
	if (ppp_pkt_decode(&r, &p) != PPP_OK)
		return;
	switch (p.code) {
	case FSM_CONFREQ:
		fsm_rcr(f, &p);
		break;
	case FSM_CONFACK:
	case FSM_CONFNAK:
	case FSM_CONFREJ:
		fsm_rconf_reply(f, &p);
		break;
	case FSM_TERMREQ:
		fsm_rtr(f, p.id);
		break;
	case FSM_TERMACK:
		fsm_rta(f);
		break;
	case FSM_CODEREJ:
		fsm_rxj(f, &p);
		break;
	default:
		if (p.code > FSM_CODEREJ && f->cb->extcode != NULL &&
		    f->cb->extcode(
			f, p.code, p.id, rd_ptr(&p.data), rd_left(&p.data)))
			break;
		fsm_ruc(f, pkt, PPP_PKT_HDR_LEN + rd_left(&p.data));
		break;
	}
}

size_t
fsm_request_options(struct fsm *f, uint8_t *buf, size_t cap)
{
	struct wr w;

	wr_init(&w, buf, cap);
	f->cb->build_request(f, &w);
	return wr_len(&w);
}

bool
fsm_ack_matches(struct fsm *f, const uint8_t *opts, size_t len)
{
	uint8_t buf[FSM_MAX_DATA];

	return fsm_request_options(f, buf, sizeof(buf)) == len &&
	    memcmp(buf, opts, len) == 0;
}

#include "ppp/lcp.h"

#include <string.h>

#include "ppp/ppp_frame.h"
#include "ppp/ppp_options.h"

void
lcp_config_default(struct lcp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	fsm_config_default(&cfg->fsm);
	cfg->mru = LCP_MRU_DEFAULT;
	cfg->magic = true;
	cfg->echo_interval_ms = 30000;
	cfg->echo_failures = 4;
	cfg->loopback_fail = 10;
}

size_t
lcp_auth_encode(enum ppp_auth_method m, uint8_t out[3])
{
	switch (m) {
	case PPP_AUTH_PAP:
		out[0] = 0xc0, out[1] = 0x23;
		return 2;
	case PPP_AUTH_CHAP_MD5:
		out[0] = 0xc2, out[1] = 0x23, out[2] = 0x05;
		return 3;
	case PPP_AUTH_MSCHAPV2:
		out[0] = 0xc2, out[1] = 0x23, out[2] = 0x81;
		return 3;
	case PPP_AUTH_EAP:
		out[0] = 0xc2, out[1] = 0x27;
		return 2;
	default:
		return 0;
	}
}

/* spec/ppp.md 2: the Authentication-Protocol values we know. */
enum ppp_auth_method
lcp_auth_decode(const uint8_t *val, size_t len)
{
	if (len == 2 && val[0] == 0xc0 && val[1] == 0x23)
		return PPP_AUTH_PAP;
	if (len == 2 && val[0] == 0xc2 && val[1] == 0x27)
		return PPP_AUTH_EAP;
	if (len == 3 && val[0] == 0xc2 && val[1] == 0x23 && val[2] == 0x05)
		return PPP_AUTH_CHAP_MD5;
	if (len == 3 && val[0] == 0xc2 && val[1] == 0x23 && val[2] == 0x81)
		return PPP_AUTH_MSCHAPV2;
	return PPP_AUTH_NONE;
}

const char *
ppp_auth_name(enum ppp_auth_method m)
{
	static const char *const names[] = { "none", "pap", "chap-md5",
		"mschapv2", "eap" };

	return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m]
							      : "unknown";
}

static struct lcp *
lcp_of(struct fsm *f)
{
	return f->arg;
}

static uint32_t
lcp_new_magic(struct lcp *l)
{
	uint32_t m = 0;

	while (m == 0 || m == l->magic || m == l->peer_magic)
		if (!l->ops->random(l->arg, &m, sizeof(m)))
			m ^= 0x5a5a5a5b; /* never 0: loop ends */
	return m;
}

static bool
lcp_authenticator(const struct lcp *l)
{
	return l->cfg->nrequire > 0;
}

/*
 * The method asked for.  Once the peer has refused them all, the link is
 * closing, but the automaton still answers the last Nak with one more
 * Configure-Request: it asks for the last method again, never for none,
 * or a peer could Ack a link without authentication.
 */
static enum ppp_auth_method
lcp_auth_asked(const struct lcp *l)
{
	size_t i =
	    l->auth_idx < l->cfg->nrequire ? l->auth_idx : l->cfg->nrequire - 1;

	return l->cfg->require[i];
}

static void
lcp_build_request(struct fsm *f, struct wr *w)
{
	struct lcp *l = lcp_of(f);
	uint8_t auth[3];
	size_t n;

	if (!l->mru_rejected)
		ppp_opt_put_u16(w, LCP_OPT_MRU, l->want_mru);
	if (lcp_authenticator(l)) {
		n = lcp_auth_encode(lcp_auth_asked(l), auth);
		ppp_opt_put(w, LCP_OPT_AUTH, auth, n);
	}
	if (l->cfg->magic && !l->magic_rejected)
		ppp_opt_put_u32(w, LCP_OPT_MAGIC, l->magic);
}

/* spec/ppp.md 1.8: an Ack lists exactly our options. */
static bool
lcp_recv_ack(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct lcp *l = lcp_of(f);

	if (!fsm_ack_matches(f, opts, len))
		return false;
	l->auth = lcp_authenticator(l) ? lcp_auth_asked(l) : l->auth;
	if (l->magic_rejected || !l->cfg->magic)
		l->magic = 0;
	return true;
}

/* The authenticator's next method after a Nak (spec/ppp.md 2 rules). */
static void
lcp_auth_naked(struct lcp *l, enum ppp_auth_method suggested)
{
	size_t i;

	for (i = 0; i < l->cfg->nrequire; i++) {
		if (l->cfg->require[i] == suggested) {
			l->auth_idx = i;
			return;
		}
	}
	l->auth_idx++; /* past the end: refused, see lcp_recv_nak */
}

static bool
lcp_recv_nak(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct lcp *l = lcp_of(f);
	struct ppp_opt o;
	uint16_t mru;
	uint32_t magic;
	struct rd r;

	if (!ppp_opts_valid(opts, len))
		return false;
	rd_init(&r, opts, len);
	while (ppp_opt_next(&r, &o) == PPP_OK) {
		switch (o.type) {
		case LCP_OPT_MRU:
			if (ppp_opt_u16(&o, &mru) && mru >= LCP_MRU_MIN &&
			    mru <= LCP_MRU_MAX)
				l->want_mru = mru;
			break;
		case LCP_OPT_MAGIC:
			/* 1.9: a Nak of our magic: pick a new random one. */
			if (ppp_opt_u32(&o, &magic))
				l->magic = lcp_new_magic(l);
			break;
		case LCP_OPT_AUTH:
			if (lcp_authenticator(l))
				lcp_auth_naked(l,
				    lcp_auth_decode(
					rd_ptr(&o.val), rd_left(&o.val)));
			break;
		default:
			break; /* options we did not send: ignored */
		}
	}
	/* Closed by lcp_input once the automaton is done with the Nak. */
	if (lcp_authenticator(l) && l->auth_idx >= l->cfg->nrequire) {
		l->reason = PPP_E_AUTH_REFUSED;
		l->close_pending = true;
	}
	return true;
}

/* spec/ppp.md 1.8: a Reject holds only options we sent, unmodified. */
static bool
lcp_recv_reject(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct lcp *l = lcp_of(f);
	uint8_t buf[64];
	struct ppp_opt o, mine;
	struct rd r, sent;
	size_t n;
	bool found;

	if (!ppp_opts_valid(opts, len))
		return false;
	n = fsm_request_options(f, buf, sizeof(buf));
	rd_init(&r, opts, len);
	while (ppp_opt_next(&r, &o) == PPP_OK) {
		found = false;
		rd_init(&sent, buf, n);
		while (!found && ppp_opt_next(&sent, &mine) == PPP_OK)
			found = mine.len == o.len &&
			    memcmp(mine.raw, o.raw, o.len) == 0;
		if (!found)
			return false;
	}
	rd_init(&r, opts, len);
	while (ppp_opt_next(&r, &o) == PPP_OK) {
		if (o.type == LCP_OPT_MRU)
			l->mru_rejected = true;
		else if (o.type == LCP_OPT_MAGIC)
			l->magic_rejected = true; /* SoftEther does */
		else if (o.type == LCP_OPT_AUTH) {
			/* The peer will not authenticate at all. */
			l->reason = PPP_E_AUTH_REFUSED;
			l->close_pending = true;
		}
	}
	return true;
}

/* MRU: 576..4091 (spec/ppp.md 2, trap 16). */
static void
lcp_req_mru(struct lcp *l, const struct ppp_opt *o, struct ppp_reply *rp)
{
	uint16_t mru;

	if (!ppp_opt_u16(o, &mru)) {
		ppp_opt_copy(&rp->rej, o);
		return;
	}
	if (mru > LCP_MRU_MAX)
		ppp_opt_put_u16(&rp->nak, LCP_OPT_MRU, LCP_MRU_MAX);
	else if (mru < LCP_MRU_MIN)
		ppp_opt_put_u16(&rp->nak, LCP_OPT_MRU, LCP_MRU_MIN);
	else
		l->peer_mru = mru;
}

/* spec/ppp.md 1.9, trap 4: 0 or our own magic is never Acked. */
static void
lcp_req_magic(struct lcp *l, const struct ppp_opt *o, struct ppp_reply *rp)
{
	uint32_t magic;

	if (!ppp_opt_u32(o, &magic)) {
		ppp_opt_copy(&rp->rej, o);
		return;
	}
	if (magic != 0 && (magic != l->magic || l->magic == 0)) {
		l->peer_magic = magic;
		return;
	}
	if (magic != 0) {
		/* Our own magic came back: a loop, or bad luck. */
		l->loops++;
		l->magic = lcp_new_magic(l);
	}
	ppp_opt_put_u32(&rp->nak, LCP_OPT_MAGIC, lcp_new_magic(l));
}

/*
 * Only the authenticator asks for a method (spec/ppp.md 2): as the peer we
 * Ack a method we accept or Nak with the one we prefer; as the
 * authenticator, or a peer that authenticates with nothing, we Reject.
 */
static void
lcp_req_auth(struct lcp *l, const struct ppp_opt *o, struct ppp_reply *rp)
{
	enum ppp_auth_method m =
	    lcp_auth_decode(rd_ptr(&o->val), rd_left(&o->val));
	uint8_t pref[3];
	size_t i, n;

	if (lcp_authenticator(l) || l->cfg->naccept == 0) {
		ppp_opt_copy(&rp->rej, o);
		return;
	}
	for (i = 0; i < l->cfg->naccept; i++) {
		if (m != PPP_AUTH_NONE && l->cfg->accept[i] == m) {
			l->auth = m;
			return;
		}
	}
	n = lcp_auth_encode(l->cfg->accept[0], pref);
	ppp_opt_put(&rp->nak, LCP_OPT_AUTH, pref, n);
	l->auth_naked = true;
}

static int
lcp_recv_request(struct fsm *f, const uint8_t *opts, size_t len,
    bool reject_naks, struct wr *reply)
{
	struct lcp *l = lcp_of(f);
	struct ppp_reply rp;
	struct ppp_opt o;
	uint32_t accm;
	struct rd r;

	/* Trap 5: an option list that does not parse is discarded. */
	if (!ppp_opts_valid(opts, len))
		return 0;
	ppp_reply_init(&rp, reject_naks);
	/* RFC 1661 6: options absent take their defaults. */
	l->peer_mru = LCP_MRU_DEFAULT;
	l->peer_magic = 0;
	l->peer_accm = 0xffffffff;
	if (!lcp_authenticator(l))
		l->auth = PPP_AUTH_NONE;
	rd_init(&r, opts, len);
	while (ppp_opt_next(&r, &o) == PPP_OK) {
		if (!ppp_reply_begin(&rp, &o))
			continue;
		switch (o.type) {
		case LCP_OPT_MRU:
			lcp_req_mru(l, &o, &rp);
			break;
		case LCP_OPT_ACCM:
			/* Meaningful for HDLC only: Ack any map, keep it. */
			if (ppp_opt_u32(&o, &accm))
				l->peer_accm = accm;
			else
				ppp_opt_copy(&rp.rej, &o);
			break;
		case LCP_OPT_AUTH:
			lcp_req_auth(l, &o, &rp);
			break;
		case LCP_OPT_MAGIC:
			lcp_req_magic(l, &o, &rp);
			break;
		default:
			/* PFC, ACFC, callback, MRRU, endpoint, unknown. */
			ppp_opt_copy(&rp.rej, &o);
			break;
		}
		ppp_reply_end(&rp, &o);
	}
	return ppp_reply_finish(&rp, reply);
}

static void
lcp_echo_arm(struct lcp *l)
{
	l->echo_pending = 0;
	l->echo_deadline = l->cfg->echo_interval_ms > 0 && !l->echo_rejected
	    ? l->fsm.now + l->cfg->echo_interval_ms
	    : FSM_NO_DEADLINE;
}

static void
lcp_up(struct fsm *f)
{
	struct lcp *l = lcp_of(f);

	l->loops = 0;
	lcp_echo_arm(l);
	l->ops->up(l->arg);
}

static void
lcp_down(struct fsm *f)
{
	struct lcp *l = lcp_of(f);

	l->echo_deadline = FSM_NO_DEADLINE;
	l->ops->down(l->arg);
}

static void
lcp_started(struct fsm *f)
{
	(void)f; /* over SSTP the lower layer is always there */
}

static void
lcp_finished(struct fsm *f)
{
	struct lcp *l = lcp_of(f);

	l->ops->finished(
	    l->arg, l->reason != PPP_OK ? l->reason : PPP_E_NEGOTIATION);
}

/* Echo-Reply: our magic, the peer's data, at most the peer's MRU. */
static void
lcp_echo_reply(struct lcp *l, uint8_t id, const uint8_t *data, size_t len)
{
	uint8_t buf[FSM_MAX_PACKET];
	size_t max = l->peer_mru < sizeof(buf) ? l->peer_mru : sizeof(buf);
	struct wr w;

	if (len < 4)
		return;
	wr_init(&w, buf, sizeof(buf));
	wr_u32(&w, l->magic);
	/* Trap 18: never larger than the peer's MRU. */
	if (len > max - PPP_PKT_HDR_LEN)
		len = max - PPP_PKT_HDR_LEN;
	wr_bytes(&w, data + 4, len - 4);
	fsm_send_packet(&l->fsm, LCP_ECHOREP, id, buf, wr_len(&w));
}

static bool
lcp_magic_looped(struct lcp *l, const uint8_t *data, size_t len)
{
	uint32_t m;
	struct rd r;

	rd_init(&r, data, len);
	return rd_u32(&r, &m) && m != 0 && m == l->magic;
}

static bool
lcp_extcode(
    struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	struct lcp *l = lcp_of(f);
	uint16_t proto;
	struct rd r;

	if (code < LCP_PROTREJ || code > LCP_TIMEREM)
		return false; /* RUC: Code-Reject */
	/* RFC 1661 5.7-5.9: only in Opened; elsewhere discarded. */
	if (f->state != FSM_OPENED)
		return true;
	switch (code) {
	case LCP_PROTREJ:
		rd_init(&r, data, len);
		if (!rd_u16(&r, &proto))
			break;
		if (proto == PPP_PROTO_LCP)
			fsm_rxj_minus(f, f->now);
		else
			l->ops->protocol_rejected(l->arg, proto);
		break;
	case LCP_ECHOREQ:
		if (lcp_magic_looped(l, data, len))
			l->loops++;
		else
			lcp_echo_reply(l, id, data, len);
		break;
	case LCP_ECHOREP:
		if (!lcp_magic_looped(l, data, len))
			l->echo_pending = 0;
		break;
	default:
		break; /* Discard, Identification (Windows), Time-Remaining */
	}
	return true;
}

static bool
lcp_code_rejected(struct fsm *f, uint8_t code)
{
	struct lcp *l = lcp_of(f);

	if (code == LCP_ECHOREQ) {
		l->echo_rejected = true; /* RXJ+: no more keepalive */
		l->echo_deadline = FSM_NO_DEADLINE;
	}
	return code > FSM_CODEREJ;
}

static void
lcp_send(struct fsm *f, const uint8_t *pkt, size_t len)
{
	struct lcp *l = lcp_of(f);

	l->ops->send(l->arg, pkt, len);
}

static const struct fsm_callbacks lcp_callbacks = {
	.build_request = lcp_build_request,
	.recv_ack = lcp_recv_ack,
	.recv_nak = lcp_recv_nak,
	.recv_reject = lcp_recv_reject,
	.recv_request = lcp_recv_request,
	.up = lcp_up,
	.down = lcp_down,
	.started = lcp_started,
	.finished = lcp_finished,
	.extcode = lcp_extcode,
	.code_rejected = lcp_code_rejected,
	.send = lcp_send,
};

void
lcp_init(struct lcp *l, const struct lcp_config *cfg, const struct lcp_ops *ops,
    void *arg)
{
	memset(l, 0, sizeof(*l));
	l->cfg = cfg;
	l->ops = ops;
	l->arg = arg;
	l->want_mru = cfg->mru;
	l->peer_mru = LCP_MRU_DEFAULT;
	l->peer_accm = 0xffffffff;
	l->echo_deadline = FSM_NO_DEADLINE;
	fsm_init(&l->fsm, &lcp_callbacks, &cfg->fsm, l);
	if (cfg->magic)
		l->magic = lcp_new_magic(l);
}

/* Whatever a packet or timer decided: close on refusal or a loop. */
static void
lcp_after(struct lcp *l, uint64_t now)
{
	if (l->loops >= l->cfg->loopback_fail && !l->close_pending) {
		l->reason = PPP_E_LOOPBACK;
		l->close_pending = true;
	}
	if (l->close_pending) {
		l->close_pending = false;
		fsm_close(&l->fsm, now);
	}
}

void
lcp_lower_up(struct lcp *l, uint64_t now)
{
	fsm_up(&l->fsm, now);
}

void
lcp_lower_down(struct lcp *l, uint64_t now)
{
	if (l->reason == PPP_OK)
		l->reason = PPP_E_LOWER_DOWN;
	l->echo_deadline = FSM_NO_DEADLINE;
	fsm_down(&l->fsm, now);
}

void
lcp_open(struct lcp *l, uint64_t now)
{
	fsm_open(&l->fsm, now);
}

void
lcp_close(struct lcp *l, enum ppp_err reason, uint64_t now)
{
	if (l->reason == PPP_OK)
		l->reason = reason;
	fsm_close(&l->fsm, now);
}

void
lcp_input(struct lcp *l, const uint8_t *pkt, size_t len, uint64_t now)
{
	/*
	 * A Terminate-Request from the peer names the reason; before LCP
	 * opened, after we Naked its method, it means no method in common.
	 */
	if (len > 0 && pkt[0] == FSM_TERMREQ && l->reason == PPP_OK)
		l->reason = l->auth_naked && !lcp_is_opened(l)
		    ? PPP_E_AUTH_REFUSED
		    : PPP_E_PEER_TERMINATE;
	fsm_input(&l->fsm, pkt, len, now);
	lcp_after(l, now);
}

void
lcp_tick(struct lcp *l, uint64_t now)
{
	uint8_t magic[4];

	if (now >= fsm_deadline(&l->fsm))
		fsm_tick(&l->fsm, now);
	if (now < l->echo_deadline || l->fsm.state != FSM_OPENED)
		return;
	if (l->echo_pending >= l->cfg->echo_failures) {
		l->reason = PPP_E_ECHO_TIMEOUT;
		fsm_close(&l->fsm, now);
		return;
	}
	magic[0] = (uint8_t)(l->magic >> 24);
	magic[1] = (uint8_t)(l->magic >> 16);
	magic[2] = (uint8_t)(l->magic >> 8);
	magic[3] = (uint8_t)l->magic;
	fsm_send_packet(
	    &l->fsm, LCP_ECHOREQ, fsm_next_id(&l->fsm), magic, sizeof(magic));
	l->echo_pending++;
	l->echo_deadline = now + l->cfg->echo_interval_ms;
}

uint64_t
lcp_deadline(const struct lcp *l)
{
	uint64_t d = fsm_deadline(&l->fsm);

	return l->echo_deadline < d ? l->echo_deadline : d;
}

void
lcp_protocol_reject(
    struct lcp *l, uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t buf[FSM_MAX_PACKET];
	size_t max = l->peer_mru < sizeof(buf) ? l->peer_mru : sizeof(buf);
	struct wr w;

	/* RFC 1661 5.7: only while LCP is Opened (trap 6). */
	if (l->fsm.state != FSM_OPENED || proto == PPP_PROTO_LCP)
		return;
	if (len > max - PPP_PKT_HDR_LEN - 2)
		len = max - PPP_PKT_HDR_LEN - 2;
	wr_init(&w, buf, sizeof(buf));
	wr_u16(&w, proto);
	wr_bytes(&w, info, len);
	fsm_send_packet(
	    &l->fsm, LCP_PROTREJ, fsm_next_id(&l->fsm), buf, wr_len(&w));
}

bool
lcp_is_opened(const struct lcp *l)
{
	return l->fsm.state == FSM_OPENED;
}

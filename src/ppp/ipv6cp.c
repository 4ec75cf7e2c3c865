#include "ppp/ipv6cp.h"

#include <string.h>

#include "ppp/ppp_options.h"

static const uint8_t zero_iid[IPV6CP_IID_LEN];

void
ipv6cp_config_default(struct ipv6cp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	fsm_config_default(&cfg->fsm);
}

static struct ipv6cp *
ipv6cp_of(struct fsm *f)
{
	return f->arg;
}

/* A random identifier, non-zero and different from avoid. */
static void
ipv6cp_random_iid(struct ipv6cp *p, const uint8_t *avoid, uint8_t *out)
{
	unsigned tries = 0;

	do {
		if (!p->ops->random(p->arg, out, IPV6CP_IID_LEN) ||
		    ++tries > 8) {
			/* No randomness: a fixed value that differs. */
			memset(out, 0, IPV6CP_IID_LEN);
			out[7] = (uint8_t)(avoid[7] + 1);
			out[0] = 0x02;
		}
	} while (memcmp(out, zero_iid, IPV6CP_IID_LEN) == 0 ||
	    memcmp(out, avoid, IPV6CP_IID_LEN) == 0);
}

static void
ipv6cp_suggest(struct ipv6cp *p, uint8_t *out)
{
	if (p->ops->suggest_iid == NULL ||
	    !p->ops->suggest_iid(p->arg, p->local, out))
		ipv6cp_random_iid(p, p->local, out);
}

static void
ipv6cp_build_request(struct fsm *f, struct wr *w)
{
	struct ipv6cp *p = ipv6cp_of(f);

	if (!p->iid_rejected)
		ppp_opt_put(w, IPV6CP_OPT_IFACE_ID, p->local, IPV6CP_IID_LEN);
}

/* RFC 5072 4.1: adopt a usable suggestion, else pick anew. */
static bool
ipv6cp_recv_nak(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipv6cp *p = ipv6cp_of(f);
	struct ppp_opt o;
	struct rd r;

	if (!ppp_opts_valid(opts, len))
		return false;
	rd_init(&r, opts, len);
	while (ppp_opt_next(&r, &o) == PPP_OK) {
		if (o.type != IPV6CP_OPT_IFACE_ID ||
		    rd_left(&o.val) != IPV6CP_IID_LEN)
			continue;
		if (memcmp(rd_ptr(&o.val), zero_iid, IPV6CP_IID_LEN) != 0 &&
		    memcmp(rd_ptr(&o.val), p->peer, IPV6CP_IID_LEN) != 0)
			memcpy(p->local, rd_ptr(&o.val), IPV6CP_IID_LEN);
		else
			ipv6cp_random_iid(p, p->peer, p->local);
	}
	return true;
}

static bool
ipv6cp_recv_reject(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipv6cp *p = ipv6cp_of(f);
	struct ppp_opt o;
	struct rd r;

	if (!ppp_opts_valid(opts, len))
		return false;
	rd_init(&r, opts, len);
	while (ppp_opt_next(&r, &o) == PPP_OK) {
		if (o.type != IPV6CP_OPT_IFACE_ID)
			return false;
		p->iid_rejected = true;
	}
	return true;
}

static void
ipv6cp_iid_option(
    struct ipv6cp *p, const struct ppp_opt *o, struct ppp_reply *rp)
{
	uint8_t sugg[IPV6CP_IID_LEN];
	const uint8_t *iid = rd_ptr(&o->val);

	if (rd_left(&o->val) != IPV6CP_IID_LEN) {
		ppp_opt_copy(&rp->rej, o);
		return;
	}
	if (memcmp(iid, zero_iid, IPV6CP_IID_LEN) != 0 &&
	    memcmp(iid, p->local, IPV6CP_IID_LEN) != 0) {
		memcpy(p->peer, iid, IPV6CP_IID_LEN);
		return;
	}
	/* Zero, or a collision with ours: suggest another (spec 9). */
	ipv6cp_suggest(p, sugg);
	ppp_opt_put(&rp->nak, IPV6CP_OPT_IFACE_ID, sugg, IPV6CP_IID_LEN);
}

static int
ipv6cp_recv_request(struct fsm *f, const uint8_t *opts, size_t len,
    bool reject_naks, struct wr *reply)
{
	struct ipv6cp *p = ipv6cp_of(f);
	struct ppp_reply rp;
	struct ppp_opt o;
	struct rd r;

	if (!ppp_opts_valid(opts, len))
		return 0;
	ppp_reply_init(&rp, reject_naks);
	rd_init(&r, opts, len);
	while (ppp_opt_next(&r, &o) == PPP_OK) {
		if (!ppp_reply_begin(&rp, &o))
			continue;
		if (o.type == IPV6CP_OPT_IFACE_ID)
			ipv6cp_iid_option(p, &o, &rp);
		else
			ppp_opt_copy(&rp.rej, &o); /* compression, unknown */
		ppp_reply_end(&rp, &o);
	}
	return ppp_reply_finish(&rp, reply);
}

static void
ipv6cp_up(struct fsm *f)
{
	struct ipv6cp *p = ipv6cp_of(f);

	p->ops->up(p->arg);
}

static void
ipv6cp_down(struct fsm *f)
{
	struct ipv6cp *p = ipv6cp_of(f);

	p->ops->down(p->arg);
}

static void
ipv6cp_started(struct fsm *f)
{
	(void)f;
}

static void
ipv6cp_finished(struct fsm *f)
{
	struct ipv6cp *p = ipv6cp_of(f);

	p->ops->finished(p->arg, PPP_E_NEGOTIATION);
}

static void
ipv6cp_send(struct fsm *f, const uint8_t *pkt, size_t len)
{
	struct ipv6cp *p = ipv6cp_of(f);

	p->ops->send(p->arg, pkt, len);
}

static const struct fsm_callbacks ipv6cp_callbacks = {
	.build_request = ipv6cp_build_request,
	.recv_ack = fsm_ack_matches,
	.recv_nak = ipv6cp_recv_nak,
	.recv_reject = ipv6cp_recv_reject,
	.recv_request = ipv6cp_recv_request,
	.up = ipv6cp_up,
	.down = ipv6cp_down,
	.started = ipv6cp_started,
	.finished = ipv6cp_finished,
	.send = ipv6cp_send,
};

void
ipv6cp_init(struct ipv6cp *p, const struct ipv6cp_config *cfg,
    const struct ipv6cp_ops *ops, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->cfg = cfg;
	p->ops = ops;
	p->arg = arg;
	if (memcmp(cfg->iid, zero_iid, IPV6CP_IID_LEN) != 0)
		memcpy(p->local, cfg->iid, IPV6CP_IID_LEN);
	else
		ipv6cp_random_iid(p, zero_iid, p->local);
	fsm_init(&p->fsm, &ipv6cp_callbacks, &cfg->fsm, p);
}

void
ipv6cp_lower_up(struct ipv6cp *p, uint64_t now)
{
	fsm_up(&p->fsm, now);
}

void
ipv6cp_lower_down(struct ipv6cp *p, uint64_t now)
{
	fsm_down(&p->fsm, now);
}

void
ipv6cp_open(struct ipv6cp *p, uint64_t now)
{
	fsm_open(&p->fsm, now);
}

void
ipv6cp_close(struct ipv6cp *p, uint64_t now)
{
	fsm_close(&p->fsm, now);
}

void
ipv6cp_input(struct ipv6cp *p, const uint8_t *pkt, size_t len, uint64_t now)
{
	fsm_input(&p->fsm, pkt, len, now);
}

void
ipv6cp_tick(struct ipv6cp *p, uint64_t now)
{
	if (now >= fsm_deadline(&p->fsm))
		fsm_tick(&p->fsm, now);
}

uint64_t
ipv6cp_deadline(const struct ipv6cp *p)
{
	return fsm_deadline(&p->fsm);
}

bool
ipv6cp_is_opened(const struct ipv6cp *p)
{
	return p->fsm.state == FSM_OPENED;
}

#include "ppp/ipcp.h"

#include <string.h>

#include "ppp/ppp_options.h"

/* Bits of ipcp.rejected, client side. */
#define REJ_ADDRESS 0x01
#define REJ_DNS1    0x02
#define REJ_DNS2    0x04
#define REJ_NBNS1   0x08
#define REJ_NBNS2   0x10

void
ipcp_config_default(struct ipcp_config *cfg, bool server)
{
	memset(cfg, 0, sizeof(*cfg));
	fsm_config_default(&cfg->fsm);
	cfg->server = server;
	cfg->want_dns = true;
}

static struct ipcp *
ipcp_of(struct fsm *f)
{
	return f->arg;
}

/* The client's options: each with what it holds so far (0 = give me). */
static void
ipcp_build_request(struct fsm *f, struct wr *w)
{
	struct ipcp *p = ipcp_of(f);

	if (p->cfg->server) {
		if (!(p->rejected & REJ_ADDRESS))
			ppp_opt_put_u32(w, IPCP_OPT_ADDRESS, p->local);
		return;
	}
	ppp_opt_put_u32(w, IPCP_OPT_ADDRESS, p->local);
	if (p->cfg->want_dns && !(p->rejected & REJ_DNS1))
		ppp_opt_put_u32(w, IPCP_OPT_DNS1, p->dns[0]);
	if (p->cfg->want_nbns && !(p->rejected & REJ_NBNS1))
		ppp_opt_put_u32(w, IPCP_OPT_NBNS1, p->nbns[0]);
	if (p->cfg->want_dns && !(p->rejected & REJ_DNS2))
		ppp_opt_put_u32(w, IPCP_OPT_DNS2, p->dns[1]);
	if (p->cfg->want_nbns && !(p->rejected & REJ_NBNS2))
		ppp_opt_put_u32(w, IPCP_OPT_NBNS2, p->nbns[1]);
}

/* Where the client keeps the value of an option, or NULL. */
static uint32_t *
ipcp_slot(struct ipcp *p, uint8_t type, uint8_t *rej_bit)
{
	switch (type) {
	case IPCP_OPT_ADDRESS:
		*rej_bit = REJ_ADDRESS;
		return &p->local;
	case IPCP_OPT_DNS1:
		*rej_bit = REJ_DNS1;
		return &p->dns[0];
	case IPCP_OPT_DNS2:
		*rej_bit = REJ_DNS2;
		return &p->dns[1];
	case IPCP_OPT_NBNS1:
		*rej_bit = REJ_NBNS1;
		return &p->nbns[0];
	case IPCP_OPT_NBNS2:
		*rej_bit = REJ_NBNS2;
		return &p->nbns[1];
	default:
		return NULL;
	}
}

/* spec/ppp.md 8.2: adopt the values the server Naks with. */
static bool
ipcp_recv_nak(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipcp *p = ipcp_of(f);
	struct ppp_opt o;
	uint32_t v, *slot;
	uint8_t bit;
	struct rd r;

	if (!ppp_opts_valid(opts, len))
		return false;
	if (p->cfg->server)
		return true; /* keep naming our own address */
	rd_init(&r, opts, len);
	while (ppp_opt_next(&r, &o) == PPP_OK) {
		if ((slot = ipcp_slot(p, o.type, &bit)) == NULL ||
		    !ppp_opt_u32(&o, &v))
			continue;
		if (o.type == IPCP_OPT_ADDRESS && v == 0) {
			p->reason = PPP_E_NO_ADDRESS;
			p->give_up = true;
		}
		*slot = v;
	}
	return true;
}

static bool
ipcp_recv_reject(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipcp *p = ipcp_of(f);
	struct ppp_opt o;
	uint8_t bit;
	struct rd r;

	if (!ppp_opts_valid(opts, len))
		return false;
	rd_init(&r, opts, len);
	while (ppp_opt_next(&r, &o) == PPP_OK) {
		if (ipcp_slot(p, o.type, &bit) == NULL)
			return false; /* not one we sent */
		p->rejected |= bit;
		if (bit == REJ_ADDRESS && !p->cfg->server) {
			p->reason = PPP_E_NO_ADDRESS;
			p->give_up = true;
		}
	}
	return true;
}

/* A server-given value: Ack what matches, Nak the rest, Reject if none. */
static void
ipcp_offer(const struct ppp_opt *o, uint32_t have, struct ppp_reply *rp)
{
	uint32_t v;

	if (!ppp_opt_u32(o, &v) || have == 0)
		ppp_opt_copy(&rp->rej, o);
	else if (v != have)
		ppp_opt_put_u32(&rp->nak, o->type, have);
}

/* spec/ppp.md 8.1: the client's request, as the server sees it. */
static void
ipcp_server_option(
    struct ipcp *p, const struct ppp_opt *o, struct ppp_reply *rp)
{
	switch (o->type) {
	case IPCP_OPT_ADDRESS:
		if (!p->allocated) {
			if (!p->ops->alloc_address(p->arg, &p->peer)) {
				p->reason = PPP_E_NO_ADDRESS;
				p->give_up = true;
				ppp_opt_copy(&rp->rej, o);
				return;
			}
			p->allocated = true;
		}
		ipcp_offer(o, p->peer, rp);
		break;
	case IPCP_OPT_DNS1:
		ipcp_offer(o, p->cfg->dns[0], rp);
		break;
	case IPCP_OPT_DNS2:
		ipcp_offer(o, p->cfg->dns[1], rp);
		break;
	case IPCP_OPT_NBNS1:
		ipcp_offer(o, p->cfg->nbns[0], rp);
		break;
	case IPCP_OPT_NBNS2:
		ipcp_offer(o, p->cfg->nbns[1], rp);
		break;
	default:
		ppp_opt_copy(&rp->rej, o); /* VJ, IP-Addresses, unknown */
		break;
	}
}

/* spec/ppp.md 8.2 step 3: the server's request, as the client sees it. */
static void
ipcp_client_option(
    struct ipcp *p, const struct ppp_opt *o, struct ppp_reply *rp)
{
	uint32_t v;

	if (o->type == IPCP_OPT_ADDRESS && ppp_opt_u32(o, &v) && v != 0)
		p->peer = v;
	else
		ppp_opt_copy(&rp->rej, o);
}

static int
ipcp_recv_request(struct fsm *f, const uint8_t *opts, size_t len,
    bool reject_naks, struct wr *reply)
{
	struct ipcp *p = ipcp_of(f);
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
		if (p->cfg->server)
			ipcp_server_option(p, &o, &rp);
		else
			ipcp_client_option(p, &o, &rp);
		ppp_reply_end(&rp, &o);
	}
	return ppp_reply_finish(&rp, reply);
}

static void
ipcp_up(struct fsm *f)
{
	struct ipcp *p = ipcp_of(f);

	p->ops->up(p->arg);
}

static void
ipcp_down(struct fsm *f)
{
	struct ipcp *p = ipcp_of(f);

	p->ops->down(p->arg);
}

static void
ipcp_started(struct fsm *f)
{
	(void)f;
}

static void
ipcp_finished(struct fsm *f)
{
	struct ipcp *p = ipcp_of(f);

	p->ops->finished(
	    p->arg, p->reason != PPP_OK ? p->reason : PPP_E_NEGOTIATION);
}

static void
ipcp_send(struct fsm *f, const uint8_t *pkt, size_t len)
{
	struct ipcp *p = ipcp_of(f);

	p->ops->send(p->arg, pkt, len);
}

static const struct fsm_callbacks ipcp_callbacks = {
	.build_request = ipcp_build_request,
	.recv_ack = fsm_ack_matches,
	.recv_nak = ipcp_recv_nak,
	.recv_reject = ipcp_recv_reject,
	.recv_request = ipcp_recv_request,
	.up = ipcp_up,
	.down = ipcp_down,
	.started = ipcp_started,
	.finished = ipcp_finished,
	.send = ipcp_send,
};

void
ipcp_init(struct ipcp *p, const struct ipcp_config *cfg,
    const struct ipcp_ops *ops, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->cfg = cfg;
	p->ops = ops;
	p->arg = arg;
	if (cfg->server)
		p->local = cfg->addr != 0 ? cfg->addr : IPCP_DUMMY_SERVER_ADDR;
	fsm_init(&p->fsm, &ipcp_callbacks, &cfg->fsm, p);
}

static void
ipcp_after(struct ipcp *p, uint64_t now)
{
	if (p->give_up) {
		p->give_up = false;
		fsm_close(&p->fsm, now);
	}
}

void
ipcp_lower_up(struct ipcp *p, uint64_t now)
{
	fsm_up(&p->fsm, now);
}

void
ipcp_lower_down(struct ipcp *p, uint64_t now)
{
	fsm_down(&p->fsm, now);
}

void
ipcp_open(struct ipcp *p, uint64_t now)
{
	fsm_open(&p->fsm, now);
}

void
ipcp_close(struct ipcp *p, uint64_t now)
{
	fsm_close(&p->fsm, now);
}

void
ipcp_input(struct ipcp *p, const uint8_t *pkt, size_t len, uint64_t now)
{
	fsm_input(&p->fsm, pkt, len, now);
	ipcp_after(p, now);
}

void
ipcp_tick(struct ipcp *p, uint64_t now)
{
	if (now >= fsm_deadline(&p->fsm))
		fsm_tick(&p->fsm, now);
}

uint64_t
ipcp_deadline(const struct ipcp *p)
{
	return fsm_deadline(&p->fsm);
}

bool
ipcp_is_opened(const struct ipcp *p)
{
	return p->fsm.state == FSM_OPENED;
}

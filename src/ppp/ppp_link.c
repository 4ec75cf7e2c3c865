#include "ppp/ppp_link.h"

#include <string.h>

#include "ppp/ppp_frame.h"

void
ppp_link_config_default(struct ppp_link_config *cfg, enum ppp_role role)
{
	bool server = role == PPP_ROLE_AUTHENTICATOR;

	memset(cfg, 0, sizeof(*cfg));
	cfg->role = role;
	lcp_config_default(&cfg->lcp);
	if (server) {
		/* spec/ppp.md 2: MS-CHAPv2 first; PAP only when enabled. */
		cfg->lcp.require[0] = PPP_AUTH_MSCHAPV2;
		cfg->lcp.require[1] = PPP_AUTH_EAP;
		cfg->lcp.nrequire = 2;
	} else {
		cfg->lcp.accept[0] = PPP_AUTH_MSCHAPV2;
		cfg->lcp.accept[1] = PPP_AUTH_EAP;
		cfg->lcp.accept[2] = PPP_AUTH_CHAP_MD5;
		cfg->lcp.accept[3] = PPP_AUTH_PAP;
		cfg->lcp.naccept = 4;
	}
	ppp_auth_config_default(&cfg->auth, role);
	cfg->ipv4 = true;
	cfg->ipv6 = true;
	ipcp_config_default(&cfg->ipcp, server);
	ipv6cp_config_default(&cfg->ipv6cp);
}

const char *
ppp_phase_name(enum ppp_phase phase)
{
	static const char *const names[] = { "dead", "establish",
		"authenticate", "network", "terminate" };

	return (unsigned)phase < sizeof(names) / sizeof(names[0]) ? names[phase]
								  : "unknown";
}

/* Frame a control packet of protocol and send it. */
static void
link_send(struct ppp_link *l, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	uint8_t buf[PPP_HDR_LEN + FSM_MAX_PACKET];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	ppp_frame_header(&w, protocol);
	wr_bytes(&w, pkt, len);
	if (!wr_ok(&w))
		return;
	l->counters.frames_out++;
	l->counters.bytes_out += wr_len(&w);
	l->ops->send(l->arg, buf, wr_len(&w));
}

static void
link_report_down(struct ppp_link *l, enum ppp_err reason)
{
	if (l->down_reported)
		return;
	l->down_reported = true;
	l->phase = PPP_PHASE_DEAD;
	l->reason = reason;
	l->ops->down(l->arg, reason);
}

/* spec/ppp.md 9: the link goes on while one NCP is up or trying. */
static bool
ncp_alive(const struct fsm *f, bool enabled)
{
	return enabled && f->state >= FSM_CLOSING;
}

static void
link_ncp_finished(struct ppp_link *l, enum ppp_err reason)
{
	if (l->phase != PPP_PHASE_NETWORK)
		return;
	if (!ncp_alive(&l->ipcp.fsm, l->cfg.ipv4) &&
	    !ncp_alive(&l->ipv6cp.fsm, l->cfg.ipv6))
		lcp_close(&l->lcp, reason, l->now);
}

static void
link_start_ncps(struct ppp_link *l)
{
	l->phase = PPP_PHASE_NETWORK;
	if (l->cfg.ipv4) {
		ipcp_open(&l->ipcp, l->now);
		ipcp_lower_up(&l->ipcp, l->now);
	}
	if (l->cfg.ipv6) {
		ipv6cp_open(&l->ipv6cp, l->now);
		ipv6cp_lower_up(&l->ipv6cp, l->now);
	}
}

static void
link_stop_ncps(struct ppp_link *l)
{
	ipcp_lower_down(&l->ipcp, l->now);
	ipv6cp_lower_down(&l->ipv6cp, l->now);
}

static const struct ppp_auth_ops link_auth_ops;

/* --- LCP --- */

static void
lcp_cb_send(void *arg, const uint8_t *pkt, size_t len)
{
	link_send(arg, PPP_PROTO_LCP, pkt, len);
}

static void
lcp_cb_up(void *arg)
{
	struct ppp_link *l = arg;
	struct ppp_auth_result res;

	if (l->lcp.auth != PPP_AUTH_NONE) {
		/* Released after an earlier login (ppp_link_release_auth):
		 * a renegotiated link authenticates again. */
		if (l->auth == NULL &&
		    (l->auth = ppp_auth_new(&l->cfg.auth, &link_auth_ops, l)) ==
			NULL) {
			lcp_close(&l->lcp, PPP_E_CRYPTO, l->now);
			return;
		}
		l->phase = PPP_PHASE_AUTHENTICATE;
		ppp_auth_start(l->auth, l->lcp.auth, l->now);
		return;
	}
	/* No authentication negotiated: done at once, HLAK zeros. */
	memset(&res, 0, sizeof(res));
	res.ok = true;
	res.method = PPP_AUTH_NONE;
	res.user = "";
	l->ops->auth_done(l->arg, &res);
	link_start_ncps(l);
}

static void
lcp_cb_down(void *arg)
{
	struct ppp_link *l = arg;
	struct ppp_auth_result res;

	/*
	 * SoftEther answers a wrong PAP password with a Terminate-Request and
	 * no Authenticate-Nak: as the peer, a Terminate while our credentials
	 * await their verdict is a refusal, reported as one (not retried).
	 */
	if (l->phase == PPP_PHASE_AUTHENTICATE &&
	    l->lcp.reason == PPP_E_PEER_TERMINATE &&
	    ppp_auth_awaiting_verdict(l->auth)) {
		memset(&res, 0, sizeof(res));
		res.reason = PPP_E_AUTH_FAILED;
		res.method = l->lcp.auth;
		res.user = "";
		l->ops->auth_done(l->arg, &res);
	}
	ppp_auth_stop(l->auth);
	link_stop_ncps(l);
	l->phase =
	    l->lcp.fsm.state == FSM_CLOSING || l->lcp.fsm.state == FSM_STOPPING
	    ? PPP_PHASE_TERMINATE
	    : PPP_PHASE_ESTABLISH;
}

static void
lcp_cb_finished(void *arg, enum ppp_err reason)
{
	link_report_down(arg, reason);
}

static void
lcp_cb_protocol_rejected(void *arg, uint16_t proto)
{
	struct ppp_link *l = arg;

	l->counters.rejected++;
	/* spec/ppp.md 1.6: that NCP stops; LCP stays up. */
	if (proto == PPP_PROTO_IPCP)
		ipcp_lower_down(&l->ipcp, l->now);
	else if (proto == PPP_PROTO_IPV6CP)
		ipv6cp_lower_down(&l->ipv6cp, l->now);
	link_ncp_finished(l, PPP_E_NEGOTIATION);
}

static bool
link_cb_random(void *arg, void *buf, size_t len)
{
	struct ppp_link *l = arg;

	return l->ops->random(l->arg, buf, len);
}

static const struct lcp_ops link_lcp_ops = {
	.send = lcp_cb_send,
	.up = lcp_cb_up,
	.down = lcp_cb_down,
	.finished = lcp_cb_finished,
	.protocol_rejected = lcp_cb_protocol_rejected,
	.random = link_cb_random,
};

/* --- authentication --- */

static void
auth_cb_send(void *arg, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	link_send(arg, protocol, pkt, len);
}

static void
auth_cb_done(void *arg, const struct ppp_auth_result *res)
{
	struct ppp_link *l = arg;

	if (l->phase != PPP_PHASE_AUTHENTICATE)
		return;
	l->ops->auth_done(l->arg, res);
	if (!res->ok) {
		lcp_close(&l->lcp, res->reason, l->now);
		return;
	}
	/*
	 * Trap 14: Network phase before the authenticator's Success goes
	 * out; its NCP requests follow the Success (link_after), since a
	 * peer still authenticating would discard them.
	 */
	if (l->cfg.role == PPP_ROLE_AUTHENTICATOR) {
		l->phase = PPP_PHASE_NETWORK;
		l->ncps_pending = true;
	} else {
		link_start_ncps(l);
	}
}

static const struct ppp_auth_ops link_auth_ops = {
	.send = auth_cb_send,
	.done = auth_cb_done,
};

/* Work left for after the call that raised it returned. */
static void
link_after(struct ppp_link *l)
{
	if (l->ncps_pending && l->phase == PPP_PHASE_NETWORK) {
		l->ncps_pending = false;
		link_start_ncps(l);
	}
}

/* --- IPCP and IPv6CP --- */

static void
ipcp_cb_send(void *arg, const uint8_t *pkt, size_t len)
{
	link_send(arg, PPP_PROTO_IPCP, pkt, len);
}

static bool
ipcp_cb_alloc(void *arg, uint32_t *addr)
{
	struct ppp_link *l = arg;

	return l->ops->alloc_ipv4 != NULL && l->ops->alloc_ipv4(l->arg, addr);
}

static void
ipcp_cb_up(void *arg)
{
	struct ppp_link *l = arg;
	struct ppp_ipv4_info info;

	memset(&info, 0, sizeof(info));
	info.local = l->ipcp.local;
	info.peer = l->ipcp.peer;
	memcpy(info.dns, l->ipcp.dns, sizeof(info.dns));
	memcpy(info.nbns, l->ipcp.nbns, sizeof(info.nbns));
	l->ops->ipv4_up(l->arg, &info);
}

static void
ipcp_cb_down(void *arg)
{
	struct ppp_link *l = arg;

	l->ops->ipv4_down(l->arg);
}

static void
ncp_cb_finished(void *arg, enum ppp_err reason)
{
	link_ncp_finished(arg, reason);
}

static const struct ipcp_ops link_ipcp_ops = {
	.send = ipcp_cb_send,
	.alloc_address = ipcp_cb_alloc,
	.up = ipcp_cb_up,
	.down = ipcp_cb_down,
	.finished = ncp_cb_finished,
};

static void
ipv6cp_cb_send(void *arg, const uint8_t *pkt, size_t len)
{
	link_send(arg, PPP_PROTO_IPV6CP, pkt, len);
}

static bool
ipv6cp_cb_suggest(
    void *arg, const uint8_t avoid[IPV6CP_IID_LEN], uint8_t out[IPV6CP_IID_LEN])
{
	struct ppp_link *l = arg;

	if (l->ops->suggest_iid == NULL)
		return false; /* IPv6CP picks a random one */
	l->ops->suggest_iid(l->arg, avoid, out);
	return true;
}

static void
ipv6cp_cb_up(void *arg)
{
	struct ppp_link *l = arg;
	struct ppp_ipv6_info info;

	memcpy(info.local_iid, l->ipv6cp.local, IPV6CP_IID_LEN);
	memcpy(info.peer_iid, l->ipv6cp.peer, IPV6CP_IID_LEN);
	l->ops->ipv6_up(l->arg, &info);
}

static void
ipv6cp_cb_down(void *arg)
{
	struct ppp_link *l = arg;

	l->ops->ipv6_down(l->arg);
}

static const struct ipv6cp_ops link_ipv6cp_ops = {
	.send = ipv6cp_cb_send,
	.suggest_iid = ipv6cp_cb_suggest,
	.random = link_cb_random,
	.up = ipv6cp_cb_up,
	.down = ipv6cp_cb_down,
	.finished = ncp_cb_finished,
};

enum ppp_err
ppp_link_init(struct ppp_link *l, const struct ppp_link_config *cfg,
    const struct ppp_link_ops *ops, void *arg)
{
	memset(l, 0, sizeof(*l));
	l->cfg = *cfg;
	l->ops = ops;
	l->arg = arg;
	l->phase = PPP_PHASE_DEAD;
	l->cfg.ipcp.server = cfg->role == PPP_ROLE_AUTHENTICATOR;
	if ((l->auth = ppp_auth_new(&l->cfg.auth, &link_auth_ops, l)) == NULL)
		return PPP_E_CRYPTO;
	lcp_init(&l->lcp, &l->cfg.lcp, &link_lcp_ops, l);
	ipcp_init(&l->ipcp, &l->cfg.ipcp, &link_ipcp_ops, l);
	ipv6cp_init(&l->ipv6cp, &l->cfg.ipv6cp, &link_ipv6cp_ops, l);
	return PPP_OK;
}

void
ppp_link_fini(struct ppp_link *l)
{
	ppp_auth_free(l->auth);
	l->auth = NULL;
}

void
ppp_link_release_auth(struct ppp_link *l)
{
	/* An NCP opened: the peer had our Success and moved on. */
	if (l->auth == NULL || l->cfg.role != PPP_ROLE_AUTHENTICATOR ||
	    l->phase != PPP_PHASE_NETWORK ||
	    (!ipcp_is_opened(&l->ipcp) && !ipv6cp_is_opened(&l->ipv6cp)))
		return;
	ppp_auth_free(l->auth);
	l->auth = NULL;
}

void
ppp_link_lower_up(struct ppp_link *l, uint64_t now)
{
	l->now = now;
	if (l->phase != PPP_PHASE_DEAD || l->down_reported)
		return;
	l->phase = PPP_PHASE_ESTABLISH;
	lcp_open(&l->lcp, now);
	lcp_lower_up(&l->lcp, now);
}

void
ppp_link_lower_down(struct ppp_link *l, uint64_t now)
{
	l->now = now;
	ppp_auth_stop(l->auth);
	link_stop_ncps(l);
	lcp_lower_down(&l->lcp, now);
	link_report_down(l, PPP_E_LOWER_DOWN);
}

/* spec/ppp.md 1.6: what may pass in each phase. */
static void
link_network_input(
    struct ppp_link *l, uint16_t proto, const uint8_t *info, size_t len)
{
	switch (proto) {
	case PPP_PROTO_IPCP:
		if (l->cfg.ipv4)
			ipcp_input(&l->ipcp, info, len, l->now);
		else
			lcp_protocol_reject(&l->lcp, proto, info, len);
		break;
	case PPP_PROTO_IPV6CP:
		if (l->cfg.ipv6)
			ipv6cp_input(&l->ipv6cp, info, len, l->now);
		else
			lcp_protocol_reject(&l->lcp, proto, info, len);
		break;
	case PPP_PROTO_IPV4:
	case PPP_PROTO_IPV6:
		if ((proto == PPP_PROTO_IPV4 && ipcp_is_opened(&l->ipcp)) ||
		    (proto == PPP_PROTO_IPV6 && ipv6cp_is_opened(&l->ipv6cp))) {
			l->counters.data_in++;
			l->ops->datagram(l->arg, proto, info, len);
		} else {
			l->counters.discarded++; /* its NCP is not open */
		}
		break;
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
	case PPP_PROTO_EAP:
		/* Late retransmissions of the exchange just finished. */
		ppp_auth_input(l->auth, proto, info, len, l->now);
		break;
	default:
		/* Trap 6: CCP, LQR, anything unknown: Protocol-Reject. */
		l->counters.rejected++;
		lcp_protocol_reject(&l->lcp, proto, info, len);
		break;
	}
}

void
ppp_link_input(
    struct ppp_link *l, const uint8_t *frame, size_t len, uint64_t now)
{
	uint16_t proto;
	struct rd info;

	l->now = now;
	l->counters.frames_in++;
	l->counters.bytes_in += len;
	link_after(l);
	if (ppp_frame_decode(frame, len, &proto, &info) != PPP_OK ||
	    l->phase == PPP_PHASE_DEAD) {
		l->counters.discarded++;
		return;
	}
	if (proto == PPP_PROTO_LCP)
		lcp_input(&l->lcp, rd_ptr(&info), rd_left(&info), now);
	else if (l->phase == PPP_PHASE_AUTHENTICATE &&
	    (proto == PPP_PROTO_PAP || proto == PPP_PROTO_CHAP ||
		proto == PPP_PROTO_EAP))
		ppp_auth_input(
		    l->auth, proto, rd_ptr(&info), rd_left(&info), now);
	else if (l->phase == PPP_PHASE_AUTHENTICATE &&
	    l->cfg.role == PPP_ROLE_PEER &&
	    (proto == PPP_PROTO_IPCP || proto == PPP_PROTO_IPV6CP)) {
		/* RFC 3748 4.2: the EAP-Success may have been lost. */
		ppp_auth_lower_success(l->auth, now);
		if (l->phase == PPP_PHASE_NETWORK)
			link_network_input(
			    l, proto, rd_ptr(&info), rd_left(&info));
		else
			l->counters.discarded++;
	} else if (l->phase == PPP_PHASE_NETWORK)
		link_network_input(l, proto, rd_ptr(&info), rd_left(&info));
	else
		l->counters.discarded++; /* Establish, Terminate: trap 6 */
	link_after(l);
}

enum ppp_err
ppp_link_datagram_header(struct ppp_link *l, uint16_t protocol, uint8_t hdr[4])
{
	struct wr w;

	if ((protocol == PPP_PROTO_IPV4 && !ipcp_is_opened(&l->ipcp)) ||
	    (protocol == PPP_PROTO_IPV6 && !ipv6cp_is_opened(&l->ipv6cp)) ||
	    (protocol != PPP_PROTO_IPV4 && protocol != PPP_PROTO_IPV6))
		return PPP_E_STATE;
	wr_init(&w, hdr, PPP_HDR_LEN);
	ppp_frame_header(&w, protocol);
	l->counters.data_out++;
	return PPP_OK;
}

void
ppp_link_password_result(struct ppp_link *l, bool ok, uint64_t now)
{
	l->now = now;
	ppp_auth_password_result(l->auth, ok, now);
	link_after(l);
}

void
ppp_link_secret(struct ppp_link *l, enum ppp_secret_kind kind,
    const void *secret, size_t len, uint64_t now)
{
	l->now = now;
	ppp_auth_secret(l->auth, kind, secret, len, now);
	link_after(l);
}

void
ppp_link_close(struct ppp_link *l, enum ppp_err reason, uint64_t now)
{
	l->now = now;
	lcp_close(&l->lcp, reason, now);
}

void
ppp_link_tick(struct ppp_link *l, uint64_t now)
{
	l->now = now;
	link_after(l);
	lcp_tick(&l->lcp, now);
	if (now >= ppp_auth_deadline(l->auth))
		ppp_auth_tick(l->auth, now);
	ipcp_tick(&l->ipcp, now);
	ipv6cp_tick(&l->ipv6cp, now);
	link_after(l);
}

uint64_t
ppp_link_deadline(const struct ppp_link *l)
{
	uint64_t d = lcp_deadline(&l->lcp), x;

	if (l->ncps_pending)
		return l->now;
	if ((x = ppp_auth_deadline(l->auth)) < d)
		d = x;
	if ((x = ipcp_deadline(&l->ipcp)) < d)
		d = x;
	if ((x = ipv6cp_deadline(&l->ipv6cp)) < d)
		d = x;
	return d;
}

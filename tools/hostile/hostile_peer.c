/*
 * The honest client inside the hostile one: the SSTP client state
 * machine and the PPP link of src/sstp and src/ppp, driven by the pump
 * instead of the event loop.  Everything they send passes, as whole SSTP
 * packets, through the case's filter; on purpose they can stall (never
 * start PPP, withhold authentication or the Call Connected) or go slowly
 * (the Call Connect Request and the Call Connected held back delay_ms).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "hostile.h"
#include "ppp/ppp_frame.h"

static bool
pkt_is_ctrl(const uint8_t *pkt, size_t len, uint16_t type)
{
	return len >= SSTP_CTRL_HDR_LEN && (pkt[1] & 0x01) != 0 &&
	    ((pkt[4] << 8) | pkt[5]) == type;
}

/* The PPP protocol of a data packet our cores built (FF 03 first). */
static uint16_t
pkt_ppp_protocol(const uint8_t *pkt, size_t len)
{
	if (len < SSTP_HDR_LEN + PPP_HDR_LEN || (pkt[1] & 0x01) != 0)
		return 0;
	return (uint16_t)((pkt[6] << 8) | pkt[7]);
}

/* A whole packet from the cores: filter, stall, hold, then the wire. */
static void
peer_emit(struct hconn *h, uint8_t *pkt, size_t len)
{
	struct peer *p = &h->peer;
	uint16_t proto = pkt_ppp_protocol(pkt, len);

	if (p->filter != NULL && !p->filter(h, pkt, &len))
		return;
	if (p->stall == STALL_AUTH &&
	    (proto == PPP_PROTO_PAP || proto == PPP_PROTO_CHAP ||
		proto == PPP_PROTO_EAP))
		return;
	if (p->delay_ms > 0 && p->held_len == 0 &&
	    pkt_is_ctrl(pkt, len, SSTP_MSG_CALL_CONNECT_REQUEST)) {
		memcpy(p->held, pkt, len);
		p->held_len = len;
		p->release_at = hc_now() + p->delay_ms;
		return;
	}
	hc_queue(h, pkt, len);
}

/*
 * The cores' output: the HTTP request first, in one piece, then SSTP
 * packets, which sstp_conn may hand over in parts (header, frame).
 */
static void
peer_output(void *arg, const uint8_t *buf, size_t len)
{
	struct hconn *h = arg;
	struct peer *p = &h->peer;
	size_t need, take, plen;

	if (!p->http_sent) {
		p->http_sent = true;
		hc_queue(h, buf, len);
		return;
	}
	while (len > 0) {
		need = SSTP_HDR_LEN;
		if (p->out_len >= SSTP_HDR_LEN)
			need = ((p->out[2] << 8) | p->out[3]) & SSTP_LEN_MASK;
		take = need - p->out_len < len ? need - p->out_len : len;
		memcpy(p->out + p->out_len, buf, take);
		p->out_len += take;
		buf += take;
		len -= take;
		if (p->out_len < SSTP_HDR_LEN)
			continue;
		plen = ((p->out[2] << 8) | p->out[3]) & SSTP_LEN_MASK;
		if (plen < SSTP_HDR_LEN) {
			p->out_len = 0; /* cannot come from our cores */
			continue;
		}
		if (p->out_len == plen) {
			p->out_len = 0;
			peer_emit(h, p->out, plen);
		}
	}
}

static void
peer_lower_up(struct hconn *h, uint64_t now)
{
	h->peer.ppp_started = true;
	ppp_link_lower_up(&h->peer.ppp, now);
}

static void
peer_event(void *arg, const struct sstp_event *ev)
{
	struct hconn *h = arg;
	struct peer *p = &h->peer;
	uint64_t now = hc_now();

	switch (ev->type) {
	case SSTP_EV_LOWER_UP:
		/* Not delayed: the server's first Configure-Request would be
		 * lost, and LCP wait a whole restart period. */
		if (p->stall != STALL_LCP)
			peer_lower_up(h, now);
		break;
	case SSTP_EV_PPP_FRAME:
		if (p->ppp_started)
			ppp_link_input(&p->ppp, ev->frame, ev->len, now);
		break;
	case SSTP_EV_CONNECTED:
		p->connected = true;
		break;
	case SSTP_EV_LOWER_DOWN:
		if (p->ppp_started)
			ppp_link_lower_down(&p->ppp, now);
		break;
	case SSTP_EV_CLOSED:
		p->closed = true;
		break;
	default:
		break;
	}
}

static const struct sstp_conn_ops peer_sstp_ops = {
	.output = peer_output,
	.event = peer_event,
};

static void
peer_ppp_send(void *arg, const uint8_t *frame, size_t len)
{
	struct hconn *h = arg;

	(void)sstp_conn_send_ppp(&h->peer.sstp, frame, len);
}

static void
peer_auth_done(void *arg, const struct ppp_auth_result *res)
{
	struct hconn *h = arg;
	struct peer *p = &h->peer;

	if (!res->ok)
		return; /* the server ends the link */
	p->auth_ok = true;
	memcpy(p->hlak, res->hlak, sizeof(p->hlak));
	if (p->stall == STALL_BINDING || p->delay_ms > 0) {
		p->hlak_held = true;
		if (p->stall != STALL_BINDING)
			p->binding_at = hc_now() + p->delay_ms;
		return;
	}
	(void)sstp_conn_auth_done(&p->sstp, p->hlak, hc_now());
}

static void
peer_ipv4_up(void *arg, const struct ppp_ipv4_info *info)
{
	struct hconn *h = arg;

	h->peer.ipv4_up = true;
	h->peer.v4 = *info;
}

static void
peer_nothing(void *arg)
{
	(void)arg;
}

static void
peer_ipv6_up(void *arg, const struct ppp_ipv6_info *info)
{
	(void)arg, (void)info;
}

static void
peer_datagram(void *arg, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	struct hconn *h = arg;

	(void)protocol, (void)pkt, (void)len;
	h->peer.datagrams++;
}

static void
peer_down(void *arg, enum ppp_err reason)
{
	struct hconn *h = arg;

	(void)reason;
	h->peer.ppp_down = true;
	sstp_conn_disconnect(&h->peer.sstp, hc_now());
}

static bool
peer_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	return RAND_bytes(buf, (int)len) == 1;
}

static const struct ppp_link_ops peer_ppp_ops = {
	.send = peer_ppp_send,
	.auth_done = peer_auth_done,
	.ipv4_up = peer_ipv4_up,
	.ipv4_down = peer_nothing,
	.ipv6_up = peer_ipv6_up,
	.ipv6_down = peer_nothing,
	.datagram = peer_datagram,
	.down = peer_down,
	.random = peer_random,
};

bool
peer_start(struct hconn *h, char *err, size_t errlen)
{
	const struct hostile_opts *o = h->o;
	struct peer *p = &h->peer;
	struct sstp_conn_config sc;
	struct ppp_link_config pc;
	uint8_t *der = NULL;
	size_t len = 0;
	enum sstp_err se;

	sstp_conn_config_default(&sc, SSTP_ROLE_CLIENT);
	sc.host = o->host;
	if (!tls_peer_leaf(&h->tls, &der, &len) ||
	    sstp_cert_hashes_compute(der, len, &sc.cert) != SSTP_OK) {
		OPENSSL_free(der);
		snprintf(err, errlen, "no usable server certificate");
		return false;
	}
	OPENSSL_free(der);
	ppp_link_config_default(&pc, PPP_ROLE_PEER);
	pc.lcp.accept[0] = o->auth;
	pc.lcp.naccept = 1;
	pc.lcp.echo_interval_ms = 0;
	pc.auth.user = o->user;
	pc.auth.password = o->password;
	pc.auth.crypto = o->crypto;
	pc.ipv6 = false;
	sstp_conn_init(&p->sstp, &sc, &peer_sstp_ops, h);
	if (ppp_link_init(&p->ppp, &pc, &peer_ppp_ops, h) != PPP_OK) {
		snprintf(err, errlen, "PPP: no MD4 (OpenSSL legacy provider)");
		sstp_conn_fini(&p->sstp);
		return false;
	}
	p->on = true;
	if ((se = sstp_conn_start(&p->sstp, hc_now())) != SSTP_OK) {
		snprintf(err, errlen, "SSTP: %s", sstp_strerror(se));
		return false;
	}
	return true;
}

void
peer_fini(struct hconn *h)
{
	struct peer *p = &h->peer;

	if (!p->on)
		return;
	ppp_link_fini(&p->ppp);
	sstp_conn_fini(&p->sstp);
	OPENSSL_cleanse(p->hlak, sizeof(p->hlak));
	p->on = false;
}

static uint64_t
earlier(uint64_t d, uint64_t at)
{
	return at != 0 && at < d ? at : d;
}

uint64_t
peer_deadline(struct hconn *h)
{
	struct peer *p = &h->peer;
	uint64_t d = sstp_conn_deadline(&p->sstp);

	if (p->ppp_started)
		d = earlier(d, ppp_link_deadline(&p->ppp));
	d = earlier(d, p->binding_at);
	return earlier(d, p->release_at);
}

void
peer_tick(struct hconn *h, uint64_t now)
{
	struct peer *p = &h->peer;

	if (p->release_at != 0 && now >= p->release_at) {
		p->release_at = 0;
		hc_queue(h, p->held, p->held_len);
		p->held_len = 0;
	}
	if (p->binding_at != 0 && now >= p->binding_at) {
		p->binding_at = 0;
		peer_release_binding(h);
	}
	if (now >= sstp_conn_deadline(&p->sstp))
		sstp_conn_tick(&p->sstp, now);
	if (p->ppp_started && now >= ppp_link_deadline(&p->ppp))
		ppp_link_tick(&p->ppp, now);
}

void
peer_input(struct hconn *h, const uint8_t *data, size_t len)
{
	sstp_conn_input(&h->peer.sstp, data, len, hc_now());
}

void
peer_release_binding(struct hconn *h)
{
	struct peer *p = &h->peer;

	if (!p->hlak_held)
		return;
	p->hlak_held = false;
	(void)sstp_conn_auth_done(&p->sstp, p->hlak, hc_now());
}

void
peer_leave(struct hconn *h)
{
	struct peer *p = &h->peer;
	uint64_t now = hc_now();

	if (p->ppp_started && !p->ppp_down)
		ppp_link_close(&p->ppp, PPP_E_LOCAL_CLOSE, now);
	else
		sstp_conn_disconnect(&p->sstp, now);
}

#include "fuzz_ppp_link.h"

#include <stdlib.h>
#include <string.h>

#include "ppp/ppp_frame.h"
#include "ppp/ppp_link.h"

#define MAX_FRAMES 64

struct end {
	struct ppp_link link;
	struct ppp_link_config cfg;
	int nframes;
	size_t len[MAX_FRAMES];
	uint8_t frame[MAX_FRAMES][1600];
	int downs, auth_done;
	uint32_t rng;
};

static struct ppp_crypto *crypto;

static void
be_check_password(
    void *arg, struct ppp_auth *a, const char *user, const char *password)
{
	struct end *e = arg;

	(void)a;
	ppp_link_password_result(&e->link,
	    strcmp(user, "u") == 0 && strcmp(password, "p") == 0, e->link.now);
}

static void
be_get_secret(
    void *arg, struct ppp_auth *a, const char *user, enum ppp_auth_method m)
{
	struct end *e = arg;

	(void)a;
	(void)m;
	if (strcmp(user, "u") == 0)
		ppp_link_secret(
		    &e->link, PPP_SECRET_PASSWORD, "p", 1, e->link.now);
	else
		ppp_link_secret(
		    &e->link, PPP_SECRET_NONE, NULL, 0, e->link.now);
}

static const struct ppp_auth_backend backend = {
	.check_password = be_check_password,
	.get_secret = be_get_secret,
};

static void
on_send(void *arg, const uint8_t *frame, size_t len)
{
	struct end *e = arg;

	if (len > sizeof(e->frame[0]) || len < PPP_HDR_LEN)
		abort(); /* we never build such a frame */
	if (e->nframes == MAX_FRAMES)
		return; /* a flood: the fuzzer's peer just loses them */
	memcpy(e->frame[e->nframes], frame, len);
	e->len[e->nframes++] = len;
}

static void
on_auth_done(void *arg, const struct ppp_auth_result *res)
{
	(void)res;
	((struct end *)arg)->auth_done++;
}

static void
on_nothing(void *arg)
{
	(void)arg;
}

static void
on_v4(void *arg, const struct ppp_ipv4_info *info)
{
	(void)arg;
	(void)info;
}

static void
on_v6(void *arg, const struct ppp_ipv6_info *info)
{
	(void)arg;
	(void)info;
}

static void
on_datagram(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	(void)arg;
	(void)pkt;
	(void)len;
	if (proto != PPP_PROTO_IPV4 && proto != PPP_PROTO_IPV6)
		abort();
}

static void
on_down(void *arg, enum ppp_err reason)
{
	(void)reason;
	((struct end *)arg)->downs++;
}

static bool
on_random(void *arg, void *buf, size_t len)
{
	struct end *e = arg;
	uint8_t *b = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		e->rng = e->rng * 1103515245u + 12345u;
		b[i] = (uint8_t)(e->rng >> 16);
	}
	return true;
}

static bool
on_alloc(void *arg, uint32_t *addr)
{
	(void)arg;
	*addr = 0x0a000005;
	return true;
}

static const struct ppp_link_ops ops = {
	.send = on_send,
	.auth_done = on_auth_done,
	.ipv4_up = on_v4,
	.ipv4_down = on_nothing,
	.ipv6_up = on_v6,
	.ipv6_down = on_nothing,
	.datagram = on_datagram,
	.down = on_down,
	.random = on_random,
	.alloc_ipv4 = on_alloc,
};

static void
end_start(struct end *e, enum ppp_role role, enum ppp_auth_method m)
{
	memset(e, 0, sizeof(*e));
	e->rng = role == PPP_ROLE_PEER ? 1 : 2;
	ppp_link_config_default(&e->cfg, role);
	e->cfg.lcp.fsm.restart_ms = 100;
	e->cfg.auth.crypto = crypto;
	if (role == PPP_ROLE_AUTHENTICATOR) {
		e->cfg.lcp.require[0] = m;
		e->cfg.lcp.nrequire = 1;
		e->cfg.auth.name = "s";
		e->cfg.auth.backend = &backend;
		e->cfg.auth.backend_arg = e;
	} else {
		e->cfg.auth.user = "u";
		e->cfg.auth.password = "p";
	}
	if (ppp_link_init(&e->link, &e->cfg, &ops, e) != PPP_OK)
		abort();
	ppp_link_lower_up(&e->link, 0);
}

static void
deliver(struct end *a, struct end *b, uint64_t now)
{
	static uint8_t frames[MAX_FRAMES][1600];
	static size_t len[MAX_FRAMES];
	int i, n = a->nframes;

	memcpy(frames, a->frame, sizeof(frames[0]) * (size_t)n);
	memcpy(len, a->len, sizeof(len[0]) * (size_t)n);
	a->nframes = 0;
	for (i = 0; i < n; i++)
		ppp_link_input(&b->link, frames[i], len[i], now);
}

static void
check(const struct end *e)
{
	if (e->downs > 1 || e->auth_done > 1)
		abort();
	if (e->downs == 1 && e->link.phase != PPP_PHASE_DEAD)
		abort();
	if (e->link.phase > PPP_PHASE_TERMINATE)
		abort();
}

void
fuzz_ppp_link_run(enum ppp_role role, const uint8_t *data, size_t size)
{
	static const enum ppp_auth_method methods[] = { PPP_AUTH_PAP,
		PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2, PPP_AUTH_EAP };
	enum ppp_role other =
	    role == PPP_ROLE_PEER ? PPP_ROLE_AUTHENTICATOR : PPP_ROLE_PEER;
	static struct end me, peer;
	enum ppp_auth_method m;
	uint64_t now = 0;
	int rounds;
	size_t n;

	if (crypto == NULL && (crypto = ppp_crypto_new()) == NULL)
		abort();
	if (size < 1)
		return;
	m = methods[(data[0] >> 1) % 4];
	end_start(&me, role, m);
	if (data[0] & 1) {
		/* Negotiate for real up to the Network phase. */
		end_start(&peer, other, m);
		for (rounds = 0; rounds < 40; rounds++) {
			deliver(&me, &peer, now);
			deliver(&peer, &me, now);
		}
		if (me.link.phase != PPP_PHASE_NETWORK ||
		    !ipcp_is_opened(&me.link.ipcp) ||
		    !ipv6cp_is_opened(&me.link.ipv6cp))
			abort();
		ppp_link_fini(&peer.link);
	}
	data++, size--;
	while (size > 0) {
		uint8_t op = data[0];

		data++, size--;
		me.nframes = 0;
		if ((op & 3) == 0) { /* time passes */
			now += (uint64_t)(op >> 2) * 25;
			if (now >= ppp_link_deadline(&me.link))
				ppp_link_tick(&me.link, now);
		} else if ((op & 3) == 1 && op >= 0xf0) { /* hang up */
			if (op & 4)
				ppp_link_lower_down(&me.link, now);
			else
				ppp_link_close(
				    &me.link, PPP_E_LOCAL_CLOSE, now);
		} else { /* a frame of up to 4 * 64 bytes */
			n = (size_t)(op >> 2) * 4 + 1;
			if (n > size)
				n = size;
			ppp_link_input(&me.link, data, n, now);
			data += n, size -= n;
		}
		check(&me);
	}
	ppp_link_fini(&me.link);
}

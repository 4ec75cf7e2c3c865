/*
 * The Authenticate phase: an authenticator and a peer of one method
 * (PAP, CHAP-MD5, MS-CHAPv2, EAP-MD5, EAP-MSCHAPv2) talk to each other
 * and to arbitrary PAP/CHAP/EAP packets from the input, while time passes,
 * packets are lost, duplicated or mangled, either end is stopped or
 * restarted and the backend answers when the input says.
 *   byte 0  method; byte 1  flags; then ops (see LLVMFuzzerTestOneInput).
 * Invariants (abort() on violation): done() at most once per start, with
 * a consistent result and no deadline left; a deadline is never in the
 * past after a call; one backend question at a time (trap 9); the
 * authenticator only succeeds on a yes from the backend; every packet
 * sent decodes with its own codec.
 */
#include <stdlib.h>
#include <string.h>

#include "ppp/auth.h"
#include "ppp/chap_packet.h"
#include "ppp/eap_packet.h"
#include "ppp/pap_packet.h"
#include "ppp/ppp_frame.h"

#define QMAX	 16
#define PKT_MAX	 1024
#define PASSWORD "clientPass"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fpkt {
	uint16_t proto;
	size_t len;
	uint8_t b[PKT_MAX];
};

struct fend {
	struct ppp_auth *a;
	enum ppp_auth_method method;
	int done; /* since the last start */
	bool ok;
	bool pending; /* a backend question is open */
	bool pending_pap;
	bool yes; /* the backend said yes since the last start */
	bool sync; /* the backend answers inside the call */
	bool nt_hash;
	int nq;
	struct fpkt q[QMAX];
};

static struct ppp_crypto *crypto;
static uint64_t now;
static struct fpkt last;

static void
check_deadline(struct fend *e)
{
	uint64_t d = ppp_auth_deadline(e->a);

	if (d != PPP_AUTH_NO_DEADLINE && d <= now)
		abort();
}

static void
check_sent(const struct fend *e, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct pap_packet pp;
	struct chap_packet cp;
	struct eap_packet ep;
	struct rd r;
	enum ppp_err err;

	rd_init(&r, pkt, len);
	if (len > 520)
		abort();
	switch (proto) {
	case PPP_PROTO_PAP:
		err = pap_decode(&r, &pp);
		break;
	case PPP_PROTO_CHAP:
		err = chap_decode(&r,
		    e->method == PPP_AUTH_MSCHAPV2 ? CHAP_ALG_MSCHAPV2
						   : CHAP_ALG_MD5,
		    &cp);
		break;
	case PPP_PROTO_EAP:
		err = eap_decode(&r, &ep);
		break;
	default:
		err = PPP_E_PROTOCOL;
		break;
	}
	if (err != PPP_OK)
		abort();
}

static void
on_send(void *arg, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	struct fend *e = arg;

	check_sent(e, protocol, pkt, len);
	if (e->nq == QMAX)
		return;
	e->q[e->nq].proto = protocol;
	e->q[e->nq].len = len;
	memcpy(e->q[e->nq].b, pkt, len);
	e->nq++;
}

static bool
zeros(const uint8_t *b, size_t n)
{
	while (n-- > 0)
		if (*b++ != 0)
			return false;
	return true;
}

static void
on_done(void *arg, const struct ppp_auth_result *res)
{
	struct fend *e = arg;
	bool keyed = res->method == PPP_AUTH_MSCHAPV2 ||
	    (res->method == PPP_AUTH_EAP && res->inner == PPP_AUTH_MSCHAPV2);

	if (++e->done > 1 || res->method != e->method ||
	    ppp_auth_deadline(e->a) != PPP_AUTH_NO_DEADLINE ||
	    res->ok != (res->reason == PPP_OK) || res->user == NULL)
		abort();
	if (res->ok && !keyed && !zeros(res->hlak, PPP_HLAK_LEN))
		abort();
	if (!res->ok && !zeros(res->hlak, PPP_HLAK_LEN))
		abort();
	e->ok = res->ok;
}

static const struct ppp_auth_ops ops = { .send = on_send, .done = on_done };

static void
answer(struct fend *e, uint8_t how)
{
	uint8_t hash[16];

	if (!e->pending)
		return;
	e->pending = false;
	if (e->pending_pap) {
		e->yes = e->yes || (how & 1);
		ppp_auth_password_result(e->a, how & 1, now);
		return;
	}
	switch (how % 5) {
	case 0:
		ppp_auth_secret(e->a, PPP_SECRET_NONE, NULL, 0, now);
		return;
	case 1:
		e->yes = true;
		if (e->nt_hash &&
		    mschap_nt_password_hash(crypto, PASSWORD, hash) == PPP_OK) {
			ppp_auth_secret(
			    e->a, PPP_SECRET_NT_HASH, hash, sizeof(hash), now);
			return;
		}
		ppp_auth_secret(
		    e->a, PPP_SECRET_PASSWORD, PASSWORD, strlen(PASSWORD), now);
		return;
	case 2:
		e->yes = true;
		ppp_auth_secret(e->a, PPP_SECRET_PASSWORD, "wrong", 5, now);
		return;
	case 3:
		e->yes = true;
		memset(hash, how, sizeof(hash));
		ppp_auth_secret(e->a, PPP_SECRET_NT_HASH, hash, how % 20, now);
		return;
	default:
		e->yes = true;
		ppp_auth_secret(e->a, PPP_SECRET_PASSWORD, "a\0b", 3, now);
		return;
	}
}

static void
be_ask(struct fend *e, bool pap)
{
	/* trap 9: never a second question while one is open. */
	if (e->pending)
		abort();
	e->pending = true;
	e->pending_pap = pap;
	if (e->sync)
		answer(e, 1);
}

static void
be_check_password(
    void *arg, struct ppp_auth *a, const char *user, const char *password)
{
	(void)a;
	(void)user;
	(void)password;
	be_ask(arg, true);
}

static void
be_get_secret(void *arg, struct ppp_auth *a, const char *user,
    enum ppp_auth_method method)
{
	(void)a;
	(void)user;
	(void)method;
	be_ask(arg, false);
}

static const struct ppp_auth_backend backend = {
	.check_password = be_check_password,
	.get_secret = be_get_secret,
};

static void
end_start(struct fend *e)
{
	e->done = 0;
	e->pending = false;
	e->yes = false;
	ppp_auth_start(e->a, e->method, now);
}

static void
input(struct fend *to, const struct fpkt *p)
{
	if (p->len == 0)
		return;
	last = *p;
	ppp_auth_input(to->a, p->proto, p->b, p->len, now);
}

/* Deliver from's queue to to (a copy: to may answer into its queue). */
static void
pump(struct fend *from, struct fend *to)
{
	static struct fpkt q[QMAX];
	int i, n = from->nq;

	memcpy(q, from->q, sizeof(q[0]) * (size_t)n);
	from->nq = 0;
	for (i = 0; i < n; i++)
		input(to, &q[i]);
}

static uint16_t
proto_of(uint8_t sel)
{
	static const uint16_t protos[] = { PPP_PROTO_PAP, PPP_PROTO_CHAP,
		PPP_PROTO_EAP, PPP_PROTO_LCP };

	return protos[sel % 4];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ppp_auth_method lcp[] = { PPP_AUTH_PAP,
		PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2, PPP_AUTH_EAP,
		PPP_AUTH_EAP };
	static struct fend auth, peer;
	struct ppp_auth_config ac, pc;
	struct fpkt p;
	struct fend *e;
	struct rd r;
	uint8_t m, flags, op, b, n;
	uint16_t dt;

	if (crypto == NULL && (crypto = ppp_crypto_new()) == NULL)
		abort();
	rd_init(&r, data, size);
	if (!rd_u8(&r, &m) || !rd_u8(&r, &flags))
		return 0;
	m %= 5;
	now = 1000;
	memset(&auth, 0, sizeof(auth));
	memset(&peer, 0, sizeof(peer));
	ppp_auth_config_default(&ac, PPP_ROLE_AUTHENTICATOR);
	ppp_auth_config_default(&pc, PPP_ROLE_PEER);
	ac.crypto = pc.crypto = crypto;
	ac.backend = &backend;
	ac.backend_arg = &auth;
	ac.name = "srv";
	pc.user = flags & 0x04 ? "DOMAIN\\User" : "User";
	pc.password = flags & 0x02 ? "wrong" : PASSWORD;
	if (flags & 0x08) {
		pc.eap_accept[0] =
		    m == 3 ? PPP_AUTH_MSCHAPV2 : PPP_AUTH_CHAP_MD5;
		pc.neap_accept = 1;
	}
	if (m == 3 || (flags & 0x10)) {
		ac.eap_offer[0] = PPP_AUTH_CHAP_MD5;
		ac.eap_offer[1] = PPP_AUTH_MSCHAPV2;
	}
	if (flags & 0x20)
		ac.max_requests = pc.max_requests = 2;
	auth.sync = flags & 0x01;
	auth.nt_hash = flags & 0x40;
	auth.method = peer.method = lcp[m];
	if ((auth.a = ppp_auth_new(&ac, &ops, &auth)) == NULL ||
	    (peer.a = ppp_auth_new(&pc, &ops, &peer)) == NULL)
		abort();
	end_start(&auth);
	end_start(&peer);
	while (rd_u8(&r, &op)) {
		e = op & 0x80 ? &peer : &auth;
		switch (op & 0x07) {
		case 0: /* a packet from the input */
			if (!rd_u8(&r, &b) || !rd_u8(&r, &n))
				break;
			memset(&p, 0, sizeof(p));
			p.proto = proto_of(b);
			p.len = n < rd_left(&r) ? n : rd_left(&r);
			rd_bytes(&r, p.b, p.len);
			input(e, &p);
			break;
		case 1: /* time passes */
			if (!rd_u16(&r, &dt))
				break;
			now += (uint64_t)dt * 8;
			ppp_auth_tick(auth.a, now);
			ppp_auth_tick(peer.a, now);
			break;
		case 2: /* the backend answers */
			if (rd_u8(&r, &b))
				answer(&auth, b);
			break;
		case 3: /* the network delivers */
			pump(&peer, &auth);
			pump(&auth, &peer);
			break;
		case 4: /* a lost packet */
			if (e->nq > 0)
				memmove(e->q, e->q + 1,
				    sizeof(e->q[0]) * (size_t)--e->nq);
			break;
		case 5: /* a mangled copy of the last delivery */
			if (!rd_u8(&r, &b) || !rd_u8(&r, &n) || last.len == 0)
				break;
			p = last;
			p.b[b % p.len] ^= n;
			input(e, &p);
			break;
		case 6: /* stop, or restart */
			if (op & 0x08) {
				ppp_auth_stop(e->a);
				e->pending = false;
			} else
				end_start(e);
			break;
		default: /* a duplicate */
			p = last;
			input(e, &p);
			break;
		}
		check_deadline(&auth);
		check_deadline(&peer);
		if (auth.done && auth.ok && !auth.yes)
			abort();
	}
	ppp_auth_free(auth.a);
	ppp_auth_free(peer.a);
	return 0;
}

/*
 * PAP (RFC 1334 2, spec/ppp.md 3), both roles.  The peer sends its
 * Authenticate-Request at once and again every restart_ms with a new Id;
 * the authenticator waits auth_wait_ms for one, asks the backend once
 * (trap 9) and repeats its verdict to every later Request (trap 8).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "ppp/auth_local.h"
#include "ppp/pap_packet.h"
#include "ppp/ppp_frame.h"

#define PAP_MSG_OK   "Access granted"
#define PAP_MSG_FAIL "Authentication failed"

/* RFC 1334 2.2.1: each Request, retransmissions too, has a new Id. */
static void
pap_send_request(struct ppp_auth *a, uint64_t now)
{
	struct pap_packet p;
	uint8_t buf[AUTH_PKT_MAX];
	struct wr w;

	if (a->ntx > 0)
		a->id++;
	memset(&p, 0, sizeof(p));
	p.code = PAP_AUTH_REQUEST;
	p.id = a->id;
	p.peer_id = (const uint8_t *)a->user;
	p.peer_id_len = strlen(a->user);
	p.passwd = (const uint8_t *)a->password;
	p.passwd_len = strlen(a->password);
	wr_init(&w, buf, sizeof(buf));
	if (pap_encode(&w, &p) != PPP_OK) {
		auth_finish(a, false, PPP_E_INVALID);
		return;
	}
	a->ntx++;
	auth_arm(a, now, a->cfg.restart_ms);
	/* The Request holds the password: not kept. */
	auth_send(a, PPP_PROTO_PAP, &w, false);
	OPENSSL_cleanse(buf, sizeof(buf));
}

static void
pap_send_verdict(struct ppp_auth *a, bool ok, uint8_t id)
{
	struct pap_packet p;
	uint8_t buf[PPP_PKT_HDR_LEN + 1 + sizeof(PAP_MSG_FAIL)];
	struct wr w;

	memset(&p, 0, sizeof(p));
	p.code = ok ? PAP_AUTH_ACK : PAP_AUTH_NAK;
	p.id = id;
	p.msg = (const uint8_t *)(ok ? PAP_MSG_OK : PAP_MSG_FAIL);
	p.msg_len = strlen((const char *)p.msg);
	wr_init(&w, buf, sizeof(buf));
	if (pap_encode(&w, &p) == PPP_OK)
		auth_send(a, PPP_PROTO_PAP, &w, true);
}

void
auth_pap_start(struct ppp_auth *a, uint64_t now)
{
	if (a->cfg.role == PPP_ROLE_AUTHENTICATOR) {
		/* spec/ppp.md 3: pppd's UPAP_DEFREQTIME. */
		auth_arm(a, now, a->cfg.auth_wait_ms);
		return;
	}
	if (strlen(a->user) > PAP_FIELD_MAX ||
	    strlen(a->password) > PAP_FIELD_MAX) {
		auth_finish(a, false, PPP_E_INVALID);
		return;
	}
	if (!auth_random(a, &a->id, 1)) {
		auth_finish(a, false, PPP_E_CRYPTO);
		return;
	}
	pap_send_request(a, now);
}

/*
 * Peer: an Ack or Nak for any Request of this run (a slow server may
 * answer one we have since retransmitted); a SoftEther Ack has no
 * Msg-Length (pap_decode accepts it).
 */
static void
pap_peer_input(struct ppp_auth *a, const struct pap_packet *p)
{
	if (a->phase != AUTH_RUN || (uint8_t)(a->id - p->id) >= a->ntx)
		return;
	if (p->code == PAP_AUTH_ACK) {
		memset(a->hlak, 0, sizeof(a->hlak));
		auth_finish(a, true, PPP_OK);
	} else if (p->code == PAP_AUTH_NAK)
		auth_finish(a, false, PPP_E_AUTH_FAILED);
}

static void
pap_auth_input(struct ppp_auth *a, const struct pap_packet *p)
{
	char password[PAP_FIELD_MAX + 1];

	if (p->code != PAP_AUTH_REQUEST)
		return;
	/* spec/ppp.md 3: a duplicate after the verdict gets it again. */
	if (a->phase == AUTH_DONE) {
		pap_send_verdict(a, a->result.ok, p->id);
		return;
	}
	/* trap 9: the backend is thinking; answer the latest Id later. */
	a->id = p->id;
	if (a->wait != AUTH_WAIT_NONE)
		return;
	if (!auth_name_copy(a->peer_name, p->peer_id, p->peer_id_len) ||
	    !auth_name_copy(password, p->passwd, p->passwd_len)) {
		auth_pap_verdict(a, false, 0);
		return;
	}
	auth_ask_password(a, password);
	OPENSSL_cleanse(password, sizeof(password));
}

void
auth_pap_input(struct ppp_auth *a, struct rd *r, uint64_t now)
{
	struct pap_packet p;

	(void)now;
	if (pap_decode(r, &p) != PPP_OK)
		return;
	if (a->cfg.role == PPP_ROLE_PEER)
		pap_peer_input(a, &p);
	else
		pap_auth_input(a, &p);
}

void
auth_pap_tick(struct ppp_auth *a, uint64_t now)
{
	if (a->cfg.role == PPP_ROLE_PEER && a->ntx < a->cfg.max_requests)
		pap_send_request(a, now);
	else
		auth_finish(a, false, PPP_E_AUTH_TIMEOUT);
}

/* trap 14: done() before the Ack; after the Nak for a failure. */
void
auth_pap_verdict(struct ppp_auth *a, bool ok, uint64_t now)
{
	(void)now;
	if (ok) {
		memset(a->hlak, 0, sizeof(a->hlak));
		if (auth_finish(a, true, PPP_OK))
			pap_send_verdict(a, true, a->id);
		return;
	}
	pap_send_verdict(a, false, a->id);
	auth_finish(a, false, PPP_E_AUTH_FAILED);
}

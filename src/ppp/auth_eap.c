/*
 * EAP (RFC 3748, spec/ppp.md 7), both roles: Identity, Nak, Notification,
 * MD5-Challenge and EAP-MSCHAPv2 (draft-kamath-pppext-eap-mschapv2,
 * spec/ppp.md 7.2-7.4).  Only the authenticator retransmits; the peer
 * answers each Request, the same Response again for the same Id, and
 * takes a Success or Failure only at the end of a method (trap 3).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "ppp/auth_local.h"
#include "ppp/eap_packet.h"
#include "ppp/mschap.h"
#include "ppp/ppp_frame.h"

#define EAP_MSG_CHANGE "Password change not supported"
#define EAP_MSG_FAIL   "Authentication failed"
#define MS_E_AUTH      691
#define MS_E_CHANGE    709

enum eap_auth_step {
	EAP_A_IDENTITY, /* Request/Identity sent */
	EAP_A_METHOD, /* MD5-Challenge or EAP-MSCHAPv2 Challenge sent */
	EAP_A_MS_SUCCESS, /* EAP-MSCHAPv2 Success Request sent */
	EAP_A_MS_FAILURE, /* EAP-MSCHAPv2 Failure Request sent */
};

/* Peer: what we answered last, which says what may end the method. */
enum eap_peer_step {
	EAP_P_NONE,
	EAP_P_IDENTITY,
	EAP_P_NAKED, /* a Failure may follow: nothing in common */
	EAP_P_MD5, /* a Success or Failure may follow */
	EAP_P_MS_RESPONSE, /* the server's Success or Failure Request */
	EAP_P_MS_OK, /* server verified: EAP-Success may follow */
	EAP_P_MS_FAILED, /* EAP-Failure may follow */
};

static uint8_t
eap_type_of(enum ppp_auth_method m)
{
	switch (m) {
	case PPP_AUTH_CHAP_MD5:
		return EAP_TYPE_MD5_CHALLENGE;
	case PPP_AUTH_MSCHAPV2:
		return EAP_TYPE_MSCHAPV2;
	default:
		return 0;
	}
}

static bool
eap_listed(const enum ppp_auth_method *list, size_t n, uint8_t type)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (type != 0 && eap_type_of(list[i]) == type)
			return true;
	return false;
}

/* --- authenticator --- */

static void
eap_send_request(struct ppp_auth *a, struct eap_packet *p, uint64_t now)
{
	uint8_t buf[AUTH_PKT_MAX];
	struct wr w;

	p->code = EAP_REQUEST;
	p->id = a->id;
	wr_init(&w, buf, sizeof(buf));
	if (eap_encode(&w, p) != PPP_OK) {
		auth_finish(a, false, PPP_E_INVALID);
		return;
	}
	a->ntx = 1;
	auth_arm(a, now, a->cfg.restart_ms);
	auth_send(a, PPP_PROTO_EAP, &w, true);
}

/* RFC 3748 4.2: Success and Failure carry the Id of the Response. */
static void
eap_send_final(struct ppp_auth *a, uint8_t code)
{
	struct eap_packet p;
	uint8_t buf[PPP_PKT_HDR_LEN];
	struct wr w;

	memset(&p, 0, sizeof(p));
	p.code = code;
	p.id = a->id;
	wr_init(&w, buf, sizeof(buf));
	if (eap_encode(&w, &p) == PPP_OK)
		auth_send(a, PPP_PROTO_EAP, &w, true);
}

static void
eap_auth_fail(struct ppp_auth *a, enum ppp_err reason)
{
	eap_send_final(a, EAP_FAILURE);
	auth_finish(a, false, reason);
}

static void
eap_method_request(struct ppp_auth *a, uint64_t now)
{
	struct eap_packet p;

	if (!auth_random(a, a->chal, sizeof(a->chal))) {
		auth_finish(a, false, PPP_E_CRYPTO);
		return;
	}
	a->id++;
	memset(&p, 0, sizeof(p));
	p.type = eap_type_of(a->inner);
	if (a->inner == PPP_AUTH_MSCHAPV2) {
		/* spec/ppp.md 7.3: pppd copies the EAP Id. */
		a->ms_id = a->id;
		p.ms_opcode = EAP_MSCHAPV2_CHALLENGE;
		p.ms_id = a->ms_id;
	}
	p.vn.value = a->chal;
	p.vn.value_len = sizeof(a->chal);
	p.vn.name = (const uint8_t *)a->name;
	p.vn.name_len = strlen(a->name);
	a->step = EAP_A_METHOD;
	eap_send_request(a, &p, now);
}

/* The EAP-MSCHAPv2 Success (3) or Failure (4) Request, spec/ppp.md 7.2. */
static void
eap_ms_verdict_request(
    struct ppp_auth *a, bool ok, uint32_t error, const char *msg, uint64_t now)
{
	struct eap_packet p;
	uint8_t text[256];
	struct wr t;
	enum ppp_err err;

	wr_init(&t, text, sizeof(text));
	err = ok ? auth_ms_success_text(a, &t)
		 : auth_ms_failure_text(a, &t, error, msg);
	if (err != PPP_OK) {
		eap_auth_fail(a, err);
		return;
	}
	a->id++;
	memset(&p, 0, sizeof(p));
	p.type = EAP_TYPE_MSCHAPV2;
	p.ms_opcode = ok ? EAP_MSCHAPV2_SUCCESS : EAP_MSCHAPV2_FAILURE;
	p.ms_id = a->ms_id;
	p.data = text;
	p.data_len = wr_len(&t);
	a->step = ok ? EAP_A_MS_SUCCESS : EAP_A_MS_FAILURE;
	eap_send_request(a, &p, now);
}

/* RFC 3748 5.3.1: one Nak, to the first Request of our method. */
static void
eap_auth_nak(struct ppp_auth *a, const struct eap_packet *p, uint64_t now)
{
	size_t i;

	if (a->naked) {
		eap_auth_fail(a, PPP_E_AUTH_REFUSED);
		return;
	}
	a->naked = true;
	for (i = 0; i < p->data_len; i++) {
		if (p->data[i] == eap_type_of(a->inner) ||
		    !eap_listed(
			a->cfg.eap_offer, a->cfg.neap_offer, p->data[i]))
			continue;
		a->inner = p->data[i] == EAP_TYPE_MSCHAPV2 ? PPP_AUTH_MSCHAPV2
							   : PPP_AUTH_CHAP_MD5;
		eap_method_request(a, now);
		return;
	}
	eap_auth_fail(a, PPP_E_AUTH_REFUSED);
}

static void
eap_auth_method(struct ppp_auth *a, const struct eap_packet *p, uint64_t now)
{
	if (p->type == EAP_TYPE_NAK) {
		eap_auth_nak(a, p, now);
		return;
	}
	if (p->type != eap_type_of(a->inner))
		return;
	if (a->inner == PPP_AUTH_CHAP_MD5) {
		memcpy(a->md5, p->vn.value, sizeof(a->md5));
		auth_ask_secret(a, a->inner);
		return;
	}
	/* trap 10: OpCode 7 gets a Failure, never a change. */
	if (eap_is_password_change(p)) {
		a->fail_reason = PPP_E_PASSWORD_CHANGE;
		eap_ms_verdict_request(
		    a, false, MS_E_CHANGE, EAP_MSG_CHANGE, now);
		return;
	}
	if (p->ms_opcode != EAP_MSCHAPV2_RESPONSE)
		return;
	if (!auth_name_copy(a->ms_name, p->vn.name, p->vn.name_len)) {
		eap_ms_verdict_request(a, false, MS_E_AUTH, EAP_MSG_FAIL, now);
		return;
	}
	memcpy(a->peer_chal, p->vn.ms.peer_challenge, sizeof(a->peer_chal));
	memcpy(a->nt_resp, p->vn.ms.nt_response, sizeof(a->nt_resp));
	auth_ask_secret(a, a->inner);
}

static void
eap_auth_identity(struct ppp_auth *a, const struct eap_packet *p, uint64_t now)
{
	if (p->type != EAP_TYPE_IDENTITY)
		return;
	if (!auth_name_copy(a->peer_name, p->data, p->data_len)) {
		eap_auth_fail(a, PPP_E_AUTH_FAILED);
		return;
	}
	if (a->cfg.neap_offer == 0 || eap_type_of(a->cfg.eap_offer[0]) == 0) {
		eap_auth_fail(a, PPP_E_AUTH_REFUSED);
		return;
	}
	a->inner = a->cfg.eap_offer[0];
	eap_method_request(a, now);
}

static void
eap_auth_input(struct ppp_auth *a, const struct eap_packet *p, uint64_t now)
{
	/* RFC 3748 4.1: a Response must match the outstanding Request. */
	if (p->code != EAP_RESPONSE || p->id != a->id)
		return;
	if (a->phase == AUTH_DONE) {
		auth_resend(a);
		return;
	}
	if (a->wait != AUTH_WAIT_NONE)
		return;
	switch (a->step) {
	case EAP_A_IDENTITY:
		eap_auth_identity(a, p, now);
		break;
	case EAP_A_METHOD:
		eap_auth_method(a, p, now);
		break;
	case EAP_A_MS_SUCCESS:
		if (p->type != EAP_TYPE_MSCHAPV2)
			break;
		/* trap 14: done() first, then EAP-Success. */
		if (p->ms_opcode == EAP_MSCHAPV2_SUCCESS) {
			if (auth_finish(a, true, PPP_OK))
				eap_send_final(a, EAP_SUCCESS);
		} else if (p->ms_opcode == EAP_MSCHAPV2_FAILURE)
			eap_auth_fail(a, PPP_E_AUTH_FAILED);
		break;
	case EAP_A_MS_FAILURE:
		if (p->type == EAP_TYPE_MSCHAPV2 &&
		    p->ms_opcode == EAP_MSCHAPV2_FAILURE)
			eap_auth_fail(a, a->fail_reason);
		break;
	default:
		break;
	}
}

void
auth_eap_secret(struct ppp_auth *a, enum ppp_secret_kind kind,
    const void *secret, size_t len, uint64_t now)
{
	enum ppp_err err;

	if (a->inner == PPP_AUTH_MSCHAPV2) {
		err = auth_ms_check(a, a->ms_name, kind, secret, len, true);
		if (err != PPP_OK)
			a->fail_reason = err;
		eap_ms_verdict_request(
		    a, err == PPP_OK, MS_E_AUTH, EAP_MSG_FAIL, now);
		return;
	}
	memset(a->hlak, 0, sizeof(a->hlak));
	if ((err = auth_md5_check(a, a->id, kind, secret, len)) != PPP_OK) {
		eap_auth_fail(a, err);
		return;
	}
	if (auth_finish(a, true, PPP_OK))
		eap_send_final(a, EAP_SUCCESS);
}

/* --- peer --- */

static void
eap_peer_send(
    struct ppp_auth *a, struct eap_packet *p, uint8_t id, uint64_t now)
{
	uint8_t buf[AUTH_PKT_MAX];
	struct wr w;

	p->code = EAP_RESPONSE;
	p->id = id;
	wr_init(&w, buf, sizeof(buf));
	if (eap_encode(&w, p) != PPP_OK) {
		auth_finish(a, false, PPP_E_INVALID);
		return;
	}
	a->id = id;
	a->have_resp = true;
	auth_arm(a, now, a->cfg.peer_wait_ms);
	auth_send(a, PPP_PROTO_EAP, &w, true);
}

/* RFC 3748 5.3.1: the types we would do instead, or 0 for none. */
static void
eap_peer_nak(struct ppp_auth *a, uint8_t id, uint64_t now)
{
	struct eap_packet p;
	uint8_t types[2];
	size_t i, n = 0;

	for (i = 0; i < a->cfg.neap_accept; i++)
		if (eap_type_of(a->cfg.eap_accept[i]) != 0)
			types[n++] = eap_type_of(a->cfg.eap_accept[i]);
	if (n == 0)
		types[n++] = 0;
	memset(&p, 0, sizeof(p));
	p.type = EAP_TYPE_NAK;
	p.data = types;
	p.data_len = n;
	a->step = EAP_P_NAKED;
	eap_peer_send(a, &p, id, now);
}

static void
eap_peer_md5(struct ppp_auth *a, const struct eap_packet *r, uint64_t now)
{
	struct eap_packet p;
	uint8_t md5[CHAP_MD5_LEN];
	enum ppp_err err;

	if ((err = chap_md5_response(a->cfg.crypto, r->id,
		 (const uint8_t *)a->password, strlen(a->password), r->vn.value,
		 r->vn.value_len, md5)) != PPP_OK) {
		auth_finish(a, false, err);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.type = EAP_TYPE_MD5_CHALLENGE;
	p.vn.value = md5;
	p.vn.value_len = sizeof(md5);
	p.vn.name = (const uint8_t *)a->user;
	p.vn.name_len = strlen(a->user);
	a->inner = PPP_AUTH_CHAP_MD5;
	memset(a->hlak, 0, sizeof(a->hlak));
	a->step = EAP_P_MD5;
	eap_peer_send(a, &p, r->id, now);
}

static void
eap_peer_ms(struct ppp_auth *a, const struct eap_packet *r, uint64_t now)
{
	struct eap_packet p;
	enum ppp_err err;

	memset(&p, 0, sizeof(p));
	p.type = EAP_TYPE_MSCHAPV2;
	switch (r->ms_opcode) {
	case EAP_MSCHAPV2_CHALLENGE:
		if ((err = auth_ms_respond(a, r->vn.value)) != PPP_OK) {
			auth_finish(a, false, err);
			return;
		}
		p.ms_opcode = EAP_MSCHAPV2_RESPONSE;
		p.ms_id = r->ms_id;
		memcpy(
		    p.vn.ms.peer_challenge, a->peer_chal, sizeof(a->peer_chal));
		memcpy(p.vn.ms.nt_response, a->nt_resp, sizeof(a->nt_resp));
		p.vn.name = (const uint8_t *)a->user;
		p.vn.name_len = strlen(a->user);
		a->inner = PPP_AUTH_MSCHAPV2;
		a->step = EAP_P_MS_RESPONSE;
		break;
	case EAP_MSCHAPV2_SUCCESS:
		if (a->step != EAP_P_MS_RESPONSE)
			return;
		if (!auth_ms_success_ok(a, r->data, r->data_len, true)) {
			auth_finish(a, false, PPP_E_AUTH_SERVER);
			return;
		}
		p.ms_opcode = EAP_MSCHAPV2_SUCCESS;
		a->step = EAP_P_MS_OK;
		break;
	case EAP_MSCHAPV2_FAILURE:
		if (a->step != EAP_P_MS_RESPONSE)
			return;
		a->mschap_error = auth_ms_failure_error(r->data, r->data_len);
		p.ms_opcode = EAP_MSCHAPV2_FAILURE;
		a->step = EAP_P_MS_FAILED;
		break;
	default:
		return;
	}
	eap_peer_send(a, &p, r->id, now);
}

static void
eap_peer_request(struct ppp_auth *a, const struct eap_packet *r, uint64_t now)
{
	struct eap_packet p;

	/*
	 * RFC 3748 4.1: a retransmitted Request gets the same Response.  A
	 * retransmission has the same Type too: SoftEther sends its EAP-TLS
	 * Start with the Identity Request's Id, a new Request all the same.
	 */
	if (a->have_resp && r->id == a->id && r->type == a->req_type) {
		auth_resend(a);
		return;
	}
	a->req_type = r->type;
	memset(&p, 0, sizeof(p));
	switch (r->type) {
	case EAP_TYPE_IDENTITY:
		p.type = EAP_TYPE_IDENTITY;
		p.data = (const uint8_t *)a->user;
		p.data_len = strlen(a->user);
		if (a->step == EAP_P_NONE)
			a->step = EAP_P_IDENTITY;
		eap_peer_send(a, &p, r->id, now);
		break;
	case EAP_TYPE_NOTIFICATION:
		p.type = EAP_TYPE_NOTIFICATION;
		eap_peer_send(a, &p, r->id, now);
		break;
	case EAP_TYPE_MD5_CHALLENGE:
	case EAP_TYPE_MSCHAPV2:
		if (!eap_listed(a->cfg.eap_accept, a->cfg.neap_accept, r->type))
			eap_peer_nak(a, r->id, now);
		else if (r->type == EAP_TYPE_MD5_CHALLENGE)
			eap_peer_md5(a, r, now);
		else
			eap_peer_ms(a, r, now);
		break;
	default:
		eap_peer_nak(a, r->id, now);
		break;
	}
}

/*
 * trap 3: Success only once a method has succeeded (never on the strength
 * of an unverified EAP-MSCHAPv2 exchange), Failure only after a method
 * or a Nak; any Id (pppd does not check it either).
 */
static void
eap_peer_input(struct ppp_auth *a, const struct eap_packet *p, uint64_t now)
{
	if (a->phase != AUTH_RUN)
		return;
	switch (p->code) {
	case EAP_REQUEST:
		eap_peer_request(a, p, now);
		break;
	case EAP_SUCCESS:
		if (a->step == EAP_P_MD5 || a->step == EAP_P_MS_OK)
			auth_finish(a, true, PPP_OK);
		break;
	case EAP_FAILURE:
		/* After our Nak it says "no common type", not "wrong
		 * password": the client then tries without EAP. */
		if (a->step == EAP_P_NAKED)
			auth_finish(a, false, PPP_E_AUTH_EAP_NO_TYPE);
		else if (a->step > EAP_P_NAKED)
			auth_finish(a, false, PPP_E_AUTH_FAILED);
		break;
	default:
		break;
	}
}

/*
 * RFC 3748 4.2: Success is never retransmitted; a peer whose method is
 * complete may take the authenticator's network-layer traffic (its NCP
 * requests) as the Success that was lost.
 */
void
auth_eap_lower_success(struct ppp_auth *a)
{
	if (a->cfg.role == PPP_ROLE_PEER && a->phase == AUTH_RUN &&
	    (a->step == EAP_P_MD5 || a->step == EAP_P_MS_OK))
		auth_finish(a, true, PPP_OK);
}

bool
auth_eap_peer_naked(const struct ppp_auth *a)
{
	return a->cfg.role == PPP_ROLE_PEER && a->phase == AUTH_RUN &&
	    a->method == PPP_AUTH_EAP && a->step == EAP_P_NAKED;
}

/* --- both --- */

void
auth_eap_start(struct ppp_auth *a, uint64_t now)
{
	struct eap_packet p;

	if (a->cfg.role == PPP_ROLE_PEER) {
		a->step = EAP_P_NONE;
		auth_arm(a, now, a->cfg.peer_wait_ms);
		return;
	}
	if (!auth_random(a, &a->id, 1)) {
		auth_finish(a, false, PPP_E_CRYPTO);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.type = EAP_TYPE_IDENTITY;
	a->step = EAP_A_IDENTITY;
	eap_send_request(a, &p, now);
}

void
auth_eap_input(struct ppp_auth *a, struct rd *r, uint64_t now)
{
	struct eap_packet p;

	if (eap_decode(r, &p) != PPP_OK)
		return;
	if (a->cfg.role == PPP_ROLE_PEER)
		eap_peer_input(a, &p, now);
	else
		eap_auth_input(a, &p, now);
}

void
auth_eap_tick(struct ppp_auth *a, uint64_t now)
{
	if (a->cfg.role == PPP_ROLE_PEER) {
		a->tx_len = 0;
		auth_finish(a, false,
		    a->step == EAP_P_MS_FAILED	 ? PPP_E_AUTH_FAILED
			: a->step == EAP_P_NAKED ? PPP_E_AUTH_EAP_NO_TYPE
						 : PPP_E_AUTH_TIMEOUT);
		return;
	}
	if (auth_retransmit(a, now))
		return;
	/* The peer never acknowledged our Failure Request: still a no. */
	if (a->step == EAP_A_MS_FAILURE) {
		eap_auth_fail(a, a->fail_reason);
		return;
	}
	a->tx_len = 0;
	auth_finish(a, false, PPP_E_AUTH_TIMEOUT);
}

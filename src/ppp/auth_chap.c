/*
 * CHAP (RFC 1994, spec/ppp.md 4) with MD5 and MS-CHAPv2 (RFC 2759,
 * spec/ppp.md 5), both roles, and the MS-CHAPv2 checks and texts that
 * EAP-MSCHAPv2 shares.  The authenticator retransmits its Challenge,
 * asks the backend once per Challenge (trap 9), compares in constant time
 * and repeats its verdict to a duplicate Response (trap 8); the peer
 * answers every Challenge and checks the server's authenticator response.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "ppp/auth_local.h"
#include "ppp/chap_packet.h"
#include "ppp/mschap.h"
#include "ppp/ppp_frame.h"

#define CHAP_MSG_OK	"Access granted"
#define CHAP_MSG_FAIL	"Authentication failed"
#define CHAP_MSG_CHANGE "Password change not supported"
#define MS_E_AUTH	691 /* bad user or password */
#define MS_E_CHANGE	709 /* error changing password */
#define MS_VERSION	3

enum chap_step {
	CHAP_WAIT_RESPONSE, /* authenticator */
	CHAP_WAIT_CHALLENGE, /* peer: nothing answered yet */
	CHAP_WAIT_VERDICT, /* peer: tx is our Response */
};

static uint8_t
chap_alg(const struct ppp_auth *a)
{
	return a->method == PPP_AUTH_MSCHAPV2 ? CHAP_ALG_MSCHAPV2
					      : CHAP_ALG_MD5;
}

/* --- shared with EAP --- */

/* The backend's secret as an NT password hash (spec/ppp.md 5.2). */
static enum ppp_err
secret_hash(struct ppp_auth *a, enum ppp_secret_kind kind, const void *secret,
    size_t len, uint8_t hash[MSCHAP_HASH_LEN])
{
	char pw[AUTH_PASSWORD_MAX + 1];
	enum ppp_err err;

	switch (kind) {
	case PPP_SECRET_NT_HASH:
		if (len != MSCHAP_HASH_LEN)
			return PPP_E_AUTH_FAILED;
		memcpy(hash, secret, MSCHAP_HASH_LEN);
		return PPP_OK;
	case PPP_SECRET_PASSWORD:
		if (len > AUTH_PASSWORD_MAX ||
		    (len > 0 && memchr(secret, 0, len) != NULL))
			return PPP_E_AUTH_FAILED;
		if (len > 0)
			memcpy(pw, secret, len);
		pw[len] = '\0';
		err = mschap_nt_password_hash(a->cfg.crypto, pw, hash);
		OPENSSL_cleanse(pw, sizeof(pw));
		if (err == PPP_E_INVALID)
			return PPP_E_AUTH_FAILED;
		return err;
	default:
		return PPP_E_AUTH_FAILED;
	}
}

/* Both ends hand out the same 32 bytes (spec/ppp.md 6.4, 7.4). */
static enum ppp_err
ms_key(struct ppp_auth *a, const uint8_t hash[MSCHAP_HASH_LEN], bool eap)
{
	uint8_t msk[MSCHAP_MSK_LEN];
	enum ppp_err err;

	if (!eap)
		return mschap_hlak(
		    a->cfg.crypto, a->cfg.role, hash, a->nt_resp, a->hlak);
	err = mschap_msk(a->cfg.crypto, hash, a->nt_resp, msk);
	memcpy(a->hlak, msk, sizeof(a->hlak));
	OPENSSL_cleanse(msk, sizeof(msk));
	return err;
}

enum ppp_err
auth_md5_check(struct ppp_auth *a, uint8_t id, enum ppp_secret_kind kind,
    const void *secret, size_t len)
{
	uint8_t want[CHAP_MD5_LEN];
	enum ppp_err err;

	/* RFC 1994 4.1: MD5 needs the cleartext. */
	if (kind != PPP_SECRET_PASSWORD)
		return PPP_E_AUTH_FAILED;
	if ((err = chap_md5_response(a->cfg.crypto, id, secret, len, a->chal,
		 sizeof(a->chal), want)) != PPP_OK)
		return err;
	err = CRYPTO_memcmp(want, a->md5, sizeof(want)) == 0
	    ? PPP_OK
	    : PPP_E_AUTH_FAILED;
	OPENSSL_cleanse(want, sizeof(want));
	return err;
}

/* spec/ppp.md 5.4: the user for the ChallengeHash loses its domain in
 * mschap (trap 11); the backend saw the full name. */
enum ppp_err
auth_ms_check(struct ppp_auth *a, const char *user, enum ppp_secret_kind kind,
    const void *secret, size_t len, bool eap)
{
	uint8_t hash[MSCHAP_HASH_LEN], want[MSCHAP_NT_RESPONSE_LEN];
	enum ppp_err err;

	if ((err = secret_hash(a, kind, secret, len, hash)) != PPP_OK)
		goto out;
	if ((err = mschap_nt_response(a->cfg.crypto, a->chal, a->peer_chal,
		 user, hash, want)) != PPP_OK)
		goto out;
	if (CRYPTO_memcmp(want, a->nt_resp, sizeof(want)) != 0) {
		err = PPP_E_AUTH_FAILED;
		goto out;
	}
	if ((err = mschap_authenticator_response(a->cfg.crypto, hash,
		 a->nt_resp, a->peer_chal, a->chal, user, a->auth_resp)) !=
	    PPP_OK)
		goto out;
	err = ms_key(a, hash, eap);
out:
	OPENSSL_cleanse(hash, sizeof(hash));
	OPENSSL_cleanse(want, sizeof(want));
	return err;
}

enum ppp_err
auth_ms_success_text(struct ppp_auth *a, struct wr *w)
{
	struct chap_ms_success s;

	memset(&s, 0, sizeof(s));
	s.auth_resp = (const uint8_t *)a->auth_resp;
	s.has_msg = true;
	s.msg = (const uint8_t *)CHAP_MSG_OK;
	s.msg_len = strlen(CHAP_MSG_OK);
	return chap_ms_success_build(w, &s);
}

/* spec/ppp.md 5.1: R=0 so Windows does not retry, V=3 as Windows. */
enum ppp_err
auth_ms_failure_text(
    struct ppp_auth *a, struct wr *w, uint32_t error, const char *msg)
{
	struct chap_ms_failure f;

	memset(&f, 0, sizeof(f));
	f.has_error = true;
	f.error = error;
	f.has_retry = true;
	f.retry = false;
	f.has_challenge = true;
	if (!auth_random(a, f.challenge, sizeof(f.challenge)))
		return PPP_E_CRYPTO;
	f.has_version = true;
	f.version = MS_VERSION;
	f.has_msg = true;
	f.msg = (const uint8_t *)msg;
	f.msg_len = strlen(msg);
	return chap_ms_failure_build(w, &f);
}

enum ppp_err
auth_ms_respond(
    struct ppp_auth *a, const uint8_t auth_chal[CHAP_MS_CHALLENGE_LEN])
{
	enum ppp_err err;

	memcpy(a->chal, auth_chal, sizeof(a->chal));
	if (!a->have_hash) {
		if ((err = mschap_nt_password_hash(
			 a->cfg.crypto, a->password, a->hash)) != PPP_OK)
			return err;
		a->have_hash = true;
	}
	if (!auth_random(a, a->peer_chal, sizeof(a->peer_chal)))
		return PPP_E_CRYPTO;
	if ((err = mschap_nt_response(a->cfg.crypto, a->chal, a->peer_chal,
		 a->user, a->hash, a->nt_resp)) != PPP_OK)
		return err;
	return mschap_authenticator_response(a->cfg.crypto, a->hash, a->nt_resp,
	    a->peer_chal, a->chal, a->user, a->auth_resp);
}

/* spec/ppp.md 5.1: a Success we cannot verify is a failure. */
bool
auth_ms_success_ok(
    struct ppp_auth *a, const uint8_t *text, size_t len, bool eap)
{
	struct chap_ms_success s;

	if (!a->have_hash || chap_ms_success_parse(text, len, &s) != PPP_OK ||
	    !mschap_authenticator_response_ok(
		a->auth_resp, (const char *)s.auth_resp, MSCHAP_AUTH_RESP_LEN))
		return false;
	return ms_key(a, a->hash, eap) == PPP_OK;
}

int
auth_ms_failure_error(const uint8_t *text, size_t len)
{
	struct chap_ms_failure f;

	/* Whatever the parser says, a Failure is a failure. */
	chap_ms_failure_parse(text, len, &f);
	if (!f.has_error || f.error > 999999)
		return 0;
	return (int)f.error;
}

/* --- authenticator --- */

static void
chap_send_challenge(struct ppp_auth *a, uint64_t now)
{
	struct chap_packet p;
	uint8_t buf[AUTH_PKT_MAX];
	struct wr w;

	memset(&p, 0, sizeof(p));
	p.code = CHAP_CHALLENGE;
	p.id = a->id;
	p.vn.value = a->chal;
	p.vn.value_len = sizeof(a->chal);
	p.vn.name = (const uint8_t *)a->name;
	p.vn.name_len = strlen(a->name);
	wr_init(&w, buf, sizeof(buf));
	if (chap_encode(&w, chap_alg(a), &p) != PPP_OK) {
		auth_finish(a, false, PPP_E_INVALID);
		return;
	}
	a->ntx = 1;
	auth_arm(a, now, a->cfg.restart_ms);
	auth_send(a, PPP_PROTO_CHAP, &w, true);
}

/* Success or Failure with the Response's Id, kept for duplicates. */
static void
chap_send_status(struct ppp_auth *a, uint8_t code, uint8_t id, uint32_t error,
    const char *msg)
{
	struct chap_packet p;
	uint8_t text[256], buf[AUTH_PKT_MAX];
	struct wr t, w;
	enum ppp_err err = PPP_OK;

	wr_init(&t, text, sizeof(text));
	if (a->method != PPP_AUTH_MSCHAPV2)
		wr_str(&t, msg);
	else if (code == CHAP_SUCCESS)
		err = auth_ms_success_text(a, &t);
	else
		err = auth_ms_failure_text(a, &t, error, msg);
	if (err != PPP_OK || !wr_ok(&t))
		return;
	memset(&p, 0, sizeof(p));
	p.code = code;
	p.id = id;
	p.msg = text;
	p.msg_len = wr_len(&t);
	wr_init(&w, buf, sizeof(buf));
	if (chap_encode(&w, chap_alg(a), &p) == PPP_OK)
		auth_send(a, PPP_PROTO_CHAP, &w, true);
}

static void
chap_fail(struct ppp_auth *a, uint8_t id, uint32_t error, const char *msg,
    enum ppp_err reason)
{
	chap_send_status(a, CHAP_FAILURE, id, error, msg);
	auth_finish(a, false, reason);
}

static void
chap_auth_input(struct ppp_auth *a, const struct chap_packet *p)
{
	/* trap 10: refuse a password change, never offer one (E=648). */
	if (chap_code_is_password_change(p->code)) {
		if (a->method == PPP_AUTH_MSCHAPV2 && a->phase == AUTH_RUN)
			chap_fail(a, p->id, MS_E_CHANGE, CHAP_MSG_CHANGE,
			    PPP_E_PASSWORD_CHANGE);
		return;
	}
	/* RFC 1994 4.1: only a Response to the current Challenge. */
	if (p->code != CHAP_RESPONSE || p->id != a->id)
		return;
	if (a->phase == AUTH_DONE) {
		auth_resend(a);
		return;
	}
	if (a->wait != AUTH_WAIT_NONE)
		return;
	if (!auth_name_copy(a->peer_name, p->vn.name, p->vn.name_len)) {
		chap_fail(
		    a, p->id, MS_E_AUTH, CHAP_MSG_FAIL, PPP_E_AUTH_FAILED);
		return;
	}
	if (a->method == PPP_AUTH_MSCHAPV2) {
		memcpy(a->peer_chal, p->vn.ms.peer_challenge,
		    sizeof(a->peer_chal));
		memcpy(a->nt_resp, p->vn.ms.nt_response, sizeof(a->nt_resp));
	} else
		memcpy(a->md5, p->vn.value, sizeof(a->md5));
	auth_ask_secret(a, a->method);
}

void
auth_chap_secret(struct ppp_auth *a, enum ppp_secret_kind kind,
    const void *secret, size_t len, uint64_t now)
{
	enum ppp_err err;

	(void)now;
	if (a->method == PPP_AUTH_MSCHAPV2)
		err = auth_ms_check(a, a->peer_name, kind, secret, len, false);
	else {
		err = auth_md5_check(a, a->id, kind, secret, len);
		memset(a->hlak, 0, sizeof(a->hlak));
	}
	if (err != PPP_OK) {
		chap_fail(a, a->id, MS_E_AUTH, CHAP_MSG_FAIL, err);
		return;
	}
	/* trap 14: the link enters the Network phase, then Success. */
	if (auth_finish(a, true, PPP_OK))
		chap_send_status(a, CHAP_SUCCESS, a->id, 0, CHAP_MSG_OK);
}

/* --- peer --- */

static void
chap_peer_respond(struct ppp_auth *a, const struct chap_packet *c, uint64_t now)
{
	struct chap_packet p;
	uint8_t md5[CHAP_MD5_LEN], buf[AUTH_PKT_MAX];
	struct wr w;
	enum ppp_err err;

	memset(&p, 0, sizeof(p));
	p.code = CHAP_RESPONSE;
	p.id = c->id;
	if (a->method == PPP_AUTH_MSCHAPV2) {
		/* RFC 2759 4: a fresh Peer-Challenge for each new Id. */
		err = auth_ms_respond(a, c->vn.value);
		memcpy(
		    p.vn.ms.peer_challenge, a->peer_chal, sizeof(a->peer_chal));
		memcpy(p.vn.ms.nt_response, a->nt_resp, sizeof(a->nt_resp));
	} else {
		err = chap_md5_response(a->cfg.crypto, c->id,
		    (const uint8_t *)a->password, strlen(a->password),
		    c->vn.value, c->vn.value_len, md5);
		p.vn.value = md5;
		p.vn.value_len = sizeof(md5);
	}
	if (err != PPP_OK) {
		auth_finish(a, false, err);
		return;
	}
	p.vn.name = (const uint8_t *)a->user;
	p.vn.name_len = strlen(a->user);
	wr_init(&w, buf, sizeof(buf));
	if (chap_encode(&w, chap_alg(a), &p) != PPP_OK) {
		auth_finish(a, false, PPP_E_INVALID);
		return;
	}
	a->id = c->id;
	a->have_resp = true;
	a->step = CHAP_WAIT_VERDICT;
	/* Repeated until a verdict comes: see auth_chap_tick. */
	a->ntx = 1;
	auth_arm(a, now, a->cfg.restart_ms);
	auth_send(a, PPP_PROTO_CHAP, &w, true);
}

static void
chap_peer_input(struct ppp_auth *a, const struct chap_packet *p, uint64_t now)
{
	if (a->phase != AUTH_RUN)
		return;
	if (p->code == CHAP_CHALLENGE) {
		/* spec/ppp.md 4: the same Id gets the same Response. */
		if (a->have_resp && p->id == a->id)
			auth_resend(a);
		else
			chap_peer_respond(a, p, now);
		return;
	}
	if (a->step != CHAP_WAIT_VERDICT || p->id != a->id)
		return;
	if (p->code == CHAP_SUCCESS) {
		if (a->method == PPP_AUTH_CHAP_MD5)
			memset(a->hlak, 0, sizeof(a->hlak));
		else if (!auth_ms_success_ok(a, p->msg, p->msg_len, false)) {
			auth_finish(a, false, PPP_E_AUTH_SERVER);
			return;
		}
		auth_finish(a, true, PPP_OK);
	} else if (p->code == CHAP_FAILURE) {
		if (a->method == PPP_AUTH_MSCHAPV2)
			a->mschap_error =
			    auth_ms_failure_error(p->msg, p->msg_len);
		auth_finish(a, false, PPP_E_AUTH_FAILED);
	}
}

/* --- both --- */

void
auth_chap_start(struct ppp_auth *a, uint64_t now)
{
	if (a->cfg.role == PPP_ROLE_PEER) {
		/*
		 * After our EAP Nak, SoftEther (5.01.9674) renegotiates LCP
		 * for MS-CHAPv2 and never sends the Challenge (its auth
		 * method stays EAP).  A server that switched methods sends
		 * its Challenge as LCP opens (RFC 1994 2): waiting two
		 * restart periods, not a minute, lets the client try again
		 * at once without EAP.
		 */
		a->step = CHAP_WAIT_CHALLENGE;
		auth_arm(a, now,
		    a->eap_gave_up ? 2 * a->cfg.restart_ms
				   : a->cfg.peer_wait_ms);
		return;
	}
	a->step = CHAP_WAIT_RESPONSE;
	if (!auth_random(a, &a->id, 1) ||
	    !auth_random(a, a->chal, sizeof(a->chal))) {
		auth_finish(a, false, PPP_E_CRYPTO);
		return;
	}
	chap_send_challenge(a, now);
}

void
auth_chap_input(struct ppp_auth *a, struct rd *r, uint64_t now)
{
	struct chap_packet p;

	if (chap_decode(r, chap_alg(a), &p) != PPP_OK)
		return;
	if (a->cfg.role == PPP_ROLE_PEER)
		chap_peer_input(a, &p, now);
	else
		chap_auth_input(a, &p);
}

void
auth_chap_tick(struct ppp_auth *a, uint64_t now)
{
	if (a->cfg.role == PPP_ROLE_AUTHENTICATOR && auth_retransmit(a, now))
		return;
	/*
	 * Only the authenticator retransmits Challenges (RFC 1994 4.1), so
	 * a lost Success or Failure would leave us waiting for nothing: the
	 * peer repeats its Response, which the authenticator answers with
	 * the same verdict again (spec/ppp.md 4).
	 */
	if (a->cfg.role == PPP_ROLE_PEER && a->step == CHAP_WAIT_VERDICT &&
	    auth_retransmit(a, now))
		return;
	/* No verdict to repeat: a late Response is discarded. */
	a->tx_len = 0;
	auth_finish(a, false,
	    a->eap_gave_up && a->step == CHAP_WAIT_CHALLENGE
		? PPP_E_AUTH_EAP_NO_TYPE
		: PPP_E_AUTH_TIMEOUT);
}

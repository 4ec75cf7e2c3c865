#include "ppp/auth.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ppp/auth_local.h"
#include "ppp/ppp_frame.h"

/* spec/ppp.md 1.5, trap 8: pppd's defaults. */
void
ppp_auth_config_default(struct ppp_auth_config *cfg, enum ppp_role role)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = role;
	cfg->restart_ms = 3000;
	cfg->max_requests = 10;
	cfg->peer_wait_ms = 60000;
	cfg->auth_wait_ms = 30000;
	/* EAP-MSCHAPv2 first: the only one of the two that yields keys. */
	cfg->eap_accept[0] = PPP_AUTH_MSCHAPV2;
	cfg->eap_accept[1] = PPP_AUTH_CHAP_MD5;
	cfg->neap_accept = 2;
	cfg->eap_offer[0] = PPP_AUTH_MSCHAPV2;
	cfg->eap_offer[1] = PPP_AUTH_CHAP_MD5;
	cfg->neap_offer = 2;
}

static char *
str_copy(const char *s, size_t max)
{
	if (s == NULL)
		s = "";
	if (strnlen(s, max + 1) > max)
		return NULL;
	return strdup(s);
}

/*
 * NULL for a config it cannot run: no crypto, a role without what it
 * needs (peer: credentials that fit PAP's one-byte lengths are checked
 * at start; authenticator: a backend), names over 255 bytes.
 */
struct ppp_auth *
ppp_auth_new(const struct ppp_auth_config *cfg, const struct ppp_auth_ops *ops,
    void *arg)
{
	struct ppp_auth *a;

	if (cfg == NULL || ops == NULL || ops->send == NULL ||
	    ops->done == NULL || cfg->crypto == NULL || cfg->neap_accept > 2 ||
	    cfg->neap_offer > 2)
		return NULL;
	if (cfg->role == PPP_ROLE_AUTHENTICATOR) {
		if (cfg->backend == NULL ||
		    cfg->backend->check_password == NULL ||
		    cfg->backend->get_secret == NULL)
			return NULL;
	} else if (cfg->role != PPP_ROLE_PEER)
		return NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->cfg = *cfg;
	a->ops = ops;
	a->arg = arg;
	a->deadline = PPP_AUTH_NO_DEADLINE;
	if ((a->user = str_copy(cfg->user, PPP_AUTH_NAME_MAX)) == NULL ||
	    (a->password = str_copy(cfg->password, AUTH_PASSWORD_MAX)) ==
		NULL ||
	    (a->name = str_copy(cfg->name, PPP_AUTH_NAME_MAX)) == NULL)
		goto fail;
	a->cfg.user = a->user;
	a->cfg.password = a->password;
	a->cfg.name = a->name;
	if (a->cfg.max_requests == 0)
		a->cfg.max_requests = 1;
	return a;
fail:
	ppp_auth_free(a);
	return NULL;
}

/* The backend must not answer for a after this. */
void
ppp_auth_free(struct ppp_auth *a)
{
	if (a == NULL)
		return;
	ppp_auth_stop(a);
	if (a->password != NULL) {
		OPENSSL_cleanse(a->password, strlen(a->password));
		free(a->password);
	}
	free(a->user);
	free(a->name);
	OPENSSL_cleanse(a, sizeof(*a));
	free(a);
}

static void
auth_forget(struct ppp_auth *a)
{
	OPENSSL_cleanse(a->hash, sizeof(a->hash));
	OPENSSL_cleanse(a->hlak, sizeof(a->hlak));
	OPENSSL_cleanse(a->result.hlak, sizeof(a->result.hlak));
	OPENSSL_cleanse(a->nt_resp, sizeof(a->nt_resp));
	OPENSSL_cleanse(a->md5, sizeof(a->md5));
	OPENSSL_cleanse(a->tx, sizeof(a->tx));
	a->have_hash = false;
}

void
ppp_auth_lower_success(struct ppp_auth *a, uint64_t now)
{
	(void)now;
	if (a != NULL && a->method == PPP_AUTH_EAP)
		auth_eap_lower_success(a);
}

void
ppp_auth_stop(struct ppp_auth *a)
{
	if (a == NULL)
		return;
	if (auth_eap_peer_naked(a))
		a->eap_gave_up = true;
	a->epoch++;
	a->phase = AUTH_IDLE;
	a->wait = AUTH_WAIT_NONE;
	a->deadline = PPP_AUTH_NO_DEADLINE;
	a->tx_len = 0;
	auth_forget(a);
}

bool
ppp_auth_awaiting_verdict(const struct ppp_auth *a)
{
	/* PAP's Request holds the password and is not kept: ntx counts it. */
	return a != NULL && a->cfg.role == PPP_ROLE_PEER &&
	    a->phase == AUTH_RUN && (a->tx_len > 0 || a->ntx > 0);
}

void
ppp_auth_start(struct ppp_auth *a, enum ppp_auth_method method, uint64_t now)
{
	ppp_auth_stop(a);
	a->method = method;
	a->inner = PPP_AUTH_NONE;
	a->phase = AUTH_RUN;
	a->step = 0;
	a->ntx = 0;
	a->id = 0;
	a->have_resp = false;
	a->naked = false;
	a->fail_reason = PPP_E_AUTH_FAILED;
	a->mschap_error = 0;
	a->peer_name[0] = '\0';
	a->ms_name[0] = '\0';
	memset(&a->result, 0, sizeof(a->result));
	switch (method) {
	case PPP_AUTH_NONE:
		/* spec/sstp.md 4.4: no authentication, HLAK zeros. */
		auth_finish(a, true, PPP_OK);
		break;
	case PPP_AUTH_PAP:
		auth_pap_start(a, now);
		break;
	case PPP_AUTH_CHAP_MD5:
	case PPP_AUTH_MSCHAPV2:
		auth_chap_start(a, now);
		break;
	case PPP_AUTH_EAP:
		auth_eap_start(a, now);
		break;
	default:
		auth_finish(a, false, PPP_E_INVALID);
		break;
	}
}

static uint16_t
auth_protocol(enum ppp_auth_method m)
{
	switch (m) {
	case PPP_AUTH_PAP:
		return PPP_PROTO_PAP;
	case PPP_AUTH_CHAP_MD5:
	case PPP_AUTH_MSCHAPV2:
		return PPP_PROTO_CHAP;
	case PPP_AUTH_EAP:
		return PPP_PROTO_EAP;
	default:
		return 0;
	}
}

/* trap 3: packets of a method that was not negotiated are discarded. */
void
ppp_auth_input(struct ppp_auth *a, uint16_t protocol, const uint8_t *pkt,
    size_t len, uint64_t now)
{
	struct rd r;

	if (a == NULL || a->phase == AUTH_IDLE || pkt == NULL ||
	    protocol == 0 || protocol != auth_protocol(a->method))
		return;
	rd_init(&r, pkt, len);
	switch (a->method) {
	case PPP_AUTH_PAP:
		auth_pap_input(a, &r, now);
		break;
	case PPP_AUTH_CHAP_MD5:
	case PPP_AUTH_MSCHAPV2:
		auth_chap_input(a, &r, now);
		break;
	case PPP_AUTH_EAP:
		auth_eap_input(a, &r, now);
		break;
	default:
		break;
	}
}

void
ppp_auth_tick(struct ppp_auth *a, uint64_t now)
{
	if (a == NULL || a->phase != AUTH_RUN || now < a->deadline)
		return;
	switch (a->method) {
	case PPP_AUTH_PAP:
		auth_pap_tick(a, now);
		break;
	case PPP_AUTH_CHAP_MD5:
	case PPP_AUTH_MSCHAPV2:
		auth_chap_tick(a, now);
		break;
	case PPP_AUTH_EAP:
		auth_eap_tick(a, now);
		break;
	default:
		break;
	}
}

uint64_t
ppp_auth_deadline(const struct ppp_auth *a)
{
	if (a == NULL || a->phase != AUTH_RUN)
		return PPP_AUTH_NO_DEADLINE;
	return a->deadline;
}

/* A stale answer (after stop, done, or of the other kind) is ignored. */
void
ppp_auth_password_result(struct ppp_auth *a, bool ok, uint64_t now)
{
	if (a == NULL || a->phase != AUTH_RUN || a->wait != AUTH_WAIT_PASSWORD)
		return;
	a->wait = AUTH_WAIT_NONE;
	auth_pap_verdict(a, ok, now);
}

void
ppp_auth_secret(struct ppp_auth *a, enum ppp_secret_kind kind,
    const void *secret, size_t len, uint64_t now)
{
	if (a == NULL || a->phase != AUTH_RUN || a->wait != AUTH_WAIT_SECRET)
		return;
	a->wait = AUTH_WAIT_NONE;
	if (secret == NULL)
		len = 0;
	if (a->method == PPP_AUTH_EAP)
		auth_eap_secret(a, kind, secret, len, now);
	else
		auth_chap_secret(a, kind, secret, len, now);
}

bool
auth_random(struct ppp_auth *a, void *buf, size_t len)
{
	return ppp_random(a->cfg.crypto, buf, len);
}

/* Never at now itself: a tick at the deadline must move it. */
void
auth_arm(struct ppp_auth *a, uint64_t now, uint32_t ms)
{
	if (ms == 0)
		ms = 1;
	a->deadline = now > PPP_AUTH_NO_DEADLINE - 1 - ms
	    ? PPP_AUTH_NO_DEADLINE - 1
	    : now + ms;
}

void
auth_send(struct ppp_auth *a, uint16_t protocol, const struct wr *w, bool keep)
{
	if (keep && wr_len(w) <= sizeof(a->tx)) {
		memcpy(a->tx, w->buf, wr_len(w));
		a->tx_len = wr_len(w);
		a->tx_proto = protocol;
	}
	a->ops->send(a->arg, protocol, w->buf, wr_len(w));
}

void
auth_resend(struct ppp_auth *a)
{
	if (a->tx_len > 0)
		a->ops->send(a->arg, a->tx_proto, a->tx, a->tx_len);
}

bool
auth_retransmit(struct ppp_auth *a, uint64_t now)
{
	if (a->ntx >= a->cfg.max_requests)
		return false;
	a->ntx++;
	auth_arm(a, now, a->cfg.restart_ms);
	if (a->wait == AUTH_WAIT_NONE)
		auth_resend(a);
	return true;
}

bool
auth_finish(struct ppp_auth *a, bool ok, enum ppp_err reason)
{
	struct ppp_auth_result *res = &a->result;
	uint32_t epoch = a->epoch;

	a->phase = AUTH_DONE;
	a->wait = AUTH_WAIT_NONE;
	a->deadline = PPP_AUTH_NO_DEADLINE;
	memset(res, 0, sizeof(*res));
	res->ok = ok;
	res->reason = ok ? PPP_OK : reason;
	res->method = a->method;
	res->inner = a->inner;
	res->user = a->cfg.role == PPP_ROLE_PEER ? a->user : a->peer_name;
	if (ok)
		memcpy(res->hlak, a->hlak, sizeof(res->hlak));
	res->mschap_error = a->mschap_error;
	OPENSSL_cleanse(a->hash, sizeof(a->hash));
	OPENSSL_cleanse(a->hlak, sizeof(a->hlak));
	a->have_hash = false;
	a->ops->done(a->arg, res);
	OPENSSL_cleanse(res->hlak, sizeof(res->hlak));
	return a->epoch == epoch && a->phase == AUTH_DONE;
}

bool
auth_name_copy(char dst[PPP_AUTH_NAME_MAX + 1], const uint8_t *p, size_t len)
{
	dst[0] = '\0';
	if (len > PPP_AUTH_NAME_MAX || (len > 0 && memchr(p, 0, len) != NULL))
		return false;
	if (len > 0)
		memcpy(dst, p, len);
	dst[len] = '\0';
	return true;
}

void
auth_ask_password(struct ppp_auth *a, const char *password)
{
	a->wait = AUTH_WAIT_PASSWORD;
	a->cfg.backend->check_password(
	    a->cfg.backend_arg, a, a->peer_name, password);
}

void
auth_ask_secret(struct ppp_auth *a, enum ppp_auth_method method)
{
	a->wait = AUTH_WAIT_SECRET;
	a->cfg.backend->get_secret(a->cfg.backend_arg, a, a->peer_name, method);
}

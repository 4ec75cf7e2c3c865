/*
 * The Authenticate phase (src/ppp/auth.c and its method files): a peer
 * and an authenticator talking in memory through a test backend, for
 * PAP, CHAP-MD5, MS-CHAPv2, EAP-MD5 and EAP-MSCHAPv2: success with equal
 * HLAKs, wrong password, unknown user, lost and duplicated packets,
 * silence from either side, a backend answering later, and spec/ppp.md
 * traps 3, 8-14 with hand-made packets.
 */
#include <stdio.h>
#include <string.h>

#include "ppp/auth.h"
#include "ppp/chap_packet.h"
#include "ppp/eap_packet.h"
#include "ppp/mschap.h"
#include "ppp/pap_packet.h"
#include "ppp/ppp_frame.h"
#include "test_run.h"

#define LOG_MAX	  256
#define PKT_MAX	  1024
#define USER	  "User"
#define PASSWORD  "clientPass"
#define RESTART	  3000
#define MAX_REQ	  10
#define PEER_WAIT 60000
#define AUTH_WAIT 30000
/* spec/ppp.md 6.4, 7.4: the RFC 2759 vector's HLAK. */
#define V_HLAK                                                                 \
	"D5F0E9521E3EA9589645E86051C822268B7CDC149B993A1BA118CB153F56DCCB"

struct pkt {
	uint16_t proto;
	size_t len;
	uint8_t b[PKT_MAX];
};

struct end {
	struct ppp_auth *a;
	struct ppp_auth_config cfg;
	uint64_t *now;
	/* Everything sent, and what is still to deliver. */
	int nlog;
	struct pkt log[LOG_MAX];
	int qhead;
	/* done() */
	int done;
	int sends_at_done;
	bool ok;
	enum ppp_err reason;
	enum ppp_auth_method method, inner;
	char user[PPP_AUTH_NAME_MAX + 1];
	uint8_t hlak[PPP_HLAK_LEN];
	int mschap_error;
	/* The backend (authenticator). */
	bool async;
	bool nt_hash;
	int calls;
	bool pending;
	bool pending_pap;
	char pend_user[PPP_AUTH_NAME_MAX + 1];
	char pend_pw[PPP_AUTH_NAME_MAX + 1];
	enum ppp_auth_method pend_method;
};

struct net {
	struct end peer, auth;
	uint64_t now;
	/* Drop the n-th packet (1-based) a side sends; 0: none. */
	int drop_peer, drop_auth;
	bool dup; /* deliver everything twice */
	bool mute_peer, mute_auth; /* a side's packets go nowhere */
};

static struct ppp_crypto *crypto;

static const char *
user_password(const char *user)
{
	if (strcmp(user, USER) == 0 || strcmp(user, "DOMAIN\\User") == 0)
		return PASSWORD;
	return NULL;
}

static void
backend_answer(struct end *e, bool pap, const char *user, const char *pw,
    enum ppp_auth_method method)
{
	const char *want = user_password(user);
	uint8_t hash[MSCHAP_HASH_LEN];

	if (pap) {
		ppp_auth_password_result(
		    e->a, want != NULL && strcmp(want, pw) == 0, *e->now);
		return;
	}
	if (want == NULL) {
		ppp_auth_secret(e->a, PPP_SECRET_NONE, NULL, 0, *e->now);
		return;
	}
	if (e->nt_hash) {
		/* Whatever the method: MD5 must refuse a hash. */
		(void)method;
		assert_int_equal(
		    mschap_nt_password_hash(crypto, want, hash), PPP_OK);
		ppp_auth_secret(
		    e->a, PPP_SECRET_NT_HASH, hash, sizeof(hash), *e->now);
		return;
	}
	ppp_auth_secret(e->a, PPP_SECRET_PASSWORD, want, strlen(want), *e->now);
}

static void
be_check_password(
    void *arg, struct ppp_auth *a, const char *user, const char *password)
{
	struct end *e = arg;

	assert_ptr_equal(a, e->a);
	e->calls++;
	snprintf(e->pend_user, sizeof(e->pend_user), "%s", user);
	if (e->async) {
		e->pending = true;
		e->pending_pap = true;
		snprintf(e->pend_pw, sizeof(e->pend_pw), "%s", password);
		return;
	}
	backend_answer(e, true, user, password, PPP_AUTH_PAP);
}

static void
be_get_secret(void *arg, struct ppp_auth *a, const char *user,
    enum ppp_auth_method method)
{
	struct end *e = arg;

	assert_ptr_equal(a, e->a);
	e->calls++;
	snprintf(e->pend_user, sizeof(e->pend_user), "%s", user);
	if (e->async) {
		e->pending = true;
		e->pending_pap = false;
		e->pend_method = method;
		return;
	}
	backend_answer(e, false, user, NULL, method);
}

static void
backend_answer_pending(struct end *e)
{
	assert_true(e->pending);
	e->pending = false;
	backend_answer(
	    e, e->pending_pap, e->pend_user, e->pend_pw, e->pend_method);
}

static const struct ppp_auth_backend backend = {
	.check_password = be_check_password,
	.get_secret = be_get_secret,
};

static void
on_send(void *arg, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	struct end *e = arg;
	struct pkt *p;

	assert_true(e->nlog < LOG_MAX);
	assert_true(len <= PKT_MAX);
	p = &e->log[e->nlog++];
	p->proto = protocol;
	p->len = len;
	memcpy(p->b, pkt, len);
}

static void
on_done(void *arg, const struct ppp_auth_result *res)
{
	struct end *e = arg;

	e->done++;
	e->sends_at_done = e->nlog;
	e->ok = res->ok;
	e->reason = res->reason;
	e->method = res->method;
	e->inner = res->inner;
	snprintf(e->user, sizeof(e->user), "%s", res->user);
	memcpy(e->hlak, res->hlak, PPP_HLAK_LEN);
	e->mschap_error = res->mschap_error;
}

static const struct ppp_auth_ops ops = {
	.send = on_send,
	.done = on_done,
};

static void
end_init(struct end *e, struct net *n, enum ppp_role role, const char *user,
    const char *password)
{
	memset(e, 0, sizeof(*e));
	ppp_auth_config_default(&e->cfg, role);
	e->cfg.user = user;
	e->cfg.password = password;
	e->cfg.name = "opensstp";
	e->cfg.backend = &backend;
	e->cfg.backend_arg = e;
	e->cfg.crypto = crypto;
	e->now = &n->now;
}

static void
end_create(struct end *e)
{
	e->a = ppp_auth_new(&e->cfg, &ops, e);
	assert_non_null(e->a);
}

/* Both ends made, not started: tests may change cfg first. */
static void
net_init(struct net *n, const char *user, const char *password)
{
	if (crypto == NULL)
		crypto = ppp_crypto_new();
	assert_non_null(crypto);
	memset(n, 0, sizeof(*n));
	n->now = 1000;
	end_init(&n->peer, n, PPP_ROLE_PEER, user, password);
	end_init(&n->auth, n, PPP_ROLE_AUTHENTICATOR, NULL, NULL);
}

static void
net_start(struct net *n, enum ppp_auth_method m)
{
	end_create(&n->peer);
	end_create(&n->auth);
	ppp_auth_start(n->auth.a, m, n->now);
	ppp_auth_start(n->peer.a, m, n->now);
}

static void
net_free(struct net *n)
{
	ppp_auth_free(n->peer.a);
	ppp_auth_free(n->auth.a);
}

/* Deliver what from sent and to has not yet seen; true if any moved. */
static bool
deliver(struct net *n, struct end *from, struct end *to, int drop, bool mute)
{
	bool moved = false;
	int i;

	while (from->qhead < from->nlog) {
		/* Copy: input may make to send, and from's log may grow. */
		struct pkt p = from->log[from->qhead++];

		moved = true;
		if (mute || from->qhead == drop)
			continue;
		for (i = 0; i < (n->dup ? 2 : 1); i++)
			ppp_auth_input(to->a, p.proto, p.b, p.len, n->now);
	}
	return moved;
}

static uint64_t
min_deadline(struct net *n)
{
	uint64_t a = ppp_auth_deadline(n->auth.a);
	uint64_t p = ppp_auth_deadline(n->peer.a);

	return a < p ? a : p;
}

/* One round of deliveries both ways; true if anything moved. */
static bool
net_round(struct net *n)
{
	bool a = deliver(n, &n->peer, &n->auth, n->drop_peer, n->mute_peer);
	bool b = deliver(n, &n->auth, &n->peer, n->drop_auth, n->mute_auth);

	return a || b;
}

/* Run until quiet (nothing in flight, no timer) or limit ms from now. */
static void
net_run(struct net *n, uint64_t limit)
{
	uint64_t end = n->now + limit, d;
	int guard;

	for (guard = 0; guard < 100000; guard++) {
		if (net_round(n))
			continue;
		d = min_deadline(n);
		if (d == PPP_AUTH_NO_DEADLINE || d > end)
			return;
		assert_true(d >= n->now);
		n->now = d;
		ppp_auth_tick(n->auth.a, n->now);
		ppp_auth_tick(n->peer.a, n->now);
	}
	fail_msg("net_run did not settle");
}

/* Deliver in-flight packets only. */
static void
net_flush(struct net *n)
{
	while (net_round(n))
		;
}

static void
net_advance(struct net *n, uint64_t ms)
{
	uint64_t end = n->now + ms, d;

	for (;;) {
		net_flush(n);
		d = min_deadline(n);
		if (d > end)
			break;
		n->now = d;
		ppp_auth_tick(n->auth.a, n->now);
		ppp_auth_tick(n->peer.a, n->now);
	}
	n->now = end;
	net_flush(n);
}

static int
count_code(const struct end *e, uint16_t proto, uint8_t code)
{
	int i, c = 0;

	for (i = 0; i < e->nlog; i++)
		if (e->log[i].proto == proto && e->log[i].len >= 4 &&
		    e->log[i].b[0] == code)
			c++;
	return c;
}

static bool
contains(const struct pkt *p, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; i + n <= p->len; i++)
		if (memcmp(p->b + i, s, n) == 0)
			return true;
	return false;
}

static bool
is_zero(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* LCP's method and the EAP inner one of each matrix entry. */
struct mcase {
	enum ppp_auth_method lcp, inner;
};

static const struct mcase M_PAP = { PPP_AUTH_PAP, PPP_AUTH_NONE };
static const struct mcase M_MD5 = { PPP_AUTH_CHAP_MD5, PPP_AUTH_NONE };
static const struct mcase M_MS = { PPP_AUTH_MSCHAPV2, PPP_AUTH_NONE };
static const struct mcase M_EAP_MD5 = { PPP_AUTH_EAP, PPP_AUTH_CHAP_MD5 };
static const struct mcase M_EAP_MS = { PPP_AUTH_EAP, PPP_AUTH_MSCHAPV2 };

static const struct mcase *
mcase_of(void **state)
{
	return *state;
}

/* A net for a matrix entry: EAP offers only the inner method. */
static void
net_setup(struct net *n, const struct mcase *mc, const char *user,
    const char *password)
{
	net_init(n, user, password);
	if (mc->lcp == PPP_AUTH_EAP) {
		n->auth.cfg.eap_offer[0] = mc->inner;
		n->auth.cfg.neap_offer = 1;
	}
}

static bool
keyed(const struct mcase *mc)
{
	return mc->lcp == PPP_AUTH_MSCHAPV2 || mc->inner == PPP_AUTH_MSCHAPV2;
}

static void
assert_success(struct net *n, const struct mcase *mc, const char *user)
{
	assert_int_equal(n->peer.done, 1);
	assert_int_equal(n->auth.done, 1);
	assert_true(n->peer.ok);
	assert_true(n->auth.ok);
	assert_int_equal(n->peer.method, mc->lcp);
	assert_int_equal(n->auth.method, mc->lcp);
	if (mc->lcp == PPP_AUTH_EAP) {
		assert_int_equal(n->peer.inner, mc->inner);
		assert_int_equal(n->auth.inner, mc->inner);
	}
	assert_string_equal(n->auth.user, user);
	assert_string_equal(n->peer.user, user);
	assert_memory_equal(n->peer.hlak, n->auth.hlak, PPP_HLAK_LEN);
	assert_int_equal(is_zero(n->peer.hlak, PPP_HLAK_LEN), !keyed(mc));
	assert_int_equal(ppp_auth_deadline(n->peer.a), PPP_AUTH_NO_DEADLINE);
	assert_int_equal(ppp_auth_deadline(n->auth.a), PPP_AUTH_NO_DEADLINE);
}

/* --- the matrix --- */

static void
t_ok(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;

	net_setup(&n, mc, USER, PASSWORD);
	net_start(&n, mc->lcp);
	net_run(&n, 1000);
	assert_success(&n, mc, USER);
	assert_int_equal(n.auth.calls, 1);
	assert_string_equal(n.auth.pend_user, USER);
	net_free(&n);
}

/* trap 11: the full name reaches the backend and the result. */
static void
t_domain_user(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;

	net_setup(&n, mc, "DOMAIN\\User", PASSWORD);
	net_start(&n, mc->lcp);
	net_run(&n, 1000);
	assert_success(&n, mc, "DOMAIN\\User");
	assert_string_equal(n.auth.pend_user, "DOMAIN\\User");
	net_free(&n);
}

static void
t_nt_hash_backend(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;

	net_setup(&n, mc, USER, PASSWORD);
	n.auth.nt_hash = true;
	net_start(&n, mc->lcp);
	net_run(&n, 1000);
	if (keyed(mc) || mc->lcp == PPP_AUTH_PAP) {
		assert_success(&n, mc, USER);
	} else {
		/* MD5 needs the cleartext: a hash cannot succeed. */
		assert_int_equal(n.auth.done, 1);
		assert_false(n.auth.ok);
	}
	net_free(&n);
}

static void
assert_failure(struct net *n, const struct mcase *mc)
{
	assert_int_equal(n->peer.done, 1);
	assert_int_equal(n->auth.done, 1);
	assert_false(n->peer.ok);
	assert_false(n->auth.ok);
	assert_int_equal(n->auth.reason, PPP_E_AUTH_FAILED);
	assert_int_equal(n->peer.reason, PPP_E_AUTH_FAILED);
	assert_true(is_zero(n->peer.hlak, PPP_HLAK_LEN));
	assert_true(is_zero(n->auth.hlak, PPP_HLAK_LEN));
	if (keyed(mc))
		assert_int_equal(n->peer.mschap_error, 691);
	else
		assert_int_equal(n->peer.mschap_error, 0);
}

static void
t_wrong_password(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;

	net_setup(&n, mc, USER, "clientPasS");
	net_start(&n, mc->lcp);
	net_run(&n, 1000);
	assert_failure(&n, mc);
	assert_int_equal(n.auth.calls, 1);
	net_free(&n);
}

static void
t_unknown_user(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;

	net_setup(&n, mc, "Nobody", PASSWORD);
	net_start(&n, mc->lcp);
	net_run(&n, 1000);
	assert_failure(&n, mc);
	assert_string_equal(n.auth.user, "Nobody");
	net_free(&n);
}

/* The first packet of the peer is lost: a timer recovers. */
static void
t_lost_from_peer(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;

	net_setup(&n, mc, USER, PASSWORD);
	n.drop_peer = 1;
	net_start(&n, mc->lcp);
	net_run(&n, 2 * RESTART);
	assert_success(&n, mc, USER);
	assert_int_equal(n.auth.calls, 1);
	net_free(&n);
}

/* The authenticator's first packet (PAP: its Ack) is lost. */
static void
t_lost_from_authenticator(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;

	net_setup(&n, mc, USER, PASSWORD);
	n.drop_auth = 1;
	net_start(&n, mc->lcp);
	net_run(&n, 2 * RESTART);
	assert_success(&n, mc, USER);
	/* PAP: the retransmitted Request gets the same Ack, no new check. */
	assert_int_equal(n.auth.calls, 1);
	net_free(&n);
}

static void
t_duplicated(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;

	net_setup(&n, mc, USER, PASSWORD);
	n.dup = true;
	net_start(&n, mc->lcp);
	net_run(&n, 1000);
	assert_success(&n, mc, USER);
	assert_int_equal(n.auth.calls, 1);
	net_free(&n);
}

/* The peer never answers: the authenticator gives up. */
static void
t_peer_silent(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;
	uint64_t t0;

	net_setup(&n, mc, USER, PASSWORD);
	n.mute_peer = true;
	n.peer.cfg.peer_wait_ms = 10 * PEER_WAIT;
	t0 = n.now;
	net_start(&n, mc->lcp);
	net_run(&n, 5 * PEER_WAIT);
	assert_int_equal(n.auth.done, 1);
	assert_false(n.auth.ok);
	assert_int_equal(n.auth.reason, PPP_E_AUTH_TIMEOUT);
	assert_int_equal(n.auth.calls, 0);
	if (mc->lcp == PPP_AUTH_PAP) {
		assert_int_equal(n.now, t0 + AUTH_WAIT);
		assert_int_equal(n.auth.nlog, 0);
	} else {
		/* trap 8: max_requests transmissions, restart_ms apart. */
		assert_int_equal(n.auth.nlog, MAX_REQ);
		assert_int_equal(n.now, t0 + MAX_REQ * RESTART);
	}
	net_free(&n);
}

/* The authenticator never answers: the peer gives up. */
static void
t_authenticator_silent(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;
	uint64_t t0;

	net_setup(&n, mc, USER, PASSWORD);
	n.mute_auth = true;
	t0 = n.now;
	net_start(&n, mc->lcp);
	net_run(&n, 5 * PEER_WAIT);
	assert_int_equal(n.peer.done, 1);
	assert_false(n.peer.ok);
	assert_int_equal(n.peer.reason, PPP_E_AUTH_TIMEOUT);
	if (mc->lcp == PPP_AUTH_PAP) {
		assert_int_equal(n.peer.nlog, MAX_REQ);
		assert_int_equal(n.now, t0 + MAX_REQ * RESTART);
	} else {
		/* Only the authenticator retransmits: nothing to answer. */
		assert_int_equal(n.peer.nlog, 0);
		assert_int_equal(n.now, t0 + PEER_WAIT);
	}
	net_free(&n);
}

/* The backend answers later; meanwhile retransmissions start nothing. */
static void
t_async_backend(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;

	net_setup(&n, mc, USER, PASSWORD);
	n.auth.async = true;
	net_start(&n, mc->lcp);
	net_run(&n, 100);
	assert_true(n.auth.pending);
	assert_int_equal(n.auth.calls, 1);
	net_advance(&n, 4 * RESTART + 500);
	assert_int_equal(n.auth.calls, 1);
	assert_int_equal(n.auth.done, 0);
	assert_int_equal(n.peer.done, 0);
	backend_answer_pending(&n.auth);
	net_run(&n, 1000);
	assert_success(&n, mc, USER);
	assert_int_equal(n.auth.calls, 1);
	net_free(&n);
}

/* The backend never answers: the authenticator's timer still ends it. */
static void
t_backend_silent(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;

	net_setup(&n, mc, USER, PASSWORD);
	n.auth.async = true;
	net_start(&n, mc->lcp);
	net_run(&n, 5 * PEER_WAIT);
	assert_int_equal(n.auth.calls, 1);
	assert_int_equal(n.auth.done, 1);
	assert_int_equal(n.auth.reason, PPP_E_AUTH_TIMEOUT);
	/* An answer after that is stale. */
	backend_answer_pending(&n.auth);
	assert_int_equal(n.auth.done, 1);
	net_free(&n);
}

/* A stale answer after stop: no verdict, nothing sent. */
static void
t_stale_answer_after_stop(void **state)
{
	const struct mcase *mc = mcase_of(state);
	struct net n;
	int sent;

	net_setup(&n, mc, USER, PASSWORD);
	n.auth.async = true;
	net_start(&n, mc->lcp);
	net_run(&n, 100);
	assert_true(n.auth.pending);
	ppp_auth_stop(n.auth.a);
	assert_int_equal(ppp_auth_deadline(n.auth.a), PPP_AUTH_NO_DEADLINE);
	sent = n.auth.nlog;
	backend_answer_pending(&n.auth);
	assert_int_equal(n.auth.done, 0);
	assert_int_equal(n.auth.nlog, sent);
	/* A restart runs a whole new exchange. */
	n.auth.async = false;
	ppp_auth_stop(n.peer.a);
	ppp_auth_start(n.auth.a, mc->lcp, n.now);
	ppp_auth_start(n.peer.a, mc->lcp, n.now);
	net_run(&n, 1000);
	assert_success(&n, mc, USER);
	net_free(&n);
}

/* trap 14: done() before Success leaves, after Failure left. */
static void
assert_done_order(struct end *auth, uint16_t proto, uint8_t code)
{
	const struct pkt *last = &auth->log[auth->nlog - 1];

	assert_int_equal(last->proto, proto);
	assert_int_equal(last->b[0], code);
	if (auth->ok)
		assert_int_equal(auth->sends_at_done, auth->nlog - 1);
	else
		assert_int_equal(auth->sends_at_done, auth->nlog);
}

static void
check_done_order(const struct mcase *mc, const char *password)
{
	struct net n;
	bool ok = strcmp(password, PASSWORD) == 0;

	net_setup(&n, mc, USER, password);
	net_start(&n, mc->lcp);
	net_run(&n, 1000);
	assert_int_equal(n.auth.done, 1);
	assert_int_equal(n.auth.ok, ok);
	switch (mc->lcp) {
	case PPP_AUTH_PAP:
		assert_done_order(
		    &n.auth, PPP_PROTO_PAP, ok ? PAP_AUTH_ACK : PAP_AUTH_NAK);
		break;
	case PPP_AUTH_EAP:
		assert_done_order(
		    &n.auth, PPP_PROTO_EAP, ok ? EAP_SUCCESS : EAP_FAILURE);
		break;
	default:
		assert_done_order(
		    &n.auth, PPP_PROTO_CHAP, ok ? CHAP_SUCCESS : CHAP_FAILURE);
		break;
	}
	net_free(&n);
}

static void
ppp_trap_14_done_before_success_sent(void **state)
{
	const struct mcase *all[] = { &M_PAP, &M_MD5, &M_MS, &M_EAP_MD5,
		&M_EAP_MS };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(all); i++) {
		check_done_order(all[i], PASSWORD);
		check_done_order(all[i], "wrong");
	}
}

/* --- hand-made packets against one end --- */

struct solo {
	struct net n;
	struct end *e;
};

static void
solo_init(struct solo *s, enum ppp_role role)
{
	net_init(&s->n, USER, PASSWORD);
	s->e = role == PPP_ROLE_PEER ? &s->n.peer : &s->n.auth;
}

static void
solo_go(struct solo *s, enum ppp_auth_method m)
{
	end_create(s->e);
	ppp_auth_start(s->e->a, m, s->n.now);
}

static void
solo_start(struct solo *s, enum ppp_role role, enum ppp_auth_method m)
{
	solo_init(s, role);
	solo_go(s, m);
}

static void
solo_input(struct solo *s, uint16_t proto, const uint8_t *b, size_t len)
{
	ppp_auth_input(s->e->a, proto, b, len, s->n.now);
}

static void
solo_tick(struct solo *s, uint64_t ms)
{
	s->n.now += ms;
	ppp_auth_tick(s->e->a, s->n.now);
}

static const struct pkt *
solo_last(struct solo *s)
{
	assert_true(s->e->nlog > 0);
	return &s->e->log[s->e->nlog - 1];
}

static void
solo_free(struct solo *s)
{
	ppp_auth_free(s->e->a);
}

/* A CHAP MS-CHAPv2 Response of value_size bytes for id. */
static size_t
ms_response(uint8_t *b, uint8_t id, uint8_t value_size, const char *name)
{
	size_t len = 4 + 1 + value_size + strlen(name);

	memset(b, 0, len);
	b[0] = CHAP_RESPONSE;
	b[1] = id;
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	b[4] = value_size;
	memcpy(b + 5 + value_size, name, strlen(name));
	return len;
}

/* SoftEther's 4-byte Ack without Msg-Length (spec/ppp.md 3). */
static void
auth_pap_softether_ack(void **state)
{
	uint8_t ack[] = { 0x02, 0x01, 0x00, 0x04 };
	struct solo s;

	(void)state;
	solo_start(&s, PPP_ROLE_PEER, PPP_AUTH_PAP);
	assert_int_equal(s.e->nlog, 1);
	assert_int_equal(solo_last(&s)->b[0], PAP_AUTH_REQUEST);
	/* The Id of our Request; wrong Ids first. */
	ack[1] = (uint8_t)(solo_last(&s)->b[1] + 1);
	solo_input(&s, PPP_PROTO_PAP, ack, sizeof(ack));
	assert_int_equal(s.e->done, 0);
	/* A retransmission later, the first Request's Ack still counts (a
	 * slow server answers the one it got), an Id never sent does not. */
	solo_tick(&s, RESTART);
	assert_int_equal(s.e->nlog, 2);
	ack[1] = (uint8_t)(s.e->log[0].b[1] - 1);
	solo_input(&s, PPP_PROTO_PAP, ack, sizeof(ack));
	assert_int_equal(s.e->done, 0);
	ack[1] = s.e->log[0].b[1];
	/* On the wrong protocol: discarded (trap 3). */
	solo_input(&s, PPP_PROTO_CHAP, ack, sizeof(ack));
	assert_int_equal(s.e->done, 0);
	solo_input(&s, PPP_PROTO_PAP, ack, sizeof(ack));
	assert_int_equal(s.e->done, 1);
	assert_true(s.e->ok);
	assert_true(is_zero(s.e->hlak, PPP_HLAK_LEN));
	solo_free(&s);
}

/* The literal replay: a Request with Id 1 answered by 02 01 00 04. */
static void
auth_pap_softether_replay(void **state)
{
	const uint8_t ack[] = { 0x02, 0x01, 0x00, 0x04 };
	struct solo s;
	int i, timeouts;

	(void)state;
	solo_start(&s, PPP_ROLE_PEER, PPP_AUTH_PAP);
	/* Retransmit (Ids count up), restart after a timeout, until a
	 * Request carries Id 1. */
	for (i = 0; i < 100000 && solo_last(&s)->b[1] != 0x01; i++) {
		if (ppp_auth_deadline(s.e->a) == PPP_AUTH_NO_DEADLINE) {
			s.e->nlog = 0;
			ppp_auth_start(s.e->a, PPP_AUTH_PAP, s.n.now);
		} else
			solo_tick(&s, RESTART);
	}
	assert_int_equal(solo_last(&s)->b[1], 0x01);
	assert_int_equal(ppp_auth_deadline(s.e->a), s.n.now + RESTART);
	timeouts = s.e->done;
	solo_input(&s, PPP_PROTO_PAP, ack, sizeof(ack));
	assert_int_equal(s.e->done, timeouts + 1);
	assert_true(s.e->ok);
	solo_free(&s);
}

/* trap 12: a Response of the wrong Value-Size or Id starts nothing. */
static void
auth_chap_value_size_and_id_checked(void **state)
{
	uint8_t b[128];
	struct solo s;
	uint8_t id;
	size_t len;

	(void)state;
	solo_start(&s, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_MSCHAPV2);
	id = solo_last(&s)->b[1];
	len = ms_response(b, id, 48, USER);
	solo_input(&s, PPP_PROTO_CHAP, b, len);
	len = ms_response(b, id, 16, USER);
	solo_input(&s, PPP_PROTO_CHAP, b, len);
	len = ms_response(b, (uint8_t)(id + 1), 49, USER);
	solo_input(&s, PPP_PROTO_CHAP, b, len);
	assert_int_equal(s.e->calls, 0);
	assert_int_equal(s.e->nlog, 1);
	/* The right one is checked (and fails: zeros). */
	len = ms_response(b, id, 49, USER);
	solo_input(&s, PPP_PROTO_CHAP, b, len);
	assert_int_equal(s.e->calls, 1);
	assert_int_equal(s.e->done, 1);
	assert_false(s.e->ok);
	solo_free(&s);

	solo_start(&s, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_CHAP_MD5);
	id = solo_last(&s)->b[1];
	len = ms_response(b, id, 15, USER);
	solo_input(&s, PPP_PROTO_CHAP, b, len);
	len = ms_response(b, id, 49, USER);
	solo_input(&s, PPP_PROTO_CHAP, b, len);
	assert_int_equal(s.e->calls, 0);
	len = ms_response(b, id, 16, USER);
	solo_input(&s, PPP_PROTO_CHAP, b, len);
	assert_int_equal(s.e->calls, 1);
	solo_free(&s);
}

/* trap 10: codes 5, 6, 7 are refused with E=709, never E=648. */
static void
auth_mschapv2_password_change_refused(void **state)
{
	uint8_t b[4 + 586];
	const struct pkt *p;
	struct solo s;
	uint8_t code;

	(void)state;
	for (code = 5; code <= 7; code++) {
		solo_start(&s, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_MSCHAPV2);
		memset(b, 0x5a, sizeof(b));
		b[0] = code;
		b[1] = solo_last(&s)->b[1];
		b[2] = sizeof(b) >> 8;
		b[3] = sizeof(b) & 0xff;
		solo_input(&s, PPP_PROTO_CHAP, b, sizeof(b));
		assert_int_equal(s.e->done, 1);
		assert_false(s.e->ok);
		assert_int_equal(s.e->reason, PPP_E_PASSWORD_CHANGE);
		assert_int_equal(s.e->calls, 0);
		p = solo_last(&s);
		assert_int_equal(p->b[0], CHAP_FAILURE);
		assert_int_equal(p->b[1], b[1]);
		assert_true(contains(p, "E=709 R=0 C="));
		assert_true(contains(p, " V=3 M="));
		assert_false(contains(p, "E=648"));
		/* Failure sent before done(). */
		assert_int_equal(s.e->sends_at_done, s.e->nlog);
		solo_free(&s);
	}
}

/* The EAP-MSCHAPv2 Response of a peer for the Challenge in req. */
static size_t
eap_ms_change_password(uint8_t *b, size_t cap, uint8_t id, uint8_t ms_id)
{
	struct eap_packet p;
	uint8_t body[582];
	struct wr w;

	memset(&p, 0, sizeof(p));
	memset(body, 0x33, sizeof(body));
	p.code = EAP_RESPONSE;
	p.id = id;
	p.type = EAP_TYPE_MSCHAPV2;
	p.ms_opcode = EAP_MSCHAPV2_CHANGE_PASSWORD;
	p.ms_id = ms_id;
	p.data = body;
	p.data_len = sizeof(body);
	wr_init(&w, b, cap);
	assert_int_equal(eap_encode(&w, &p), PPP_OK);
	return wr_len(&w);
}

static void
eap_decode_pkt(const struct pkt *p, struct eap_packet *e)
{
	struct rd r;

	assert_int_equal(p->proto, PPP_PROTO_EAP);
	rd_init(&r, p->b, p->len);
	assert_int_equal(eap_decode(&r, e), PPP_OK);
}

/* Drive an EAP authenticator to its EAP-MSCHAPv2 Challenge. */
static void
eap_to_ms_challenge(struct solo *s)
{
	uint8_t b[64];
	struct eap_packet e;
	struct wr w;

	solo_init(s, PPP_ROLE_AUTHENTICATOR);
	s->n.auth.cfg.eap_offer[0] = PPP_AUTH_MSCHAPV2;
	s->n.auth.cfg.neap_offer = 1;
	solo_go(s, PPP_AUTH_EAP);
	eap_decode_pkt(solo_last(s), &e);
	assert_int_equal(e.type, EAP_TYPE_IDENTITY);
	memset(&e, 0, sizeof(e));
	e.code = EAP_RESPONSE;
	e.id = solo_last(s)->b[1];
	e.type = EAP_TYPE_IDENTITY;
	e.data = (const uint8_t *)USER;
	e.data_len = strlen(USER);
	wr_init(&w, b, sizeof(b));
	assert_int_equal(eap_encode(&w, &e), PPP_OK);
	solo_input(s, PPP_PROTO_EAP, b, wr_len(&w));
	eap_decode_pkt(solo_last(s), &e);
	assert_int_equal(e.type, EAP_TYPE_MSCHAPV2);
	assert_int_equal(e.ms_opcode, EAP_MSCHAPV2_CHALLENGE);
}

static void
auth_eap_mschapv2_password_change_refused(void **state)
{
	uint8_t b[700];
	struct eap_packet e;
	struct solo s;
	size_t len;

	(void)state;
	eap_to_ms_challenge(&s);
	eap_decode_pkt(solo_last(&s), &e);
	len = eap_ms_change_password(b, sizeof(b), e.id, e.ms_id);
	solo_input(&s, PPP_PROTO_EAP, b, len);
	assert_int_equal(s.e->calls, 0);
	assert_int_equal(s.e->done, 0);
	eap_decode_pkt(solo_last(&s), &e);
	assert_int_equal(e.code, EAP_REQUEST);
	assert_int_equal(e.ms_opcode, EAP_MSCHAPV2_FAILURE);
	assert_true(contains(solo_last(&s), "E=709 R=0 C="));
	assert_false(contains(solo_last(&s), "E=648"));
	/* The peer's Failure Response: EAP-Failure, then done(). */
	b[0] = EAP_RESPONSE;
	b[1] = e.id;
	b[2] = 0;
	b[3] = 6;
	b[4] = EAP_TYPE_MSCHAPV2;
	b[5] = EAP_MSCHAPV2_FAILURE;
	solo_input(&s, PPP_PROTO_EAP, b, 6);
	assert_int_equal(s.e->done, 1);
	assert_int_equal(s.e->reason, PPP_E_PASSWORD_CHANGE);
	assert_int_equal(solo_last(&s)->b[0], EAP_FAILURE);
	assert_int_equal(s.e->sends_at_done, s.e->nlog);
	solo_free(&s);
}

/* A Success whose S= the peer cannot verify is refused (5.1). */
static void
check_bad_success(enum ppp_auth_method m, const char *text)
{
	uint8_t b[256];
	struct chap_packet c;
	struct solo s;
	struct wr w;
	uint8_t chal[16];

	memset(chal, 0x42, sizeof(chal));
	solo_start(&s, PPP_ROLE_PEER, m);
	memset(&c, 0, sizeof(c));
	c.code = CHAP_CHALLENGE;
	c.id = 7;
	c.vn.value = chal;
	c.vn.value_len = sizeof(chal);
	wr_init(&w, b, sizeof(b));
	assert_int_equal(chap_encode(&w, CHAP_ALG_MSCHAPV2, &c), PPP_OK);
	solo_input(&s, PPP_PROTO_CHAP, b, wr_len(&w));
	assert_int_equal(s.e->nlog, 1);
	assert_int_equal(solo_last(&s)->b[0], CHAP_RESPONSE);
	memset(&c, 0, sizeof(c));
	c.code = CHAP_SUCCESS;
	c.id = 7;
	c.msg = (const uint8_t *)text;
	c.msg_len = strlen(text);
	wr_init(&w, b, sizeof(b));
	assert_int_equal(chap_encode(&w, CHAP_ALG_MSCHAPV2, &c), PPP_OK);
	/* A wrong Id first: discarded. */
	b[1] = 8;
	solo_input(&s, PPP_PROTO_CHAP, b, wr_len(&w));
	assert_int_equal(s.e->done, 0);
	b[1] = 7;
	solo_input(&s, PPP_PROTO_CHAP, b, wr_len(&w));
	assert_int_equal(s.e->done, 1);
	assert_false(s.e->ok);
	assert_int_equal(s.e->reason, PPP_E_AUTH_SERVER);
	assert_true(is_zero(s.e->hlak, PPP_HLAK_LEN));
	solo_free(&s);
}

static void
auth_mschapv2_bad_authenticator_response(void **state)
{
	(void)state;
	check_bad_success(PPP_AUTH_MSCHAPV2,
	    "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=Access granted");
	check_bad_success(PPP_AUTH_MSCHAPV2, "M=Access granted");
	check_bad_success(PPP_AUTH_MSCHAPV2, "");
}

/* The same against EAP-MSCHAPv2, through a real exchange. */
static void
auth_eap_mschapv2_bad_authenticator_response(void **state)
{
	const char *bad =
	    "S=0000000000000000000000000000000000000000 M=Access granted";
	uint8_t b[256];
	struct eap_packet e;
	struct net n;
	struct wr w;
	int i;

	(void)state;
	net_setup(&n, &M_EAP_MS, USER, PASSWORD);
	n.auth.async = true;
	net_start(&n, PPP_AUTH_EAP);
	net_run(&n, 100);
	assert_true(n.auth.pending);
	/* Forge the server's Success Request in place of the real one. */
	for (i = n.peer.nlog - 1; i >= 0; i--)
		if (n.peer.log[i].b[0] == EAP_RESPONSE)
			break;
	eap_decode_pkt(&n.peer.log[i], &e);
	assert_int_equal(e.ms_opcode, EAP_MSCHAPV2_RESPONSE);
	memset(&e, 0, sizeof(e));
	e.code = EAP_REQUEST;
	e.id = (uint8_t)(n.peer.log[i].b[1] + 1);
	e.type = EAP_TYPE_MSCHAPV2;
	e.ms_opcode = EAP_MSCHAPV2_SUCCESS;
	e.data = (const uint8_t *)bad;
	e.data_len = strlen(bad);
	wr_init(&w, b, sizeof(b));
	assert_int_equal(eap_encode(&w, &e), PPP_OK);
	ppp_auth_input(n.peer.a, PPP_PROTO_EAP, b, wr_len(&w), n.now);
	assert_int_equal(n.peer.done, 1);
	assert_false(n.peer.ok);
	assert_int_equal(n.peer.reason, PPP_E_AUTH_SERVER);
	net_free(&n);
}

/* trap 3: EAP Success before the method ended is ignored. */
static void
auth_eap_peer_ignores_early_success(void **state)
{
	const uint8_t success[] = { EAP_SUCCESS, 0, 0, 4 };
	const uint8_t failure[] = { EAP_FAILURE, 0, 0, 4 };
	uint8_t s2[4];
	struct net n;
	int i;

	(void)state;
	net_setup(&n, &M_EAP_MS, USER, PASSWORD);
	n.auth.async = true;
	net_start(&n, PPP_AUTH_EAP);
	/* Before anything, and after the Identity. */
	ppp_auth_input(n.peer.a, PPP_PROTO_EAP, success, 4, n.now);
	ppp_auth_input(n.peer.a, PPP_PROTO_EAP, failure, 4, n.now);
	net_run(&n, 100);
	assert_true(n.auth.pending);
	/* After the MS-CHAPv2 Response, before the server proved itself. */
	for (i = 0; i < 256; i++) {
		memcpy(s2, success, 4);
		s2[1] = (uint8_t)i;
		ppp_auth_input(n.peer.a, PPP_PROTO_EAP, s2, 4, n.now);
	}
	assert_int_equal(n.peer.done, 0);
	backend_answer_pending(&n.auth);
	net_run(&n, 1000);
	assert_success(&n, &M_EAP_MS, USER);
	net_free(&n);
}

/* The peer answers Notification, Naks EAP-TLS, repeats for a repeat. */
static void
auth_eap_peer_notification_and_tls_nak(void **state)
{
	const uint8_t ident[] = { EAP_REQUEST, 1, 0, 5, EAP_TYPE_IDENTITY };
	const uint8_t note[] = { EAP_REQUEST, 2, 0, 7, EAP_TYPE_NOTIFICATION,
		'h', 'i' };
	const uint8_t tls[] = { EAP_REQUEST, 3, 0, 6, EAP_TYPE_TLS, 0x20 };
	const uint8_t failure[] = { EAP_FAILURE, 3, 0, 4 };
	struct eap_packet e;
	struct solo s;

	(void)state;
	solo_start(&s, PPP_ROLE_PEER, PPP_AUTH_EAP);
	solo_input(&s, PPP_PROTO_EAP, ident, sizeof(ident));
	eap_decode_pkt(solo_last(&s), &e);
	assert_int_equal(e.type, EAP_TYPE_IDENTITY);
	assert_int_equal(e.data_len, strlen(USER));
	/* Failure after only an Identity: ignored (trap 3). */
	solo_input(&s, PPP_PROTO_EAP, failure, sizeof(failure));
	assert_int_equal(s.e->done, 0);
	solo_input(&s, PPP_PROTO_EAP, note, sizeof(note));
	eap_decode_pkt(solo_last(&s), &e);
	assert_int_equal(e.code, EAP_RESPONSE);
	assert_int_equal(e.id, 2);
	assert_int_equal(e.type, EAP_TYPE_NOTIFICATION);
	solo_input(&s, PPP_PROTO_EAP, tls, sizeof(tls));
	solo_input(&s, PPP_PROTO_EAP, tls, sizeof(tls));
	assert_int_equal(s.e->nlog, 4);
	assert_memory_equal(s.e->log[2].b, s.e->log[3].b, s.e->log[2].len);
	eap_decode_pkt(solo_last(&s), &e);
	assert_int_equal(e.type, EAP_TYPE_NAK);
	assert_int_equal(e.data_len, 2);
	assert_int_equal(e.data[0], EAP_TYPE_MSCHAPV2);
	assert_int_equal(e.data[1], EAP_TYPE_MD5_CHALLENGE);
	/* Nothing in common: the Failure is taken now, and says so. */
	solo_input(&s, PPP_PROTO_EAP, failure, sizeof(failure));
	assert_int_equal(s.e->done, 1);
	assert_int_equal(s.e->reason, PPP_E_AUTH_EAP_NO_TYPE);
	solo_free(&s);
}

/*
 * SoftEther sends its EAP-TLS Start with the Identity Request's Id: a new
 * Type under the same Id is a new Request (Nak), not a repeat (Identity).
 */
static void
auth_eap_peer_same_id_new_type(void **state)
{
	const uint8_t ident[] = { EAP_REQUEST, 7, 0, 5, EAP_TYPE_IDENTITY };
	const uint8_t tls[] = { EAP_REQUEST, 7, 0, 6, EAP_TYPE_TLS, 0x20 };
	struct eap_packet e;
	struct solo s;

	(void)state;
	solo_start(&s, PPP_ROLE_PEER, PPP_AUTH_EAP);
	solo_input(&s, PPP_PROTO_EAP, ident, sizeof(ident));
	solo_input(&s, PPP_PROTO_EAP, ident, sizeof(ident));
	assert_int_equal(s.e->nlog, 2);
	eap_decode_pkt(solo_last(&s), &e);
	assert_int_equal(e.type, EAP_TYPE_IDENTITY);
	solo_input(&s, PPP_PROTO_EAP, tls, sizeof(tls));
	assert_int_equal(s.e->nlog, 3);
	eap_decode_pkt(solo_last(&s), &e);
	assert_int_equal(e.id, 7);
	assert_int_equal(e.type, EAP_TYPE_NAK);
	solo_free(&s);
}

/*
 * SoftEther answers our EAP Nak by renegotiating LCP for MS-CHAPv2 and
 * never sends the Challenge.  A peer whose EAP ended at its Nak waits two
 * restart periods for the next method's first packet, then says why; a
 * server that does send its Challenge is answered as usual.
 */
static void
auth_peer_after_eap_nak_waits_briefly(void **state)
{
	const uint8_t tls[] = { EAP_REQUEST, 3, 0, 6, EAP_TYPE_TLS, 0x20 };
	struct eap_packet e;
	struct solo s;

	(void)state;
	solo_start(&s, PPP_ROLE_PEER, PPP_AUTH_EAP);
	solo_input(&s, PPP_PROTO_EAP, tls, sizeof(tls));
	eap_decode_pkt(solo_last(&s), &e);
	assert_int_equal(e.type, EAP_TYPE_NAK);
	/* LCP went down and up with MS-CHAPv2. */
	ppp_auth_stop(s.e->a);
	ppp_auth_start(s.e->a, PPP_AUTH_MSCHAPV2, s.n.now);
	solo_tick(&s, 2 * 3000 - 1);
	assert_int_equal(s.e->done, 0);
	solo_tick(&s, 1);
	assert_int_equal(s.e->done, 1);
	assert_int_equal(s.e->reason, PPP_E_AUTH_EAP_NO_TYPE);
	solo_free(&s);

	/* Without the Nak before, the peer waits the full minute. */
	solo_start(&s, PPP_ROLE_PEER, PPP_AUTH_MSCHAPV2);
	solo_tick(&s, 59999);
	assert_int_equal(s.e->done, 0);
	solo_tick(&s, 1);
	assert_int_equal(s.e->reason, PPP_E_AUTH_TIMEOUT);
	solo_free(&s);
}

/* A peer that only does EAP-MSCHAPv2 Naks MD5 with 1A. */
static void
auth_eap_peer_naks_md5(void **state)
{
	struct eap_packet e;
	struct net n;
	int i, naks = 0;

	(void)state;
	net_init(&n, USER, PASSWORD);
	n.auth.cfg.eap_offer[0] = PPP_AUTH_CHAP_MD5;
	n.auth.cfg.eap_offer[1] = PPP_AUTH_MSCHAPV2;
	n.auth.cfg.neap_offer = 2;
	n.peer.cfg.eap_accept[0] = PPP_AUTH_MSCHAPV2;
	n.peer.cfg.neap_accept = 1;
	net_start(&n, PPP_AUTH_EAP);
	net_run(&n, 1000);
	for (i = 0; i < n.peer.nlog; i++) {
		eap_decode_pkt(&n.peer.log[i], &e);
		if (e.type != EAP_TYPE_NAK)
			continue;
		naks++;
		assert_int_equal(e.data_len, 1);
		assert_int_equal(e.data[0], EAP_TYPE_MSCHAPV2);
	}
	assert_int_equal(naks, 1);
	assert_success(&n, &M_EAP_MS, USER);
	net_free(&n);
}

/* Nothing in common: EAP-Failure after the Nak. */
static void
auth_eap_no_common_method(void **state)
{
	struct net n;

	(void)state;
	net_init(&n, USER, PASSWORD);
	n.auth.cfg.eap_offer[0] = PPP_AUTH_MSCHAPV2;
	n.auth.cfg.neap_offer = 1;
	n.peer.cfg.eap_accept[0] = PPP_AUTH_CHAP_MD5;
	n.peer.cfg.neap_accept = 1;
	net_start(&n, PPP_AUTH_EAP);
	net_run(&n, 1000);
	assert_int_equal(n.auth.done, 1);
	assert_int_equal(n.auth.reason, PPP_E_AUTH_REFUSED);
	assert_int_equal(n.peer.done, 1);
	assert_int_equal(n.peer.reason, PPP_E_AUTH_EAP_NO_TYPE);
	assert_int_equal(n.auth.calls, 0);
	net_free(&n);
}

/* spec/ppp.md 6.4, 7.4: the RFC 2759 vector through both key paths. */
static void
auth_mschapv2_rfc_vector_hlak(void **state)
{
	uint8_t hash[16], nt[24], want[32], hlak[32], msk[64];

	(void)state;
	if (crypto == NULL)
		crypto = ppp_crypto_new();
	assert_non_null(crypto);
	test_hex("44EBBA8D5312B8D611474411F56989AE", hash, sizeof(hash));
	test_hex(
	    "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF", nt, sizeof(nt));
	test_hex(V_HLAK, want, sizeof(want));
	assert_int_equal(
	    mschap_hlak(crypto, PPP_ROLE_PEER, hash, nt, hlak), PPP_OK);
	assert_memory_equal(hlak, want, 32);
	assert_int_equal(
	    mschap_hlak(crypto, PPP_ROLE_AUTHENTICATOR, hash, nt, hlak),
	    PPP_OK);
	assert_memory_equal(hlak, want, 32);
	assert_int_equal(mschap_msk(crypto, hash, nt, msk), PPP_OK);
	assert_memory_equal(msk, want, 32);
}

/* trap 8: retransmissions, and the same verdict for duplicates. */
static void
ppp_trap_08_auth_retries_and_duplicates(void **state)
{
	uint8_t b[128], dup[PKT_MAX];
	struct solo s;
	struct net n;
	size_t len;
	int i, acks;

	(void)state;
	/* CHAP: the same Challenge, same Id, max_requests times. */
	solo_start(&s, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_CHAP_MD5);
	for (i = 1; i < MAX_REQ; i++) {
		solo_tick(&s, RESTART - 1);
		assert_int_equal(s.e->nlog, i);
		solo_tick(&s, 1);
		assert_int_equal(s.e->nlog, i + 1);
		assert_memory_equal(
		    s.e->log[i].b, s.e->log[0].b, s.e->log[0].len);
	}
	solo_tick(&s, RESTART);
	assert_int_equal(s.e->nlog, MAX_REQ);
	assert_int_equal(s.e->done, 1);
	assert_int_equal(s.e->reason, PPP_E_AUTH_TIMEOUT);
	/* A late Response: no verdict to repeat, no backend call. */
	len = ms_response(b, s.e->log[0].b[1], 16, USER);
	solo_input(&s, PPP_PROTO_CHAP, b, len);
	assert_int_equal(s.e->nlog, MAX_REQ);
	assert_int_equal(s.e->calls, 0);
	solo_free(&s);

	/* PAP peer: a new Id each time. */
	solo_start(&s, PPP_ROLE_PEER, PPP_AUTH_PAP);
	for (i = 1; i < MAX_REQ; i++) {
		solo_tick(&s, RESTART);
		assert_int_equal(
		    s.e->log[i].b[1], (uint8_t)(s.e->log[i - 1].b[1] + 1));
	}
	solo_tick(&s, RESTART);
	assert_int_equal(s.e->nlog, MAX_REQ);
	assert_int_equal(s.e->reason, PPP_E_AUTH_TIMEOUT);
	solo_free(&s);

	/* Duplicates after the verdict get it again, each method. */
	net_setup(&n, &M_PAP, USER, PASSWORD);
	net_start(&n, PPP_AUTH_PAP);
	net_run(&n, 1000);
	assert_true(n.auth.ok);
	memcpy(dup, n.peer.log[0].b, n.peer.log[0].len);
	ppp_auth_input(n.auth.a, PPP_PROTO_PAP, dup, n.peer.log[0].len, n.now);
	dup[1]++;
	ppp_auth_input(n.auth.a, PPP_PROTO_PAP, dup, n.peer.log[0].len, n.now);
	acks = count_code(&n.auth, PPP_PROTO_PAP, PAP_AUTH_ACK);
	assert_int_equal(acks, 3);
	assert_int_equal(n.auth.log[n.auth.nlog - 1].b[1], dup[1]);
	assert_int_equal(n.auth.calls, 1);
	assert_int_equal(n.auth.done, 1);
	net_free(&n);

	net_setup(&n, &M_MS, USER, "bad");
	net_start(&n, PPP_AUTH_MSCHAPV2);
	net_run(&n, 1000);
	assert_false(n.auth.ok);
	len = n.peer.log[0].len;
	memcpy(dup, n.peer.log[0].b, len);
	ppp_auth_input(n.auth.a, PPP_PROTO_CHAP, dup, len, n.now);
	assert_int_equal(count_code(&n.auth, PPP_PROTO_CHAP, CHAP_FAILURE), 2);
	assert_memory_equal(n.auth.log[n.auth.nlog - 1].b,
	    n.auth.log[n.auth.nlog - 2].b, n.auth.log[n.auth.nlog - 1].len);
	net_free(&n);

	/* A duplicate Challenge gets the same Response from the peer. */
	net_setup(&n, &M_MS, USER, PASSWORD);
	n.mute_auth = true;
	net_start(&n, PPP_AUTH_MSCHAPV2);
	net_advance(&n, RESTART);
	n.mute_auth = false;
	n.mute_peer = true;
	ppp_auth_input(n.peer.a, PPP_PROTO_CHAP, n.auth.log[0].b,
	    n.auth.log[0].len, n.now);
	ppp_auth_input(n.peer.a, PPP_PROTO_CHAP, n.auth.log[0].b,
	    n.auth.log[0].len, n.now);
	assert_int_equal(n.peer.nlog, 2);
	assert_int_equal(n.peer.log[0].len, n.peer.log[1].len);
	assert_memory_equal(
	    n.peer.log[0].b, n.peer.log[1].b, n.peer.log[0].len);
	net_free(&n);

	/* EAP: a duplicate of the last Response gets EAP-Success again. */
	net_setup(&n, &M_EAP_MS, USER, PASSWORD);
	net_start(&n, PPP_AUTH_EAP);
	net_run(&n, 1000);
	assert_true(n.auth.ok);
	len = n.peer.log[n.peer.nlog - 1].len;
	memcpy(dup, n.peer.log[n.peer.nlog - 1].b, len);
	ppp_auth_input(n.auth.a, PPP_PROTO_EAP, dup, len, n.now);
	assert_int_equal(count_code(&n.auth, PPP_PROTO_EAP, EAP_SUCCESS), 2);
	assert_int_equal(n.auth.done, 1);
	net_free(&n);
}

/* trap 9: while the backend thinks, nothing new starts. */
static void
ppp_trap_09_async_backend_no_second_verification(void **state)
{
	const struct mcase *all[] = { &M_PAP, &M_MD5, &M_MS, &M_EAP_MD5,
		&M_EAP_MS };
	uint8_t dup[PKT_MAX];
	struct net n;
	size_t i, len;
	int sent, last;

	(void)state;
	for (i = 0; i < ARRAY_LEN(all); i++) {
		net_setup(&n, all[i], USER, PASSWORD);
		n.auth.async = true;
		net_start(&n, all[i]->lcp);
		net_run(&n, 100);
		assert_int_equal(n.auth.calls, 1);
		sent = n.auth.nlog;
		/* The peer's last packet, again and again. */
		last = n.peer.nlog - 1;
		len = n.peer.log[last].len;
		memcpy(dup, n.peer.log[last].b, len);
		ppp_auth_input(
		    n.auth.a, n.peer.log[last].proto, dup, len, n.now);
		ppp_auth_input(
		    n.auth.a, n.peer.log[last].proto, dup, len, n.now);
		assert_int_equal(n.auth.calls, 1);
		assert_int_equal(n.auth.nlog, sent);
		/* Time passes: PAP peers retransmit with new Ids; the
		 * authenticator sends no new Challenge or Request. */
		net_advance(&n, 3 * RESTART + 1);
		assert_int_equal(n.auth.calls, 1);
		assert_int_equal(n.auth.nlog, sent);
		if (all[i]->lcp == PPP_AUTH_PAP)
			assert_int_equal(n.peer.nlog, 4);
		backend_answer_pending(&n.auth);
		net_run(&n, 1000);
		assert_success(&n, all[i], USER);
		assert_int_equal(n.auth.calls, 1);
		net_free(&n);
	}
}

/* Odd calls: NULL, unknown methods, input before start. */
static void
auth_api_edges(void **state)
{
	const uint8_t req[] = { 1, 1, 0, 6, 0, 0 };
	struct ppp_auth_config cfg;
	struct solo s;

	(void)state;
	ppp_auth_free(NULL);
	ppp_auth_stop(NULL);
	assert_int_equal(ppp_auth_deadline(NULL), PPP_AUTH_NO_DEADLINE);
	ppp_auth_config_default(&cfg, PPP_ROLE_AUTHENTICATOR);
	/* No backend, no crypto: refused. */
	cfg.crypto = crypto;
	assert_null(ppp_auth_new(&cfg, &ops, NULL));
	net_init(&s.n, USER, PASSWORD);
	s.e = &s.n.auth;
	end_create(s.e);
	/* Not started: discarded. */
	solo_input(&s, PPP_PROTO_PAP, req, sizeof(req));
	assert_int_equal(s.e->calls, 0);
	assert_int_equal(ppp_auth_deadline(s.e->a), PPP_AUTH_NO_DEADLINE);
	ppp_auth_start(s.e->a, (enum ppp_auth_method)99, s.n.now);
	assert_int_equal(s.e->done, 1);
	assert_int_equal(s.e->reason, PPP_E_INVALID);
	ppp_auth_start(s.e->a, PPP_AUTH_NONE, s.n.now);
	assert_int_equal(s.e->done, 2);
	assert_true(s.e->ok);
	/* PAP into an authenticator of PAP: one backend call. */
	ppp_auth_start(s.e->a, PPP_AUTH_PAP, s.n.now);
	solo_input(&s, PPP_PROTO_PAP, req, sizeof(req));
	assert_int_equal(s.e->calls, 1);
	assert_string_equal(s.e->pend_user, "");
	solo_free(&s);

	/* A peer password too long for PAP fails at once. */
	net_init(&s.n, USER, NULL);
	s.n.peer.cfg.password =
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "0123456789012345678901234567890123456789012345678901234567890123";
	s.e = &s.n.peer;
	end_create(s.e);
	ppp_auth_start(s.e->a, PPP_AUTH_PAP, s.n.now);
	assert_int_equal(s.e->done, 1);
	assert_int_equal(s.e->reason, PPP_E_INVALID);
	assert_int_equal(s.e->nlog, 0);
	solo_free(&s);
}

#define CASE(title, fn, mc)                                                    \
	{                                                                      \
		.name = (title), .test_func = (fn),                            \
		.initial_state = (void *)&(mc)                                 \
	}

/* One row per method of the matrix. */
#define MATRIX(prefix, mc)                                                     \
	CASE(prefix "_ok", t_ok, mc),                                          \
	    CASE(prefix "_domain_user", t_domain_user, mc),                    \
	    CASE(prefix "_nt_hash_backend", t_nt_hash_backend, mc),            \
	    CASE(prefix "_wrong_password", t_wrong_password, mc),              \
	    CASE(prefix "_unknown_user", t_unknown_user, mc),                  \
	    CASE(prefix "_lost_from_peer", t_lost_from_peer, mc),              \
	    CASE(prefix "_lost_from_authenticator", t_lost_from_authenticator, \
		mc),                                                           \
	    CASE(prefix "_duplicated", t_duplicated, mc),                      \
	    CASE(prefix "_peer_silent", t_peer_silent, mc),                    \
	    CASE(prefix "_authenticator_silent", t_authenticator_silent, mc),  \
	    CASE(prefix "_async_backend", t_async_backend, mc),                \
	    CASE(prefix "_backend_silent", t_backend_silent, mc),              \
	    CASE(prefix "_stale_answer_after_stop", t_stale_answer_after_stop, \
		mc)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		MATRIX("auth_pap", M_PAP),
		MATRIX("auth_chap_md5", M_MD5),
		MATRIX("auth_mschapv2", M_MS),
		MATRIX("auth_eap_md5", M_EAP_MD5),
		MATRIX("auth_eap_mschapv2", M_EAP_MS),
		cmocka_unit_test(auth_pap_softether_ack),
		cmocka_unit_test(auth_pap_softether_replay),
		cmocka_unit_test(auth_chap_value_size_and_id_checked),
		cmocka_unit_test(auth_mschapv2_password_change_refused),
		cmocka_unit_test(auth_eap_mschapv2_password_change_refused),
		cmocka_unit_test(auth_mschapv2_bad_authenticator_response),
		cmocka_unit_test(auth_eap_mschapv2_bad_authenticator_response),
		cmocka_unit_test(auth_eap_peer_ignores_early_success),
		cmocka_unit_test(auth_eap_peer_naks_md5),
		cmocka_unit_test(auth_eap_peer_notification_and_tls_nak),
		cmocka_unit_test(auth_eap_peer_same_id_new_type),
		cmocka_unit_test(auth_peer_after_eap_nak_waits_briefly),
		cmocka_unit_test(auth_eap_no_common_method),
		cmocka_unit_test(auth_mschapv2_rfc_vector_hlak),
		cmocka_unit_test(auth_api_edges),
		cmocka_unit_test(ppp_trap_08_auth_retries_and_duplicates),
		cmocka_unit_test(
		    ppp_trap_09_async_backend_no_second_verification),
		cmocka_unit_test(ppp_trap_14_done_before_success_sent),
	};
	int rc;

	rc = test_run(argc, argv, "ppp_auth", tests, ARRAY_LEN(tests));
	ppp_crypto_free(crypto);
	return rc;
}

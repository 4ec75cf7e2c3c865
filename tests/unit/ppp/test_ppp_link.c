/*
 * Two whole PPP links, client and server, negotiating in memory: the
 * matrix of spec/ppp.md for every method (each ending with IPCP and
 * IPv6CP up and the same HLAK on both ends), failures, lost, duplicated
 * and reordered frames, silence, and Terminate from either side.
 */
#include <string.h>

#include <openssl/rand.h>

#include "ppp/ppp_frame.h"
#include "ppp/ppp_link.h"
#include "test_run.h"

#define MAX_FRAMES 64

struct side {
	struct ppp_link link;
	struct ppp_link_config cfg;
	int nframes;
	size_t len[MAX_FRAMES];
	uint8_t frame[MAX_FRAMES][1600];
	int auth_done, auth_ok, ipv4_up, ipv6_up, down, datagrams;
	enum ppp_err down_reason;
	uint8_t hlak[PPP_HLAK_LEN];
	struct ppp_ipv4_info v4;
	struct ppp_ipv6_info v6;
	bool backend_async; /* answer later, from the test */
	int backend_calls;
	const char *pending_user;
};

static struct ppp_crypto *crypto;

/* The server's users: name -> password. */
static const char *
user_password(const char *user)
{
	if (strcmp(user, "User") == 0 || strcmp(user, "DOMAIN\\User") == 0)
		return "clientPass";
	return NULL;
}

static void
backend_answer(struct side *s, const char *user, bool pap, const char *password,
    uint64_t now)
{
	const char *pw = user_password(user);

	if (pap)
		ppp_link_password_result(
		    &s->link, pw != NULL && strcmp(pw, password) == 0, now);
	else
		ppp_link_secret(&s->link,
		    pw != NULL ? PPP_SECRET_PASSWORD : PPP_SECRET_NONE, pw,
		    pw != NULL ? strlen(pw) : 0, now);
}

static char pending_password[64];

static void
be_check_password(
    void *arg, struct ppp_auth *a, const char *user, const char *password)
{
	struct side *s = arg;

	(void)a;
	s->backend_calls++;
	if (s->backend_async) {
		s->pending_user = user_password(user) ? user : "nobody";
		snprintf(
		    pending_password, sizeof(pending_password), "%s", password);
		return;
	}
	backend_answer(s, user, true, password, s->link.now);
}

static void
be_get_secret(void *arg, struct ppp_auth *a, const char *user,
    enum ppp_auth_method method)
{
	struct side *s = arg;

	(void)a;
	(void)method;
	s->backend_calls++;
	if (s->backend_async) {
		s->pending_user = user_password(user) ? user : "nobody";
		return;
	}
	backend_answer(s, user, false, NULL, s->link.now);
}

static const struct ppp_auth_backend backend = {
	.check_password = be_check_password,
	.get_secret = be_get_secret,
};

static void
on_send(void *arg, const uint8_t *frame, size_t len)
{
	struct side *s = arg;

	assert_true(s->nframes < MAX_FRAMES && len <= sizeof(s->frame[0]));
	memcpy(s->frame[s->nframes], frame, len);
	s->len[s->nframes++] = len;
}

static void
on_auth_done(void *arg, const struct ppp_auth_result *res)
{
	struct side *s = arg;

	s->auth_done++;
	s->auth_ok = res->ok;
	memcpy(s->hlak, res->hlak, PPP_HLAK_LEN);
}

static void
on_ipv4_up(void *arg, const struct ppp_ipv4_info *info)
{
	struct side *s = arg;

	s->ipv4_up++;
	s->v4 = *info;
}

static void
on_ipv4_down(void *arg)
{
	(void)arg;
}

static void
on_ipv6_up(void *arg, const struct ppp_ipv6_info *info)
{
	struct side *s = arg;

	s->ipv6_up++;
	s->v6 = *info;
}

static void
on_ipv6_down(void *arg)
{
	(void)arg;
}

static void
on_datagram(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	(void)proto;
	(void)pkt;
	(void)len;
	((struct side *)arg)->datagrams++;
}

static void
on_down(void *arg, enum ppp_err reason)
{
	struct side *s = arg;

	s->down++;
	s->down_reason = reason;
}

static bool
on_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	return RAND_bytes(buf, (int)len) == 1;
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
	.ipv4_up = on_ipv4_up,
	.ipv4_down = on_ipv4_down,
	.ipv6_up = on_ipv6_up,
	.ipv6_down = on_ipv6_down,
	.datagram = on_datagram,
	.down = on_down,
	.random = on_random,
	.alloc_ipv4 = on_alloc,
};

static int
setup(void **state)
{
	(void)state;
	if (crypto == NULL)
		crypto = ppp_crypto_new();
	return crypto == NULL ? -1 : 0;
}

static void
side_config(struct side *s, enum ppp_role role, enum ppp_auth_method m)
{
	memset(s, 0, sizeof(*s));
	ppp_link_config_default(&s->cfg, role);
	s->cfg.lcp.fsm.restart_ms = 100;
	s->cfg.ipcp.fsm.restart_ms = 100;
	s->cfg.ipv6cp.fsm.restart_ms = 100;
	s->cfg.auth.restart_ms = 100;
	s->cfg.auth.crypto = crypto;
	if (role == PPP_ROLE_AUTHENTICATOR) {
		s->cfg.lcp.require[0] = m;
		s->cfg.lcp.nrequire = 1;
		s->cfg.auth.name = "opensstpd";
		s->cfg.auth.backend = &backend;
		s->cfg.auth.backend_arg = s;
		s->cfg.ipcp.addr = 0x0a000001;
		s->cfg.ipcp.dns[0] = 0x0a000035;
	} else {
		s->cfg.auth.user = "User";
		s->cfg.auth.password = "clientPass";
	}
}

static void
side_start(struct side *s)
{
	assert_int_equal(ppp_link_init(&s->link, &s->cfg, &ops, s), PPP_OK);
	ppp_link_lower_up(&s->link, 0);
}

/* Frames carried so far; drop_at > 0 loses the frame of that number. */
static int carried;
/* Deliver each burst last frame first (reordering). */
static bool reverse;

/* Deliver what a sent to b, each frame twice if duplicate. */
static void
deliver(
    struct side *a, struct side *b, uint64_t now, int drop_at, bool duplicate)
{
	static uint8_t frames[MAX_FRAMES][1600];
	static size_t len[MAX_FRAMES];
	int i, n = a->nframes;

	memcpy(frames, a->frame, sizeof(frames));
	memcpy(len, a->len, sizeof(len));
	a->nframes = 0;
	for (i = 0; i < n; i++) {
		int j = reverse ? n - 1 - i : i;

		if (++carried == drop_at)
			continue;
		ppp_link_input(&b->link, frames[j], len[j], now);
		if (duplicate)
			ppp_link_input(&b->link, frames[j], len[j], now);
	}
}

/* Run both for up to limit ms of simulated time. */
static void
run(struct side *cl, struct side *sv, uint64_t limit, int drop_at,
    bool duplicate)
{
	uint64_t now;

	carried = 0;
	for (now = 0; now <= limit; now += 10) {
		deliver(cl, sv, now, drop_at, duplicate);
		deliver(sv, cl, now, drop_at, duplicate);
		if (now >= ppp_link_deadline(&cl->link))
			ppp_link_tick(&cl->link, now);
		if (now >= ppp_link_deadline(&sv->link))
			ppp_link_tick(&sv->link, now);
	}
}

static void
assert_link_up(struct side *cl, struct side *sv)
{
	assert_int_equal(cl->auth_done, 1);
	assert_int_equal(sv->auth_done, 1);
	assert_true(cl->auth_ok);
	assert_true(sv->auth_ok);
	assert_memory_equal(cl->hlak, sv->hlak, PPP_HLAK_LEN);
	/* Up now (a lost Ack may have made an NCP renegotiate once). */
	assert_true(cl->ipv4_up >= 1 && ipcp_is_opened(&cl->link.ipcp));
	assert_true(sv->ipv4_up >= 1 && ipcp_is_opened(&sv->link.ipcp));
	assert_true(cl->ipv6_up >= 1 && ipv6cp_is_opened(&cl->link.ipv6cp));
	assert_true(sv->ipv6_up >= 1 && ipv6cp_is_opened(&sv->link.ipv6cp));
	assert_int_equal(cl->v4.local, 0x0a000005);
	assert_int_equal(cl->v4.peer, 0x0a000001);
	assert_int_equal(cl->v4.dns[0], 0x0a000035);
	assert_memory_equal(cl->v6.local_iid, sv->v6.peer_iid, 8);
	assert_int_equal(cl->link.phase, PPP_PHASE_NETWORK);
	assert_int_equal(sv->link.phase, PPP_PHASE_NETWORK);
	assert_int_equal(cl->down + sv->down, 0);
}

static void
method_ok(enum ppp_auth_method m, bool zero_hlak)
{
	static const uint8_t zero[PPP_HLAK_LEN];
	struct side cl, sv;

	side_config(&cl, PPP_ROLE_PEER, m);
	side_config(&sv, PPP_ROLE_AUTHENTICATOR, m);
	side_start(&sv);
	side_start(&cl);
	run(&cl, &sv, 2000, 0, false);
	assert_link_up(&cl, &sv);
	if (zero_hlak)
		assert_memory_equal(cl.hlak, zero, PPP_HLAK_LEN);
	else
		assert_memory_not_equal(cl.hlak, zero, PPP_HLAK_LEN);
	ppp_link_fini(&cl.link);
	ppp_link_fini(&sv.link);
}

static void
link_pap_ok(void **state)
{
	(void)state;
	method_ok(PPP_AUTH_PAP, true);
}

static void
link_chap_md5_ok(void **state)
{
	(void)state;
	method_ok(PPP_AUTH_CHAP_MD5, true);
}

static void
link_mschapv2_ok(void **state)
{
	(void)state;
	method_ok(PPP_AUTH_MSCHAPV2, false);
}

static void
link_eap_ok(void **state)
{
	(void)state;
	method_ok(PPP_AUTH_EAP, false); /* EAP-MSCHAPv2 offered first */
}

static void
link_eap_md5_ok(void **state)
{
	struct side cl, sv;
	static const uint8_t zero[PPP_HLAK_LEN];

	(void)state;
	side_config(&cl, PPP_ROLE_PEER, PPP_AUTH_EAP);
	side_config(&sv, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_EAP);
	sv.cfg.auth.eap_offer[0] = PPP_AUTH_CHAP_MD5;
	sv.cfg.auth.neap_offer = 1;
	side_start(&sv);
	side_start(&cl);
	run(&cl, &sv, 2000, 0, false);
	assert_link_up(&cl, &sv);
	assert_memory_equal(cl.hlak, zero, PPP_HLAK_LEN);
	ppp_link_fini(&cl.link);
	ppp_link_fini(&sv.link);
}

static void
wrong_password(enum ppp_auth_method m, const char *user, const char *pw)
{
	struct side cl, sv;

	side_config(&cl, PPP_ROLE_PEER, m);
	side_config(&sv, PPP_ROLE_AUTHENTICATOR, m);
	cl.cfg.auth.user = user;
	cl.cfg.auth.password = pw;
	side_start(&sv);
	side_start(&cl);
	run(&cl, &sv, 3000, 0, false);
	assert_int_equal(sv.auth_done, 1);
	assert_false(sv.auth_ok);
	assert_int_equal(cl.ipv4_up + sv.ipv4_up, 0);
	assert_int_equal(sv.down, 1);
	assert_int_equal(cl.down, 1);
	ppp_link_fini(&cl.link);
	ppp_link_fini(&sv.link);
}

static void
link_wrong_password_each_method(void **state)
{
	(void)state;
	wrong_password(PPP_AUTH_PAP, "User", "wrong");
	wrong_password(PPP_AUTH_CHAP_MD5, "User", "wrong");
	wrong_password(PPP_AUTH_MSCHAPV2, "User", "wrong");
	wrong_password(PPP_AUTH_EAP, "User", "wrong");
}

static void
link_unknown_user_each_method(void **state)
{
	(void)state;
	wrong_password(PPP_AUTH_PAP, "nobody", "clientPass");
	wrong_password(PPP_AUTH_CHAP_MD5, "nobody", "clientPass");
	wrong_password(PPP_AUTH_MSCHAPV2, "nobody", "clientPass");
	wrong_password(PPP_AUTH_EAP, "nobody", "clientPass");
}

static void
link_domain_user_mschapv2(void **state)
{
	struct side cl, sv;

	(void)state;
	side_config(&cl, PPP_ROLE_PEER, PPP_AUTH_MSCHAPV2);
	side_config(&sv, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_MSCHAPV2);
	cl.cfg.auth.user = "DOMAIN\\User";
	side_start(&sv);
	side_start(&cl);
	run(&cl, &sv, 2000, 0, false);
	assert_link_up(&cl, &sv);
	ppp_link_fini(&cl.link);
	ppp_link_fini(&sv.link);
}

static void
link_client_falls_back_to_offered_method(void **state)
{
	struct side cl, sv;

	(void)state;
	side_config(&cl, PPP_ROLE_PEER, PPP_AUTH_PAP);
	side_config(&sv, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_MSCHAPV2);
	sv.cfg.lcp.require[1] = PPP_AUTH_PAP;
	sv.cfg.lcp.nrequire = 2;
	cl.cfg.lcp.accept[0] = PPP_AUTH_PAP;
	cl.cfg.lcp.naccept = 1;
	side_start(&sv);
	side_start(&cl);
	run(&cl, &sv, 2000, 0, false);
	assert_link_up(&cl, &sv);
	assert_int_equal(sv.link.lcp.auth, PPP_AUTH_PAP);
	ppp_link_fini(&cl.link);
	ppp_link_fini(&sv.link);
}

static void
link_lost_and_duplicated_frames(void **state)
{
	enum ppp_auth_method m[] = { PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5,
		PPP_AUTH_MSCHAPV2, PPP_AUTH_EAP };
	struct side cl, sv;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < ARRAY_LEN(m); i++) {
		/*
		 * Each frame of a whole negotiation lost in turn, one per run
		 * (SSTP runs over TCP: a loss here stands for a peer that
		 * dropped a frame): the restart timers recover every time.
		 */
		for (k = 1; k <= 24; k++) {
			side_config(&cl, PPP_ROLE_PEER, m[i]);
			side_config(&sv, PPP_ROLE_AUTHENTICATOR, m[i]);
			side_start(&sv);
			side_start(&cl);
			run(&cl, &sv, 4000, k, false);
			assert_link_up(&cl, &sv);
			ppp_link_fini(&cl.link);
			ppp_link_fini(&sv.link);
		}
		/* Every frame twice. */
		side_config(&cl, PPP_ROLE_PEER, m[i]);
		side_config(&sv, PPP_ROLE_AUTHENTICATOR, m[i]);
		side_start(&sv);
		side_start(&cl);
		run(&cl, &sv, 4000, 0, true);
		assert_link_up(&cl, &sv);
		ppp_link_fini(&cl.link);
		ppp_link_fini(&sv.link);
	}
}

static void
link_reordered_frames(void **state)
{
	enum ppp_auth_method m[] = { PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5,
		PPP_AUTH_MSCHAPV2, PPP_AUTH_EAP };
	struct side cl, sv;
	size_t i;

	(void)state;
	/* Every burst of frames arrives last first (LCP, NCP and auth
	 * packets sent together overtake each other). */
	reverse = true;
	for (i = 0; i < ARRAY_LEN(m); i++) {
		side_config(&cl, PPP_ROLE_PEER, m[i]);
		side_config(&sv, PPP_ROLE_AUTHENTICATOR, m[i]);
		side_start(&sv);
		side_start(&cl);
		run(&cl, &sv, 4000, 0, false);
		assert_link_up(&cl, &sv);
		ppp_link_fini(&cl.link);
		ppp_link_fini(&sv.link);
	}
	reverse = false;
}

static void
link_async_backend(void **state)
{
	struct side cl, sv;
	uint64_t now;

	(void)state;
	side_config(&cl, PPP_ROLE_PEER, PPP_AUTH_MSCHAPV2);
	side_config(&sv, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_MSCHAPV2);
	sv.backend_async = true;
	side_start(&sv);
	side_start(&cl);
	run(&cl, &sv, 500, 0, false);
	assert_int_equal(sv.backend_calls, 1);
	assert_int_equal(sv.auth_done, 0);
	backend_answer(&sv, sv.pending_user, false, NULL, 510);
	for (now = 510; now < 2000; now += 10) {
		deliver(&cl, &sv, now, 0, false);
		deliver(&sv, &cl, now, 0, false);
		if (now >= ppp_link_deadline(&cl.link))
			ppp_link_tick(&cl.link, now);
		if (now >= ppp_link_deadline(&sv.link))
			ppp_link_tick(&sv.link, now);
	}
	assert_link_up(&cl, &sv);
	assert_int_equal(sv.backend_calls, 1);
	ppp_link_fini(&cl.link);
	ppp_link_fini(&sv.link);
}

static void
link_peer_never_answers(void **state)
{
	struct side sv;
	uint64_t now;

	(void)state;
	side_config(&sv, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_MSCHAPV2);
	side_start(&sv);
	for (now = 0; now < 5000 && sv.down == 0; now += 10) {
		sv.nframes = 0;
		if (now >= ppp_link_deadline(&sv.link))
			ppp_link_tick(&sv.link, now);
	}
	assert_int_equal(sv.down, 1);
	assert_int_equal(sv.down_reason, PPP_E_NEGOTIATION);
	ppp_link_fini(&sv.link);
}

static void
link_terminate_from_either_side(void **state)
{
	struct side cl, sv;
	int who;

	(void)state;
	for (who = 0; who < 2; who++) {
		side_config(&cl, PPP_ROLE_PEER, PPP_AUTH_PAP);
		side_config(&sv, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_PAP);
		side_start(&sv);
		side_start(&cl);
		run(&cl, &sv, 1000, 0, false);
		assert_link_up(&cl, &sv);
		ppp_link_close(
		    who == 0 ? &cl.link : &sv.link, PPP_E_LOCAL_CLOSE, 1000);
		run(&cl, &sv, 1000, 0, false);
		assert_int_equal(cl.down, 1);
		assert_int_equal(sv.down, 1);
		assert_int_equal(
		    (who == 0 ? &cl : &sv)->down_reason, PPP_E_LOCAL_CLOSE);
		assert_int_equal(
		    (who == 0 ? &sv : &cl)->down_reason, PPP_E_PEER_TERMINATE);
		ppp_link_fini(&cl.link);
		ppp_link_fini(&sv.link);
	}
}

/*
 * SoftEther's answer to a wrong PAP password: a Terminate-Request, no
 * Authenticate-Nak.  The peer reports it as a refused authentication, but
 * only while its credentials await a verdict.
 */
static void
link_terminate_while_awaiting_verdict(void **state)
{
	struct side cl, sv;
	uint64_t now;
	int awaiting;

	(void)state;
	for (awaiting = 0; awaiting < 2; awaiting++) {
		side_config(&cl, PPP_ROLE_PEER, PPP_AUTH_PAP);
		side_config(&sv, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_PAP);
		/* Awaiting: the PAP request stays unanswered; else it is
		 * Acked and the link comes up before the Terminate. */
		sv.backend_async = awaiting;
		side_start(&sv);
		side_start(&cl);
		for (now = 0; now < 1000; now += 10) {
			if (awaiting ? sv.backend_calls == 1
				     : cl.link.phase == PPP_PHASE_NETWORK)
				break;
			deliver(&cl, &sv, now, 0, false);
			deliver(&sv, &cl, now, 0, false);
		}
		assert_int_equal(cl.link.phase,
		    awaiting ? PPP_PHASE_AUTHENTICATE : PPP_PHASE_NETWORK);
		ppp_link_close(&sv.link, PPP_E_AUTH_FAILED, now);
		run(&cl, &sv, 1000, 0, false);
		assert_int_equal(cl.down, 1);
		assert_int_equal(cl.down_reason, PPP_E_PEER_TERMINATE);
		/* One verdict either way: the refusal, or the success. */
		assert_int_equal(cl.auth_done, 1);
		assert_int_equal(cl.auth_ok, !awaiting);
		ppp_link_fini(&cl.link);
		ppp_link_fini(&sv.link);
	}
}

static void
ppp_trap_06_unknown_protocol_by_phase(void **state)
{
	static const uint8_t ccp[] = { 0xff, 0x03, 0x80, 0xfd, 0x01, 0x01, 0x00,
		0x04 };
	struct side cl, sv;

	(void)state;
	side_config(&cl, PPP_ROLE_PEER, PPP_AUTH_PAP);
	side_config(&sv, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_PAP);
	side_start(&sv);
	/* Establish phase: discarded, no Protocol-Reject. */
	sv.nframes = 0;
	ppp_link_input(&sv.link, ccp, sizeof(ccp), 0);
	assert_int_equal(sv.nframes, 0);
	side_start(&cl);
	sv.nframes = 0;
	run(&cl, &sv, 1000, 0, false);
	assert_link_up(&cl, &sv);
	/* Network phase: Protocol-Reject with the packet. */
	ppp_link_input(&sv.link, ccp, sizeof(ccp), 1000);
	assert_int_equal(sv.nframes, 1);
	assert_memory_equal(sv.frame[0], "\xff\x03\xc0\x21\x08", 5);
	assert_memory_equal(sv.frame[0] + 8, "\x80\xfd\x01\x01\x00\x04", 6);
	/* IPv4 data flows only with IPCP opened: it is. */
	{
		static const uint8_t ip[] = { 0xff, 0x03, 0x00, 0x21, 0x45 };
		uint8_t hdr[4];

		ppp_link_input(&sv.link, ip, sizeof(ip), 1000);
		assert_int_equal(sv.datagrams, 1);
		assert_int_equal(
		    ppp_link_datagram_header(&sv.link, PPP_PROTO_IPV4, hdr),
		    PPP_OK);
		assert_memory_equal(hdr, "\xff\x03\x00\x21", 4);
	}
	ppp_link_fini(&cl.link);
	ppp_link_fini(&sv.link);
}

/* Both sides from time from to to (run() starts at 0). */
static void
run_from(struct side *cl, struct side *sv, uint64_t from, uint64_t to)
{
	uint64_t now;

	for (now = from; now <= to; now += 10) {
		deliver(cl, sv, now, 0, false);
		deliver(sv, cl, now, 0, false);
		if (now >= ppp_link_deadline(&cl->link))
			ppp_link_tick(&cl->link, now);
		if (now >= ppp_link_deadline(&sv->link))
			ppp_link_tick(&sv->link, now);
	}
}

/*
 * ppp_link_release_auth: the authenticator's state goes once an NCP is
 * up, not before and not on the peer; a late Response is then discarded
 * (it was answered with the Success again); a peer that renegotiates LCP
 * logs in again with new state.
 */
static void
link_auth_released_after_login(void **state)
{
	struct side cl, sv;
	uint8_t resp[1600];
	size_t resp_len = 0;
	uint64_t now;
	int i;

	(void)state;
	side_config(&cl, PPP_ROLE_PEER, PPP_AUTH_MSCHAPV2);
	side_config(&sv, PPP_ROLE_AUTHENTICATOR, PPP_AUTH_MSCHAPV2);
	side_start(&sv);
	side_start(&cl);
	ppp_link_release_auth(&sv.link);
	assert_non_null(sv.link.auth);
	for (now = 0; now <= 2000; now += 10) {
		/* Keep the client's CHAP Response (code 2) for later. */
		for (i = 0; i < cl.nframes; i++)
			if (cl.len[i] > 4 && cl.frame[i][2] == 0xc2 &&
			    cl.frame[i][3] == 0x23 && cl.frame[i][4] == 2) {
				memcpy(resp, cl.frame[i], cl.len[i]);
				resp_len = cl.len[i];
			}
		run_from(&cl, &sv, now, now);
	}
	assert_link_up(&cl, &sv);
	assert_true(resp_len > 0);
	ppp_link_release_auth(&cl.link);
	assert_non_null(cl.link.auth);
	ppp_link_release_auth(&sv.link);
	assert_null(sv.link.auth);
	sv.nframes = 0;
	ppp_link_input(&sv.link, resp, resp_len, 2000);
	assert_int_equal(sv.nframes, 0);
	assert_int_equal(sv.auth_done, 1);
	assert_int_equal(sv.link.phase, PPP_PHASE_NETWORK);
	/* A new peer on the same link: LCP again, then a login. */
	ppp_link_fini(&cl.link);
	side_config(&cl, PPP_ROLE_PEER, PPP_AUTH_MSCHAPV2);
	side_start(&cl);
	run_from(&cl, &sv, 2010, 4000);
	assert_int_equal(sv.auth_done, 2);
	assert_true(sv.auth_ok);
	assert_int_equal(cl.auth_done, 1);
	assert_true(cl.auth_ok);
	assert_memory_equal(cl.hlak, sv.hlak, PPP_HLAK_LEN);
	assert_int_equal(sv.link.phase, PPP_PHASE_NETWORK);
	assert_true(ipcp_is_opened(&sv.link.ipcp));
	assert_int_equal(sv.down, 0);
	ppp_link_release_auth(&sv.link);
	assert_null(sv.link.auth);
	ppp_link_fini(&cl.link);
	ppp_link_fini(&sv.link);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(link_pap_ok, setup),
		cmocka_unit_test_setup(link_chap_md5_ok, setup),
		cmocka_unit_test_setup(link_mschapv2_ok, setup),
		cmocka_unit_test_setup(link_eap_ok, setup),
		cmocka_unit_test_setup(link_eap_md5_ok, setup),
		cmocka_unit_test_setup(link_wrong_password_each_method, setup),
		cmocka_unit_test_setup(link_unknown_user_each_method, setup),
		cmocka_unit_test_setup(link_domain_user_mschapv2, setup),
		cmocka_unit_test_setup(
		    link_client_falls_back_to_offered_method, setup),
		cmocka_unit_test_setup(link_lost_and_duplicated_frames, setup),
		cmocka_unit_test_setup(link_reordered_frames, setup),
		cmocka_unit_test_setup(link_async_backend, setup),
		cmocka_unit_test_setup(link_peer_never_answers, setup),
		cmocka_unit_test_setup(link_terminate_from_either_side, setup),
		cmocka_unit_test_setup(
		    link_terminate_while_awaiting_verdict, setup),
		cmocka_unit_test_setup(
		    ppp_trap_06_unknown_protocol_by_phase, setup),
		cmocka_unit_test_setup(link_auth_released_after_login, setup),
	};
	int rc = test_run(argc, argv, "ppp_link", tests, ARRAY_LEN(tests));

	ppp_crypto_free(crypto);
	return rc;
}

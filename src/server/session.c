/*
 * A client's session on the server (see session.h).
 */
#include "server/session.h"

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "base/log.h"
#include "ppp/ipv6_ctl.h"
#include "ppp/mschap.h"

/* "ipv4=255.255.255.255 ipv6=ffff:...:ffff/64" */
#define ADDR_FIELDS_MAX (16 + INET_ADDRSTRLEN + INET6_ADDRSTRLEN)

/* Log the start line at most this long after the first NCP came up. */
#define START_LOG_DELAY_MS 1000

static const char *
ipv4_str(uint32_t host, char buf[INET_ADDRSTRLEN])
{
	uint32_t n = htonl(host);

	return inet_ntop(AF_INET, &n, buf, INET_ADDRSTRLEN);
}

/* "ipv4=10.77.0.2 ipv6=fd77:0:0:1::/64" for the log lines. */
static const char *
addr_fields(const struct session *s, char *buf, size_t len)
{
	char a4[INET_ADDRSTRLEN] = "-", a6[INET6_ADDRSTRLEN] = "-";
	uint8_t p6[16] = { 0 };

	if (s->shown_ipv4)
		ipv4_str(s->shown4, a4);
	if (s->shown_ipv6) {
		memcpy(p6, s->shown6, sizeof(s->shown6));
		inet_ntop(AF_INET6, p6, a6, sizeof(a6));
	}
	snprintf(
	    buf, len, "ipv4=%s ipv6=%s%s", a4, a6, s->shown_ipv6 ? "/64" : "");
	return buf;
}

/* Its user name for the log lines and the per-user count. */
static const char *
user_of(const struct session *s)
{
	return s->user != NULL ? s->user : "";
}

static void
log_start(struct session *s)
{
	char user[LOG_VALUE_MAX], addrs[ADDR_FIELDS_MAX];

	if (s->logged_start)
		return;
	/* Not before the client has proved it is the TLS peer: a relay's
	 * session never "starts". */
	if (s->srv->cfg.binding_required && !s->connected) {
		s->start_pending = true;
		return;
	}
	s->logged_start = true;
	io_timer_cancel(&s->w->loop, &s->start_log);
	log_info("session=%llu start user=%s src=%s %s worker=%u",
	    (unsigned long long)s->id,
	    log_value(user_of(s), user, sizeof(user)), s->peer,
	    addr_fields(s, addrs, sizeof(addrs)), s->w->index);
}

static void
on_start_log(struct io_timer *t)
{
	log_start(t->arg);
}

/*
 * [timers] setup: from accept to the call fully up (PPP in its Network
 * phase, the crypto binding verified when required), all phases
 * together.  Each phase has its own limit (handshake), but a peer that
 * stays just under each would hold the connection for their sum.
 */
static void
on_setup_deadline(struct io_timer *t)
{
	struct session *s = t->arg;
	const char *phase = tunnel_setup_phase(&s->tunnel);
	unsigned ms = (unsigned)s->srv->cfg.setup_ms;
	char why[96];

	if (strcmp(phase, "up") == 0 || strcmp(phase, "closing") == 0)
		return;
	log_warn("session=%llu src=%s setup_timeout ms=%u phase=%s",
	    (unsigned long long)s->id, s->peer, ms, phase);
	snprintf(why, sizeof(why), "set-up not complete within %u ms (%s)", ms,
	    phase);
	tunnel_setup_timeout(&s->tunnel, why);
}

/* The call is up: the set-up deadline has nothing left to watch. */
static void
setup_check(struct session *s)
{
	if (strcmp(tunnel_setup_phase(&s->tunnel), "up") == 0)
		io_timer_cancel(&s->w->loop, &s->setup_timer);
}

/* Start line once every NCP the server runs is up, or after a delay. */
static void
ncp_up(struct session *s)
{
	const struct server *srv = s->srv;
	bool want4 = srv->cfg.has_pool4, want6 = srv->cfg.has_prefix6;

	setup_check(s);
	/* Kept for the end line: the NCPs are down by then. */
	s->shown_ipv4 = s->has_ipv4;
	s->shown4 = s->ipv4;
	s->shown_ipv6 = s->has_ipv6;
	memcpy(s->shown6, s->prefix6, sizeof(s->shown6));
	if ((!want4 || s->has_ipv4) && (!want6 || s->has_ipv6))
		log_start(s);
	else if (!s->logged_start && s->start_log.deadline == IO_NO_DEADLINE)
		io_timer_set(&s->w->loop, &s->start_log,
		    io_loop_now(&s->w->loop) + START_LOG_DELAY_MS);
}

/* --- authentication against the users file --------------------------- */

static void
be_check_password(
    void *arg, struct ppp_auth *a, const char *user, const char *password)
{
	struct session *s = arg;
	struct server *srv = s->srv;
	const struct user_entry *u;
	size_t len = strlen(password);
	uint8_t nt[16];
	bool ok = false;

	(void)a;
	/* SIGHUP may replace the table: hold it while reading an entry. */
	pthread_rwlock_rdlock(&srv->users_lock);
	u = users_find(&srv->users, user);
	if (u != NULL && u->has_password)
		ok = strlen(u->password) == len &&
		    CRYPTO_memcmp(u->password, password, len) == 0;
	else if (u != NULL && u->has_nt_hash &&
	    mschap_nt_password_hash(s->srv->crypto, password, nt) == PPP_OK) {
		/* A user stored as an NT hash can still use PAP. */
		ok = CRYPTO_memcmp(nt, u->nt_hash, sizeof(nt)) == 0;
		OPENSSL_cleanse(nt, sizeof(nt));
	}
	pthread_rwlock_unlock(&srv->users_lock);
	tunnel_password_result(&s->tunnel, ok);
}

static void
be_get_secret(void *arg, struct ppp_auth *a, const char *user,
    enum ppp_auth_method method)
{
	struct session *s = arg;
	struct server *srv = s->srv;
	const struct user_entry *u;

	(void)a;
	/* tunnel_secret copies the secret: the lock covers the entry. */
	pthread_rwlock_rdlock(&srv->users_lock);
	u = users_find(&srv->users, user);
	if (u != NULL && u->has_password)
		tunnel_secret(&s->tunnel, PPP_SECRET_PASSWORD, u->password,
		    strlen(u->password));
	else if (u != NULL && u->has_nt_hash && method == PPP_AUTH_MSCHAPV2)
		tunnel_secret(&s->tunnel, PPP_SECRET_NT_HASH, u->nt_hash,
		    sizeof(u->nt_hash));
	else
		tunnel_secret(&s->tunnel, PPP_SECRET_NONE, NULL, 0);
	pthread_rwlock_unlock(&srv->users_lock);
}

static const struct ppp_auth_backend users_backend = {
	.check_password = be_check_password,
	.get_secret = be_get_secret,
};

/* --- tunnel callbacks ---------------------------------------------- */

static void
on_connected(void *arg)
{
	struct session *s = arg;
	const char *sni = tls_server_name(&s->tunnel.tls);
	char tls[96], name[LOG_VALUE_MAX];

	log_debug("session=%llu crypto binding verified tls=\"%s\" sni=%s",
	    (unsigned long long)s->id,
	    tunnel_tls_describe(&s->tunnel, tls, sizeof(tls)),
	    log_value(sni, name, sizeof(name)));
	s->connected = true;
	setup_check(s);
	if (s->start_pending)
		log_start(s);
}

/*
 * Sessions of this user already authenticated, on every worker, this one
 * aside; the caller holds srv->lock, under which the lists change.
 */
static uint32_t
user_sessions(const struct session *s)
{
	const struct server *srv = s->srv;
	const struct session *o;
	uint32_t n = 0;
	size_t i;

	for (i = 0; i < srv->nworkers; i++)
		for (o = srv->workers[i].sessions; o != NULL; o = o->next)
			if (o != s && o->authed &&
			    strcmp(user_of(o), user_of(s)) == 0)
				n++;
	return n;
}

static void
on_auth_done(void *arg, const struct ppp_auth_result *res)
{
	struct session *s = arg;
	struct server *srv = s->srv;
	uint32_t max = 0;
	bool over = false, banned;
	char ubuf[LOG_VALUE_MAX], why[LOG_VALUE_MAX];
	char *name = strdup(res->user != NULL ? res->user : ""), *old;
	const char *user;

	/* Other workers read the name (user_sessions) under the lock. */
	pthread_mutex_lock(&srv->lock);
	old = s->user;
	s->user = name;
	if (res->ok) {
		/* Counted and marked at once, so two workers cannot both
		 * take the last place. */
		max = srv->cfg.max_per_user; /* SIGHUP may change it */
		over = max != 0 && user_sessions(s) >= max;
		s->authed = !over;
	}
	pthread_mutex_unlock(&srv->lock);
	free(old);
	user = log_value(user_of(s), ubuf, sizeof(ubuf));
	if (over) {
		log_warn("session=%llu user=%s src=%s refused "
			 "rule=\"max_per_user %u\"",
		    (unsigned long long)s->id, user, s->peer, (unsigned)max);
		tunnel_close(&s->tunnel, "too many sessions for this user");
		return;
	}
	if (res->ok) {
		log_debug("session=%llu user=%s authenticated with %s",
		    (unsigned long long)s->id, user, tunnel_auth_name(res));
		return;
	}
	log_warn("session=%llu user=%s src=%s authentication failed "
		 "method=%s reason=%s",
	    (unsigned long long)s->id, user, s->peer, tunnel_auth_name(res),
	    log_quoted(res->reason == PPP_E_AUTH_FAILED
		    ? "wrong password or unknown user"
		    : ppp_strerror(res->reason),
		why, sizeof(why)));
	pthread_mutex_lock(&srv->lock);
	banned = acl_auth_failed(&srv->acl, &s->src, io_loop_now(&s->w->loop));
	pthread_mutex_unlock(&srv->lock);
	if (banned)
		log_warn("src=%s banned ms=%llu failures=%u window_ms=%u",
		    s->peer, (unsigned long long)srv->acl.ban_ms,
		    (unsigned)srv->acl.ban_failures,
		    (unsigned)srv->acl.ban_window_ms);
}

static bool
on_alloc_ipv4(void *arg, uint32_t *addr)
{
	struct session *s = arg;
	bool ok;

	if (!s->srv->cfg.has_pool4)
		return false;
	if (s->ipv4_pending || s->has_ipv4) {
		*addr = s->ipv4;
		return true;
	}
	pthread_mutex_lock(&s->srv->lock);
	ok = pool4_alloc(&s->srv->pool4, addr);
	pthread_mutex_unlock(&s->srv->lock);
	if (!ok)
		return false;
	s->ipv4 = *addr;
	s->ipv4_pending = true;
	return true;
}

static void
release_ipv4(struct session *s)
{
	if (s->has_ipv4)
		server_route_del4(s->srv, s->ipv4);
	if (s->has_ipv4 || s->ipv4_pending) {
		pthread_mutex_lock(&s->srv->lock);
		pool4_free(&s->srv->pool4, s->ipv4);
		pthread_mutex_unlock(&s->srv->lock);
	}
	s->has_ipv4 = s->ipv4_pending = false;
}

static void
on_ipv4_up(void *arg, const struct ppp_ipv4_info *info)
{
	struct session *s = arg;

	if (info->peer != s->ipv4 || !s->ipv4_pending) {
		tunnel_close(&s->tunnel, "IPCP agreed on an address not ours");
		return;
	}
	if (!server_route_add4(s->srv, s->ipv4, s)) {
		tunnel_close(&s->tunnel, "address table full");
		return;
	}
	s->has_ipv4 = true;
	ncp_up(s);
}

static void
on_ipv4_down(void *arg)
{
	release_ipv4(arg);
}

static void
send_ra(struct session *s, const uint8_t *dst16)
{
	const struct server_config *c = &s->srv->cfg;
	uint8_t pkt[IPV6_CTL_PKT_MAX];
	struct ipv6_ra ra;
	size_t len, i;

	memset(&ra, 0, sizeof(ra));
	memcpy(ra.prefix, s->prefix6, 16);
	ra.prefix_len = 64;
	ra.other = true;
	ra.router_lifetime_s = 1800;
	ra.valid_s = 86400;
	ra.preferred_s = 14400;
	ra.mtu = c->mtu;
	for (i = 0; i < c->ndns6 && i < IPV6_CTL_MAX_DNS; i++)
		memcpy(ra.dns[i], c->dns6[i].b, 16);
	ra.ndns = i;
	ra.dns_lifetime_s = 1800;
	/* The whole prefix is behind the server (RFC 4191), so the client
	 * routes the server's own address and other clients' through it. */
	memcpy(ra.route, c->prefix6.addr.b, 16);
	ra.route_len = (uint8_t)c->prefix6.len;
	ra.route_lifetime_s = 1800;
	len = ipv6_ctl_build_ra(pkt, sizeof(pkt), s->local_iid, dst16, &ra);
	if (len > 0)
		tunnel_send(&s->tunnel, 6, pkt, len);
}

static void
on_ipv6_up(void *arg, const struct ppp_ipv6_info *info)
{
	struct session *s = arg;
	bool ok;

	if (!s->srv->cfg.has_prefix6)
		return;
	memcpy(s->local_iid, info->local_iid, 8);
	memcpy(s->peer_iid, info->peer_iid, 8);
	if (!s->has_ipv6) {
		pthread_mutex_lock(&s->srv->lock);
		ok = pool6_alloc(&s->srv->pool6, s->prefix6);
		pthread_mutex_unlock(&s->srv->lock);
		if (!ok) {
			log_warn("session=%llu IPv6 pool exhausted",
			    (unsigned long long)s->id);
			return;
		}
		if (!server_route_add6(s->srv, s->prefix6, s)) {
			pthread_mutex_lock(&s->srv->lock);
			pool6_free(&s->srv->pool6, s->prefix6);
			pthread_mutex_unlock(&s->srv->lock);
			return;
		}
		s->has_ipv6 = true;
	}
	/* Windows waits for an RA to form its global address (spec/ppp.md
	 * 9); send one now rather than wait for its Solicitation. */
	send_ra(s, NULL);
	ncp_up(s);
}

static void
release_ipv6(struct session *s)
{
	if (!s->has_ipv6)
		return;
	server_route_del6(s->srv, s->prefix6);
	pthread_mutex_lock(&s->srv->lock);
	pool6_free(&s->srv->pool6, s->prefix6);
	pthread_mutex_unlock(&s->srv->lock);
	s->has_ipv6 = false;
}

static void
on_ipv6_down(void *arg)
{
	release_ipv6(arg);
}

static void
on_ipv6_control(void *arg, int kind, const uint8_t *pkt, size_t len)
{
	struct session *s = arg;
	const struct server_config *c = &s->srv->cfg;
	uint8_t out[IPV6_CTL_PKT_MAX], src[16], dns[IPV6_CTL_MAX_DNS][16];
	struct dhcp6_request req;
	size_t n, i;

	if (!s->has_ipv6)
		return;
	if (kind == IPV6_CTL_RS) {
		if (ipv6_ctl_source(pkt, len, src))
			send_ra(s, src);
	} else if (kind == IPV6_CTL_DHCP6_INFO_REQUEST) {
		if (!ipv6_ctl_parse_info_request(pkt, len, &req))
			return;
		for (i = 0; i < c->ndns6 && i < IPV6_CTL_MAX_DNS; i++)
			memcpy(dns[i], c->dns6[i].b, 16);
		n = ipv6_ctl_build_reply(
		    out, sizeof(out), s->local_iid, &req, dns, i);
		if (n > 0)
			tunnel_send(&s->tunnel, 6, out, n);
	}
}

/* Only the addresses a session was given may be its sources. */
static bool
source_ok(const struct session *s, int version, const uint8_t *pkt, size_t len)
{
	uint32_t src;

	if (version == 4) {
		if (len < 20 || !s->has_ipv4)
			return false;
		memcpy(&src, pkt + 12, 4);
		return ntohl(src) == s->ipv4;
	}
	return len >= 40 && s->has_ipv6 && memcmp(pkt + 8, s->prefix6, 8) == 0;
}

static void
on_datagram(void *arg, int version, const uint8_t *pkt, size_t len)
{
	struct session *s = arg;

	if (!source_ok(s, version, pkt, len)) {
		s->spoofed++;
		return;
	}
	worker_tun_write(s->w, pkt, len);
}

static void
on_closed(void *arg, const char *reason)
{
	struct session *s = arg;
	struct server *srv = s->srv;
	struct worker *w = s->w;
	const struct tunnel_counters *k = &s->tunnel.counters;
	uint64_t now = io_loop_now(&w->loop), ms = now - s->started_ms;
	char user[LOG_VALUE_MAX], why[LOG_VALUE_MAX], addrs[ADDR_FIELDS_MAX];

	if (s->logged_start || user_of(s)[0] != '\0')
		log_info(
		    "session=%llu end user=%s src=%s %s duration=%llu.%03llus "
		    "bytes_in=%llu bytes_out=%llu pkts_in=%llu "
		    "pkts_out=%llu dropped=%llu worker=%u reason=%s",
		    (unsigned long long)s->id,
		    log_value(user_of(s), user, sizeof(user)), s->peer,
		    addr_fields(s, addrs, sizeof(addrs)),
		    (unsigned long long)(ms / 1000),
		    (unsigned long long)(ms % 1000),
		    (unsigned long long)k->bytes_in,
		    (unsigned long long)k->bytes_out,
		    (unsigned long long)k->pkts_in,
		    (unsigned long long)k->pkts_out,
		    (unsigned long long)k->dropped_out, w->index,
		    log_quoted(reason, why, sizeof(why)));
	else if (s->full) /* refused at accept, logged then */
		log_debug("session=%llu src=%s answered 503 reason=%s",
		    (unsigned long long)s->id, s->peer,
		    log_quoted(reason, why, sizeof(why)));
	else
		log_info("session=%llu src=%s closed before authentication "
			 "reason=%s",
		    (unsigned long long)s->id, s->peer,
		    log_quoted(reason, why, sizeof(why)));
	release_ipv4(s);
	release_ipv6(s);
	pthread_mutex_lock(&srv->lock);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		w->sessions = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	w->nsessions--;
	pthread_mutex_unlock(&srv->lock);
	server_release(srv, &s->src, s->full, now);
	session_free(s);
	worker_session_gone(w);
}

static const struct tunnel_ops session_ops = {
	.connected = on_connected,
	.auth_done = on_auth_done,
	.ipv4_up = on_ipv4_up,
	.ipv4_down = on_ipv4_down,
	.ipv6_up = on_ipv6_up,
	.ipv6_down = on_ipv6_down,
	.datagram = on_datagram,
	.ipv6_control = on_ipv6_control,
	.alloc_ipv4 = on_alloc_ipv4,
	.closed = on_closed,
};

static void
session_config(const struct server *srv, const struct server_tls *tls,
    struct tunnel_config *tc)
{
	const struct server_config *c = &srv->cfg;
	struct ppp_link_config *p = &tc->ppp;
	size_t i;

	memset(tc, 0, sizeof(*tc));
	sstp_conn_config_default(&tc->sstp, SSTP_ROLE_SERVER);
	tc->sstp.cert = tls->cert; /* the listener's: the client binds it */
	tc->sstp.verify_binding = c->binding_required;
	tc->sstp.timers.hello_ms = c->hello_ms;
	tc->sstp.timers.http_ms = c->handshake_ms;
	tc->sstp.timers.negotiation_ms = c->handshake_ms;
	tc->tls_handshake_ms = c->handshake_ms;
	tc->sstp.http.max_line = c->http_max_line;
	tc->sstp.http.max_header_bytes = c->http_max_header_bytes;
	tc->sstp.http.max_headers = c->http_max_headers;
	ppp_link_config_default(p, PPP_ROLE_AUTHENTICATOR);
	p->lcp.nrequire = 0;
	for (i = 0; i < c->nauth && i < LCP_MAX_AUTH; i++)
		p->lcp.require[p->lcp.nrequire++] = c->auth[i];
	p->lcp.mru = (uint16_t)c->mtu;
	p->lcp.echo_interval_ms = c->lcp_echo_ms;
	p->auth.name = "opensstpd";
	p->auth.eap_offer[0] = PPP_AUTH_MSCHAPV2;
	p->auth.neap_offer = 1;
	p->auth.backend = &users_backend;
	p->auth.crypto = srv->crypto;
	p->ipv4 = c->has_pool4;
	p->ipv6 = c->has_prefix6;
	p->ipcp.addr = srv->addr4;
	for (i = 0; i < 2 && i < c->ndns4; i++) {
		uint32_t n;

		memcpy(&n, c->dns4[i].b, 4);
		p->ipcp.dns[i] = ntohl(n);
	}
}

void
session_start(struct worker *w, int fd, const struct ip_addr *src,
    const char *peer, const struct server_tls *tls, bool full)
{
	struct server *srv = w->srv;
	struct session *s = calloc(1, sizeof(*s));
	struct tunnel_config tc;
	char err[TUNNEL_REASON_MAX], why[LOG_VALUE_MAX];

	if (s == NULL) {
		log_error("out of memory for a session src=%s", peer);
		server_release(srv, src, full, io_loop_now(&w->loop));
		close(fd);
		return;
	}
	s->srv = srv;
	s->w = w;
	pthread_mutex_lock(&srv->lock);
	s->id = ++srv->next_id;
	pthread_mutex_unlock(&srv->lock);
	snprintf(s->peer, sizeof(s->peer), "%s", peer);
	s->src = *src;
	clock_gettime(CLOCK_REALTIME, &s->started);
	s->started_ms = io_loop_now(&w->loop);
	io_timer_init(&s->start_log, on_start_log, s);
	io_timer_init(&s->setup_timer, on_setup_deadline, s);
	s->full = full;
	session_config(srv, tls, &tc);
	tc.sstp.unavailable = full;
	tc.ppp.auth.backend_arg = s;
	if (!tunnel_start(&s->tunnel, &w->loop, tls->ctx, fd, &tc, &session_ops,
		s, err, sizeof(err))) {
		log_warn("session=%llu src=%s cannot start reason=%s",
		    (unsigned long long)s->id, peer,
		    log_quoted(err, why, sizeof(why)));
		server_release(srv, src, full, io_loop_now(&w->loop));
		free(s);
		return;
	}
	pthread_mutex_lock(&srv->lock);
	s->next = w->sessions;
	if (w->sessions != NULL)
		w->sessions->prev = s;
	w->sessions = s;
	w->nsessions++;
	pthread_mutex_unlock(&srv->lock);
	io_timer_set(
	    &w->loop, &s->setup_timer, s->started_ms + srv->cfg.setup_ms);
	log_debug("session=%llu src=%s accepted worker=%u listener=%s",
	    (unsigned long long)s->id, peer, w->index,
	    tls->name[0] != '\0' ? tls->name : "-");
}

void
session_free(struct session *s)
{
	io_timer_cancel(&s->w->loop, &s->start_log);
	io_timer_cancel(&s->w->loop, &s->setup_timer);
	tunnel_fini(&s->tunnel);
	free(s->user);
	free(s);
}

void
session_from_tun(struct session *s, int version, const uint8_t *pkt, size_t len)
{
	tunnel_send(&s->tunnel, version, pkt, len);
}

void
session_close(struct session *s, const char *reason)
{
	tunnel_close(&s->tunnel, reason);
}

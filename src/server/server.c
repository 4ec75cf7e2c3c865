/*
 * opensstpd's set-up and data plane (see server.h): the shared TUN with
 * its addresses and the pools' routes, the listeners, signals, and the
 * dispatch of every packet the TUN gives to the session that owns its
 * destination.
 */
#include "server/server.h"

#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "base/log.h"
#include "io/tls.h"
#include "io/tun.h"
#include "server/notify.h"
#include "server/privs.h"
#include "server/session.h"

/* Packets read from the TUN per wake-up, and connections accepted:
 * bounded so one busy source cannot starve the rest of the loop. */
#define TUN_BATCH    256
#define ACCEPT_BATCH 64
#define TUN_PKT_MAX  65536

static uint8_t tun_buf[TUN_PKT_MAX];

bool
server_route_add4(struct server *srv, uint32_t addr, struct session *s)
{
	return addr_table_put4(&srv->routes, addr, s);
}

void
server_route_del4(struct server *srv, uint32_t addr)
{
	addr_table_del4(&srv->routes, addr);
}

bool
server_route_add6(
    struct server *srv, const uint8_t prefix[16], struct session *s)
{
	return addr_table_put6(&srv->routes, prefix, s);
}

void
server_route_del6(struct server *srv, const uint8_t prefix[16])
{
	addr_table_del6(&srv->routes, prefix);
}

void
server_tun_write(struct server *srv, const uint8_t *pkt, size_t len)
{
	/* A full TUN queue drops, as a router would. */
	if (write(srv->tun_fd, pkt, len) < 0 && errno != EAGAIN)
		log_debug("tun write: %s", strerror(errno));
}

static void
dispatch(struct server *srv, const uint8_t *pkt, size_t len)
{
	struct session *s = NULL;
	uint32_t dst;
	int version = len > 0 ? pkt[0] >> 4 : 0;

	if (version == 4 && len >= 20) {
		memcpy(&dst, pkt + 16, 4);
		s = addr_table_get4(&srv->routes, ntohl(dst));
	} else if (version == 6 && len >= 40)
		s = addr_table_get6(&srv->routes, pkt + 24);
	if (s == NULL) {
		srv->tun_dropped++;
		return;
	}
	session_from_tun(s, version, pkt, len);
}

static void
on_tun(struct io_watch *w, uint32_t events)
{
	struct server *srv = w->arg;
	ssize_t n;
	int i;

	(void)events;
	/* Drain until EAGAIN (bounded): the sessions' deferred flushes then
	 * send everything read here in as few records as possible. */
	for (i = 0; i < TUN_BATCH; i++) {
		n = read(srv->tun_fd, tun_buf, sizeof(tun_buf));
		if (n <= 0)
			break;
		dispatch(srv, tun_buf, (size_t)n);
	}
}

/*
 * Refused at accept, before TLS (DESIGN.md Security): the deny and allow
 * lists, a ban, the total and the per-source limits.  Counts src when it
 * may go on.
 */
static bool
admit(struct server *srv, const struct ip_addr *src, const char *peer)
{
	uint64_t now = io_loop_now(&srv->loop), until;
	char why[ACL_WHY_MAX];
	bool ok = acl_rules_check(&srv->acl, src, why);

	if (ok && acl_banned(&srv->acl, src, now, &until)) {
		snprintf(why, sizeof(why), "banned %llus",
		    (unsigned long long)((until - now + 999) / 1000));
		ok = false;
	}
	if (ok && srv->cfg.max_sessions != 0 &&
	    srv->nsessions >= srv->cfg.max_sessions) {
		snprintf(why, sizeof(why), "max_sessions %u",
		    (unsigned)srv->cfg.max_sessions);
		ok = false;
	}
	if (ok)
		ok = acl_conn_open(&srv->acl, src, now, why);
	if (!ok)
		log_info("refused src=%s rule=\"%s\"", peer, why);
	return ok;
}

static void
on_accept(struct io_watch *w, uint32_t events)
{
	struct listener *l = w->arg;
	struct sockaddr_storage ss;
	struct ip_addr src;
	socklen_t sl;
	char peer[ADDR_STR_MAX];
	int fd, i, one = 1;

	(void)events;
	for (i = 0; i < ACCEPT_BATCH; i++) {
		sl = sizeof(ss);
		fd = accept4(l->fd, (struct sockaddr *)&ss, &sl,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("accept on %s: %s", l->name,
				    strerror(errno));
			return;
		}
		if (l->srv->stopping) {
			close(fd);
			continue;
		}
		sockaddr_str((struct sockaddr *)&ss, peer);
		if (!addr_from_sockaddr((struct sockaddr *)&ss, &src, NULL) ||
		    !admit(l->srv, &src, peer)) {
			close(fd);
			continue;
		}
		/* Records are batched here, so Nagle would only add delay. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		session_start(l->srv, fd, &src, peer);
	}
}

/* drain_ms after SIGTERM: the sessions still open are dropped. */
static void
on_drain_deadline(struct io_timer *t)
{
	struct server *srv = t->arg;

	log_warn("drain deadline (%u ms): %zu session(s) still open, "
		 "stopping",
	    (unsigned)srv->cfg.drain_ms, srv->nsessions);
	io_loop_stop(&srv->loop);
}

static void
begin_stop(struct server *srv, const char *why)
{
	struct session *s, *next;
	size_t i;

	if (srv->stopping) {
		log_info("second %s: exiting now", why);
		io_loop_stop(&srv->loop);
		return;
	}
	srv->stopping = true;
	log_info("%s: stopping, %zu session(s) to close within %u ms", why,
	    srv->nsessions, (unsigned)srv->cfg.drain_ms);
	notify_stopping();
	io_timer_set(&srv->loop, &srv->drain_timer,
	    io_loop_now(&srv->loop) + srv->cfg.drain_ms);
	for (i = 0; i < srv->nlisteners; i++)
		io_watch_del(&srv->loop, &srv->listeners[i].watch);
	for (s = srv->sessions; s != NULL; s = next) {
		next = s->next;
		session_close(s, "server stopping");
	}
	if (srv->nsessions == 0)
		io_loop_stop(&srv->loop);
}

static void
on_signal(struct io_watch *w, uint32_t events)
{
	struct server *srv = w->arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(srv->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM)
			begin_stop(
			    srv, si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM");
		else if (si.ssi_signo == SIGHUP && !srv->stopping)
			server_reload(srv);
	}
}

static int
open_listener(struct server *srv, const struct listen_addr *la)
{
	struct listener *l = &srv->listeners[srv->nlisteners];
	struct sockaddr_storage ss;
	struct ip_addr a;
	socklen_t sl;
	int fd, one = 1;

	if (la->host[0] == '\0')
		addr_parse("0.0.0.0", &a); /* ":443": any IPv4 address */
	else if (!addr_parse(la->host, &a)) {
		log_error("listen: %s is not an address", la->host);
		return -1;
	}
	sl = addr_to_sockaddr(&a, la->port, &ss);
	fd = socket(a.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* [::] and 0.0.0.0 are separate listeners: keep v6 to v6. */
	if (a.family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	sockaddr_str((struct sockaddr *)&ss, l->name);
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 1024) < 0) {
		log_error("listen on %s: %s", l->name, strerror(errno));
		close(fd);
		return -1;
	}
	l->srv = srv;
	l->fd = fd;
	io_watch_init(&l->watch, on_accept, l);
	if (io_watch_add(&srv->loop, &l->watch, fd, EPOLLIN) != 0) {
		close(fd);
		return -1;
	}
	srv->nlisteners++;
	log_info("listening on %s", l->name);
	return 0;
}

/* A pool's prefix to the shared TUN: once, never per session. */
static int
route_pool(struct nl *nl, int ifindex, const struct ip_prefix *p)
{
	struct nl_route r;

	memset(&r, 0, sizeof(r));
	r.family = p->addr.family;
	r.dst = p->addr.b;
	r.prefixlen = p->len;
	r.ifindex = ifindex;
	r.protocol = RTPROT_STATIC;
	return nl_route(nl, false, &r);
}

/* The TUN's addresses and the pools' routes, once, at start-up. */
static bool
setup_tun(struct server *srv)
{
	const struct server_config *c = &srv->cfg;
	struct nl nl;
	uint32_t a4;
	int err;

	srv->tun_fd = tun_open(c->tun, false, srv->tun_name);
	if (srv->tun_fd < 0) {
		log_error("TUN %s: %s", c->tun, strerror(-srv->tun_fd));
		return false;
	}
	if ((err = nl_open(&nl)) < 0) {
		log_error("netlink: %s", strerror(-err));
		return false;
	}
	srv->tun_ifindex = nl_link_index(srv->tun_name);
	err = nl_link_set(&nl, srv->tun_ifindex, true, c->mtu);
	if (err == 0 && c->has_pool4) {
		a4 = htonl(srv->addr4);
		err = nl_addr(
		    &nl, false, srv->tun_ifindex, AF_INET, &a4, 32, NULL);
		if (err == 0)
			err = route_pool(&nl, srv->tun_ifindex, &c->pool4);
	}
	if (err == 0 && c->has_prefix6) {
		err = nl_addr(&nl, false, srv->tun_ifindex, AF_INET6,
		    srv->addr6, 128, NULL);
		if (err == 0)
			err = route_pool(&nl, srv->tun_ifindex, &c->prefix6);
	}
	nl_close(&nl);
	if (err < 0) {
		log_error("configuring %s: %s", srv->tun_name, strerror(-err));
		return false;
	}
	io_watch_init(&srv->tun_watch, on_tun, srv);
	return io_watch_add(
		   &srv->loop, &srv->tun_watch, srv->tun_fd, EPOLLIN) == 0;
}

static bool
setup_signals(struct server *srv)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	srv->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (srv->sig_fd < 0)
		return false;
	io_watch_init(&srv->sig_watch, on_signal, srv);
	return io_watch_add(
		   &srv->loop, &srv->sig_watch, srv->sig_fd, EPOLLIN) == 0;
}

static bool
setup_tls(struct server *srv)
{
	struct tls_server_opts o = { .cert = srv->cfg.cert,
		.key = srv->cfg.key };
	char err[TLS_ERR_MAX];
	uint8_t *der = NULL;
	size_t len = 0;
	bool ok;

	/* The key log is written by the unprivileged server: open it now. */
	tls_keylog_open();
	srv->ssl_ctx = tls_server_ctx_new(&o, err, sizeof(err));
	if (srv->ssl_ctx == NULL) {
		log_error("TLS: %s", err);
		return false;
	}
	ok = tls_ctx_leaf(srv->ssl_ctx, &der, &len) &&
	    sstp_cert_hashes_compute(der, len, &srv->cert) == SSTP_OK;
	OPENSSL_free(der);
	if (!ok)
		log_error("TLS: cannot hash the server certificate");
	return ok;
}

/*
 * Last in server_init: nothing the running daemon does needs root (the
 * TUN is open and configured, the listeners are bound, the legacy
 * provider is loaded and the users file read).
 */
static bool
drop_privileges(const struct server_config *c)
{
	static const char *const names[] = { "off", "log", "enforce" };
	enum privs_seccomp mode = c->seccomp;
	char err[256];
	bool as_root = c->user[0] == '\0' || strcmp(c->user, "root") == 0;

	if (as_root)
		log_warn("user is %s: staying root, with every capability",
		    c->user[0] == '\0' ? "empty" : "root");
	if (mode == PRIVS_SECCOMP_ENFORCE && privs_sanitized()) {
		log_warn("seccomp: sanitizer build, the filter only logs "
			 "calls outside it (enforced in release builds)");
		mode = PRIVS_SECCOMP_LOG;
	}
	if (!privs_drop(c->user, mode, err, sizeof(err))) {
		log_error("dropping privileges: %s", err);
		return false;
	}
	if (as_root)
		log_info("running as root, seccomp %s", names[mode]);
	else
		log_info("running as %s with no capabilities, seccomp %s",
		    c->user, names[mode]);
	return true;
}

bool
server_init(struct server *srv, const struct server_config *cfg,
    const struct config_source *src)
{
	char err[256];
	uint32_t n;
	size_t i;

	memset(srv, 0, sizeof(*srv));
	srv->cfg = *cfg;
	srv->source = src;
	srv->tun_fd = srv->sig_fd = -1;
	io_timer_init(&srv->drain_timer, on_drain_deadline, srv);
	addr_table_init(&srv->routes);
	acl_init(&srv->acl);
	srv->acl.deny = srv->cfg.deny;
	srv->acl.ndeny = srv->cfg.ndeny;
	srv->acl.allow = srv->cfg.allow;
	srv->acl.nallow = srv->cfg.nallow;
	srv->acl.max_per_source = srv->cfg.max_per_source;
	srv->acl.ban_failures = srv->cfg.ban_failures;
	srv->acl.ban_window_ms = srv->cfg.ban_window_ms;
	srv->acl.ban_ms = srv->cfg.ban_ms;
	if (io_loop_init(&srv->loop) != 0) {
		log_error("epoll: %s", strerror(errno));
		return false;
	}
	/* Loaded before anything else, while the files are readable. */
	srv->crypto = ppp_crypto_new();
	if (srv->crypto == NULL) {
		log_error("OpenSSL's legacy provider (MD4, DES for MS-CHAP) "
			  "cannot be loaded");
		return false;
	}
	if (!users_load(&srv->users, cfg->users, err, sizeof(err))) {
		log_error("users: %s", err);
		return false;
	}
	if (cfg->has_pool4) {
		if (!pool4_init(&srv->pool4, &cfg->pool4, 0)) {
			log_error("pool4: cannot use this prefix");
			return false;
		}
		srv->addr4 = srv->pool4.server;
	}
	if (cfg->has_prefix6) {
		if (!pool6_init(&srv->pool6, &cfg->prefix6)) {
			log_error("prefix6: cannot use this prefix");
			return false;
		}
		pool6_server_prefix(&srv->pool6, srv->addr6);
		srv->addr6[15] = 1;
	}
	if (!setup_tls(srv) || !setup_signals(srv) || !setup_tun(srv))
		return false;
	for (i = 0; i < cfg->nlisten; i++)
		if (open_listener(srv, &cfg->listen[i]) != 0)
			return false;
	/* socket() and connect() are outside the filter: before the drop. */
	if (!notify_open() || !drop_privileges(cfg))
		return false;
	server_reload_probe(srv);
	n = htonl(srv->addr4);
	{
		char a4[INET_ADDRSTRLEN] = "-", a6[INET6_ADDRSTRLEN] = "-";
		char status[128];

		if (cfg->has_pool4)
			inet_ntop(AF_INET, &n, a4, sizeof(a4));
		if (cfg->has_prefix6)
			inet_ntop(AF_INET6, srv->addr6, a6, sizeof(a6));
		log_info(
		    "ready: tun=%s ipv4=%s ipv6=%s", srv->tun_name, a4, a6);
		snprintf(status, sizeof(status), "serving on %s (%s %s)",
		    srv->tun_name, a4, a6);
		notify_ready(status);
	}
	return true;
}

int
server_run(struct server *srv)
{
	return io_loop_run(&srv->loop) == 0 ? 0 : 1;
}

void
server_fini(struct server *srv)
{
	struct session *s;
	size_t i;

	io_timer_cancel(&srv->loop, &srv->drain_timer);
	notify_close();
	/* Sessions still open after a forced stop: drop them. */
	while ((s = srv->sessions) != NULL) {
		srv->sessions = s->next;
		io_timer_cancel(&srv->loop, &s->start_log);
		tunnel_fini(&s->tunnel);
		free(s);
	}
	for (i = 0; i < srv->nlisteners; i++) {
		io_watch_del(&srv->loop, &srv->listeners[i].watch);
		close(srv->listeners[i].fd);
	}
	if (srv->tun_fd >= 0) {
		io_watch_del(&srv->loop, &srv->tun_watch);
		close(srv->tun_fd);
	}
	if (srv->sig_fd >= 0) {
		io_watch_del(&srv->loop, &srv->sig_watch);
		close(srv->sig_fd);
	}
	tls_ctx_free(srv->ssl_ctx);
	if (srv->cfg.has_pool4)
		pool4_fini(&srv->pool4);
	if (srv->cfg.has_prefix6)
		pool6_fini(&srv->pool6);
	addr_table_fini(&srv->routes);
	acl_fini(&srv->acl);
	users_free(&srv->users);
	ppp_crypto_free(srv->crypto);
	io_loop_fini(&srv->loop);
}

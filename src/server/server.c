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

bool
server_route_add4(struct server *srv, uint32_t addr, struct session *s)
{
	bool ok;

	pthread_rwlock_wrlock(&srv->routes_lock);
	ok = addr_table_put4(&srv->routes, addr, s);
	pthread_rwlock_unlock(&srv->routes_lock);
	return ok;
}

void
server_route_del4(struct server *srv, uint32_t addr)
{
	pthread_rwlock_wrlock(&srv->routes_lock);
	addr_table_del4(&srv->routes, addr);
	pthread_rwlock_unlock(&srv->routes_lock);
}

bool
server_route_add6(
    struct server *srv, const uint8_t prefix[16], struct session *s)
{
	bool ok;

	pthread_rwlock_wrlock(&srv->routes_lock);
	ok = addr_table_put6(&srv->routes, prefix, s);
	pthread_rwlock_unlock(&srv->routes_lock);
	return ok;
}

void
server_route_del6(struct server *srv, const uint8_t prefix[16])
{
	pthread_rwlock_wrlock(&srv->routes_lock);
	addr_table_del6(&srv->routes, prefix);
	pthread_rwlock_unlock(&srv->routes_lock);
}

enum admit_verdict
server_admit(struct server *srv, const struct ip_addr *src, const char *peer,
    uint64_t now)
{
	enum admit_verdict v = ADMIT_SESSION;
	char why[ACL_WHY_MAX];
	uint64_t until;

	pthread_mutex_lock(&srv->lock);
	if (!acl_rules_check(&srv->acl, src, why))
		v = ADMIT_REFUSED;
	else if (acl_banned(&srv->acl, src, now, &until)) {
		snprintf(why, sizeof(why), "banned %llus",
		    (unsigned long long)((until - now + 999) / 1000));
		v = ADMIT_REFUSED;
	} else if (srv->cfg.max_sessions != 0 &&
	    srv->nsessions - srv->nfull >= srv->cfg.max_sessions) {
		/* Connections in set-up count: a flood of handshakes is
		 * what the limit is for.  The 503s do not. */
		snprintf(why, sizeof(why), "max_sessions %u",
		    (unsigned)srv->cfg.max_sessions);
		v = srv->nfull < SERVER_FULL_MAX ? ADMIT_FULL : ADMIT_REFUSED;
	}
	/* A 503 counts for its source too. */
	if (v != ADMIT_REFUSED && !acl_conn_open(&srv->acl, src, now, why))
		v = ADMIT_REFUSED;
	/* Counted now, so that workers admitting at once cannot overshoot
	 * max_sessions. */
	if (v != ADMIT_REFUSED)
		srv->nsessions++;
	if (v == ADMIT_FULL)
		srv->nfull++;
	pthread_mutex_unlock(&srv->lock);
	if (v != ADMIT_SESSION)
		log_info("refused src=%s rule=\"%s\"%s", peer, why,
		    v == ADMIT_FULL ? " answer=503" : "");
	return v;
}

void
server_acl_from_config(struct server *srv)
{
	const struct server_config *c = &srv->cfg;

	srv->acl.deny = c->deny;
	srv->acl.ndeny = c->ndeny;
	srv->acl.allow = c->allow;
	srv->acl.nallow = c->nallow;
	srv->acl.max_per_source = c->max_per_source;
	srv->acl.ban_failures = c->ban_failures;
	srv->acl.ban_window_ms = c->ban_window_ms;
	srv->acl.ban_ms = c->ban_ms;
}

void
server_release(
    struct server *srv, const struct ip_addr *src, bool full, uint64_t now)
{
	pthread_mutex_lock(&srv->lock);
	acl_conn_close(&srv->acl, src, now);
	srv->nsessions--;
	if (full)
		srv->nfull--;
	pthread_mutex_unlock(&srv->lock);
}

/* Every worker drains (closes its sessions) within drain_ms. */
static void
begin_stop(struct server *srv, const char *why)
{
	size_t i, n;

	if (srv->stopping) {
		log_info("exiting now second_signal=%s", why);
		for (i = 0; i < srv->nworkers; i++)
			worker_request_stop(&srv->workers[i], true);
		return;
	}
	srv->stopping = true;
	pthread_mutex_lock(&srv->lock);
	n = srv->nsessions;
	pthread_mutex_unlock(&srv->lock);
	log_info("stopping signal=%s sessions=%zu drain_ms=%u", why, n,
	    (unsigned)srv->cfg.drain_ms);
	notify_stopping();
	for (i = 0; i < srv->nworkers; i++)
		worker_request_stop(&srv->workers[i], false);
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

/*
 * A pool's prefix to the shared TUN: once, never per session, with the
 * configured protocol so that a routing daemon can pick it up.
 */
static int
route_pool(
    struct nl *nl, int ifindex, const struct ip_prefix *p, uint8_t protocol)
{
	struct nl_route r;

	memset(&r, 0, sizeof(r));
	r.family = p->addr.family;
	r.dst = p->addr.b;
	r.prefixlen = p->len;
	r.ifindex = ifindex;
	r.protocol = protocol;
	return nl_route(nl, false, &r);
}

/*
 * The TUN's addresses and the pools' routes, once, at start-up, after
 * the workers have opened its queues.
 */
static bool
setup_tun(struct server *srv)
{
	const struct server_config *c = &srv->cfg;
	struct nl nl;
	uint32_t a4;
	int err;

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
			err = route_pool(&nl, srv->tun_ifindex, &c->pool4,
			    c->route_protocol);
	}
	if (err == 0 && c->has_prefix6) {
		err = nl_addr(&nl, false, srv->tun_ifindex, AF_INET6,
		    srv->addr6, 128, NULL);
		if (err == 0)
			err = route_pool(&nl, srv->tun_ifindex, &c->prefix6,
			    c->route_protocol);
	}
	nl_close(&nl);
	if (err < 0) {
		log_error("configuring %s: %s", srv->tun_name, strerror(-err));
		return false;
	}
	return true;
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
	return io_watch_add(&srv->workers[0].loop, &srv->sig_watch, srv->sig_fd,
		   EPOLLIN) == 0;
}

/* One listener's context, and the hashes of its certificate. */
static bool
tls_open(struct server_tls *t, const struct listener_config *l)
{
	struct tls_server_opts o = {
		.cert = l->cert,
		.key = l->key,
		.min_version = l->tls.min_version,
		.ciphers = l->tls.ciphers,
		.ciphersuites = l->tls.ciphersuites,
		.groups = l->tls.groups,
	};
	const char *name = l->name[0] != '\0' ? l->name : "-";
	char err[TLS_ERR_MAX];
	uint8_t *der = NULL;
	size_t len = 0;
	bool ok;

	snprintf(t->name, sizeof(t->name), "%s", l->name);
	t->ctx = tls_server_ctx_new(&o, err, sizeof(err));
	if (t->ctx == NULL) {
		log_error("TLS listener=%s: %s", name, err);
		return false;
	}
	ok = tls_ctx_leaf(t->ctx, &der, &len) &&
	    sstp_cert_hashes_compute(der, len, &t->cert) == SSTP_OK;
	OPENSSL_free(der);
	if (!ok)
		log_error("TLS listener=%s: cannot hash the certificate", name);
	return ok;
}

/*
 * Each listener's TLS context (tls != NULL), or its sockets; listener i
 * has context srv->tls[i].
 */
static bool
setup_listeners(struct server *srv, bool tls)
{
	struct listener_config *l = malloc(sizeof(*l));
	size_t i, j, k, n = server_config_nlisteners(&srv->cfg);
	bool ok = l != NULL;

	for (i = 0; ok && i < n && i < CONFIG_MAX_LISTENERS + 1; i++) {
		server_config_listener(&srv->cfg, i, l);
		if (tls) {
			ok = tls_open(&srv->tls[i], l);
			if (srv->tls[i].ctx != NULL)
				srv->ntls++;
		}
		/* Every worker its own socket per address (SO_REUSEPORT). */
		for (j = 0; !tls && ok && j < l->nlisten; j++)
			for (k = 0; ok && k < srv->nworkers; k++)
				ok = worker_listen(&srv->workers[k],
				    &l->listen[j], &srv->tls[i]);
	}
	free(l);
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
		log_info("running user=root capabilities=all seccomp=%s",
		    names[mode]);
	else
		log_info("running user=%s capabilities=none seccomp=%s",
		    c->user, names[mode]);
	return true;
}

/* workers = auto: one per core the process may run on. */
static size_t
workers_wanted(const struct server_config *c)
{
	long n = c->workers;

	if (n == 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > WORKERS_MAX ? WORKERS_MAX : (size_t)n;
}

static bool
setup_workers(struct server *srv)
{
	size_t i, n = workers_wanted(&srv->cfg);

	srv->workers = calloc(n, sizeof(*srv->workers));
	if (srv->workers == NULL) {
		log_error("out of memory");
		return false;
	}
	for (i = 0; i < n; i++) {
		srv->nworkers = i + 1;
		if (!worker_init(&srv->workers[i], srv, (unsigned)i))
			return false;
	}
	return true;
}

bool
server_init(struct server *srv, const struct server_config *cfg,
    const struct config_source *src)
{
	char err[256];
	uint32_t n;

	memset(srv, 0, sizeof(*srv));
	srv->cfg = *cfg;
	srv->source = src;
	srv->sig_fd = -1;
	pthread_mutex_init(&srv->lock, NULL);
	pthread_rwlock_init(&srv->users_lock, NULL);
	pthread_rwlock_init(&srv->routes_lock, NULL);
	srv->locks_ready = true;
	addr_table_init(&srv->routes);
	acl_init(&srv->acl);
	server_acl_from_config(srv);
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
	/* The key log is written by the unprivileged server: open it now. */
	tls_keylog_open();
	if (!setup_listeners(srv, true) || !setup_workers(srv) ||
	    !setup_signals(srv) || !setup_tun(srv) ||
	    !setup_listeners(srv, false))
		return false;
	/* socket() and connect() are outside the filter: before the drop. */
	if (!notify_open() || !drop_privileges(cfg))
		return false;
	server_reload_probe(srv);
	n = htonl(srv->addr4);
	{
		char a4[INET_ADDRSTRLEN] = "-", a6[INET6_ADDRSTRLEN] = "-";
		char status[160];

		if (cfg->has_pool4)
			inet_ntop(AF_INET, &n, a4, sizeof(a4));
		if (cfg->has_prefix6)
			inet_ntop(AF_INET6, srv->addr6, a6, sizeof(a6));
		log_info("ready: tun=%s ipv4=%s ipv6=%s workers=%zu",
		    srv->tun_name, a4, a6, srv->nworkers);
		snprintf(status, sizeof(status),
		    "serving on %s (%s %s), %zu workers", srv->tun_name, a4, a6,
		    srv->nworkers);
		notify_ready(status);
	}
	return true;
}

int
server_run(struct server *srv)
{
	size_t i;
	int rc = 0;

	/* After the drop: the threads inherit the filter. */
	for (i = 1; i < srv->nworkers; i++)
		if (!worker_start(&srv->workers[i])) {
			begin_stop(srv, "worker failure");
			begin_stop(srv, "worker failure");
			rc = 1;
			break;
		}
	if (worker_run(&srv->workers[0]) != 0)
		rc = 1;
	/*
	 * Worker 0 is done: drained, or told to stop.  The others drain on
	 * their own deadlines; a failed loop stops them all.
	 */
	for (i = 1; i < srv->nworkers; i++) {
		if (rc != 0 || !srv->stopping)
			worker_request_stop(&srv->workers[i], true);
		worker_join(&srv->workers[i]);
	}
	for (i = 0; i < srv->nworkers; i++) {
		struct worker *w = &srv->workers[i];

		log_info("worker=%u handed_off=%llu inbox_dropped=%llu "
			 "no_session=%llu",
		    w->index, (unsigned long long)w->handed_off,
		    (unsigned long long)handoff_dropped(&w->inbox),
		    (unsigned long long)w->tun_dropped);
	}
	return rc;
}

void
server_fini(struct server *srv)
{
	size_t i;

	notify_close();
	for (i = 0; i < srv->nworkers; i++)
		worker_join(&srv->workers[i]);
	if (srv->sig_fd >= 0) {
		if (srv->nworkers > 0)
			io_watch_del(&srv->workers[0].loop, &srv->sig_watch);
		close(srv->sig_fd);
	}
	for (i = 0; i < srv->nworkers; i++)
		worker_fini(&srv->workers[i]);
	free(srv->workers);
	for (i = 0; i < srv->ntls; i++)
		tls_ctx_free(srv->tls[i].ctx);
	if (srv->cfg.has_pool4)
		pool4_fini(&srv->pool4);
	if (srv->cfg.has_prefix6)
		pool6_fini(&srv->pool6);
	addr_table_fini(&srv->routes);
	acl_fini(&srv->acl);
	users_free(&srv->users);
	ppp_crypto_free(srv->crypto);
	if (srv->locks_ready) {
		pthread_mutex_destroy(&srv->lock);
		pthread_rwlock_destroy(&srv->users_lock);
		pthread_rwlock_destroy(&srv->routes_lock);
	}
}

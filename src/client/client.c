/*
 * opensstp's life cycle (see client.h): each attempt resolves the server
 * again, connects directly or through a proxy, and runs one tunnel; when
 * it ends the client either stops with a status the man page gives, or
 * tries again after a delay that grows and varies (exponential backoff
 * with full jitter), so that many clients cut off at once do not return
 * at once.  A refused password or certificate stops at once: retrying
 * cannot help.
 */
#include "client/client.h"

#include <sys/epoll.h>
#include <sys/signalfd.h>

#include <arpa/inet.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "base/addr.h"
#include "base/file.h"
#include "base/log.h"
#include "io/tls.h"
#include "io/tun.h"

static void attempt_start(struct client *c);

/* The run is over with this status; msg is its one line. */
static void
finish(struct client *c, int code, const char *msg)
{
	if (c->exit_code < 0) {
		c->exit_code = code;
		if (c->progress)
			fprintf(stderr, "\r\033[K");
		if (code == CLIENT_EXIT_OK)
			log_info("%s", msg);
		else
			log_error("%s", msg);
	}
	io_loop_stop(&c->loop);
}

/* A uniformly random delay in [0, cap] ms ("full jitter"). */
static uint32_t
jitter(uint32_t cap)
{
	uint32_t r = 0;

	if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
		r = (uint32_t)rand();
	return cap == 0 ? 0 : r % (cap + 1);
}

static void
on_retry(struct io_timer *t)
{
	attempt_start(t->arg);
}

/*
 * This attempt failed (code, msg): try again, or stop.  Fatal causes
 * stop whatever the settings; the rest follow --no-reconnect and
 * --max-retries.
 */
static void
attempt_failed(struct client *c, int code, bool fatal, const char *msg)
{
	uint64_t cap;
	uint32_t delay;
	unsigned k;
	char line[1024];

	if (c->stopping) {
		finish(c, CLIENT_EXIT_OK, "disconnected");
		return;
	}
	if (fatal || !c->o.reconnect ||
	    (c->o.max_retries >= 0 &&
		c->failures >= (unsigned)c->o.max_retries)) {
		if (!fatal && c->o.reconnect && c->o.max_retries > 0) {
			snprintf(line, sizeof(line),
			    "%s (gave up after %u "
			    "attempts)",
			    msg, c->failures + 1);
			finish(c, code, line);
		} else
			finish(c, code, msg);
		return;
	}
	c->failures++;
	k = c->failures - 1 < 20 ? c->failures - 1 : 20;
	cap = (uint64_t)c->o.backoff_min_ms << k;
	if (cap > c->o.backoff_max_ms)
		cap = c->o.backoff_max_ms;
	delay = jitter((uint32_t)cap);
	if (c->progress)
		fprintf(stderr, "\r\033[K");
	log_warn("%s; reconnecting in %u.%u s (attempt %u, backoff up to "
		 "%u.%u s)",
	    msg, delay / 1000, delay % 1000 / 100, c->failures + 1,
	    (unsigned)(cap / 1000), (unsigned)(cap % 1000 / 100));
	io_timer_set(&c->loop, &c->retry_timer, io_loop_now(&c->loop) + delay);
}

void
client_tunnel_up(struct client *c)
{
	char spki[64] = "-", tls[96];

	if (c->was_up)
		return;
	c->was_up = true;
	c->failures = 0;
	if (c->tunnel.tls.have_peer_spki)
		tls_spki_str(c->tunnel.tls.peer_spki, spki, sizeof(spki));
	if (c->progress)
		fprintf(stderr, "\r\033[K");
	log_info("up: %s via %s, server key %s, routes %s",
	    tunnel_tls_describe(&c->tunnel, tls, sizeof(tls)), c->tun_name,
	    spki,
	    c->o.route_mode == CLIENT_ROUTES_DEFAULT ? "default (server kept "
						       "outside)"
		: c->o.route_mode == CLIENT_ROUTES_LISTED ? "as listed"
							  : "none");
	if (c->progress)
		fprintf(stderr, "connected to %s: %s; key %s\n", c->o.host, tls,
		    spki);
}

/* Whether --auth lists a method other than EAP. */
static bool
client_accepts_besides_eap(const struct client *c)
{
	size_t i;

	for (i = 0; i < c->o.nauth; i++)
		if (c->o.auth[i] != PPP_AUTH_EAP)
			return true;
	return false;
}

void
client_tunnel_ended(struct client *c, const char *reason)
{
	const struct tunnel *t = &c->tunnel;
	const struct tunnel_counters *k = &t->counters;
	char msg[768];
	bool was_up = c->was_up, fatal;
	int code;

	c->tunnel_live = false;
	log_info("session end: bytes_in=%llu bytes_out=%llu pkts_in=%llu "
		 "pkts_out=%llu dropped=%llu",
	    (unsigned long long)k->bytes_in, (unsigned long long)k->bytes_out,
	    (unsigned long long)k->pkts_in, (unsigned long long)k->pkts_out,
	    (unsigned long long)k->dropped_out);
	client_link_reset(c);
	if (c->stopping) {
		finish(c, CLIENT_EXIT_OK, "disconnected");
		return;
	}
	if (t->auth_failed && t->auth_reason == PPP_E_AUTH_EAP_NO_TYPE &&
	    !c->without_eap && client_accepts_besides_eap(c)) {
		/* The server proposed EAP, and its EAP has no type we do
		 * (SoftEther's is EAP-TLS only): at once, without EAP, so
		 * that we Nak EAP in LCP and it proposes another method. */
		log_warn("the server's EAP offers no type this client does; "
			 "connecting again without EAP");
		c->without_eap = true;
		tunnel_fini(&c->tunnel);
		io_timer_set(&c->loop, &c->retry_timer, io_loop_now(&c->loop));
		return;
	}
	if (t->auth_failed && t->auth_reason == PPP_E_AUTH_EAP_NO_TYPE) {
		snprintf(msg, sizeof(msg),
		    "authentication failed: the server's EAP offers none of "
		    "the types this client does (EAP-MSCHAPv2, EAP-MD5) and "
		    "--auth allows nothing else");
		code = CLIENT_EXIT_AUTH;
		fatal = true;
	} else if (t->auth_failed) {
		/* The peer's details ("(E=691)"), not "authentication
		 * failed" a second time. */
		const char *base = ppp_strerror(PPP_E_AUTH_FAILED);
		const char *more = reason;

		if (strncmp(reason, base, strlen(base)) == 0)
			more = reason + strlen(base);
		while (*more == ' ')
			more++;
		snprintf(msg, sizeof(msg),
		    "authentication failed: the server refused user '%s' "
		    "or its password%s%s",
		    c->o.user, *more != '\0' ? " " : "", more);
		code = CLIENT_EXIT_AUTH;
		fatal = true;
	} else if (t->ppp_reason == PPP_E_AUTH_REFUSED) {
		snprintf(msg, sizeof(msg),
		    "authentication failed: the server allows none of the "
		    "methods this client accepts (see --auth)");
		code = CLIENT_EXIT_AUTH;
		fatal = true;
	} else if (c->pin_failed) {
		snprintf(msg, sizeof(msg), "%s", reason);
		code = CLIENT_EXIT_CERT;
		fatal = true;
	} else if (t->tls_failed && strstr(reason, "hostname mismatch")) {
		snprintf(msg, sizeof(msg),
		    "the server certificate is not valid for the name %s "
		    "(hostname mismatch): connect with a name or address "
		    "the certificate lists",
		    c->o.host);
		code = CLIENT_EXIT_CERT;
		fatal = true;
	} else if (t->tls_failed && strstr(reason, "certificate") != NULL) {
		char spki[64] = "";

		if (t->tls.have_peer_spki)
			tls_spki_str(t->tls.peer_spki, spki, sizeof(spki));
		snprintf(msg, sizeof(msg),
		    "the server certificate of %s is not trusted: %s (%s%s%s)",
		    c->o.host,
		    strncmp(reason, "TLS handshake: ", 15) == 0 ? reason + 15
								: reason,
		    c->o.ca_file[0] != '\0' ? "it is not signed by a CA of "
					      "--ca-file"
					    : "give its CA with --ca-file",
		    spki[0] != '\0' ? "; or, if you trust this key, "
				      "--pin-sha256 "
				    : "",
		    spki[0] != '\0' ? spki + 8 : "");
		code = CLIENT_EXIT_CERT;
		fatal = true;
	} else if (t->sstp_ended && t->sstp_reason == SSTP_E_HTTP_STATUS &&
	    t->http_status == 503) {
		/* spec/sstp.md 1.3: no session free there; worth retrying. */
		snprintf(msg, sizeof(msg),
		    "%s:%u has no session free (HTTP 503 Service "
		    "Unavailable): try again later",
		    c->o.host, c->o.port);
		code = CLIENT_EXIT_ERROR;
		fatal = false;
	} else if (t->sstp_ended &&
	    (t->sstp_reason == SSTP_E_HTTP_STATUS ||
		t->sstp_reason == SSTP_E_HTTP_SYNTAX ||
		t->sstp_reason == SSTP_E_HTTP_VERSION) &&
	    !was_up) {
		snprintf(msg, sizeof(msg), "%s:%u is not an SSTP server: %s",
		    c->o.host, c->o.port, reason);
		code = CLIENT_EXIT_NOT_SSTP;
		fatal = true;
	} else if (c->binding_sent && !was_up && t->sstp_ended &&
	    t->sstp_reason == SSTP_E_PEER_ABORT) {
		/* MS-SSTP 3.2.5.2: the server aborts a binding that does
		 * not match its own certificate. */
		snprintf(msg, sizeof(msg),
		    "the server refused the crypto binding (%s): something "
		    "between us terminates TLS, such as an intercepting "
		    "proxy or a man in the middle",
		    reason);
		code = CLIENT_EXIT_ERROR;
		fatal = true;
	} else if (was_up) {
		snprintf(msg, sizeof(msg), "the tunnel to %s ended: %s",
		    c->o.host, reason);
		code = CLIENT_EXIT_LOST;
		fatal = false;
	} else {
		snprintf(msg, sizeof(msg), "cannot set up the tunnel to %s: %s",
		    c->o.host, reason);
		code = CLIENT_EXIT_ERROR;
		fatal = false;
	}
	/* The tunnel's socket and state go now; the next attempt makes a
	 * new one. */
	tunnel_fini(&c->tunnel);
	attempt_failed(c, code, fatal, msg);
}

/* --- connecting ---------------------------------------------------- */

/*
 * The outer socket notices a dead path by itself too: unacknowledged
 * data for dead_peer_ms (TCP_USER_TIMEOUT), or an idle connection whose
 * keepalive probes go unanswered, ends it.
 */
static void
tune_socket(const struct client *c, int fd)
{
	int one = 1, idle, intvl, cnt = 3;
	unsigned int uto = c->o.dead_peer_ms;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (uto == 0)
		return;
	idle = (int)(uto / 2000) > 0 ? (int)(uto / 2000) : 1;
	intvl = (int)(uto / 6000) > 0 ? (int)(uto / 6000) : 1;
	setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &uto, sizeof(uto));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

static void
start_tunnel(struct client *c, int fd)
{
	struct tunnel_config tc;
	struct ppp_link_config *p = &tc.ppp;
	char err[TUNNEL_REASON_MAX], msg[TUNNEL_REASON_MAX + 32];
	size_t i;

	tune_socket(c, fd);
	c->peer_len = sizeof(c->peer);
	if (getpeername(fd, (struct sockaddr *)&c->peer, &c->peer_len) != 0)
		memset(&c->peer, 0, sizeof(c->peer));
	memset(&tc, 0, sizeof(tc));
	sstp_conn_config_default(&tc.sstp, SSTP_ROLE_CLIENT);
	tc.sstp.host = c->o.host;
	tc.sstp.timers.hello_ms = c->o.hello_ms;
	tc.sstp.timers.http_ms = c->o.handshake_ms;
	tc.sstp.timers.negotiation_ms = c->o.handshake_ms;
	tc.tls_handshake_ms = c->o.handshake_ms;
	ppp_link_config_default(p, PPP_ROLE_PEER);
	p->lcp.naccept = 0;
	for (i = 0; i < c->o.nauth; i++)
		if (!c->without_eap || c->o.auth[i] != PPP_AUTH_EAP)
			p->lcp.accept[p->lcp.naccept++] = c->o.auth[i];
	p->lcp.mru = (uint16_t)c->o.mtu;
	p->lcp.echo_interval_ms = c->o.lcp_echo_ms;
	p->auth.user = c->o.user;
	p->auth.password = c->o.password;
	p->auth.crypto = c->crypto;
	p->ipv4 = c->o.ipv4;
	p->ipv6 = c->o.ipv6;
	c->binding_sent = c->was_up = c->pin_failed = false;
	if (c->tunnel_started)
		tunnel_fini(&c->tunnel);
	c->tunnel_started = true;
	if (c->progress)
		fprintf(stderr, "\r\033[K%s: TLS...", c->o.host);
	if (!tunnel_start(&c->tunnel, &c->loop, c->ssl_ctx, fd, &tc,
		&client_tunnel_ops, c, err, sizeof(err))) {
		snprintf(msg, sizeof(msg), "cannot start TLS: %s", err);
		attempt_failed(c, CLIENT_EXIT_ERROR, false, msg);
		return;
	}
	c->tunnel_live = true;
}

static void try_next_address(struct client *c);

static void
connect_failed(struct client *c, int err)
{
	snprintf(c->conn_err, sizeof(c->conn_err), "%s", strerror(err));
	io_watch_del(&c->loop, &c->conn_watch);
	io_timer_cancel(&c->loop, &c->conn_timer);
	close(c->conn_fd);
	c->conn_fd = -1;
	try_next_address(c);
}

static void
on_connect(struct io_watch *w, uint32_t events)
{
	struct client *c = w->arg;
	int err = 0, fd;
	socklen_t len = sizeof(err);

	(void)events;
	if (getsockopt(c->conn_fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == EINPROGRESS)
		return;
	if (err != 0) {
		connect_failed(c, err);
		return;
	}
	io_watch_del(&c->loop, &c->conn_watch);
	io_timer_cancel(&c->loop, &c->conn_timer);
	fd = c->conn_fd;
	c->conn_fd = -1;
	log_info("TCP connected; TLS handshake");
	start_tunnel(c, fd);
}

static void
on_connect_timeout(struct io_timer *t)
{
	connect_failed(t->arg, ETIMEDOUT);
}

static void
try_next_address(struct client *c)
{
	struct addrinfo *ai;
	char name[ADDR_STR_MAX], msg[512];

	while ((ai = c->ai_next) != NULL) {
		c->ai_next = ai->ai_next;
		sockaddr_str(ai->ai_addr, name);
		c->conn_fd = socket(ai->ai_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (c->conn_fd < 0) {
			snprintf(c->conn_err, sizeof(c->conn_err), "%s",
			    strerror(errno));
			continue;
		}
		log_info("connecting to %s", name);
		if (connect(c->conn_fd, ai->ai_addr, ai->ai_addrlen) < 0 &&
		    errno != EINPROGRESS) {
			snprintf(c->conn_err, sizeof(c->conn_err), "%s",
			    strerror(errno));
			close(c->conn_fd);
			c->conn_fd = -1;
			continue;
		}
		io_watch_add(&c->loop, &c->conn_watch, c->conn_fd, EPOLLOUT);
		io_timer_set(&c->loop, &c->conn_timer,
		    io_loop_now(&c->loop) + c->o.connect_ms);
		return;
	}
	snprintf(msg, sizeof(msg), "cannot reach %s port %u: %s", c->o.host,
	    c->o.port, c->conn_err);
	attempt_failed(c, CLIENT_EXIT_UNREACHABLE, false, msg);
}

/* The kill switch lets through TCP to these addresses only. */
static void
kill_switch_update(struct client *c, const struct addrinfo *list)
{
	const struct sockaddr *sa[16];
	const struct addrinfo *ai;
	char err[256];
	size_t n = 0;

	if (!c->o.kill_switch)
		return;
	for (ai = list; ai != NULL && n < 16; ai = ai->ai_next)
		sa[n++] = ai->ai_addr;
	if (killswitch_on(c->tun_name, sa, n, err, sizeof(err)) != 0) {
		log_error("kill switch: %s", err);
		return;
	}
	c->kill_switch_on = true;
}

static bool
resolve(const char *host, uint16_t port, struct addrinfo **out, char *msg,
    size_t len)
{
	struct addrinfo hints;
	char ports[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(ports, sizeof(ports), "%u", port);
	rc = getaddrinfo(host, ports, &hints, out);
	if (rc != 0) {
		snprintf(
		    msg, len, "cannot resolve %s: %s", host, gai_strerror(rc));
		return false;
	}
	return true;
}

/*
 * The proxy password of the URL's user when the URL has none: from
 * --proxy-password-file, else asked once on the terminal and kept for
 * the following attempts.
 */
static bool
proxy_password(struct client *c, char *msg, size_t len)
{
	size_t n;
	char err[256], *buf;

	if (c->proxy.user[0] == '\0' || c->proxy.password[0] != '\0')
		return true;
	if (!c->have_proxy_pw && c->o.proxy_password_file[0] != '\0') {
		buf = file_read_all(
		    c->o.proxy_password_file, 4096, &n, err, sizeof(err));
		if (buf == NULL) {
			snprintf(msg, len, "--proxy-password-file: %s", err);
			return false;
		}
		buf[strcspn(buf, "\r\n")] = '\0';
		snprintf(c->proxy_pw, sizeof(c->proxy_pw), "%s", buf);
		file_free(buf, n);
		c->have_proxy_pw = true;
	} else if (!c->have_proxy_pw && isatty(STDIN_FILENO)) {
		if (c->progress)
			fprintf(stderr, "\r\033[K");
		c->have_proxy_pw = read_secret_line(
		    "proxy password: ", c->proxy_pw, sizeof(c->proxy_pw));
	}
	if (c->have_proxy_pw) {
		snprintf(c->proxy.password, sizeof(c->proxy.password), "%s",
		    c->proxy_pw);
		c->proxy.has_creds = true;
	}
	return true;
}

/* Through a proxy: its CONNECT exchange is the one blocking step. */
static void
attempt_via_proxy(struct client *c)
{
	char err[PROXY_ERR_MAX], msg[PROXY_ERR_MAX + 64];
	struct addrinfo *ai = NULL;
	int fd, status = 0, fl;

	if (resolve(c->proxy.host, c->proxy.port, &ai, msg, sizeof(msg)))
		kill_switch_update(c, ai);
	if (ai != NULL)
		freeaddrinfo(ai);
	log_info("connecting to %s:%u through the proxy %s:%u", c->o.host,
	    c->o.port, c->proxy.host, c->proxy.port);
	fd = proxy_open(&c->proxy, c->o.host, c->o.port, c->o.connect_ms,
	    c->sig_fd, &status, err, sizeof(err));
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "%s", err);
		/* A proxy that refuses our credentials will not change
		 * its mind. */
		attempt_failed(c, CLIENT_EXIT_UNREACHABLE, status == 407, msg);
		return;
	}
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	log_info("proxy tunnel open; TLS handshake");
	start_tunnel(c, fd);
}

static void
attempt_start(struct client *c)
{
	char msg[512], err[PROXY_ERR_MAX];
	struct addrinfo *fresh = NULL;
	int env;

	if (c->stopping)
		return;
	if (c->o.insecure)
		log_warn("--insecure: the server certificate is NOT checked; "
			 "anyone on the path can read and change this tunnel");
	if (c->progress)
		fprintf(stderr, "\r\033[K%s: resolving...", c->o.host);
	c->use_proxy = false;
	if (c->o.proxy[0] != '\0') {
		if (!proxy_url_parse(c->o.proxy, &c->proxy, err, sizeof(err))) {
			snprintf(msg, sizeof(msg), "--proxy: %s", err);
			finish(c, CLIENT_EXIT_USAGE, msg);
			return;
		}
		c->use_proxy = true;
	} else if (c->o.proxy_from_env) {
		env = proxy_from_env(c->o.host, &c->proxy, err, sizeof(err));
		if (env < 0) {
			snprintf(msg, sizeof(msg), "https_proxy: %s", err);
			finish(c, CLIENT_EXIT_USAGE, msg);
			return;
		}
		c->use_proxy = env == 1;
	}
	if (c->use_proxy) {
		if (!proxy_password(c, msg, sizeof(msg))) {
			finish(c, CLIENT_EXIT_USAGE, msg);
			return;
		}
		attempt_via_proxy(c);
		return;
	}
	/*
	 * Resolved again on every attempt: the server may have moved.  A
	 * kill switch may block the resolver meanwhile; the addresses of
	 * the last success serve then.
	 */
	log_info("resolving %s", c->o.host);
	if (resolve(c->o.host, c->o.port, &fresh, msg, sizeof(msg))) {
		if (c->ai != NULL)
			freeaddrinfo(c->ai);
		c->ai = fresh;
	} else if (c->ai != NULL)
		log_warn("%s; trying its last known addresses", msg);
	else {
		attempt_failed(c, CLIENT_EXIT_UNREACHABLE, false, msg);
		return;
	}
	kill_switch_update(c, c->ai);
	c->ai_next = c->ai;
	snprintf(c->conn_err, sizeof(c->conn_err), "no address");
	try_next_address(c);
}

/* --- signals and set-up -------------------------------------------- */

static void
on_signal(struct io_watch *w, uint32_t events)
{
	struct client *c = w->arg;
	struct signalfd_siginfo si;

	(void)events;
	while (read(c->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (c->stopping || !c->tunnel_live) {
			c->stopping = true;
			finish(c, CLIENT_EXIT_OK, "interrupted");
			return;
		}
		c->stopping = true;
		log_info("disconnecting");
		tunnel_close(&c->tunnel, "interrupted by the user");
	}
}

static bool
setup_signals(struct client *c)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	c->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (c->sig_fd < 0)
		return false;
	io_watch_init(&c->sig_watch, on_signal, c);
	return io_watch_add(&c->loop, &c->sig_watch, c->sig_fd, EPOLLIN) == 0;
}

static bool
setup_tun(struct client *c)
{
	int err;

	c->tun_fd = tun_open(c->o.tun, false, c->tun_name);
	if (c->tun_fd < 0) {
		log_error("cannot open the TUN device %s: %s", c->o.tun,
		    strerror(-c->tun_fd));
		return false;
	}
	c->tun_ifindex = nl_link_index(c->tun_name);
	err = nl_link_set(&c->nl, c->tun_ifindex, true, c->o.mtu);
	if (err < 0) {
		log_error(
		    "cannot bring %s up: %s", c->tun_name, strerror(-err));
		return false;
	}
	client_tun_watch_init(c);
	return io_watch_add(&c->loop, &c->tun_watch, c->tun_fd, EPOLLIN) == 0;
}

bool
client_init(struct client *c, const struct client_opts *o)
{
	struct tls_client_opts to = {
		.ca_file = o->ca_file[0] != '\0' ? o->ca_file : NULL,
		.insecure = o->insecure,
		/* A pin without a CA file stands alone; with one, both. */
		.pin_only = o->npins > 0 && o->ca_file[0] == '\0',
		.min_version = o->tls_min,
		.ciphers = o->ciphers,
	};
	char err[TLS_ERR_MAX];
	int e;

	memset(c, 0, sizeof(*c));
	c->o = *o;
	c->tun_fd = c->sig_fd = c->conn_fd = -1;
	c->exit_code = -1;
	c->progress =
	    o->progress > 0 || (o->progress < 0 && isatty(STDERR_FILENO));
	io_watch_init(&c->conn_watch, on_connect, c);
	io_timer_init(&c->conn_timer, on_connect_timeout, c);
	io_timer_init(&c->retry_timer, on_retry, c);
	if (io_loop_init(&c->loop) != 0)
		return false;
	c->crypto = ppp_crypto_new();
	if (c->crypto == NULL) {
		log_error("OpenSSL's legacy provider (MD4, DES for MS-CHAP) "
			  "cannot be loaded");
		return false;
	}
	c->ssl_ctx = tls_client_ctx_new(&to, err, sizeof(err));
	if (c->ssl_ctx == NULL) {
		log_error("TLS: %s", err);
		return false;
	}
	if ((e = nl_open(&c->nl)) < 0) {
		log_error("netlink: %s", strerror(-e));
		return false;
	}
	if (!setup_signals(c))
		return false;
	/* What a client killed on this TUN left behind goes first. */
	routes_recover(&c->nl, o->tun);
	return setup_tun(c);
}

int
client_run(struct client *c)
{
	attempt_start(c);
	if (c->exit_code < 0)
		io_loop_run(&c->loop);
	return c->exit_code < 0 ? CLIENT_EXIT_ERROR : c->exit_code;
}

void
client_fini(struct client *c)
{
	if (c->tunnel_started) {
		client_link_reset(c);
		tunnel_fini(&c->tunnel);
	}
	io_watch_del(&c->loop, &c->conn_watch);
	io_timer_cancel(&c->loop, &c->conn_timer);
	io_timer_cancel(&c->loop, &c->retry_timer);
	if (c->conn_fd >= 0)
		close(c->conn_fd);
	if (c->ai != NULL)
		freeaddrinfo(c->ai);
	if (c->kill_switch_on)
		killswitch_off(c->tun_name);
	if (c->tun_fd >= 0) {
		io_watch_del(&c->loop, &c->tun_watch);
		close(c->tun_fd);
	}
	if (c->sig_fd >= 0) {
		io_watch_del(&c->loop, &c->sig_watch);
		close(c->sig_fd);
	}
	if (c->nl.sock != NULL)
		nl_close(&c->nl);
	tls_ctx_free(c->ssl_ctx);
	ppp_crypto_free(c->crypto);
	io_loop_fini(&c->loop);
	OPENSSL_cleanse(c->o.password, sizeof(c->o.password));
	OPENSSL_cleanse(c->o.proxy, sizeof(c->o.proxy));
	OPENSSL_cleanse(c->proxy_pw, sizeof(c->proxy_pw));
	OPENSSL_cleanse(&c->proxy, sizeof(c->proxy));
}

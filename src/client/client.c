/*
 * opensstp's connection, TUN and IPv6 link set-up (see client.h).
 */
#include "client/client.h"

#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "base/addr.h"
#include "base/log.h"
#include "io/tls.h"
#include "io/tun.h"

#define TUN_BATCH   256
#define TUN_PKT_MAX 65536

static uint8_t tun_buf[TUN_PKT_MAX];

void
client_opts_default(struct client_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port = 443;
	o->tun = "opensstp0";
	o->mtu = 1400;
	o->ipv4 = o->ipv6 = true;
	o->auth[0] = PPP_AUTH_MSCHAPV2;
	o->auth[1] = PPP_AUTH_EAP;
	o->auth[2] = PPP_AUTH_CHAP_MD5;
	o->auth[3] = PPP_AUTH_PAP;
	o->nauth = 4;
	o->hello_ms = 60000;
	o->lcp_echo_ms = 30000;
	o->handshake_ms = 60000;
	o->connect_ms = 15000;
}

/* The run is over with this status; msg is its one line. */
static void
finish(struct client *c, int code, const char *msg)
{
	if (c->exit_code < 0) {
		c->exit_code = code;
		if (code == CLIENT_EXIT_OK)
			log_info("%s", msg);
		else
			log_error("%s", msg);
	}
	io_loop_stop(&c->loop);
}

/* --- the TUN ------------------------------------------------------- */

static void
on_tun(struct io_watch *w, uint32_t events)
{
	struct client *c = w->arg;
	ssize_t n;
	int i;

	(void)events;
	for (i = 0; i < TUN_BATCH; i++) {
		/* The TLS socket is full: leave packets in the TUN queue
		 * (the kernel's backpressure) until the output drains. */
		if (c->tunnel_live && !tunnel_can_send(&c->tunnel)) {
			io_watch_mod(&c->loop, &c->tun_watch, 0);
			return;
		}
		n = read(c->tun_fd, tun_buf, sizeof(tun_buf));
		if (n <= 0)
			break;
		if (c->tunnel_live)
			tunnel_send(
			    &c->tunnel, tun_buf[0] >> 4, tun_buf, (size_t)n);
	}
}

static void
on_drained(void *arg)
{
	struct client *c = arg;

	io_watch_mod(&c->loop, &c->tun_watch, EPOLLIN);
}

static void
tun_write(struct client *c, const uint8_t *pkt, size_t len)
{
	if (write(c->tun_fd, pkt, len) < 0 && errno != EAGAIN)
		log_debug("tun write: %s", strerror(errno));
}

/* --- tunnel callbacks ---------------------------------------------- */

static void
on_auth_done(void *arg, const struct ppp_auth_result *res)
{
	(void)arg;
	if (res->ok)
		log_info("authenticated with %s", tunnel_auth_name(res));
}

static void
on_connected(void *arg)
{
	struct client *c = arg;
	char tls[96];

	c->binding_sent = true;
	log_info("connected: %s, crypto binding sent",
	    tunnel_tls_describe(&c->tunnel, tls, sizeof(tls)));
}

static void
on_ipv4_up(void *arg, const struct ppp_ipv4_info *info)
{
	struct client *c = arg;
	uint32_t local = htonl(info->local), peer = htonl(info->peer), d;
	char l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN], dns[2][INET_ADDRSTRLEN];
	int err, i;

	err =
	    nl_addr(&c->nl, false, c->tun_ifindex, AF_INET, &local, 32, &peer);
	inet_ntop(AF_INET, &local, l, sizeof(l));
	inet_ntop(AF_INET, &peer, p, sizeof(p));
	if (err < 0) {
		log_error(
		    "cannot set %s on %s: %s", l, c->tun_name, strerror(-err));
		tunnel_close(&c->tunnel, "cannot configure the TUN");
		return;
	}
	for (i = 0; i < 2; i++) {
		d = htonl(info->dns[i]);
		if (info->dns[i] == 0)
			snprintf(dns[i], sizeof(dns[i]), "-");
		else
			inet_ntop(AF_INET, &d, dns[i], sizeof(dns[i]));
	}
	c->was_up = true;
	log_info("IPv4 up: %s peer %s on %s, DNS %s %s", l, p, c->tun_name,
	    dns[0], dns[1]);
}

static void
on_ipv4_down(void *arg)
{
	(void)arg;
	log_info("IPv4 down");
}

static void
send_rs(struct client *c)
{
	uint8_t pkt[IPV6_CTL_PKT_MAX];
	size_t n = ipv6_ctl_build_rs(pkt, sizeof(pkt), c->local_iid);

	if (n > 0)
		tunnel_send(&c->tunnel, 6, pkt, n);
}

static void
on_ipv6_up(void *arg, const struct ppp_ipv6_info *info)
{
	struct client *c = arg;
	uint8_t ll[16];
	char s[INET6_ADDRSTRLEN];
	int err;

	memcpy(c->local_iid, info->local_iid, 8);
	memcpy(c->peer_iid, info->peer_iid, 8);
	c->ipv6_up = true;
	ipv6_ctl_link_local(c->local_iid, ll);
	err = nl_addr(&c->nl, false, c->tun_ifindex, AF_INET6, ll, 64, NULL);
	inet_ntop(AF_INET6, ll, s, sizeof(s));
	if (err < 0)
		log_warn(
		    "cannot set %s on %s: %s", s, c->tun_name, strerror(-err));
	log_info("IPv6CP up: link-local %s; soliciting a router", s);
	/* Ask at once instead of waiting for the server's periodic RA. */
	send_rs(c);
}

static void
on_ipv6_down(void *arg)
{
	struct client *c = arg;

	c->ipv6_up = false;
	log_info("IPv6 down");
}

static void
handle_ra(struct client *c, const uint8_t *pkt, size_t len)
{
	struct ipv6_ra ra;
	struct nl_route r;
	uint8_t src[16], out[IPV6_CTL_PKT_MAX];
	char s[INET6_ADDRSTRLEN], rs[INET6_ADDRSTRLEN];
	size_t n;
	int err;

	if (!ipv6_ctl_parse_ra(pkt, len, &ra, src) || ra.prefix_len != 64)
		return;
	memcpy(c->global6, ra.prefix, 8);
	memcpy(c->global6 + 8, c->local_iid, 8);
	err = nl_addr(
	    &c->nl, false, c->tun_ifindex, AF_INET6, c->global6, 64, NULL);
	inet_ntop(AF_INET6, c->global6, s, sizeof(s));
	if (err < 0) {
		log_warn(
		    "cannot set %s on %s: %s", s, c->tun_name, strerror(-err));
		return;
	}
	if (ra.route_len > 0) {
		/* RFC 4191 Route Information: the server's networks. */
		memset(&r, 0, sizeof(r));
		r.family = AF_INET6;
		r.dst = ra.route;
		r.prefixlen = ra.route_len;
		r.ifindex = c->tun_ifindex;
		r.protocol = RTPROT_STATIC;
		err = nl_route(&c->nl, false, &r);
		inet_ntop(AF_INET6, ra.route, rs, sizeof(rs));
		if (err < 0)
			log_warn("cannot route %s/%u: %s", rs, ra.route_len,
			    strerror(-err));
		else
			log_info("IPv6 route %s/%u via %s", rs, ra.route_len,
			    c->tun_name);
	}
	if (!c->have_global6)
		log_info("IPv6 up: %s/64 on %s", s, c->tun_name);
	c->have_global6 = true;
	c->was_up = true;
	if (ra.other && !c->dhcp6_sent) {
		/* The O flag: DNS servers come from stateless DHCPv6. */
		RAND_bytes(c->xid, sizeof(c->xid));
		n = ipv6_ctl_build_info_request(
		    out, sizeof(out), c->local_iid, c->xid);
		if (n > 0 && tunnel_send(&c->tunnel, 6, out, n))
			c->dhcp6_sent = true;
	}
}

static void
handle_reply(struct client *c, const uint8_t *pkt, size_t len)
{
	uint8_t dns[IPV6_CTL_MAX_DNS][16];
	char line[3 * INET6_ADDRSTRLEN + 8] = "", s[INET6_ADDRSTRLEN];
	size_t n, i;

	if (!c->dhcp6_sent || !ipv6_ctl_parse_reply(pkt, len, c->xid, dns, &n))
		return;
	for (i = 0; i < n; i++) {
		inet_ntop(AF_INET6, dns[i], s, sizeof(s));
		strcat(line, " ");
		strcat(line, s);
	}
	log_info("IPv6 DNS servers (DHCPv6):%s", n > 0 ? line : " none");
}

static void
on_ipv6_control(void *arg, int kind, const uint8_t *pkt, size_t len)
{
	struct client *c = arg;

	if (kind == IPV6_CTL_RA)
		handle_ra(c, pkt, len);
	else if (kind == IPV6_CTL_DHCP6_REPLY)
		handle_reply(c, pkt, len);
}

static void
on_datagram(void *arg, int version, const uint8_t *pkt, size_t len)
{
	(void)version;
	tun_write(arg, pkt, len);
}

static void
on_closed(void *arg, const char *reason)
{
	struct client *c = arg;
	const struct tunnel *t = &c->tunnel;
	const struct tunnel_counters *k = &t->counters;
	char msg[768];

	c->tunnel_live = false;
	log_info("session end: bytes_in=%llu bytes_out=%llu pkts_in=%llu "
		 "pkts_out=%llu dropped=%llu",
	    (unsigned long long)k->bytes_in, (unsigned long long)k->bytes_out,
	    (unsigned long long)k->pkts_in, (unsigned long long)k->pkts_out,
	    (unsigned long long)k->dropped_out);
	if (c->stopping) {
		finish(c, CLIENT_EXIT_OK, "disconnected");
		return;
	}
	if (t->auth_failed) {
		snprintf(msg, sizeof(msg),
		    "authentication failed: the server refused user '%s' "
		    "or its password (%s)",
		    c->o.user, reason);
		finish(c, CLIENT_EXIT_AUTH, msg);
	} else if (t->ppp_reason == PPP_E_AUTH_REFUSED) {
		snprintf(msg, sizeof(msg),
		    "authentication failed: the server allows none of the "
		    "methods this client accepts (see --auth)");
		finish(c, CLIENT_EXIT_AUTH, msg);
	} else if (t->tls_failed && strstr(reason, "hostname mismatch")) {
		snprintf(msg, sizeof(msg),
		    "the server certificate is not valid for the name %s "
		    "(hostname mismatch): connect with a name or address "
		    "the certificate lists",
		    c->o.host);
		finish(c, CLIENT_EXIT_CERT, msg);
	} else if (t->tls_failed && strstr(reason, "certificate") != NULL) {
		snprintf(msg, sizeof(msg),
		    "the server certificate of %s is not trusted: %s (%s)",
		    c->o.host,
		    strncmp(reason, "TLS handshake: ", 15) == 0 ? reason + 15
								: reason,
		    c->o.ca_file != NULL ? "it is not signed by a CA of "
					   "--ca-file"
					 : "give its CA with --ca-file");
		finish(c, CLIENT_EXIT_CERT, msg);
	} else if (t->sstp_ended &&
	    (t->sstp_reason == SSTP_E_HTTP_STATUS ||
		t->sstp_reason == SSTP_E_HTTP_SYNTAX ||
		t->sstp_reason == SSTP_E_HTTP_VERSION) &&
	    !c->was_up) {
		snprintf(msg, sizeof(msg), "%s:%u is not an SSTP server: %s",
		    c->o.host, c->o.port, reason);
		finish(c, CLIENT_EXIT_NOT_SSTP, msg);
	} else if (c->binding_sent && !c->was_up && t->sstp_ended &&
	    t->sstp_reason == SSTP_E_PEER_ABORT) {
		/* MS-SSTP 3.2.5.2: the server aborts a binding that does
		 * not match its own certificate. */
		snprintf(msg, sizeof(msg),
		    "the server refused the crypto binding (%s): something "
		    "between us terminates TLS, such as an intercepting "
		    "proxy or a man in the middle",
		    reason);
		finish(c, CLIENT_EXIT_ERROR, msg);
	} else if (c->was_up) {
		snprintf(msg, sizeof(msg), "the tunnel to %s ended: %s",
		    c->o.host, reason);
		finish(c, CLIENT_EXIT_LOST, msg);
	} else {
		snprintf(msg, sizeof(msg), "cannot set up the tunnel to %s: %s",
		    c->o.host, reason);
		finish(c, CLIENT_EXIT_ERROR, msg);
	}
}

static const struct tunnel_ops client_ops = {
	.connected = on_connected,
	.auth_done = on_auth_done,
	.ipv4_up = on_ipv4_up,
	.ipv4_down = on_ipv4_down,
	.ipv6_up = on_ipv6_up,
	.ipv6_down = on_ipv6_down,
	.datagram = on_datagram,
	.ipv6_control = on_ipv6_control,
	.drained = on_drained,
	.closed = on_closed,
};

/* --- connecting ---------------------------------------------------- */

static void try_next_address(struct client *c);

static void
start_tunnel(struct client *c, int fd)
{
	struct tunnel_config tc;
	struct ppp_link_config *p = &tc.ppp;
	char err[TUNNEL_REASON_MAX];
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&tc, 0, sizeof(tc));
	sstp_conn_config_default(&tc.sstp, SSTP_ROLE_CLIENT);
	tc.sstp.host = c->o.host;
	tc.sstp.timers.hello_ms = c->o.hello_ms;
	tc.sstp.timers.http_ms = c->o.handshake_ms;
	tc.sstp.timers.negotiation_ms = c->o.handshake_ms;
	tc.tls_handshake_ms = c->o.handshake_ms;
	ppp_link_config_default(p, PPP_ROLE_PEER);
	memcpy(p->lcp.accept, c->o.auth, sizeof(c->o.auth));
	p->lcp.naccept = c->o.nauth;
	p->lcp.mru = (uint16_t)c->o.mtu;
	p->lcp.echo_interval_ms = c->o.lcp_echo_ms;
	p->auth.user = c->o.user;
	p->auth.password = c->o.password;
	p->auth.crypto = c->crypto;
	p->ipv4 = c->o.ipv4;
	p->ipv6 = c->o.ipv6;
	c->tunnel_started = true;
	if (!tunnel_start(&c->tunnel, &c->loop, c->ssl_ctx, fd, &tc,
		&client_ops, c, err, sizeof(err))) {
		char msg[TUNNEL_REASON_MAX + 32];

		snprintf(msg, sizeof(msg), "cannot start TLS: %s", err);
		finish(c, CLIENT_EXIT_ERROR, msg);
		return;
	}
	c->tunnel_live = true;
}

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
	finish(c, CLIENT_EXIT_UNREACHABLE, msg);
}

static bool
resolve(struct client *c)
{
	struct addrinfo hints;
	char port[8];
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%u", c->o.port);
	log_info("resolving %s", c->o.host);
	rc = getaddrinfo(c->o.host, port, &hints, &c->ai);
	if (rc != 0) {
		log_error("cannot resolve %s: %s", c->o.host, gai_strerror(rc));
		c->exit_code = CLIENT_EXIT_UNREACHABLE;
		return false;
	}
	c->ai_next = c->ai;
	return true;
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
		log_error("cannot open the TUN device %s: %s",
		    c->o.tun ? c->o.tun : "", strerror(-c->tun_fd));
		return false;
	}
	c->tun_ifindex = nl_link_index(c->tun_name);
	err = nl_link_set(&c->nl, c->tun_ifindex, true, c->o.mtu);
	if (err < 0) {
		log_error(
		    "cannot bring %s up: %s", c->tun_name, strerror(-err));
		return false;
	}
	io_watch_init(&c->tun_watch, on_tun, c);
	return io_watch_add(&c->loop, &c->tun_watch, c->tun_fd, EPOLLIN) == 0;
}

bool
client_init(struct client *c, const struct client_opts *o)
{
	struct tls_client_opts to = { .ca_file = o->ca_file,
		.insecure = o->insecure };
	char err[TLS_ERR_MAX];
	int e;

	memset(c, 0, sizeof(*c));
	c->o = *o;
	c->tun_fd = c->sig_fd = c->conn_fd = -1;
	c->exit_code = -1;
	io_watch_init(&c->conn_watch, on_connect, c);
	io_timer_init(&c->conn_timer, on_connect_timeout, c);
	if (io_loop_init(&c->loop) != 0)
		return false;
	c->crypto = ppp_crypto_new();
	if (c->crypto == NULL) {
		log_error("OpenSSL's legacy provider (MD4, DES for MS-CHAP) "
			  "cannot be loaded");
		return false;
	}
	if (o->insecure)
		log_warn("--insecure: the server certificate is NOT checked; "
			 "anyone on the path can read and change this tunnel");
	c->ssl_ctx = tls_client_ctx_new(&to, err, sizeof(err));
	if (c->ssl_ctx == NULL) {
		log_error("TLS: %s", err);
		return false;
	}
	if ((e = nl_open(&c->nl)) < 0) {
		log_error("netlink: %s", strerror(-e));
		return false;
	}
	return setup_signals(c) && setup_tun(c);
}

int
client_run(struct client *c)
{
	if (!resolve(c))
		return c->exit_code;
	try_next_address(c);
	if (c->exit_code < 0)
		io_loop_run(&c->loop);
	return c->exit_code < 0 ? CLIENT_EXIT_ERROR : c->exit_code;
}

void
client_fini(struct client *c)
{
	if (c->tunnel_started)
		tunnel_fini(&c->tunnel);
	io_watch_del(&c->loop, &c->conn_watch);
	io_timer_cancel(&c->loop, &c->conn_timer);
	if (c->conn_fd >= 0)
		close(c->conn_fd);
	if (c->ai != NULL)
		freeaddrinfo(c->ai);
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
}

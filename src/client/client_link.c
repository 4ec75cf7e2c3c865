/*
 * One tunnel's callbacks on the client (see client.h): the TUN's
 * datagrams, the addresses PPP gives, IPv6 by Router Advertisement and
 * stateless DHCPv6 (spec/ppp.md 9), routes, the DNS hook, the pin check
 * and the summary once up.
 */
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "base/log.h"
#include "client/client.h"
#include "io/tls.h"

#define TUN_BATCH   256
#define TUN_PKT_MAX 65536

static uint8_t tun_buf[TUN_PKT_MAX];

/* --- the TUN ------------------------------------------------------- */

static void
on_tun(struct io_watch *w, uint32_t events)
{
	struct client *c = w->arg;
	ssize_t n;
	int i;

	(void)events;
	/*
	 * Read even when the tunnel's output is full: tunnel_send drops at
	 * its bound, as the server does.  Pausing instead would leave the
	 * packets in the TUN queue, 500 of them (txqueuelen): 700 KB, 6 ms
	 * at 1 Gbit/s and half a second at 10, in front of every packet.
	 */
	for (i = 0; i < TUN_BATCH; i++) {
		n = read(c->tun_fd, tun_buf, sizeof(tun_buf));
		if (n <= 0)
			break;
		/* No tunnel: dropped here, never sent outside it. */
		if (c->tunnel_live)
			tunnel_send(
			    &c->tunnel, tun_buf[0] >> 4, tun_buf, (size_t)n);
	}
}

void
client_tun_watch_init(struct client *c)
{
	io_watch_init(&c->tun_watch, on_tun, c);
}

static void
on_datagram(void *arg, int version, const uint8_t *pkt, size_t len)
{
	struct client *c = arg;

	(void)version;
	if (write(c->tun_fd, pkt, len) < 0 && errno != EAGAIN)
		log_debug("tun write: %s", strerror(errno));
}

/* --- progress and trust -------------------------------------------- */

static void
on_progress(void *arg, const char *step)
{
	struct client *c = arg;

	if (c->progress)
		fprintf(stderr, "\r\033[K%s: %s...", c->o.host, step);
	log_debug("%s", step);
}

/*
 * --pin-sha256: the server's key must be one of the pins, with or
 * without the chain check (alone when no --ca-file was given).
 */
static bool
on_verify_peer(void *arg, const struct tls_conn *tls, char *why, size_t len)
{
	struct client *c = arg;
	char got[64], want[64];
	size_t i;

	if (c->o.npins == 0)
		return true;
	if (!tls->have_peer_spki) {
		snprintf(why, len, "the server showed no usable key");
		c->pin_failed = true;
		return false;
	}
	for (i = 0; i < c->o.npins; i++)
		if (CRYPTO_memcmp(tls->peer_spki, c->o.pins[i], 32) == 0)
			return true;
	tls_spki_str(tls->peer_spki, got, sizeof(got));
	tls_spki_str(c->o.pins[0], want, sizeof(want));
	snprintf(why, len,
	    "the server's key %s does not match the pinned %s; if its key "
	    "changed and you trust it, use --pin-sha256 %s",
	    got, want, got + 8);
	c->pin_failed = true;
	return false;
}

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

/* --- what the tunnel configures ------------------------------------ */

static void
run_dns_hook(struct client *c, const char *event)
{
	int rc;

	if (c->o.dns_hook[0] == '\0')
		return;
	c->dns.event = event;
	c->dns.tun = c->tun_name;
	c->dns.server = c->o.host;
	rc = dns_hook_run(c->o.dns_hook, &c->dns);
	if (rc != 0)
		log_warn(
		    "DNS hook %s %s: exit status %d", c->o.dns_hook, event, rc);
	c->dns_up = strcmp(event, "up") == 0;
}

/* Routes into the tunnel, once per family, after the server's route. */
static void
add_routes(struct client *c, int family)
{
	size_t i;
	int err = 0;

	if (c->o.route_mode == CLIENT_ROUTES_NONE)
		return;
	if (!c->routes_on) {
		routes_init(&c->routes, c->tun_name, c->tun_ifindex);
		c->routes_on = true;
		err = routes_keep_outside(
		    &c->routes, &c->nl, (const struct sockaddr *)&c->peer);
		if (err < 0)
			log_warn("cannot keep the route to the server outside "
				 "the tunnel: %s",
			    strerror(-err));
	}
	if (c->o.route_mode == CLIENT_ROUTES_DEFAULT)
		err = routes_default(&c->routes, &c->nl, family);
	else
		for (i = 0; i < c->o.nroutes && err == 0; i++)
			if (c->o.routes[i].addr.family == family)
				err = routes_add(
				    &c->routes, &c->nl, &c->o.routes[i]);
	if (err < 0)
		log_warn("cannot route IPv%d into %s: %s",
		    family == AF_INET ? 4 : 6, c->tun_name, strerror(-err));
}

static void
on_ipv4_up(void *arg, const struct ppp_ipv4_info *info)
{
	struct client *c = arg;
	uint32_t d;
	int err, i;

	c->local4 = htonl(info->local);
	c->peer4 = htonl(info->peer);
	err = nl_addr(
	    &c->nl, false, c->tun_ifindex, AF_INET, &c->local4, 32, &c->peer4);
	inet_ntop(AF_INET, &c->local4, c->dns.ipv4, sizeof(c->dns.ipv4));
	inet_ntop(AF_INET, &c->peer4, c->dns.peer4, sizeof(c->dns.peer4));
	if (err < 0) {
		log_error("cannot set %s on %s: %s", c->dns.ipv4, c->tun_name,
		    strerror(-err));
		tunnel_close(&c->tunnel, "cannot configure the TUN");
		return;
	}
	c->have4 = true;
	c->dns.ndns4 = 0;
	for (i = 0; i < 2; i++) {
		if (info->dns[i] == 0)
			continue;
		d = htonl(info->dns[i]);
		inet_ntop(
		    AF_INET, &d, c->dns.dns4[c->dns.ndns4++], INET_ADDRSTRLEN);
	}
	add_routes(c, AF_INET);
	log_info("IPv4 up: %s peer %s on %s, DNS %s %s", c->dns.ipv4,
	    c->dns.peer4, c->tun_name, c->dns.ndns4 > 0 ? c->dns.dns4[0] : "-",
	    c->dns.ndns4 > 1 ? c->dns.dns4[1] : "");
	run_dns_hook(c, "up");
	client_tunnel_up(c);
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
	char s[INET6_ADDRSTRLEN];
	int err;

	memcpy(c->local_iid, info->local_iid, 8);
	memcpy(c->peer_iid, info->peer_iid, 8);
	c->ipv6_up = true;
	ipv6_ctl_link_local(c->local_iid, c->ll6);
	err =
	    nl_addr(&c->nl, false, c->tun_ifindex, AF_INET6, c->ll6, 64, NULL);
	inet_ntop(AF_INET6, c->ll6, s, sizeof(s));
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
	(void)arg;
	log_info("IPv6 down");
}

static void
handle_ra(struct client *c, const uint8_t *pkt, size_t len)
{
	struct ipv6_ra ra;
	struct nl_route r;
	uint8_t src[16], out[IPV6_CTL_PKT_MAX];
	char rs[INET6_ADDRSTRLEN];
	size_t n;
	int err;

	if (!ipv6_ctl_parse_ra(pkt, len, &ra, src) || ra.prefix_len != 64)
		return;
	memcpy(c->global6, ra.prefix, 8);
	memcpy(c->global6 + 8, c->local_iid, 8);
	err = nl_addr(
	    &c->nl, false, c->tun_ifindex, AF_INET6, c->global6, 64, NULL);
	inet_ntop(AF_INET6, c->global6, c->dns.ipv6, sizeof(c->dns.ipv6));
	if (err < 0) {
		log_warn("cannot set %s on %s: %s", c->dns.ipv6, c->tun_name,
		    strerror(-err));
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
	if (!c->have_global6) {
		log_info("IPv6 up: %s/64 on %s", c->dns.ipv6, c->tun_name);
		add_routes(c, AF_INET6);
		client_tunnel_up(c);
	}
	c->have_global6 = true;
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
	char line[3 * INET6_ADDRSTRLEN + 8] = "";
	size_t n, i;

	if (!c->dhcp6_sent || !ipv6_ctl_parse_reply(pkt, len, c->xid, dns, &n))
		return;
	c->dns.ndns6 = 0;
	for (i = 0; i < n && i < 3; i++) {
		inet_ntop(AF_INET6, dns[i], c->dns.dns6[i], INET6_ADDRSTRLEN);
		c->dns.ndns6++;
		strcat(line, " ");
		strcat(line, c->dns.dns6[i]);
	}
	log_info("IPv6 DNS servers (DHCPv6):%s", n > 0 ? line : " none");
	if (n > 0)
		run_dns_hook(c, "up");
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
on_closed(void *arg, const char *reason)
{
	client_tunnel_ended(arg, reason);
}

const struct tunnel_ops client_tunnel_ops = {
	.verify_peer = on_verify_peer,
	.progress = on_progress,
	.connected = on_connected,
	.auth_done = on_auth_done,
	.ipv4_up = on_ipv4_up,
	.ipv4_down = on_ipv4_down,
	.ipv6_up = on_ipv6_up,
	.ipv6_down = on_ipv6_down,
	.datagram = on_datagram,
	.ipv6_control = on_ipv6_control,
	.closed = on_closed,
};

void
client_link_reset(struct client *c)
{
	if (c->dns_up)
		run_dns_hook(c, "down");
	if (c->routes_on)
		routes_down(&c->routes, &c->nl);
	c->routes_on = false;
	/* A new session may bring other addresses: none may linger. */
	if (c->have4)
		nl_addr(&c->nl, true, c->tun_ifindex, AF_INET, &c->local4, 32,
		    &c->peer4);
	if (c->have_global6)
		nl_addr(&c->nl, true, c->tun_ifindex, AF_INET6, c->global6, 64,
		    NULL);
	if (c->ipv6_up || c->have_global6)
		nl_addr(
		    &c->nl, true, c->tun_ifindex, AF_INET6, c->ll6, 64, NULL);
	c->have4 = c->ipv6_up = c->have_global6 = c->dhcp6_sent = false;
	memset(&c->dns, 0, sizeof(c->dns));
}

/*
 * TUN and netlink against the kernel, in a network namespace of our own
 * (unshare in main): nothing of the host is touched.  Results are read
 * back with ioctl, getifaddrs and netlink dumps, never with `ip`.  Needs
 * root; without it, or without namespaces, every case is skipped.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <libmnl/libmnl.h>
#include <poll.h>
#include <sched.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io/netlink.h"
#include "io/tun.h"
#include "test_run.h"

#define PROTO 99 /* an operator's route protocol number */

static bool netns_ok;
static char netns_why[128];

#define NEED_NETNS()                                                           \
	do {                                                                   \
		if (!netns_ok) {                                               \
			print_message("skipped: %s\n", netns_why);             \
			skip();                                                \
		}                                                              \
	} while (0)

struct fix {
	struct nl nl;
	int fd;
	int idx;
	char name[IFNAMSIZ];
};

static void
pton(int family, const char *s, void *out)
{
	assert_int_equal(inet_pton(family, s, out), 1);
}

/* A TUN device name, netlink open; up with MTU 1400 when asked. */
static void
fix_open(struct fix *f, const char *name, bool up)
{
	f->fd = tun_open(name, false, f->name);
	assert_true(f->fd >= 0);
	assert_string_equal(f->name, name);
	f->idx = nl_link_index(f->name);
	assert_true(f->idx > 0);
	assert_int_equal(nl_open(&f->nl), 0);
	if (up)
		assert_int_equal(nl_link_set(&f->nl, f->idx, true, 1400), 0);
}

static void
fix_close(struct fix *f)
{
	nl_close(&f->nl);
	close(f->fd);
}

static void
ifreq_get(const char *name, unsigned long req, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(s >= 0);
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", name);
	assert_int_equal(ioctl(s, req, ifr), 0);
	close(s);
}

/* A netlink dump of one kind, each message to cb. */
static void
dump(int type, int family, size_t hdrlen, mnl_cb_t cb, void *arg)
{
	alignas(struct nlmsghdr) char buf[32768];
	struct mnl_socket *s;
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	uint32_t seq = (uint32_t)time(NULL), portid;
	ssize_t n;
	int r;

	s = mnl_socket_open(NETLINK_ROUTE);
	assert_non_null(s);
	assert_int_equal(mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID), 0);
	portid = mnl_socket_get_portid(s);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	/* The family is the first byte of every rtnetlink header. */
	g = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	g->rtgen_family = (uint8_t)family;
	assert_true(mnl_socket_sendto(s, nlh, nlh->nlmsg_len) >= 0);
	do {
		n = mnl_socket_recvfrom(s, buf, sizeof(buf));
		assert_true(n > 0);
		r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, arg);
		assert_true(r >= 0);
	} while (r > MNL_CB_STOP);
	mnl_socket_close(s);
}

/* The route dst/plen of protocol proto, as the kernel dumps it. */
struct route_q {
	int family;
	uint8_t dst[16];
	unsigned plen;
	uint32_t table;
	/* found: */
	bool found;
	int oif;
	uint8_t scope;
	uint32_t prio;
	bool has_gw;
	uint8_t gw[16];
};

struct route_attrs {
	const struct nlattr *a[RTA_MAX + 1];
};

static int
attr_collect(const struct nlattr *a, void *arg)
{
	struct route_attrs *ra = arg;

	if (mnl_attr_get_type(a) <= RTA_MAX)
		ra->a[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static int
route_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct route_q *q = arg;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	size_t alen = q->family == AF_INET ? 4 : 16;
	struct route_attrs ra = { 0 };
	uint32_t table = rtm->rtm_table;

	mnl_attr_parse(nlh, sizeof(*rtm), attr_collect, &ra);
	if (ra.a[RTA_TABLE] != NULL)
		table = mnl_attr_get_u32(ra.a[RTA_TABLE]);
	if (rtm->rtm_family != q->family || rtm->rtm_dst_len != q->plen ||
	    rtm->rtm_protocol != PROTO || table != q->table)
		return MNL_CB_OK;
	if (q->plen != 0 &&
	    (ra.a[RTA_DST] == NULL ||
		memcmp(mnl_attr_get_payload(ra.a[RTA_DST]), q->dst, alen) != 0))
		return MNL_CB_OK;
	q->found = true;
	q->scope = rtm->rtm_scope;
	if (ra.a[RTA_OIF] != NULL)
		q->oif = (int)mnl_attr_get_u32(ra.a[RTA_OIF]);
	if (ra.a[RTA_PRIORITY] != NULL)
		q->prio = mnl_attr_get_u32(ra.a[RTA_PRIORITY]);
	if (ra.a[RTA_GATEWAY] != NULL) {
		q->has_gw = true;
		memcpy(q->gw, mnl_attr_get_payload(ra.a[RTA_GATEWAY]), alen);
	}
	return MNL_CB_OK;
}

static bool
route_find(struct route_q *q, int family, const char *dst, unsigned plen,
    uint32_t table)
{
	*q = (struct route_q) { .family = family, .plen = plen };
	q->table = table != 0 ? table : RT_TABLE_MAIN;
	if (dst != NULL)
		pton(family, dst, q->dst);
	dump(RTM_GETROUTE, family, sizeof(struct rtmsg), route_cb, q);
	return q->found;
}

/* An address's flags, as the kernel dumps them. */
struct addr_q {
	int idx;
	uint8_t addr[16];
	bool found;
	uint32_t flags;
	unsigned plen;
};

static int
addr_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct addr_q *q = arg;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct route_attrs ra = { 0 };

	mnl_attr_parse(nlh, sizeof(*ifa), attr_collect, &ra);
	if ((int)ifa->ifa_index != q->idx || ra.a[IFA_ADDRESS] == NULL ||
	    memcmp(mnl_attr_get_payload(ra.a[IFA_ADDRESS]), q->addr, 16) != 0)
		return MNL_CB_OK;
	q->found = true;
	q->plen = ifa->ifa_prefixlen;
	q->flags = ra.a[IFA_FLAGS] != NULL ? mnl_attr_get_u32(ra.a[IFA_FLAGS])
					   : ifa->ifa_flags;
	return MNL_CB_OK;
}

static bool
addr6_find(struct addr_q *q, int idx, const char *addr)
{
	*q = (struct addr_q) { .idx = idx };
	pton(AF_INET6, addr, q->addr);
	dump(RTM_GETADDR, AF_INET6, sizeof(struct ifaddrmsg), addr_cb, q);
	return q->found;
}

/* Is addr (with peer, when not NULL) on the interface, per getifaddrs? */
static bool
addr4_present(const char *ifname, const char *addr, const char *peer)
{
	struct ifaddrs *all, *i;
	struct sockaddr_in *sin;
	struct in_addr a, p;
	bool found = false;

	pton(AF_INET, addr, &a);
	if (peer != NULL)
		pton(AF_INET, peer, &p);
	assert_int_equal(getifaddrs(&all), 0);
	for (i = all; i != NULL && !found; i = i->ifa_next) {
		if (strcmp(i->ifa_name, ifname) != 0 || i->ifa_addr == NULL ||
		    i->ifa_addr->sa_family != AF_INET)
			continue;
		sin = (struct sockaddr_in *)i->ifa_addr;
		if (sin->sin_addr.s_addr != a.s_addr)
			continue;
		found = true;
		if (peer != NULL) {
			/* A point-to-point link: the peer is the dstaddr. */
			assert_true(i->ifa_flags & IFF_POINTOPOINT);
			assert_non_null(i->ifa_dstaddr);
			sin = (struct sockaddr_in *)i->ifa_dstaddr;
			assert_int_equal(sin->sin_addr.s_addr, p.s_addr);
		}
	}
	freeifaddrs(all);
	return found;
}

static void
tun_open_names_and_nonblocking_reads(void **state)
{
	char name[IFNAMSIZ], buf[2048];
	int fd, fl;

	(void)state;
	NEED_NETNS();
	fd = tun_open(NULL, false, name);
	assert_true(fd >= 0);
	assert_memory_equal(name, "tun", 3);
	assert_int_equal(nl_link_index(name) > 0, true);
	fl = fcntl(fd, F_GETFL);
	assert_true(fl & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	/* Nothing queued: a read does not block. */
	assert_int_equal(read(fd, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EAGAIN);
	close(fd);
	assert_int_equal(tun_open("a-name-longer-than-ifnamsiz", false, name),
	    -ENAMETOOLONG);
}

static void
tun_multi_queue_opens_the_name_twice(void **state)
{
	char n1[IFNAMSIZ], n2[IFNAMSIZ];
	int a, b;

	(void)state;
	NEED_NETNS();
	a = tun_open("mq0", true, n1);
	b = tun_open("mq0", true, n2);
	assert_true(a >= 0);
	assert_true(b >= 0);
	assert_string_equal(n1, "mq0");
	assert_string_equal(n2, "mq0");
	/* A single-queue open of a multi-queue device is refused. */
	assert_int_equal(tun_open("mq0", false, n2), -EINVAL);
	close(a);
	close(b);
}

static void
link_up_with_mtu_then_down(void **state)
{
	struct ifreq ifr;
	struct fix f;

	(void)state;
	NEED_NETNS();
	fix_open(&f, "lk0", true);
	ifreq_get(f.name, SIOCGIFMTU, &ifr);
	assert_int_equal(ifr.ifr_mtu, 1400);
	ifreq_get(f.name, SIOCGIFFLAGS, &ifr);
	assert_true(ifr.ifr_flags & IFF_UP);
	/* Down, MTU untouched. */
	assert_int_equal(nl_link_set(&f.nl, f.idx, false, 0), 0);
	ifreq_get(f.name, SIOCGIFFLAGS, &ifr);
	assert_false(ifr.ifr_flags & IFF_UP);
	ifreq_get(f.name, SIOCGIFMTU, &ifr);
	assert_int_equal(ifr.ifr_mtu, 1400);
	assert_int_equal(nl_link_set(&f.nl, f.idx, false, 1280), 0);
	ifreq_get(f.name, SIOCGIFMTU, &ifr);
	assert_int_equal(ifr.ifr_mtu, 1280);
	/* The kernel's errors come back as -errno. */
	assert_int_equal(nl_link_set(&f.nl, 99999, true, 0), -ENODEV);
	assert_int_equal(nl_link_index("nosuch0"), -ENODEV);
	fix_close(&f);
}

static void
addresses_v4_peer_and_v6_nodad(void **state)
{
	struct in_addr a, p;
	struct in6_addr a6;
	struct addr_q q;
	struct fix f;

	(void)state;
	NEED_NETNS();
	fix_open(&f, "ad0", true);
	pton(AF_INET, "10.0.0.1", &a);
	pton(AF_INET, "10.0.0.2", &p);
	pton(AF_INET6, "fd00::1", &a6);
	assert_int_equal(nl_addr(&f.nl, false, f.idx, AF_INET, &a, 32, &p), 0);
	/* Adding it again is not an error. */
	assert_int_equal(nl_addr(&f.nl, false, f.idx, AF_INET, &a, 32, &p), 0);
	assert_true(addr4_present(f.name, "10.0.0.1", "10.0.0.2"));
	assert_int_equal(
	    nl_addr(&f.nl, false, f.idx, AF_INET6, &a6, 64, NULL), 0);
	assert_true(addr6_find(&q, f.idx, "fd00::1"));
	assert_int_equal(q.plen, 64);
	assert_true(q.flags & IFA_F_NODAD);
	assert_false(q.flags & IFA_F_TENTATIVE);
	assert_int_equal(nl_addr(&f.nl, true, f.idx, AF_INET, &a, 32, &p), 0);
	assert_false(addr4_present(f.name, "10.0.0.1", NULL));
	assert_int_equal(
	    nl_addr(&f.nl, true, f.idx, AF_INET6, &a6, 64, NULL), 0);
	assert_false(addr6_find(&q, f.idx, "fd00::1"));
	assert_int_equal(
	    nl_addr(&f.nl, true, f.idx, AF_INET, &a, 32, &p), -EADDRNOTAVAIL);
	assert_int_equal(
	    nl_addr(&f.nl, false, f.idx, AF_UNIX, &a, 32, NULL), -EINVAL);
	fix_close(&f);
}

/* 10.0.0.1 peer 10.0.0.2 on the device, so that gateways are reachable. */
static void
fix_v4(struct fix *f)
{
	struct in_addr a, p;

	pton(AF_INET, "10.0.0.1", &a);
	pton(AF_INET, "10.0.0.2", &p);
	assert_int_equal(
	    nl_addr(&f->nl, false, f->idx, AF_INET, &a, 32, &p), 0);
}

static void
routes_v4_on_link_and_via_gateway(void **state)
{
	struct nl_route_info info;
	struct in_addr dst, gw, probe, src;
	struct route_q q;
	struct fix f;
	struct nl_route r = {
		.family = AF_INET,
		.dst = &dst,
		.prefixlen = 24,
		.protocol = PROTO,
	};

	(void)state;
	NEED_NETNS();
	fix_open(&f, "rt0", true);
	fix_v4(&f);
	r.ifindex = f.idx;
	pton(AF_INET, "10.9.0.0", &dst);
	assert_int_equal(nl_route(&f.nl, false, &r), 0);
	assert_int_equal(nl_route(&f.nl, false, &r), 0); /* replace */
	assert_true(route_find(&q, AF_INET, "10.9.0.0", 24, 0));
	assert_int_equal(q.oif, f.idx);
	assert_int_equal(q.scope, RT_SCOPE_LINK);
	assert_false(q.has_gw);
	pton(AF_INET, "10.9.0.5", &probe);
	assert_int_equal(nl_route_get(&f.nl, AF_INET, &probe, &info), 0);
	assert_int_equal(info.family, AF_INET);
	assert_int_equal(info.ifindex, f.idx);
	assert_false(info.has_gw);
	assert_true(info.has_src);
	pton(AF_INET, "10.0.0.1", &src);
	assert_memory_equal(info.src, &src, 4);

	/* Through the peer, with a metric. */
	pton(AF_INET, "10.8.0.0", &dst);
	pton(AF_INET, "10.0.0.2", &gw);
	r.prefixlen = 16;
	r.gw = &gw;
	r.metric = 50;
	assert_int_equal(nl_route(&f.nl, false, &r), 0);
	assert_true(route_find(&q, AF_INET, "10.8.0.0", 16, 0));
	assert_int_equal(q.scope, RT_SCOPE_UNIVERSE);
	assert_true(q.has_gw);
	assert_memory_equal(q.gw, &gw, 4);
	assert_int_equal(q.prio, 50);
	pton(AF_INET, "10.8.1.1", &probe);
	assert_int_equal(nl_route_get(&f.nl, AF_INET, &probe, &info), 0);
	assert_true(info.has_gw);
	assert_memory_equal(info.gw, &gw, 4);
	assert_int_equal(info.ifindex, f.idx);

	assert_int_equal(nl_route(&f.nl, true, &r), 0);
	assert_false(route_find(&q, AF_INET, "10.8.0.0", 16, 0));
	assert_int_equal(nl_route(&f.nl, true, &r), -ESRCH);
	r.dst = &dst;
	pton(AF_INET, "10.9.0.0", &dst);
	r.prefixlen = 24;
	r.gw = NULL;
	r.metric = 0;
	assert_int_equal(nl_route(&f.nl, true, &r), 0);
	assert_false(route_find(&q, AF_INET, "10.9.0.0", 24, 0));
	assert_int_equal(
	    nl_route_get(&f.nl, AF_INET, &probe, &info), -ENETUNREACH);
	fix_close(&f);
}

static void
routes_in_a_table_and_default(void **state)
{
	struct in_addr dst;
	struct route_q q;
	struct fix f;
	struct nl_route r = {
		.family = AF_INET,
		.protocol = PROTO,
		.table = 1000,
	};

	(void)state;
	NEED_NETNS();
	fix_open(&f, "tb0", true);
	r.ifindex = f.idx;
	/* The default route (dst NULL), in a table above 255. */
	assert_int_equal(nl_route(&f.nl, false, &r), 0);
	assert_true(route_find(&q, AF_INET, NULL, 0, 1000));
	assert_int_equal(q.oif, f.idx);
	assert_false(route_find(&q, AF_INET, NULL, 0, 0));
	pton(AF_INET, "192.0.2.0", &dst);
	r.dst = &dst;
	r.prefixlen = 24;
	r.table = 100;
	assert_int_equal(nl_route(&f.nl, false, &r), 0);
	assert_true(route_find(&q, AF_INET, "192.0.2.0", 24, 100));
	assert_int_equal(nl_route(&f.nl, true, &r), 0);
	assert_false(route_find(&q, AF_INET, "192.0.2.0", 24, 100));
	r.dst = NULL;
	r.table = 1000;
	assert_int_equal(nl_route(&f.nl, true, &r), 0);
	assert_false(route_find(&q, AF_INET, NULL, 0, 1000));
	fix_close(&f);
}

static void
routes_v6(void **state)
{
	struct nl_route_info info;
	struct in6_addr dst, gw, probe, a6;
	struct route_q q;
	struct fix f;
	struct nl_route r = {
		.family = AF_INET6,
		.dst = &dst,
		.prefixlen = 64,
		.protocol = PROTO,
	};

	(void)state;
	NEED_NETNS();
	fix_open(&f, "r60", true);
	pton(AF_INET6, "fd00::1", &a6);
	assert_int_equal(
	    nl_addr(&f.nl, false, f.idx, AF_INET6, &a6, 64, NULL), 0);
	r.ifindex = f.idx;
	pton(AF_INET6, "fd00:1::", &dst);
	assert_int_equal(nl_route(&f.nl, false, &r), 0);
	assert_true(route_find(&q, AF_INET6, "fd00:1::", 64, 0));
	assert_int_equal(q.oif, f.idx);
	pton(AF_INET6, "fd00:1::5", &probe);
	assert_int_equal(nl_route_get(&f.nl, AF_INET6, &probe, &info), 0);
	assert_int_equal(info.ifindex, f.idx);
	assert_false(info.has_gw);

	/* Through a gateway on the device's prefix, with a metric. */
	pton(AF_INET6, "fd00:2::", &dst);
	pton(AF_INET6, "fd00::2", &gw);
	r.gw = &gw;
	r.metric = 7;
	assert_int_equal(nl_route(&f.nl, false, &r), 0);
	assert_true(route_find(&q, AF_INET6, "fd00:2::", 64, 0));
	assert_true(q.has_gw);
	assert_memory_equal(q.gw, &gw, 16);
	assert_int_equal(q.prio, 7);
	pton(AF_INET6, "fd00:2::9", &probe);
	assert_int_equal(nl_route_get(&f.nl, AF_INET6, &probe, &info), 0);
	assert_true(info.has_gw);
	assert_memory_equal(info.gw, &gw, 16);
	assert_true(info.has_src);
	assert_memory_equal(info.src, &a6, 16);

	assert_int_equal(nl_route(&f.nl, true, &r), 0);
	assert_false(route_find(&q, AF_INET6, "fd00:2::", 64, 0));
	assert_int_equal(nl_route(&f.nl, true, &r), -ESRCH);
	pton(AF_INET6, "fd00:1::", &dst);
	r.gw = NULL;
	r.metric = 0;
	assert_int_equal(nl_route(&f.nl, true, &r), 0);
	assert_false(route_find(&q, AF_INET6, "fd00:1::", 64, 0));
	fix_close(&f);
}

/* Wait for the next IPv4 datagram on the TUN (IPv6 chatter skipped). */
static ssize_t
tun_read_v4(int fd, uint8_t *buf, size_t cap)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		assert_int_equal(poll(&p, 1, 2000), 1);
		n = read(fd, buf, cap);
		assert_true(n > 0);
		if ((buf[0] >> 4) == 4)
			return n;
	}
}

static uint16_t
ip_checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static void
packets_cross_the_tun_both_ways(void **state)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	struct pollfd pfd;
	struct in_addr dst;
	struct fix f;
	struct iphdr ip;
	uint8_t pkt[2048];
	char got[16];
	ssize_t n;
	int s;
	struct nl_route r = {
		.family = AF_INET,
		.dst = &dst,
		.prefixlen = 24,
		.protocol = PROTO,
	};

	(void)state;
	NEED_NETNS();
	fix_open(&f, "pk0", true);
	fix_v4(&f);
	r.ifindex = f.idx;
	pton(AF_INET, "10.9.0.0", &dst);
	assert_int_equal(nl_route(&f.nl, false, &r), 0);

	/* Out: a UDP datagram to the routed prefix is read from the TUN. */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	to.sin_port = htons(5555);
	assert_int_equal(bind(s, (struct sockaddr *)&to, sizeof(to)), 0);
	pton(AF_INET, "10.9.0.5", &to.sin_addr);
	to.sin_port = htons(9999);
	assert_int_equal(
	    sendto(s, "hello", 5, 0, (struct sockaddr *)&to, sizeof(to)), 5);
	n = tun_read_v4(f.fd, pkt, sizeof(pkt));
	assert_int_equal(n, 20 + 8 + 5);
	memcpy(&ip, pkt, sizeof(ip));
	assert_int_equal(ip.ihl, 5);
	assert_int_equal(ip.protocol, IPPROTO_UDP);
	assert_int_equal(ip.daddr, to.sin_addr.s_addr);
	pton(AF_INET, "10.0.0.1", &dst);
	assert_int_equal(ip.saddr, dst.s_addr);
	assert_memory_equal(pkt + 22, "\x27\x0f", 2); /* port 9999 */
	assert_memory_equal(pkt + 28, "hello", 5);

	/* In: a datagram written to the TUN reaches the socket. */
	memset(&ip, 0, sizeof(ip));
	ip.version = 4;
	ip.ihl = 5;
	ip.tot_len = htons(20 + 8 + 5);
	ip.ttl = 64;
	ip.protocol = IPPROTO_UDP;
	pton(AF_INET, "10.9.0.5", &ip.saddr);
	pton(AF_INET, "10.0.0.1", &ip.daddr);
	ip.check = ip_checksum(&ip, sizeof(ip));
	memcpy(pkt, &ip, sizeof(ip));
	/* Source port 9999 to 5555, length 13, no checksum (IPv4 may). */
	memcpy(pkt + 20, "\x27\x0f\x15\xb3\x00\x0d\x00\x00world", 13);
	assert_int_equal(write(f.fd, pkt, 33), 33);
	pfd = (struct pollfd) { .fd = s, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 2000), 1);
	memset(got, 0, sizeof(got));
	assert_int_equal(recv(s, got, sizeof(got), 0), 5);
	assert_string_equal(got, "world");
	close(s);
	fix_close(&f);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tun_open_names_and_nonblocking_reads),
		cmocka_unit_test(tun_multi_queue_opens_the_name_twice),
		cmocka_unit_test(link_up_with_mtu_then_down),
		cmocka_unit_test(addresses_v4_peer_and_v6_nodad),
		cmocka_unit_test(routes_v4_on_link_and_via_gateway),
		cmocka_unit_test(routes_in_a_table_and_default),
		cmocka_unit_test(routes_v6),
		cmocka_unit_test(packets_cross_the_tun_both_ways),
	};

	/* Only to run the cases, not to list them. */
	if (argc > 1 && strcmp(argv[1], "--list") == 0)
		return test_run(argc, argv, "io_net", tests, ARRAY_LEN(tests));
	if (geteuid() != 0)
		snprintf(netns_why, sizeof(netns_why), "needs root");
	else if (access("/dev/net/tun", R_OK | W_OK) != 0)
		snprintf(netns_why, sizeof(netns_why), "no /dev/net/tun: %s",
		    strerror(errno));
	else if (unshare(CLONE_NEWNET) < 0)
		snprintf(netns_why, sizeof(netns_why),
		    "unshare(CLONE_NEWNET): %s", strerror(errno));
	else
		netns_ok = true;
	return test_run(argc, argv, "io_net", tests, ARRAY_LEN(tests));
}

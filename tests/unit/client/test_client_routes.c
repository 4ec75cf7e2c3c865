/*
 * The client's routes, kill switch and DNS hook against the kernel, in a
 * network and mount namespace of our own (unshare in main, a tmpfs on
 * /run): nothing of the host is touched, not its routes, its nftables
 * ruleset or its /run.  Each case builds a veth pair (the "outer" link,
 * with a default route through a gateway on it) and a TUN device, and
 * reads the results back with RTM_GETROUTE, route dumps and libnftables,
 * never with `ip` or `nft`.  Needs root; without it, every case but the
 * hook's is skipped.
 */
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <nftables/libnftables.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/routes.h"
#include "io/tun.h"
#include "test_run.h"

#define OUTER	   "rv0"
#define OUTER_PEER "rv1"
#define TUN	   "rt0"
#define GW4	   "192.0.2.1"
#define GW6	   "2001:db8:1::1"
#define SERVER4	   "203.0.113.5"
#define SERVER6	   "2001:db8:99::5"
#define SNAP_MAX   8192

static bool netns_ok;
static char netns_why[160];

#define NEED_NETNS()                                                           \
	do {                                                                   \
		if (!netns_ok) {                                               \
			print_message("skipped: %s\n", netns_why);             \
			skip();                                                \
		}                                                              \
	} while (0)

struct fix {
	struct nl nl;
	int tun_fd;
	int tun_idx, outer_idx;
};

static void
pton(int family, const char *s, void *out)
{
	assert_int_equal(inet_pton(family, s, out), 1);
}

/* One RTM_NEWLINK / RTM_DELLINK request on a fresh socket, acked. */
static int
link_talk(struct nlmsghdr *nlh)
{
	alignas(struct nlmsghdr) char buf[8192];
	struct mnl_socket *s = mnl_socket_open(NETLINK_ROUTE);
	uint32_t portid;
	ssize_t n;
	int r;

	assert_non_null(s);
	assert_int_equal(mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID), 0);
	portid = mnl_socket_get_portid(s);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	assert_true(mnl_socket_sendto(s, nlh, nlh->nlmsg_len) >= 0);
	n = mnl_socket_recvfrom(s, buf, sizeof(buf));
	assert_true(n > 0);
	r = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, NULL, NULL);
	mnl_socket_close(s);
	return r < 0 ? -errno : 0;
}

/* A veth pair OUTER / OUTER_PEER (no dummy driver on every kernel). */
static void
veth_add(void)
{
	alignas(struct nlmsghdr) char buf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *li, *data, *peer;
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, OUTER);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, OUTER_PEER);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	assert_int_equal(link_talk(nlh), 0);
}

static void
link_del(int idx)
{
	alignas(struct nlmsghdr) char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_DELLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = idx;
	link_talk(nlh);
}

static void settle(int idx);

/*
 * The outer link: OUTER with 192.0.2.2/24 and 2001:db8:1::2/64, default
 * routes through GW4 and GW6 (proto boot, as a DHCP client or an
 * administrator would leave them); the TUN up with its addresses.
 */
static int
fix_setup(void **state)
{
	struct fix *f;
	uint8_t a[16], p[16], gw[16];
	int lo;

	if (!netns_ok)
		return 0;
	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(nl_open(&f->nl), 0);
	lo = nl_link_index("lo");
	assert_int_equal(nl_link_set(&f->nl, lo, true, 0), 0);
	veth_add();
	f->outer_idx = nl_link_index(OUTER);
	assert_true(f->outer_idx > 0);
	assert_int_equal(nl_link_set(&f->nl, f->outer_idx, true, 0), 0);
	assert_int_equal(
	    nl_link_set(&f->nl, nl_link_index(OUTER_PEER), true, 0), 0);
	pton(AF_INET, "192.0.2.2", a);
	assert_int_equal(
	    nl_addr(&f->nl, false, f->outer_idx, AF_INET, a, 24, NULL), 0);
	pton(AF_INET6, "2001:db8:1::2", a);
	assert_int_equal(
	    nl_addr(&f->nl, false, f->outer_idx, AF_INET6, a, 64, NULL), 0);
	pton(AF_INET, GW4, gw);
	assert_int_equal(nl_route(&f->nl, false,
			     &(struct nl_route) { .family = AF_INET,
				 .gw = gw,
				 .ifindex = f->outer_idx,
				 .protocol = RTPROT_BOOT }),
	    0);
	pton(AF_INET6, GW6, gw);
	assert_int_equal(nl_route(&f->nl, false,
			     &(struct nl_route) { .family = AF_INET6,
				 .gw = gw,
				 .ifindex = f->outer_idx,
				 .protocol = RTPROT_BOOT }),
	    0);
	settle(f->outer_idx);
	settle(nl_link_index(OUTER_PEER));
	f->tun_fd = tun_open(TUN, false, (char[IFNAMSIZ]) { 0 });
	assert_true(f->tun_fd >= 0);
	f->tun_idx = nl_link_index(TUN);
	assert_true(f->tun_idx > 0);
	assert_int_equal(nl_link_set(&f->nl, f->tun_idx, true, 1400), 0);
	pton(AF_INET, "10.9.0.2", a);
	pton(AF_INET, "10.9.0.1", p);
	assert_int_equal(
	    nl_addr(&f->nl, false, f->tun_idx, AF_INET, a, 32, p), 0);
	pton(AF_INET6, "fd09::2", a);
	assert_int_equal(
	    nl_addr(&f->nl, false, f->tun_idx, AF_INET6, a, 64, NULL), 0);
	*state = f;
	return 0;
}

static int
fix_teardown(void **state)
{
	struct fix *f = *state;

	if (f == NULL)
		return 0;
	if (f->tun_fd >= 0)
		close(f->tun_fd);
	link_del(f->outer_idx);
	nl_close(&f->nl);
	free(f);
	*state = NULL;
	return 0;
}

/* Every route of the main table, one sorted line each, in snap. */
struct snap {
	char lines[64][96];
	size_t n;
	int skip_oif; /* leave out routes out of this device (0: none) */
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
snap_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct snap *s = arg;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct route_attrs ra = { 0 };
	char d[INET6_ADDRSTRLEN] = "default", g[INET6_ADDRSTRLEN] = "-";
	uint32_t table = rtm->rtm_table;
	int oif = 0;

	mnl_attr_parse(nlh, sizeof(*rtm), attr_collect, &ra);
	if (ra.a[RTA_TABLE] != NULL)
		table = mnl_attr_get_u32(ra.a[RTA_TABLE]);
	if (table != RT_TABLE_MAIN)
		return MNL_CB_OK;
	if (ra.a[RTA_OIF] != NULL)
		oif = (int)mnl_attr_get_u32(ra.a[RTA_OIF]);
	if (s->skip_oif != 0 && oif == s->skip_oif)
		return MNL_CB_OK;
	if (ra.a[RTA_DST] != NULL)
		inet_ntop(rtm->rtm_family, mnl_attr_get_payload(ra.a[RTA_DST]),
		    d, sizeof(d));
	if (ra.a[RTA_GATEWAY] != NULL)
		inet_ntop(rtm->rtm_family,
		    mnl_attr_get_payload(ra.a[RTA_GATEWAY]), g, sizeof(g));
	assert_true(s->n < ARRAY_LEN(s->lines));
	snprintf(s->lines[s->n++], sizeof(s->lines[0]),
	    "%s/%u via %s oif %d proto %u", d, rtm->rtm_dst_len, g, oif,
	    rtm->rtm_protocol);
	return MNL_CB_OK;
}

static void
dump_routes(int family, struct snap *s)
{
	alignas(struct nlmsghdr) char buf[32768];
	struct mnl_socket *sock;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	uint32_t seq = (uint32_t)time(NULL), portid;
	ssize_t n;
	int r;

	sock = mnl_socket_open(NETLINK_ROUTE);
	assert_non_null(sock);
	assert_int_equal(mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID), 0);
	portid = mnl_socket_get_portid(sock);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	assert_true(mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) >= 0);
	do {
		n = mnl_socket_recvfrom(sock, buf, sizeof(buf));
		assert_true(n > 0);
		r = mnl_cb_run(buf, (size_t)n, seq, portid, snap_cb, s);
		assert_true(r >= 0);
	} while (r > MNL_CB_STOP);
	mnl_socket_close(sock);
}

static int
line_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
snap_take(struct snap *s, int skip_oif)
{
	memset(s, 0, sizeof(*s));
	s->skip_oif = skip_oif;
	dump_routes(AF_INET, s);
	dump_routes(AF_INET6, s);
	qsort(s->lines, s->n, sizeof(s->lines[0]), line_cmp);
}

static void
snap_equal(const struct snap *a, const struct snap *b)
{
	size_t i;

	if (a->n != b->n) {
		for (i = 0; i < a->n; i++)
			print_message("before: %s\n", a->lines[i]);
		for (i = 0; i < b->n; i++)
			print_message("after:  %s\n", b->lines[i]);
	}

	for (i = 0; i < a->n && i < b->n; i++)
		assert_string_equal(a->lines[i], b->lines[i]);
	assert_int_equal(a->n, b->n);
}

/*
 * IPv6 brings a veth's link-local route up when the carrier comes, a
 * moment after the link is set up: wait for it, so that no route comes
 * between two snapshots.
 */
static void
settle(int idx)
{
	struct snap s;
	char want[64];
	size_t i;
	int tries;

	snprintf(want, sizeof(want), "fe80::/64 via - oif %d ", idx);
	for (tries = 0; tries < 300; tries++) {
		snap_take(&s, 0);
		for (i = 0; i < s.n; i++)
			if (strncmp(s.lines[i], want, strlen(want)) == 0)
				return;
		usleep(10000);
	}
	fail_msg("no link-local route on #%d after 3 s", idx);
}

/* How many routes of the client (protocol ROUTES_PROTO) there are. */
static size_t
client_route_count(void)
{
	struct snap s;
	char tag[32];
	size_t i, n = 0;

	snap_take(&s, 0);
	snprintf(tag, sizeof(tag), " proto %u", ROUTES_PROTO);
	for (i = 0; i < s.n; i++)
		if (strstr(s.lines[i], tag) != NULL)
			n++;
	return n;
}

/* The way the kernel sends to dst: out of ifindex, through gw or not. */
static void
goes(struct fix *f, int family, const char *dst, int ifindex, const char *gw)
{
	struct nl_route_info ri;
	uint8_t d[16], g[16];

	pton(family, dst, d);
	assert_int_equal(nl_route_get(&f->nl, family, d, &ri), 0);
	if (ri.ifindex != ifindex)
		fail_msg(
		    "%s goes out of #%d, not #%d", dst, ri.ifindex, ifindex);
	if (gw == NULL) {
		assert_false(ri.has_gw);
	} else {
		pton(family, gw, g);
		assert_true(ri.has_gw);
		assert_memory_equal(ri.gw, g, family == AF_INET ? 4 : 16);
	}
}

static void
sockaddr_of(const char *addr, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':') != NULL) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		pton(AF_INET6, addr, &s6->sin6_addr);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		pton(AF_INET, addr, &s4->sin_addr);
	}
}

static bool
state_exists(void)
{
	struct client_routes r;

	routes_init(&r, TUN, 0);
	return access(r.state_path, F_OK) == 0;
}

/* keep_outside for both servers, both default routes, one listed. */
static void
bring_up(struct fix *f, struct client_routes *r)
{
	struct sockaddr_storage s4, s6;
	struct ip_prefix p;

	sockaddr_of(SERVER4, 443, &s4);
	sockaddr_of(SERVER6, 443, &s6);
	routes_init(r, TUN, f->tun_idx);
	/* Not init's network namespace: its inode in the name. */
	assert_memory_equal(r->state_path, ROUTES_STATE_DIR "/" TUN "@net",
	    strlen(ROUTES_STATE_DIR "/" TUN "@net"));
	assert_int_equal(
	    routes_keep_outside(r, &f->nl, (struct sockaddr *)&s4), 0);
	assert_int_equal(
	    routes_keep_outside(r, &f->nl, (struct sockaddr *)&s6), 0);
	/* Twice is once. */
	assert_int_equal(
	    routes_keep_outside(r, &f->nl, (struct sockaddr *)&s4), 0);
	assert_int_equal(routes_default(r, &f->nl, AF_INET), 0);
	assert_int_equal(routes_default(r, &f->nl, AF_INET6), 0);
	assert_true(prefix_parse("198.51.100.0/24", false, &p));
	assert_int_equal(routes_add(r, &f->nl, &p), 0);
	assert_int_equal(r->nadded, 7);
}

static void
check_up(struct fix *f)
{
	/* The server the old way; everything else into the TUN. */
	goes(f, AF_INET, SERVER4, f->outer_idx, GW4);
	goes(f, AF_INET6, SERVER6, f->outer_idx, GW6);
	goes(f, AF_INET, "8.8.8.8", f->tun_idx, NULL);
	goes(f, AF_INET, "203.0.113.6", f->tun_idx, NULL);
	goes(f, AF_INET, "198.51.100.7", f->tun_idx, NULL);
	goes(f, AF_INET6, "2a00:1450::1", f->tun_idx, NULL);
	goes(f, AF_INET6, "fc00::1", f->tun_idx, NULL);
	goes(f, AF_INET6, "2001:db8:99::6", f->tun_idx, NULL);
	/* The outer link's own subnet stays on it (longer prefix). */
	goes(f, AF_INET, "192.0.2.77", f->outer_idx, NULL);
	assert_int_equal(client_route_count(), 7);
	assert_true(state_exists());
}

static void
check_down(struct fix *f)
{
	goes(f, AF_INET, "8.8.8.8", f->outer_idx, GW4);
	goes(f, AF_INET6, "2a00:1450::1", f->outer_idx, GW6);
	goes(f, AF_INET, SERVER4, f->outer_idx, GW4);
	assert_int_equal(client_route_count(), 0);
	assert_false(state_exists());
}

static void
default_route_keeps_the_server_outside_and_down_restores(void **state)
{
	struct fix *f = *state;
	struct client_routes r;
	struct snap before, after;
	char buf[1024];
	int fd;
	ssize_t n;

	NEED_NETNS();
	routes_recover(&f->nl, TUN); /* nothing to do */
	snap_take(&before, 0);
	goes(f, AF_INET, "8.8.8.8", f->outer_idx, GW4);
	bring_up(f, &r);
	check_up(f);
	/* The state names every route, the server's first. */
	fd = open(r.state_path, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "route 4 " SERVER4 " 32 " GW4));
	assert_non_null(strstr(buf, "route 6 " SERVER6 " 128 " GW6));
	assert_non_null(strstr(buf, "route 4 0.0.0.0 1 - "));
	assert_non_null(strstr(buf, "route 4 128.0.0.0 1 - "));
	assert_non_null(strstr(buf, "route 6 :: 1 - "));
	assert_non_null(strstr(buf, "route 6 8000:: 1 - "));
	assert_non_null(strstr(buf, "route 4 198.51.100.0 24 - "));
	assert_true(strstr(buf, SERVER4) < strstr(buf, "0.0.0.0"));
	routes_down(&r, &f->nl);
	assert_int_equal(r.nadded, 0);
	check_down(f);
	snap_take(&after, 0);
	snap_equal(&before, &after);
}

static void
listed_routes_only(void **state)
{
	struct fix *f = *state;
	struct client_routes r;
	struct ip_prefix p;
	struct snap before, after;

	NEED_NETNS();
	snap_take(&before, 0);
	routes_init(&r, TUN, f->tun_idx);
	assert_true(prefix_parse("10.50.0.0/16", false, &p));
	assert_int_equal(routes_add(&r, &f->nl, &p), 0);
	assert_true(prefix_parse("fd50::/48", false, &p));
	assert_int_equal(routes_add(&r, &f->nl, &p), 0);
	goes(f, AF_INET, "10.50.3.4", f->tun_idx, NULL);
	goes(f, AF_INET6, "fd50::1", f->tun_idx, NULL);
	goes(f, AF_INET, "8.8.8.8", f->outer_idx, GW4);
	goes(f, AF_INET6, "2a00:1450::1", f->outer_idx, GW6);
	assert_int_equal(client_route_count(), 2);
	routes_down(&r, &f->nl);
	assert_int_equal(client_route_count(), 0);
	snap_take(&after, 0);
	snap_equal(&before, &after);
}

static void
server_through_the_tun_is_refused(void **state)
{
	struct fix *f = *state;
	struct client_routes r;
	struct sockaddr_storage s4;

	NEED_NETNS();
	routes_init(&r, TUN, f->tun_idx);
	assert_int_equal(routes_default(&r, &f->nl, AF_INET), 0);
	sockaddr_of(SERVER4, 443, &s4);
	assert_int_equal(
	    routes_keep_outside(&r, &f->nl, (struct sockaddr *)&s4), -ELOOP);
	/* A server on this host needs no route. */
	sockaddr_of("127.0.0.1", 443, &s4);
	assert_int_equal(
	    routes_keep_outside(&r, &f->nl, (struct sockaddr *)&s4), 0);
	assert_int_equal(r.nadded, 2);
	routes_down(&r, &f->nl);
	assert_int_equal(client_route_count(), 0);
}

/* A client killed with SIGKILL: its routes stay, the next start undoes. */
static void
recover_after_sigkill(void **state)
{
	struct fix *f = *state;
	struct client_routes r;
	struct snap before, after;
	pid_t pid;
	int status;

	NEED_NETNS();
	snap_take(&before, 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct nl nl;

		if (nl_open(&nl) < 0)
			_exit(1);
		routes_init(&r, TUN, f->tun_idx);
		f->nl = nl;
		bring_up(f, &r);
		raise(SIGKILL);
		_exit(2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	check_up(f);
	routes_recover(&f->nl, TUN);
	check_down(f);
	snap_take(&after, 0);
	snap_equal(&before, &after);
	/* Once is enough: nothing left the second time. */
	routes_recover(&f->nl, TUN);
	assert_false(state_exists());
}

/*
 * Killed, and its TUN gone with it (the usual case): the routes through
 * the TUN went by themselves; the server's host route did not, and the
 * next start removes it, along with the kill switch's table.
 */
static void
recover_after_the_tun_went(void **state)
{
	struct fix *f = *state;
	struct client_routes r;
	struct snap before, after;
	struct sockaddr_storage s4;
	const struct sockaddr *sv[1] = { (struct sockaddr *)&s4 };
	char err[256] = "";
	struct nft_ctx *nft;

	NEED_NETNS();
	snap_take(&before, f->tun_idx);
	bring_up(f, &r);
	sockaddr_of(SERVER4, 443, &s4);
	assert_int_equal(killswitch_on(TUN, sv, 1, err, sizeof(err)), 0);
	close(f->tun_fd);
	f->tun_fd = -1;
	assert_int_equal(client_route_count(), 2); /* the servers' */
	goes(f, AF_INET, "8.8.8.8", f->outer_idx, GW4);
	routes_recover(&f->nl, TUN);
	assert_int_equal(client_route_count(), 0);
	assert_false(state_exists());
	snap_take(&after, f->tun_idx);
	snap_equal(&before, &after);
	nft = nft_ctx_new(NFT_CTX_DEFAULT);
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	assert_int_not_equal(
	    nft_run_cmd_from_buffer(nft, "list table inet opensstp_" TUN), 0);
	nft_ctx_free(nft);
}

/* "list table inet opensstp_TUN": its text, or NULL when there is none. */
static char *
ks_list(void)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	char *out = NULL;

	assert_non_null(nft);
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	if (nft_run_cmd_from_buffer(nft, "list table inet opensstp_" TUN) == 0)
		out = strdup(nft_ctx_get_output_buffer(nft));
	nft_ctx_free(nft);
	return out;
}

/* errno of a UDP datagram to addr:port (0 when it was sent). */
static int
udp_send_port(const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	int s, e = 0;

	sockaddr_of(addr, port, &ss);
	s = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	if (sendto(s, "x", 1, 0, (struct sockaddr *)&ss,
		ss.ss_family == AF_INET ? sizeof(struct sockaddr_in)
					: sizeof(struct sockaddr_in6)) < 0)
		e = errno;
	close(s);
	return e;
}

static int
udp_send(const char *addr)
{
	return udp_send_port(addr, 9);
}

static void
kill_switch_rules_and_effect(void **state)
{
	struct fix *f = *state;
	struct sockaddr_storage s4, s6;
	const struct sockaddr *sv[2] = { (struct sockaddr *)&s4,
		(struct sockaddr *)&s6 };
	char err[256] = "", *l;

	NEED_NETNS();
	(void)f;
	assert_null(ks_list());
	/* Before: the outer link takes anything. */
	assert_int_equal(udp_send("8.8.8.8"), 0);
	sockaddr_of(SERVER4, 443, &s4);
	sockaddr_of(SERVER6, 8443, &s6);
	assert_int_equal(killswitch_on(TUN, sv, 2, err, sizeof(err)), 0);
	l = ks_list();
	assert_non_null(l);
	print_message("%s", l);
	assert_non_null(strstr(l, "hook output priority filter; policy drop;"));
	assert_non_null(strstr(l, "oifname \"lo\" accept"));
	assert_non_null(strstr(l, "oifname \"" TUN "\" accept"));
	assert_non_null(strstr(l, "ip daddr " SERVER4 " tcp dport 443 accept"));
	assert_non_null(
	    strstr(l, "ip6 daddr " SERVER6 " tcp dport 8443 accept"));
	free(l);
	/* Outside: dropped in output (EPERM); the server and the TUN: not. */
	assert_int_equal(udp_send("8.8.8.8"), EPERM);
	assert_int_equal(udp_send("2a00:1450::1"), EPERM);
	assert_int_equal(udp_send(GW4), EPERM);
	/* Only TCP to the server's port (a dropped SYN is not reported to
	 * connect(), so the TCP rules are checked in the listing above). */
	assert_int_equal(udp_send_port(SERVER4, 443), EPERM);
	assert_int_equal(udp_send("10.9.0.1"), 0);
	assert_int_equal(udp_send("127.0.0.1"), 0);
	/* On again with another server: replaced, in one piece. */
	sockaddr_of("198.51.100.9", 4433, &s4);
	assert_int_equal(killswitch_on(TUN, sv, 1, err, sizeof(err)), 0);
	l = ks_list();
	assert_non_null(l);
	assert_null(strstr(l, SERVER4));
	assert_null(strstr(l, SERVER6));
	assert_non_null(
	    strstr(l, "ip daddr 198.51.100.9 tcp dport 4433 accept"));
	free(l);
	killswitch_off(TUN);
	assert_null(ks_list());
	assert_int_equal(udp_send("8.8.8.8"), 0);
	/* Off twice is fine. */
	killswitch_off(TUN);
	/* A name nft would not take is refused with a message. */
	assert_int_equal(
	    killswitch_on("bad name\"", sv, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "device name"));
	s4.ss_family = AF_UNIX;
	assert_int_equal(killswitch_on(TUN, sv, 1, err, sizeof(err)), -1);
	assert_null(ks_list());
}

/* The hook: its argument, environment, exit status, and its time limit. */
static char hook_dir[64];

static void
write_script(const char *path, const char *body)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\n%s", body);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, 0755), 0);
}

static char *
slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

static void
dns_info_fill(struct dns_info *d)
{
	*d = (struct dns_info) {
		.event = "up", .tun = TUN, .server = "vpn.test"
	};
	snprintf(d->dns4[0], sizeof(d->dns4[0]), "10.77.0.53");
	snprintf(d->dns4[1], sizeof(d->dns4[1]), "10.77.0.54");
	d->ndns4 = 2;
	snprintf(d->dns6[0], sizeof(d->dns6[0]), "fd77::53");
	d->ndns6 = 1;
	snprintf(d->ipv4, sizeof(d->ipv4), "10.77.0.2");
	snprintf(d->peer4, sizeof(d->peer4), "10.77.0.1");
	snprintf(d->ipv6, sizeof(d->ipv6), "fd77:0:0:1::2");
}

static void
dns_hook_gets_the_documented_environment(void **state)
{
	char script[128], out[128], *env;
	struct dns_info d;

	(void)state;
	snprintf(hook_dir, sizeof(hook_dir), "/tmp/opensstp-hook.XXXXXX");
	assert_non_null(mkdtemp(hook_dir));
	snprintf(script, sizeof(script), "%s/hook", hook_dir);
	snprintf(out, sizeof(out), "%s/env", hook_dir);
	write_script(script,
	    "{ echo \"arg=$1 argc=$#\"; env | grep '^OPENSSTP_' | sort;"
	    " echo \"keep=$KEEP_ME\"; } >\"$HOOK_OUT\"\nexit 3\n");
	setenv("HOOK_OUT", out, 1);
	setenv("KEEP_ME", "yes", 1);
	setenv("OPENSSTP_STALE", "from-the-caller", 1);
	dns_info_fill(&d);
	assert_int_equal(dns_hook_run(script, &d), 3);
	env = slurp(out);
	print_message("%s", env);
	assert_string_equal(env,
	    "arg=up argc=1\n"
	    "OPENSSTP_DNS4=10.77.0.53 10.77.0.54\n"
	    "OPENSSTP_DNS6=fd77::53\n"
	    "OPENSSTP_EVENT=up\n"
	    "OPENSSTP_IPV4=10.77.0.2\n"
	    "OPENSSTP_IPV6=fd77:0:0:1::2\n"
	    "OPENSSTP_PEER4=10.77.0.1\n"
	    "OPENSSTP_SERVER=vpn.test\n"
	    "OPENSSTP_TUN=" TUN "\n"
	    "keep=yes\n");
	/* down, no servers: empty variables, exit 0. */
	d.event = "down";
	d.ndns4 = d.ndns6 = 0;
	write_script(script,
	    "env | grep -E '^OPENSSTP_(EVENT|DNS4|DNS6)=' | sort "
	    ">\"$HOOK_OUT\"\n");
	assert_int_equal(dns_hook_run(script, &d), 0);
	assert_string_equal(slurp(out),
	    "OPENSSTP_DNS4=\nOPENSSTP_DNS6=\nOPENSSTP_EVENT=down\n");
	/* Not there, not executable: 127 from the child. */
	snprintf(script, sizeof(script), "%s/none", hook_dir);
	assert_int_equal(dns_hook_run(script, &d), 127);
	unsetenv("OPENSSTP_STALE");
}

/* Running or stopped: not gone, and not a zombie nobody reaped yet. */
static bool
alive(int pid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* "PID (comm) STATE ...": comm may hold spaces, not ')' last. */
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

static void
dns_hook_killed_after_its_time(void **state)
{
	char script[128], out[128], *pids;
	struct timespec t0, t1;
	struct dns_info d;
	long ms;
	int sh, child;

	(void)state;
	if (hook_dir[0] == '\0') {
		snprintf(
		    hook_dir, sizeof(hook_dir), "/tmp/opensstp-hook.XXXXXX");
		assert_non_null(mkdtemp(hook_dir));
	}
	snprintf(script, sizeof(script), "%s/slow", hook_dir);
	snprintf(out, sizeof(out), "%s/pids", hook_dir);
	setenv("HOOK_OUT", out, 1);
	/* The hook and a child of its own, both hung. */
	write_script(
	    script, "sleep 30 &\necho \"$$ $!\" >\"$HOOK_OUT\"\nwait\n");
	dns_info_fill(&d);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(dns_hook_run_timeout(script, &d, 400), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(ms >= 400 && ms < 3000);
	pids = slurp(out);
	assert_int_equal(sscanf(pids, "%d %d", &sh, &child), 2);
	/* The hook is reaped; its child was killed with its group. */
	assert_int_equal(kill(sh, 0), -1);
	assert_int_equal(errno, ESRCH);
	for (int i = 0; i < 100 && alive(child); i++)
		usleep(10000);
	assert_false(alive(child));
	unlink(out);
	unlink(script);
	snprintf(script, sizeof(script), "%s/hook", hook_dir);
	unlink(script);
	snprintf(script, sizeof(script), "%s/env", hook_dir);
	unlink(script);
	rmdir(hook_dir);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    default_route_keeps_the_server_outside_and_down_restores,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    listed_routes_only, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    server_through_the_tun_is_refused, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    recover_after_sigkill, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    recover_after_the_tun_went, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    kill_switch_rules_and_effect, fix_setup, fix_teardown),
		cmocka_unit_test(dns_hook_gets_the_documented_environment),
		cmocka_unit_test(dns_hook_killed_after_its_time),
	};

	if (geteuid() != 0)
		snprintf(netns_why, sizeof(netns_why), "needs root");
	else if (access("/dev/net/tun", R_OK | W_OK) != 0)
		snprintf(netns_why, sizeof(netns_why), "no /dev/net/tun: %s",
		    strerror(errno));
	else if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0)
		snprintf(netns_why, sizeof(netns_why),
		    "unshare(CLONE_NEWNET | CLONE_NEWNS): %s", strerror(errno));
	/* Our own /run: the state files never reach the host's. */
	else if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("opensstp-test", "/run", "tmpfs", 0, "mode=0755") < 0)
		snprintf(netns_why, sizeof(netns_why),
		    "a private tmpfs on /run: %s", strerror(errno));
	else
		netns_ok = true;
	return test_run(argc, argv, "client_routes", tests, ARRAY_LEN(tests));
}

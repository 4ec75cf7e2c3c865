#include "netlink.h"

#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdalign.h>
#include <string.h>
#include <time.h>

/*
 * Requests are a header and a few attributes; the replies read here (one
 * route, or an ack echoing the request) are as small.  Constants, as
 * MNL_SOCKET_BUFFER_SIZE is not one.
 */
#define NL_REQ 512
#define NL_BUF 8192

typedef void (*nl_reply_cb)(const struct nlmsghdr *nlh, void *arg);

int
nl_open(struct nl *nl)
{
	int err;

	*nl = (struct nl) { 0 };
	if ((nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL)
		return -errno;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Not 0, so that a reply of an earlier socket is never ours. */
	nl->seq = (uint32_t)time(NULL);
	return 0;
}

void
nl_close(struct nl *nl)
{
	if (nl->sock != NULL)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

int
nl_link_index(const char *name)
{
	unsigned idx = if_nametoindex(name);

	return idx != 0 ? (int)idx : -ENODEV;
}

static size_t
addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/*
 * Send nlh (NLM_F_REQUEST | NLM_F_ACK added) and read until the kernel's
 * ack or error for it; replies to it before the ack go to cb.  Messages
 * of other sequence numbers (a request abandoned earlier) are skipped.
 */
static int
nl_talk(struct nl *nl, struct nlmsghdr *nlh, nl_reply_cb cb, void *arg)
{
	alignas(struct nlmsghdr) char buf[NL_BUF];
	const struct nlmsgerr *e;
	const struct nlmsghdr *r;
	uint32_t seq;
	ssize_t n;
	int left;

	if (nl->sock == NULL)
		return -EBADF;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		if ((n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf))) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		r = (const struct nlmsghdr *)buf;
		left = (int)n;
		for (; mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left)) {
			if (r->nlmsg_seq != seq ||
			    (r->nlmsg_pid != 0 && r->nlmsg_pid != nl->portid))
				continue;
			if (r->nlmsg_type == NLMSG_ERROR) {
				if (r->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
					return -EPROTO;
				e = mnl_nlmsg_get_payload(r);
				return e->error;
			}
			if (r->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb != NULL && r->nlmsg_type >= NLMSG_MIN_TYPE)
				cb(r, arg);
		}
	}
}

int
nl_link_set(struct nl *nl, int ifindex, bool up, unsigned mtu)
{
	alignas(struct nlmsghdr) char buf[NL_REQ];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (mtu != 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_talk(nl, nlh, NULL, NULL);
}

int
nl_addr(struct nl *nl, bool del, int ifindex, int family, const void *addr,
    unsigned prefixlen, const void *peer)
{
	alignas(struct nlmsghdr) char buf[NL_REQ];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	size_t alen = addr_len(family);
	struct ifaddrmsg *ifa;

	if (alen == 0 || prefixlen > alen * 8)
		return -EINVAL;
	nlh->nlmsg_type = del ? RTM_DELADDR : RTM_NEWADDR;
	if (!del)
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefixlen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, peer != NULL ? peer : addr);
	if (family == AF_INET6 && !del) {
		/* No duplicate detection: nobody else is on a PPP link. */
		ifa->ifa_flags = IFA_F_NODAD;
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	}
	return nl_talk(nl, nlh, NULL, NULL);
}

int
nl_route(struct nl *nl, bool del, const struct nl_route *r)
{
	alignas(struct nlmsghdr) char buf[NL_REQ];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	size_t alen = addr_len(r->family);
	uint32_t table = r->table != 0 ? r->table : RT_TABLE_MAIN;
	struct rtmsg *rtm;

	if (alen == 0 || (r->dst != NULL && r->prefixlen > alen * 8))
		return -EINVAL;
	nlh->nlmsg_type = del ? RTM_DELROUTE : RTM_NEWROUTE;
	if (!del)
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)r->family;
	rtm->rtm_dst_len = r->dst != NULL ? (uint8_t)r->prefixlen : 0;
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_type = RTN_UNICAST;
	/* A delete matches any scope, as `ip route del` does. */
	if (del)
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	else
		rtm->rtm_scope =
		    r->gw != NULL ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (r->dst != NULL)
		mnl_attr_put(nlh, RTA_DST, alen, r->dst);
	if (r->gw != NULL)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->gw);
	if (r->ifindex != 0)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->ifindex);
	if (r->metric != 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	return nl_talk(nl, nlh, NULL, NULL);
}

struct route_get {
	struct nl_route_info *out;
	size_t alen;
	bool found;
};

static int
route_attr(const struct nlattr *a, void *arg)
{
	struct route_get *g = arg;
	struct nl_route_info *out = g->out;

	switch (mnl_attr_get_type(a)) {
	case RTA_GATEWAY:
		if (mnl_attr_get_payload_len(a) != g->alen)
			break;
		memcpy(out->gw, mnl_attr_get_payload(a), g->alen);
		out->has_gw = true;
		break;
	case RTA_PREFSRC:
		if (mnl_attr_get_payload_len(a) != g->alen)
			break;
		memcpy(out->src, mnl_attr_get_payload(a), g->alen);
		out->has_src = true;
		break;
	case RTA_OIF:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			out->ifindex = (int)mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

static void
route_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct route_get *g = arg;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct rtmsg)))
		return;
	g->found = true;
	mnl_attr_parse(nlh, sizeof(struct rtmsg), route_attr, g);
}

int
nl_route_get(
    struct nl *nl, int family, const void *dst, struct nl_route_info *out)
{
	alignas(struct nlmsghdr) char buf[NL_REQ];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct route_get g = { .out = out, .alen = addr_len(family) };
	struct rtmsg *rtm;
	int err;

	if (g.alen == 0)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->family = family;
	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)(g.alen * 8);
	mnl_attr_put(nlh, RTA_DST, g.alen, dst);
	if ((err = nl_talk(nl, nlh, route_reply, &g)) < 0)
		return err;
	return g.found ? 0 : -ENOENT;
}

/*
 * Addresses, routes, link state and MTU over rtnetlink, with libmnl
 * (DESIGN.md: the programs never run `ip`).  Synchronous: each call sends
 * one request with NLM_F_ACK and waits for the kernel's answer, so it is
 * for set-up and tear-down, never the data path.  Addresses are in network
 * byte order (struct in_addr / in6_addr bytes); family is AF_INET or
 * AF_INET6.  Every call returns 0 or -errno (the kernel's error).
 */
#ifndef OPENSSTP_IO_NETLINK_H
#define OPENSSTP_IO_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

struct mnl_socket;

struct nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
};

int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/* ifindex of name, or -ENODEV. */
int nl_link_index(const char *name);
/* Set the link up or down, and its MTU when mtu is not 0. */
int nl_link_set(struct nl *nl, int ifindex, bool up, unsigned mtu);
/*
 * Add (or with del, remove) an address on ifindex.  peer, when not NULL,
 * makes it a point-to-point address (IFA_ADDRESS = peer, IFA_LOCAL =
 * addr), as for a PPP link's IPv4 pair.  Adding an address that exists
 * is not an error (NLM_F_REPLACE).  IPv6 addresses are added with
 * IFA_F_NODAD (a PPP link has no other host to collide with).
 */
int nl_addr(struct nl *nl, bool del, int ifindex, int family, const void *addr,
    unsigned prefixlen, const void *peer);
/*
 * Add (NLM_F_REPLACE) or remove a unicast route dst/prefixlen out of
 * ifindex, through gateway gw when not NULL, with route protocol proto
 * (RTPROT_STATIC, or an operator's number) and metric (0: none).
 */
struct nl_route {
	int family;
	const void *dst; /* NULL: the default route */
	unsigned prefixlen;
	const void *gw; /* NULL: on-link */
	int ifindex; /* 0: let the kernel choose from gw */
	uint8_t protocol;
	uint32_t metric;
	uint32_t table; /* 0: main */
};
int nl_route(struct nl *nl, bool del, const struct nl_route *r);
/*
 * The route the kernel would use to reach dst (RTM_GETROUTE): its gateway
 * (all zero when on-link), output ifindex and preferred source.  For the
 * client's route to the server that stays outside the tunnel.
 */
struct nl_route_info {
	int family;
	bool has_gw;
	uint8_t gw[16];
	int ifindex;
	bool has_src;
	uint8_t src[16];
};
int nl_route_get(
    struct nl *nl, int family, const void *dst, struct nl_route_info *out);

#endif

/*
 * The IPv6 control traffic a PPP link carries besides IPv6CP, as Windows
 * clients expect it (spec/ppp.md 9): Router Solicitation and
 * Advertisement (RFC 4861) giving the client its /64, and stateless
 * DHCPv6 (RFC 8415 Information-Request / Reply) giving it the DNS
 * servers.  Whole IPv6 datagrams in and out; pure, bounded and total:
 * every parser checks lengths, hop limits, addresses and the checksum,
 * and answers false (or IPV6_CTL_OTHER) for anything else.
 *
 * Addresses on the link are link-local fe80::IID with the IIDs IPv6CP
 * negotiated; the server sends RAs to ff02::1 (unsolicited) or to the
 * client's link-local (answering an RS), and answers DHCPv6 from its
 * link-local to the client's.
 */
#ifndef OPENSSTP_PPP_IPV6_CTL_H
#define OPENSSTP_PPP_IPV6_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPV6_CTL_IID_LEN  8
#define IPV6_CTL_MAX_DNS  3
#define IPV6_CTL_DUID_MAX 130 /* RFC 8415 11.1: 128 + type */
#define IPV6_CTL_PKT_MAX  512 /* the largest packet built here */

enum ipv6_ctl_kind {
	IPV6_CTL_OTHER, /* not ours: route it */
	IPV6_CTL_RS, /* ICMPv6 133 */
	IPV6_CTL_RA, /* ICMPv6 134 */
	IPV6_CTL_DHCP6_INFO_REQUEST, /* UDP 546 -> 547, msg-type 11 */
	IPV6_CTL_DHCP6_REPLY, /* UDP 547 -> 546, msg-type 7 */
	IPV6_CTL_MALFORMED, /* looked like one of ours, but is broken: drop */
};

/*
 * What a datagram is, from its headers only (no extension headers are
 * followed: RS/RA/DHCPv6 from PPP peers carry none).  Cheap enough for
 * the data path: it looks at the next header and, for ICMPv6 and UDP, the
 * type or ports, and checks the checksum only when it is one of ours.
 */
enum ipv6_ctl_kind ipv6_ctl_classify(const uint8_t *pkt, size_t len);

/* fe80::iid */
void ipv6_ctl_link_local(const uint8_t iid[IPV6_CTL_IID_LEN], uint8_t out[16]);

struct ipv6_ra {
	uint8_t prefix[16]; /* the client's /64 (bytes beyond prefix_len 0) */
	uint8_t prefix_len; /* 64 */
	bool managed; /* M flag: no */
	bool other; /* O flag: yes, DHCPv6 for DNS */
	uint16_t router_lifetime_s; /* 1800: the server is the default router */
	uint32_t valid_s, preferred_s; /* prefix lifetimes: 86400, 14400 */
	uint32_t mtu; /* MTU option; 0: none */
	uint8_t dns[IPV6_CTL_MAX_DNS][16]; /* RDNSS option (RFC 8106) */
	size_t ndns;
	uint32_t dns_lifetime_s;
	/* Route Information option (RFC 4191 2.3): the server's networks,
	 * e.g. its whole IPv6 prefix, for the client to route to it. */
	uint8_t route[16];
	uint8_t route_len; /* 0: no option */
	uint32_t route_lifetime_s;
};

/*
 * Build a Router Solicitation from fe80::src_iid to ff02::2, or a Router
 * Advertisement from fe80::src_iid to dst (NULL: ff02::1).  Returns the
 * length written, 0 if cap is too small.
 */
size_t ipv6_ctl_build_rs(
    uint8_t *out, size_t cap, const uint8_t src_iid[IPV6_CTL_IID_LEN]);
size_t ipv6_ctl_build_ra(uint8_t *out, size_t cap,
    const uint8_t src_iid[IPV6_CTL_IID_LEN], const uint8_t *dst16,
    const struct ipv6_ra *ra);
/* Parse an RA (after classify said IPV6_CTL_RA); src16 gets its source. */
bool ipv6_ctl_parse_ra(
    const uint8_t *pkt, size_t len, struct ipv6_ra *ra, uint8_t src16[16]);
/* The source address of any datagram (for answering an RS). */
bool ipv6_ctl_source(const uint8_t *pkt, size_t len, uint8_t src16[16]);

struct dhcp6_request {
	uint8_t src[16]; /* the client's address: where the Reply goes */
	uint8_t xid[3];
	uint8_t client_id[IPV6_CTL_DUID_MAX]; /* Client Identifier, if any */
	size_t client_id_len;
};

/*
 * Client: an Information-Request from fe80::src_iid to ff02::1:2 asking
 * for DNS servers (Option Request 23), with transaction id xid and a
 * DUID-LL/DUID-UUID-free client identifier made from the IID (DUID-EN is
 * not needed: type 4 UUID from the IID is fine; any stable bytes do).
 */
size_t ipv6_ctl_build_info_request(uint8_t *out, size_t cap,
    const uint8_t src_iid[IPV6_CTL_IID_LEN], const uint8_t xid[3]);
bool ipv6_ctl_parse_info_request(
    const uint8_t *pkt, size_t len, struct dhcp6_request *req);
/*
 * Server: the Reply to req from fe80::src_iid, with its Server Identifier
 * (a DUID made from src_iid), the client's identifier echoed, and the DNS
 * Recursive Name Server option (23) when ndns > 0.
 */
size_t ipv6_ctl_build_reply(uint8_t *out, size_t cap,
    const uint8_t src_iid[IPV6_CTL_IID_LEN], const struct dhcp6_request *req,
    const uint8_t dns[][16], size_t ndns);
/* Client: the DNS servers of a Reply whose transaction id is xid. */
bool ipv6_ctl_parse_reply(const uint8_t *pkt, size_t len, const uint8_t xid[3],
    uint8_t dns[IPV6_CTL_MAX_DNS][16], size_t *ndns);

#endif

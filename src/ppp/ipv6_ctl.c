/*
 * RS/RA (RFC 4861) and stateless DHCPv6 (RFC 8415) over a PPP link: see
 * ipv6_ctl.h.  Every datagram is read through a struct rd and written
 * through a struct wr; the only raw indexing is the checksum loop over a
 * view whose length the reader has already checked.
 *
 * One rule keeps classify and the parsers from drifting apart: classify
 * picks a candidate from the next header and the ICMPv6 type or the UDP
 * ports, then answers the kind exactly when the matching parser accepts
 * the datagram, and IPV6_CTL_MALFORMED otherwise.
 */
#include "ppp/ipv6_ctl.h"

#include <string.h>

#include "base/rd.h"
#include "base/wr.h"

#define IP6_HDR_LEN   40
#define IP6_OFF_PLEN  4
#define IP6_OFF_SRC   8
#define IP6_OFF_DST   24
#define IP6_NH_UDP    17
#define IP6_NH_ICMPV6 58

/* RFC 4861 4.1, 4.2, 4.6 */
#define ICMPV6_RS	 133
#define ICMPV6_RA	 134
#define ICMPV6_OFF_CKSUM (IP6_HDR_LEN + 2)
#define ND_HOP_LIMIT	 255
#define ND_RS_FIXED	 4 /* Reserved */
#define ND_RA_FIXED	 12 /* hop limit .. Retrans Timer */
#define ND_RA_M		 0x80
#define ND_RA_O		 0x40
#define ND_OPT_SLLA	 1
#define ND_OPT_PREFIX	 3
#define ND_OPT_MTU	 5
#define ND_OPT_ROUTE	 24 /* RFC 4191 2.3 */
#define ND_OPT_RDNSS	 25 /* RFC 8106 5.1 */
#define ND_PREFIX_A	 0x40
#define ND_CUR_HOP_LIMIT 64 /* RFC 4861 6.2.1 AdvCurHopLimit: IANA's */

/* RFC 8415 7.2, 7.3, 21 */
#define DHCP6_CLIENT_PORT      546
#define DHCP6_SERVER_PORT      547
#define DHCP6_REPLY	       7
#define DHCP6_INFO_REQUEST     11
#define DHCP6_OPT_CLIENTID     1
#define DHCP6_OPT_SERVERID     2
#define DHCP6_OPT_IA_NA	       3
#define DHCP6_OPT_IA_TA	       4
#define DHCP6_OPT_ORO	       6
#define DHCP6_OPT_ELAPSED      8
#define DHCP6_OPT_STATUS       13
#define DHCP6_OPT_DNS	       23 /* RFC 3646 3 */
#define DHCP6_OPT_IA_PD	       25
#define DHCP6_OPT_INFO_REFRESH 32
#define DHCP6_OPT_INF_MAX_RT   83
#define DHCP6_DUID_MIN	       3 /* RFC 8415 11: type + at least 1 octet */
#define DHCP6_DUID_UUID	       4 /* RFC 6355 4 */
#define DHCP6_DUID_LEN	       18 /* type + 16-byte UUID */
#define UDP_OFF_LEN	       (IP6_HDR_LEN + 4)
#define UDP_OFF_CKSUM	       (IP6_HDR_LEN + 6)
#define UDP_HDR_LEN	       8
#define DHCP6_HDR_LEN	       4 /* msg-type, transaction-id */
/* Multicast is link-scoped: 1 is the default multicast hop limit (RFC
 * 3493 5.2); the unicast Reply uses the usual 64. */
#define DHCP6_REQUEST_HOPS 1
#define DHCP6_REPLY_HOPS   64

static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 0x02 };
/* RFC 8415 7.1 All_DHCP_Relay_Agents_and_Servers, ff02::1:2 */
static const uint8_t all_dhcp[16] = { 0xff, 0x02, [13] = 0x01, [15] = 0x02 };

struct ip6 {
	const uint8_t *src, *dst;
	uint8_t nh, hlim;
	bool complete; /* the payload length fits in the buffer */
	struct rd pl; /* the payload, or as much of it as there is */
};

static bool
is_link_local(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80; /* RFC 4291 2.5.6 */
}

static bool
is_multicast(const uint8_t a[16])
{
	return a[0] == 0xff;
}

static bool
is_unspecified(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return memcmp(a, zero, 16) == 0;
}

/*
 * RFC 8200 3.  Bytes past the payload length are ignored: PPP may pad
 * (RFC 1661 6.0 Padding).  No extension headers are followed.
 */
static bool
ip6_decode(const uint8_t *pkt, size_t len, struct ip6 *h)
{
	struct rd r;
	uint8_t vtc;
	uint16_t plen;

	rd_init(&r, pkt, len);
	if (!rd_u8(&r, &vtc) || vtc >> 4 != 6 || !rd_skip(&r, 3) ||
	    !rd_u16(&r, &plen) || !rd_u8(&r, &h->nh) || !rd_u8(&r, &h->hlim) ||
	    !rd_view(&r, 16, &h->src) || !rd_view(&r, 16, &h->dst))
		return false;
	h->complete = plen <= rd_left(&r);
	rd_init(&h->pl, rd_ptr(&r), h->complete ? plen : rd_left(&r));
	return true;
}

static uint32_t
sum16(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

/*
 * The one's complement sum of the upper-layer pseudo-header (RFC 8200
 * 8.1: source, destination, 32-bit length, zeros, next header) and the
 * upper-layer packet.  n < 64 KiB keeps the 32-bit sum from carrying out.
 */
static uint16_t
l4_sum(const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
    const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	s = sum16(s, src, 16);
	s = sum16(s, dst, 16);
	s += (uint32_t)(n >> 16) + (uint32_t)(n & 0xffff) + nh;
	s = sum16(s, p, n);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static bool
l4_sum_ok(const struct ip6 *h)
{
	return l4_sum(h->src, h->dst, h->nh, rd_ptr(&h->pl), rd_left(&h->pl)) ==
	    0xffff;
}

void
ipv6_ctl_link_local(const uint8_t iid[IPV6_CTL_IID_LEN], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	memcpy(out + 8, iid, IPV6_CTL_IID_LEN);
}

bool
ipv6_ctl_source(const uint8_t *pkt, size_t len, uint8_t src16[16])
{
	struct ip6 h;

	if (!ip6_decode(pkt, len, &h))
		return false;
	memcpy(src16, h.src, 16);
	return true;
}

/* ---- Neighbor Discovery ---------------------------------------------- */

/* RFC 4861 4.6: every option's length is non-zero and the options fill
 * the rest of the message exactly. */
static bool
nd_opts_ok(struct rd opts, bool *has_slla)
{
	uint8_t type, len;

	*has_slla = false;
	while (!rd_empty(&opts)) {
		if (!rd_u8(&opts, &type) || !rd_u8(&opts, &len) || len == 0 ||
		    !rd_skip(&opts, (size_t)len * 8 - 2))
			return false;
		if (type == ND_OPT_SLLA)
			*has_slla = true;
	}
	return true;
}

/*
 * The validity checks RFC 4861 6.1.1 (RS) and 6.1.2 (RA) share: hop
 * limit 255 (the datagram cannot have been forwarded), ICMPv6 checksum,
 * code 0, ICMP length at least the fixed part, well-formed options.
 * body gets the fixed part after the checksum, opts the options.
 */
static bool
nd_decode(const struct ip6 *h, uint8_t want, size_t fixed, struct rd *body,
    struct rd *opts, bool *has_slla)
{
	struct rd r = h->pl;
	uint8_t type, code;
	uint16_t cksum;

	if (!h->complete || h->nh != IP6_NH_ICMPV6 || h->hlim != ND_HOP_LIMIT)
		return false;
	if (!rd_u8(&r, &type) || !rd_u8(&r, &code) || !rd_u16(&r, &cksum) ||
	    type != want || code != 0 || !rd_sub(&r, fixed, body))
		return false;
	if (!l4_sum_ok(h))
		return false;
	*opts = r;
	return nd_opts_ok(r, has_slla);
}

static bool
rs_valid(const struct ip6 *h)
{
	struct rd body, opts;
	bool slla;

	if (!nd_decode(h, ICMPV6_RS, ND_RS_FIXED, &body, &opts, &slla))
		return false;
	/* RFC 4861 6.1.1: no SLLA option from the unspecified address;
	 * a multicast source is never valid (RFC 4291 2.7). */
	if (is_unspecified(h->src) && slla)
		return false;
	return !is_multicast(h->src);
}

static void
prefix_mask(uint8_t p[16], uint8_t len)
{
	size_t i;

	for (i = 0; i < 16; i++) {
		if (len >= 8)
			len -= 8;
		else {
			p[i] &= (uint8_t)(0xff00 >> len);
			len = 0;
		}
	}
}

/*
 * RFC 4861 4.6.2.  The first prefix the client can form its address from
 * is the one reported; the others are skipped as RFC 4862 5.5.3 says:
 * without the autonomous flag (a), link-local (b), preferred lifetime
 * above the valid one (c).  Length 0 leaves no bits to fill in (d).
 */
static bool
ra_prefix(struct rd *o, size_t len, struct ipv6_ra *ra, bool *have)
{
	uint8_t plen, flags;
	uint32_t valid, preferred;
	uint8_t prefix[16];

	if (len != 4 || !rd_u8(o, &plen) || !rd_u8(o, &flags) ||
	    !rd_u32(o, &valid) || !rd_u32(o, &preferred) || !rd_skip(o, 4) ||
	    !rd_bytes(o, prefix, 16) || plen > 128)
		return false;
	/* "bits in the prefix after the prefix length ... ignored by the
	 * receiver" */
	prefix_mask(prefix, plen);
	if (*have || !(flags & ND_PREFIX_A) || is_link_local(prefix) ||
	    preferred > valid || plen == 0)
		return true;
	memcpy(ra->prefix, prefix, 16);
	ra->prefix_len = plen;
	ra->valid_s = valid;
	ra->preferred_s = preferred;
	*have = true;
	return true;
}

/* RFC 8106 5.1: Length 1 + 2 per address, so odd and at least 3. */
static bool
ra_rdnss(struct rd *o, size_t len, struct ipv6_ra *ra)
{
	uint32_t lifetime;
	size_t i, n;

	if (len < 3 || len % 2 == 0 || !rd_skip(o, 2) || !rd_u32(o, &lifetime))
		return false;
	n = (len - 1) / 2;
	if (ra->ndns == 0)
		ra->dns_lifetime_s = lifetime;
	for (i = 0; i < n; i++) {
		if (ra->ndns == IPV6_CTL_MAX_DNS)
			return true; /* no room: the rest are dropped */
		if (!rd_bytes(o, ra->dns[ra->ndns++], 16))
			return false;
	}
	return true;
}

/*
 * RFC 4191 2.3: Length 1, 2 or 3 as the prefix needs (3 past /64, at
 * least 2 past /0); the reserved preference 10 means ignore the option
 * (2.1).  The first usable one is kept.
 */
static bool
ra_route(struct rd *o, size_t len, struct ipv6_ra *ra)
{
	uint8_t plen, flags, prefix[16] = { 0 };
	uint32_t lifetime;

	if (len < 1 || len > 3 || !rd_u8(o, &plen) || !rd_u8(o, &flags) ||
	    !rd_u32(o, &lifetime) || plen > 128 || (plen > 64 && len < 3) ||
	    (plen > 0 && len < 2) || !rd_bytes(o, prefix, (len - 1) * 8))
		return false;
	if (ra->route_len != 0 || plen == 0 || ((flags >> 3) & 3) == 2)
		return true;
	prefix_mask(prefix, plen);
	memcpy(ra->route, prefix, 16);
	ra->route_len = plen;
	ra->route_lifetime_s = lifetime;
	return true;
}

bool
ipv6_ctl_parse_ra(
    const uint8_t *pkt, size_t len, struct ipv6_ra *ra, uint8_t src16[16])
{
	struct ip6 h;
	struct rd body, opts, o;
	uint8_t hops, flags, type, olen;
	uint16_t lifetime;
	bool slla, have_prefix = false, have_mtu = false;

	memset(ra, 0, sizeof(*ra));
	if (!ip6_decode(pkt, len, &h) ||
	    !nd_decode(&h, ICMPV6_RA, ND_RA_FIXED, &body, &opts, &slla))
		return false;
	/* RFC 4861 6.1.2: routers advertise from their link-local address. */
	if (!is_link_local(h.src))
		return false;
	if (!rd_u8(&body, &hops) || !rd_u8(&body, &flags) ||
	    !rd_u16(&body, &lifetime))
		return false;
	ra->managed = (flags & ND_RA_M) != 0;
	ra->other = (flags & ND_RA_O) != 0;
	ra->router_lifetime_s = lifetime;
	while (!rd_empty(&opts)) {
		/* nd_opts_ok has checked the walk: these cannot fail. */
		if (!rd_u8(&opts, &type) || !rd_u8(&opts, &olen) ||
		    !rd_sub(&opts, (size_t)olen * 8 - 2, &o))
			return false;
		switch (type) {
		case ND_OPT_PREFIX:
			if (!ra_prefix(&o, olen, ra, &have_prefix))
				return false;
			break;
		case ND_OPT_MTU: /* RFC 4861 4.6.4 */
			if (olen != 1 || !rd_skip(&o, 2))
				return false;
			if (!have_mtu && !rd_u32(&o, &ra->mtu))
				return false;
			have_mtu = true;
			break;
		case ND_OPT_RDNSS:
			if (!ra_rdnss(&o, olen, ra))
				return false;
			break;
		case ND_OPT_ROUTE:
			if (!ra_route(&o, olen, ra))
				return false;
			break;
		default: /* RFC 4861 4.6: ignore the ones we do not know */
			break;
		}
	}
	if (src16 != NULL)
		memcpy(src16, h.src, 16);
	return true;
}

static void
ip6_begin(struct wr *w, uint8_t nh, uint8_t hops, const uint8_t src[16],
    const uint8_t dst[16])
{
	wr_u32(w, 0x60000000); /* version 6, traffic class 0, flow 0 */
	wr_u16(w, 0); /* payload length: ip6_end */
	wr_u8(w, nh);
	wr_u8(w, hops);
	wr_bytes(w, src, 16);
	wr_bytes(w, dst, 16);
}

/* Fill in the lengths and the checksum over what was written. */
static size_t
ip6_end(struct wr *w, uint8_t nh, size_t cksum_off)
{
	size_t plen;
	uint16_t sum;

	if (!wr_ok(w) || wr_len(w) - IP6_HDR_LEN > 0xffff)
		return 0;
	plen = wr_len(w) - IP6_HDR_LEN;
	wr_put_u16_at(w, IP6_OFF_PLEN, (uint16_t)plen);
	if (nh == IP6_NH_UDP)
		wr_put_u16_at(w, UDP_OFF_LEN, (uint16_t)plen);
	sum = (uint16_t)~l4_sum(w->buf + IP6_OFF_SRC, w->buf + IP6_OFF_DST, nh,
	    w->buf + IP6_HDR_LEN, plen);
	/* RFC 768, RFC 8200 8.1: a computed 0 is sent as ffff, since 0
	 * means "no checksum", which IPv6 forbids for UDP. */
	if (nh == IP6_NH_UDP && sum == 0)
		sum = 0xffff;
	wr_put_u16_at(w, cksum_off, sum);
	return wr_ok(w) ? wr_len(w) : 0;
}

size_t
ipv6_ctl_build_rs(
    uint8_t *out, size_t cap, const uint8_t src_iid[IPV6_CTL_IID_LEN])
{
	struct wr w;
	uint8_t src[16];

	ipv6_ctl_link_local(src_iid, src);
	wr_init(&w, out, cap);
	ip6_begin(&w, IP6_NH_ICMPV6, ND_HOP_LIMIT, src, all_routers);
	/* RFC 4861 4.1.  No Source Link-Layer Address option: PPP has no
	 * link-layer addresses. */
	wr_u8(&w, ICMPV6_RS);
	wr_u8(&w, 0);
	wr_u16(&w, 0);
	wr_u32(&w, 0);
	return ip6_end(&w, IP6_NH_ICMPV6, ICMPV6_OFF_CKSUM);
}

size_t
ipv6_ctl_build_ra(uint8_t *out, size_t cap,
    const uint8_t src_iid[IPV6_CTL_IID_LEN], const uint8_t *dst16,
    const struct ipv6_ra *ra)
{
	struct wr w;
	uint8_t src[16], prefix[16];
	size_t i;

	if (ra->prefix_len > 128 || ra->ndns > IPV6_CTL_MAX_DNS ||
	    ra->route_len > 128)
		return 0;
	ipv6_ctl_link_local(src_iid, src);
	wr_init(&w, out, cap);
	ip6_begin(&w, IP6_NH_ICMPV6, ND_HOP_LIMIT, src,
	    dst16 != NULL ? dst16 : all_nodes);
	/* RFC 4861 4.2.  Reachable Time and Retrans Timer 0: unspecified. */
	wr_u8(&w, ICMPV6_RA);
	wr_u8(&w, 0);
	wr_u16(&w, 0);
	wr_u8(&w, ND_CUR_HOP_LIMIT);
	wr_u8(&w,
	    (uint8_t)((ra->managed ? ND_RA_M : 0) | (ra->other ? ND_RA_O : 0)));
	wr_u16(&w, ra->router_lifetime_s);
	wr_u32(&w, 0);
	wr_u32(&w, 0);
	if (ra->prefix_len > 0) {
		/*
		 * RFC 4861 4.6.2.  A=1: the client forms prefix + its IPv6CP
		 * IID (RFC 4862 5.5.3, spec/ppp.md 9).  L=0: a PPP link has
		 * no neighbours, everything goes to the peer (RFC 5072 5).
		 * Bits past the prefix length "MUST be initialized to zero".
		 */
		memcpy(prefix, ra->prefix, 16);
		prefix_mask(prefix, ra->prefix_len);
		wr_u8(&w, ND_OPT_PREFIX);
		wr_u8(&w, 4);
		wr_u8(&w, ra->prefix_len);
		wr_u8(&w, ND_PREFIX_A);
		wr_u32(&w, ra->valid_s);
		wr_u32(&w, ra->preferred_s);
		wr_u32(&w, 0);
		wr_bytes(&w, prefix, 16);
	}
	if (ra->mtu != 0) { /* RFC 4861 4.6.4 */
		wr_u8(&w, ND_OPT_MTU);
		wr_u8(&w, 1);
		wr_u16(&w, 0);
		wr_u32(&w, ra->mtu);
	}
	if (ra->ndns > 0) { /* RFC 8106 5.1 */
		wr_u8(&w, ND_OPT_RDNSS);
		wr_u8(&w, (uint8_t)(1 + 2 * ra->ndns));
		wr_u16(&w, 0);
		wr_u32(&w, ra->dns_lifetime_s);
		for (i = 0; i < ra->ndns; i++)
			wr_bytes(&w, ra->dns[i], 16);
	}
	if (ra->route_len > 0) {
		/* RFC 4191 2.3, always the full prefix (Length 3), medium
		 * preference: the server's networks are behind the link. */
		memcpy(prefix, ra->route, 16);
		prefix_mask(prefix, ra->route_len);
		wr_u8(&w, ND_OPT_ROUTE);
		wr_u8(&w, 3);
		wr_u8(&w, ra->route_len);
		wr_u8(&w, 0);
		wr_u32(&w, ra->route_lifetime_s);
		wr_bytes(&w, prefix, 16);
	}
	return ip6_end(&w, IP6_NH_ICMPV6, ICMPV6_OFF_CKSUM);
}

/* ---- DHCPv6 ---------------------------------------------------------- */

/*
 * UDP (RFC 768, RFC 8200 8.1) and the DHCPv6 header (RFC 8415 8): the
 * ports, a UDP length equal to the payload length, a non-zero and correct
 * checksum, a link-local source (RFC 8415 13.1: clients and on-link
 * servers talk from link-local addresses), the message type; xid gets
 * the transaction id and opts the options, whose walk is checked.
 */
static bool
dhcp6_decode(const struct ip6 *h, uint16_t sport, uint16_t dport, uint8_t want,
    uint8_t xid[3], struct rd *opts)
{
	struct rd r = h->pl, o;
	uint16_t sp, dp, ulen, cksum, code, len;
	uint8_t type;

	if (!h->complete || h->nh != IP6_NH_UDP || !is_link_local(h->src))
		return false;
	if (!rd_u16(&r, &sp) || !rd_u16(&r, &dp) || !rd_u16(&r, &ulen) ||
	    !rd_u16(&r, &cksum) || sp != sport || dp != dport ||
	    ulen != rd_left(&h->pl) || cksum == 0 || !l4_sum_ok(h))
		return false;
	if (!rd_u8(&r, &type) || type != want || !rd_bytes(&r, xid, 3))
		return false;
	*opts = r;
	for (o = r; !rd_empty(&o);) {
		if (!rd_u16(&o, &code) || !rd_u16(&o, &len) ||
		    !rd_skip(&o, len))
			return false;
	}
	return true;
}

/* The next option of a walk dhcp6_decode has checked. */
static bool
dhcp6_opt(struct rd *opts, uint16_t *code, struct rd *data)
{
	uint16_t len;

	return rd_u16(opts, code) && rd_u16(opts, &len) &&
	    rd_sub(opts, len, data);
}

static bool
duid_len_ok(size_t len)
{
	return len >= DHCP6_DUID_MIN && len <= IPV6_CTL_DUID_MAX;
}

/*
 * A DUID-UUID (RFC 6355) from an IID: the IID twice, with the version
 * and variant bits of an RFC 9562 version 8 (custom) UUID.  Stable for a
 * stable IID, which is all RFC 8415 11 asks; PPP has no link-layer
 * address for a DUID-LL.
 */
static void
wr_duid(struct wr *w, const uint8_t iid[IPV6_CTL_IID_LEN])
{
	uint8_t uuid[16];

	memcpy(uuid, iid, 8);
	memcpy(uuid + 8, iid, 8);
	uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x80);
	uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80);
	wr_u16(w, DHCP6_DUID_UUID);
	wr_bytes(w, uuid, 16);
}

static void
udp_begin(struct wr *w, uint16_t sport, uint16_t dport)
{
	wr_u16(w, sport);
	wr_u16(w, dport);
	wr_u16(w, 0); /* length: ip6_end */
	wr_u16(w, 0); /* checksum: ip6_end */
}

size_t
ipv6_ctl_build_info_request(uint8_t *out, size_t cap,
    const uint8_t src_iid[IPV6_CTL_IID_LEN], const uint8_t xid[3])
{
	struct wr w;
	uint8_t src[16];

	ipv6_ctl_link_local(src_iid, src);
	wr_init(&w, out, cap);
	ip6_begin(&w, IP6_NH_UDP, DHCP6_REQUEST_HOPS, src, all_dhcp);
	udp_begin(&w, DHCP6_CLIENT_PORT, DHCP6_SERVER_PORT);
	wr_u8(&w, DHCP6_INFO_REQUEST);
	wr_bytes(&w, xid, 3);
	/* RFC 8415 18.2.6: the client SHOULD identify itself ... */
	wr_u16(&w, DHCP6_OPT_CLIENTID);
	wr_u16(&w, DHCP6_DUID_LEN);
	wr_duid(&w, src_iid);
	/* ... MUST ask for INF_MAX_RT and Information Refresh Time along
	 * with what it wants (21.7): the DNS servers ... */
	wr_u16(&w, DHCP6_OPT_ORO);
	wr_u16(&w, 6);
	wr_u16(&w, DHCP6_OPT_DNS);
	wr_u16(&w, DHCP6_OPT_INFO_REFRESH);
	wr_u16(&w, DHCP6_OPT_INF_MAX_RT);
	/* ... and MUST send Elapsed Time (21.9): 0 on the first try. */
	wr_u16(&w, DHCP6_OPT_ELAPSED);
	wr_u16(&w, 2);
	wr_u16(&w, 0);
	return ip6_end(&w, IP6_NH_UDP, UDP_OFF_CKSUM);
}

bool
ipv6_ctl_parse_info_request(
    const uint8_t *pkt, size_t len, struct dhcp6_request *req)
{
	struct ip6 h;
	struct rd opts, data;
	uint16_t code;
	bool have_client = false;

	memset(req, 0, sizeof(*req));
	if (!ip6_decode(pkt, len, &h))
		return false;
	/* RFC 8415 18.2.6: to All_DHCP_Relay_Agents_and_Servers; a client
	 * may also unicast to the server's link-local address. */
	if (memcmp(h.dst, all_dhcp, 16) != 0 && !is_link_local(h.dst))
		return false;
	if (!dhcp6_decode(&h, DHCP6_CLIENT_PORT, DHCP6_SERVER_PORT,
		DHCP6_INFO_REQUEST, req->xid, &opts))
		return false;
	while (!rd_empty(&opts)) {
		if (!dhcp6_opt(&opts, &code, &data))
			return false;
		switch (code) {
		case DHCP6_OPT_CLIENTID:
			/* One identity per client: two are ambiguous. */
			if (have_client || !duid_len_ok(rd_left(&data)))
				return false;
			req->client_id_len = rd_left(&data);
			if (!rd_bytes(
				&data, req->client_id, req->client_id_len))
				return false;
			have_client = true;
			break;
		case DHCP6_OPT_IA_NA:
		case DHCP6_OPT_IA_TA:
		case DHCP6_OPT_IA_PD:
			/* RFC 8415 16.12: "Servers MUST discard any received
			 * Information-Request message that includes an IA
			 * option."  A Server Identifier is let through: the
			 * caller knows ours, this codec does not. */
			return false;
		default:
			break;
		}
	}
	memcpy(req->src, h.src, 16);
	return true;
}

size_t
ipv6_ctl_build_reply(uint8_t *out, size_t cap,
    const uint8_t src_iid[IPV6_CTL_IID_LEN], const struct dhcp6_request *req,
    const uint8_t dns[][16], size_t ndns)
{
	struct wr w;
	uint8_t src[16];
	size_t i;

	if (ndns > IPV6_CTL_MAX_DNS || req->client_id_len > IPV6_CTL_DUID_MAX ||
	    (req->client_id_len > 0 && !duid_len_ok(req->client_id_len)))
		return 0;
	ipv6_ctl_link_local(src_iid, src);
	wr_init(&w, out, cap);
	/* RFC 8415 18.3.10, 18.3: to the source of the request. */
	ip6_begin(&w, IP6_NH_UDP, DHCP6_REPLY_HOPS, src, req->src);
	udp_begin(&w, DHCP6_SERVER_PORT, DHCP6_CLIENT_PORT);
	wr_u8(&w, DHCP6_REPLY);
	wr_bytes(&w, req->xid, 3);
	/* RFC 8415 18.3.6: Server Identifier, and the Client Identifier
	 * copied from the request when there was one. */
	wr_u16(&w, DHCP6_OPT_SERVERID);
	wr_u16(&w, DHCP6_DUID_LEN);
	wr_duid(&w, src_iid);
	if (req->client_id_len > 0) {
		wr_u16(&w, DHCP6_OPT_CLIENTID);
		wr_u16(&w, (uint16_t)req->client_id_len);
		wr_bytes(&w, req->client_id, req->client_id_len);
	}
	if (ndns > 0) { /* RFC 3646 3 */
		wr_u16(&w, DHCP6_OPT_DNS);
		wr_u16(&w, (uint16_t)(16 * ndns));
		for (i = 0; i < ndns; i++)
			wr_bytes(&w, dns[i], 16);
	}
	return ip6_end(&w, IP6_NH_UDP, UDP_OFF_CKSUM);
}

bool
ipv6_ctl_parse_reply(const uint8_t *pkt, size_t len, const uint8_t xid[3],
    uint8_t dns[IPV6_CTL_MAX_DNS][16], size_t *ndns)
{
	struct ip6 h;
	struct rd opts, data;
	uint8_t got[3], servers[IPV6_CTL_MAX_DNS][16];
	uint16_t code, status;
	size_t n = 0;
	bool have_server = false, have_client = false;

	*ndns = 0;
	if (!ip6_decode(pkt, len, &h) || !is_link_local(h.dst) ||
	    !dhcp6_decode(&h, DHCP6_SERVER_PORT, DHCP6_CLIENT_PORT, DHCP6_REPLY,
		got, &opts))
		return false;
	/* RFC 8415 16.10: the transaction id of our request. */
	if (memcmp(got, xid, 3) != 0)
		return false;
	while (!rd_empty(&opts)) {
		if (!dhcp6_opt(&opts, &code, &data))
			return false;
		switch (code) {
		case DHCP6_OPT_SERVERID:
		case DHCP6_OPT_CLIENTID:
			/* RFC 8415 16.10: exactly one Server Identifier.
			 * The Client Identifier is not compared: the caller
			 * matched the transaction id, which is ours alone on
			 * a point-to-point link. */
			if (!duid_len_ok(rd_left(&data)))
				return false;
			if (code == DHCP6_OPT_SERVERID) {
				if (have_server)
					return false;
				have_server = true;
			} else {
				if (have_client)
					return false;
				have_client = true;
			}
			break;
		case DHCP6_OPT_STATUS:
			/* RFC 8415 21.13, 18.2.10: anything but Success
			 * means no configuration came. */
			if (!rd_u16(&data, &status) || status != 0)
				return false;
			break;
		case DHCP6_OPT_DNS:
			/* RFC 3646 3: a list of 16-byte addresses. */
			if (rd_left(&data) % 16 != 0)
				return false;
			while (n < IPV6_CTL_MAX_DNS && !rd_empty(&data))
				if (!rd_bytes(&data, servers[n++], 16))
					return false;
			break;
		default:
			break;
		}
	}
	if (!have_server)
		return false;
	if (n > 0)
		memcpy(dns, servers, n * 16);
	*ndns = n;
	return true;
}

/* ---- Classification -------------------------------------------------- */

static enum ipv6_ctl_kind
classify_icmpv6(const uint8_t *pkt, size_t len, const struct ip6 *h)
{
	struct rd r = h->pl;
	struct ipv6_ra ra;
	uint8_t type;

	if (!rd_u8(&r, &type))
		return IPV6_CTL_OTHER;
	switch (type) {
	case ICMPV6_RS:
		return rs_valid(h) ? IPV6_CTL_RS : IPV6_CTL_MALFORMED;
	case ICMPV6_RA:
		return ipv6_ctl_parse_ra(pkt, len, &ra, NULL)
		    ? IPV6_CTL_RA
		    : IPV6_CTL_MALFORMED;
	default:
		return IPV6_CTL_OTHER;
	}
}

static enum ipv6_ctl_kind
classify_udp(const uint8_t *pkt, size_t len, const struct ip6 *h)
{
	struct rd r = h->pl;
	struct dhcp6_request req;
	uint8_t dns[IPV6_CTL_MAX_DNS][16], type, xid[3];
	uint16_t sport, dport;
	size_t ndns;

	if (!rd_u16(&r, &sport) || !rd_u16(&r, &dport))
		return IPV6_CTL_OTHER;
	/*
	 * Only link-scoped DHCPv6 is ours: a request to a global address is
	 * for some other server, route it.  Message types we do not serve
	 * (Solicit, Advertise, ...) are not ours either.
	 */
	if (sport == DHCP6_CLIENT_PORT && dport == DHCP6_SERVER_PORT) {
		if (memcmp(h->dst, all_dhcp, 16) != 0 && !is_link_local(h->dst))
			return IPV6_CTL_OTHER;
		if (!rd_skip(&r, 4) || !rd_u8(&r, &type))
			return IPV6_CTL_MALFORMED;
		if (type != DHCP6_INFO_REQUEST)
			return IPV6_CTL_OTHER;
		return ipv6_ctl_parse_info_request(pkt, len, &req)
		    ? IPV6_CTL_DHCP6_INFO_REQUEST
		    : IPV6_CTL_MALFORMED;
	}
	if (sport == DHCP6_SERVER_PORT && dport == DHCP6_CLIENT_PORT) {
		if (!is_link_local(h->dst))
			return IPV6_CTL_OTHER;
		if (!rd_skip(&r, 4) || !rd_u8(&r, &type))
			return IPV6_CTL_MALFORMED;
		if (type != DHCP6_REPLY)
			return IPV6_CTL_OTHER;
		/* Whose transaction it is, the caller checks. */
		if (!rd_bytes(&r, xid, 3))
			return IPV6_CTL_MALFORMED;
		return ipv6_ctl_parse_reply(pkt, len, xid, dns, &ndns)
		    ? IPV6_CTL_DHCP6_REPLY
		    : IPV6_CTL_MALFORMED;
	}
	return IPV6_CTL_OTHER;
}

enum ipv6_ctl_kind
ipv6_ctl_classify(const uint8_t *pkt, size_t len)
{
	struct ip6 h;

	if (!ip6_decode(pkt, len, &h))
		return IPV6_CTL_OTHER;
	switch (h.nh) {
	case IP6_NH_ICMPV6:
		return classify_icmpv6(pkt, len, &h);
	case IP6_NH_UDP:
		return classify_udp(pkt, len, &h);
	default:
		return IPV6_CTL_OTHER;
	}
}

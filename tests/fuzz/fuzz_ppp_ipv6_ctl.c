/*
 * RS/RA and DHCPv6 over PPP: whatever the bytes, classify and every
 * parser are total and agree with each other (classify names a kind
 * exactly when that parser accepts); whatever parses re-builds into a
 * datagram that classifies the same and parses to the same fields.
 */
#include <stdlib.h>
#include <string.h>

#include "ppp/ipv6_ctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t siid[IPV6_CTL_IID_LEN] = { 2, 0, 0, 0, 0, 0, 0, 1 };

static bool
ra_equal(const struct ipv6_ra *a, const struct ipv6_ra *b)
{
	size_t i;

	if (memcmp(a->prefix, b->prefix, 16) != 0 ||
	    a->prefix_len != b->prefix_len || a->managed != b->managed ||
	    a->other != b->other ||
	    a->router_lifetime_s != b->router_lifetime_s ||
	    a->valid_s != b->valid_s || a->preferred_s != b->preferred_s ||
	    a->mtu != b->mtu || a->ndns != b->ndns ||
	    a->dns_lifetime_s != b->dns_lifetime_s)
		return false;
	for (i = 0; i < a->ndns; i++)
		if (memcmp(a->dns[i], b->dns[i], 16) != 0)
			return false;
	return true;
}

static void
check_ra(const uint8_t *data, size_t size, enum ipv6_ctl_kind kind)
{
	static uint8_t out[IPV6_CTL_PKT_MAX];
	struct ipv6_ra ra, again;
	uint8_t src[16], src2[16];
	size_t n;

	if (!ipv6_ctl_parse_ra(data, size, &ra, src)) {
		if (kind == IPV6_CTL_RA)
			abort();
		return;
	}
	if (kind != IPV6_CTL_RA || ra.ndns > IPV6_CTL_MAX_DNS ||
	    ra.prefix_len > 128)
		abort();
	/* Back from fe80::<its IID> to the datagram's destination. */
	n = ipv6_ctl_build_ra(out, sizeof(out), src + 8, data + 24, &ra);
	if (n == 0 || ipv6_ctl_classify(out, n) != IPV6_CTL_RA ||
	    !ipv6_ctl_parse_ra(out, n, &again, src2) || !ra_equal(&ra, &again))
		abort();
}

static void
check_info_request(const uint8_t *data, size_t size, enum ipv6_ctl_kind kind)
{
	static uint8_t out[IPV6_CTL_PKT_MAX];
	static const uint8_t servers[2][16] = { { 0x20, 1, [15] = 1 },
		{ 0x20, 1, [15] = 2 } };
	struct dhcp6_request req, again;
	uint8_t dns[IPV6_CTL_MAX_DNS][16], wrong[3];
	size_t n, ndns;

	if (!ipv6_ctl_parse_info_request(data, size, &req)) {
		if (kind == IPV6_CTL_DHCP6_INFO_REQUEST)
			abort();
		return;
	}
	if (kind != IPV6_CTL_DHCP6_INFO_REQUEST ||
	    req.client_id_len > IPV6_CTL_DUID_MAX)
		abort();
	/* Our Reply to it is one its sender accepts. */
	n = ipv6_ctl_build_reply(out, sizeof(out), siid, &req, servers, 2);
	if (n == 0 || ipv6_ctl_classify(out, n) != IPV6_CTL_DHCP6_REPLY ||
	    !ipv6_ctl_parse_reply(out, n, req.xid, dns, &ndns) || ndns != 2 ||
	    memcmp(dns, servers, sizeof(servers)) != 0)
		abort();
	memcpy(wrong, req.xid, 3);
	wrong[2] ^= 1;
	if (ipv6_ctl_parse_reply(out, n, wrong, dns, &ndns))
		abort();
	/* And a request rebuilt from its sender's IID parses alike. */
	n = ipv6_ctl_build_info_request(out, sizeof(out), req.src + 8, req.xid);
	if (n == 0 || !ipv6_ctl_parse_info_request(out, n, &again) ||
	    memcmp(again.xid, req.xid, 3) != 0 ||
	    memcmp(again.src + 8, req.src + 8, 8) != 0)
		abort();
}

static void
check_reply(const uint8_t *data, size_t size, enum ipv6_ctl_kind kind)
{
	static uint8_t out[IPV6_CTL_PKT_MAX];
	uint8_t dns[IPV6_CTL_MAX_DNS][16], again[IPV6_CTL_MAX_DNS][16];
	struct dhcp6_request req;
	size_t n, ndns, nagain;

	/* The transaction id is the datagram's own: classify's view. */
	if (size < 52)
		return;
	if (!ipv6_ctl_parse_reply(data, size, data + 49, dns, &ndns)) {
		if (kind == IPV6_CTL_DHCP6_REPLY)
			abort();
		return;
	}
	if (kind != IPV6_CTL_DHCP6_REPLY || ndns > IPV6_CTL_MAX_DNS)
		abort();
	memset(&req, 0, sizeof(req));
	memcpy(req.src, data + 24, 16);
	memcpy(req.xid, data + 49, 3);
	n = ipv6_ctl_build_reply(
	    out, sizeof(out), siid, &req, (const uint8_t(*)[16])dns, ndns);
	if (n == 0 || ipv6_ctl_classify(out, n) != IPV6_CTL_DHCP6_REPLY ||
	    !ipv6_ctl_parse_reply(out, n, req.xid, again, &nagain) ||
	    nagain != ndns || (ndns > 0 && memcmp(again, dns, ndns * 16) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[IPV6_CTL_PKT_MAX];
	enum ipv6_ctl_kind kind;
	uint8_t src[16];
	size_t n;

	kind = ipv6_ctl_classify(data, size);
	if (kind > IPV6_CTL_MALFORMED)
		abort();
	if (ipv6_ctl_source(data, size, src) !=
	    (size >= 40 && data[0] >> 4 == 6))
		abort();
	check_ra(data, size, kind);
	check_info_request(data, size, kind);
	check_reply(data, size, kind);
	if (kind == IPV6_CTL_RS) {
		/* Ours from the same IID (fe80:: for an RS from ::). */
		n = ipv6_ctl_build_rs(out, sizeof(out), src + 8);
		if (n == 0 || ipv6_ctl_classify(out, n) != IPV6_CTL_RS)
			abort();
	}
	return 0;
}

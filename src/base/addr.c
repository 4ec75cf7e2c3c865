#include "base/addr.h"

#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

static size_t
addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

bool
addr_parse(const char *s, struct ip_addr *out)
{
	struct ip_addr a;

	memset(&a, 0, sizeof(a));
	/* A colon can only be IPv6; inet_pton takes nothing but a full
	 * dotted quad for IPv4, so "10.1" is refused. */
	a.family = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(a.family, s, a.b) != 1)
		return false;
	*out = a;
	return true;
}

/* Decimal digits only (no sign, no spaces), at most max. */
static bool
parse_uint(const char *s, size_t len, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* Clear (or test) the bits of a past the first len. */
static bool
host_bits(struct ip_addr *a, unsigned len, bool clear)
{
	size_t n = addr_len(a->family), i;
	bool any = false;
	uint8_t keep;

	for (i = 0; i < n; i++) {
		if (len >= 8 * (i + 1))
			continue;
		keep = len > 8 * i ? (uint8_t)(0xff << (8 - (len - 8 * i))) : 0;
		if (a->b[i] & ~keep)
			any = true;
		if (clear)
			a->b[i] &= keep;
	}
	return any;
}

bool
prefix_parse(const char *s, bool lax, struct ip_prefix *out)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	struct ip_prefix p;
	unsigned long len;
	size_t alen;

	if (slash == NULL)
		return false;
	alen = (size_t)(slash - s);
	if (alen == 0 || alen >= sizeof(buf))
		return false;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	memset(&p, 0, sizeof(p));
	if (!addr_parse(buf, &p.addr))
		return false;
	if (!parse_uint(slash + 1, strlen(slash + 1),
		8 * addr_len(p.addr.family), &len))
		return false;
	p.len = (unsigned)len;
	if (host_bits(&p.addr, p.len, lax) && !lax)
		return false;
	*out = p;
	return true;
}

bool
prefix_contains(const struct ip_prefix *p, const struct ip_addr *a)
{
	struct ip_addr masked;

	if (a->family != p->addr.family)
		return false;
	masked = *a;
	host_bits(&masked, p->len, true);
	return memcmp(masked.b, p->addr.b, addr_len(a->family)) == 0;
}

static bool
copy_host(const char *s, size_t len, char *host, size_t host_cap)
{
	size_t i;

	if (len >= host_cap)
		return false;
	/* Nothing that could not be in a name or a literal. */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == 0x7f || c == '[' || c == ']' || c == '/')
			return false;
	}
	memcpy(host, s, len);
	host[len] = '\0';
	return true;
}

static bool
parse_port(const char *s, uint16_t *port)
{
	unsigned long v;

	if (!parse_uint(s, strlen(s), 65535, &v) || v == 0)
		return false;
	*port = (uint16_t)v;
	return true;
}

bool
endpoint_split(const char *s, char *host, size_t host_cap,
    uint16_t default_port, uint16_t *port)
{
	const char *colon, *end;
	uint16_t p = default_port;

	if (s[0] == '[') {
		end = strchr(s, ']');
		if (end == NULL || end == s + 1)
			return false;
		if (end[1] != '\0' &&
		    (end[1] != ':' || !parse_port(end + 2, &p)))
			return false;
		if (!copy_host(s + 1, (size_t)(end - s - 1), host, host_cap))
			return false;
		*port = p;
		return true;
	}
	colon = strchr(s, ':');
	if (colon != NULL && strchr(colon + 1, ':') != NULL) {
		/* Two colons or more: a bare IPv6 literal, which cannot
		 * carry a port without brackets. */
		if (!copy_host(s, strlen(s), host, host_cap))
			return false;
		*port = p;
		return true;
	}
	if (colon == NULL) {
		if (s[0] == '\0' || !copy_host(s, strlen(s), host, host_cap))
			return false;
		*port = p;
		return true;
	}
	/* ":443" leaves the host empty: any address. */
	if (!parse_port(colon + 1, &p) ||
	    !copy_host(s, (size_t)(colon - s), host, host_cap))
		return false;
	*port = p;
	return true;
}

const char *
addr_str(const struct ip_addr *a, char buf[ADDR_STR_MAX])
{
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    inet_ntop(a->family, a->b, buf, ADDR_STR_MAX) == NULL)
		snprintf(buf, ADDR_STR_MAX, "?");
	return buf;
}

bool
addr_is_private(const struct ip_addr *a)
{
	static const uint8_t loopback6[16] = { [15] = 1 };
	const uint8_t *b = a->b;

	if (a->family == AF_INET)
		return b[0] == 127 || b[0] == 10 ||
		    (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		    (b[0] == 192 && b[1] == 168);
	if (a->family == AF_INET6)
		return (b[0] & 0xfe) == 0xfc ||
		    memcmp(b, loopback6, sizeof(loopback6)) == 0;
	return false;
}

const char *
sockaddr_str(const struct sockaddr *sa, char buf[ADDR_STR_MAX])
{
	char a[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)sa;

		inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a));
		snprintf(buf, ADDR_STR_MAX, "%s:%u", a, ntohs(sin->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
		if (sin6->sin6_scope_id != 0)
			snprintf(buf, ADDR_STR_MAX, "[%s%%%u]:%u", a,
			    sin6->sin6_scope_id, ntohs(sin6->sin6_port));
		else
			snprintf(buf, ADDR_STR_MAX, "[%s]:%u", a,
			    ntohs(sin6->sin6_port));
	} else
		snprintf(buf, ADDR_STR_MAX, "?");
	return buf;
}

bool
addr_from_sockaddr(
    const struct sockaddr *sa, struct ip_addr *out, uint16_t *port)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		out->family = AF_INET;
		memcpy(out->b, &s4->sin_addr, 4);
		if (port != NULL)
			*port = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			out->family = AF_INET;
			memcpy(out->b, s6->sin6_addr.s6_addr + 12, 4);
		} else {
			out->family = AF_INET6;
			memcpy(out->b, &s6->sin6_addr, 16);
		}
		if (port != NULL)
			*port = ntohs(s6->sin6_port);
	} else
		return false;
	return true;
}

socklen_t
addr_to_sockaddr(
    const struct ip_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		memcpy(&s4->sin_addr, a->b, 4);
		return sizeof(*s4);
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(port);
	memcpy(&s6->sin6_addr, a->b, 16);
	return sizeof(*s6);
}

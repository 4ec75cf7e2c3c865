/*
 * Which proxy, if any: the proxy URL and the environment's choice
 * (https_proxy, no_proxy), as curl and wget read them.  Pure.
 */
#include "client/proxy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addr.h"
#include "base/hex.h"

#define PROXY_DEFAULT_PORT 3128

/*
 * RFC 3986 2.1: percent-decode s[0..n) into dst[cap].  Control bytes
 * are refused, encoded or not: RFC 7617 2 forbids them in Basic
 * credentials and they would end a header line.
 */
static bool
px_pct_decode(const char *s, size_t n, char *dst, size_t cap)
{
	size_t i, o = 0;
	int hi, lo, c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (n - i < 3)
				return false;
			hi = hex_digit((unsigned char)s[i + 1]);
			lo = hex_digit((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c < 0x20 || c == 0x7f || o + 1 >= cap)
			return false;
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return true;
}

bool
proxy_url_password_span(const char *url, size_t *off, size_t *len)
{
	const char *p = strstr(url, "://"), *at = strrchr(url, '@'), *colon;

	p = p != NULL ? p + 3 : url;
	if (at == NULL || at < p)
		return false;
	colon = memchr(p, ':', (size_t)(at - p));
	if (colon == NULL)
		return false;
	*off = (size_t)(colon + 1 - url);
	*len = (size_t)(at - colon - 1);
	return true;
}

const char *
proxy_url_redact(const char *url, char *buf, size_t len)
{
	size_t off, n;

	if (proxy_url_password_span(url, &off, &n))
		snprintf(buf, len, "%.*s***%s", (int)off, url, url + off + n);
	else
		snprintf(buf, len, "%s", url);
	return buf;
}

static void
px_err(char *err, size_t errlen, const char *url, const char *why)
{
	char shown[128];

	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "proxy URL \"%.80s\": %s",
		    proxy_url_redact(url, shown, sizeof(shown)), why);
}

/* RFC 3986 3.2.2: reg-name or IPv4 characters (no percent forms). */
static bool
px_host_ok(const char *h)
{
	if (*h == '\0')
		return false;
	for (; *h != '\0'; h++)
		if (!isalnum((unsigned char)*h) && strchr("-._~", *h) == NULL)
			return false;
	return true;
}

bool
proxy_url_parse(
    const char *url, struct proxy_url *out, char *err, size_t errlen)
{
	const char *p = url, *at, *end, *hp, *colon, *hend;
	size_t n;
	unsigned long port;
	char *e;
	struct ip_addr a;

	memset(out, 0, sizeof(*out));
	out->port = PROXY_DEFAULT_PORT;
	/* A bare "host:port" is http, as curl takes it. */
	if (strstr(p, "://") != NULL) {
		if (strncasecmp(p, "http://", 7) != 0) {
			px_err(err, errlen, url,
			    "only http:// proxies are spoken");
			return false;
		}
		p += 7;
	}
	/* The authority ends at the path; "/" alone is allowed. */
	end = p + strcspn(p, "/?#");
	if (*end != '\0' && strcmp(end, "/") != 0) {
		px_err(err, errlen, url, "a path, query or fragment");
		return false;
	}
	/* The last '@' splits userinfo: a raw '@' in a password is common. */
	at = NULL;
	for (hp = p; hp < end; hp++)
		if (*hp == '@')
			at = hp;
	hp = p;
	if (at != NULL) {
		colon = memchr(p, ':', (size_t)(at - p));
		n = colon != NULL ? (size_t)(colon - p) : (size_t)(at - p);
		if (!px_pct_decode(p, n, out->user, sizeof(out->user)) ||
		    (colon != NULL &&
			!px_pct_decode(colon + 1, (size_t)(at - colon - 1),
			    out->password, sizeof(out->password)))) {
			px_err(err, errlen, url,
			    "bad user or password (percent-encoding, "
			    "control characters or length)");
			return false;
		}
		if (out->user[0] == '\0') {
			px_err(err, errlen, url, "empty user name");
			return false;
		}
		out->has_creds = true;
		hp = at + 1;
	}
	/* RFC 3986 3.2.2: an IPv6 literal in brackets. */
	if (*hp == '[') {
		hend = memchr(hp, ']', (size_t)(end - hp));
		if (hend == NULL) {
			px_err(
			    err, errlen, url, "no ']' after an IPv6 address");
			return false;
		}
		n = (size_t)(hend - hp - 1);
		if (n >= sizeof(out->host)) {
			px_err(err, errlen, url, "host too long");
			return false;
		}
		memcpy(out->host, hp + 1, n);
		out->host[n] = '\0';
		if (!addr_parse(out->host, &a) || a.family != AF_INET6) {
			px_err(err, errlen, url, "bad IPv6 address");
			return false;
		}
		colon = hend + 1;
		if (colon != end && *colon != ':') {
			px_err(err, errlen, url, "junk after ']'");
			return false;
		}
	} else {
		colon = memchr(hp, ':', (size_t)(end - hp));
		hend = colon != NULL ? colon : end;
		n = (size_t)(hend - hp);
		if (n >= sizeof(out->host)) {
			px_err(err, errlen, url, "host too long");
			return false;
		}
		memcpy(out->host, hp, n);
		out->host[n] = '\0';
		if (!px_host_ok(out->host)) {
			px_err(err, errlen, url, "bad or missing host");
			return false;
		}
	}
	if (colon != NULL && colon != end) {
		/* RFC 3986 3.2.3: digits; an empty port is the default. */
		if (colon + 1 != end) {
			if (!isdigit((unsigned char)colon[1])) {
				px_err(err, errlen, url, "bad port");
				return false;
			}
			port = strtoul(colon + 1, &e, 10);
			if (e != end || port == 0 || port > 65535) {
				px_err(err, errlen, url, "bad port");
				return false;
			}
			out->port = (uint16_t)port;
		}
	}
	return true;
}

/* ASCII case-insensitive equality of a[0..n) and b[0..m). */
static bool
px_eq(const char *a, size_t n, const char *b, size_t m)
{
	return n == m && strncasecmp(a, b, n) == 0;
}

/*
 * One no_proxy entry against host (both without a trailing dot).  As
 * curl: "example.com" and ".example.com" match the name and every name
 * under it; "*.example.com" too (wget's form); an IP address or prefix
 * matches literal addresses only (nothing is resolved here).
 */
static bool
px_entry_match(const char *ent, size_t n, const char *host)
{
	char buf[256];
	const char *p;
	size_t hl = strlen(host);
	struct ip_addr ha, ea;
	struct ip_prefix pre;
	bool host_ip;

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, ent, n);
	buf[n] = '\0';
	host_ip = addr_parse(host, &ha);
	/* Ports are ignored: "[v6]:port", "v4:port", "name:port". */
	if (buf[0] == '[') {
		p = strchr(buf, ']');
		if (p == NULL)
			return false;
		memmove(buf, buf + 1, (size_t)(p - buf - 1));
		buf[p - buf - 1] = '\0';
	} else if ((p = strchr(buf, ':')) != NULL && strchr(p + 1, ':') == NULL)
		buf[p - buf] = '\0';
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (n == 0)
		return false;
	if (strchr(buf, '/') != NULL)
		return host_ip && prefix_parse(buf, true, &pre) &&
		    prefix_contains(&pre, &ha);
	if (addr_parse(buf, &ea))
		return host_ip && ea.family == ha.family &&
		    memcmp(ea.b, ha.b, ea.family == AF_INET ? 4 : 16) == 0;
	if (host_ip)
		return false;
	p = buf;
	if (p[0] == '*' && p[1] == '.')
		p++;
	if (p[0] == '.')
		p++;
	n = strlen(p);
	if (n == 0)
		return false;
	if (px_eq(p, n, host, hl))
		return true;
	return hl > n && host[hl - n - 1] == '.' &&
	    px_eq(p, n, host + hl - n, n);
}

bool
proxy_no_proxy_match(const char *no_proxy, const char *host)
{
	char h[256];
	size_t hl, n;
	const char *p = no_proxy;

	if (no_proxy == NULL || host == NULL)
		return false;
	hl = strlen(host);
	/* A bracketed IPv6 host and a fully qualified name's dot. */
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		host++;
		hl -= 2;
	}
	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	if (hl == 0 || hl >= sizeof(h))
		return false;
	memcpy(h, host, hl);
	h[hl] = '\0';
	/* Entries separated by commas and/or white space. */
	while (*p != '\0') {
		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '*')
			return true;
		if (px_entry_match(p, n, h))
			return true;
		p += n;
	}
	return false;
}

/* The first of two variables that is set and not empty. */
static const char *
px_getenv2(const char *lower, const char *upper)
{
	const char *v = getenv(lower);

	if (v == NULL || *v == '\0')
		v = getenv(upper);
	return v != NULL && *v != '\0' ? v : NULL;
}

int
proxy_from_env(
    const char *host, struct proxy_url *out, char *err, size_t errlen)
{
	const char *url = px_getenv2("https_proxy", "HTTPS_PROXY");
	const char *np = px_getenv2("no_proxy", "NO_PROXY");

	if (url == NULL)
		return 0;
	if (np != NULL && proxy_no_proxy_match(np, host))
		return 0;
	if (!proxy_url_parse(url, out, err, errlen))
		return -1;
	return 1;
}

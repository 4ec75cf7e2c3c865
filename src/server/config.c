#include "server/config.h"

#include <sys/stat.h>

#include <linux/rtnetlink.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "base/file.h"
#include "base/ini_text.h"
#include "io/tls.h"
#include "sstp/sstp_http.h"

/* Far beyond any real config; stops a wrong path from eating memory. */
#define CONFIG_FILE_MAX (1u << 20)
#define WHY_MAX		256

struct key;
typedef bool set_fn(
    struct server_config *c, const struct key *k, const char *v, char *why);

struct key {
	const char *section;
	const char *name;
	set_fn *set;
	size_t off; /* the field, for the generic setters */
	size_t cap;
};

static bool __attribute__((format(printf, 2, 3)))
why_fmt(char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, WHY_MAX, fmt, ap);
	va_end(ap);
	return false;
}

/*
 * Calls fn on each item of a comma-separated list, trimmed.  An empty
 * item ("a,,b", a trailing comma) is an error; an empty list is none.
 */
static bool
for_each_item(const char *v, bool (*fn)(void *, const char *, char *),
    void *arg, char *why)
{
	char item[CONFIG_PATH_MAX];
	const char *p = v, *end;
	size_t len;

	while (ini_is_blank(*p))
		p++;
	if (*p == '\0')
		return true;
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		while (len > 0 && ini_is_blank(*p)) {
			p++;
			len--;
		}
		while (len > 0 && ini_is_blank(p[len - 1]))
			len--;
		if (len == 0)
			return why_fmt(why, "empty item in the list");
		if (len >= sizeof(item))
			return why_fmt(why, "item too long");
		memcpy(item, p, len);
		item[len] = '\0';
		if (!fn(arg, item, why))
			return false;
		if (end == NULL)
			return true;
		p = end + 1;
	}
}

struct listen_list {
	struct listen_addr v[CONFIG_MAX_LISTEN];
	size_t n;
};

static bool
listen_item(void *arg, const char *s, char *why)
{
	struct listen_list *l = arg;
	struct listen_addr a;
	struct ip_addr ip;
	char buf[ADDR_STR_MAX];
	size_t i;

	memset(&a, 0, sizeof(a));
	if (!endpoint_split(s, a.host, sizeof(a.host), 443, &a.port))
		return why_fmt(why, "\"%.64s\" is not host:port", s);
	if (a.host[0] != '\0') {
		/* A literal: the listener binds, it does not resolve. */
		if (!addr_parse(a.host, &ip))
			return why_fmt(why,
			    "\"%.64s\": the host must be an IP address", s);
		if (s[0] == '[' && ip.family != AF_INET6)
			return why_fmt(
			    why, "\"%.64s\": brackets are for IPv6 only", s);
		/* Canonical, so that "[0::0]" and "[::]" are one. */
		snprintf(a.host, sizeof(a.host), "%s", addr_str(&ip, buf));
	}
	for (i = 0; i < l->n; i++)
		if (l->v[i].port == a.port && strcmp(l->v[i].host, a.host) == 0)
			return why_fmt(why, "\"%.64s\" listed twice", s);
	if (l->n == CONFIG_MAX_LISTEN)
		return why_fmt(
		    why, "more than %d addresses", CONFIG_MAX_LISTEN);
	l->v[l->n++] = a;
	return true;
}

static bool
listen_parse(const char *v, struct listen_addr out[CONFIG_MAX_LISTEN],
    size_t *n, char *why)
{
	struct listen_list l = { .n = 0 };

	if (!for_each_item(v, listen_item, &l, why))
		return false;
	if (l.n == 0)
		return why_fmt(why, "needs at least one address");
	memcpy(out, l.v, sizeof(l.v));
	*n = l.n;
	return true;
}

static bool
set_listen(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	if (!listen_parse(v, c->listen, &c->nlisten, why))
		return false;
	c->listen_given = true;
	return true;
}

static bool
path_copy(char *dst, size_t cap, const char *v, char *why)
{
	size_t len = strlen(v), i;

	if (len == 0)
		return why_fmt(why, "needs a path");
	if (len >= cap)
		return why_fmt(why, "path longer than %zu bytes", cap - 1);
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return why_fmt(why, "control character in the path");
	memcpy(dst, v, len + 1);
	return true;
}

static bool
set_path(struct server_config *c, const struct key *k, const char *v, char *why)
{
	return path_copy((char *)c + k->off, k->cap, v, why);
}

/* The kernel's rules for an interface name (dev_valid_name()). */
static bool
set_tun(struct server_config *c, const struct key *k, const char *v, char *why)
{
	size_t len = strlen(v), i;

	(void)k;
	if (len == 0 || len >= sizeof(c->tun))
		return why_fmt(
		    why, "needs 1 to %zu characters", sizeof(c->tun) - 1);
	if (strcmp(v, ".") == 0 || strcmp(v, "..") == 0)
		return why_fmt(why, "\"%s\" is not an interface name", v);
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == '/' || v[i] == ':' ||
		    v[i] == 0x7f)
			return why_fmt(
			    why, "\"%s\" is not an interface name", v);
	memcpy(c->tun, v, len + 1);
	return true;
}

static bool
set_mtu(struct server_config *c, const struct key *k, const char *v, char *why)
{
	uint32_t mtu;

	(void)k;
	if (!ini_parse_u32(v, LCP_MRU_MIN, LCP_MRU_MAX, &mtu))
		return why_fmt(why, "\"%.32s\" is not a number in %d..%d", v,
		    LCP_MRU_MIN, LCP_MRU_MAX);
	c->mtu = mtu;
	return true;
}

static bool
set_pool4(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	struct ip_prefix p;

	(void)k;
	if (*v == '\0') {
		c->has_pool4 = false;
		return true;
	}
	if (!prefix_parse(v, false, &p) || p.addr.family != AF_INET)
		return why_fmt(why,
		    "\"%.64s\" is not an IPv4 prefix (a.b.c.d/n, host bits zero)",
		    v);
	if (p.len < 8 || p.len > 30)
		return why_fmt(why, "prefix length %u is not in 8..30", p.len);
	c->pool4 = p;
	c->has_pool4 = true;
	return true;
}

static bool
set_prefix6(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	struct ip_prefix p;

	(void)k;
	if (*v == '\0') {
		c->has_prefix6 = false;
		return true;
	}
	if (!prefix_parse(v, false, &p) || p.addr.family != AF_INET6)
		return why_fmt(why,
		    "\"%.64s\" is not an IPv6 prefix (v6/n, host bits zero)",
		    v);
	if (p.len < 32 || p.len > 64)
		return why_fmt(why, "prefix length %u is not in 32..64", p.len);
	c->prefix6 = p;
	c->has_prefix6 = true;
	return true;
}

struct dns_list {
	struct ip_addr v4[CONFIG_MAX_DNS], v6[CONFIG_MAX_DNS];
	size_t n4, n6;
};

static bool
dns_item(void *arg, const char *s, char *why)
{
	struct dns_list *l = arg;
	struct ip_addr a;

	if (!addr_parse(s, &a))
		return why_fmt(why, "\"%.64s\" is not an IP address", s);
	if (a.family == AF_INET) {
		if (l->n4 == CONFIG_MAX_DNS)
			return why_fmt(
			    why, "more than %d IPv4 servers", CONFIG_MAX_DNS);
		l->v4[l->n4++] = a;
	} else {
		if (l->n6 == CONFIG_MAX_DNS)
			return why_fmt(
			    why, "more than %d IPv6 servers", CONFIG_MAX_DNS);
		l->v6[l->n6++] = a;
	}
	return true;
}

static bool
set_dns(struct server_config *c, const struct key *k, const char *v, char *why)
{
	struct dns_list l;

	(void)k;
	memset(&l, 0, sizeof(l));
	if (!for_each_item(v, dns_item, &l, why))
		return false;
	memcpy(c->dns4, l.v4, sizeof(l.v4));
	c->ndns4 = l.n4;
	memcpy(c->dns6, l.v6, sizeof(l.v6));
	c->ndns6 = l.n6;
	return true;
}

struct auth_list {
	enum ppp_auth_method v[CONFIG_AUTH_MAX];
	size_t n;
};

static const struct {
	const char *name;
	enum ppp_auth_method m;
} auth_names[] = {
	{ "pap", PPP_AUTH_PAP },
	{ "chap", PPP_AUTH_CHAP_MD5 },
	{ "mschapv2", PPP_AUTH_MSCHAPV2 },
	{ "eap-mschapv2", PPP_AUTH_EAP },
};

static bool
auth_item(void *arg, const char *s, char *why)
{
	struct auth_list *l = arg;
	size_t i, j;

	for (i = 0; i < sizeof(auth_names) / sizeof(auth_names[0]); i++)
		if (strcasecmp(s, auth_names[i].name) == 0)
			break;
	if (i == sizeof(auth_names) / sizeof(auth_names[0]))
		return why_fmt(why,
		    "\"%.64s\" is not one of pap, chap, mschapv2, eap-mschapv2",
		    s);
	for (j = 0; j < l->n; j++)
		if (l->v[j] == auth_names[i].m)
			return why_fmt(
			    why, "%s listed twice", auth_names[i].name);
	/* Four names, no repeats: it cannot overflow. */
	l->v[l->n++] = auth_names[i].m;
	return true;
}

static bool
set_auth(struct server_config *c, const struct key *k, const char *v, char *why)
{
	struct auth_list l = { .n = 0 };

	(void)k;
	if (!for_each_item(v, auth_item, &l, why))
		return false;
	if (l.n == 0)
		return why_fmt(why, "needs at least one method");
	memcpy(c->auth, l.v, sizeof(l.v));
	c->nauth = l.n;
	return true;
}

static bool
set_binding(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	if (strcasecmp(v, "required") == 0)
		c->binding_required = true;
	else if (strcasecmp(v, "optional") == 0)
		c->binding_required = false;
	else
		return why_fmt(why, "\"%.32s\" is not required or optional", v);
	return true;
}

static bool
set_log_level(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	enum log_level l;

	(void)k;
	if (!log_level_parse(v, &l))
		return why_fmt(
		    why, "\"%.32s\" is not error, warn, info or debug", v);
	c->log_level = l;
	return true;
}

/* A user name as useradd takes it; whether it exists is checked when the
 * server drops to it.  Empty: stay root. */
static bool
set_user(struct server_config *c, const struct key *k, const char *v, char *why)
{
	size_t len = strlen(v), i;

	(void)k;
	if (len >= sizeof(c->user))
		return why_fmt(
		    why, "longer than %zu characters", sizeof(c->user) - 1);
	for (i = 0; i < len; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') ||
			(v[i] >= 'A' && v[i] <= 'Z') ||
			(v[i] >= '0' && v[i] <= '9') || v[i] == '_' ||
			v[i] == '.' || (v[i] == '-' && i > 0) ||
			(v[i] == '$' && i == len - 1)))
			return why_fmt(why, "\"%.64s\" is not a user name", v);
	memcpy(c->user, v, len + 1);
	return true;
}

static bool
set_seccomp(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	if (strcasecmp(v, "enforce") == 0)
		c->seccomp = PRIVS_SECCOMP_ENFORCE;
	else if (strcasecmp(v, "log") == 0)
		c->seccomp = PRIVS_SECCOMP_LOG;
	else if (strcasecmp(v, "off") == 0)
		c->seccomp = PRIVS_SECCOMP_OFF;
	else
		return why_fmt(why, "\"%.32s\" is not enforce, log or off", v);
	return true;
}

static bool
set_ms(struct server_config *c, const struct key *k, const char *v, char *why)
{
	uint32_t ms;

	if (!ini_parse_u32(v, 1, UINT32_MAX, &ms))
		return why_fmt(why,
		    "\"%.32s\" is not a number of milliseconds above 0", v);
	memcpy((char *)c + k->off, &ms, sizeof(ms));
	return true;
}

struct prefix_list {
	struct ip_prefix v[CONFIG_ACL_MAX];
	size_t n;
};

/* A prefix in CIDR form, or one address (a /32 or /128). */
static bool
prefix_item(void *arg, const char *s, char *why)
{
	struct prefix_list *l = arg;
	struct ip_prefix p;

	if (strchr(s, '/') != NULL) {
		if (!prefix_parse(s, false, &p))
			return why_fmt(why,
			    "\"%.64s\" is not a prefix (CIDR, host bits zero)",
			    s);
	} else {
		if (!addr_parse(s, &p.addr))
			return why_fmt(why, "\"%.64s\" is not an address", s);
		p.len = p.addr.family == AF_INET ? 32 : 128;
	}
	if (l->n == CONFIG_ACL_MAX)
		return why_fmt(why, "more than %d prefixes", CONFIG_ACL_MAX);
	l->v[l->n++] = p;
	return true;
}

static bool
set_prefixes(struct ip_prefix *out, size_t *n, const char *v, char *why)
{
	struct prefix_list *l = calloc(1, sizeof(*l));
	bool ok;

	if (l == NULL)
		return why_fmt(why, "out of memory");
	if ((ok = for_each_item(v, prefix_item, l, why))) {
		memcpy(out, l->v, sizeof(l->v));
		*n = l->n;
	}
	free(l);
	return ok;
}

static bool
set_deny(struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	return set_prefixes(c->deny, &c->ndeny, v, why);
}

static bool
set_allow(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	return set_prefixes(c->allow, &c->nallow, v, why);
}

/* A count, 0 for "no limit". */
static bool
set_count(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	uint32_t n;

	if (!ini_parse_u32(v, 0, 1000000, &n))
		return why_fmt(
		    why, "\"%.32s\" is not a number in 0..1000000", v);
	memcpy((char *)c + k->off, &n, sizeof(n));
	return true;
}

/* workers = auto (0: one per core) or 1..64 (WORKERS_MAX). */
static bool
set_workers(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	if (strcmp(v, "auto") == 0) {
		c->workers = 0;
		return true;
	}
	if (!ini_parse_u32(v, 1, 64, &c->workers))
		return why_fmt(why, "\"%.32s\" is not auto or 1..64", v);
	return true;
}

/* --- TLS: [server], and [listener NAME] over it ------------------------ */

static bool
tls_min_parse(const char *v, int *out, char *why)
{
	if (strcmp(v, "1.2") == 0)
		*out = TLS1_2_VERSION;
	else if (strcmp(v, "1.3") == 0)
		*out = TLS1_3_VERSION;
	else
		return why_fmt(why, "\"%.32s\" is not 1.2 or 1.3", v);
	return true;
}

/*
 * An OpenSSL list, tried on a scratch context now: a list OpenSSL
 * refuses is named with its line by --check-config, not at start-up.
 */
static bool
tls_list_parse(enum tls_list kind, const char *v, char *dst, char *why)
{
	char err[TLS_ERR_MAX];
	size_t len = strlen(v);

	if (len == 0)
		return why_fmt(why, "needs a list (OpenSSL's syntax)");
	if (len >= CONFIG_TLS_LIST_MAX)
		return why_fmt(
		    why, "longer than %d bytes", CONFIG_TLS_LIST_MAX - 1);
	if (!tls_list_check(kind, v, err, sizeof(err)))
		return why_fmt(why, "OpenSSL refuses \"%.64s\": %s", v, err);
	memcpy(dst, v, len + 1);
	return true;
}

static bool
set_tls_min(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	return tls_min_parse(v, &c->tls.min_version, why);
}

static bool
set_ciphers(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	return tls_list_parse(TLS_LIST_CIPHERS, v, c->tls.ciphers, why);
}

static bool
set_ciphersuites(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	return tls_list_parse(
	    TLS_LIST_CIPHERSUITES, v, c->tls.ciphersuites, why);
}

static bool
set_groups(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	return tls_list_parse(TLS_LIST_GROUPS, v, c->tls.groups, why);
}

/* The kernel's names (linux/rtnetlink.h), which iproute2 knows without
 * its rt_protos file. */
static const struct {
	const char *name;
	uint8_t proto;
} rtprot_names[] = {
	{ "boot", RTPROT_BOOT },
	{ "static", RTPROT_STATIC },
	{ "gated", RTPROT_GATED },
	{ "ra", RTPROT_RA },
	{ "mrt", RTPROT_MRT },
	{ "zebra", RTPROT_ZEBRA },
	{ "bird", RTPROT_BIRD },
	{ "dnrouted", RTPROT_DNROUTED },
	{ "xorp", RTPROT_XORP },
	{ "ntk", RTPROT_NTK },
	{ "dhcp", RTPROT_DHCP },
	{ "mrouted", RTPROT_MROUTED },
	{ "keepalived", RTPROT_KEEPALIVED },
	{ "babel", RTPROT_BABEL },
	{ "openr", RTPROT_OPENR },
	{ "bgp", RTPROT_BGP },
	{ "isis", RTPROT_ISIS },
	{ "ospf", RTPROT_OSPF },
	{ "rip", RTPROT_RIP },
	{ "eigrp", RTPROT_EIGRP },
};

/*
 * 0..2 (unspec, redirect, kernel) are the kernel's own: routing daemons
 * and `ip route flush proto kernel` treat such routes as the kernel's.
 */
static bool
set_route_protocol(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	uint32_t n;
	size_t i;

	(void)k;
	for (i = 0; i < sizeof(rtprot_names) / sizeof(rtprot_names[0]); i++)
		if (strcasecmp(v, rtprot_names[i].name) == 0) {
			c->route_protocol = rtprot_names[i].proto;
			return true;
		}
	if (!ini_parse_u32(v, RTPROT_BOOT, 255, &n))
		return why_fmt(why,
		    "\"%.32s\" is not a number in 3..255 or a name such as "
		    "static, boot, bird, zebra",
		    v);
	c->route_protocol = (uint8_t)n;
	return true;
}

static bool
set_log(struct server_config *c, const struct key *k, const char *v, char *why)
{
	(void)k;
	if (strcasecmp(v, "stderr") == 0)
		c->log_sink = LOG_SINK_STDERR;
	else if (strcasecmp(v, "syslog") == 0)
		c->log_sink = LOG_SINK_SYSLOG;
	else
		return why_fmt(why, "\"%.32s\" is not stderr or syslog", v);
	return true;
}

static bool
set_u32_in(struct server_config *c, const struct key *k, const char *v,
    uint32_t min, uint32_t max, char *why)
{
	uint32_t n;

	if (!ini_parse_u32(v, min, max, &n))
		return why_fmt(why, "\"%.32s\" is not a number in %u..%u", v,
		    (unsigned)min, (unsigned)max);
	memcpy((char *)c + k->off, &n, sizeof(n));
	return true;
}

/*
 * The HTTP request's caps (spec/sstp.md 1.3).  The SSTP request line
 * alone is 70 bytes and its block about 200; a line cannot be longer
 * than the parser's buffer.
 */
static bool
set_http_line(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	return set_u32_in(c, k, v, 128, SSTP_HTTP_LINE_BUF, why);
}

static bool
set_http_bytes(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	return set_u32_in(c, k, v, 512, 65536, why);
}

static bool
set_http_headers(
    struct server_config *c, const struct key *k, const char *v, char *why)
{
	return set_u32_in(c, k, v, 4, 1024, why);
}

#define FIELD(f)                                                               \
	offsetof(struct server_config, f),                                     \
	    sizeof(((struct server_config *)0)->f)

static const struct key keys[] = {
	{ "server", "listen", set_listen, 0, 0 },
	{ "server", "cert", set_path, FIELD(cert) },
	{ "server", "key", set_path, FIELD(key) },
	{ "server", "users", set_path, FIELD(users) },
	{ "server", "tun", set_tun, 0, 0 },
	{ "server", "mtu", set_mtu, 0, 0 },
	{ "server", "pool4", set_pool4, 0, 0 },
	{ "server", "prefix6", set_prefix6, 0, 0 },
	{ "server", "dns", set_dns, 0, 0 },
	{ "server", "auth", set_auth, 0, 0 },
	{ "server", "crypto_binding", set_binding, 0, 0 },
	{ "server", "log_level", set_log_level, 0, 0 },
	{ "server", "user", set_user, 0, 0 },
	{ "server", "seccomp", set_seccomp, 0, 0 },
	{ "server", "deny", set_deny, 0, 0 },
	{ "server", "allow", set_allow, 0, 0 },
	{ "server", "max_sessions", set_count, FIELD(max_sessions) },
	{ "server", "max_per_source", set_count, FIELD(max_per_source) },
	{ "server", "max_per_user", set_count, FIELD(max_per_user) },
	{ "server", "ban_failures", set_count, FIELD(ban_failures) },
	{ "server", "ban_window_ms", set_ms, FIELD(ban_window_ms) },
	{ "server", "ban_ms", set_ms, FIELD(ban_ms) },
	{ "server", "http_max_line", set_http_line, FIELD(http_max_line) },
	{ "server", "http_max_header_bytes", set_http_bytes,
	    FIELD(http_max_header_bytes) },
	{ "server", "http_max_headers", set_http_headers,
	    FIELD(http_max_headers) },
	{ "server", "tls_min_version", set_tls_min, 0, 0 },
	{ "server", "ciphers", set_ciphers, 0, 0 },
	{ "server", "ciphersuites", set_ciphersuites, 0, 0 },
	{ "server", "groups", set_groups, 0, 0 },
	{ "server", "route_protocol", set_route_protocol, 0, 0 },
	{ "server", "log", set_log, 0, 0 },
	{ "server", "workers", set_workers, 0, 0 },
	{ "timers", "hello", set_ms, FIELD(hello_ms) },
	{ "timers", "lcp_echo", set_ms, FIELD(lcp_echo_ms) },
	{ "timers", "handshake", set_ms, FIELD(handshake_ms) },
	{ "timers", "setup", set_ms, FIELD(setup_ms) },
	{ "timers", "drain", set_ms, FIELD(drain_ms) },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* --- [listener NAME] --------------------------------------------------- */

static bool
lset_listen(struct listener_config *l, const char *v, char *why)
{
	return listen_parse(v, l->listen, &l->nlisten, why);
}

static bool
lset_cert(struct listener_config *l, const char *v, char *why)
{
	return path_copy(l->cert, sizeof(l->cert), v, why);
}

static bool
lset_key(struct listener_config *l, const char *v, char *why)
{
	return path_copy(l->key, sizeof(l->key), v, why);
}

static bool
lset_tls_min(struct listener_config *l, const char *v, char *why)
{
	return tls_min_parse(v, &l->tls.min_version, why);
}

static bool
lset_ciphers(struct listener_config *l, const char *v, char *why)
{
	return tls_list_parse(TLS_LIST_CIPHERS, v, l->tls.ciphers, why);
}

static bool
lset_ciphersuites(struct listener_config *l, const char *v, char *why)
{
	return tls_list_parse(
	    TLS_LIST_CIPHERSUITES, v, l->tls.ciphersuites, why);
}

static bool
lset_groups(struct listener_config *l, const char *v, char *why)
{
	return tls_list_parse(TLS_LIST_GROUPS, v, l->tls.groups, why);
}

static const struct {
	const char *name;
	unsigned bit;
	bool (*set)(struct listener_config *l, const char *v, char *why);
} listener_keys[] = {
	{ "listen", LISTENER_HAS_LISTEN, lset_listen },
	{ "cert", LISTENER_HAS_CERT, lset_cert },
	{ "key", LISTENER_HAS_KEY, lset_key },
	{ "tls_min_version", LISTENER_HAS_MIN_VERSION, lset_tls_min },
	{ "ciphers", LISTENER_HAS_CIPHERS, lset_ciphers },
	{ "ciphersuites", LISTENER_HAS_CIPHERSUITES, lset_ciphersuites },
	{ "groups", LISTENER_HAS_GROUPS, lset_groups },
};

/*
 * "listener NAME" (len bytes): where NAME starts, or 0 when s is not
 * such a section.  NAME is 1..31 letters, digits, '_', '.' or '-' (inih
 * keeps at most 49 bytes of a section name; this fits).
 */
static size_t
listener_section(const char *s, size_t len)
{
	size_t i = 8, start;

	if (len <= i || strncasecmp(s, "listener", 8) != 0 ||
	    !ini_is_blank(s[i]))
		return 0;
	while (i < len && ini_is_blank(s[i]))
		i++;
	start = i;
	if (len - start == 0 || len - start >= CONFIG_LISTENER_NAME_MAX)
		return 0;
	for (; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
			(s[i] >= 'A' && s[i] <= 'Z') ||
			(s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
			s[i] == '.' || s[i] == '-'))
			return 0;
	return start;
}

/* The section named name, made when first seen; NULL when all taken. */
static struct listener_config *
listener_get(struct server_config *c, const char *name)
{
	struct listener_config *l;
	size_t i;

	for (i = 0; i < c->nlisteners; i++)
		if (strcmp(c->listeners[i].name, name) == 0)
			return &c->listeners[i];
	if (c->nlisteners == CONFIG_MAX_LISTENERS)
		return NULL;
	l = &c->listeners[c->nlisteners++];
	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", name);
	return l;
}

/* A key of [listener NAME]: each once per section. */
static bool
listener_set(struct server_config *c, const char *name, const char *key,
    const char *value, char *err, size_t errlen)
{
	struct listener_config *l;
	char why[WHY_MAX];
	size_t i;

	for (i = 0; i < sizeof(listener_keys) / sizeof(listener_keys[0]); i++)
		if (strcasecmp(listener_keys[i].name, key) == 0)
			break;
	if (i == sizeof(listener_keys) / sizeof(listener_keys[0])) {
		snprintf(err, errlen,
		    "unknown key \"%.64s\" in [listener %s] (listen, cert, "
		    "key, tls_min_version, ciphers, ciphersuites, groups)",
		    key, name);
		return false;
	}
	if ((l = listener_get(c, name)) == NULL) {
		snprintf(err, errlen, "more than %d [listener] sections",
		    CONFIG_MAX_LISTENERS);
		return false;
	}
	if (l->given & listener_keys[i].bit) {
		snprintf(err, errlen, "%s given twice in [listener %s]",
		    listener_keys[i].name, name);
		return false;
	}
	if (!listener_keys[i].set(l, value, why)) {
		snprintf(err, errlen, "%s: %s", listener_keys[i].name, why);
		return false;
	}
	l->given |= listener_keys[i].bit;
	return true;
}

static bool
known_section(const char *s, size_t len)
{
	return (len == 6 && strncasecmp(s, "server", 6) == 0) ||
	    (len == 6 && strncasecmp(s, "timers", 6) == 0) ||
	    listener_section(s, len) != 0;
}

/* Sections and keys compare case-insensitively, as configparser's do. */
static const struct key *
key_find(const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcasecmp(keys[i].section, section) == 0 &&
		    strcasecmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static void
config_defaults(struct server_config *c)
{
	struct sstp_http_limits lim;

	memset(c, 0, sizeof(*c));
	snprintf(c->listen[0].host, sizeof(c->listen[0].host), "0.0.0.0");
	c->listen[0].port = 443;
	snprintf(c->listen[1].host, sizeof(c->listen[1].host), "::");
	c->listen[1].port = 443;
	c->nlisten = 2;
	snprintf(c->tun, sizeof(c->tun), "sstp0");
	c->mtu = 1400;
	c->auth[0] = PPP_AUTH_MSCHAPV2;
	c->auth[1] = PPP_AUTH_EAP;
	c->nauth = 2;
	c->binding_required = true;
	c->log_level = LOG_LVL_INFO;
	snprintf(c->user, sizeof(c->user), "nobody");
	c->seccomp = PRIVS_SECCOMP_ENFORCE;
	c->max_sessions = 10000;
	c->max_per_source = 16;
	c->ban_failures = 5;
	c->ban_window_ms = 60000;
	c->ban_ms = 300000;
	c->hello_ms = 60000;
	c->lcp_echo_ms = 30000;
	c->handshake_ms = 60000;
	c->setup_ms = 60000;
	sstp_http_limits_default(&lim);
	c->http_max_line = (uint32_t)lim.max_line;
	c->http_max_header_bytes = (uint32_t)lim.max_header_bytes;
	c->http_max_headers = lim.max_headers;
	c->drain_ms = 10000;
	/* One until a benchmark shows more paying off (DESIGN.md; the
	 * measurement is in issue 13's note). */
	c->workers = 1;
	c->tls.min_version = TLS1_2_VERSION;
	snprintf(c->tls.ciphers, sizeof(c->tls.ciphers), "%s",
	    CONFIG_CIPHERS_DEFAULT);
	/* What the pools had before the key existed: "installed by an
	 * administrator".  A routing daemon that announces them is given a
	 * number of its own (DESIGN.md Beyond one machine). */
	c->route_protocol = RTPROT_STATIC;
	c->log_sink = LOG_SINK_STDERR;
}

void
server_config_default(struct server_config *c)
{
	config_defaults(c);
}

bool
server_config_set(struct server_config *c, const char *section, const char *key,
    const char *value, char *err, size_t errlen)
{
	char why[WHY_MAX], sec[16];
	const char *dot;
	const struct key *k;
	size_t off;

	if ((section == NULL || *section == '\0') &&
	    (dot = strchr(key, '.')) != NULL) {
		if ((size_t)(dot - key) >= sizeof(sec)) {
			snprintf(err, errlen, "%s: unknown key", key);
			return false;
		}
		memcpy(sec, key, (size_t)(dot - key));
		sec[dot - key] = '\0';
		section = sec;
		key = dot + 1;
	}
	if (section == NULL || *section == '\0')
		section = "server";
	if ((off = listener_section(section, strlen(section))) != 0)
		return listener_set(c, section + off, key, value, err, errlen);
	if ((k = key_find(section, key)) == NULL) {
		snprintf(err, errlen, "%s.%s: unknown key", section, key);
		return false;
	}
	if (!k->set(c, k, value, why)) {
		snprintf(err, errlen, "%s: %s", k->name, why);
		return false;
	}
	return true;
}

struct parse_ctx {
	struct ini_text t;
	struct server_config *c; /* a copy, committed on success */
	bool seen[NKEYS];
};

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *pc = user;
	const struct key *k;
	char why[WHY_MAX], err[WHY_MAX + 64];
	size_t off;

	if (pc->t.failed)
		return 0;
	if (*section == '\0') {
		ini_text_fail(&pc->t, "\"%.64s\" outside any [section]", name);
		return 0;
	}
	if ((off = listener_section(section, strlen(section))) != 0) {
		if (!listener_set(
			pc->c, section + off, name, value, err, sizeof(err))) {
			ini_text_fail(&pc->t, "%s", err);
			return 0;
		}
		return 1;
	}
	if ((k = key_find(section, name)) == NULL) {
		ini_text_fail(
		    &pc->t, "unknown key \"%.64s\" in [%.64s]", name, section);
		return 0;
	}
	if (pc->seen[k - keys]) {
		ini_text_fail(&pc->t, "%s given twice", k->name);
		return 0;
	}
	pc->seen[k - keys] = true;
	if (!k->set(pc->c, k, value, why)) {
		ini_text_fail(&pc->t, "%s: %s", k->name, why);
		return 0;
	}
	return 1;
}

bool
server_config_parse(struct server_config *c, const char *text, const char *name,
    char *err, size_t errlen)
{
	struct parse_ctx *pc;
	bool ok;

	/* Parse into a copy: a bad file leaves the old values whole. */
	if ((pc = calloc(1, sizeof(*pc))) == NULL ||
	    (pc->c = malloc(sizeof(*pc->c))) == NULL) {
		free(pc);
		snprintf(err, errlen, "%s: out of memory", name);
		return false;
	}
	*pc->c = *c;
	pc->t.section_ok = known_section;
	pc->t.sections_hint = "";
	ok = ini_text_parse(
	    &pc->t, text, name, handler, pc, "[section]", err, errlen);
	if (ok)
		*c = *pc->c;
	free(pc->c);
	free(pc);
	return ok;
}

bool
server_config_load(
    struct server_config *c, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *buf = file_read_all(path, CONFIG_FILE_MAX, &len, err, errlen);
	bool ok;

	if (buf == NULL)
		return false;
	if (strlen(buf) != len) {
		snprintf(err, errlen, "%s: NUL byte in the file", path);
		file_free(buf, len);
		return false;
	}
	ok = server_config_parse(c, buf, path, err, errlen);
	file_free(buf, len);
	return ok;
}

int
server_config_build(struct server_config *c, const struct config_source *src,
    char *err, size_t errlen)
{
	char why[CONFIG_PATH_MAX + 256];
	size_t i;

	server_config_default(c);
	if (src->path != NULL && !server_config_load(c, src->path, err, errlen))
		return 1;
	for (i = 0; i < src->nset; i++)
		if (!server_config_set(c, NULL, src->set[i].key,
			src->set[i].value, why, sizeof(why))) {
			/* why already names the key. */
			snprintf(err, errlen, "%s", why);
			return 2;
		}
	return 0;
}

/* [server]'s own listener opens unless only sections were meant. */
static bool
server_listener_opens(const struct server_config *c)
{
	return c->nlisteners == 0 || c->listen_given;
}

size_t
server_config_nlisteners(const struct server_config *c)
{
	return (server_listener_opens(c) ? 1 : 0) + c->nlisteners;
}

void
server_config_listener(
    const struct server_config *c, size_t i, struct listener_config *out)
{
	const struct listener_config *l;

	if (server_listener_opens(c) && i-- == 0) {
		memset(out, 0, sizeof(*out));
		memcpy(out->listen, c->listen, sizeof(c->listen));
		out->nlisten = c->nlisten;
		memcpy(out->cert, c->cert, sizeof(c->cert));
		memcpy(out->key, c->key, sizeof(c->key));
		out->tls = c->tls;
		out->given = ~0u;
		return;
	}
	l = &c->listeners[i];
	*out = *l;
	if (!(l->given & LISTENER_HAS_CERT))
		memcpy(out->cert, c->cert, sizeof(c->cert));
	if (!(l->given & LISTENER_HAS_KEY))
		memcpy(out->key, c->key, sizeof(c->key));
	if (!(l->given & LISTENER_HAS_MIN_VERSION))
		out->tls.min_version = c->tls.min_version;
	if (!(l->given & LISTENER_HAS_CIPHERS))
		memcpy(
		    out->tls.ciphers, c->tls.ciphers, sizeof(c->tls.ciphers));
	if (!(l->given & LISTENER_HAS_CIPHERSUITES))
		memcpy(out->tls.ciphersuites, c->tls.ciphersuites,
		    sizeof(c->tls.ciphersuites));
	if (!(l->given & LISTENER_HAS_GROUPS))
		memcpy(out->tls.groups, c->tls.groups, sizeof(c->tls.groups));
}

/* The address a listen entry binds: ":443" is any IPv4 address. */
static const char *
bind_host(const struct listen_addr *a)
{
	return a->host[0] != '\0' ? a->host : "0.0.0.0";
}

/*
 * Each listener has addresses, a cert and a key; no address is taken
 * twice; the sockets stay within CONFIG_MAX_SOCKETS.  [server]'s own
 * gets the messages it always had.
 */
static bool
listeners_check(const struct server_config *c, char *err, size_t errlen)
{
	static const char *const server_why[] = {
		"no listen address",
		"no cert: the server's certificate chain is needed",
		"no key: the certificate's private key is needed",
	};
	static const char *const section_why[] = {
		"no listen address",
		"no cert (here or in [server])",
		"no key (here or in [server])",
	};
	struct listener_config l;
	struct listen_addr seen[CONFIG_MAX_SOCKETS];
	char owner[CONFIG_MAX_SOCKETS][CONFIG_LISTENER_NAME_MAX + 16];
	char label[CONFIG_LISTENER_NAME_MAX + 16];
	size_t n = server_config_nlisteners(c), nseen = 0, i, j, k;
	int missing;

	for (i = 0; i < n; i++) {
		server_config_listener(c, i, &l);
		snprintf(label, sizeof(label),
		    l.name[0] ? "[listener %s]" : "[server]", l.name);
		missing = -1;
		if (l.nlisten == 0)
			missing = 0;
		else if (l.cert[0] == '\0')
			missing = 1;
		else if (l.key[0] == '\0')
			missing = 2;
		if (missing >= 0 && l.name[0] == '\0') {
			snprintf(err, errlen, "%s", server_why[missing]);
			return false;
		}
		if (missing >= 0) {
			snprintf(
			    err, errlen, "%s: %s", label, section_why[missing]);
			return false;
		}
		for (j = 0; j < l.nlisten; j++) {
			for (k = 0; k < nseen; k++)
				if (seen[k].port == l.listen[j].port &&
				    strcmp(bind_host(&seen[k]),
					bind_host(&l.listen[j])) == 0)
					break;
			if (k < nseen) {
				snprintf(err, errlen,
				    "%s: listen %s%s%s:%u is also in %s", label,
				    strchr(seen[k].host, ':') ? "[" : "",
				    bind_host(&seen[k]),
				    strchr(seen[k].host, ':') ? "]" : "",
				    (unsigned)seen[k].port, owner[k]);
				return false;
			}
			if (nseen == CONFIG_MAX_SOCKETS) {
				snprintf(err, errlen,
				    "more than %d listening addresses in all",
				    CONFIG_MAX_SOCKETS);
				return false;
			}
			seen[nseen] = l.listen[j];
			snprintf(owner[nseen++], sizeof(owner[0]), "%s", label);
		}
	}
	return true;
}

bool
server_config_validate(const struct server_config *c, char *err, size_t errlen)
{
	const char *why = NULL;

	if (!listeners_check(c, err, errlen))
		return false;
	if (c->users[0] == '\0')
		why = "no users file";
	else if (!c->has_pool4 && !c->has_prefix6)
		why = "neither pool4 nor prefix6: clients would get no address";
	else if (c->nauth == 0)
		why = "no auth method";
	if (why != NULL) {
		snprintf(err, errlen, "%s", why);
		return false;
	}
	return true;
}

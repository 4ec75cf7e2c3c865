/*
 * The client's options: one table of every option, used by getopt_long
 * for the command line and by the profile reader (inih) for its keys, so
 * that the two can never disagree on a name or on what a value means.
 */
#include "client/options.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/tls1.h>

#include "base/file.h"
#include "base/ini_text.h"
#include "client/proxy.h"

#ifndef OPENSSTP_VERSION
#define OPENSSTP_VERSION "unknown"
#endif

#define EXIT_USAGE	 2 /* CLIENT_EXIT_USAGE of client.h */
#define WHY_MAX		 320
#define PROFILE_FILE_MAX (1u << 20)
#define SECRET_FILE_MAX	 (64u << 10)
#define MS_MAX		 86400000u /* a day */
#define RETRIES_MAX	 1000000

struct opt;

/* Where values come from now: a profile or the command line. */
struct pctx {
	struct client_opts *o;
	bool in_profile;
	bool pins_here, routes_here; /* a list started in this source */
	bool no_routes_here;
	bool password_here; /* password or password-file in this source */
};

typedef bool set_fn(
    struct pctx *pc, const struct opt *d, const char *v, char *why);

enum opt_kind {
	ARG, /* takes a value */
	FLAG, /* none on the command line; yes/no in a profile */
};

struct opt {
	const char *name;
	int short_name; /* 0: none */
	enum opt_kind kind;
	set_fn *set;
	size_t off, cap; /* the field, for the generic setters */
	uint32_t min; /* milliseconds: the least value */
	bool repeat; /* may be given again in a profile: it adds */
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

static bool
has_control(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static bool
parse_bool(const char *v, bool *on, char *why)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*on = true;
			return true;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*on = false;
			return true;
		}
	}
	return why_fmt(why, "\"%.32s\" is not yes or no", v);
}

/*
 * Calls fn on each item of a list separated by any of seps, trimmed.  An
 * empty item ("a,,b", a trailing comma) is an error.
 */
static bool
for_each_item(const char *v, const char *seps,
    bool (*fn)(struct pctx *, const char *, char *), struct pctx *pc, char *why)
{
	char item[128];
	const char *p = v;
	size_t len;

	for (;;) {
		len = strcspn(p, seps);
		while (len > 0 && ini_is_blank(*p)) {
			p++;
			len--;
		}
		while (len > 0 && ini_is_blank(p[len - 1]))
			len--;
		if (len == 0)
			return why_fmt(why, "empty item in the list");
		if (len >= sizeof(item))
			return why_fmt(why, "item \"%.32s...\" too long", p);
		memcpy(item, p, len);
		item[len] = '\0';
		if (!fn(pc, item, why))
			return false;
		p += strcspn(p, seps);
		if (*p == '\0')
			return true;
		p++;
	}
}

/* ---- Setters. ---- */

static bool
set_string(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	size_t len = strlen(v);

	if (len >= d->cap)
		return why_fmt(why, "longer than %zu bytes", d->cap - 1);
	if (has_control(v))
		return why_fmt(why, "control character in the value");
	memcpy((char *)pc->o + d->off, v, len + 1);
	return true;
}

static bool
set_path(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	if (*v == '\0')
		return why_fmt(why, "needs a path");
	return set_string(pc, d, v, why);
}

static bool
set_user(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	if (*v == '\0')
		return why_fmt(why, "needs a name");
	return set_string(pc, d, v, why);
}

static bool
password_once(struct pctx *pc, char *why)
{
	if (pc->in_profile && pc->password_here)
		return why_fmt(why, "password and password-file both given");
	pc->password_here = true;
	return true;
}

static bool
set_password(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	size_t len = strlen(v);

	(void)d;
	if (!password_once(pc, why))
		return false;
	if (len == 0)
		return why_fmt(why, "empty password");
	if (len >= sizeof(pc->o->password))
		return why_fmt(
		    why, "longer than %zu bytes", sizeof(pc->o->password) - 1);
	memcpy(pc->o->password, v, len + 1);
	pc->o->have_password = true;
	return true;
}

/* The first line of path, without its end of line. */
static bool
read_first_line(const char *path, char *out, size_t cap, char *why)
{
	char err[WHY_MAX];
	size_t len, n;
	char *buf;

	if ((buf = file_read_all(
		 path, SECRET_FILE_MAX, &len, err, sizeof(err))) == NULL)
		return why_fmt(why, "%s", err);
	n = strcspn(buf, "\r\n");
	if (n == 0) {
		file_free(buf, len);
		return why_fmt(why, "%.200s: the first line is empty", path);
	}
	if (n >= cap) {
		file_free(buf, len);
		return why_fmt(why,
		    "%.200s: the first line is longer than %zu bytes", path,
		    cap - 1);
	}
	memcpy(out, buf, n);
	out[n] = '\0';
	file_free(buf, len);
	return true;
}

static bool
set_password_file(
    struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	char pw[sizeof(pc->o->password)];

	(void)d;
	if (!password_once(pc, why))
		return false;
	if (*v == '\0')
		return why_fmt(why, "needs a path");
	if (!read_first_line(v, pw, sizeof(pw), why))
		return false;
	memcpy(pc->o->password, pw, sizeof(pw));
	explicit_bzero(pw, sizeof(pw));
	pc->o->have_password = true;
	return true;
}

static bool
set_insecure(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	(void)d;
	return parse_bool(v, &pc->o->insecure, why);
}

static int
b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* 32 bytes in base64: 43 characters and one '=' (which may be left off),
 * the 2 spare bits zero. */
static bool
pin_decode(const char *s, uint8_t out[32], char *why)
{
	size_t len, i, n = 0;
	uint32_t acc = 0;
	unsigned bits = 0;
	int v;

	if (strncasecmp(s, "sha256//", 8) == 0)
		s += 8;
	len = strlen(s);
	if (len == 44 && s[43] == '=')
		len = 43;
	if (len != 43)
		return why_fmt(why,
		    "\"%.64s\" is not the base64 of a SHA-256 hash "
		    "(44 characters ending in '=')",
		    s);
	for (i = 0; i < len; i++) {
		if ((v = b64_value(s[i])) < 0)
			return why_fmt(why,
			    "\"%.64s\": '%c' is not a base64 character", s,
			    s[i] >= 0x21 && s[i] < 0x7f ? s[i] : '?');
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0)
		return why_fmt(why, "\"%.64s\" is not canonical base64", s);
	return true;
}

static bool
pin_item(struct pctx *pc, const char *s, char *why)
{
	struct client_opts *o = pc->o;
	uint8_t pin[32];
	size_t i;

	if (!pin_decode(s, pin, why))
		return false;
	for (i = 0; i < o->npins; i++)
		if (memcmp(o->pins[i], pin, sizeof(pin)) == 0)
			return why_fmt(why, "\"%.64s\" listed twice", s);
	if (o->npins == CLIENT_MAX_PINS)
		return why_fmt(why, "more than %d pins", CLIENT_MAX_PINS);
	memcpy(o->pins[o->npins++], pin, sizeof(pin));
	return true;
}

static bool
set_pin(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	(void)d;
	/* A source's first pin replaces those of the sources before. */
	if (!pc->pins_here) {
		pc->o->npins = 0;
		pc->pins_here = true;
	}
	/* curl separates several pins with ';'. */
	return for_each_item(v, ",;", pin_item, pc, why);
}

static bool
set_tls_min(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	(void)d;
	if (strcmp(v, "1.2") == 0)
		pc->o->tls_min = TLS1_2_VERSION;
	else if (strcmp(v, "1.3") == 0)
		pc->o->tls_min = TLS1_3_VERSION;
	else
		return why_fmt(why, "\"%.32s\" is not 1.2 or 1.3", v);
	return true;
}

static bool
set_proxy(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	const char *host;
	char shown[128];

	if (*v == '\0') {
		pc->o->proxy[0] = '\0';
		return true;
	}
	/* Quoted back without its password. */
	proxy_url_redact(v, shown, sizeof(shown));
	if (strncasecmp(v, "https://", 8) == 0)
		return why_fmt(why,
		    "\"%.64s\": only http:// proxies are spoken (CONNECT over "
		    "plain HTTP)",
		    shown);
	if (strncasecmp(v, "http://", 7) != 0)
		return why_fmt(why,
		    "\"%.64s\" is not http://[USER[:PASSWORD]@]HOST[:PORT]",
		    shown);
	host = v + 7;
	if (strrchr(host, '@') != NULL)
		host = strrchr(host, '@') + 1;
	if (*host == '\0' || *host == '/' || *host == ':' ||
	    strpbrk(v, " \t") != NULL)
		return why_fmt(why,
		    "\"%.64s\" is not http://[USER[:PASSWORD]@]HOST[:PORT]",
		    shown);
	return set_string(pc, d, v, why);
}

/* A --proxy URL's password, wiped in argv as --password is. */
static void
wipe_proxy_password(char *url)
{
	size_t off, len;

	if (proxy_url_password_span(url, &off, &len))
		memset(url + off, '*', len);
}

static bool
set_no_proxy_env(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	bool on = false;

	(void)d;
	if (!parse_bool(v, &on, why))
		return false;
	pc->o->proxy_from_env = !on;
	return true;
}

/* The kernel's rules for an interface name (dev_valid_name()). */
static bool
set_tun(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	size_t len = strlen(v), i;

	(void)d;
	if (len == 0 || len >= sizeof(pc->o->tun))
		return why_fmt(
		    why, "needs 1 to %zu characters", sizeof(pc->o->tun) - 1);
	if (strcmp(v, ".") == 0 || strcmp(v, "..") == 0)
		return why_fmt(why, "\"%s\" is not an interface name", v);
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == '/' || v[i] == ':' ||
		    v[i] == 0x7f)
			return why_fmt(
			    why, "\"%s\" is not an interface name", v);
	memcpy(pc->o->tun, v, len + 1);
	return true;
}

static bool
set_mtu(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	uint32_t mtu;

	(void)d;
	if (!ini_parse_u32(v, LCP_MRU_MIN, LCP_MRU_MAX, &mtu))
		return why_fmt(why, "\"%.32s\" is not a number in %d..%d", v,
		    LCP_MRU_MIN, LCP_MRU_MAX);
	pc->o->mtu = mtu;
	return true;
}

static bool
set_no_ipv4(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	bool on = false;

	(void)d;
	if (!parse_bool(v, &on, why))
		return false;
	pc->o->ipv4 = !on;
	return true;
}

static bool
set_no_ipv6(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	bool on = false;

	(void)d;
	if (!parse_bool(v, &on, why))
		return false;
	pc->o->ipv6 = !on;
	return true;
}

static const struct {
	const char *name;
	enum ppp_auth_method m;
} auth_names[] = {
	{ "mschapv2", PPP_AUTH_MSCHAPV2 },
	{ "eap", PPP_AUTH_EAP },
	{ "eap-mschapv2", PPP_AUTH_EAP },
	{ "chap", PPP_AUTH_CHAP_MD5 },
	{ "pap", PPP_AUTH_PAP },
};

#define NAUTH_NAMES (sizeof(auth_names) / sizeof(auth_names[0]))

static bool
auth_item(struct pctx *pc, const char *s, char *why)
{
	struct client_opts *o = pc->o;
	size_t i, j;

	for (i = 0; i < NAUTH_NAMES; i++)
		if (strcasecmp(s, auth_names[i].name) == 0)
			break;
	if (i == NAUTH_NAMES)
		return why_fmt(
		    why, "\"%.64s\" is not one of mschapv2, eap, chap, pap", s);
	for (j = 0; j < o->nauth; j++)
		if (o->auth[j] == auth_names[i].m)
			return why_fmt(why, "%s listed twice", s);
	/* Four methods, no repeats: it cannot overflow. */
	o->auth[o->nauth++] = auth_names[i].m;
	return true;
}

static bool
set_auth(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	struct client_opts *o = pc->o;
	enum ppp_auth_method saved[4];
	size_t nsaved = o->nauth;

	(void)d;
	memcpy(saved, o->auth, sizeof(saved));
	o->nauth = 0;
	if (!for_each_item(v, ",", auth_item, pc, why)) {
		memcpy(o->auth, saved, sizeof(saved));
		o->nauth = nsaved;
		return false;
	}
	return true;
}

static bool
route_item(struct pctx *pc, const char *s, char *why)
{
	struct client_opts *o = pc->o;
	struct ip_prefix p;
	char buf[ADDR_STR_MAX];
	size_t i;

	if (!prefix_parse(s, false, &p)) {
		if (prefix_parse(s, true, &p))
			return why_fmt(why,
			    "\"%.64s\" has host bits set (%s/%u?)", s,
			    addr_str(&p.addr, buf), p.len);
		return why_fmt(
		    why, "\"%.64s\" is not a prefix (a.b.c.d/n or v6/n)", s);
	}
	for (i = 0; i < o->nroutes; i++)
		if (o->routes[i].len == p.len &&
		    o->routes[i].addr.family == p.addr.family &&
		    memcmp(o->routes[i].addr.b, p.addr.b, 16) == 0)
			return why_fmt(why, "\"%.64s\" listed twice", s);
	if (o->nroutes == CLIENT_MAX_ROUTES)
		return why_fmt(why, "more than %d routes", CLIENT_MAX_ROUTES);
	o->routes[o->nroutes++] = p;
	return true;
}

static bool
set_route(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	(void)d;
	if (pc->no_routes_here)
		return why_fmt(why, "route and no-routes together");
	if (!pc->routes_here) {
		pc->o->nroutes = 0;
		pc->routes_here = true;
	}
	pc->o->route_mode = CLIENT_ROUTES_LISTED;
	return for_each_item(v, ",", route_item, pc, why);
}

static bool
set_no_routes(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	bool on = false;

	(void)d;
	if (!parse_bool(v, &on, why))
		return false;
	if (!on) {
		if (pc->o->route_mode == CLIENT_ROUTES_NONE)
			pc->o->route_mode = CLIENT_ROUTES_DEFAULT;
		return true;
	}
	if (pc->routes_here)
		return why_fmt(why, "route and no-routes together");
	pc->no_routes_here = true;
	pc->o->route_mode = CLIENT_ROUTES_NONE;
	pc->o->nroutes = 0;
	return true;
}

static bool
set_kill_switch(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	(void)d;
	return parse_bool(v, &pc->o->kill_switch, why);
}

static bool
set_no_reconnect(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	bool on = false;

	(void)d;
	if (!parse_bool(v, &on, why))
		return false;
	pc->o->reconnect = !on;
	return true;
}

static bool
set_max_retries(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	uint32_t n;

	(void)d;
	if (strcasecmp(v, "forever") == 0) {
		pc->o->max_retries = -1;
		return true;
	}
	if (!ini_parse_u32(v, 0, RETRIES_MAX, &n))
		return why_fmt(why,
		    "\"%.32s\" is not a number in 0..%d or \"forever\"", v,
		    RETRIES_MAX);
	pc->o->max_retries = (int)n;
	return true;
}

static bool
set_ms(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	uint32_t ms;

	if (!ini_parse_u32(v, d->min, MS_MAX, &ms))
		return why_fmt(why,
		    "\"%.32s\" is not a number of milliseconds in %u..%u", v,
		    d->min, MS_MAX);
	memcpy((char *)pc->o + d->off, &ms, sizeof(ms));
	return true;
}

static bool
set_dead_peer(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	uint32_t ms;

	(void)d;
	if (!ini_parse_u32(v, 0, MS_MAX, &ms) || (ms > 0 && ms < 1000))
		return why_fmt(why,
		    "\"%.32s\" is not 0 (off) or a number of milliseconds in "
		    "1000..%u",
		    v, MS_MAX);
	pc->o->dead_peer_ms = ms;
	return true;
}

static bool
set_log_level(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	(void)d;
	if (!log_level_parse(v, &pc->o->log_level))
		return why_fmt(
		    why, "\"%.32s\" is not error, warn, info or debug", v);
	return true;
}

static bool
set_progress(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	bool on = false;

	(void)d;
	if (strcasecmp(v, "auto") == 0) {
		pc->o->progress = -1;
		return true;
	}
	if (!parse_bool(v, &on, why))
		return why_fmt(why, "\"%.32s\" is not yes, no or auto", v);
	pc->o->progress = on ? 1 : 0;
	return true;
}

static bool
set_no_progress(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	bool on = false;

	(void)d;
	if (!parse_bool(v, &on, why))
		return false;
	pc->o->progress = on ? 0 : -1;
	return true;
}

/* SERVER[:PORT]: the positional argument, or "server" in a profile.  A
 * name (letters, digits, '-', '.', '_') or an IP literal. */
static bool
server_parse(struct client_opts *o, const char *v, char *why)
{
	char host[sizeof(o->host)];
	struct ip_addr ip;
	uint16_t port;
	size_t i;

	if (!endpoint_split(v, host, sizeof(host), 443, &port) ||
	    host[0] == '\0')
		return why_fmt(why, "\"%.64s\" is not SERVER[:PORT]", v);
	if (strchr(host, ':') != NULL) {
		if (!addr_parse(host, &ip) || ip.family != AF_INET6)
			return why_fmt(why,
			    "\"%.64s\" is not SERVER[:PORT] ([v6]:port for "
			    "IPv6)",
			    v);
	} else {
		for (i = 0; host[i] != '\0'; i++)
			if (!((host[i] >= 'a' && host[i] <= 'z') ||
				(host[i] >= 'A' && host[i] <= 'Z') ||
				(host[i] >= '0' && host[i] <= '9') ||
				strchr("-._", host[i]) != NULL))
				return why_fmt(
				    why, "\"%.64s\" is not SERVER[:PORT]", v);
	}
	if (port == 0)
		return why_fmt(why, "\"%.64s\": port 0", v);
	memcpy(o->host, host, sizeof(host));
	o->port = port;
	return true;
}

static bool
set_server(struct pctx *pc, const struct opt *d, const char *v, char *why)
{
	(void)d;
	return server_parse(pc->o, v, why);
}

#define FIELD(f)                                                               \
	offsetof(struct client_opts, f), sizeof(((struct client_opts *)0)->f)

/* Keep in step with usage() and docs/opensstp.1 (tests/integration/
 * test_client_docs.sh checks). */
static const struct opt opts[] = {
	{ "user", 'u', ARG, set_user, FIELD(user), 0, false },
	{ "password", 'p', ARG, set_password, 0, 0, 0, false },
	{ "password-file", 0, ARG, set_password_file, 0, 0, 0, false },
	{ "ca-file", 0, ARG, set_path, FIELD(ca_file), 0, false },
	{ "insecure", 0, FLAG, set_insecure, 0, 0, 0, false },
	{ "pin-sha256", 0, ARG, set_pin, 0, 0, 0, true },
	{ "tls-min", 0, ARG, set_tls_min, 0, 0, 0, false },
	{ "ciphers", 0, ARG, set_string, FIELD(ciphers), 0, false },
	{ "proxy", 0, ARG, set_proxy, FIELD(proxy), 0, false },
	{ "no-proxy-env", 0, FLAG, set_no_proxy_env, 0, 0, 0, false },
	{ "proxy-password-file", 0, ARG, set_path, FIELD(proxy_password_file),
	    0, false },
	{ "tun", 0, ARG, set_tun, 0, 0, 0, false },
	{ "mtu", 0, ARG, set_mtu, 0, 0, 0, false },
	{ "no-ipv4", 0, FLAG, set_no_ipv4, 0, 0, 0, false },
	{ "no-ipv6", 0, FLAG, set_no_ipv6, 0, 0, 0, false },
	{ "auth", 0, ARG, set_auth, 0, 0, 0, false },
	{ "route", 0, ARG, set_route, 0, 0, 0, true },
	{ "no-routes", 0, FLAG, set_no_routes, 0, 0, 0, false },
	{ "dns-hook", 0, ARG, set_path, FIELD(dns_hook), 0, false },
	{ "kill-switch", 0, FLAG, set_kill_switch, 0, 0, 0, false },
	{ "no-reconnect", 0, FLAG, set_no_reconnect, 0, 0, 0, false },
	{ "max-retries", 0, ARG, set_max_retries, 0, 0, 0, false },
	{ "backoff-min-ms", 0, ARG, set_ms, FIELD(backoff_min_ms), 1, false },
	{ "backoff-max-ms", 0, ARG, set_ms, FIELD(backoff_max_ms), 1, false },
	{ "dead-peer-ms", 0, ARG, set_dead_peer, 0, 0, 0, false },
	{ "hello-ms", 0, ARG, set_ms, FIELD(hello_ms), 1, false },
	{ "lcp-echo-ms", 0, ARG, set_ms, FIELD(lcp_echo_ms), 0, false },
	{ "handshake-ms", 0, ARG, set_ms, FIELD(handshake_ms), 1, false },
	{ "connect-ms", 0, ARG, set_ms, FIELD(connect_ms), 1, false },
	{ "log-level", 0, ARG, set_log_level, 0, 0, 0, false },
	{ "progress", 0, FLAG, set_progress, 0, 0, 0, false },
	{ "no-progress", 0, FLAG, set_no_progress, 0, 0, 0, false },
	/* Command line only (set == NULL) or profile only (short -1). */
	{ "profile", 0, ARG, NULL, 0, 0, 0, false },
	{ "help", 'h', FLAG, NULL, 0, 0, 0, false },
	{ "version", 'V', FLAG, NULL, 0, 0, 0, false },
	{ "server", -1, ARG, set_server, 0, 0, 0, false },
};

#define NOPTS	       (sizeof(opts) / sizeof(opts[0]))
#define OPT_VAL(i)     (256 + (int)(i))
#define OPTS_CMDLINE   (NOPTS - 1) /* all but "server" */
#define OPT_IS(i, str) (strcmp(opts[i].name, str) == 0)

/* A profile key: a long option's name, '_' for '-' accepted, any case. */
static const struct opt *
opt_find_key(const char *key)
{
	char norm[32];
	size_t i, len = strlen(key);

	if (len >= sizeof(norm))
		return NULL;
	for (i = 0; i <= len; i++)
		norm[i] = key[i] == '_' ? '-' : key[i];
	for (i = 0; i < NOPTS; i++)
		if (strcasecmp(opts[i].name, norm) == 0)
			return &opts[i];
	return NULL;
}

/* ---- Profiles. ---- */

struct parse_ctx {
	struct ini_text t;
	struct pctx pc; /* over a copy of the options, committed on success */
	bool seen[NOPTS];
	bool saw_password;
};

static bool
client_section(const char *name, size_t len)
{
	return len == 6 && strncasecmp(name, "client", 6) == 0;
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *px = user;
	const struct opt *d;
	char why[WHY_MAX];

	if (px->t.failed)
		return 0;
	if (*section == '\0') {
		ini_text_fail(&px->t, "\"%.64s\" before [client]", name);
		return 0;
	}
	if ((d = opt_find_key(name)) == NULL ||
	    (d->set == NULL && strcmp(d->name, "profile") != 0)) {
		ini_text_fail(&px->t, "unknown key \"%.64s\"", name);
		return 0;
	}
	if (d->set == NULL) {
		ini_text_fail(&px->t, "a profile cannot name another profile");
		return 0;
	}
	if (px->seen[d - opts] && !d->repeat) {
		ini_text_fail(&px->t, "%s given twice", d->name);
		return 0;
	}
	px->seen[d - opts] = true;
	if (d->set == set_password)
		px->saw_password = true;
	if (!d->set(&px->pc, d, value, why)) {
		ini_text_fail(&px->t, "%s: %s", d->name, why);
		return 0;
	}
	return 1;
}

static bool
profile_parse(struct client_opts *o, const char *text, const char *name,
    bool *saw_password, char *err, size_t errlen)
{
	struct parse_ctx *px;
	struct client_opts *copy;
	bool ok;

	if ((px = calloc(1, sizeof(*px))) == NULL ||
	    (copy = malloc(sizeof(*copy))) == NULL) {
		free(px);
		snprintf(err, errlen, "%s: out of memory", name);
		return false;
	}
	*copy = *o;
	px->pc.o = copy;
	px->pc.in_profile = true;
	px->t.section_ok = client_section;
	px->t.sections_hint = " (only [client])";
	ok = ini_text_parse(
	    &px->t, text, name, handler, px, "[client]", err, errlen);
	if (ok) {
		*o = *copy;
		if (o->route_mode == CLIENT_ROUTES_LISTED && o->nroutes == 0)
			o->route_mode = CLIENT_ROUTES_DEFAULT;
	}
	if (saw_password != NULL)
		*saw_password = px->saw_password;
	explicit_bzero(copy, sizeof(*copy));
	free(copy);
	free(px);
	return ok;
}

bool
client_profile_parse(struct client_opts *o, const char *text, const char *name,
    char *err, size_t errlen)
{
	return profile_parse(o, text, name, NULL, err, errlen);
}

static bool
profile_path(const char *name, char *path, size_t cap, char *err, size_t errlen)
{
	const char *dir = getenv("OPENSSTP_PROFILE_DIR");
	size_t i;
	int n;

	if (strchr(name, '/') != NULL) {
		if (strlen(name) >= cap) {
			snprintf(err, errlen, "profile path too long");
			return false;
		}
		snprintf(path, cap, "%s", name);
		return true;
	}
	for (i = 0; name[i] != '\0'; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
			(name[i] >= 'A' && name[i] <= 'Z') ||
			(name[i] >= '0' && name[i] <= '9') ||
			(i > 0 && strchr("._-@", name[i]) != NULL)))
			break;
	if (i == 0 || name[i] != '\0' || i > 64) {
		snprintf(err, errlen,
		    "\"%.64s\" is not a profile name (letters, digits, '.', "
		    "'_', '-'; or a path with a '/')",
		    name);
		return false;
	}
	if (dir == NULL || *dir == '\0')
		dir = CLIENT_PROFILE_DIR;
	n = snprintf(path, cap, "%s/%s.conf", dir, name);
	if (n < 0 || (size_t)n >= cap) {
		snprintf(err, errlen, "profile path too long");
		return false;
	}
	return true;
}

bool
client_profile_load(
    struct client_opts *o, const char *name, char *err, size_t errlen)
{
	char path[CLIENT_PATH_MAX];
	struct stat st;
	size_t len;
	char *buf;
	bool ok, saw_password = false;

	if (!profile_path(name, path, sizeof(path), err, errlen))
		return false;
	if ((buf = file_read_all(path, PROFILE_FILE_MAX, &len, err, errlen)) ==
	    NULL)
		return false;
	if (strlen(buf) != len) {
		snprintf(err, errlen, "%s: NUL byte in the file", path);
		file_free(buf, len);
		return false;
	}
	ok = profile_parse(o, buf, path, &saw_password, err, errlen);
	file_free(buf, len);
	if (!ok)
		return false;
	snprintf(o->profile, sizeof(o->profile), "%s", name);
	if (saw_password && stat(path, &st) == 0 &&
	    (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		fprintf(stderr,
		    "opensstp: warning: %s holds a password and other users "
		    "may read it (chmod 600 %s)\n",
		    path, path);
	return true;
}

/* ---- The command line. ---- */

void
client_opts_default(struct client_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->port = 443;
	o->tls_min = TLS1_2_VERSION;
	o->proxy_from_env = true;
	snprintf(o->tun, sizeof(o->tun), "opensstp0");
	o->mtu = 1400;
	o->ipv4 = o->ipv6 = true;
	o->auth[0] = PPP_AUTH_MSCHAPV2;
	o->auth[1] = PPP_AUTH_EAP;
	o->auth[2] = PPP_AUTH_CHAP_MD5;
	o->auth[3] = PPP_AUTH_PAP;
	o->nauth = 4;
	o->route_mode = CLIENT_ROUTES_DEFAULT;
	o->reconnect = true;
	o->max_retries = -1;
	o->backoff_min_ms = 1000;
	o->backoff_max_ms = 60000;
	o->dead_peer_ms = 30000;
	o->hello_ms = 60000;
	o->lcp_echo_ms = 30000;
	o->handshake_ms = 60000;
	o->connect_ms = 15000;
	o->log_level = LOG_LVL_INFO;
	o->progress = -1;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: opensstp [@PROFILE] [options] [SERVER[:PORT]]\n"
	    "\n"
	    "Connects to an SSTP VPN server and carries IPv4 and IPv6 through a TUN\n"
	    "device.  @PROFILE reads " CLIENT_PROFILE_DIR
	    "/PROFILE.conf first\n"
	    "(keys named like the long options); the command line overrides it.\n"
	    "\n"
	    "  -u, --user NAME              user name (DOMAIN\\name accepted)\n"
	    "  -p, --password PASS          password (others can see it: prefer a file)\n"
	    "      --password-file FILE     the password is the first line of FILE\n"
	    "      --ca-file FILE           trust the CAs in FILE, not the system store\n"
	    "      --insecure               no chain or name check (warns on connect)\n"
	    "      --pin-sha256 BASE64      server key pin: SHA-256 of its SPKI (max %d)\n"
	    "      --tls-min VERSION        lowest TLS version: 1.2 (default) or 1.3\n"
	    "      --ciphers LIST           OpenSSL cipher list for TLS 1.2\n"
	    "      --proxy URL              HTTP proxy http://[USER[:PASS]@]HOST[:PORT]\n"
	    "      --no-proxy-env           ignore https_proxy and no_proxy\n"
	    "      --proxy-password-file FILE  proxy password: first line of FILE\n"
	    "      --tun NAME               TUN device name (opensstp0)\n"
	    "      --mtu N                  tunnel MTU and MRU, 576..4091 (1400)\n"
	    "      --no-ipv4                do not negotiate IPv4 (IPCP)\n"
	    "      --no-ipv6                do not negotiate IPv6 (IPv6CP)\n"
	    "      --auth LIST              methods, preferred first (mschapv2,eap,chap,pap)\n"
	    "      --route PREFIX           route only PREFIX into the tunnel, repeatable\n"
	    "      --no-routes              no routes, only the tunnel's addresses\n"
	    "      --dns-hook FILE          run FILE with the DNS servers on up and down\n"
	    "      --kill-switch            block traffic outside the tunnel while down\n"
	    "      --no-reconnect           exit when the tunnel is lost\n"
	    "      --max-retries N          attempts before giving up, or forever (forever)\n"
	    "      --backoff-min-ms N       first delay before reconnecting (1000)\n"
	    "      --backoff-max-ms N       longest delay before reconnecting (60000)\n"
	    "      --dead-peer-ms N         silent TCP path declared dead, 0 off (30000)\n"
	    "      --hello-ms N             SSTP echo after N ms of silence (60000)\n"
	    "      --lcp-echo-ms N          LCP echo interval, 0 for none (30000)\n"
	    "      --handshake-ms N         limit for TLS, HTTP and each phase (60000)\n"
	    "      --connect-ms N           TCP connect timeout per address (15000)\n"
	    "      --log-level LEVEL        error, warn, info, debug (info)\n"
	    "      --progress               steps on one updating line (on a terminal)\n"
	    "      --no-progress            no progress line, log lines only\n"
	    "      --profile NAME|PATH      read a profile first, as @NAME does\n"
	    "  -h, --help                   this text\n"
	    "  -V, --version                the version\n"
	    "\n"
	    "Without --password or --password-file the password is asked for on the\n"
	    "terminal.  Proxies: Basic and Digest auth (NTLM, Negotiate not yet).\n"
	    "TLS secrets go to $SSLKEYLOGFILE when it is set.  SIGINT or SIGTERM\n"
	    "disconnects cleanly.  More in opensstp(1).\n"
	    "\n"
	    "Exit status:\n"
	    "  0  clean end\n"
	    "  1  error\n"
	    "  2  usage\n"
	    "  3  authentication refused\n"
	    "  4  certificate not trusted or pin mismatch\n"
	    "  5  server or proxy unreachable, proxy refused\n"
	    "  6  not an SSTP server\n"
	    "  7  tunnel lost or ended by the server; no reconnect or retries exhausted\n",
	    CLIENT_MAX_PINS);
}

static int __attribute__((format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "opensstp: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return EXIT_USAGE;
}

static size_t
opt_index(int val)
{
	size_t i;

	if (val >= 256)
		return (size_t)(val - 256);
	for (i = 0; i < NOPTS; i++)
		if (opts[i].short_name == val)
			return i;
	return NOPTS;
}

/* The checks that need every source read. */
static int
finish(struct client_opts *o)
{
	char prompt[sizeof(o->user) + sizeof(o->host) + 16];
	size_t i;

	if (o->host[0] == '\0')
		return usage_error("no server: give SERVER[:PORT], or server = "
				   "in a profile (--help)");
	if (o->user[0] == '\0')
		return usage_error("a user name is needed (--user)");
	if (!o->ipv4 && !o->ipv6)
		return usage_error("--no-ipv4 and --no-ipv6 together leave "
				   "nothing to carry");
	for (i = 0; i < o->nroutes; i++)
		if ((o->routes[i].addr.family == AF_INET && !o->ipv4) ||
		    (o->routes[i].addr.family == AF_INET6 && !o->ipv6)) {
			char buf[ADDR_STR_MAX];

			return usage_error("--route %s/%u: IPv%c is off",
			    addr_str(&o->routes[i].addr, buf), o->routes[i].len,
			    o->routes[i].addr.family == AF_INET ? '4' : '6');
		}
	if (o->backoff_min_ms > o->backoff_max_ms)
		return usage_error("--backoff-min-ms %u is above "
				   "--backoff-max-ms %u",
		    o->backoff_min_ms, o->backoff_max_ms);
	if (o->ca_file[0] != '\0' && access(o->ca_file, R_OK) != 0)
		return usage_error(
		    "--ca-file %s: %s", o->ca_file, strerror(errno));
	if (o->proxy_password_file[0] != '\0' &&
	    access(o->proxy_password_file, R_OK) != 0)
		return usage_error("--proxy-password-file %s: %s",
		    o->proxy_password_file, strerror(errno));
	if (o->dns_hook[0] != '\0' && access(o->dns_hook, X_OK) != 0)
		return usage_error("--dns-hook %s: %s", o->dns_hook,
		    errno == EACCES ? "not executable" : strerror(errno));
	if (!o->have_password) {
		if (!isatty(STDIN_FILENO))
			return usage_error(
			    "a password is needed: --password-file FILE, "
			    "password-file in the profile, or run on a "
			    "terminal");
		snprintf(prompt, sizeof(prompt),
		    "password for %s@%s: ", o->user, o->host);
		if (!read_secret_line(prompt, o->password, sizeof(o->password)))
			return usage_error("no password given");
		o->have_password = true;
	}
	return 0;
}

int
client_opts_parse(struct client_opts *o, int argc, char **argv, bool *done)
{
	struct option lo[OPTS_CMDLINE + 1];
	const char *profile = NULL, *server = NULL;
	char err[WHY_MAX + CLIENT_PATH_MAX], why[WHY_MAX];
	struct pctx pc;
	size_t i;
	int opt;

	*done = false;
	client_opts_default(o);
	memset(lo, 0, sizeof(lo));
	for (i = 0; i < OPTS_CMDLINE; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg =
		    opts[i].kind == ARG ? required_argument : no_argument;
		lo[i].val =
		    opts[i].short_name > 0 ? opts[i].short_name : OPT_VAL(i);
	}

	/*
	 * First pass: --help and --version, and the profile, which is read
	 * before the other options whatever its place on the line.  Errors
	 * are the second pass's to report.
	 */
	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "-u:p:hV", lo, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			*done = true;
			return 0;
		}
		if (opt == 'V') {
			printf("opensstp " OPENSSTP_VERSION "\n");
			*done = true;
			return 0;
		}
		if (opt == 1 && optarg[0] == '@') {
			if (profile != NULL)
				return usage_error("one profile at a time");
			profile = optarg + 1;
		} else if (opt >= 256 && OPT_IS(opt_index(opt), "profile")) {
			if (profile != NULL)
				return usage_error("one profile at a time");
			profile = optarg;
		}
	}
	if (profile != NULL &&
	    !client_profile_load(o, profile, err, sizeof(err)))
		return usage_error("%s", err);

	/* Second pass: the command line over the profile. */
	memset(&pc, 0, sizeof(pc));
	pc.o = o;
	opterr = 1;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "u:p:hV", lo, NULL)) != -1) {
		const struct opt *d;

		if ((i = opt_index(opt)) >= NOPTS) {
			fprintf(stderr, "Try 'opensstp --help'.\n");
			return EXIT_USAGE;
		}
		d = &opts[i];
		if (d->set == NULL)
			continue; /* --profile: read above */
		if (!d->set(&pc, d, d->kind == FLAG ? "yes" : optarg, why))
			return usage_error("--%s: %s", d->name, why);
		/* Out of sight of ps(1) from now on. */
		if (d->set == set_password)
			explicit_bzero(optarg, strlen(optarg));
		else if (d->set == set_proxy)
			wipe_proxy_password(optarg);
	}
	for (; optind < argc; optind++) {
		if (argv[optind][0] == '@')
			continue;
		if (server != NULL)
			return usage_error("one server only: \"%s\" and \"%s\"",
			    server, argv[optind]);
		server = argv[optind];
	}
	if (server != NULL && !server_parse(o, server, why))
		return usage_error("%s", why);
	if (o->route_mode == CLIENT_ROUTES_LISTED && o->nroutes == 0)
		o->route_mode = CLIENT_ROUTES_DEFAULT;
	return finish(o);
}

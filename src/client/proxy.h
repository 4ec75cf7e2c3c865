/*
 * HTTP CONNECT proxies for the client (RFC 9110 9.3.6): the proxy URL,
 * the choice from https_proxy / HTTPS_PROXY / no_proxy / NO_PROXY, and
 * the exchange itself with Basic (RFC 7617) and Digest (RFC 7616: MD5,
 * SHA-256, qop=auth) authentication.  NTLM and Negotiate are not spoken.
 *
 * The codec (proxy_conn_*) is pure and fuzzed; proxy_open() is the one
 * blocking step of the client, bounded by a timeout and abandoned when
 * abort_fd becomes readable (the client's signalfd), since nothing else
 * can happen before the tunnel exists.
 */
#ifndef OPENSSTP_CLIENT_PROXY_H
#define OPENSSTP_CLIENT_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROXY_ERR_MAX 256

struct proxy_url {
	char host[256];
	uint16_t port; /* 3128 when the URL has none (squid's) */
	bool has_creds;
	char user[256];
	char password[256];
};

/* "http://[user[:password]@]host[:port][/]", user and password
 * percent-decoded; false with the reason in err. */
bool proxy_url_parse(
    const char *url, struct proxy_url *out, char *err, size_t errlen);

/*
 * Where the password of a proxy URL (well formed or not) lies: the bytes
 * between the first ':' after the scheme and the last '@', if both are
 * there.  false when it names none.
 */
bool proxy_url_password_span(const char *url, size_t *off, size_t *len);
/* url for a message, its password (if any) shown as "***": a mistyped
 * URL is quoted back, its secret never.  Returns buf. */
const char *proxy_url_redact(const char *url, char *buf, size_t len);

/*
 * The proxy the environment names for reaching host (https_proxy, then
 * HTTPS_PROXY; none when no_proxy/NO_PROXY matches host: "*", a name or
 * a domain suffix with or without a leading dot, an IP address or an
 * IP/CIDR).  1: *out set; 0: no proxy; -1: a malformed variable (err).
 */
int proxy_from_env(
    const char *host, struct proxy_url *out, char *err, size_t errlen);
bool proxy_no_proxy_match(const char *no_proxy, const char *host);

enum proxy_status {
	PROXY_MORE, /* feed more of the response */
	PROXY_OK, /* 2xx: the tunnel is open */
	PROXY_AUTH, /* 407 with a challenge we can answer: ask again */
	PROXY_FAIL, /* refused; the status line is in err */
};

struct proxy_conn; /* in proxy_conn.h: the response parser and auth state */

/*
 * proxy_open: connect to the proxy, CONNECT host:port, authenticate when
 * asked (at most one retry per challenge; over a new connection if the
 * proxy closes the first), and return the connected socket, blocking and
 * ready for TLS, or -1 with a one-line reason in err (a refusal names the
 * proxy's status line, e.g. "proxy refused: HTTP/1.1 407 Proxy
 * Authentication Required").  *http_status gets the proxy's last status.
 */
int proxy_open(const struct proxy_url *proxy, const char *host, uint16_t port,
    uint32_t timeout_ms, int abort_fd, int *http_status, char *err,
    size_t errlen);

#endif

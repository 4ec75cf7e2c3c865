/*
 * The client's HTTP CONNECT proxy: URL forms, the environment and
 * no_proxy, the request bytes, the answer parser cut at every byte,
 * Basic (RFC 7617 2) and Digest (RFC 7616 3.9.1) against the RFCs'
 * examples, and proxy_open() against a scripted proxy on loopback.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/proxy.h"
#include "client/proxy_conn.h"
#include "test_run.h"

/* RFC 7616 3.9.1 */
#define RFC_REALM  "http-auth@example.org"
#define RFC_NONCE  "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define RFC_OPAQUE "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
#define RFC_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

static void
test_url_forms(void **state)
{
	struct proxy_url u;
	char err[PROXY_ERR_MAX];

	(void)state;
	assert_true(
	    proxy_url_parse("http://proxy.test:8080", &u, err, sizeof(err)));
	assert_string_equal(u.host, "proxy.test");
	assert_int_equal(u.port, 8080);
	assert_false(u.has_creds);
	assert_true(proxy_url_parse("proxy.test", &u, err, sizeof(err)));
	assert_string_equal(u.host, "proxy.test");
	assert_int_equal(u.port, 3128);
	assert_true(
	    proxy_url_parse("HTTP://10.0.0.1:80/", &u, err, sizeof(err)));
	assert_string_equal(u.host, "10.0.0.1");
	assert_int_equal(u.port, 80);
	assert_true(proxy_url_parse(
	    "http://u%40x:p%3Aw%25@proxy:1/", &u, err, sizeof(err)));
	assert_true(u.has_creds);
	assert_string_equal(u.user, "u@x");
	assert_string_equal(u.password, "p:w%");
	assert_int_equal(u.port, 1);
	assert_true(
	    proxy_url_parse("http://[fd00::1]:3129", &u, err, sizeof(err)));
	assert_string_equal(u.host, "fd00::1");
	assert_int_equal(u.port, 3129);
	assert_true(proxy_url_parse("http://[::1]", &u, err, sizeof(err)));
	assert_string_equal(u.host, "::1");
	assert_int_equal(u.port, 3128);
	assert_true(proxy_url_parse("http://alice@p", &u, err, sizeof(err)));
	assert_true(u.has_creds);
	assert_string_equal(u.user, "alice");
	assert_string_equal(u.password, "");
	/* A raw '@' in the password: the last one ends the userinfo. */
	assert_true(proxy_url_parse("http://a:b@c@p:3", &u, err, sizeof(err)));
	assert_string_equal(u.user, "a");
	assert_string_equal(u.password, "b@c");
	assert_string_equal(u.host, "p");
	assert_true(proxy_url_parse("http://p:", &u, err, sizeof(err)));
	assert_int_equal(u.port, 3128);
}

static void
test_url_errors(void **state)
{
	static const char *const bad[] = {
		"https://p:3128",
		"socks5://p",
		"http://",
		"http://p:0",
		"http://p:65536",
		"http://p:12a",
		"http://p:-1",
		"http://p/path",
		"http://p?x",
		"http://[fd00::1",
		"http://[fd00::1]x",
		"http://[10.0.0.1]:1",
		"http://u%zz@p",
		"http://u%4@p",
		"http://u%0a@p",
		"http://u:p%0d%0a@p",
		"http://:pw@p",
		"http://ho st:1",
		"http://a@",
		"",
	};
	struct proxy_url u;
	char err[PROXY_ERR_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		err[0] = '\0';
		if (proxy_url_parse(bad[i], &u, err, sizeof(err)))
			fail_msg("accepted \"%s\"", bad[i]);
		assert_true(strncmp(err, "proxy URL", 9) == 0);
	}
}

/* A refused URL is quoted back in the error, never with its password. */
static void
test_url_errors_hide_the_password(void **state)
{
	static const struct {
		const char *url, *shown;
	} vec[] = {
		{ "http://bob:Secr3t@p/path", "http://bob:***@p/path" },
		{ "http://bob:Secr3t@p:0", "http://bob:***@p:0" },
		{ "http://bob:Sec@r3t@p?x", "http://bob:***@p?x" },
		{ "http://bob:Se/cr3t@p:1x", "http://bob:***@p:1x" },
		{ "https://bob:Secr3t@p", "https://bob:***@p" },
		{ "http://:Secr3t@p", "http://:***@p" },
		{ "http://p/path", "http://p/path" },
		{ "http://bob@p/path", "http://bob@p/path" },
	};
	struct proxy_url u;
	char err[PROXY_ERR_MAX], buf[64];
	size_t i, off, len;

	(void)state;
	for (i = 0; i < ARRAY_LEN(vec); i++) {
		assert_string_equal(
		    proxy_url_redact(vec[i].url, buf, sizeof(buf)),
		    vec[i].shown);
		assert_false(proxy_url_parse(vec[i].url, &u, err, sizeof(err)));
		if (strstr(err, "r3t") != NULL ||
		    strstr(err, vec[i].shown) == NULL)
			fail_msg("\"%s\" gave \"%s\"", vec[i].url, err);
	}
	/* Without a scheme (the parser takes it as http://). */
	assert_string_equal(
	    proxy_url_redact("bob:Secr3t@p", buf, sizeof(buf)), "bob:***@p");
	assert_true(proxy_url_password_span("http://u:pw@h", &off, &len));
	assert_int_equal(off, 9);
	assert_int_equal(len, 2);
	assert_true(proxy_url_password_span("http://u:@h", &off, &len));
	assert_int_equal(len, 0);
	assert_false(proxy_url_password_span("http://h:3128", &off, &len));
	assert_false(proxy_url_password_span("http://u@h:3128", &off, &len));
}

static void
test_no_proxy_rules(void **state)
{
	static const struct {
		const char *list, *host;
		bool match;
	} t[] = {
		{ "*", "anything.test", true },
		{ "example.com", "example.com", true },
		{ "example.com", "EXAMPLE.com.", true },
		{ "example.com", "vpn.example.com", true },
		{ "example.com", "badexample.com", false },
		{ ".example.com", "vpn.example.com", true },
		{ ".example.com", "example.com", true },
		{ "*.example.com", "a.b.example.com", true },
		{ "example.com:8443", "vpn.example.com", true },
		{ "other.test, example.com", "example.com", true },
		{ "other.test example.com", "example.com", true },
		{ "other.test,,", "example.com", false },
		{ "", "example.com", false },
		{ "*.", "example.com", false },
		{ "10.1.2.3", "10.1.2.3", true },
		{ "10.1.2.3", "10.1.2.4", false },
		{ "10.0.0.0/8", "10.200.0.1", true },
		{ "10.0.0.0/8", "11.0.0.1", false },
		{ "10.1.2.3:443", "10.1.2.3", true },
		{ "fd00::/8", "fd77::1", true },
		{ "fd00::/8", "[fd77::1]", true },
		{ "[fd77::1]:443", "fd77::1", true },
		{ "::1", "::1", true },
		{ "10.0.0.0/8", "ten.example", false },
		{ "example", "10.0.0.1", false },
		{ "1.2.3.4", "4.3.2.1.in-addr", false },
		{ "*", "10.0.0.1", true },
		{ "localhost,127.0.0.1", "localhost", true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(t); i++)
		if (proxy_no_proxy_match(t[i].list, t[i].host) != t[i].match)
			fail_msg("no_proxy \"%s\" host \"%s\": expected %d",
			    t[i].list, t[i].host, t[i].match);
}

static void
env_clear(void)
{
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
}

static void
test_env_choice(void **state)
{
	struct proxy_url u;
	char err[PROXY_ERR_MAX];

	(void)state;
	env_clear();
	assert_int_equal(
	    proxy_from_env("server.test", &u, err, sizeof(err)), 0);
	setenv("HTTPS_PROXY", "http://upper.test:1", 1);
	assert_int_equal(
	    proxy_from_env("server.test", &u, err, sizeof(err)), 1);
	assert_string_equal(u.host, "upper.test");
	setenv("https_proxy", "http://lower.test:2", 1);
	assert_int_equal(
	    proxy_from_env("server.test", &u, err, sizeof(err)), 1);
	assert_string_equal(u.host, "lower.test");
	/* Empty is unset. */
	setenv("https_proxy", "", 1);
	assert_int_equal(
	    proxy_from_env("server.test", &u, err, sizeof(err)), 1);
	assert_string_equal(u.host, "upper.test");
	setenv("NO_PROXY", ".test", 1);
	assert_int_equal(
	    proxy_from_env("server.test", &u, err, sizeof(err)), 0);
	assert_int_equal(
	    proxy_from_env("server.example", &u, err, sizeof(err)), 1);
	setenv("no_proxy", "other.example", 1);
	assert_int_equal(
	    proxy_from_env("server.test", &u, err, sizeof(err)), 1);
	assert_int_equal(
	    proxy_from_env("other.example", &u, err, sizeof(err)), 0);
	setenv("HTTPS_PROXY", "https://tls.test", 1);
	assert_int_equal(
	    proxy_from_env("server.test", &u, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "https://tls.test"));
	env_clear();
}

static size_t
build(struct proxy_conn *c, char *buf, size_t cap)
{
	char err[PROXY_ERR_MAX];
	size_t len = 0;

	if (!proxy_conn_request(c, buf, cap, &len, err, sizeof(err)))
		fail_msg("request: %s", err);
	return len;
}

static enum proxy_status
feed_str(
    struct proxy_conn *c, const char *s, size_t *used, char *err, size_t errlen)
{
	return proxy_conn_feed(
	    c, (const uint8_t *)s, strlen(s), used, err, errlen);
}

static void
test_request_bytes(void **state)
{
	struct proxy_conn c;
	char buf[PROXY_REQUEST_MAX], err[PROXY_ERR_MAX];
	size_t len;

	(void)state;
	proxy_conn_init(&c, NULL, "server.test", 443);
	len = build(&c, buf, sizeof(buf));
	assert_int_equal(len, strlen(buf));
	assert_string_equal(buf,
	    "CONNECT server.test:443 HTTP/1.1\r\n"
	    "Host: server.test:443\r\n"
	    "User-Agent: opensstp\r\n"
	    "\r\n");
	proxy_conn_init(&c, NULL, "fd00::1", 8443);
	(void)build(&c, buf, sizeof(buf));
	assert_string_equal(buf,
	    "CONNECT [fd00::1]:8443 HTTP/1.1\r\n"
	    "Host: [fd00::1]:8443\r\n"
	    "User-Agent: opensstp\r\n"
	    "\r\n");
	/* No header injection through the target. */
	proxy_conn_init(&c, NULL, "a\r\nX: y", 443);
	assert_false(
	    proxy_conn_request(&c, buf, sizeof(buf), &len, err, sizeof(err)));
	proxy_conn_init(&c, NULL, "a b", 443);
	assert_false(
	    proxy_conn_request(&c, buf, sizeof(buf), &len, err, sizeof(err)));
	/* Too small a buffer. */
	proxy_conn_init(&c, NULL, "server.test", 443);
	assert_false(proxy_conn_request(&c, buf, 20, &len, err, sizeof(err)));
}

static void
test_basic_rfc7617(void **state)
{
	struct proxy_url u;
	struct proxy_conn c;
	char b64[64], buf[PROXY_REQUEST_MAX], err[PROXY_ERR_MAX];
	size_t used;

	(void)state;
	/* RFC 7617 2: Aladdin / open sesame. */
	assert_true(proxy_basic_credentials(
	    "Aladdin", "open sesame", b64, sizeof(b64)));
	assert_string_equal(b64, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
	assert_false(proxy_basic_credentials("a:b", "c", b64, sizeof(b64)));
	assert_false(
	    proxy_basic_credentials("Aladdin", "open sesame", b64, 28));
	/* Whole exchange: challenge, then the credentials. */
	assert_true(proxy_url_parse(
	    "http://Aladdin:open%20sesame@p", &u, err, sizeof(err)));
	proxy_conn_init(&c, &u, "server.test", 443);
	(void)build(&c, buf, sizeof(buf));
	assert_null(strstr(buf, "Proxy-Authorization"));
	assert_int_equal(
	    feed_str(&c,
		"HTTP/1.1 407 Proxy Authentication Required\r\n"
		"Proxy-Authenticate: Basic realm=\"WallyWorld\"\r\n"
		"Content-Length: 0\r\n\r\n",
		&used, err, sizeof(err)),
	    PROXY_AUTH);
	assert_true(proxy_conn_reusable(&c));
	(void)build(&c, buf, sizeof(buf));
	assert_non_null(strstr(buf,
	    "\r\nProxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
	    "\r\n"));
	/* Refused again: the credentials were wrong. */
	assert_int_equal(
	    feed_str(&c,
		"HTTP/1.1 407 Proxy Authentication Required\r\n"
		"Proxy-Authenticate: Basic realm=\"WallyWorld\"\r\n"
		"\r\n",
		&used, err, sizeof(err)),
	    PROXY_FAIL);
	assert_string_equal(err,
	    "proxy refused: HTTP/1.1 407 Proxy Authentication Required "
	    "(credentials rejected)");
	assert_int_equal(proxy_conn_status(&c), 407);
}

static void
test_digest_rfc7616_vectors(void **state)
{
	char hex[65];

	(void)state;
	/* RFC 7616 3.9.1: GET /dir/index.html, Mufasa / Circle of Life. */
	assert_true(proxy_digest_response(PROXY_DIGEST_MD5, "Mufasa", RFC_REALM,
	    "Circle of Life", RFC_NONCE, RFC_CNONCE, 1, true, "GET",
	    "/dir/index.html", hex, sizeof(hex)));
	assert_string_equal(hex, "8ca523f5e9506fed4657c9700eebdbec");
	assert_true(proxy_digest_response(PROXY_DIGEST_SHA256, "Mufasa",
	    RFC_REALM, "Circle of Life", RFC_NONCE, RFC_CNONCE, 1, true, "GET",
	    "/dir/index.html", hex, sizeof(hex)));
	assert_string_equal(hex,
	    "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
	/* -sess (3.4.2), computed independently (Python hashlib). */
	assert_true(proxy_digest_response(PROXY_DIGEST_MD5_SESS, "Mufasa",
	    RFC_REALM, "Circle of Life", RFC_NONCE, RFC_CNONCE, 1, true,
	    "CONNECT", "server.test:443", hex, sizeof(hex)));
	assert_string_equal(hex, "777cb51a152f741d32a2413e77d5f6c3");
	assert_true(proxy_digest_response(PROXY_DIGEST_SHA256_SESS, "Mufasa",
	    RFC_REALM, "Circle of Life", RFC_NONCE, RFC_CNONCE, 1, true,
	    "CONNECT", "server.test:443", hex, sizeof(hex)));
	assert_string_equal(hex,
	    "da459e7fac082124fc9ded05748f51ece4314f253bb908aed2f3ae2b1d1d4c02");
	/* The hex does not fit. */
	assert_false(proxy_digest_response(PROXY_DIGEST_SHA256, "Mufasa",
	    RFC_REALM, "Circle of Life", RFC_NONCE, RFC_CNONCE, 1, true, "GET",
	    "/", hex, 33));
}

/* RFC 7616 3.9.1's two challenges, SHA-256 first, as a proxy's 407. */
static const char rfc_407[] = "HTTP/1.1 407 Proxy Authentication Required\r\n"
			      "Proxy-Authenticate: Digest\r\n"
			      "    realm=\"" RFC_REALM "\",\r\n"
			      "    qop=\"auth, auth-int\",\r\n"
			      "    algorithm=SHA-256,\r\n"
			      "    nonce=\"" RFC_NONCE "\",\r\n"
			      "    opaque=\"" RFC_OPAQUE "\"\r\n"
			      "Proxy-Authenticate: Digest\r\n"
			      "    realm=\"" RFC_REALM "\",\r\n"
			      "    qop=\"auth, auth-int\",\r\n"
			      "    algorithm=MD5,\r\n"
			      "    nonce=\"" RFC_NONCE "\",\r\n"
			      "    opaque=\"" RFC_OPAQUE "\"\r\n"
			      "Content-Length: 5\r\n"
			      "\r\n"
			      "oops!";

static void
test_digest_exchange(void **state)
{
	struct proxy_url u;
	struct proxy_conn c;
	char buf[PROXY_REQUEST_MAX], err[PROXY_ERR_MAX];
	size_t used;

	(void)state;
	assert_true(proxy_url_parse(
	    "http://Mufasa:Circle%20of%20Life@p", &u, err, sizeof(err)));
	proxy_conn_init(&c, &u, "server.test", 443);
	proxy_conn_set_cnonce(&c, RFC_CNONCE);
	(void)build(&c, buf, sizeof(buf));
	/* obs-fold (RFC 9112 5.2) and the page skipped on a kept link. */
	assert_int_equal(
	    feed_str(&c, rfc_407, &used, err, sizeof(err)), PROXY_AUTH);
	assert_int_equal(used, strlen(rfc_407));
	assert_true(proxy_conn_reusable(&c));
	assert_int_equal(c.chal.alg, PROXY_DIGEST_SHA256);
	(void)build(&c, buf, sizeof(buf));
	assert_string_equal(buf,
	    "CONNECT server.test:443 HTTP/1.1\r\n"
	    "Host: server.test:443\r\n"
	    "User-Agent: opensstp\r\n"
	    "Proxy-Authorization: Digest username=\"Mufasa\", "
	    "realm=\"" RFC_REALM "\", uri=\"server.test:443\", "
	    "algorithm=SHA-256, nonce=\"" RFC_NONCE "\", nc=00000001, "
	    "cnonce=\"" RFC_CNONCE "\", qop=auth, "
	    "response=\"8062e42342ed4241d95aa45eb5c49f61b0397261dc0be8800e356349dc444e78\", "
	    "opaque=\"" RFC_OPAQUE "\"\r\n"
	    "\r\n");
	assert_int_equal(
	    feed_str(&c, "HTTP/1.1 200 Connection established\r\n\r\n", &used,
		err, sizeof(err)),
	    PROXY_OK);
	assert_int_equal(proxy_conn_status(&c), 200);
	proxy_conn_clear(&c);
	assert_false(c.has_creds);
}

static void
test_digest_md5_stale_and_choice(void **state)
{
	struct proxy_url u;
	struct proxy_conn c;
	char buf[PROXY_REQUEST_MAX], err[PROXY_ERR_MAX];
	size_t used;

	(void)state;
	assert_true(proxy_url_parse(
	    "http://Mufasa:Circle%20of%20Life@p", &u, err, sizeof(err)));
	proxy_conn_init(&c, &u, "server.test", 443);
	proxy_conn_set_cnonce(&c, RFC_CNONCE);
	(void)build(&c, buf, sizeof(buf));
	/* Basic offered first: Digest is still chosen. */
	assert_int_equal(feed_str(&c,
			     "HTTP/1.1 407 Auth\r\n"
			     "Proxy-Authenticate: Basic realm=\"x\"\r\n"
			     "Proxy-Authenticate: Digest realm=\"" RFC_REALM
			     "\", nonce=\"" RFC_NONCE "\", qop=\"auth\"\r\n"
			     "Connection: close\r\n"
			     "Content-Length: 0\r\n\r\n",
			     &used, err, sizeof(err)),
	    PROXY_AUTH);
	assert_false(proxy_conn_reusable(&c));
	(void)build(&c, buf, sizeof(buf));
	assert_non_null(strstr(
	    buf, "algorithm=MD5, nonce=\"" RFC_NONCE "\", nc=00000001, "));
	assert_non_null(
	    strstr(buf, "response=\"ebb4654a8e9af53b640246278308c158\"\r\n"));
	assert_null(strstr(buf, "opaque"));
	/* stale=true with the same nonce: answered again, nc counts. */
	assert_int_equal(
	    feed_str(&c,
		"HTTP/1.1 407 Auth\r\n"
		"Proxy-Authenticate: Digest realm=\"" RFC_REALM
		"\", nonce=\"" RFC_NONCE "\", qop=\"auth\", stale=true\r\n\r\n",
		&used, err, sizeof(err)),
	    PROXY_AUTH);
	(void)build(&c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "nc=00000002"));
	/* A new nonce, not stale: the credentials were wrong. */
	assert_int_equal(feed_str(&c,
			     "HTTP/1.1 407 Auth\r\n"
			     "Proxy-Authenticate: Digest realm=\"r\", "
			     "nonce=\"other\"\r\n\r\n",
			     &used, err, sizeof(err)),
	    PROXY_FAIL);
	assert_non_null(strstr(err, "credentials rejected"));
}

static void
test_challenge_forms(void **state)
{
	static const struct {
		const char *v;
		bool ok;
		enum proxy_scheme scheme;
	} t[] = {
		{ "Basic realm=\"x\"", true, PROXY_SCHEME_BASIC },
		{ "basic", true, PROXY_SCHEME_BASIC },
		{ "Negotiate, NTLM", true, PROXY_SCHEME_NONE },
		{ "Negotiate abc==, Basic realm=x", true, PROXY_SCHEME_BASIC },
		{ "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"",
		    true, PROXY_SCHEME_BASIC },
		{ "Digest realm=r, nonce=n", true, PROXY_SCHEME_DIGEST },
		{ "Digest realm=r, nonce=n, qop=\"auth-int\"", true,
		    PROXY_SCHEME_NONE },
		{ "Digest realm=r, nonce=n, algorithm=SHA-512-256", true,
		    PROXY_SCHEME_NONE },
		{ "Digest realm=r, realm=s, nonce=n", true, PROXY_SCHEME_NONE },
		{ "Digest realm=r", true, PROXY_SCHEME_NONE },
		{ "Digest realm=r, nonce=n, algorithm=MD5-sess", true,
		    PROXY_SCHEME_NONE },
		{ "Digest realm=\"r\" nonce=\"n\"", false, PROXY_SCHEME_NONE },
		{ "Digest realm=\"unterminated", false, PROXY_SCHEME_NONE },
		{ "=x", false, PROXY_SCHEME_NONE },
		{ "Basic\trealm=x", false, PROXY_SCHEME_NONE },
		{ "", true, PROXY_SCHEME_NONE },
		{ " , ,", true, PROXY_SCHEME_NONE },
	};
	struct proxy_challenge best;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(t); i++) {
		memset(&best, 0, sizeof(best));
		if (proxy_challenge_parse(t[i].v, strlen(t[i].v), &best) !=
			t[i].ok ||
		    best.scheme != t[i].scheme)
			fail_msg("challenge \"%s\": ok %d scheme %d", t[i].v,
			    !t[i].ok, best.scheme);
	}
	memset(&best, 0, sizeof(best));
	assert_true(proxy_challenge_parse(
	    "Digest realm=\"a\\\"b\", nonce=\"n\", qop=\"auth\", "
	    "algorithm=sha-256-SESS, userhash=true, opaque=o",
	    strlen("Digest realm=\"a\\\"b\", nonce=\"n\", qop=\"auth\", "
		   "algorithm=sha-256-SESS, userhash=true, opaque=o"),
	    &best));
	assert_string_equal(best.realm, "a\"b");
	assert_int_equal(best.alg, PROXY_DIGEST_SHA256_SESS);
	assert_true(best.userhash && best.has_opaque && best.qop_auth);
	assert_string_equal(best.opaque, "o");
}

/* Feed s whole and cut at every byte: the same result and length. */
static enum proxy_status
feed_split(const char *s, size_t n, struct proxy_conn *proto, size_t *used,
    char *err, size_t errlen)
{
	struct proxy_conn *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	enum proxy_status ra, rb;
	size_t k, ua, u1, u2;
	char ea[PROXY_ERR_MAX], eb[PROXY_ERR_MAX];

	assert_non_null(a);
	assert_non_null(b);
	*a = *proto;
	ra = proxy_conn_feed(a, (const uint8_t *)s, n, &ua, ea, sizeof(ea));
	for (k = 0; k <= n; k++) {
		*b = *proto;
		eb[0] = '\0';
		rb = proxy_conn_feed(
		    b, (const uint8_t *)s, k, &u1, eb, sizeof(eb));
		u2 = 0;
		if (rb == PROXY_MORE) {
			assert_int_equal(u1, k);
			rb = proxy_conn_feed(b, (const uint8_t *)s + k, n - k,
			    &u2, eb, sizeof(eb));
		}
		if (rb != ra || u1 + u2 != ua)
			fail_msg("cut at %zu: %d/%zu, whole %d/%zu", k, rb,
			    u1 + u2, ra, ua);
		if (ra == PROXY_FAIL)
			assert_string_equal(ea, eb);
		/* Final: nothing more is taken. */
		if (rb != PROXY_MORE) {
			assert_int_equal(proxy_conn_feed(b, (const uint8_t *)s,
					     n, &u2, eb, sizeof(eb)),
			    rb);
			assert_int_equal(u2, 0);
		}
	}
	*used = ua;
	*proto = *a;
	snprintf(err, errlen, "%s", ea);
	free(a);
	free(b);
	return ra;
}

static void
test_response_split(void **state)
{
	static const struct {
		const char *s;
		enum proxy_status st;
		size_t tail; /* bytes left after the answer */
		bool reusable;
	} t[] = {
		{ "HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01",
		    PROXY_OK, 3, false },
		{ "HTTP/1.0 200\r\nContent-Length: 99\r\n\r\nTLS", PROXY_OK, 3,
		    false },
		{ "\r\n\nHTTP/1.1 100 Continue\r\nX: y\r\n\r\n"
		  "HTTP/1.1 200 OK\nVia: 1.1 squid\n\nabc",
		    PROXY_OK, 3, false },
		{ "HTTP/1.1 403 Forbidden\r\nContent-Length: 3\r\n\r\nxyz",
		    PROXY_FAIL, 3, false },
		{ "HTTP/1.1 407 Proxy Authentication Required\r\n"
		  "Proxy-Authenticate: Basic realm=\"squid\"\r\n"
		  "Content-Length: 4\r\n\r\nbodyNEXT",
		    PROXY_AUTH, 4, true },
		{ "HTTP/1.0 407 Auth\r\nProxy-Authenticate: Basic\r\n"
		  "Content-Length: 4\r\n\r\nbody",
		    PROXY_AUTH, 4, false },
		{ "HTTP/1.0 407 Auth\r\nProxy-Authenticate: Basic\r\n"
		  "Proxy-Connection: keep-alive\r\n"
		  "Content-Length: 4\r\n\r\nbody",
		    PROXY_AUTH, 0, true },
		{ "HTTP/1.1 407 Auth\r\nProxy-Authenticate: Basic\r\n"
		  "Transfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n",
		    PROXY_AUTH, 14, false },
		{ "HTTP/1.1 407 Auth\r\nProxy-Authenticate: Basic\r\n"
		  "Content-Length: 100000\r\n\r\nbody",
		    PROXY_AUTH, 4, false },
		{ "HTTP/1.1 407 Auth\r\nProxy-Authenticate: Basic\r\n"
		  "Content-Length: 4\r\nContent-Length: 5\r\n\r\nbody",
		    PROXY_AUTH, 4, false },
		{ "HTTP/1.1 407 Auth\r\nProxy-Authenticate: Basic\r\n\r\nx",
		    PROXY_AUTH, 1, false },
		{ "HTTP/1.1 407 Auth\r\nProxy-Authenticate: NTLM\r\n\r\n",
		    PROXY_FAIL, 0, false },
		{ "SSH-2.0-OpenSSH\r\n", PROXY_FAIL, 0, false },
		{ "HTTP/2 200\r\n\r\n", PROXY_FAIL, 4, false },
		{ "HTTP/1.1 200 OK\r\nX\0: y\r\n\r\n", PROXY_FAIL, 0, false },
		{ "\r\n\r\n\r\n\r\n\r\n", PROXY_FAIL, 0, false },
	};
	struct proxy_url u;
	struct proxy_conn proto;
	char buf[PROXY_REQUEST_MAX], err[PROXY_ERR_MAX];
	size_t i, n, used;
	enum proxy_status st;

	(void)state;
	assert_true(proxy_url_parse("http://u:p@p", &u, err, sizeof(err)));
	for (i = 0; i < ARRAY_LEN(t); i++) {
		proxy_conn_init(&proto, &u, "server.test", 443);
		(void)build(&proto, buf, sizeof(buf));
		n = strlen(t[i].s);
		if (i == 14)
			n = 26; /* the NUL inside */
		st = feed_split(t[i].s, n, &proto, &used, err, sizeof(err));
		if (st != t[i].st)
			fail_msg("answer %zu: %d, expected %d (%s)", i, st,
			    t[i].st, err);
		if (st != PROXY_FAIL && n - used != t[i].tail)
			fail_msg("answer %zu: %zu left, expected %zu", i,
			    n - used, t[i].tail);
		if (st == PROXY_AUTH &&
		    proxy_conn_reusable(&proto) != t[i].reusable)
			fail_msg("answer %zu: reusable %d", i, !t[i].reusable);
	}
	/* A refusal names the status line. */
	proxy_conn_init(&proto, NULL, "server.test", 443);
	(void)build(&proto, buf, sizeof(buf));
	assert_int_equal(
	    feed_str(&proto, "HTTP/1.1 403 Forbidden\r\nServer: squid\r\n\r\n",
		&used, err, sizeof(err)),
	    PROXY_FAIL);
	assert_string_equal(err, "proxy refused: HTTP/1.1 403 Forbidden");
	proxy_conn_init(&proto, NULL, "server.test", 443);
	(void)build(&proto, buf, sizeof(buf));
	assert_int_equal(feed_str(&proto,
			     "HTTP/1.1 407 Proxy Authentication Required\r\n"
			     "Proxy-Authenticate: Basic realm=x\r\n\r\n",
			     &used, err, sizeof(err)),
	    PROXY_FAIL);
	assert_non_null(strstr(err,
	    "proxy refused: HTTP/1.1 407 Proxy Authentication Required (it "
	    "wants credentials"));
}

static void
test_response_caps(void **state)
{
	struct proxy_conn c;
	char buf[PROXY_REQUEST_MAX], err[PROXY_ERR_MAX], *big;
	size_t used, i, n;

	(void)state;
	big = malloc(2 * PROXY_HEADER_BYTES_MAX);
	assert_non_null(big);
	/* One line over the line cap. */
	proxy_conn_init(&c, NULL, "s", 1);
	(void)build(&c, buf, sizeof(buf));
	n = (size_t)snprintf(big, 64, "HTTP/1.1 200 OK\r\nX: ");
	memset(big + n, 'a', PROXY_LINE_MAX);
	assert_int_equal(proxy_conn_feed(&c, (uint8_t *)big, n + PROXY_LINE_MAX,
			     &used, err, sizeof(err)),
	    PROXY_FAIL);
	assert_non_null(strstr(err, "line too long"));
	/* Too many header lines. */
	proxy_conn_init(&c, NULL, "s", 1);
	(void)build(&c, buf, sizeof(buf));
	n = (size_t)snprintf(big, 64, "HTTP/1.1 200 OK\r\n");
	for (i = 0; i <= PROXY_HEADERS_MAX + 1; i++)
		n += (size_t)snprintf(big + n, 16, "X: %zu\r\n", i % 10);
	assert_int_equal(
	    proxy_conn_feed(&c, (uint8_t *)big, n, &used, err, sizeof(err)),
	    PROXY_FAIL);
	assert_non_null(strstr(err, "header lines"));
	/* Too many bytes of headers in long lines. */
	proxy_conn_init(&c, NULL, "s", 1);
	(void)build(&c, buf, sizeof(buf));
	n = (size_t)snprintf(big, 64, "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < 5; i++) {
		memcpy(big + n, "X: ", 3);
		memset(big + n + 3, 'b', 3500);
		memcpy(big + n + 3503, "\r\n", 2);
		n += 3505;
	}
	assert_int_equal(
	    proxy_conn_feed(&c, (uint8_t *)big, n, &used, err, sizeof(err)),
	    PROXY_FAIL);
	assert_non_null(strstr(err, "bytes"));
	free(big);
	/* The end of the connection. */
	proxy_conn_init(&c, NULL, "s", 1);
	(void)build(&c, buf, sizeof(buf));
	assert_int_equal(proxy_conn_eof(&c, err, sizeof(err)), PROXY_FAIL);
	assert_string_equal(
	    err, "proxy closed the connection without an answer");
	proxy_conn_init(&c, NULL, "s", 1);
	(void)build(&c, buf, sizeof(buf));
	assert_int_equal(feed_str(&c, "HTTP/1.1 502 Bad Gateway\r\nX:", &used,
			     err, sizeof(err)),
	    PROXY_MORE);
	assert_int_equal(proxy_conn_eof(&c, err, sizeof(err)), PROXY_FAIL);
	assert_string_equal(err,
	    "proxy closed the connection in its answer: HTTP/1.1 502 Bad "
	    "Gateway");
}

static void
test_eof_in_407_page(void **state)
{
	struct proxy_url u;
	struct proxy_conn c;
	char buf[PROXY_REQUEST_MAX], err[PROXY_ERR_MAX];
	size_t used;

	(void)state;
	assert_true(proxy_url_parse("http://u:p@p", &u, err, sizeof(err)));
	proxy_conn_init(&c, &u, "s", 1);
	(void)build(&c, buf, sizeof(buf));
	assert_int_equal(feed_str(&c,
			     "HTTP/1.1 407 A\r\nProxy-Authenticate: Basic\r\n"
			     "Content-Length: 10\r\n\r\nabc",
			     &used, err, sizeof(err)),
	    PROXY_MORE);
	assert_int_equal(proxy_conn_eof(&c, err, sizeof(err)), PROXY_AUTH);
	assert_false(proxy_conn_reusable(&c));
}

/* --- proxy_open() against a scripted proxy on 127.0.0.1 --------------- */

struct fake {
	int lfd;
	uint16_t port;
	int mode;
	int conns;
	char last_req[PROXY_REQUEST_MAX];
};

enum {
	FAKE_OPEN, /* 200 at once, then "TLS!" */
	FAKE_BASIC_KEEP, /* 407 with a page, then 200 on the same link */
	FAKE_BASIC_CLOSE, /* 407 and close, then 200 on a new link */
	FAKE_REFUSE, /* 403 */
	FAKE_SILENT, /* reads, never answers */
};

/* Read a request up to its empty line; false on EOF. */
static bool
fake_read_req(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < cap) {
		r = read(fd, buf + n, 1);
		if (r <= 0)
			return false;
		n++;
		buf[n] = '\0';
		if (n >= 4 && memcmp(buf + n - 4, "\r\n\r\n", 4) == 0)
			return true;
	}
	return false;
}

static void
fake_write(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		abort();
}

static void *
fake_run(void *arg)
{
	struct fake *f = arg;
	char req[PROXY_REQUEST_MAX];
	int fd;
	bool authed;

	for (;;) {
		fd = accept(f->lfd, NULL, NULL);
		if (fd < 0)
			return NULL;
		f->conns++;
		while (fake_read_req(fd, req, sizeof(req))) {
			snprintf(f->last_req, sizeof(f->last_req), "%s", req);
			authed = strstr(req,
				     "Proxy-Authorization: Basic "
				     "dTpw\r\n") != NULL;
			if (f->mode == FAKE_SILENT)
				continue;
			if (f->mode == FAKE_REFUSE) {
				fake_write(
				    fd, "HTTP/1.1 403 Forbidden\r\n\r\n");
				break;
			}
			if (f->mode == FAKE_OPEN || authed) {
				/* The TLS bytes follow at once: not eaten. */
				fake_write(fd,
				    "HTTP/1.1 200 Connection "
				    "established\r\n\r\nTLS!");
				/* Wait for the client to close. */
				while (read(fd, req, sizeof(req)) > 0)
					continue;
				break;
			}
			if (f->mode == FAKE_BASIC_KEEP) {
				fake_write(fd,
				    "HTTP/1.1 407 Auth\r\n"
				    "Proxy-Authenticate: Basic "
				    "realm=\"t\"\r\n"
				    "Content-Length: 6\r\n\r\n"
				    "denied");
				continue;
			}
			fake_write(fd,
			    "HTTP/1.1 407 Auth\r\n"
			    "Proxy-Authenticate: Basic realm=\"t\"\r\n"
			    "Connection: close\r\n\r\n");
			break;
		}
		close(fd);
	}
}

static void
fake_start(struct fake *f, int mode, pthread_t *th)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);

	memset(f, 0, sizeof(*f));
	f->mode = mode;
	f->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(f->lfd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(f->lfd, 4), 0);
	assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&sa, &sl), 0);
	f->port = ntohs(sa.sin_port);
	assert_int_equal(pthread_create(th, NULL, fake_run, f), 0);
}

static void
fake_stop(struct fake *f, pthread_t th)
{
	shutdown(f->lfd, SHUT_RDWR);
	close(f->lfd);
	pthread_join(th, NULL);
}

static int
open_via(struct fake *f, const char *creds, uint32_t timeout_ms, int abort_fd,
    int *status, char *err, size_t errlen)
{
	struct proxy_url u;
	char url[128];

	snprintf(url, sizeof(url), "http://%s127.0.0.1:%u", creds,
	    (unsigned)f->port);
	assert_true(proxy_url_parse(url, &u, err, errlen));
	return proxy_open(
	    &u, "server.test", 443, timeout_ms, abort_fd, status, err, errlen);
}

static void
expect_tls_bytes(int fd)
{
	char b[8];

	/* Blocking, and the bytes after the answer are still there. */
	assert_int_equal(read(fd, b, 4), 4);
	assert_memory_equal(b, "TLS!", 4);
	close(fd);
}

static void
test_open_fake_proxy(void **state)
{
	struct fake f;
	pthread_t th;
	char err[PROXY_ERR_MAX];
	int fd, status, p[2];

	(void)state;
	fake_start(&f, FAKE_OPEN, &th);
	fd = open_via(&f, "", 3000, -1, &status, err, sizeof(err));
	if (fd < 0)
		fail_msg("%s", err);
	assert_int_equal(status, 200);
	expect_tls_bytes(fd);
	assert_non_null(strstr(f.last_req, "CONNECT server.test:443 "));
	fake_stop(&f, th);

	fake_start(&f, FAKE_BASIC_KEEP, &th);
	fd = open_via(&f, "u:p@", 3000, -1, &status, err, sizeof(err));
	if (fd < 0)
		fail_msg("%s", err);
	expect_tls_bytes(fd);
	fake_stop(&f, th);
	assert_int_equal(f.conns, 1);

	fake_start(&f, FAKE_BASIC_CLOSE, &th);
	fd = open_via(&f, "u:p@", 3000, -1, &status, err, sizeof(err));
	if (fd < 0)
		fail_msg("%s", err);
	expect_tls_bytes(fd);
	fake_stop(&f, th);
	assert_int_equal(f.conns, 2);

	fake_start(&f, FAKE_BASIC_KEEP, &th);
	fd = open_via(&f, "u:wrong@", 3000, -1, &status, err, sizeof(err));
	assert_int_equal(fd, -1);
	assert_int_equal(status, 407);
	assert_string_equal(
	    err, "proxy refused: HTTP/1.1 407 Auth (credentials rejected)");
	fake_stop(&f, th);

	fake_start(&f, FAKE_REFUSE, &th);
	fd = open_via(&f, "", 3000, -1, &status, err, sizeof(err));
	assert_int_equal(fd, -1);
	assert_int_equal(status, 403);
	assert_string_equal(err, "proxy refused: HTTP/1.1 403 Forbidden");
	fake_stop(&f, th);

	fake_start(&f, FAKE_SILENT, &th);
	fd = open_via(&f, "", 300, -1, &status, err, sizeof(err));
	assert_int_equal(fd, -1);
	assert_non_null(strstr(err, "no answer within 300 ms"));
	/* abort_fd readable: given up at once. */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	fd = open_via(&f, "", 30000, p[0], &status, err, sizeof(err));
	assert_int_equal(fd, -1);
	assert_non_null(strstr(err, "interrupted"));
	close(p[0]);
	close(p[1]);
	fake_stop(&f, th);
}

static void
test_open_refused_port(void **state)
{
	struct fake f;
	pthread_t th;
	char err[PROXY_ERR_MAX];
	int fd, status;
	uint16_t port;

	(void)state;
	fake_start(&f, FAKE_OPEN, &th);
	port = f.port;
	fake_stop(&f, th);
	f.port = port; /* nothing listens there now */
	fd = open_via(&f, "", 3000, -1, &status, err, sizeof(err));
	assert_int_equal(fd, -1);
	assert_int_equal(status, 0);
	assert_non_null(strstr(err, "connect: Connection refused"));
}

int
main(int argc, char **argv)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_forms),
		cmocka_unit_test(test_url_errors),
		cmocka_unit_test(test_url_errors_hide_the_password),
		cmocka_unit_test(test_no_proxy_rules),
		cmocka_unit_test(test_env_choice),
		cmocka_unit_test(test_request_bytes),
		cmocka_unit_test(test_basic_rfc7617),
		cmocka_unit_test(test_digest_rfc7616_vectors),
		cmocka_unit_test(test_digest_exchange),
		cmocka_unit_test(test_digest_md5_stale_and_choice),
		cmocka_unit_test(test_challenge_forms),
		cmocka_unit_test(test_response_split),
		cmocka_unit_test(test_response_caps),
		cmocka_unit_test(test_eof_in_407_page),
		cmocka_unit_test(test_open_fake_proxy),
		cmocka_unit_test(test_open_refused_port),
	};

	return test_run(argc, argv, "client_proxy", tests, ARRAY_LEN(tests));
}

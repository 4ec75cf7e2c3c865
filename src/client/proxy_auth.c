/*
 * Proxy authentication: the Proxy-Authenticate challenges (RFC 9110
 * 11.6.1, 11.2), Basic (RFC 7617) and Digest (RFC 7616) credentials.
 * Hashes and base64 from OpenSSL.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "client/proxy_conn.h"

/* RFC 9110 5.6.2: tchar. */
static bool
pa_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 9110 11.2: token68. */
static bool
pa_t68char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') ||
	    (c != '\0' && strchr("-._~+/", c) != NULL);
}

static void
pa_ows(const char *s, size_t n, size_t *i)
{
	while (*i < n && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
}

static size_t
pa_token(const char *s, size_t n, size_t *i)
{
	size_t start = *i;

	while (*i < n && pa_tchar((unsigned char)s[*i]))
		(*i)++;
	return *i - start;
}

/*
 * RFC 9110 5.6.4: a quoted-string at s[*i] (the opening quote), unescaped
 * into dst[cap]; *fits false when it had to be cut.  false: malformed.
 */
static bool
pa_quoted(const char *s, size_t n, size_t *i, char *dst, size_t cap, bool *fits)
{
	size_t o = 0;
	unsigned char c;

	*fits = true;
	(*i)++;
	while (*i < n) {
		c = (unsigned char)s[*i];
		(*i)++;
		if (c == '"') {
			dst[o] = '\0';
			return true;
		}
		if (c == '\\') {
			if (*i >= n)
				return false;
			c = (unsigned char)s[*i];
			(*i)++;
		}
		/* qdtext and quoted-pair: HTAB, SP, VCHAR, obs-text. */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
		if (o + 1 < cap)
			dst[o++] = (char)c;
		else
			*fits = false;
	}
	return false;
}

/* What one challenge said, before we decide whether we can answer it. */
struct pa_chal {
	struct proxy_challenge c;
	bool bad; /* duplicate, over-long or unusable parameter */
	bool has_realm, has_nonce, has_alg, has_qop, has_stale, has_uh;
	bool qop_other; /* qop given, without "auth" */
};

/* qop="auth,auth-int": is "auth" one of the list? */
static bool
pa_list_has(const char *v, const char *tok)
{
	size_t n, tl = strlen(tok);

	while (*v != '\0') {
		v += strspn(v, " \t,");
		n = strcspn(v, " \t,");
		if (n == tl && strncasecmp(v, tok, n) == 0)
			return true;
		v += n;
	}
	return false;
}

static void
pa_param(
    struct pa_chal *ch, const char *name, size_t nl, const char *val, bool fits)
{
	struct proxy_challenge *c = &ch->c;
	bool *seen = NULL;

#define PA_IS(s) (nl == sizeof(s) - 1 && strncasecmp(name, s, nl) == 0)
	if (PA_IS("realm"))
		seen = &ch->has_realm;
	else if (PA_IS("nonce"))
		seen = &ch->has_nonce;
	else if (PA_IS("opaque"))
		seen = &c->has_opaque;
	else if (PA_IS("algorithm"))
		seen = &ch->has_alg;
	else if (PA_IS("qop"))
		seen = &ch->has_qop;
	else if (PA_IS("stale"))
		seen = &ch->has_stale;
	else if (PA_IS("userhash"))
		seen = &ch->has_uh;
	else
		return; /* domain, charset, anything new: not needed */
	/* RFC 9110 11.2: each parameter name at most once per challenge. */
	if (*seen || !fits) {
		ch->bad = true;
		return;
	}
	*seen = true;
	if (PA_IS("realm"))
		snprintf(c->realm, sizeof(c->realm), "%s", val);
	else if (PA_IS("nonce"))
		snprintf(c->nonce, sizeof(c->nonce), "%s", val);
	else if (PA_IS("opaque"))
		snprintf(c->opaque, sizeof(c->opaque), "%s", val);
	else if (PA_IS("algorithm")) {
		/* RFC 7616 3.3 and 6.1: the algorithms registered. */
		if (strcasecmp(val, "MD5") == 0)
			c->alg = PROXY_DIGEST_MD5;
		else if (strcasecmp(val, "MD5-sess") == 0)
			c->alg = PROXY_DIGEST_MD5_SESS;
		else if (strcasecmp(val, "SHA-256") == 0)
			c->alg = PROXY_DIGEST_SHA256;
		else if (strcasecmp(val, "SHA-256-sess") == 0)
			c->alg = PROXY_DIGEST_SHA256_SESS;
		else
			ch->bad = true; /* SHA-512-256 and the like */
	} else if (PA_IS("qop")) {
		c->qop_auth = pa_list_has(val, "auth");
		ch->qop_other = !c->qop_auth;
	} else if (PA_IS("stale"))
		c->stale = strcasecmp(val, "true") == 0;
	else if (PA_IS("userhash"))
		c->userhash = strcasecmp(val, "true") == 0;
#undef PA_IS
}

/* Can we answer it, and how good is it: 0 no, 1 Basic, 2 Digest. */
static int
pa_rank(const struct pa_chal *ch)
{
	const struct proxy_challenge *c = &ch->c;

	if (ch->bad)
		return 0;
	if (c->scheme == PROXY_SCHEME_BASIC)
		return 1;
	if (c->scheme != PROXY_SCHEME_DIGEST || !ch->has_realm ||
	    !ch->has_nonce || ch->qop_other)
		return 0;
	/* RFC 7616 3.4.2: the -sess forms need the cnonce of qop. */
	if (!c->qop_auth && c->alg != PROXY_DIGEST_MD5)
		return 0;
	return 2;
}

static int
pa_best_rank(const struct proxy_challenge *b)
{
	return b->scheme == PROXY_SCHEME_DIGEST ? 2
	    : b->scheme == PROXY_SCHEME_BASIC	? 1
						: 0;
}

/*
 * challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ] and
 * auth-param = token BWS "=" BWS ( token / quoted-string ), in a list
 * whose commas separate both challenges and parameters (RFC 9110 11.2,
 * 11.6.1): an item that is not a parameter starts the next challenge.
 */
bool
proxy_challenge_parse(const char *s, size_t n, struct proxy_challenge *best)
{
	struct pa_chal ch;
	size_t i = 0, sl, nl, vs, j;
	const char *scheme, *name;
	char val[PROXY_PARAM_MAX];
	bool fits, first;

	for (;;) {
		while (i < n && (s[i] == ',' || s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= n)
			return true;
		scheme = s + i;
		sl = pa_token(s, n, &i);
		if (sl == 0)
			return false;
		if (i < n && s[i] != ' ' && s[i] != ',')
			return false;
		memset(&ch, 0, sizeof(ch));
		if (sl == 5 && strncasecmp(scheme, "Basic", 5) == 0)
			ch.c.scheme = PROXY_SCHEME_BASIC;
		else if (sl == 6 && strncasecmp(scheme, "Digest", 6) == 0)
			ch.c.scheme = PROXY_SCHEME_DIGEST;
		first = true;
		for (;;) {
			j = i;
			while (j < n &&
			    (s[j] == ',' || s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j >= n) {
				i = j;
				break;
			}
			/* token BWS "=" BWS ( token / quoted-string ) */
			name = s + j;
			nl = pa_token(s, n, &j);
			vs = j;
			pa_ows(s, n, &j);
			if (nl > 0 && j < n && s[j] == '=') {
				j++;
				pa_ows(s, n, &j);
				fits = true;
				if (j < n && s[j] == '"') {
					if (!pa_quoted(s, n, &j, val,
						sizeof(val), &fits))
						return false;
				} else {
					vs = j;
					if (pa_token(s, n, &j) == 0)
						goto not_param;
					if (j - vs >= sizeof(val))
						fits = false;
					else {
						memcpy(val, s + vs, j - vs);
						val[j - vs] = '\0';
					}
				}
				pa_ows(s, n, &j);
				if (j < n && s[j] != ',')
					return false;
				pa_param(&ch, name, nl, val, fits);
				i = j;
				first = false;
				continue;
			}
not_param:
			/* Right after the scheme: token68 (NTLM, Negotiate). */
			if (first && i < n && s[i] == ' ') {
				j = i;
				pa_ows(s, n, &j);
				vs = j;
				while (j < n && pa_t68char((unsigned char)s[j]))
					j++;
				while (j < n && s[j] == '=')
					j++;
				pa_ows(s, n, &j);
				if (j > vs && (j >= n || s[j] == ',')) {
					ch.bad = true;
					i = j;
					first = false;
					continue;
				}
			}
			/* Not a parameter: the next challenge starts here. */
			if (first && i < n && s[i] != ',' && s[i] != ' ')
				return false;
			i = (size_t)(name - s);
			break;
		}
		if (pa_rank(&ch) > pa_best_rank(best))
			*best = ch.c;
	}
}

bool
proxy_basic_credentials(
    const char *user, const char *password, char *out, size_t cap)
{
	unsigned char in[520];
	size_t ul = strlen(user), pl = strlen(password), n;

	/* RFC 7617 2: a user-id with a colon cannot be sent. */
	if (strchr(user, ':') != NULL || ul + 1 + pl > sizeof(in))
		return false;
	n = ul + 1 + pl;
	if (cap < 4 * ((n + 2) / 3) + 1)
		return false;
	memcpy(in, user, ul);
	in[ul] = ':';
	memcpy(in + ul + 1, password, pl);
	(void)EVP_EncodeBlock((unsigned char *)out, in, (int)n);
	OPENSSL_cleanse(in, sizeof(in));
	return true;
}

const char *
proxy_digest_alg_name(enum proxy_digest_alg alg)
{
	switch (alg) {
	case PROXY_DIGEST_MD5:
		return "MD5";
	case PROXY_DIGEST_MD5_SESS:
		return "MD5-sess";
	case PROXY_DIGEST_SHA256:
		return "SHA-256";
	case PROXY_DIGEST_SHA256_SESS:
		return "SHA-256-sess";
	}
	return "?";
}

/* H(s) of RFC 7616 3.4.1, lowercase hex; data is a C string. */
static bool
pa_hash(enum proxy_digest_alg alg, const char *data, char *hex, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, k;
	const EVP_MD *type =
	    alg == PROXY_DIGEST_MD5 || alg == PROXY_DIGEST_MD5_SESS
	    ? EVP_md5()
	    : EVP_sha256();

	if (EVP_Digest(data, strlen(data), md, &len, type, NULL) != 1 ||
	    cap < 2 * (size_t)len + 1)
		return false;
	for (k = 0; k < len; k++) {
		hex[2 * k] = digits[md[k] >> 4];
		hex[2 * k + 1] = digits[md[k] & 15];
	}
	hex[2 * len] = '\0';
	OPENSSL_cleanse(md, sizeof(md));
	return true;
}

bool
proxy_digest_response(enum proxy_digest_alg alg, const char *user,
    const char *realm, const char *password, const char *nonce,
    const char *cnonce, uint32_t nc, bool qop_auth, const char *method,
    const char *uri, char *hex, size_t cap)
{
	char buf[1400], ha1[65], ha2[65];
	bool ok = false;
	int n;

	/* A1 = unq(username) ":" unq(realm) ":" passwd (3.4.2) */
	n = snprintf(buf, sizeof(buf), "%s:%s:%s", user, realm, password);
	if (n < 0 || (size_t)n >= sizeof(buf) ||
	    !pa_hash(alg, buf, ha1, sizeof(ha1)))
		goto out;
	/* -sess: H(A1) ":" unq(nonce) ":" unq(cnonce), hashed again. */
	if (alg == PROXY_DIGEST_MD5_SESS || alg == PROXY_DIGEST_SHA256_SESS) {
		n = snprintf(buf, sizeof(buf), "%s:%s:%s", ha1, nonce, cnonce);
		if (n < 0 || (size_t)n >= sizeof(buf) ||
		    !pa_hash(alg, buf, ha1, sizeof(ha1)))
			goto out;
	}
	/* A2 = Method ":" request-uri (3.4.3, qop=auth) */
	n = snprintf(buf, sizeof(buf), "%s:%s", method, uri);
	if (n < 0 || (size_t)n >= sizeof(buf) ||
	    !pa_hash(alg, buf, ha2, sizeof(ha2)))
		goto out;
	/* 3.4.1: KD(H(A1), nonce:nc:cnonce:qop:H(A2)); RFC 2069 without qop. */
	if (qop_auth)
		n = snprintf(buf, sizeof(buf), "%s:%s:%08x:%s:auth:%s", ha1,
		    nonce, nc, cnonce, ha2);
	else
		n = snprintf(buf, sizeof(buf), "%s:%s:%s", ha1, nonce, ha2);
	ok = n >= 0 && (size_t)n < sizeof(buf) && pa_hash(alg, buf, hex, cap);
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(ha1, sizeof(ha1));
	return ok;
}

bool
proxy_digest_userhash(enum proxy_digest_alg alg, const char *user,
    const char *realm, char *hex, size_t cap)
{
	char buf[600];
	int n = snprintf(buf, sizeof(buf), "%s:%s", user, realm);

	return n >= 0 && (size_t)n < sizeof(buf) && pa_hash(alg, buf, hex, cap);
}

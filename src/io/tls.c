/*
 * Non-blocking TLS with OpenSSL: contexts for both roles, the handshake,
 * and batched reads and writes (see tls.h).
 */
#include "io/tls.h"

#include <sys/epoll.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "base/addr.h"

static FILE *keylog_file;

/*
 * NSS key log lines for Wireshark when SSLKEYLOGFILE is set, as browsers
 * and curl do.  Opened once, appended to, line-buffered so a capture read
 * while we run sees every line.
 */
void
tls_keylog_open(void)
{
	const char *path = getenv("SSLKEYLOGFILE");

	if (keylog_file != NULL || path == NULL || *path == '\0')
		return;
	keylog_file = fopen(path, "ae");
	if (keylog_file != NULL)
		setvbuf(keylog_file, NULL, _IOLBF, 0);
}

static void
keylog_cb(const SSL *ssl, const char *line)
{
	(void)ssl;
	tls_keylog_open();
	if (keylog_file != NULL)
		fprintf(keylog_file, "%s\n", line);
}

static void
set_err_from_queue(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[200];

	if (e == 0)
		snprintf(err, errlen, "%s", what);
	else {
		ERR_error_string_n(e, buf, sizeof(buf));
		snprintf(err, errlen, "%s: %s", what, buf);
	}
	ERR_clear_error();
}

static SSL_CTX *
ctx_common(const SSL_METHOD *method, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(method);

	if (ctx == NULL) {
		set_err_from_queue(err, errlen, "SSL_CTX_new");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
	/*
	 * Idle sessions keep no buffers (47 KB -> 14 KB each here); partial
	 * and moving writes let the session's output buffer be compacted
	 * between a blocked SSL_write and its retry.
	 */
	SSL_CTX_set_mode(ctx,
	    SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
		SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* One recv() fills many records: +33 % on the receive side. */
	SSL_CTX_set_read_ahead(ctx, 1);
	if (getenv("SSLKEYLOGFILE") != NULL)
		SSL_CTX_set_keylog_callback(ctx, keylog_cb);
	return ctx;
}

/* NULL or "" leaves OpenSSL's default; false with the reason queued. */
static bool
list_apply(SSL_CTX *ctx, enum tls_list kind, const char *list)
{
	int ok;

	if (list == NULL || *list == '\0')
		return true;
	switch (kind) {
	case TLS_LIST_CIPHERS:
		ok = SSL_CTX_set_cipher_list(ctx, list);
		break;
	case TLS_LIST_CIPHERSUITES:
		ok = SSL_CTX_set_ciphersuites(ctx, list);
		break;
	case TLS_LIST_GROUPS:
		ok = SSL_CTX_set1_groups_list(ctx, list);
		break;
	default:
		ok = 0;
		break;
	}
	return ok == 1;
}

bool
tls_list_check(enum tls_list kind, const char *list, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	const char *data = NULL, *reason = NULL;
	unsigned long e;
	int flags = 0;
	bool ok;

	if (ctx == NULL) {
		set_err_from_queue(err, errlen, "SSL_CTX_new");
		return false;
	}
	ERR_clear_error();
	ok = list_apply(ctx, kind, list);
	if (!ok) {
		/* OpenSSL's reason alone: the caller names the key. */
		e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags);
		if (e != 0)
			reason = ERR_reason_error_string(e);
		if (data != NULL && *data != '\0' && (flags & ERR_TXT_STRING))
			snprintf(err, errlen, "%s (%s)",
			    reason != NULL ? reason : "refused", data);
		else
			snprintf(err, errlen, "%s",
			    reason != NULL ? reason : "refused");
		ERR_clear_error();
	}
	SSL_CTX_free(ctx);
	return ok;
}

SSL_CTX *
tls_server_ctx_new(const struct tls_server_opts *o, char *err, size_t errlen)
{
	SSL_CTX *ctx = ctx_common(TLS_server_method(), err, errlen);

	if (ctx == NULL)
		return NULL;
	if (o->min_version != 0 &&
	    SSL_CTX_set_min_proto_version(ctx, o->min_version) != 1) {
		set_err_from_queue(err, errlen, "TLS minimum version");
		goto fail;
	}
	if (!list_apply(ctx, TLS_LIST_CIPHERS, o->ciphers)) {
		set_err_from_queue(err, errlen, "ciphers");
		goto fail;
	}
	if (!list_apply(ctx, TLS_LIST_CIPHERSUITES, o->ciphersuites)) {
		set_err_from_queue(err, errlen, "ciphersuites");
		goto fail;
	}
	if (!list_apply(ctx, TLS_LIST_GROUPS, o->groups)) {
		set_err_from_queue(err, errlen, "groups");
		goto fail;
	}
	/* Our order, not the client's: AEAD first even for a client that
	 * lists CBC suites first (they are there for old peers only). */
	SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
	if (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1) {
		set_err_from_queue(err, errlen, o->cert);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1) {
		set_err_from_queue(err, errlen, o->key);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		set_err_from_queue(
		    err, errlen, "the key does not match the certificate");
		goto fail;
	}
	/*
	 * No resumption: no session cache (a TLS 1.2 client's session would
	 * be kept for 5 minutes, ~1 KB each) and no TLS 1.3 tickets (two
	 * more encrypted messages in every handshake).  SSTP clients
	 * reconnect seldom; a resumed session would still bind the same
	 * certificate (trap 18), it is only not worth its cost.
	 */
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_num_tickets(ctx, 0);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/* SHA-256 of a certificate's SubjectPublicKeyInfo (RFC 7469 2.4). */
static bool
spki_sha256(X509 *x, uint8_t out[32])
{
	unsigned char *der = NULL;
	unsigned int n = 0;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	bool ok;

	if (len <= 0)
		return false;
	ok = EVP_Digest(der, (size_t)len, out, &n, EVP_sha256(), NULL) == 1;
	OPENSSL_free(der);
	return ok && n == 32;
}

/*
 * Note the leaf's key whatever the verdict, so that an error can name
 * the key the server showed and how to pin it; the verdict is OpenSSL's,
 * or "accept" when a pin replaces the chain.
 */
static int
verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(
	    xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tls_conn *t = ssl != NULL ? SSL_get_app_data(ssl) : NULL;

	if (t != NULL && X509_STORE_CTX_get_error_depth(xs) == 0 &&
	    spki_sha256(X509_STORE_CTX_get_current_cert(xs), t->peer_spki))
		t->have_peer_spki = true;
	if (ssl != NULL &&
	    SSL_CTX_get_verify_mode(SSL_get_SSL_CTX(ssl)) == SSL_VERIFY_NONE)
		return 1;
	return ok;
}

const char *
tls_spki_str(const uint8_t spki[32], char *buf, size_t len)
{
	char b64[48];

	EVP_EncodeBlock((unsigned char *)b64, spki, 32);
	snprintf(buf, len, "sha256//%s", b64);
	return buf;
}

const char *
tls_server_name(const struct tls_conn *t)
{
	return SSL_get_servername(t->ssl, TLSEXT_NAMETYPE_host_name);
}

SSL_CTX *
tls_client_ctx_new(const struct tls_client_opts *o, char *err, size_t errlen)
{
	SSL_CTX *ctx = ctx_common(TLS_client_method(), err, errlen);

	if (ctx == NULL)
		return NULL;
	if (o->min_version != 0 &&
	    SSL_CTX_set_min_proto_version(ctx, o->min_version) != 1) {
		set_err_from_queue(err, errlen, "TLS minimum version");
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (o->ciphers != NULL && *o->ciphers != '\0' &&
	    SSL_CTX_set_cipher_list(ctx, o->ciphers) != 1) {
		set_err_from_queue(err, errlen, "cipher list");
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (o->insecure || o->pin_only) {
		/* The callback still runs and notes the key. */
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, verify_cb);
		return ctx;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb);
	if (o->ca_file != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, o->ca_file, NULL) != 1) {
			set_err_from_queue(err, errlen, o->ca_file);
			SSL_CTX_free(ctx);
			return NULL;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		set_err_from_queue(err, errlen, "the system CA store");
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

void
tls_ctx_free(SSL_CTX *ctx)
{
	SSL_CTX_free(ctx);
}

static bool
cert_der(X509 *x, uint8_t **der, size_t *len)
{
	unsigned char *p = NULL;
	int n;

	if (x == NULL)
		return false;
	n = i2d_X509(x, &p);
	if (n <= 0)
		return false;
	*der = p;
	*len = (size_t)n;
	return true;
}

bool
tls_ctx_leaf(SSL_CTX *ctx, uint8_t **der, size_t *len)
{
	return cert_der(SSL_CTX_get0_certificate(ctx), der, len);
}

bool
tls_peer_leaf(const struct tls_conn *t, uint8_t **der, size_t *len)
{
	return cert_der(SSL_get0_peer_certificate(t->ssl), der, len);
}

bool
tls_conn_init(
    struct tls_conn *t, SSL_CTX *ctx, int fd, bool server, const char *host)
{
	struct ip_addr ip;

	memset(t, 0, sizeof(*t));
	t->fd = fd;
	t->server = server;
	t->ssl = SSL_new(ctx);
	if (t->ssl == NULL || SSL_set_fd(t->ssl, fd) != 1) {
		set_err_from_queue(t->err, sizeof(t->err), "SSL_new");
		return false;
	}
	SSL_set_app_data(t->ssl, t);
	if (server) {
		SSL_set_accept_state(t->ssl);
		return true;
	}
	SSL_set_connect_state(t->ssl);
	if (host == NULL || *host == '\0')
		return true;
	if (addr_parse(host, &ip)) {
		/* An address is checked against SAN IP entries; no SNI
		 * (RFC 6066 3: literal addresses are not sent). */
		if (X509_VERIFY_PARAM_set1_ip_asc(
			SSL_get0_param(t->ssl), host) != 1) {
			set_err_from_queue(t->err, sizeof(t->err), host);
			return false;
		}
		return true;
	}
	SSL_set_hostflags(t->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (SSL_set_tlsext_host_name(t->ssl, host) != 1 ||
	    SSL_set1_host(t->ssl, host) != 1) {
		set_err_from_queue(t->err, sizeof(t->err), host);
		return false;
	}
	return true;
}

void
tls_conn_fini(struct tls_conn *t)
{
	SSL_free(t->ssl);
	t->ssl = NULL;
}

/* Turn an SSL_* return into a status, saying why in t->err. */
static enum tls_status
status_of(struct tls_conn *t, int ret, const char *op)
{
	int e = SSL_get_error(t->ssl, ret);
	long vr;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		return TLS_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		return TLS_EOF;
	case SSL_ERROR_SYSCALL:
		if (ERR_peek_error() == 0) {
			if (errno == 0 || errno == EPIPE ||
			    errno == ECONNRESET) {
				snprintf(t->err, sizeof(t->err),
				    "connection closed by peer");
				ERR_clear_error();
				return TLS_EOF;
			}
			snprintf(t->err, sizeof(t->err), "%s: %s", op,
			    strerror(errno));
			return TLS_ERROR;
		}
		break;
	case SSL_ERROR_SSL:
		/*
		 * OpenSSL 3 reports a TCP FIN without close_notify as an
		 * error, where 1.1 gave SSL_ERROR_SYSCALL with errno 0.
		 */
		if (ERR_GET_LIB(ERR_peek_error()) == ERR_LIB_SSL &&
		    ERR_GET_REASON(ERR_peek_error()) ==
			SSL_R_UNEXPECTED_EOF_WHILE_READING) {
			snprintf(t->err, sizeof(t->err),
			    "connection closed by peer");
			ERR_clear_error();
			return TLS_EOF;
		}
		break;
	default:
		break;
	}
	/* The verify result is kept (and not OK) even when verification
	 * is off: it explains only a failure that says it is the cause. */
	vr = SSL_get_verify_result(t->ssl);
	if (!t->server && vr != X509_V_OK &&
	    ERR_GET_LIB(ERR_peek_error()) == ERR_LIB_SSL &&
	    ERR_GET_REASON(ERR_peek_error()) ==
		SSL_R_CERTIFICATE_VERIFY_FAILED) {
		snprintf(t->err, sizeof(t->err),
		    "certificate verify failed: %s",
		    X509_verify_cert_error_string(vr));
		ERR_clear_error();
		return TLS_ERROR;
	}
	set_err_from_queue(t->err, sizeof(t->err), op);
	return TLS_ERROR;
}

enum tls_status
tls_handshake(struct tls_conn *t)
{
	int ret;

	if (t->handshake_done)
		return TLS_OK;
	ERR_clear_error();
	errno = 0;
	ret = SSL_do_handshake(t->ssl);
	if (ret == 1) {
		t->handshake_done = true;
		t->read_want = TLS_OK;
		return TLS_OK;
	}
	t->read_want = status_of(t, ret, "TLS handshake");
	if (t->read_want == TLS_EOF && t->err[0] == '\0')
		snprintf(t->err, sizeof(t->err), "connection closed by peer");
	return t->read_want;
}

enum tls_status
tls_read(struct tls_conn *t, uint8_t *buf, size_t cap, size_t *n)
{
	size_t got = 0, r;
	enum tls_status st = TLS_OK;
	int ret;

	t->read_want = TLS_OK;
	while (got < cap) {
		ERR_clear_error();
		errno = 0;
		ret = SSL_read_ex(t->ssl, buf + got, cap - got, &r);
		if (ret == 1) {
			got += r;
			continue;
		}
		st = status_of(t, ret, "TLS read");
		break;
	}
	*n = got;
	if (st == TLS_WANT_READ || st == TLS_WANT_WRITE)
		t->read_want = st;
	if (got > 0 && (st == TLS_WANT_READ || st == TLS_WANT_WRITE))
		return TLS_OK;
	/* EOF or an error after data: hand the data over first; the next
	 * call meets the condition again. */
	if (got > 0)
		return TLS_OK;
	return st;
}

enum tls_status
tls_write(struct tls_conn *t, const uint8_t *buf, size_t len, size_t *n)
{
	size_t off = 0, w;
	enum tls_status st = TLS_OK;
	int ret;

	t->write_want = TLS_OK;
	while (off < len) {
		ERR_clear_error();
		errno = 0;
		ret = SSL_write_ex(t->ssl, buf + off, len - off, &w);
		if (ret == 1) {
			off += w;
			continue;
		}
		st = status_of(t, ret, "TLS write");
		break;
	}
	*n = off;
	if (st == TLS_WANT_READ || st == TLS_WANT_WRITE)
		t->write_want = st;
	if (off > 0 && st != TLS_ERROR)
		return TLS_OK;
	return st;
}

void
tls_shutdown(struct tls_conn *t)
{
	if (t->ssl != NULL && t->handshake_done) {
		ERR_clear_error();
		(void)SSL_shutdown(t->ssl);
		ERR_clear_error();
	}
}

uint32_t
tls_events(const struct tls_conn *t, bool have_output)
{
	if (t->read_want == TLS_WANT_WRITE)
		return EPOLLOUT;
	if (have_output && t->write_want != TLS_WANT_READ)
		return EPOLLOUT;
	return 0;
}

const char *
tls_error(const struct tls_conn *t)
{
	return t->err[0] != '\0' ? t->err : "TLS error";
}

const char *
tls_describe(const struct tls_conn *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", SSL_get_version(t->ssl),
	    SSL_get_cipher_name(t->ssl));
	return buf;
}

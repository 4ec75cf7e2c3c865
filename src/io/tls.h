/*
 * Non-blocking TLS over a connected socket, with OpenSSL (DESIGN.md).
 * TLS 1.2 at least, 1.3 preferred; read-ahead on (one recv fills many
 * records) and SSL_MODE_RELEASE_BUFFERS (an idle connection keeps no
 * 16 KiB buffers).  Every call answers what the socket must wait for:
 * SSL_read may need the socket writable (a TLS 1.3 KeyUpdate answer) and
 * SSL_write readable, so the caller keeps one want per direction and
 * retries the blocked call when its condition is met (tls_events()).
 */
#ifndef OPENSSTP_IO_TLS_H
#define OPENSSTP_IO_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

enum tls_status {
	TLS_OK, /* done (some bytes moved, or handshake complete) */
	TLS_WANT_READ, /* retry when the socket is readable */
	TLS_WANT_WRITE, /* retry when the socket is writable */
	TLS_EOF, /* the peer closed (close_notify or TCP FIN) */
	TLS_ERROR, /* fatal; tls_error() says why */
};

#define TLS_ERR_MAX 256

struct tls_server_opts {
	const char *cert; /* PEM chain, leaf first */
	const char *key; /* PEM private key */
	int min_version; /* TLS1_2_VERSION (0) or TLS1_3_VERSION */
	/* OpenSSL's syntax; NULL or "": OpenSSL's default */
	const char *ciphers; /* TLS 1.2: cipher list, in preference order */
	const char *ciphersuites; /* TLS 1.3 */
	const char *groups; /* key exchange groups: "X25519:P-256" */
};

/* The lists a server context takes from its configuration. */
enum tls_list {
	TLS_LIST_CIPHERS,
	TLS_LIST_CIPHERSUITES,
	TLS_LIST_GROUPS,
};

struct tls_client_opts {
	const char *ca_file; /* NULL: the system store */
	bool insecure; /* no chain or name check at all */
	/* The caller checks a pinned key instead of the chain and name
	 * (tls_peer_spki after the handshake). */
	bool pin_only;
	int min_version; /* TLS1_2_VERSION (0) or TLS1_3_VERSION */
	const char *ciphers; /* OpenSSL cipher list for TLS 1.2; NULL */
};

/*
 * Contexts for each role; NULL with the reason in err.  Both write TLS
 * secrets to $SSLKEYLOGFILE when it is set (NSS key log format), for
 * captures.  The server's leaf certificate (DER) stays in the context for
 * the crypto binding (tls_ctx_leaf).
 */
SSL_CTX *tls_server_ctx_new(
    const struct tls_server_opts *o, char *err, size_t errlen);
SSL_CTX *tls_client_ctx_new(
    const struct tls_client_opts *o, char *err, size_t errlen);
void tls_ctx_free(SSL_CTX *ctx);
/*
 * Would OpenSSL take this list?  Tried on a scratch context, so that a
 * configuration is refused before the server starts (OpenSSL refuses a
 * list in which no name is known, and skips unknown names in the rest).
 * false with OpenSSL's reason in err.
 */
bool tls_list_check(
    enum tls_list kind, const char *list, char *err, size_t errlen);
/* Open $SSLKEYLOGFILE now (it is otherwise opened at the first
 * handshake): a server opens it before it drops its privileges. */
void tls_keylog_open(void);
/* The DER of the certificate this server context presents; the caller
 * frees *der with OPENSSL_free. */
bool tls_ctx_leaf(SSL_CTX *ctx, uint8_t **der, size_t *len);

struct tls_conn {
	SSL *ssl;
	int fd;
	bool server;
	bool handshake_done;
	/* What the last blocked read / write waits for (0: not blocked). */
	enum tls_status read_want, write_want;
	/* Client: SHA-256 of the server leaf's SubjectPublicKeyInfo, seen
	 * during verification, so even a refused key can be named. */
	bool have_peer_spki;
	uint8_t peer_spki[32];
	char err[TLS_ERR_MAX];
};

/*
 * Wrap the connected, non-blocking socket fd.  Client: host is the name
 * dialled, sent as SNI when it is a name and checked against the
 * certificate (SAN DNS/IP; the CN only without SANs) unless insecure.
 */
bool tls_conn_init(
    struct tls_conn *t, SSL_CTX *ctx, int fd, bool server, const char *host);
/* Free the SSL (the fd is the caller's). */
void tls_conn_fini(struct tls_conn *t);

enum tls_status tls_handshake(struct tls_conn *t);
/*
 * Read into buf: TLS_OK with *n > 0, or why not.  Loops over SSL_read
 * until cap is full or no whole record is left, so one call hands back
 * everything the socket had (read-ahead).
 */
enum tls_status tls_read(
    struct tls_conn *t, uint8_t *buf, size_t cap, size_t *n);
/*
 * Write from buf (partial writes allowed, moving buffer allowed): TLS_OK
 * with *n bytes taken, which may be fewer than len.  Records are at most
 * 16 KiB, so a long buffer is written as full records.
 */
enum tls_status tls_write(
    struct tls_conn *t, const uint8_t *buf, size_t len, size_t *n);
/* Send close_notify, best effort, without waiting for the peer's. */
void tls_shutdown(struct tls_conn *t);

/* The epoll events the connection waits for besides EPOLLIN. */
uint32_t tls_events(const struct tls_conn *t, bool have_output);
const char *tls_error(const struct tls_conn *t);
/* After the handshake: "TLSv1.3 TLS_AES_256_GCM_SHA384". */
const char *tls_describe(const struct tls_conn *t, char *buf, size_t len);
/* The SNI name the client sent (server side), or NULL. */
const char *tls_server_name(const struct tls_conn *t);
/* "sha256//BASE64" of an SPKI hash, as curl's --pinnedpubkey. */
const char *tls_spki_str(const uint8_t spki[32], char *buf, size_t len);
/* The DER of the peer's leaf certificate; OPENSSL_free *der. */
bool tls_peer_leaf(const struct tls_conn *t, uint8_t **der, size_t *len);

#endif

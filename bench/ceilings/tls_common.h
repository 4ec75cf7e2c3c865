/*
 * What the TLS ceiling programs (tls-bulk, tls-hs, tls-mem) share: their
 * options, contexts set up the way opensstpd's and opensstp's are
 * (src/io/tls.c: TLS 1.2 at least, read-ahead, no renegotiation), TCP
 * sockets on loopback, CPU time and pinning.  Each program forks: the
 * parent plays the client, the child the server, so that each side's
 * CPU time is its own.
 */
#ifndef BENCH_TLS_COMMON_H
#define BENCH_TLS_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/ssl.h>

struct tc_opts {
	const char *cert, *key, *ca; /* PEM files; ca verifies the server */
	const char *suite; /* a TLS 1.3 suite or a TLS 1.2 cipher, or NULL */
	int version; /* TLS1_2_VERSION, TLS1_3_VERSION or 0 (either) */
	bool release_buffers; /* SSL_MODE_RELEASE_BUFFERS on both ends */
	double seconds;
	unsigned long size, count, clients;
};

/* Parses the common options (see tc_usage); exits 2 on a bad one. */
void tc_parse(int argc, char **argv, struct tc_opts *o, const char *usage);

SSL_CTX *tc_server_ctx(const struct tc_opts *o);
SSL_CTX *tc_client_ctx(const struct tc_opts *o);

/* A TCP listener on 127.0.0.1, port chosen by the kernel. */
int tc_listen(uint16_t *port);
/* A blocking connection to 127.0.0.1:port, TCP_NODELAY set. */
int tc_connect(uint16_t port);
/* accept(), TCP_NODELAY set. */
int tc_accept(int lfd);

/* Monotonic seconds. */
double tc_now(void);
/* User + system CPU seconds of this process. */
double tc_cpu(void);
/* Runs this process on CPU n modulo the CPUs it may use. */
void tc_pin(unsigned n);
/* VmRSS of this process in KB. */
long tc_rss_kb(void);

/* Prints OpenSSL's error queue with a prefix and exits 1. */
void tc_die(const char *what);

/* "TLSv1.3 TLS_AES_256_GCM_SHA384" of a connected SSL. */
void tc_describe(const SSL *ssl, char *buf, size_t len);

#endif

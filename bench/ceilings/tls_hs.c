/*
 * tls-hs: the full-handshake ceiling of this machine with a given
 * certificate.  --clients client processes each open TLS connections to
 * 127.0.0.1 one after another for --seconds (connect, full handshake with
 * the chain verified, close_notify, close; no session cache, no
 * tickets, so nothing resumes), against as many server processes
 * accepting on one socket.  The server side is set up as opensstpd's
 * (tls_common.c).  Prints one line of key=value: the suite, handshakes
 * completed, the wall rate, and the CPU seconds of all servers and of
 * all clients, from wait4(), so each figure per core can be derived.
 *
 *	tls-hs --cert C --key K --ca CA [--suite S] [--tls 1.3]
 *	    [--clients 2] [--seconds 3]
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tls_common.h"

#define MAX_PROCS 64

static const char usage[] =
    "usage: tls-hs --cert FILE --key FILE --ca FILE [--suite S] "
    "[--tls 1.2|1.3]\n"
    "              [--clients N] [--seconds S]\n";

static double
ru_cpu(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) +
	    (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
}

/* Accepts and completes handshakes until killed. */
static void
serve(int lfd, const struct tc_opts *o)
{
	SSL_CTX *ctx = tc_server_ctx(o);
	char b;

	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		SSL *ssl = SSL_new(ctx);
		int fd = tc_accept(lfd);

		SSL_set_fd(ssl, fd);
		if (SSL_accept(ssl) == 1) {
			/* Until the client's close_notify (or its reset). */
			(void)SSL_read(ssl, &b, 1);
			(void)SSL_shutdown(ssl);
		}
		SSL_free(ssl);
		close(fd);
	}
}

/* One full handshake; false if it failed. */
static bool
handshake(SSL_CTX *ctx, uint16_t port, char *what, size_t len)
{
	SSL *ssl = SSL_new(ctx);
	int fd = tc_connect(port);
	bool ok;

	SSL_set_fd(ssl, fd);
	ok = SSL_connect(ssl) == 1;
	if (ok && what != NULL)
		tc_describe(ssl, what, len);
	if (ok)
		(void)SSL_shutdown(ssl);
	SSL_free(ssl);
	close(fd);
	return ok;
}

/* Handshakes one after another until the time is up; the count out. */
static void
client(uint16_t port, const struct tc_opts *o, int out, double until)
{
	SSL_CTX *ctx = tc_client_ctx(o);
	unsigned long n = 0, failed = 0;

	signal(SIGPIPE, SIG_IGN);
	while (tc_now() < until) {
		if (handshake(ctx, port, NULL, 0))
			n++;
		else
			failed++;
	}
	if (failed > 0)
		fprintf(stderr, "tls-hs: %lu handshakes failed\n", failed);
	if (write(out, &n, sizeof(n)) != sizeof(n))
		exit(1);
	exit(failed > 0);
}

int
main(int argc, char **argv)
{
	struct tc_opts o = { .seconds = 3, .clients = 2 };
	pid_t servers[MAX_PROCS], clients[MAX_PROCS];
	struct rusage ru;
	double scpu = 0, ccpu = 0, t0, wall, start;
	unsigned long total = 0, n, i;
	char what[128];
	uint16_t port;
	int lfd, p[2], status, bad = 0;
	SSL_CTX *ctx;

	tc_parse(argc, argv, &o, usage);
	if (o.clients == 0 || o.clients > MAX_PROCS || o.seconds <= 0) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	lfd = tc_listen(&port);
	for (i = 0; i < o.clients; i++)
		if ((servers[i] = fork()) == 0)
			serve(lfd, &o);
	/* One handshake first: the suite, and the servers' warm-up. */
	ctx = tc_client_ctx(&o);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < o.clients * 4; i++)
		if (!handshake(ctx, port, what, sizeof(what)))
			tc_die("first handshake");
	SSL_CTX_free(ctx);
	if (pipe(p) != 0)
		return 1;
	start = tc_now();
	t0 = start;
	for (i = 0; i < o.clients; i++)
		if ((clients[i] = fork()) == 0)
			client(port, &o, p[1], start + o.seconds);
	close(p[1]);
	for (i = 0; i < o.clients; i++) {
		if (read(p[0], &n, sizeof(n)) != sizeof(n))
			bad = 1;
		else
			total += n;
	}
	wall = tc_now() - t0;
	for (i = 0; i < o.clients; i++) {
		if (wait4(clients[i], &status, 0, &ru) < 0 || status != 0)
			bad = 1;
		ccpu += ru_cpu(&ru);
	}
	for (i = 0; i < o.clients; i++) {
		kill(servers[i], SIGTERM);
		if (wait4(servers[i], &status, 0, &ru) > 0)
			scpu += ru_cpu(&ru);
	}
	if (bad) {
		fprintf(stderr, "tls-hs: a client failed\n");
		return 1;
	}
	/* The servers' CPU covers the warm-up's handshakes too: divide it
	 * by server_handshakes. */
	printf("suite=\"%s\" clients=%lu handshakes=%lu seconds=%.3f "
	       "hs_per_s=%.1f server_cpu_s=%.3f server_handshakes=%lu "
	       "client_cpu_s=%.3f\n",
	    what, o.clients, total, wall, (double)total / wall, scpu,
	    total + o.clients * 4, ccpu);
	return 0;
}

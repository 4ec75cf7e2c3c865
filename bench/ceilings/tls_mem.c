/*
 * tls-mem: the resident memory of an idle TLS connection on the server
 * side, the floor under an idle VPN session.  The server (a child
 * process, set up as opensstpd's contexts are, with
 * SSL_MODE_RELEASE_BUFFERS when --release-buffers is given) accepts
 * --count connections one after another; on each, after a full
 * handshake, 16 bytes go each way (so the buffers have been used and,
 * when released, given back), and the connection is kept.  Its VmRSS
 * after a warm-up of 50 connections (opened and closed: OpenSSL's
 * one-time state is nobody's) and with all --count held gives the KB
 * per connection.  The kernel's socket memory is not in RSS.
 *
 *	tls-mem --cert C --key K --ca CA [--suite S] [--tls 1.3]
 *	    [--count 2000] [--release-buffers]
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tls_common.h"

#define WARMUP 50

static const char usage[] =
    "usage: tls-mem --cert FILE --key FILE --ca FILE [--suite S] "
    "[--tls 1.2|1.3]\n"
    "               [--count N] [--release-buffers]\n";

/* One connection's exchange on the server side. */
static SSL *
accept_one(SSL_CTX *ctx, int lfd)
{
	SSL *ssl = SSL_new(ctx);
	char b[16];

	SSL_set_fd(ssl, tc_accept(lfd));
	if (SSL_accept(ssl) != 1 || SSL_read(ssl, b, sizeof(b)) != 16 ||
	    SSL_write(ssl, b, sizeof(b)) != 16)
		tc_die("server exchange");
	return ssl;
}

static void
drop(SSL *ssl)
{
	int fd = SSL_get_fd(ssl);

	SSL_free(ssl);
	close(fd);
}

/* Serves WARMUP + count connections; the RSS figures out. */
static void
serve(int lfd, const struct tc_opts *o, int out)
{
	SSL_CTX *ctx = tc_server_ctx(o);
	SSL **keep = calloc(o->count, sizeof(*keep));
	long rss[2];
	unsigned long i;

	if (keep == NULL)
		tc_die("calloc");
	for (i = 0; i < WARMUP; i++)
		drop(accept_one(ctx, lfd));
	rss[0] = tc_rss_kb();
	for (i = 0; i < o->count; i++)
		keep[i] = accept_one(ctx, lfd);
	rss[1] = tc_rss_kb();
	if (write(out, rss, sizeof(rss)) != sizeof(rss))
		exit(1);
	/* Held until the client has read the figures and closes. */
	pause();
	exit(0);
}

static SSL *
connect_one(SSL_CTX *ctx, uint16_t port)
{
	SSL *ssl = SSL_new(ctx);
	char b[16] = "0123456789abcdef";

	SSL_set_fd(ssl, tc_connect(port));
	if (SSL_connect(ssl) != 1 || SSL_write(ssl, b, sizeof(b)) != 16 ||
	    SSL_read(ssl, b, sizeof(b)) != 16)
		tc_die("client exchange");
	return ssl;
}

int
main(int argc, char **argv)
{
	struct tc_opts o = { .count = 2000 };
	struct rlimit rl;
	char what[128];
	long rss[2];
	unsigned long i;
	uint16_t port;
	int lfd, p[2], status;
	pid_t pid;
	SSL_CTX *ctx;
	SSL **keep;

	tc_parse(argc, argv, &o, usage);
	if (o.count == 0 || o.count > 1000000) {
		fprintf(stderr, "%s", usage);
		return 2;
	}
	/* Each side holds count descriptors. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < o.count + 256) {
		rl.rlim_cur = o.count + 256;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
			perror("setrlimit NOFILE");
			return 1;
		}
	}
	lfd = tc_listen(&port);
	if (pipe(p) != 0 || (pid = fork()) < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		close(p[0]);
		serve(lfd, &o, p[1]);
	}
	close(p[1]);
	close(lfd);
	signal(SIGPIPE, SIG_IGN);
	ctx = tc_client_ctx(&o);
	if ((keep = calloc(o.count, sizeof(*keep))) == NULL)
		tc_die("calloc");
	for (i = 0; i < WARMUP; i++)
		drop(connect_one(ctx, port));
	for (i = 0; i < o.count; i++)
		keep[i] = connect_one(ctx, port);
	tc_describe(keep[0], what, sizeof(what));
	if (read(p[0], rss, sizeof(rss)) != sizeof(rss)) {
		fprintf(stderr, "tls-mem: the server failed\n");
		return 1;
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	for (i = 0; i < o.count; i++)
		drop(keep[i]);
	printf("suite=\"%s\" count=%lu release_buffers=%d rss_before_kb=%ld "
	       "rss_after_kb=%ld kb_per_conn=%.2f\n",
	    what, o.count, o.release_buffers ? 1 : 0, rss[0], rss[1],
	    (double)(rss[1] - rss[0]) / (double)o.count);
	SSL_CTX_free(ctx);
	free(keep);
	return 0;
}

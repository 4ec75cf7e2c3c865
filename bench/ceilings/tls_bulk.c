/*
 * tls-bulk: the TLS bulk-throughput ceiling of this machine.  One TLS
 * connection over loopback; the client writes --size bytes per SSL_write
 * for --seconds, the server reads with read-ahead, both set up as
 * opensstp's contexts are (tls_common.c), each pinned to its own CPU.
 * 16384-byte writes are full records (what a tunnel that batches packets
 * could reach); 1400-byte writes are one record per packet.  Prints one
 * line of key=value: the suite, the payload moved, wall Gbit/s, and each
 * side's CPU seconds for it.
 *
 *	tls-bulk --cert C --key K --ca CA [--suite S] [--tls 1.3]
 *	    [--size 16384] [--seconds 3]
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "tls_common.h"

struct result {
	unsigned long long bytes;
	double cpu;
};

static const char usage[] =
    "usage: tls-bulk --cert FILE --key FILE --ca FILE [--suite S] "
    "[--tls 1.2|1.3]\n"
    "                [--size BYTES] [--seconds S]\n";

static void
serve(int lfd, const struct tc_opts *o, int out)
{
	SSL_CTX *ctx = tc_server_ctx(o);
	SSL *ssl = SSL_new(ctx);
	static unsigned char buf[65536];
	struct result r = { 0, 0 };
	double cpu0;
	int n;

	tc_pin(1);
	SSL_set_fd(ssl, tc_accept(lfd));
	if (SSL_accept(ssl) != 1)
		tc_die("server handshake");
	cpu0 = tc_cpu();
	while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0)
		r.bytes += (unsigned long long)n;
	r.cpu = tc_cpu() - cpu0;
	if (write(out, &r, sizeof(r)) != sizeof(r))
		exit(1);
	exit(0);
}

int
main(int argc, char **argv)
{
	struct tc_opts o = { .size = 16384, .seconds = 3 };
	struct result r;
	unsigned char *buf;
	char what[128];
	double t0, t1, cpu0, cpu1, wall;
	unsigned long i;
	uint16_t port;
	int lfd, p[2], status, n;
	pid_t pid;
	SSL_CTX *ctx;
	SSL *ssl;

	tc_parse(argc, argv, &o, usage);
	if (o.size == 0 || o.size > 1 << 20 || o.seconds <= 0) {
		fprintf(stderr, "%s", usage);
		return 2;
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
	tc_pin(0);
	ctx = tc_client_ctx(&o);
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, tc_connect(port));
	if (SSL_connect(ssl) != 1)
		tc_die("client handshake");
	tc_describe(ssl, what, sizeof(what));
	if ((buf = malloc(o.size)) == NULL || RAND_bytes(buf, (int)o.size) != 1)
		tc_die("buffer");
	cpu0 = tc_cpu();
	t0 = tc_now();
	for (i = 0;; i++) {
		/* Partial writes are on (as in opensstp): finish each one. */
		unsigned long done = 0;

		while (done < o.size) {
			n = SSL_write(ssl, buf + done, (int)(o.size - done));
			if (n <= 0)
				tc_die("SSL_write");
			done += (unsigned long)n;
		}
		if ((i & 15) == 15 && tc_now() - t0 >= o.seconds)
			break;
	}
	SSL_shutdown(ssl);
	cpu1 = tc_cpu();
	if (read(p[0], &r, sizeof(r)) != sizeof(r)) {
		fprintf(stderr, "tls-bulk: the server failed\n");
		return 1;
	}
	t1 = tc_now();
	waitpid(pid, &status, 0);
	wall = t1 - t0;
	printf("suite=\"%s\" size=%lu bytes=%llu seconds=%.3f gbps=%.3f "
	       "send_cpu_s=%.3f recv_cpu_s=%.3f\n",
	    what, o.size, r.bytes, wall, (double)r.bytes * 8 / wall / 1e9,
	    cpu1 - cpu0, r.cpu);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	free(buf);
	return 0;
}

/*
 * Shared parts of the TLS ceiling programs (tls_common.h).
 */
#include "tls_common.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

void
tc_die(const char *what)
{
	fprintf(stderr, "%s: failed\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static double
parse_num(const char *s, const char *name)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || v < 0) {
		fprintf(stderr, "bad number for --%s: %s\n", name, s);
		exit(2);
	}
	return v;
}

void
tc_parse(int argc, char **argv, struct tc_opts *o, const char *usage)
{
	static const struct option opts[] = {
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "ca", required_argument, NULL, 'a' },
		{ "suite", required_argument, NULL, 's' },
		{ "tls", required_argument, NULL, 'v' },
		{ "seconds", required_argument, NULL, 't' },
		{ "size", required_argument, NULL, 'z' },
		{ "count", required_argument, NULL, 'n' },
		{ "clients", required_argument, NULL, 'C' },
		{ "release-buffers", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o->cert = optarg;
			break;
		case 'k':
			o->key = optarg;
			break;
		case 'a':
			o->ca = optarg;
			break;
		case 's':
			o->suite = optarg;
			break;
		case 'v':
			if (strcmp(optarg, "1.2") == 0)
				o->version = TLS1_2_VERSION;
			else if (strcmp(optarg, "1.3") == 0)
				o->version = TLS1_3_VERSION;
			else {
				fprintf(stderr, "--tls: 1.2 or 1.3\n");
				exit(2);
			}
			break;
		case 't':
			o->seconds = parse_num(optarg, "seconds");
			break;
		case 'z':
			o->size = (unsigned long)parse_num(optarg, "size");
			break;
		case 'n':
			o->count = (unsigned long)parse_num(optarg, "count");
			break;
		case 'C':
			o->clients =
			    (unsigned long)parse_num(optarg, "clients");
			break;
		case 'r':
			o->release_buffers = true;
			break;
		case 'h':
			printf("%s", usage);
			exit(0);
		default:
			fprintf(stderr, "%s", usage);
			exit(2);
		}
	}
	if (optind != argc || o->cert == NULL || o->key == NULL ||
	    o->ca == NULL) {
		fprintf(stderr, "%s", usage);
		exit(2);
	}
}

/* As src/io/tls.c's ctx_common: what every context of ours has. */
static SSL_CTX *
ctx_common(const SSL_METHOD *m, const struct tc_opts *o)
{
	SSL_CTX *ctx = SSL_CTX_new(m);
	long mode = SSL_MODE_ENABLE_PARTIAL_WRITE;

	if (ctx == NULL)
		tc_die("SSL_CTX_new");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (o->version != 0) {
		SSL_CTX_set_min_proto_version(ctx, o->version);
		SSL_CTX_set_max_proto_version(ctx, o->version);
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
	if (o->release_buffers)
		mode |= SSL_MODE_RELEASE_BUFFERS;
	SSL_CTX_set_mode(ctx, mode);
	SSL_CTX_set_read_ahead(ctx, 1);
	if (o->suite != NULL) {
		/* TLS 1.3 suite names all start with "TLS_". */
		if (strncmp(o->suite, "TLS_", 4) == 0) {
			if (SSL_CTX_set_ciphersuites(ctx, o->suite) != 1)
				tc_die("ciphersuites");
		} else if (SSL_CTX_set_cipher_list(ctx, o->suite) != 1)
			tc_die("cipher list");
	}
	return ctx;
}

SSL_CTX *
tc_server_ctx(const struct tc_opts *o)
{
	SSL_CTX *ctx = ctx_common(TLS_server_method(), o);

	SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
	if (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1)
		tc_die(o->cert);
	if (SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1)
		tc_die(o->key);
	return ctx;
}

/*
 * The client verifies the chain as opensstp and opensstp-load do; no
 * session is kept, so every handshake is a full one.
 */
SSL_CTX *
tc_client_ctx(const struct tc_opts *o)
{
	SSL_CTX *ctx = ctx_common(TLS_client_method(), o);

	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1)
		tc_die(o->ca);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	return ctx;
}

static void
nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int
tc_listen(uint16_t *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(fd, 4096) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
		perror("listen on 127.0.0.1");
		exit(1);
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

int
tc_connect(uint16_t port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		perror("connect to 127.0.0.1");
		exit(1);
	}
	nodelay(fd);
	return fd;
}

int
tc_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0) {
		perror("accept");
		exit(1);
	}
	nodelay(fd);
	return fd;
}

double
tc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
tc_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

void
tc_pin(unsigned n)
{
	cpu_set_t allowed, one;
	unsigned i, seen = 0, count;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0)
		return;
	count = (unsigned)CPU_COUNT(&allowed);
	if (count < 2)
		return;
	for (i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &allowed))
			continue;
		if (seen++ == n % count) {
			CPU_ZERO(&one);
			CPU_SET(i, &one);
			sched_setaffinity(0, sizeof(one), &one);
			return;
		}
	}
}

long
tc_rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long kb = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

void
tc_describe(const SSL *ssl, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", SSL_get_version(ssl),
	    SSL_CIPHER_standard_name(SSL_get_current_cipher(ssl)));
}

/*
 * opensstp-load: opens many SSTP sessions at once against a server, on
 * the project's own libraries (the same tunnel as the client: full TLS,
 * HTTP, SSTP, PPP with MS-CHAPv2 and the crypto binding, IPCP), without
 * TUN devices; holds each for a while, optionally pushes datagrams
 * through it, closes it, and reports setup latency (p50, p99), the setup
 * rate and the failures by reason.
 *
 *	opensstp-load --sessions 1000 --concurrency 100 --hold-ms 1000 \
 *	    --user alice --password s3cret --insecure 10.200.0.1:443
 *
 * Only loopback and private addresses are accepted as targets: this is
 * a tool for test beds, never for someone else's server.  Source
 * addresses may be spread over several 127.x addresses (--sources), since
 * one source address reaches only about 28 000 ports.  --setup-concurrency
 * caps the sessions still being set up, so that tens of thousands can be
 * held at once without a storm of SYNs overflowing the server's backlog.
 */
#include <sys/epoll.h>

#include <arpa/inet.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/addr.h"
#include "base/ini_text.h"
#include "base/log.h"
#include "io/loop.h"
#include "io/tls.h"
#include "ppp/ppp_crypto.h"
#include "tunnel/tunnel.h"

#define MAX_SESSIONS 200000
#define MAX_SOURCES  64
#define MAX_REASONS  32

struct load;

struct lsess {
	struct load *ld;
	struct tunnel tunnel;
	struct io_watch conn_watch;
	struct io_timer timer; /* connect limit, then the hold */
	int fd;
	uint64_t started;
	bool up, started_tunnel, closing;
};

struct reason_count {
	char reason[96];
	unsigned n;
};

struct load {
	struct io_loop loop;
	SSL_CTX *ctx;
	struct ppp_crypto *crypto;
	struct sockaddr_storage dst;
	socklen_t dst_len;
	struct sockaddr_storage src[MAX_SOURCES];
	socklen_t src_len[MAX_SOURCES];
	size_t nsrc;
	char host[256];
	const char *user, *password;
	unsigned total, concurrency, setup_concurrency, packets;
	uint32_t hold_ms, timeout_ms;
	unsigned started, active, setting_up, up, failed;
	uint64_t t0;
	uint32_t *latency; /* setup latencies of the sessions that came up */
	struct reason_count reasons[MAX_REASONS];
	size_t nreasons;
};

static void start_more(struct load *ld);

static void
count_failure(struct load *ld, const char *reason)
{
	size_t i;

	ld->failed++;
	for (i = 0; i < ld->nreasons; i++)
		if (strcmp(ld->reasons[i].reason, reason) == 0) {
			ld->reasons[i].n++;
			return;
		}
	if (ld->nreasons < MAX_REASONS) {
		snprintf(ld->reasons[ld->nreasons].reason,
		    sizeof(ld->reasons[0].reason), "%s", reason);
		ld->reasons[ld->nreasons++].n = 1;
	}
}

static void
session_done(struct lsess *s, const char *reason)
{
	struct load *ld = s->ld;

	if (!s->up) {
		count_failure(ld, reason);
		ld->setting_up--;
	}
	io_watch_del(&ld->loop, &s->conn_watch);
	io_timer_cancel(&ld->loop, &s->timer);
	if (s->started_tunnel)
		tunnel_fini(&s->tunnel);
	else if (s->fd >= 0)
		close(s->fd);
	free(s);
	ld->active--;
	start_more(ld);
}

static void
on_closed(void *arg, const char *reason)
{
	session_done(arg, reason);
}

/* A datagram from the server: an echo reply, say; nothing to do. */
static void
on_datagram(void *arg, int version, const uint8_t *pkt, size_t len)
{
	(void)arg, (void)version, (void)pkt, (void)len;
}

/* A minimal IPv4/UDP datagram to the server's tunnel address. */
static void
push_packets(struct lsess *s, const struct ppp_ipv4_info *info)
{
	uint8_t pkt[28 + 64];
	uint32_t a;
	unsigned i;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	pkt[2] = 0;
	pkt[3] = sizeof(pkt);
	pkt[8] = 64;
	pkt[9] = 17; /* UDP to the discard port */
	a = htonl(info->local);
	memcpy(pkt + 12, &a, 4);
	a = htonl(info->peer);
	memcpy(pkt + 16, &a, 4);
	pkt[22] = 0;
	pkt[23] = 9;
	pkt[25] = sizeof(pkt) - 20;
	for (i = 0; i < s->ld->packets; i++)
		tunnel_send(&s->tunnel, 4, pkt, sizeof(pkt));
}

static void
on_ipv4_up(void *arg, const struct ppp_ipv4_info *info)
{
	struct lsess *s = arg;
	struct load *ld = s->ld;
	uint64_t now = io_loop_now(&ld->loop);

	if (s->up)
		return;
	s->up = true;
	ld->setting_up--;
	ld->latency[ld->up++] = (uint32_t)(now - s->started);
	push_packets(s, info);
	io_timer_set(&ld->loop, &s->timer, now + ld->hold_ms);
	/* A set-up slot is free. */
	start_more(ld);
}

static const struct tunnel_ops load_ops = {
	.ipv4_up = on_ipv4_up,
	.datagram = on_datagram,
	.closed = on_closed,
};

static void
on_timer(struct io_timer *t)
{
	struct lsess *s = t->arg;

	if (!s->started_tunnel) {
		session_done(s, "TCP connect timed out");
		return;
	}
	if (!s->up) {
		tunnel_close(&s->tunnel, "setup timed out");
		return;
	}
	if (!s->closing) {
		s->closing = true;
		tunnel_close(&s->tunnel, "held long enough");
	}
}

static void
start_tunnel(struct lsess *s)
{
	struct load *ld = s->ld;
	struct tunnel_config tc;
	char err[TUNNEL_REASON_MAX];
	int one = 1, fd = s->fd;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	memset(&tc, 0, sizeof(tc));
	sstp_conn_config_default(&tc.sstp, SSTP_ROLE_CLIENT);
	tc.sstp.host = ld->host;
	tc.tls_handshake_ms = ld->timeout_ms;
	ppp_link_config_default(&tc.ppp, PPP_ROLE_PEER);
	tc.ppp.lcp.accept[0] = PPP_AUTH_MSCHAPV2;
	tc.ppp.lcp.naccept = 1;
	tc.ppp.lcp.echo_interval_ms = 0;
	tc.ppp.auth.user = ld->user;
	tc.ppp.auth.password = ld->password;
	tc.ppp.auth.crypto = ld->crypto;
	tc.ppp.ipv6 = false;
	s->started_tunnel = true;
	s->fd = -1;
	if (!tunnel_start(&s->tunnel, &ld->loop, ld->ctx, fd, &tc, &load_ops, s,
		err, sizeof(err))) {
		s->started_tunnel = false;
		session_done(s, err);
		return;
	}
	io_timer_set(
	    &ld->loop, &s->timer, io_loop_now(&ld->loop) + ld->timeout_ms);
}

static void
on_connect(struct io_watch *w, uint32_t events)
{
	struct lsess *s = w->arg;
	int err = 0;
	socklen_t len = sizeof(err);

	(void)events;
	getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err == EINPROGRESS)
		return;
	io_watch_del(&s->ld->loop, &s->conn_watch);
	if (err != 0) {
		session_done(s, strerror(err));
		return;
	}
	start_tunnel(s);
}

static void
start_one(struct load *ld)
{
	struct lsess *s = calloc(1, sizeof(*s));
	size_t i;

	if (s == NULL) {
		count_failure(ld, "out of memory");
		ld->started++;
		return;
	}
	s->ld = ld;
	s->started = io_loop_now(&ld->loop);
	io_watch_init(&s->conn_watch, on_connect, s);
	io_timer_init(&s->timer, on_timer, s);
	ld->started++;
	ld->active++;
	ld->setting_up++;
	s->fd = socket(
	    ld->dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		session_done(s, strerror(errno));
		return;
	}
	if (ld->nsrc > 0) {
		i = ld->started % ld->nsrc;
		if (bind(s->fd, (const struct sockaddr *)&ld->src[i],
			ld->src_len[i]) != 0) {
			session_done(s, strerror(errno));
			return;
		}
	}
	if (connect(s->fd, (struct sockaddr *)&ld->dst, ld->dst_len) != 0 &&
	    errno != EINPROGRESS) {
		session_done(s, strerror(errno));
		return;
	}
	io_watch_add(&ld->loop, &s->conn_watch, s->fd, EPOLLOUT);
	io_timer_set(&ld->loop, &s->timer, s->started + ld->timeout_ms);
}

static void
start_more(struct load *ld)
{
	while (ld->active < ld->concurrency && ld->started < ld->total &&
	    (ld->setup_concurrency == 0 ||
		ld->setting_up < ld->setup_concurrency))
		start_one(ld);
	if (ld->active == 0 && ld->started >= ld->total)
		io_loop_stop(&ld->loop);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
report(struct load *ld)
{
	uint64_t ms = io_loop_update_time(&ld->loop) - ld->t0;
	size_t i;

	qsort(ld->latency, ld->up, sizeof(ld->latency[0]), cmp_u32);
	printf(
	    "sessions %u: %u up, %u failed in %llu.%03llu s (%.1f setups/s)\n",
	    ld->total, ld->up, ld->failed, (unsigned long long)(ms / 1000),
	    (unsigned long long)(ms % 1000),
	    ms > 0 ? ld->up * 1000.0 / (double)ms : 0.0);
	if (ld->up > 0)
		printf("setup latency: p50 %u ms, p99 %u ms, max %u ms\n",
		    ld->latency[(ld->up - 1) / 2],
		    ld->latency[(ld->up - 1) * 99 / 100],
		    ld->latency[ld->up - 1]);
	for (i = 0; i < ld->nreasons; i++)
		printf("failed: %u × %s\n", ld->reasons[i].n,
		    ld->reasons[i].reason);
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: opensstp-load [options] ADDRESS[:PORT]\n"
	    "Opens SSTP sessions (TLS, SSTP, PPP MS-CHAPv2, crypto binding, "
	    "IPCP)\nagainst a server on a loopback or private address.\n"
	    "  --sessions N        sessions in all (100; at most %d)\n"
	    "  --concurrency N     sessions being set up or held at once (10)\n"
	    "  --setup-concurrency N  of those, at most N being set up (no "
	    "limit)\n"
	    "  --hold-ms N         how long each is held once up (1000)\n"
	    "  --timeout-ms N      limit for connecting and for set-up (30000)\n"
	    "  --packets N         UDP datagrams pushed through each when up "
	    "(0)\n"
	    "  --sources LIST      source addresses, e.g. 127.0.0.2,127.0.0.3\n"
	    "  --user NAME, --password PASS   credentials (MS-CHAPv2)\n"
	    "  --ca-file FILE | --insecure    how the certificate is checked\n"
	    "  --host NAME         the name checked and sent as SNI and "
	    "Host\n"
	    "  -h, --help\n"
	    "Exit status: 0 if every session came up, 1 if any failed, 2 on "
	    "a usage error.\n",
	    MAX_SESSIONS);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sessions", required_argument, NULL, 's' },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "setup-concurrency", required_argument, NULL, 'P' },
		{ "hold-ms", required_argument, NULL, 'H' },
		{ "timeout-ms", required_argument, NULL, 'T' },
		{ "packets", required_argument, NULL, 'k' },
		{ "sources", required_argument, NULL, 'S' },
		{ "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ "insecure", no_argument, NULL, 'I' },
		{ "host", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct load ld;
	struct tls_client_opts to = { 0 };
	struct ip_addr a;
	char host[256], err[TLS_ERR_MAX], *list = NULL, *tok, *save = NULL;
	const char *name = NULL;
	uint16_t port;
	uint32_t v;
	int opt;

	ld.total = 100;
	ld.concurrency = 10;
	ld.hold_ms = 1000;
	ld.timeout_ms = 30000;
	ld.user = "alice";
	ld.password = "";
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
		case 'c':
		case 'P':
		case 'H':
		case 'T':
		case 'k':
			if (!ini_parse_u32(optarg, 0,
				opt == 's'	 ? MAX_SESSIONS
				    : opt == 'k' ? 1000
						 : 3600000,
				&v) ||
			    (v == 0 && opt != 'k')) {
				fprintf(stderr,
				    "opensstp-load: bad number: %s\n", optarg);
				return 2;
			}
			if (opt == 's')
				ld.total = v;
			else if (opt == 'c')
				ld.concurrency = v;
			else if (opt == 'P')
				ld.setup_concurrency = v;
			else if (opt == 'H')
				ld.hold_ms = v;
			else if (opt == 'T')
				ld.timeout_ms = v;
			else
				ld.packets = v;
			break;
		case 'S':
			list = optarg;
			break;
		case 'u':
			ld.user = optarg;
			break;
		case 'p':
			ld.password = optarg;
			break;
		case 'C':
			to.ca_file = optarg;
			break;
		case 'I':
			to.insecure = true;
			break;
		case 'N':
			name = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc ||
	    !endpoint_split(argv[optind], host, sizeof(host), 443, &port) ||
	    !addr_parse(host, &a)) {
		usage(stderr);
		return 2;
	}
	if (!addr_is_private(&a)) {
		fprintf(stderr,
		    "opensstp-load: %s is not a loopback or private "
		    "address\n",
		    host);
		return 2;
	}
	ld.dst_len = addr_to_sockaddr(&a, port, &ld.dst);
	snprintf(ld.host, sizeof(ld.host), "%s", name != NULL ? name : host);
	for (tok = list != NULL ? strtok_r(list, ",", &save) : NULL;
	     tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (ld.nsrc == MAX_SOURCES || !addr_parse(tok, &a) ||
		    a.family != ld.dst.ss_family) {
			fprintf(stderr, "opensstp-load: bad source: %s\n", tok);
			return 2;
		}
		ld.src_len[ld.nsrc] = addr_to_sockaddr(&a, 0, &ld.src[ld.nsrc]);
		ld.nsrc++;
	}
	signal(SIGPIPE, SIG_IGN);
	log_set_level(LOG_LVL_ERROR);
	ld.latency = calloc(ld.total, sizeof(ld.latency[0]));
	ld.crypto = ppp_crypto_new();
	ld.ctx = tls_client_ctx_new(&to, err, sizeof(err));
	if (ld.latency == NULL || ld.crypto == NULL || ld.ctx == NULL ||
	    io_loop_init(&ld.loop) != 0) {
		fprintf(stderr, "opensstp-load: cannot start: %s\n",
		    ld.ctx == NULL ? err : "out of memory or no MD4");
		return 1;
	}
	ld.t0 = io_loop_update_time(&ld.loop);
	start_more(&ld);
	if (ld.active > 0)
		io_loop_run(&ld.loop);
	report(&ld);
	tls_ctx_free(ld.ctx);
	ppp_crypto_free(ld.crypto);
	io_loop_fini(&ld.loop);
	free(ld.latency);
	return ld.failed == 0 && ld.up == ld.total ? 0 : 1;
}

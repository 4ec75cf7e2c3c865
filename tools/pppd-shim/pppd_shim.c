/*
 * opensstp-pppd-shim: plays pppd and its sstp plugin for sstp-client
 * (sstpc --nolaunchpppd) in the interop tests, where no kernel PPP
 * exists.  Our PPP client (src/ppp ppp_link, peer role) runs over async
 * HDLC on one end of a socketpair whose other end is sstpc's stdin and
 * stdout; once IPCP is up it sends sstpc the plugin's AUTH message (with
 * the MS-CHAPv2 MPPE keys), answers echoes for --hold seconds, then
 * closes the link with an LCP Terminate and exits.
 *
 *   opensstp-pppd-shim --fd N --user U --password P --auth pap|mschapv2
 *       (--plugin-socket PATH | --no-plugin) [--hold S] [--swap-keys]
 *
 * --swap-keys hands sstpc the MPPE keys in the wrong order, for a test
 * that opensstpd then refuses the binding.
 *
 * stdout: "IPCP up: ADDR", "plugin: ACK" and the end; exit 0 when IPCP
 * came up (and the plugin message was acknowledged), 1 otherwise.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plugin_msg.h"
#include "ppp/hdlc.h"
#include "ppp/ppp_crypto.h"
#include "ppp/ppp_link.h"

#define SHIM_MAX_FRAME (LCP_MRU_MAX + 4)
#define SHIM_LINGER_MS 3000 /* after our Terminate-Request */

struct shim {
	int fd;
	const char *plugin; /* NULL: --no-plugin */
	unsigned hold_s;
	struct ppp_link link;
	struct ppp_crypto *crypto;
	struct hdlc_decoder dec;
	uint8_t rxbuf[HDLC_RXBUF_LEN(SHIM_MAX_FRAME)];
	uint8_t hlak[PPP_HLAK_LEN];
	bool keys; /* hlak holds MS-CHAPv2 keys */
	bool swap_keys;
	bool ipcp_up, plugin_ok, down, eof;
	uint64_t hold_until, linger_until;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A line of the log, with the wall-clock time to line up with the others. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	printf("[%02d:%02d:%02d.%03ld] ", tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void
shim_send(void *arg, const uint8_t *frame, size_t len)
{
	struct shim *s = arg;
	uint8_t buf[HDLC_ENCODED_MAX(SHIM_MAX_FRAME)];
	struct wr w;
	size_t off = 0;
	ssize_t n;

	wr_init(&w, buf, sizeof(buf));
	/* Every control byte escaped: sstpc keeps the default ACCM. */
	if (len > SHIM_MAX_FRAME ||
	    hdlc_encode(&w, frame, len, HDLC_ACCM_DEFAULT) != PPP_OK)
		return;
	while (off < wr_len(&w)) {
		n = write(s->fd, buf + off, wr_len(&w) - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			s->eof = true;
			return;
		}
		off += (size_t)n;
	}
}

static void
shim_auth_done(void *arg, const struct ppp_auth_result *res)
{
	struct shim *s = arg;

	say("auth %s: %s\n", ppp_auth_name(res->method),
	    res->ok ? "ok" : ppp_strerror(res->reason));
	if (!res->ok)
		return;
	memcpy(s->hlak, res->hlak, sizeof(s->hlak));
	s->keys = res->method == PPP_AUTH_MSCHAPV2;
}

static void
shim_ipv4_up(void *arg, const struct ppp_ipv4_info *info)
{
	struct shim *s = arg;
	struct in_addr a = { .s_addr = htonl(info->local) };
	const uint8_t *send_key = s->hlak, *recv_key = s->hlak + PLUGIN_KEY_LEN;
	char err[160];

	if (s->swap_keys) {
		send_key = s->hlak + PLUGIN_KEY_LEN;
		recv_key = s->hlak;
	}
	say("IPCP up: %s\n", inet_ntoa(a));
	s->ipcp_up = true;
	s->hold_until = now_ms() + (uint64_t)s->hold_s * 1000;
	if (s->plugin == NULL)
		return;
	/*
	 * The client's HLAK is MasterSendKey || MasterReceiveKey
	 * (mschap_hlak_from_keys), the two keys the plugin hands over.
	 */
	if (plugin_send_auth(s->plugin, s->keys ? send_key : NULL,
		s->keys ? recv_key : NULL, 5000, err, sizeof(err))) {
		s->plugin_ok = true;
		say("plugin: ACK (%s)\n", s->keys ? "MPPE keys" : "no keys");
	} else {
		say("plugin: %s\n", err);
	}
}

static void
shim_ipv4_down(void *arg)
{
	(void)arg;
	say("IPCP down\n");
}

static void
shim_down(void *arg, enum ppp_err reason)
{
	struct shim *s = arg;

	say("PPP down: %s\n", ppp_strerror(reason));
	s->down = true;
}

static bool
shim_random(void *arg, void *buf, size_t len)
{
	struct shim *s = arg;

	return ppp_random(s->crypto, buf, len);
}

static const struct ppp_link_ops shim_ops = {
	.send = shim_send,
	.auth_done = shim_auth_done,
	.ipv4_up = shim_ipv4_up,
	.ipv4_down = shim_ipv4_down,
	.down = shim_down,
	.random = shim_random,
};

static void
shim_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct shim *s = arg;

	ppp_link_input(&s->link, frame, len, now_ms());
}

static int
poll_timeout(const struct shim *s, uint64_t now)
{
	uint64_t d = ppp_link_deadline(&s->link);

	if (s->hold_until != 0 && s->hold_until < d)
		d = s->hold_until;
	if (s->linger_until != 0 && s->linger_until < d)
		d = s->linger_until;
	if (d <= now)
		return 0;
	return d - now > 1000 ? 1000 : (int)(d - now);
}

/* Our own close: LCP has its Terminate-Ack (or gave up) when Closed. */
static bool
shim_closed(const struct shim *s)
{
	return s->linger_until != 0 &&
	    (s->link.lcp.fsm.state == FSM_CLOSED ||
		s->link.lcp.fsm.state == FSM_INITIAL);
}

/*
 * Until the link is down, the socket closed, or, after our Terminate-
 * Request, its Ack arrived or the linger is over: the link reports down
 * at once on our close, but sstpc must get the Terminate-Request to the
 * server before the socket closes.
 */
static void
shim_run(struct shim *s)
{
	uint8_t buf[4096];
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	uint64_t now;
	ssize_t n;

	ppp_link_lower_up(&s->link, now_ms());
	while (
	    !(s->down && s->linger_until == 0) && !s->eof && !shim_closed(s)) {
		now = now_ms();
		if (s->linger_until != 0 && now >= s->linger_until)
			break;
		if (poll(&pfd, 1, poll_timeout(s, now)) < 0 && errno != EINTR)
			break;
		now = now_ms();
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(s->fd, buf, sizeof(buf));
			if (n <= 0) {
				say("sstpc closed the PPP socket\n");
				s->eof = true;
				break;
			}
			hdlc_decode(&s->dec, buf, (size_t)n, shim_frame, s);
		}
		if (s->hold_until != 0 && now >= s->hold_until) {
			s->hold_until = 0;
			say("hold over: LCP Terminate\n");
			ppp_link_close(&s->link, PPP_E_LOCAL_CLOSE, now);
			s->linger_until = now + SHIM_LINGER_MS;
		}
		ppp_link_tick(&s->link, now_ms());
	}
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: opensstp-pppd-shim --fd N --user U --password P\n"
	    "       --auth pap|mschapv2 (--plugin-socket PATH | --no-plugin)\n"
	    "       [--hold SECONDS] [--swap-keys]\n");
	exit(2);
}

static void
parse(int argc, char **argv, struct shim *s, struct ppp_link_config *cfg)
{
	static const struct option opts[] = {
		{ "fd", required_argument, NULL, 'f' },
		{ "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "auth", required_argument, NULL, 'a' },
		{ "plugin-socket", required_argument, NULL, 's' },
		{ "no-plugin", no_argument, NULL, 'n' },
		{ "hold", required_argument, NULL, 'h' },
		{ "swap-keys", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	bool plugin_set = false;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			s->fd = atoi(optarg);
			break;
		case 'u':
			cfg->auth.user = optarg;
			break;
		case 'p':
			cfg->auth.password = optarg;
			break;
		case 'a':
			if (strcmp(optarg, "pap") == 0)
				cfg->lcp.accept[0] = PPP_AUTH_PAP;
			else if (strcmp(optarg, "mschapv2") == 0)
				cfg->lcp.accept[0] = PPP_AUTH_MSCHAPV2;
			else
				usage();
			cfg->lcp.naccept = 1;
			break;
		case 's':
			s->plugin = optarg;
			plugin_set = true;
			break;
		case 'n':
			s->plugin = NULL;
			plugin_set = true;
			break;
		case 'h':
			s->hold_s = (unsigned)atoi(optarg);
			break;
		case 'x':
			s->swap_keys = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || s->fd < 0 || cfg->auth.user == NULL ||
	    cfg->auth.password == NULL || cfg->lcp.naccept != 1 || !plugin_set)
		usage();
}

int
main(int argc, char **argv)
{
	static struct shim s;
	struct ppp_link_config cfg;
	bool ok;

	setvbuf(stdout, NULL, _IOLBF, 0);
	s.fd = -1;
	s.hold_s = 3;
	ppp_link_config_default(&cfg, PPP_ROLE_PEER);
	cfg.lcp.naccept = 0;
	cfg.lcp.echo_interval_ms = 0; /* the server's echoes are answered */
	cfg.ipv6 = false;
	parse(argc, argv, &s, &cfg);
	if ((s.crypto = ppp_crypto_new()) == NULL) {
		fprintf(stderr, "error: no MD4 (OpenSSL legacy provider)\n");
		return 1;
	}
	cfg.auth.crypto = s.crypto;
	/* sstpc may send control bytes unescaped: accept them (map 0). */
	hdlc_decoder_init(&s.dec, s.rxbuf, SHIM_MAX_FRAME, 0);
	if (ppp_link_init(&s.link, &cfg, &shim_ops, &s) != PPP_OK) {
		fprintf(stderr, "error: cannot start PPP\n");
		return 1;
	}
	shim_run(&s);
	ok = s.ipcp_up && (s.plugin == NULL || s.plugin_ok);
	say("shim: %s (hdlc frames %" PRIu64 ", fcs errors %" PRIu64 ")\n",
	    ok ? "done" : "failed", s.dec.stats.frames, s.dec.stats.fcs);
	ppp_link_fini(&s.link);
	ppp_crypto_free(s.crypto);
	explicit_bzero(s.hlak, sizeof(s.hlak));
	close(s.fd);
	return ok ? 0 : 1;
}

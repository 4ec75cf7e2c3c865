/*
 * opensstpd: the SSTP VPN server.  Command line, configuration, and the
 * NT hash helper for the users file.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "base/file.h"
#include "base/log.h"
#include "ppp/mschap.h"
#include "ppp/ppp_crypto.h"
#include "server/config.h"
#include "server/server.h"

#define DEFAULT_CONFIG "/etc/opensstp/opensstpd.conf"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: opensstpd [options]\n"
	    "       opensstpd --nt-hash     read a password on standard "
	    "input, print its users-file form\n"
	    "\n"
	    "The SSTP VPN server.  Options override the configuration "
	    "file.\n"
	    "  -c, --config FILE       INI configuration (default " DEFAULT_CONFIG
	    " if it exists)\n"
	    "  -l, --listen LIST       addresses to listen on: 0.0.0.0:443, "
	    "[::]:443\n"
	    "      --cert FILE         certificate chain (PEM, leaf first)\n"
	    "      --key FILE          private key (PEM)\n"
	    "      --users FILE        users file: NAME PASSWORD or NAME "
	    "nt:HASH per line\n"
	    "      --tun NAME          the shared TUN device (sstp0)\n"
	    "      --mtu N             tunnel MTU and MRU (1400)\n"
	    "      --pool4 CIDR        IPv4 pool; the server takes the first "
	    "address\n"
	    "      --prefix6 CIDR      IPv6 prefix (/32../64): a /64 per "
	    "client\n"
	    "      --dns LIST          DNS servers to hand out (IPv4 and "
	    "IPv6)\n"
	    "      --auth LIST         allowed methods, preferred first: "
	    "mschapv2,\n"
	    "                          eap-mschapv2, chap, pap (default "
	    "mschapv2,eap-mschapv2)\n"
	    "      --crypto-binding required|optional   (required)\n"
	    "      --log-level LEVEL   error, warn, info, debug (info)\n"
	    "      --log WHERE         stderr, or syslog (LOG_DAEMON); on "
	    "stderr under\n"
	    "                          systemd, journal priorities (stderr)\n"
	    "      --user NAME         run as NAME once started (nobody); "
	    "\"\" or root:\n"
	    "                          stay root\n"
	    "      --seccomp MODE      system-call filter: enforce, log, off "
	    "(enforce)\n"
	    "      --workers N|auto    worker threads, each with its own "
	    "loop, sockets\n"
	    "                          and TUN queue (1; auto: one per core)\n"
	    "      --deny LIST         client addresses and prefixes to "
	    "refuse (v4, v6)\n"
	    "      --allow LIST        when given, only these may connect\n"
	    "      --max-sessions N    sessions in total, 0 for no limit "
	    "(10000);\n"
	    "                          past it a client is answered HTTP 503\n"
	    "      --max-per-source N  connections per client address "
	    "(IPv6: per /64) (16)\n"
	    "      --max-per-user N    sessions per user name, 0 for no "
	    "limit (0)\n"
	    "      --ban-failures N    failed logins from one source that "
	    "ban it, 0: never (5)\n"
	    "      --ban-window-ms N   ... counted within N ms (60000)\n"
	    "      --ban-ms N          how long a ban lasts (300000)\n"
	    "      --http-max-line N   longest HTTP request line or header "
	    "line (2048)\n"
	    "      --http-max-header-bytes N   HTTP request header block "
	    "(8192)\n"
	    "      --http-max-headers N        HTTP request header lines "
	    "(64)\n"
	    "      --hello-ms N        SSTP echo after N ms of silence "
	    "(60000)\n"
	    "      --lcp-echo-ms N     LCP echo interval "
	    "(30000)\n"
	    "      --handshake-ms N    limit for TLS, HTTP and each SSTP "
	    "phase (60000)\n"
	    "      --setup-ms N        limit for the whole set-up, accept to "
	    "PPP up and\n"
	    "                          binding verified (60000)\n"
	    "      --drain-ms N        on SIGTERM, wait at most N ms for "
	    "sessions to end (10000)\n"
	    "      --tls-min-version V 1.2 or 1.3 (1.2)\n"
	    "      --ciphers LIST      TLS 1.2 suites, OpenSSL syntax, our order "
	    "wins\n"
	    "                          (" CONFIG_CIPHERS_DEFAULT ")\n"
	    "      --ciphersuites LIST TLS 1.3 suites (OpenSSL's default)\n"
	    "      --groups LIST       key exchange groups, e.g. "
	    "X25519:P-256:P-384\n"
	    "                          (OpenSSL's default)\n"
	    "      --route-protocol P  protocol of the pools' routes: 3..255 "
	    "or a name\n"
	    "                          such as static, boot, bird (static)\n"
	    "      --check-config      validate the configuration and exit\n"
	    "  -h, --help              this text\n"
	    "  -V, --version           the version\n"
	    "\n"
	    "SIGINT or SIGTERM ends every session with a Call Disconnect, "
	    "then exits\n"
	    "(at the latest after --drain-ms; a second signal exits at "
	    "once).\n"
	    "Exit status: 0 after a clean stop, 1 on an error, 2 on a usage "
	    "error.\n");
}

static int
nt_hash_command(void)
{
	struct ppp_crypto *pc = ppp_crypto_new();
	char pw[512];
	uint8_t h[16];
	int i;

	if (pc == NULL) {
		fprintf(stderr,
		    "opensstpd: OpenSSL's legacy provider (MD4) "
		    "cannot be loaded\n");
		return 1;
	}
	if (!read_secret_line("password: ", pw, sizeof(pw))) {
		fprintf(stderr, "opensstpd: no password given\n");
		ppp_crypto_free(pc);
		return 2;
	}
	if (mschap_nt_password_hash(pc, pw, h) != PPP_OK) {
		fprintf(stderr, "opensstpd: the password is not valid UTF-8\n");
		OPENSSL_cleanse(pw, sizeof(pw));
		ppp_crypto_free(pc);
		return 1;
	}
	printf("nt:");
	for (i = 0; i < 16; i++)
		printf("%02X", h[i]);
	printf("\n");
	OPENSSL_cleanse(pw, sizeof(pw));
	OPENSSL_cleanse(h, sizeof(h));
	ppp_crypto_free(pc);
	return 0;
}

enum {
	OPT_CERT = 256,
	OPT_KEY,
	OPT_USERS,
	OPT_TUN,
	OPT_MTU,
	OPT_POOL4,
	OPT_PREFIX6,
	OPT_DNS,
	OPT_AUTH,
	OPT_BINDING,
	OPT_LOG_LEVEL,
	OPT_HELLO,
	OPT_LCP_ECHO,
	OPT_HANDSHAKE,
	OPT_SETUP,
	OPT_DRAIN,
	OPT_USER,
	OPT_SECCOMP,
	OPT_WORKERS,
	OPT_DENY,
	OPT_ALLOW,
	OPT_MAX_SESSIONS,
	OPT_MAX_PER_SOURCE,
	OPT_MAX_PER_USER,
	OPT_BAN_FAILURES,
	OPT_BAN_WINDOW,
	OPT_BAN,
	OPT_HTTP_LINE,
	OPT_HTTP_BYTES,
	OPT_HTTP_HEADERS,
	OPT_TLS_MIN,
	OPT_CIPHERS,
	OPT_CIPHERSUITES,
	OPT_GROUPS,
	OPT_ROUTE_PROTOCOL,
	OPT_LOG,
	OPT_CHECK,
	OPT_NT_HASH,
};

static const struct option options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "listen", required_argument, NULL, 'l' },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "users", required_argument, NULL, OPT_USERS },
	{ "tun", required_argument, NULL, OPT_TUN },
	{ "mtu", required_argument, NULL, OPT_MTU },
	{ "pool4", required_argument, NULL, OPT_POOL4 },
	{ "prefix6", required_argument, NULL, OPT_PREFIX6 },
	{ "dns", required_argument, NULL, OPT_DNS },
	{ "auth", required_argument, NULL, OPT_AUTH },
	{ "crypto-binding", required_argument, NULL, OPT_BINDING },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "hello-ms", required_argument, NULL, OPT_HELLO },
	{ "lcp-echo-ms", required_argument, NULL, OPT_LCP_ECHO },
	{ "handshake-ms", required_argument, NULL, OPT_HANDSHAKE },
	{ "setup-ms", required_argument, NULL, OPT_SETUP },
	{ "drain-ms", required_argument, NULL, OPT_DRAIN },
	{ "user", required_argument, NULL, OPT_USER },
	{ "seccomp", required_argument, NULL, OPT_SECCOMP },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "deny", required_argument, NULL, OPT_DENY },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "max-sessions", required_argument, NULL, OPT_MAX_SESSIONS },
	{ "max-per-source", required_argument, NULL, OPT_MAX_PER_SOURCE },
	{ "max-per-user", required_argument, NULL, OPT_MAX_PER_USER },
	{ "ban-failures", required_argument, NULL, OPT_BAN_FAILURES },
	{ "ban-window-ms", required_argument, NULL, OPT_BAN_WINDOW },
	{ "ban-ms", required_argument, NULL, OPT_BAN },
	{ "http-max-line", required_argument, NULL, OPT_HTTP_LINE },
	{ "http-max-header-bytes", required_argument, NULL, OPT_HTTP_BYTES },
	{ "http-max-headers", required_argument, NULL, OPT_HTTP_HEADERS },
	{ "tls-min-version", required_argument, NULL, OPT_TLS_MIN },
	{ "ciphers", required_argument, NULL, OPT_CIPHERS },
	{ "ciphersuites", required_argument, NULL, OPT_CIPHERSUITES },
	{ "groups", required_argument, NULL, OPT_GROUPS },
	{ "route-protocol", required_argument, NULL, OPT_ROUTE_PROTOCOL },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "check-config", no_argument, NULL, OPT_CHECK },
	{ "nt-hash", no_argument, NULL, OPT_NT_HASH },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The config key each option sets ([server] unless it has a dot). */
static const char *
option_key(int opt)
{
	switch (opt) {
	case 'l':
		return "listen";
	case OPT_CERT:
		return "cert";
	case OPT_KEY:
		return "key";
	case OPT_USERS:
		return "users";
	case OPT_TUN:
		return "tun";
	case OPT_MTU:
		return "mtu";
	case OPT_POOL4:
		return "pool4";
	case OPT_PREFIX6:
		return "prefix6";
	case OPT_DNS:
		return "dns";
	case OPT_AUTH:
		return "auth";
	case OPT_BINDING:
		return "crypto_binding";
	case OPT_LOG_LEVEL:
		return "log_level";
	case OPT_HELLO:
		return "timers.hello";
	case OPT_LCP_ECHO:
		return "timers.lcp_echo";
	case OPT_HANDSHAKE:
		return "timers.handshake";
	case OPT_SETUP:
		return "timers.setup";
	case OPT_DRAIN:
		return "timers.drain";
	case OPT_USER:
		return "user";
	case OPT_SECCOMP:
		return "seccomp";
	case OPT_WORKERS:
		return "workers";
	case OPT_DENY:
		return "deny";
	case OPT_ALLOW:
		return "allow";
	case OPT_MAX_SESSIONS:
		return "max_sessions";
	case OPT_MAX_PER_SOURCE:
		return "max_per_source";
	case OPT_MAX_PER_USER:
		return "max_per_user";
	case OPT_BAN_FAILURES:
		return "ban_failures";
	case OPT_BAN_WINDOW:
		return "ban_window_ms";
	case OPT_BAN:
		return "ban_ms";
	case OPT_TLS_MIN:
		return "tls_min_version";
	case OPT_CIPHERS:
		return "ciphers";
	case OPT_CIPHERSUITES:
		return "ciphersuites";
	case OPT_GROUPS:
		return "groups";
	case OPT_ROUTE_PROTOCOL:
		return "route_protocol";
	case OPT_LOG:
		return "log";
	case OPT_HTTP_LINE:
		return "http_max_line";
	case OPT_HTTP_BYTES:
		return "http_max_header_bytes";
	case OPT_HTTP_HEADERS:
		return "http_max_headers";
	default:
		return NULL;
	}
}

int
main(int argc, char **argv)
{
	struct server_config cfg;
	static struct server srv;
	const char *config = NULL;
	char err[512];
	int opt, rc;
	bool check = false;
	static struct config_source src; /* kept for SIGHUP */

	while ((opt = getopt_long(argc, argv, "c:l:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("opensstpd " OPENSSTP_VERSION "\n");
			return 0;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_NT_HASH:
			return nt_hash_command();
		case '?':
			usage(stderr);
			return 2;
		default:
			if (src.nset == CONFIG_MAX_OVERRIDES) {
				fprintf(
				    stderr, "opensstpd: too many options\n");
				return 2;
			}
			src.set[src.nset].key = option_key(opt);
			src.set[src.nset++].value = optarg;
			break;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "opensstpd: unexpected argument: %s\n",
		    argv[optind]);
		return 2;
	}
	if (config == NULL && access(DEFAULT_CONFIG, R_OK) == 0)
		config = DEFAULT_CONFIG;
	src.path = config;
	rc = server_config_build(&cfg, &src, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "opensstpd: %s\n", err);
		return rc;
	}
	if (!server_config_validate(&cfg, err, sizeof(err))) {
		fprintf(stderr, "opensstpd: %s\n", err);
		return 1;
	}
	if (check) {
		printf("configuration OK\n");
		return 0;
	}
	log_set_level(cfg.log_level);
	/* Before server_init: the syslog socket must outlive the drop. */
	if (cfg.log_sink == LOG_SINK_SYSLOG)
		log_open_syslog("opensstpd");
	else if (log_stderr_is_journal())
		log_set_journal(true);
	else
		log_set_timestamps(true);
	rc = server_init(&srv, &cfg, &src) ? server_run(&srv) : 1;
	server_fini(&srv);
	log_info("exit status %d", rc);
	return rc;
}

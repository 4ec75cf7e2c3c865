/*
 * opensstp: the SSTP VPN client.  Command line and credentials.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "base/addr.h"
#include "base/file.h"
#include "base/log.h"
#include "client/client.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: opensstp [options] SERVER[:PORT]\n"
	    "\n"
	    "Connects to an SSTP VPN server and carries IPv4 and IPv6 through "
	    "a TUN device.\n"
	    "  -u, --user NAME          user name (DOMAIN\\name accepted)\n"
	    "  -p, --password PASS      password (visible to other users: "
	    "prefer the two below)\n"
	    "      --password-file FILE read the password from the first "
	    "line of FILE\n"
	    "                           (without either, it is asked for on "
	    "the terminal)\n"
	    "      --ca-file FILE       trust the CAs in FILE instead of the "
	    "system store\n"
	    "      --insecure           do not check the server certificate "
	    "(warns on every connect)\n"
	    "      --tun NAME           TUN device name (opensstp0)\n"
	    "      --mtu N              tunnel MTU and MRU (1400)\n"
	    "      --auth LIST          methods to accept, preferred first: "
	    "mschapv2, eap,\n"
	    "                           chap, pap (default all four, in that "
	    "order)\n"
	    "      --no-ipv4            do not negotiate IPv4 (IPCP)\n"
	    "      --no-ipv6            do not negotiate IPv6 (IPv6CP)\n"
	    "      --hello-ms N         SSTP echo after N ms of silence "
	    "(60000)\n"
	    "      --lcp-echo-ms N      LCP echo interval, 0 for none "
	    "(30000)\n"
	    "      --handshake-ms N     limit for TLS, HTTP and each SSTP "
	    "phase (60000)\n"
	    "      --connect-ms N       TCP connect timeout per address "
	    "(15000)\n"
	    "      --log-level LEVEL    error, warn, info, debug (info)\n"
	    "  -h, --help               this text\n"
	    "  -V, --version            the version\n"
	    "\n"
	    "The certificate chain and the name SERVER are checked (SAN DNS "
	    "and IP names;\nthe subject CN only when there is no SAN).  TLS "
	    "secrets go to $SSLKEYLOGFILE\nwhen it is set.  SIGINT or SIGTERM "
	    "disconnects cleanly.\n"
	    "\n"
	    "Exit status: 0 clean end, 1 error, 2 usage, 3 authentication "
	    "refused,\n4 certificate not trusted, 5 server unreachable, 6 not "
	    "an SSTP server,\n7 the tunnel was lost or ended by the server.\n");
}

static bool
read_line_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (f == NULL)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\r\n")] = '\0';
	return ok;
}

static bool
parse_auth(const char *s, struct client_opts *o)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	o->nauth = 0;
	for (tok = strtok_r(buf, ", ", &save); tok != NULL;
	     tok = strtok_r(NULL, ", ", &save)) {
		enum ppp_auth_method m;

		if (strcmp(tok, "mschapv2") == 0)
			m = PPP_AUTH_MSCHAPV2;
		else if (strcmp(tok, "eap") == 0 ||
		    strcmp(tok, "eap-mschapv2") == 0)
			m = PPP_AUTH_EAP;
		else if (strcmp(tok, "chap") == 0)
			m = PPP_AUTH_CHAP_MD5;
		else if (strcmp(tok, "pap") == 0)
			m = PPP_AUTH_PAP;
		else
			return false;
		if (o->nauth == sizeof(o->auth) / sizeof(o->auth[0]))
			return false;
		o->auth[o->nauth++] = m;
	}
	return o->nauth > 0;
}

static bool
parse_ms(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v > 86400000UL)
		return false;
	*out = (uint32_t)v;
	return true;
}

enum {
	OPT_PASSWORD_FILE = 256,
	OPT_CA,
	OPT_INSECURE,
	OPT_TUN,
	OPT_MTU,
	OPT_AUTH,
	OPT_NO4,
	OPT_NO6,
	OPT_HELLO,
	OPT_LCP_ECHO,
	OPT_HANDSHAKE,
	OPT_CONNECT,
	OPT_LOG_LEVEL,
};

static const struct option options[] = {
	{ "user", required_argument, NULL, 'u' },
	{ "password", required_argument, NULL, 'p' },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "ca-file", required_argument, NULL, OPT_CA },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "tun", required_argument, NULL, OPT_TUN },
	{ "mtu", required_argument, NULL, OPT_MTU },
	{ "auth", required_argument, NULL, OPT_AUTH },
	{ "no-ipv4", no_argument, NULL, OPT_NO4 },
	{ "no-ipv6", no_argument, NULL, OPT_NO6 },
	{ "hello-ms", required_argument, NULL, OPT_HELLO },
	{ "lcp-echo-ms", required_argument, NULL, OPT_LCP_ECHO },
	{ "handshake-ms", required_argument, NULL, OPT_HANDSHAKE },
	{ "connect-ms", required_argument, NULL, OPT_CONNECT },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int
bad(const char *what, const char *val)
{
	fprintf(stderr, "opensstp: invalid %s: %s\n", what, val);
	return CLIENT_EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	static struct client_opts o;
	static struct client c;
	enum log_level level = LOG_LVL_INFO;
	const char *password_file = NULL;
	bool have_password = false;
	unsigned long mtu;
	char *end;
	int opt, rc;

	client_opts_default(&o);
	while ((opt = getopt_long(argc, argv, "u:p:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'u':
			o.user = optarg;
			break;
		case 'p':
			snprintf(o.password, sizeof(o.password), "%s", optarg);
			have_password = true;
			break;
		case OPT_PASSWORD_FILE:
			password_file = optarg;
			break;
		case OPT_CA:
			o.ca_file = optarg;
			break;
		case OPT_INSECURE:
			o.insecure = true;
			break;
		case OPT_TUN:
			o.tun = optarg;
			break;
		case OPT_MTU:
			mtu = strtoul(optarg, &end, 10);
			if (*end != '\0' || mtu < 576 || mtu > 4091)
				return bad("MTU (576..4091)", optarg);
			o.mtu = (unsigned)mtu;
			break;
		case OPT_AUTH:
			if (!parse_auth(optarg, &o))
				return bad("--auth list", optarg);
			break;
		case OPT_NO4:
			o.ipv4 = false;
			break;
		case OPT_NO6:
			o.ipv6 = false;
			break;
		case OPT_HELLO:
			if (!parse_ms(optarg, &o.hello_ms) || o.hello_ms == 0)
				return bad("--hello-ms", optarg);
			break;
		case OPT_LCP_ECHO:
			if (!parse_ms(optarg, &o.lcp_echo_ms))
				return bad("--lcp-echo-ms", optarg);
			break;
		case OPT_HANDSHAKE:
			if (!parse_ms(optarg, &o.handshake_ms) ||
			    o.handshake_ms == 0)
				return bad("--handshake-ms", optarg);
			break;
		case OPT_CONNECT:
			if (!parse_ms(optarg, &o.connect_ms) ||
			    o.connect_ms == 0)
				return bad("--connect-ms", optarg);
			break;
		case OPT_LOG_LEVEL:
			if (!log_level_parse(optarg, &level))
				return bad("log level", optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("opensstp " OPENSSTP_VERSION "\n");
			return 0;
		default:
			usage(stderr);
			return CLIENT_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return CLIENT_EXIT_USAGE;
	}
	if (!endpoint_split(argv[optind], o.host, sizeof(o.host), 443, &o.port))
		return bad("server", argv[optind]);
	if (o.user == NULL) {
		fprintf(stderr, "opensstp: a user name is needed (--user)\n");
		return CLIENT_EXIT_USAGE;
	}
	if (password_file != NULL) {
		if (!read_line_file(
			password_file, o.password, sizeof(o.password))) {
			fprintf(stderr, "opensstp: cannot read %s\n",
			    password_file);
			return CLIENT_EXIT_USAGE;
		}
	} else if (!have_password &&
	    (!isatty(STDIN_FILENO) ||
		!read_secret_line(
		    "password: ", o.password, sizeof(o.password)))) {
		fprintf(stderr,
		    "opensstp: a password is needed (--password-file, "
		    "or run on a terminal)\n");
		return CLIENT_EXIT_USAGE;
	}
	log_set_level(level);
	log_set_timestamps(!isatty(STDERR_FILENO));
	rc = client_init(&c, &o) ? client_run(&c) : CLIENT_EXIT_ERROR;
	client_fini(&c);
	OPENSSL_cleanse(o.password, sizeof(o.password));
	return rc;
}

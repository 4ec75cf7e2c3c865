/*
 * opensstp-hostile: one named attack on an SSTP server in a test bed,
 * and what the server answered (see hostile.h).
 *
 *	opensstp-hostile --case binding-mac --server 10.200.0.1:443 \
 *	    --ca-file ca.crt --host server.test --user alice --password s3cret
 *	result: call-abort INVALID_FRAME_RECEIVED after 4 ms, closed after
 *	    1006 ms
 *
 * Only loopback and private addresses are accepted as targets.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/addr.h"
#include "base/ini_text.h"
#include "base/log.h"
#include "hostile.h"
#include "ppp/ppp_crypto.h"

static const struct hostile_case *const tables[] = {
	hostile_cases_net,
	hostile_cases_sstp,
	hostile_cases_ppp,
};

#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static const struct hostile_case *
case_find(const char *name)
{
	const struct hostile_case *c;
	size_t i;

	for (i = 0; i < NTABLES; i++)
		for (c = tables[i]; c->name != NULL; c++)
			if (strcmp(c->name, name) == 0)
				return c;
	return NULL;
}

static void
case_list(void)
{
	const struct hostile_case *c;
	size_t i;

	for (i = 0; i < NTABLES; i++)
		for (c = tables[i]; c->name != NULL; c++)
			printf("%-30s %-44s %s\n", c->name, c->expect, c->what);
}

static bool
auth_parse(const char *s, enum ppp_auth_method *m)
{
	if (strcasecmp(s, "pap") == 0)
		*m = PPP_AUTH_PAP;
	else if (strcasecmp(s, "chap") == 0)
		*m = PPP_AUTH_CHAP_MD5;
	else if (strcasecmp(s, "mschapv2") == 0)
		*m = PPP_AUTH_MSCHAPV2;
	else if (strcasecmp(s, "eap") == 0)
		*m = PPP_AUTH_EAP;
	else
		return false;
	return true;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: opensstp-hostile --case NAME --server ADDRESS[:PORT] "
	    "[options]\n"
	    "       opensstp-hostile --list\n"
	    "One attack on an SSTP server on a loopback or private address; "
	    "prints\nwhat the server answered and whether that is the answer "
	    "the spec gives.\n"
	    "  --case NAME         the attack (--list shows them, with the "
	    "answer expected)\n"
	    "  --expect KIND[:DETAIL]  another expected answer; '|' between "
	    "alternatives\n"
	    "  --user NAME, --password PASS   credentials where a call is "
	    "needed\n"
	    "  --auth METHOD       pap, chap, mschapv2 (default) or eap\n"
	    "  --ca-file FILE | --insecure    how the certificate is "
	    "checked\n"
	    "  --host NAME         name checked, sent as SNI and Host\n"
	    "  --source ADDRESS    connect from this address\n"
	    "  --count N           connections or packets (100)\n"
	    "  --interval-ms N     slow cases: between steps (1000)\n"
	    "  --wait-ms N         longest wait for an answer (8000)\n"
	    "  --close-ms N        a closing answer must have closed by then "
	    "(6000)\n"
	    "Exit status: 0 the expected answer, 1 another, 2 usage, 3 the "
	    "case could\nnot be set up.\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "case", required_argument, NULL, 'C' },
		{ "server", required_argument, NULL, 's' },
		{ "expect", required_argument, NULL, 'e' },
		{ "user", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "auth", required_argument, NULL, 'a' },
		{ "ca-file", required_argument, NULL, 'F' },
		{ "insecure", no_argument, NULL, 'I' },
		{ "host", required_argument, NULL, 'N' },
		{ "source", required_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'n' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "wait-ms", required_argument, NULL, 'w' },
		{ "close-ms", required_argument, NULL, 'c' },
		{ "list", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct hostile_opts o;
	struct tls_client_opts to = { 0 };
	const struct hostile_case *c = NULL;
	const char *server = NULL, *expect = NULL, *name = NULL;
	char host[256], err[512] = "";
	struct verdict v;
	struct ip_addr a;
	uint16_t port;
	bool ok;
	int opt;

	o.user = "alice";
	o.password = "";
	o.auth = PPP_AUTH_MSCHAPV2;
	o.count = 100;
	o.interval_ms = 1000;
	o.wait_ms = 8000;
	o.close_ms = 6000;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'C':
			if ((c = case_find(optarg)) == NULL) {
				fprintf(stderr,
				    "opensstp-hostile: no case %s (--list)\n",
				    optarg);
				return 2;
			}
			break;
		case 's':
			server = optarg;
			break;
		case 'e':
			expect = optarg;
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'p':
			o.password = optarg;
			break;
		case 'a':
			if (!auth_parse(optarg, &o.auth)) {
				fprintf(
				    stderr, "opensstp-hostile: bad --auth\n");
				return 2;
			}
			break;
		case 'F':
			to.ca_file = optarg;
			break;
		case 'I':
			to.insecure = true;
			break;
		case 'N':
			name = optarg;
			break;
		case 'S':
			if (!addr_parse(optarg, &a)) {
				fprintf(
				    stderr, "opensstp-hostile: bad --source\n");
				return 2;
			}
			o.has_src = true;
			o.src_len = addr_to_sockaddr(&a, 0, &o.src);
			break;
		case 'n':
		case 'i':
		case 'w':
		case 'c':
			if (!ini_parse_u32(optarg, 1, 3600000,
				opt == 'n'	 ? &o.count
				    : opt == 'i' ? &o.interval_ms
				    : opt == 'w' ? &o.wait_ms
						 : &o.close_ms)) {
				fprintf(stderr,
				    "opensstp-hostile: bad number: %s\n",
				    optarg);
				return 2;
			}
			break;
		case 'L':
			case_list();
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (c == NULL || server == NULL || optind != argc ||
	    !endpoint_split(server, host, sizeof(host), 443, &port) ||
	    !addr_parse(host, &a)) {
		usage(stderr);
		return 2;
	}
	if (!addr_is_private(&a)) {
		fprintf(stderr,
		    "opensstp-hostile: %s is not a loopback or private "
		    "address\n",
		    host);
		return 2;
	}
	if (o.has_src &&
	    o.src.ss_family != (a.family == AF_INET ? AF_INET : AF_INET6)) {
		fprintf(
		    stderr, "opensstp-hostile: --source of another family\n");
		return 2;
	}
	o.dst_len = addr_to_sockaddr(&a, port, &o.dst);
	snprintf(o.host, sizeof(o.host), "%s", name != NULL ? name : host);
	signal(SIGPIPE, SIG_IGN);
	log_set_level(LOG_LVL_ERROR);
	o.crypto = ppp_crypto_new();
	o.ctx = tls_client_ctx_new(&to, err, sizeof(err));
	if (o.crypto == NULL || o.ctx == NULL) {
		fprintf(stderr, "opensstp-hostile: cannot start: %s\n",
		    o.ctx == NULL ? err : "no MD4 (OpenSSL legacy provider)");
		return 3;
	}
	if (expect == NULL)
		expect = c->expect;
	memset(&v, 0, sizeof(v));
	printf("case: %s (%s)\n", c->name, c->what);
	fflush(stdout);
	ok = c->run(c, &o, &v, err, sizeof(err));
	tls_ctx_free(o.ctx);
	ppp_crypto_free(o.crypto);
	if (!ok) {
		printf("result: setup-failed: %s\n", err);
		return 3;
	}
	verdict_print(&v);
	printf("expected: %s\n", expect);
	if (verdict_kind_closes(v.kind) && !v.closed) {
		printf("mismatch: not closed within %u ms\n",
		    (unsigned)o.close_ms);
		return 1;
	}
	if (!verdict_matches(&v, expect)) {
		printf("mismatch\n");
		return 1;
	}
	return 0;
}

/*
 * opensstp: the SSTP VPN client.  The options (command line and profile)
 * are client/options.c's; the rest is client.c's.
 */
#include <stdbool.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "base/log.h"
#include "client/client.h"
#include "client/options.h"

/* options.c returns 2 for a usage error without seeing client.h. */
_Static_assert(CLIENT_EXIT_USAGE == 2, "options.c's usage status");

int
main(int argc, char **argv)
{
	static struct client_opts o;
	static struct client c;
	bool done;
	int rc;

	rc = client_opts_parse(&o, argc, argv, &done);
	if (rc != 0 || done) {
		OPENSSL_cleanse(o.password, sizeof(o.password));
		OPENSSL_cleanse(o.proxy, sizeof(o.proxy));
		return rc;
	}
	log_set_level(o.log_level);
	log_set_timestamps(!isatty(STDERR_FILENO));
	rc = client_init(&c, &o) ? client_run(&c) : CLIENT_EXIT_ERROR;
	client_fini(&c);
	/* The proxy URL may hold a password too. */
	OPENSSL_cleanse(o.password, sizeof(o.password));
	OPENSSL_cleanse(o.proxy, sizeof(o.proxy));
	return rc;
}

/*
 * Everything the client can be told, from the command line or a profile
 * (/etc/opensstp/client/NAME.conf, INI, one key per long option, section
 * [client]): `opensstp @work` reads the profile "work", and options given
 * on the command line override it.  Parsing only; the behaviour is in
 * client.c and the modules it calls.
 */
#ifndef OPENSSTP_CLIENT_OPTIONS_H
#define OPENSSTP_CLIENT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "base/log.h"
#include "ppp/lcp.h"

#define CLIENT_PATH_MAX	   4096
#define CLIENT_MAX_PINS	   4
#define CLIENT_MAX_ROUTES  32
#define CLIENT_PROFILE_DIR "/etc/opensstp/client"

enum client_route_mode {
	CLIENT_ROUTES_DEFAULT, /* default route through the tunnel: default */
	CLIENT_ROUTES_LISTED, /* only --route prefixes */
	CLIENT_ROUTES_NONE, /* --no-routes: addresses only */
};

struct client_opts {
	/* Where and who. */
	char host[256]; /* SERVER of SERVER[:PORT] */
	uint16_t port; /* 443 */
	char user[256];
	char password[256]; /* --password, --password-file or a prompt */
	bool have_password;
	/* Trust. */
	char ca_file[CLIENT_PATH_MAX]; /* "": the system store */
	bool insecure; /* no chain or name check; warns on every connect */
	uint8_t pins[CLIENT_MAX_PINS][32]; /* --pin-sha256: SPKI SHA-256 */
	size_t npins;
	int tls_min; /* --tls-min 1.2|1.3: TLS1_2_VERSION (default) */
	char ciphers[512]; /* --ciphers: OpenSSL list for TLS 1.2; "" default */
	/* Proxy. */
	char proxy[1024]; /* --proxy URL; "" none (then the environment) */
	bool proxy_from_env; /* https_proxy / no_proxy honoured: yes */
	char proxy_password_file[CLIENT_PATH_MAX];
	/* The link. */
	char tun[16]; /* opensstp0 */
	unsigned mtu; /* 1400 */
	bool ipv4, ipv6; /* negotiate IPCP / IPv6CP: yes */
	enum ppp_auth_method auth[4]; /* accepted, preferred first */
	size_t nauth;
	/* Routes and DNS. */
	enum client_route_mode route_mode;
	struct ip_prefix routes[CLIENT_MAX_ROUTES];
	size_t nroutes;
	char dns_hook[CLIENT_PATH_MAX]; /* "": print the DNS servers */
	bool kill_switch;
	/* Staying up. */
	bool reconnect; /* yes */
	int max_retries; /* -1: forever (default) */
	uint32_t backoff_min_ms, backoff_max_ms; /* 1000, 60000 */
	uint32_t dead_peer_ms; /* TCP_USER_TIMEOUT and keepalive: 30000 */
	/* Protocol timers (milliseconds). */
	uint32_t hello_ms, lcp_echo_ms, handshake_ms, connect_ms;
	/* Output. */
	enum log_level log_level;
	int progress; /* -1 auto (a terminal), 0 off, 1 on */
	char profile[256]; /* the profile read, for messages */
};

void client_opts_default(struct client_opts *o);

/*
 * Parse argv (a first argument "@NAME" or --profile NAME/PATH reads the
 * profile first).  Returns 0 to run, or an exit status to exit with now
 * (--help and --version print and return 0 through *done).  Messages go
 * to stderr.  o starts from client_opts_default(); the argument of
 * --password is wiped in argv once copied (ps(1)); without a password the
 * user is asked on a terminal, else it is a usage error.
 */
int client_opts_parse(struct client_opts *o, int argc, char **argv, bool *done);

/* Read a profile (a NAME under CLIENT_PROFILE_DIR, or a path with a '/')
 * over o; false with "FILE:LINE: why" in err.  The environment variable
 * OPENSSTP_PROFILE_DIR, when set, replaces CLIENT_PROFILE_DIR (tests). */
bool client_profile_load(
    struct client_opts *o, const char *name, char *err, size_t errlen);
/* Same, from text (tests, fuzzing); name is used in messages.  On error o
 * is left as it was. */
bool client_profile_parse(struct client_opts *o, const char *text,
    const char *name, char *err, size_t errlen);

#endif

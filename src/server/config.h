/*
 * opensstpd's configuration: an INI file (inih) and command-line
 * overrides.  The minimal set of issue 11; unknown keys are errors, so a
 * typo is never silently ignored.
 *
 *	[server]
 *	listen = 0.0.0.0:443, [::]:443
 *	cert = /etc/opensstp/server.crt  ; the chain, leaf first
 *	key = /etc/opensstp/server.key
 *	tun = sstp0
 *	pool4 = 10.77.0.0/24      ; the server takes the first address
 *	prefix6 = fd77::/56       ; a /64 per client; empty: no IPv6
 *	dns = 10.77.0.1, fd77::1  ; handed out, IPv4 and IPv6
 *	auth = mschapv2, eap-mschapv2  ; also: pap, chap
 *	crypto_binding = required      ; or: optional
 *	users = /etc/opensstp/users
 *	log_level = info
 *	mtu = 1400
 *	user = nobody             ; dropped to after start-up
 *	seccomp = enforce         ; or: log, off
 *	deny = 10.0.0.0/8, 2001:db8::/32   ; refused at accept, before TLS
 *	allow =                   ; when not empty, only these may connect
 *	max_sessions = 10000      ; in total; 0: no limit
 *	max_per_source = 16       ; connections per address (IPv6: per /64)
 *	max_per_user = 0          ; sessions per user name; 0: no limit
 *	ban_failures = 5          ; failed logins within ban_window_ms from
 *	ban_window_ms = 60000     ; one source ban it for ban_ms; 0: never
 *	ban_ms = 300000
 *
 *	[timers]                  ; milliseconds; tests run them short
 *	hello = 60000
 *	lcp_echo = 30000
 *	handshake = 60000
 *	drain = 10000             ; SIGTERM: sessions get this long to end
 */
#ifndef OPENSSTP_SERVER_CONFIG_H
#define OPENSSTP_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "base/log.h"
#include "ppp/lcp.h"
#include "server/privs.h"

#define CONFIG_MAX_LISTEN 8
#define CONFIG_MAX_DNS	  3
#define CONFIG_PATH_MAX	  4096
#define CONFIG_AUTH_MAX	  4
#define CONFIG_ACL_MAX	  256

struct listen_addr {
	char host[256]; /* literal address; "" for any */
	uint16_t port;
};

struct server_config {
	struct listen_addr listen[CONFIG_MAX_LISTEN];
	size_t nlisten;
	char cert[CONFIG_PATH_MAX];
	char key[CONFIG_PATH_MAX];
	char users[CONFIG_PATH_MAX];
	char tun[16];
	unsigned mtu;
	bool has_pool4;
	struct ip_prefix pool4;
	bool has_prefix6;
	struct ip_prefix prefix6;
	struct ip_addr dns4[CONFIG_MAX_DNS];
	size_t ndns4;
	struct ip_addr dns6[CONFIG_MAX_DNS];
	size_t ndns6;
	enum ppp_auth_method auth[CONFIG_AUTH_MAX]; /* preference order */
	size_t nauth;
	bool binding_required;
	enum log_level log_level;
	char user[33]; /* drop to it after start-up; "" or root: stay */
	enum privs_seccomp seccomp;
	struct ip_prefix deny[CONFIG_ACL_MAX];
	size_t ndeny;
	struct ip_prefix allow[CONFIG_ACL_MAX]; /* none: anyone not denied */
	size_t nallow;
	uint32_t max_sessions; /* 0: no limit, as the three below */
	uint32_t max_per_source;
	uint32_t max_per_user;
	uint32_t ban_failures;
	uint32_t ban_window_ms;
	uint32_t ban_ms;
	/* [timers], milliseconds */
	uint32_t hello_ms;
	uint32_t lcp_echo_ms;
	uint32_t handshake_ms;
	uint32_t drain_ms; /* stop waiting for sessions after SIGTERM */
};

/* Defaults: listen 0.0.0.0:443 and [::]:443, tun sstp0, mtu 1400,
 * auth MS-CHAPv2 then EAP-MSCHAPv2, binding required, info, user nobody,
 * seccomp enforce, max_sessions 10000, max_per_source 16, bans after 5
 * failures in 60 s for 300 s. */
void server_config_default(struct server_config *c);
/*
 * Read an INI file over the current values.  On error false and
 * "FILE:LINE: why" in err.
 */
bool server_config_load(
    struct server_config *c, const char *path, char *err, size_t errlen);
/* Same, from text (tests, fuzzing). */
bool server_config_parse(struct server_config *c, const char *text,
    const char *name, char *err, size_t errlen);
/*
 * Set one key as the file would (section.key or key of [server]): the
 * command line's overrides go through here.
 */
bool server_config_set(struct server_config *c, const char *section,
    const char *key, const char *value, char *err, size_t errlen);
/*
 * Where a running server's configuration comes from, kept for SIGHUP:
 * the file (none: defaults and overrides only) and the command line's
 * overrides ("key" of [server] or "section.key"), which win over it.
 */
#define CONFIG_MAX_OVERRIDES 64
struct config_source {
	const char *path;
	struct {
		const char *key, *value;
	} set[CONFIG_MAX_OVERRIDES];
	size_t nset;
};
/*
 * Defaults, then the file, then the overrides.  0 when all went well; 1
 * when the file is broken ("FILE:LINE: why"), 2 when an override is
 * ("KEY: why"), with the reason in err.
 */
int server_config_build(struct server_config *c,
    const struct config_source *src, char *err, size_t errlen);
/* Whole-config checks (a pool or a prefix, a cert and key, users). */
bool server_config_validate(
    const struct server_config *c, char *err, size_t errlen);

#endif

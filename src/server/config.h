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
 *	workers = 1               ; threads, 1..64; auto: one per core
 *	deny = 10.0.0.0/8, 2001:db8::/32   ; refused at accept, before TLS
 *	allow =                   ; when not empty, only these may connect
 *	max_sessions = 10000      ; in total; 0: no limit; past it: HTTP 503
 *	max_per_source = 16       ; connections per address (IPv6: per /64)
 *	max_per_user = 0          ; sessions per user name; 0: no limit
 *	ban_failures = 5          ; failed logins within ban_window_ms from
 *	ban_window_ms = 60000     ; one source ban it for ban_ms; 0: never
 *	ban_ms = 300000
 *	http_max_line = 2048      ; the HTTP request's caps (spec/sstp.md
 *	http_max_header_bytes = 8192  ; 1.3): a line, the whole header
 *	http_max_headers = 64     ; block, header lines; over one: 414/431
 *	tls_min_version = 1.2     ; or 1.3
 *	ciphers = ECDHE+AESGCM:AES128-SHA  ; TLS 1.2, OpenSSL's syntax, our
 *	                          ; order wins (CONFIG_CIPHERS_DEFAULT)
 *	ciphersuites = TLS_AES_128_GCM_SHA256  ; TLS 1.3; unset: OpenSSL's
 *	groups = X25519:P-256:P-384  ; unset: OpenSSL's
 *	route_protocol = static   ; of the pools' routes: 3..255 or a name
 *	log = stderr              ; or syslog (LOG_DAEMON)
 *
 *	[listener NAME]           ; more addresses, each section with its
 *	listen = 192.0.2.1:443    ; own TLS context; what it leaves out
 *	cert = /etc/opensstp/b.crt ; comes from [server], whose own
 *	key = /etc/opensstp/b.key ; listener then opens only if [server]
 *	tls_min_version = 1.3     ; has a listen of its own.  Also:
 *	                          ; ciphers, ciphersuites, groups.
 *	                          ; NAME: 1..31 of A-Z a-z 0-9 _ . -
 *
 *	[timers]                  ; milliseconds; tests run them short
 *	hello = 60000
 *	lcp_echo = 30000
 *	handshake = 60000         ; each of TLS, HTTP, SSTP negotiation
 *	setup = 60000             ; from accept to the call fully up (PPP
 *	                          ; Network phase, binding verified), all
 *	                          ; phases together; then closed, the log
 *	                          ; naming the phase it was stuck in
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

#define CONFIG_MAX_LISTEN	 8
#define CONFIG_MAX_DNS		 3
#define CONFIG_PATH_MAX		 4096
#define CONFIG_AUTH_MAX		 4
#define CONFIG_ACL_MAX		 256
#define CONFIG_MAX_LISTENERS	 8 /* [listener NAME] sections */
#define CONFIG_MAX_SOCKETS	 16 /* listening sockets in all */
#define CONFIG_TLS_LIST_MAX	 512
#define CONFIG_LISTENER_NAME_MAX 32
/*
 * TLS 1.2 suites by default, in our order (the server's wins, io/tls.c):
 * forward-secret AEAD first (Windows 8.1+, sstp-client, RouterOS v7, our
 * client); then AES-CBC-SHA, all RouterOS v6 offers (spec/sstp.md 5.2):
 * with ECDHE (its pfs=yes) and last with RSA key exchange, which loses
 * forward secrecy but is only chosen by a client that offers nothing
 * above it.  The two RSA ones need an RSA certificate.  No 3DES, RC4,
 * NULL or anonymous suite.
 */
#define CONFIG_CIPHERS_DEFAULT                                                 \
	"ECDHE+AESGCM:ECDHE+CHACHA20:ECDHE+AES+SHA:AES256-SHA:AES128-SHA"

struct listen_addr {
	char host[256]; /* literal address; "" for any */
	uint16_t port;
};

/* TLS settings of [server], which a [listener NAME] may override. */
struct tls_config {
	int min_version; /* OpenSSL's TLS1_2_VERSION or TLS1_3_VERSION */
	char ciphers[CONFIG_TLS_LIST_MAX]; /* TLS 1.2 cipher list */
	char ciphersuites[CONFIG_TLS_LIST_MAX]; /* TLS 1.3; "": OpenSSL's */
	char groups[CONFIG_TLS_LIST_MAX]; /* "": OpenSSL's */
};

/* What a [listener NAME] section set itself. */
enum {
	LISTENER_HAS_LISTEN = 1 << 0,
	LISTENER_HAS_CERT = 1 << 1,
	LISTENER_HAS_KEY = 1 << 2,
	LISTENER_HAS_MIN_VERSION = 1 << 3,
	LISTENER_HAS_CIPHERS = 1 << 4,
	LISTENER_HAS_CIPHERSUITES = 1 << 5,
	LISTENER_HAS_GROUPS = 1 << 6,
};

/* A listener: its addresses, and the certificate and TLS settings of
 * the one SSL_CTX they share. */
struct listener_config {
	char name[CONFIG_LISTENER_NAME_MAX]; /* "" for [server]'s own */
	struct listen_addr listen[CONFIG_MAX_LISTEN];
	size_t nlisten;
	char cert[CONFIG_PATH_MAX];
	char key[CONFIG_PATH_MAX];
	struct tls_config tls;
	unsigned given; /* LISTENER_HAS_*: the rest is [server]'s */
};

struct server_config {
	struct listen_addr listen[CONFIG_MAX_LISTEN];
	size_t nlisten;
	bool listen_given; /* [server] listen set: opened with sections too */
	struct tls_config tls;
	struct listener_config listeners[CONFIG_MAX_LISTENERS]; /* sections */
	size_t nlisteners;
	uint8_t route_protocol; /* of the pools' routes (rtnetlink) */
	enum log_sink log_sink;
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
	uint32_t workers; /* threads (1); 0: auto, one per core */
	uint32_t max_sessions; /* 0: no limit, as the three below */
	uint32_t max_per_source;
	uint32_t max_per_user;
	uint32_t ban_failures;
	uint32_t ban_window_ms;
	uint32_t ban_ms;
	/* Caps of the HTTP request (struct sstp_http_limits). */
	uint32_t http_max_line;
	uint32_t http_max_header_bytes;
	uint32_t http_max_headers;
	/* [timers], milliseconds */
	uint32_t hello_ms;
	uint32_t lcp_echo_ms;
	uint32_t handshake_ms; /* each phase of the set-up */
	uint32_t setup_ms; /* the whole set-up */
	uint32_t drain_ms; /* stop waiting for sessions after SIGTERM */
};

/* Defaults: listen 0.0.0.0:443 and [::]:443, tun sstp0, mtu 1400,
 * auth MS-CHAPv2 then EAP-MSCHAPv2, binding required, info, user nobody,
 * seccomp enforce, max_sessions 10000, max_per_source 16, bans after 5
 * failures in 60 s for 300 s, TLS 1.2 and CONFIG_CIPHERS_DEFAULT, route
 * protocol static, log to stderr. */
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
/*
 * The listeners to open: [server]'s own first, unless [listener]
 * sections exist and [server] has no listen of its own; then each
 * section, with [server]'s values for what it leaves out.
 */
size_t server_config_nlisteners(const struct server_config *c);
/* Listener i (< server_config_nlisteners) as it is opened. */
void server_config_listener(
    const struct server_config *c, size_t i, struct listener_config *out);

#endif

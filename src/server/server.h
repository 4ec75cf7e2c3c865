/*
 * opensstpd's running state (DESIGN.md Data path): what its worker
 * threads share (the configuration, the TLS contexts, the users, the one
 * TUN device with the table that maps a destination address to its
 * session, the ACL and the pools) and the workers themselves
 * (server/worker.h), each with its loop, listeners, TUN queue and
 * sessions.
 */
#ifndef OPENSSTP_SERVER_SERVER_H
#define OPENSSTP_SERVER_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "io/loop.h"
#include "io/netlink.h"
#include "ppp/ppp_crypto.h"
#include "server/acl.h"
#include "server/addr_table.h"
#include "server/config.h"
#include "server/pool.h"
#include "server/users.h"
#include "server/worker.h"
#include "sstp/sstp_binding.h"

struct session;

/*
 * A listener's TLS: its context and the hashes of the certificate it
 * presents, which the crypto binding of its sessions checks ([MS-SSTP]
 * 3.3.5.2.3: the certificate of this HTTPS connection).
 */
struct server_tls {
	SSL_CTX *ctx;
	struct sstp_cert_hashes cert;
	char name[CONFIG_LISTENER_NAME_MAX]; /* "" for [server]'s */
};

/*
 * What the workers share, each part under its lock: the configuration
 * and TLS contexts (read-only once running), the users (users_lock, as
 * SIGHUP replaces them), the destination table (routes_lock: read per
 * datagram, written when a session gets or drops an address), and the
 * rest, touched once per connection: the ACL, the pools, the session
 * counts and lists (lock).
 */
struct server {
	struct server_config cfg;
	const struct config_source *source; /* read again on SIGHUP */
	struct server_tls tls[CONFIG_MAX_LISTENERS + 1]; /* per listener */
	size_t ntls;
	struct ppp_crypto *crypto; /* thread-safe: fetched algorithms */
	pthread_rwlock_t users_lock;
	struct users users;
	pthread_rwlock_t routes_lock;
	struct addr_table routes; /* destination -> session */
	pthread_mutex_t lock;
	struct acl acl; /* deny/allow, per-source counts, bans */
	struct pool4 pool4;
	struct pool6 pool6;
	size_t nsessions; /* on every worker */
	size_t nfull; /* of them, being answered 503 */
	uint64_t next_id;
	bool locks_ready;
	uint32_t addr4; /* the server's tunnel address, host order */
	uint8_t addr6[16]; /* its IPv6 address: first /64 + ::1 */
	char tun_name[16];
	int tun_ifindex;
	struct worker *workers;
	size_t nworkers;
	int sig_fd; /* on worker 0's loop */
	struct io_watch sig_watch;
	bool stopping;
};

/*
 * Everything that needs root: TUN, addresses, routes, listeners.  cfg
 * was built from src, which must outlive the server (SIGHUP builds it
 * again).
 */
bool server_init(struct server *srv, const struct server_config *cfg,
    const struct config_source *src);
/*
 * Start the other workers and run worker 0 here, until SIGINT/SIGTERM
 * and the sessions are gone.
 */
int server_run(struct server *srv);
void server_fini(struct server *srv);

/* Sessions tell the server what they own. */
bool server_route_add4(struct server *srv, uint32_t addr, struct session *s);
void server_route_del4(struct server *srv, uint32_t addr);
bool server_route_add6(
    struct server *srv, const uint8_t prefix[16], struct session *s);
void server_route_del6(struct server *srv, const uint8_t prefix[16]);
/*
 * SIGHUP: read the configuration file and the users file again and put
 * the users, the deny and allow lists and the limits in force for new
 * connections; live sessions are not touched.  If either file is broken
 * it is reported and nothing changes.
 */
void server_reload(struct server *srv);
/* After the drop: warn when a file SIGHUP reads is not readable now. */
void server_reload_probe(const struct server *srv);
/*
 * Connections answered 503 at once when max_sessions is reached: each
 * costs a TLS handshake, so past this many the rest are closed at accept
 * like any other refusal.
 */
#define SERVER_FULL_MAX 16

enum admit_verdict {
	ADMIT_REFUSED, /* close it now */
	ADMIT_SESSION, /* start a session */
	ADMIT_FULL, /* max_sessions reached: answer 503 (spec/sstp.md 1.3) */
};

/*
 * Refused at accept, before TLS (DESIGN.md Security): the deny and allow
 * lists, a ban, the total and the per-source limits; logged.  Counts src
 * (and, but for ADMIT_REFUSED, the connection) when it may go on.  Any
 * worker.
 */
enum admit_verdict server_admit(struct server *srv, const struct ip_addr *src,
    const char *peer, uint64_t now);
/*
 * The ACL's rules and limits from srv->cfg (start-up, SIGHUP; under
 * srv->lock once workers run).  Its counts and bans stay.
 */
void server_acl_from_config(struct server *srv);
/* A connection server_admit let in (full: answered 503) has ended. */
void server_release(
    struct server *srv, const struct ip_addr *src, bool full, uint64_t now);

#endif

/*
 * opensstpd's running state, one worker for now but shaped for N
 * (DESIGN.md Data path): the loop, the listeners, the one shared TUN and
 * the table that maps a destination address to its session, the pools,
 * the users, and the sessions themselves.
 */
#ifndef OPENSSTP_SERVER_SERVER_H
#define OPENSSTP_SERVER_SERVER_H

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
#include "sstp/sstp_binding.h"

struct session;

struct listener {
	struct server *srv;
	int fd;
	struct io_watch watch;
	char name[ADDR_STR_MAX];
};

struct server {
	struct server_config cfg;
	const struct config_source *source; /* read again on SIGHUP */
	struct io_loop loop;
	SSL_CTX *ssl_ctx;
	struct sstp_cert_hashes cert;
	struct ppp_crypto *crypto;
	struct users users;
	struct pool4 pool4;
	struct pool6 pool6;
	uint32_t addr4; /* the server's tunnel address, host order */
	uint8_t addr6[16]; /* its IPv6 address: first /64 + ::1 */
	struct addr_table routes; /* destination -> session */
	struct acl acl; /* deny/allow, per-source counts, bans */
	struct listener listeners[CONFIG_MAX_LISTEN];
	size_t nlisteners;
	int tun_fd;
	char tun_name[16];
	int tun_ifindex;
	struct io_watch tun_watch;
	int sig_fd;
	struct io_watch sig_watch;
	struct session *sessions; /* doubly linked */
	size_t nsessions;
	uint64_t next_id;
	bool stopping;
	struct io_timer drain_timer; /* cfg.drain_ms after SIGTERM */
	uint64_t tun_dropped; /* no session for the destination */
};

/*
 * Everything that needs root: TUN, addresses, routes, listeners.  cfg
 * was built from src, which must outlive the server (SIGHUP builds it
 * again).
 */
bool server_init(struct server *srv, const struct server_config *cfg,
    const struct config_source *src);
/* Run until SIGINT/SIGTERM and the sessions are gone. */
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
/* Write a datagram from a session to the TUN. */
void server_tun_write(struct server *srv, const uint8_t *pkt, size_t len);

#endif

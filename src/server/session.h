/*
 * One client's session on the server: its tunnel (TLS, SSTP, PPP), who it
 * is, the addresses it holds, and its IPv6 control traffic (RA, DHCPv6,
 * spec/ppp.md 9).  Every log line about it carries its id.
 */
#ifndef OPENSSTP_SERVER_SESSION_H
#define OPENSSTP_SERVER_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/addr.h"
#include "server/server.h"
#include "tunnel/tunnel.h"

struct session {
	struct session *prev, *next; /* on its worker, under srv->lock */
	struct server *srv;
	struct worker *w; /* the one it lives on */
	uint64_t id;
	char peer[ADDR_STR_MAX]; /* the client's address: one value, later
				    perhaps from a PROXY header */
	struct ip_addr src; /* the same, raw: ACL, limits, bans */
	bool authed; /* counted for max_per_user */
	bool full; /* max_sessions reached: only answers 503 */
	char *user; /* the name it logged in with; NULL before */
	struct timespec started;
	uint64_t started_ms;
	bool has_ipv4;
	uint32_t ipv4; /* host order */
	bool ipv4_pending; /* allocated by IPCP, not yet up */
	bool has_ipv6;
	uint8_t prefix6[16]; /* its /64 */
	uint8_t local_iid[8], peer_iid[8];
	/* The addresses for the log lines, as of the last NCP up: the NCPs
	 * are down by the end line. */
	bool shown_ipv4, shown_ipv6;
	uint32_t shown4;
	uint8_t shown6[8];
	bool logged_start;
	bool connected; /* Call Connected, its crypto binding verified */
	bool start_pending; /* the start line waits for connected */
	struct io_timer start_log;
	struct io_timer setup_timer; /* [timers] setup, from accept */
	uint64_t spoofed; /* datagrams with a source not its own */
	struct tunnel tunnel;
};

/*
 * Accepted socket fd (non-blocking) from src, already counted by
 * acl_conn_open: start TLS with the context of the listener that
 * accepted it (tls, which outlives the session).  Frees itself, and
 * uncounts src.
 */
void session_start(struct worker *w, int fd, const struct ip_addr *src,
    const char *peer, const struct server_tls *tls, bool full);
/* A datagram from the TUN for this session. */
void session_from_tun(
    struct session *s, int version, const uint8_t *pkt, size_t len);
/* Free without a word to anyone (a forced stop, at exit). */
void session_free(struct session *s);
/* Disconnect (server stopping). */
void session_close(struct session *s, const char *reason);

#endif

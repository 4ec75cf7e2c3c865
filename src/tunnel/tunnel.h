/*
 * One SSTP tunnel on a TCP socket, either role: the glue that puts the
 * pure cores on the wire (DESIGN.md "Layers"): TLS <-> SSTP <-> PPP <->
 * datagrams.  The server's session and the client each embed one; both
 * programs share this layer instead of each carrying a copy of the glue.
 *
 * Data path (DESIGN.md): every datagram for the peer is appended, with
 * its SSTP and PPP headers, to one output buffer that is flushed once per
 * loop iteration, so many packets leave in one SSL_write of full 16 KiB
 * records; everything one read returns is parsed at once.  Unsent output
 * is bounded: a datagram that does not fit is dropped and counted, so the
 * inner TCP sees loss instead of a growing queue.  Control frames have a
 * reserve of their own above the data bound.
 *
 * The owner learns of the end through ops->closed, called from the loop
 * after the iteration in which the tunnel closed, so it may free the
 * tunnel there (tunnel_fini first).
 */
#ifndef OPENSSTP_TUNNEL_TUNNEL_H
#define OPENSSTP_TUNNEL_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/loop.h"
#include "io/tcp_queue.h"
#include "io/tls.h"
#include "ppp/ppp_link.h"
#include "sstp/sstp_conn.h"

#define TUNNEL_TX_DATA_MAX (64 * 1024) /* unsent datagrams: then drop */
#define TUNNEL_TX_RESERVE  (16 * 1024) /* room kept for control frames */
#define TUNNEL_REASON_MAX  320

struct tunnel_counters {
	uint64_t pkts_in, pkts_out; /* IPv4 and IPv6 datagrams */
	uint64_t bytes_in, bytes_out; /* their bytes (IP headers included) */
	uint64_t dropped_out; /* output full, or the call not connected */
	uint64_t tls_bytes_in, tls_bytes_out; /* plaintext SSTP bytes */
};

struct tunnel_ops {
	/*
	 * Client: the TLS handshake is done; a pin check may refuse the
	 * server (false, with a sentence in why).  NULL: accept.
	 */
	bool (*verify_peer)(
	    void *arg, const struct tls_conn *tls, char *why, size_t len);
	/* A step of the set-up, for a progress display: "HTTP",
	 * "authenticating", "binding", ... */
	void (*progress)(void *arg, const char *step);
	/* SSTP and PPP are up far enough for data: binding verified. */
	void (*connected)(void *arg);
	/* PPP authentication finished (log it; HLAK already handled). */
	void (*auth_done)(void *arg, const struct ppp_auth_result *res);
	void (*ipv4_up)(void *arg, const struct ppp_ipv4_info *info);
	void (*ipv4_down)(void *arg);
	void (*ipv6_up)(void *arg, const struct ppp_ipv6_info *info);
	void (*ipv6_down)(void *arg);
	/* An IPv4 (4) or IPv6 (6) datagram from the peer, for the TUN. */
	void (*datagram)(
	    void *arg, int version, const uint8_t *pkt, size_t len);
	/*
	 * An RS, RA or DHCPv6 message from the peer (ipv6_ctl_classify):
	 * the link's own IPv6 control traffic, never routed.
	 */
	void (*ipv6_control)(
	    void *arg, int kind, const uint8_t *pkt, size_t len);
	/*
	 * Server: an IPv4 address for the peer (see struct ppp_link_ops).
	 * Interface identifiers are random: with a /64 per client they
	 * need no allocation.
	 */
	bool (*alloc_ipv4)(void *arg, uint32_t *addr);
	/* Output fell below half its bound after tunnel_can_send() said
	 * no: a reader that paused may resume. */
	void (*drained)(void *arg);
	/* The tunnel is over; reason is a short sentence.  May free. */
	void (*closed)(void *arg, const char *reason);
};

struct tunnel_config {
	struct sstp_conn_config sstp; /* role, timers, host; cert for servers */
	struct ppp_link_config ppp;
	uint32_t tls_handshake_ms; /* the TLS handshake: 60 s */
};

enum tunnel_state {
	TUNNEL_TLS, /* TLS handshake */
	TUNNEL_SSTP, /* SSTP and PPP running */
	TUNNEL_CLOSING, /* closed, owner not told yet */
	TUNNEL_DONE, /* owner told */
};

struct tunnel {
	struct io_loop *loop;
	const struct tunnel_ops *ops;
	void *arg;
	/* Until SSTP and PPP start with their copies of it. */
	struct tunnel_config *cfg;
	enum tunnel_state state;
	int fd;
	uint32_t events; /* registered with epoll */
	struct io_watch watch;
	struct io_timer timer;
	struct io_defer flush;
	uint64_t handshake_deadline;
	struct tls_conn tls;
	struct tcp_queue tcpq; /* the socket's own queues, kept short */
	bool sstp_started, ppp_started;
	struct sstp_conn sstp;
	struct ppp_link ppp;
	bool connected;
	bool want_drained; /* tell ops->drained */
	uint8_t *tx; /* allocated while there is output */
	size_t tx_len, tx_cap;
	bool tx_wipe; /* set-up output may be in tx: wipe before free */
	struct tunnel_counters counters;
	/* Why it ended, for the owner's message: the first cause wins
	 * (NULL until then). */
	char *reason;
	bool tls_failed; /* the TLS handshake failed */
	bool auth_failed; /* PPP authentication failed */
	enum ppp_err auth_reason; /* and why */
	enum ppp_err ppp_reason; /* why PPP went down, or PPP_OK */
	bool sstp_ended; /* SSTP gave the reason below */
	enum sstp_err sstp_reason;
	int http_status; /* the HTTP status sent or received, or 0 */
};

/*
 * Start on a connected socket (the tunnel owns fd from here and closes it
 * in tunnel_fini).  The TLS handshake starts at once.  Server: cfg->sstp
 * must carry the hashes of the certificate ctx presents.  Client: host is
 * checked against the certificate and sent as SNI and HTTP Host.  false
 * with the reason in err when it cannot start (fd closed then too).
 */
bool tunnel_start(struct tunnel *t, struct io_loop *loop, SSL_CTX *ctx, int fd,
    const struct tunnel_config *cfg, const struct tunnel_ops *ops, void *arg,
    char *err, size_t errlen);
void tunnel_fini(struct tunnel *t);

/*
 * Send a datagram (version 4 or 6) to the peer through the tunnel:
 * false if dropped (not connected, its NCP not opened, output full).
 */
bool tunnel_send(struct tunnel *t, int version, const uint8_t *pkt, size_t len);
/*
 * Is there room for another datagram?  When not, ops->drained is called
 * once there is, for a reader that would rather wait than drop.  Neither
 * program waits: a TUN left unread queues its 500 packets in the kernel,
 * a delay in front of every packet, where a drop at the bound tells the
 * inner TCP at once.
 */
bool tunnel_can_send(struct tunnel *t);
/* End the tunnel cleanly: PPP Terminate, SSTP Call Disconnect. */
void tunnel_close(struct tunnel *t, const char *reason);
/*
 * Where the set-up stands, for a log line: "tls", "http", "sstp" (the
 * Call Connect Request awaited), "lcp", "authentication", "binding" (the
 * Call Connected awaited), "up" (PPP in its Network phase and the call
 * connected, binding verified where required), or "closing".
 */
const char *tunnel_setup_phase(const struct tunnel *t);
/*
 * The owner's limit on the whole set-up passed: end the tunnel as the
 * timer of the phase it is stuck in would (TLS: close; HTTP: 408; later:
 * Call Abort, NEGOTIATION_TIMEOUT).  reason is the owner's sentence.
 */
void tunnel_setup_timeout(struct tunnel *t, const char *reason);
/* The PPP authenticator's backend answered (server). */
struct ppp_auth *tunnel_auth(struct tunnel *t);
void tunnel_password_result(struct tunnel *t, bool ok);
void tunnel_secret(struct tunnel *t, enum ppp_secret_kind kind,
    const void *secret, size_t len);

bool tunnel_is_connected(const struct tunnel *t);
/* "mschapv2", "eap-mschapv2", ... for logs. */
const char *tunnel_auth_name(const struct ppp_auth_result *res);
const char *tunnel_tls_describe(const struct tunnel *t, char *buf, size_t len);

#endif

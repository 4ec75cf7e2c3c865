/*
 * In-memory peers for the SSTP connection tests: each records what it
 * sent, the events it raised and the control messages it wrote; pump()
 * carries bytes between two of them until both are quiet.
 */
#ifndef OPENSSTP_TEST_CONN_HARNESS_H
#define OPENSSTP_TEST_CONN_HARNESS_H

#include "sstp/sstp_conn.h"

#define PEER_MAX_EVENTS 64
#define PEER_MAX_SENT	64

struct peer_event {
	enum sstp_event_type type;
	enum sstp_err reason;
	bool has_status;
	uint32_t status;
	int http_status;
	size_t len;
	uint8_t frame[64];
};

struct peer {
	struct sstp_conn conn;
	struct sstp_conn_config cfg;
	uint64_t rng;
	size_t out_len; /* bytes sent, not yet delivered */
	uint8_t out[1 << 16];
	size_t out_total;
	int nev;
	struct peer_event ev[PEER_MAX_EVENTS];
	int nsent; /* control messages written */
	uint16_t sent_type[PEER_MAX_SENT];
	uint16_t sent_nattrs[PEER_MAX_SENT];
	uint32_t sent_status[PEER_MAX_SENT]; /* first Status Info, or ~0 */
	bool frame_echo; /* answer every PPP frame with the same frame */
	/* What a PPP going down does (tunnel.c): ask for a Disconnect. */
	bool disconnect_on_lower_down;
	const uint8_t *fixed_random; /* if set, "random" bytes come from here */
};

extern const uint8_t test_cert_der[5];
extern const uint8_t test_hlak[SSTP_HLAK_LEN];

/* Default config for role with short timers and the test certificate. */
void peer_config(struct peer *p, enum sstp_role role);
/* sstp_conn_init with p->cfg (edit p->cfg between the two calls). */
void peer_init(struct peer *p);
/* peer_config + peer_init + sstp_conn_start. */
void peer_setup(struct peer *p, enum sstp_role role, uint64_t now);
/* Carry bytes both ways until neither has anything to send. */
void pump(struct peer *a, struct peer *b, uint64_t now);
/* Deliver what a sent to b, once. */
void deliver(struct peer *a, struct peer *b, uint64_t now);
/* Forget what p sent, undelivered. */
void drop_output(struct peer *p);
/* Tick both at now, then pump. */
void tick_both(struct peer *a, struct peer *b, uint64_t now);

/* The last event of a type, or NULL. */
const struct peer_event *peer_event(
    const struct peer *p, enum sstp_event_type type);
int peer_count(const struct peer *p, enum sstp_event_type type);
/* The last control message of a type p wrote, its index or -1. */
int peer_sent(const struct peer *p, uint16_t type);

/* Client and server brought to Connected with test_hlak. */
void connect_pair(struct peer *cl, struct peer *sv, uint64_t now);

#endif

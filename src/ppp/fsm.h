/*
 * The RFC 1661 option negotiation automaton (spec/ppp.md 1), generic: LCP,
 * IPCP and IPv6CP each embed a struct fsm and plug in through a table of
 * callbacks (pppd fsm.c, npppd fsm.c).  One function per RFC event, a
 * switch on the state inside.  Pure: no clock; the caller passes the time
 * to every entry point and calls fsm_tick() at fsm_deadline().
 *
 * Packets handed in and out are the control packet itself, Code Id
 * Length Data, without the PPP protocol field: the protocol adds it.
 */
#ifndef OPENSSTP_PPP_FSM_H
#define OPENSSTP_PPP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/wr.h"

#define FSM_NO_DEADLINE UINT64_MAX
/* Largest control packet we build: our MRU floor is 1500. */
#define FSM_MAX_PACKET 1500

enum fsm_state {
	FSM_INITIAL = 0,
	FSM_STARTING = 1,
	FSM_CLOSED = 2,
	FSM_STOPPED = 3,
	FSM_CLOSING = 4,
	FSM_STOPPING = 5,
	FSM_REQSENT = 6,
	FSM_ACKRCVD = 7,
	FSM_ACKSENT = 8,
	FSM_OPENED = 9,
};

/* Codes shared by LCP, IPCP and IPv6CP (RFC 1661 5). */
enum fsm_code {
	FSM_CONFREQ = 1,
	FSM_CONFACK = 2,
	FSM_CONFNAK = 3,
	FSM_CONFREJ = 4,
	FSM_TERMREQ = 5,
	FSM_TERMACK = 6,
	FSM_CODEREJ = 7,
};

struct fsm;

struct fsm_callbacks {
	/* Write our Configure-Request options (RFC 1661 5.1). */
	void (*build_request)(struct fsm *f, struct wr *w);
	/*
	 * The peer's Configure-Ack/Nak/Reject of our last request (the Id
	 * already matched).  Return false if the packet is invalid (an Ack
	 * that is not an exact copy, a Reject of options we did not send):
	 * the automaton then discards it silently (trap 1, 3).  Nak and
	 * Reject adjust what the next build_request writes.
	 */
	bool (*recv_ack)(struct fsm *f, const uint8_t *opts, size_t len);
	bool (*recv_nak)(struct fsm *f, const uint8_t *opts, size_t len);
	bool (*recv_reject)(struct fsm *f, const uint8_t *opts, size_t len);
	/*
	 * The peer's Configure-Request (spec/ppp.md 1.10).  Return
	 * FSM_CONFACK (the automaton copies the options itself),
	 * FSM_CONFNAK or FSM_CONFREJ after writing the reply's options into
	 * reply, or 0 to discard a malformed request silently.  When
	 * reject_naks is set (Max-Failure Naks sent in a row), options that
	 * would be Nak'd must be Rejected instead.
	 */
	int (*recv_request)(struct fsm *f, const uint8_t *opts, size_t len,
	    bool reject_naks, struct wr *reply);
	/* This-Layer-Up / -Down / -Started / -Finished (RFC 1661 4.4). */
	void (*up)(struct fsm *f);
	void (*down)(struct fsm *f);
	void (*started)(struct fsm *f);
	void (*finished)(struct fsm *f);
	/*
	 * A packet with a code above 7 (LCP: Echo, Discard, Identification,
	 * Protocol-Reject...).  Return true if the protocol handled it, false
	 * to have the automaton send a Code-Reject (RUC).  May be NULL.
	 */
	bool (*extcode)(struct fsm *f, uint8_t code, uint8_t id,
	    const uint8_t *data, size_t len);
	/*
	 * A Code-Reject of one of our codes: true if it was optional (RXJ+,
	 * e.g. Echo, Identification), false if fatal (RXJ-).  NULL: codes
	 * 1..7 are fatal, the others tolerable (trap 7).
	 */
	bool (*code_rejected)(struct fsm *f, uint8_t code);
	/* Transmit a control packet (Code Id Length Data). */
	void (*send)(struct fsm *f, const uint8_t *pkt, size_t len);
};

struct fsm_config {
	uint32_t restart_ms; /* Restart timer: 3000 */
	unsigned max_configure; /* Configure-Requests before TO-: 10 */
	unsigned max_terminate; /* Terminate-Requests before TO-: 2 */
	unsigned max_failure; /* Naks in a row before Rejecting: 5 */
	bool passive; /* TO- in 6/7/8: wait in Stopped */
};

void fsm_config_default(struct fsm_config *cfg);

struct fsm {
	const struct fsm_callbacks *cb;
	void *arg; /* the protocol's own state */
	struct fsm_config cfg;
	enum fsm_state state;
	uint8_t id; /* next Identifier to use */
	uint8_t req_id; /* Identifier of our last Configure-Request */
	bool req_answered; /* an Ack/Nak/Reject of it was taken */
	uint8_t term_id; /* Identifier of our last Terminate-Request */
	unsigned restart_count;
	unsigned naks_sent; /* Configure-Naks sent since our last Ack */
	uint64_t deadline; /* restart timer, FSM_NO_DEADLINE when off */
	uint64_t now; /* time of the current entry point */
};

void fsm_init(struct fsm *f, const struct fsm_callbacks *cb,
    const struct fsm_config *cfg, void *arg);

/* Administrative and lower-layer events (RFC 1661 4.1). */
void fsm_up(struct fsm *f, uint64_t now);
void fsm_down(struct fsm *f, uint64_t now);
void fsm_open(struct fsm *f, uint64_t now);
void fsm_close(struct fsm *f, uint64_t now);

/* A received control packet; malformed ones are discarded silently. */
void fsm_input(struct fsm *f, const uint8_t *pkt, size_t len, uint64_t now);

/* The restart timer: call when now >= fsm_deadline(). */
void fsm_tick(struct fsm *f, uint64_t now);
uint64_t fsm_deadline(const struct fsm *f);

/*
 * The peer Protocol-Rejected this protocol: RXJ- for LCP itself; an NCP
 * treats it like a Close that needs no Terminate exchange (spec/ppp.md
 * 1.6): the caller decides which by calling this or fsm_close.
 */
void fsm_rxj_minus(struct fsm *f, uint64_t now);

/*
 * Our Configure-Request options as build_request writes them now; they
 * change only on a Nak or Reject, so this is what the last request
 * carried.  Into buf[cap]; returns the length.
 */
size_t fsm_request_options(struct fsm *f, uint8_t *buf, size_t cap);
/* spec/ppp.md 1.8: does an Ack list exactly our options? */
bool fsm_ack_matches(struct fsm *f, const uint8_t *opts, size_t len);

/* A new Identifier from this protocol's counter (Echo, Protocol-Reject). */
uint8_t fsm_next_id(struct fsm *f);
/* Send Code Id Length Data built from the parts. */
void fsm_send_packet(
    struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);

bool fsm_is_opened(const struct fsm *f);
const char *fsm_state_name(enum fsm_state state);

#endif

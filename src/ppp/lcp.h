/*
 * LCP (RFC 1661, spec/ppp.md 1-2) over the generic automaton: MRU, ACCM,
 * Authentication-Protocol, Magic-Number with loopback detection; a clean
 * Reject of everything else (PFC, ACFC, callback, MRRU, endpoint
 * discriminator...), so that a Windows peer asking for them comes up;
 * Echo keepalive, Protocol-Reject and Code-Reject.
 */
#ifndef OPENSSTP_PPP_LCP_H
#define OPENSSTP_PPP_LCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/fsm.h"
#include "ppp/ppp_err.h"

/* LCP option types (RFC 1661 6, RFC 1570, RFC 1990). */
enum lcp_opt {
	LCP_OPT_MRU = 1,
	LCP_OPT_ACCM = 2,
	LCP_OPT_AUTH = 3,
	LCP_OPT_QUALITY = 4,
	LCP_OPT_MAGIC = 5,
	LCP_OPT_PFC = 7,
	LCP_OPT_ACFC = 8,
	LCP_OPT_FCS_ALT = 9,
	LCP_OPT_CALLBACK = 13,
	LCP_OPT_MRRU = 17,
	LCP_OPT_SSN = 18,
	LCP_OPT_ENDPOINT = 19,
	LCP_OPT_LINK_DISC = 23,
};

/* LCP codes above the automaton's seven (RFC 1661 5.7-5.9, RFC 1570). */
enum lcp_code {
	LCP_PROTREJ = 8,
	LCP_ECHOREQ = 9,
	LCP_ECHOREP = 10,
	LCP_DISCREQ = 11,
	LCP_IDENT = 12,
	LCP_TIMEREM = 13,
};

/* Authentication methods (enum tags share struct ppp_auth's namespace). */
enum ppp_auth_method {
	PPP_AUTH_NONE = 0,
	PPP_AUTH_PAP,
	PPP_AUTH_CHAP_MD5,
	PPP_AUTH_MSCHAPV2,
	PPP_AUTH_EAP,
};

#define LCP_MRU_MIN	576
#define LCP_MRU_MAX	4091 /* trap 16: one SSTP packet */
#define LCP_MRU_DEFAULT 1500
#define LCP_MAX_AUTH	4

struct lcp_config {
	struct fsm_config fsm;
	uint16_t mru; /* requested: 1500 */
	bool magic; /* negotiate a magic number: yes */
	/* Authenticator: methods to ask for, most preferred first. */
	enum ppp_auth_method require[LCP_MAX_AUTH];
	size_t nrequire;
	/* Peer: methods we will authenticate with, most preferred first
	 * (none: we Reject the option, i.e. refuse to authenticate). */
	enum ppp_auth_method accept[LCP_MAX_AUTH];
	size_t naccept;
	uint32_t echo_interval_ms; /* 0: no keepalive; 30 s */
	unsigned echo_failures; /* unanswered before down: 4 */
	unsigned loopback_fail; /* looped magics before down: 10 */
};

void lcp_config_default(struct lcp_config *cfg);

struct lcp;

struct lcp_ops {
	/* Send an LCP packet (Code Id Length Data). */
	void (*send)(void *arg, const uint8_t *pkt, size_t len);
	void (*up)(void *arg); /* Opened: start authentication */
	void (*down)(void *arg); /* left Opened */
	/* Finished: the link is over, for reason. */
	void (*finished)(void *arg, enum ppp_err reason);
	/* The peer Protocol-Rejected proto (an NCP, a data protocol). */
	void (*protocol_rejected)(void *arg, uint16_t proto);
	bool (*random)(void *arg, void *buf, size_t len);
};

struct lcp {
	struct fsm fsm;
	const struct lcp_config *cfg;
	const struct lcp_ops *ops;
	void *arg;
	/* What we ask for. */
	uint16_t want_mru;
	uint32_t magic; /* ours, 0 when not negotiated */
	bool mru_rejected;
	bool magic_rejected;
	size_t auth_idx; /* authenticator: require[auth_idx] asked */
	bool auth_naked; /* peer: we Naked the method asked for */
	/* What was agreed. */
	uint16_t peer_mru; /* the most we may send */
	uint32_t peer_magic;
	uint32_t peer_accm;
	enum ppp_auth_method auth; /* the method negotiated, either role */
	unsigned loops; /* looped-back magics seen */
	enum ppp_err reason; /* why the link ends */
	bool close_pending; /* close once the automaton is done */
	/* Keepalive. */
	uint64_t echo_deadline;
	unsigned echo_pending;
	bool echo_rejected;
};

void lcp_init(struct lcp *l, const struct lcp_config *cfg,
    const struct lcp_ops *ops, void *arg);
/* The lower layer (SSTP) is up / down; open / close administratively. */
void lcp_lower_up(struct lcp *l, uint64_t now);
void lcp_lower_down(struct lcp *l, uint64_t now);
void lcp_open(struct lcp *l, uint64_t now);
void lcp_close(struct lcp *l, enum ppp_err reason, uint64_t now);
void lcp_input(struct lcp *l, const uint8_t *pkt, size_t len, uint64_t now);
void lcp_tick(struct lcp *l, uint64_t now);
uint64_t lcp_deadline(const struct lcp *l);
/* Protocol-Reject a received frame of an unknown protocol (Opened only:
 * RFC 1661 5.7); info is the frame's information field. */
void lcp_protocol_reject(
    struct lcp *l, uint16_t proto, const uint8_t *info, size_t len);
bool lcp_is_opened(const struct lcp *l);

/* The Authentication-Protocol option value of a method, and back. */
size_t lcp_auth_encode(enum ppp_auth_method m, uint8_t out[3]);
enum ppp_auth_method lcp_auth_decode(const uint8_t *val, size_t len);
const char *ppp_auth_name(enum ppp_auth_method m);

#endif

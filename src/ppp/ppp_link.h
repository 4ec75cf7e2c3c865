/*
 * A whole PPP link, either role: LCP, the Authenticate phase, IPCP and
 * IPv6CP, and the phases of RFC 1661 3.2 with the rule of which protocols
 * may pass in which (spec/ppp.md 1.6).  Pure: frames and time in, frames
 * and events out.  Frames are PPP frames as SSTP carries them (FF 03,
 * protocol, information); the caller frames them for SSTP or HDLC.
 */
#ifndef OPENSSTP_PPP_LINK_H
#define OPENSSTP_PPP_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/auth.h"
#include "ppp/ipcp.h"
#include "ppp/ipv6cp.h"
#include "ppp/lcp.h"
#include "ppp/ppp_err.h"

enum ppp_phase {
	PPP_PHASE_DEAD,
	PPP_PHASE_ESTABLISH,
	PPP_PHASE_AUTHENTICATE,
	PPP_PHASE_NETWORK,
	PPP_PHASE_TERMINATE,
};

struct ppp_link_config {
	enum ppp_role role;
	struct lcp_config lcp;
	struct ppp_auth_config auth;
	bool ipv4; /* run IPCP: yes */
	bool ipv6; /* run IPv6CP: yes; else Protocol-Reject it */
	struct ipcp_config ipcp;
	struct ipv6cp_config ipv6cp;
};

/* Defaults for role; the caller fills credentials, backend, crypto. */
void ppp_link_config_default(struct ppp_link_config *cfg, enum ppp_role role);

struct ppp_ipv4_info {
	uint32_t local, peer; /* host byte order */
	uint32_t dns[2]; /* client: what the server gave */
	uint32_t nbns[2];
};

struct ppp_ipv6_info {
	uint8_t local_iid[IPV6CP_IID_LEN];
	uint8_t peer_iid[IPV6CP_IID_LEN];
};

struct ppp_counters {
	uint64_t frames_in, frames_out;
	uint64_t bytes_in, bytes_out;
	uint64_t data_in, data_out; /* IPv4 and IPv6 datagrams */
	uint64_t discarded; /* not allowed in this phase, malformed */
	uint64_t rejected; /* Protocol-Rejected */
};

struct ppp_link_ops {
	/* A PPP frame to send (FF 03 + protocol + information). */
	void (*send)(void *arg, const uint8_t *frame, size_t len);
	/*
	 * Authentication is over (trap 15): on success the HLAK goes to
	 * SSTP now, before any NCP; the server sends its Success after.
	 */
	void (*auth_done)(void *arg, const struct ppp_auth_result *res);
	void (*ipv4_up)(void *arg, const struct ppp_ipv4_info *info);
	void (*ipv4_down)(void *arg);
	void (*ipv6_up)(void *arg, const struct ppp_ipv6_info *info);
	void (*ipv6_down)(void *arg);
	/* An IPv4 (0x0021) or IPv6 (0x0057) datagram arrived. */
	void (*datagram)(
	    void *arg, uint16_t protocol, const uint8_t *pkt, size_t len);
	/* The link is over: close the SSTP call. */
	void (*down)(void *arg, enum ppp_err reason);
	bool (*random)(void *arg, void *buf, size_t len);
	/* Server: an IPv4 address for the peer; false when none is left. */
	bool (*alloc_ipv4)(void *arg, uint32_t *addr);
	/* Server: an interface identifier to suggest; NULL: random. */
	void (*suggest_iid)(void *arg, const uint8_t avoid[IPV6CP_IID_LEN],
	    uint8_t out[IPV6CP_IID_LEN]);
};

struct ppp_link {
	struct ppp_link_config cfg;
	const struct ppp_link_ops *ops;
	void *arg;
	enum ppp_phase phase;
	struct lcp lcp;
	struct ppp_auth *auth;
	struct ipcp ipcp;
	struct ipv6cp ipv6cp;
	struct ppp_counters counters;
	enum ppp_err reason;
	bool down_reported;
	bool ncps_pending; /* start the NCPs once the Success is out */
	uint64_t now;
};

/* PPP_E_CRYPTO if the authentication state cannot be allocated. */
enum ppp_err ppp_link_init(struct ppp_link *l,
    const struct ppp_link_config *cfg, const struct ppp_link_ops *ops,
    void *arg);
void ppp_link_fini(struct ppp_link *l);

/*
 * The authenticator's login is over: free its state, a kilobyte and a
 * half that every idle session would otherwise keep.  Only once an NCP
 * has opened, which the peer starts after our Success: a late
 * retransmission of the exchange, discarded from then on instead of
 * answered again, needs no answer.  A renegotiated link authenticates
 * again with new state.  No-op for the peer, and before that.  Call it
 * from outside the link's callbacks (the auth code may be on the stack
 * in them).
 */
void ppp_link_release_auth(struct ppp_link *l);

/* SSTP says PPP may start (SSTP_EV_LOWER_UP), or the call ended. */
void ppp_link_lower_up(struct ppp_link *l, uint64_t now);
void ppp_link_lower_down(struct ppp_link *l, uint64_t now);
/* A frame from the peer. */
void ppp_link_input(
    struct ppp_link *l, const uint8_t *frame, size_t len, uint64_t now);
/*
 * Send an IPv4 or IPv6 datagram: PPP_E_STATE unless its NCP is Opened.
 * The frame header is written into hdr[PPP_HDR_LEN] for the caller to
 * send in front of pkt, so the datagram is not copied here.
 */
enum ppp_err ppp_link_datagram_header(
    struct ppp_link *l, uint16_t protocol, uint8_t hdr[4]);
/*
 * The backend's answers, for the authenticator: ppp_auth_password_result
 * and ppp_auth_secret on l->auth, then the NCPs start if it succeeded.
 */
void ppp_link_password_result(struct ppp_link *l, bool ok, uint64_t now);
void ppp_link_secret(struct ppp_link *l, enum ppp_secret_kind kind,
    const void *secret, size_t len, uint64_t now);
/* Close the link (LCP Terminate). */
void ppp_link_close(struct ppp_link *l, enum ppp_err reason, uint64_t now);
void ppp_link_tick(struct ppp_link *l, uint64_t now);
uint64_t ppp_link_deadline(const struct ppp_link *l);
const char *ppp_phase_name(enum ppp_phase phase);

#endif

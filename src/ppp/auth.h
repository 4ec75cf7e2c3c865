/*
 * The Authenticate phase, both roles (spec/ppp.md 3-7): PAP, CHAP-MD5,
 * MS-CHAPv2, and EAP with Identity, Nak, MD5-Challenge and EAP-MSCHAPv2.
 * One struct ppp_auth runs the method LCP negotiated.  The authenticator
 * asks a pluggable backend, which may answer at once or later (a RADIUS
 * round trip): retransmissions of the same Response while it thinks start
 * nothing new (trap 9).  On success the 32-byte SSTP HLAK is handed out
 * with the result (spec/sstp.md 4.4): zeros for PAP, CHAP-MD5, EAP-MD5.
 * Pure: no clock, no I/O; the caller passes the time and calls
 * ppp_auth_tick() at ppp_auth_deadline().
 */
#ifndef OPENSSTP_PPP_AUTH_H
#define OPENSSTP_PPP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/lcp.h"
#include "ppp/mschap.h"
#include "ppp/ppp_crypto.h"
#include "ppp/ppp_err.h"

#define PPP_AUTH_NAME_MAX    255
#define PPP_AUTH_NO_DEADLINE UINT64_MAX

struct ppp_auth;

/*
 * The authenticator's source of truth.  Each call is answered with
 * ppp_auth_password_result() or ppp_auth_secret(), before returning or
 * later; user is the name as the peer sent it (DOMAIN\ included).
 */
struct ppp_auth_backend {
	/* PAP: is this the password of user? */
	void (*check_password)(void *arg, struct ppp_auth *a, const char *user,
	    const char *password);
	/*
	 * CHAP-MD5 and EAP-MD5 need the cleartext password, MS-CHAPv2 and
	 * EAP-MSCHAPv2 the NT hash or the cleartext (it is hashed here).
	 */
	void (*get_secret)(void *arg, struct ppp_auth *a, const char *user,
	    enum ppp_auth_method method);
};

/* What a backend answers with for get_secret. */
enum ppp_secret_kind {
	PPP_SECRET_NONE, /* unknown user */
	PPP_SECRET_PASSWORD, /* cleartext, UTF-8 */
	PPP_SECRET_NT_HASH, /* 16 bytes: MS-CHAPv2 only */
};

struct ppp_auth_config {
	enum ppp_role role;
	uint32_t restart_ms; /* retransmission: 3000 */
	unsigned max_requests; /* transmissions before giving up: 10 */
	uint32_t peer_wait_ms; /* peer: wait for the verdict: 60000 */
	uint32_t auth_wait_ms; /* authenticator: wait for PAP: 30000 */
	/* Peer: our credentials. */
	const char *user;
	const char *password;
	/* Peer, EAP: the types we Nak with, most preferred first. */
	enum ppp_auth_method eap_accept[2];
	size_t neap_accept;
	/* Authenticator: our name in challenges; the backend. */
	const char *name;
	/* Authenticator, EAP: the inner methods to offer, in order. */
	enum ppp_auth_method eap_offer[2];
	size_t neap_offer;
	const struct ppp_auth_backend *backend;
	void *backend_arg;
	struct ppp_crypto *crypto;
};

void ppp_auth_config_default(struct ppp_auth_config *cfg, enum ppp_role role);

struct ppp_auth_result {
	bool ok;
	enum ppp_err reason; /* when !ok */
	enum ppp_auth_method method; /* LCP's method (PPP_AUTH_EAP for EAP) */
	enum ppp_auth_method inner; /* EAP: MD5 or MS-CHAPv2 */
	const char *user; /* the peer's name as it sent it */
	uint8_t hlak[PPP_HLAK_LEN]; /* spec/sstp.md 4.4 */
	int mschap_error; /* peer: E= of a Failure, or 0 */
};

struct ppp_auth_ops {
	/* Send a packet of protocol (PAP, CHAP, EAP): Code Id Length Data. */
	void (*send)(
	    void *arg, uint16_t protocol, const uint8_t *pkt, size_t len);
	/*
	 * The phase is over.  The authenticator calls it before sending
	 * its Success, so the link enters the Network phase first (trap 14).
	 */
	void (*done)(void *arg, const struct ppp_auth_result *res);
};

/* Opaque in spirit; defined in auth_local.h for the method files. */
struct ppp_auth *ppp_auth_new(const struct ppp_auth_config *cfg,
    const struct ppp_auth_ops *ops, void *arg);
void ppp_auth_free(struct ppp_auth *a);

/* LCP opened with this method: start (the peer of PAP sends first). */
void ppp_auth_start(
    struct ppp_auth *a, enum ppp_auth_method method, uint64_t now);
/* A packet of PAP, CHAP or EAP; others and the wrong method: discarded. */
void ppp_auth_input(struct ppp_auth *a, uint16_t protocol, const uint8_t *pkt,
    size_t len, uint64_t now);
void ppp_auth_tick(struct ppp_auth *a, uint64_t now);
uint64_t ppp_auth_deadline(const struct ppp_auth *a);
/*
 * Peer: the authenticator's NCP traffic arrived while we wait for the end
 * of EAP: an alternative Success indication (RFC 3748 4.2) if our side of
 * the method is complete.  Nothing for the other methods.
 */
void ppp_auth_lower_success(struct ppp_auth *a, uint64_t now);
/* The link went down: stop, forget secrets. */
void ppp_auth_stop(struct ppp_auth *a);
/* Peer: our credentials are out and no verdict has come back yet. */
bool ppp_auth_awaiting_verdict(const struct ppp_auth *a);

/* Backend answers (authenticator). */
void ppp_auth_password_result(struct ppp_auth *a, bool ok, uint64_t now);
void ppp_auth_secret(struct ppp_auth *a, enum ppp_secret_kind kind,
    const void *secret, size_t len, uint64_t now);

#endif

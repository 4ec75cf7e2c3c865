/*
 * The inside of struct ppp_auth and what auth.c shares with the method
 * files auth_pap.c, auth_chap.c (CHAP-MD5 and MS-CHAPv2) and auth_eap.c.
 * auth.c owns the lifecycle, the timer, the kept packet and the backend
 * bookkeeping; each method file owns its packets and its steps.
 */
#ifndef OPENSSTP_PPP_AUTH_LOCAL_H
#define OPENSSTP_PPP_AUTH_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"
#include "base/wr.h"
#include "ppp/auth.h"
#include "ppp/chap_packet.h"

/* PAP's largest Request: 4 + 1 + 255 + 1 + 255; CHAP and EAP are less. */
#define AUTH_PKT_MAX 520
/* spec/ppp.md 5.2: 256 UTF-16 characters, up to 4 UTF-8 bytes each. */
#define AUTH_PASSWORD_MAX 1024

enum auth_phase {
	AUTH_IDLE, /* not started, or stopped: everything is discarded */
	AUTH_RUN, /* the method is running */
	AUTH_DONE, /* done() was called; the authenticator still repeats
		      its verdict to duplicates (spec/ppp.md 3, 4) */
};

/* Which backend answer we wait for (trap 9: one at a time). */
enum auth_wait {
	AUTH_WAIT_NONE,
	AUTH_WAIT_PASSWORD, /* check_password */
	AUTH_WAIT_SECRET, /* get_secret */
};

struct ppp_auth {
	struct ppp_auth_config cfg; /* strings point at our copies below */
	const struct ppp_auth_ops *ops;
	void *arg;
	char *user; /* peer: our name */
	char *password; /* peer: cleansed before free */
	char *name; /* authenticator: our name in challenges */

	enum ppp_auth_method method;
	enum ppp_auth_method inner; /* EAP: the method running inside */
	enum auth_phase phase;
	int step; /* the method file's own sub-state */
	/* Bumped by start and stop: a callback that stopped us is seen. */
	uint32_t epoch;
	uint64_t deadline;
	unsigned ntx; /* transmissions of the current Request */
	uint8_t id; /* the Id of the exchange in progress */
	enum auth_wait wait;

	/* The last packet sent, to retransmit or to repeat (no secrets). */
	uint16_t tx_proto;
	size_t tx_len;
	uint8_t tx[AUTH_PKT_MAX];

	/* Authenticator: the peer's name, as sent (trap 11). */
	char peer_name[PPP_AUTH_NAME_MAX + 1];
	/* EAP-MSCHAPv2: the Name of the Response, for the ChallengeHash. */
	char ms_name[PPP_AUTH_NAME_MAX + 1];

	/* CHAP and EAP state of both roles. */
	uint8_t chal[CHAP_MS_CHALLENGE_LEN]; /* the authenticator's */
	uint8_t peer_chal[CHAP_MS_CHALLENGE_LEN];
	uint8_t nt_resp[CHAP_MS_NT_RESPONSE_LEN];
	uint8_t md5[CHAP_MD5_VALUE_LEN]; /* authenticator: the peer's */
	uint8_t ms_id; /* EAP-MSCHAPv2 MS-CHAPv2-ID */
	bool have_hash;
	uint8_t hash[MSCHAP_HASH_LEN]; /* peer: NtPasswordHash; secret */
	char auth_resp[MSCHAP_AUTH_RESP_LEN + 1]; /* "S=..." */
	bool have_resp; /* peer: tx answers the Request with Id id */
	bool naked; /* EAP: a Nak was sent or received */
	uint8_t req_type; /* peer, EAP: the Type of the Request answered */
	/*
	 * Peer: an earlier EAP run on this link ended at our Nak (the
	 * server's EAP had no type we do) and the server went on with
	 * another method.  Kept across start and stop, for the link's life.
	 */
	bool eap_gave_up;
	enum ppp_err fail_reason; /* EAP authenticator, after a Failure */
	int mschap_error;
	uint8_t hlak[PPP_HLAK_LEN]; /* until done() hands it out */

	struct ppp_auth_result result;
};

/* auth_eap.c: the peer's EAP run stopped at its Nak (nothing in common). */
bool auth_eap_peer_naked(const struct ppp_auth *a);

/* auth.c: the helpers every method uses. */
bool auth_random(struct ppp_auth *a, void *buf, size_t len);
void auth_arm(struct ppp_auth *a, uint64_t now, uint32_t ms);
/* Send w's packet; keep a copy to retransmit or repeat when keep. */
void auth_send(
    struct ppp_auth *a, uint16_t protocol, const struct wr *w, bool keep);
void auth_resend(struct ppp_auth *a);
/*
 * The authenticator's Request timer fired: resend the kept packet, or
 * only count while the backend thinks (trap 9); false when max_requests
 * transmissions are spent.
 */
bool auth_retransmit(struct ppp_auth *a, uint64_t now);
/*
 * End the phase: hand the result to done() and forget the secrets.
 * False if done() stopped or restarted us: the caller must then leave a
 * alone (no Success after it).
 */
bool auth_finish(struct ppp_auth *a, bool ok, enum ppp_err reason);
/* Copy a name from the wire: false if over 255 bytes or with a NUL. */
bool auth_name_copy(
    char dst[PPP_AUTH_NAME_MAX + 1], const uint8_t *p, size_t len);
/* Ask the backend; the answer may come before this returns. */
void auth_ask_password(struct ppp_auth *a, const char *password);
void auth_ask_secret(struct ppp_auth *a, enum ppp_auth_method method);

/* auth_pap.c */
void auth_pap_start(struct ppp_auth *a, uint64_t now);
void auth_pap_input(struct ppp_auth *a, struct rd *r, uint64_t now);
void auth_pap_tick(struct ppp_auth *a, uint64_t now);
void auth_pap_verdict(struct ppp_auth *a, bool ok, uint64_t now);

/* auth_chap.c */
void auth_chap_start(struct ppp_auth *a, uint64_t now);
void auth_chap_input(struct ppp_auth *a, struct rd *r, uint64_t now);
void auth_chap_tick(struct ppp_auth *a, uint64_t now);
void auth_chap_secret(struct ppp_auth *a, enum ppp_secret_kind kind,
    const void *secret, size_t len, uint64_t now);

/*
 * auth_chap.c, shared with EAP.  Authenticator: check the kept MD5 value
 * or MS-CHAPv2 Response against the backend's secret: PPP_OK on a match,
 * PPP_E_AUTH_FAILED otherwise, PPP_E_CRYPTO.  On an MS-CHAPv2 match
 * a->auth_resp holds the "S=" text and a->hlak the key (the MSK's first
 * 32 bytes when eap).
 */
enum ppp_err auth_md5_check(struct ppp_auth *a, uint8_t id,
    enum ppp_secret_kind kind, const void *secret, size_t len);
enum ppp_err auth_ms_check(struct ppp_auth *a, const char *user,
    enum ppp_secret_kind kind, const void *secret, size_t len, bool eap);
/* "S=<40 hex> M=Access granted" from a->auth_resp. */
enum ppp_err auth_ms_success_text(struct ppp_auth *a, struct wr *w);
/* "E=<error> R=0 C=<fresh> V=3 M=<msg>" (never E=648: trap 10). */
enum ppp_err auth_ms_failure_text(
    struct ppp_auth *a, struct wr *w, uint32_t error, const char *msg);
/*
 * Peer: answer the authenticator challenge auth_chal with a fresh
 * Peer-Challenge: a->peer_chal, a->nt_resp and the expected a->auth_resp.
 */
enum ppp_err auth_ms_respond(
    struct ppp_auth *a, const uint8_t auth_chal[CHAP_MS_CHALLENGE_LEN]);
/* Peer: is text a Success message with the authenticator response we
 * expect?  If so a->hlak is the key (the MSK's first 32 bytes when eap). */
bool auth_ms_success_ok(
    struct ppp_auth *a, const uint8_t *text, size_t len, bool eap);
/* Peer: the E= of a Failure message, 0 if none. */
int auth_ms_failure_error(const uint8_t *text, size_t len);

/* auth_eap.c */
void auth_eap_start(struct ppp_auth *a, uint64_t now);
void auth_eap_input(struct ppp_auth *a, struct rd *r, uint64_t now);
void auth_eap_tick(struct ppp_auth *a, uint64_t now);
void auth_eap_lower_success(struct ppp_auth *a);
void auth_eap_secret(struct ppp_auth *a, enum ppp_secret_kind kind,
    const void *secret, size_t len, uint64_t now);

#endif

/*
 * MS-CHAPv2 (RFC 2759) and its MPPE master keys (RFC 3079), and from them
 * the 32-byte SSTP HLAK: src/ppp is the one owner of that key order
 * (DESIGN.md, spec/sstp.md 4.4, spec/ppp.md 6.4).  CHAP-MD5 (RFC 1994)
 * too.  Pure functions over ppp_crypto; secrets are cleansed after use.
 */
#ifndef OPENSSTP_PPP_MSCHAP_H
#define OPENSSTP_PPP_MSCHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/ppp_crypto.h"
#include "ppp/ppp_err.h"

#define MSCHAP_CHALLENGE_LEN   16
#define MSCHAP_NT_RESPONSE_LEN 24
#define MSCHAP_HASH_LEN	       16
#define MSCHAP_KEY_LEN	       16
#define MSCHAP_AUTH_RESP_LEN   42 /* "S=" + 40 upper-case hex digits */
#define PPP_HLAK_LEN	       32
#define MSCHAP_MSK_LEN	       64
#define CHAP_MD5_LEN	       16

enum ppp_role {
	PPP_ROLE_PEER, /* the client: authenticates itself */
	PPP_ROLE_AUTHENTICATOR, /* the server: checks the peer */
};

/*
 * spec/ppp.md trap 11: the part after the last backslash (DOMAIN\user);
 * user@realm is left alone.  Points into user.
 */
const char *mschap_strip_domain(const char *user);

/* NtPasswordHash: MD4 of the UTF-16LE password (from UTF-8; PPP_E_INVALID
 * if not valid UTF-8 or over 256 characters). */
enum ppp_err mschap_nt_password_hash(
    struct ppp_crypto *pc, const char *password, uint8_t hash[MSCHAP_HASH_LEN]);
/* HashNtPasswordHash: MD4 of the hash. */
enum ppp_err mschap_hash_nt_password_hash(struct ppp_crypto *pc,
    const uint8_t hash[MSCHAP_HASH_LEN], uint8_t out[MSCHAP_HASH_LEN]);
/* ChallengeHash: SHA1(peer || auth || user name without domain)[0..7]. */
enum ppp_err mschap_challenge_hash(struct ppp_crypto *pc,
    const uint8_t peer_chal[MSCHAP_CHALLENGE_LEN],
    const uint8_t auth_chal[MSCHAP_CHALLENGE_LEN], const char *user,
    uint8_t out[8]);
/* ChallengeResponse: three DES blocks of the 8-byte challenge. */
enum ppp_err mschap_challenge_response(struct ppp_crypto *pc,
    const uint8_t chal[8], const uint8_t hash[MSCHAP_HASH_LEN],
    uint8_t resp[MSCHAP_NT_RESPONSE_LEN]);
/* GenerateNTResponse from the password hash (user: full name). */
enum ppp_err mschap_nt_response(struct ppp_crypto *pc,
    const uint8_t auth_chal[MSCHAP_CHALLENGE_LEN],
    const uint8_t peer_chal[MSCHAP_CHALLENGE_LEN], const char *user,
    const uint8_t hash[MSCHAP_HASH_LEN], uint8_t resp[MSCHAP_NT_RESPONSE_LEN]);
/* GenerateAuthenticatorResponse: "S=" + 40 hex digits, NUL-terminated. */
enum ppp_err mschap_authenticator_response(struct ppp_crypto *pc,
    const uint8_t hash[MSCHAP_HASH_LEN],
    const uint8_t nt_resp[MSCHAP_NT_RESPONSE_LEN],
    const uint8_t peer_chal[MSCHAP_CHALLENGE_LEN],
    const uint8_t auth_chal[MSCHAP_CHALLENGE_LEN], const char *user,
    char out[MSCHAP_AUTH_RESP_LEN + 1]);
/* Client: does the server's 42 characters equal the expected (hex
 * case-insensitive, constant time)? */
bool mschap_authenticator_response_ok(
    const char *expected, const char *received, size_t received_len);

/* RFC 3079 3.4 GetMasterKey from PasswordHashHash and the NT-Response. */
enum ppp_err mschap_master_key(struct ppp_crypto *pc,
    const uint8_t hash_hash[MSCHAP_HASH_LEN],
    const uint8_t nt_resp[MSCHAP_NT_RESPONSE_LEN],
    uint8_t master[MSCHAP_KEY_LEN]);
/* RFC 3079 3.4 GetAsymmetricStartKey (128-bit). */
enum ppp_err mschap_start_key(struct ppp_crypto *pc,
    const uint8_t master[MSCHAP_KEY_LEN], bool is_send, bool is_server,
    uint8_t key[MSCHAP_KEY_LEN]);

/*
 * The SSTP HLAK for role after a successful MS-CHAPv2 exchange
 * (spec/ppp.md 6.4): client MasterSendKey || MasterReceiveKey, server
 * MasterReceiveKey || MasterSendKey, the same 32 bytes on both ends.
 */
enum ppp_err mschap_hlak(struct ppp_crypto *pc, enum ppp_role role,
    const uint8_t hash[MSCHAP_HASH_LEN],
    const uint8_t nt_resp[MSCHAP_NT_RESPONSE_LEN], uint8_t hlak[PPP_HLAK_LEN]);
/*
 * The same order from role's own MasterSendKey and MasterReceiveKey (e.g.
 * keys from RADIUS MS-MPPE-Send/Recv-Key, or sstp.md 4.8's vectors); the
 * one place that order lives.  PPP_E_INVALID for an unknown role.
 */
enum ppp_err mschap_hlak_from_keys(enum ppp_role role,
    const uint8_t send[MSCHAP_KEY_LEN], const uint8_t recv[MSCHAP_KEY_LEN],
    uint8_t hlak[PPP_HLAK_LEN]);
/* EAP-MSCHAPv2 MSK (spec/ppp.md 7.4): Magic2 key || Magic3 key || 32x00. */
enum ppp_err mschap_msk(struct ppp_crypto *pc,
    const uint8_t hash[MSCHAP_HASH_LEN],
    const uint8_t nt_resp[MSCHAP_NT_RESPONSE_LEN], uint8_t msk[MSCHAP_MSK_LEN]);

/* RFC 1994 CHAP-MD5 response: MD5(id || secret || challenge). */
enum ppp_err chap_md5_response(struct ppp_crypto *pc, uint8_t id,
    const uint8_t *secret, size_t secret_len, const uint8_t *chal,
    size_t chal_len, uint8_t out[CHAP_MD5_LEN]);

#endif

/*
 * Crypto binding (spec/sstp.md 4): the certificate hash, the Compound MAC
 * Key and the Compound MAC over the 112-byte Call Connected message, built
 * by the client and verified by the server.  All hashing and HMAC through
 * OpenSSL 3; comparisons in constant time.  The 32-byte HLAK is an input:
 * src/ppp owns the key order (DESIGN.md).
 */
#ifndef OPENSSTP_SSTP_BINDING_H
#define OPENSSTP_SSTP_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sstp/sstp_err.h"
#include "sstp/sstp_packet.h"

/* Hashes of the server leaf certificate's DER (traps 4, 18). */
struct sstp_cert_hashes {
	bool have_sha1;
	bool have_sha256;
	uint8_t sha1[SSTP_SHA1_LEN];
	uint8_t sha256[SSTP_SHA256_LEN];
};

/* Both hashes of a DER certificate. */
enum sstp_err sstp_cert_hashes_compute(
    const uint8_t *der, size_t len, struct sstp_cert_hashes *out);

/*
 * The client's choice from the Ack's bitmask (trap 19, MS-SSTP 3.2.5.3.2):
 * SHA256 whenever offered, SHA1 only alone, 0 when neither is offered.
 */
uint8_t sstp_hash_choose(uint8_t bitmask);

/* Digest length of a hash protocol: 20, 32, or 0 if not exactly one. */
size_t sstp_hash_len(uint8_t hash_proto);

/* CMK = HMAC-H(HLAK, "SSTP inner method derived CMK" LEN(LE16) 01). */
enum sstp_err sstp_cmk_derive(uint8_t hash_proto,
    const uint8_t hlak[SSTP_HLAK_LEN], uint8_t cmk[SSTP_HASH_FIELD_LEN],
    size_t *cmk_len);

/*
 * Compound MAC over a 112-byte Call Connected message; the MAC field and,
 * for SHA1, the certificate hash padding are zeroed on a copy first.  mac
 * receives the hash length bytes then zeros up to 32.
 */
enum sstp_err sstp_cmac_compute(uint8_t hash_proto, const uint8_t *cmk,
    size_t cmk_len, const uint8_t msg[SSTP_CALL_CONNECTED_LEN],
    uint8_t mac[SSTP_HASH_FIELD_LEN]);

/* Client: the complete Call Connected message, MAC filled in. */
enum sstp_err sstp_binding_build(uint8_t hash_proto,
    const uint8_t nonce[SSTP_NONCE_LEN], const struct sstp_cert_hashes *ch,
    const uint8_t hlak[SSTP_HLAK_LEN], uint8_t out[SSTP_CALL_CONNECTED_LEN]);

/*
 * Server, spec/sstp.md 4.7 steps 2-4 (no HLAK needed): the nonce is ours,
 * the hash protocol is exactly one bit we offered, the certificate hash is
 * that of the certificate this connection presented.
 */
enum sstp_err sstp_binding_check(const struct sstp_binding *b,
    uint8_t offered_bitmask, const uint8_t nonce[SSTP_NONCE_LEN],
    const struct sstp_cert_hashes *ch);

/* Server, step 6: the Compound MAC of the received message verifies. */
enum sstp_err sstp_binding_verify_mac(
    const uint8_t msg[SSTP_CALL_CONNECTED_LEN],
    const uint8_t hlak[SSTP_HLAK_LEN]);

#endif

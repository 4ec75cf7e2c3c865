/*
 * The OpenSSL library context MS-CHAP needs: MD4 and DES live only in
 * OpenSSL 3's legacy provider, which is loaded into this dedicated
 * OSSL_LIB_CTX (never into the default one) together with the default
 * provider (DESIGN.md).  One per process, made by the caller at start-up
 * (before any privilege drop) and passed to everything that hashes.
 */
#ifndef OPENSSTP_PPP_CRYPTO_H
#define OPENSSTP_PPP_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ppp_crypto;

/* NULL if the legacy provider cannot be loaded. */
struct ppp_crypto *ppp_crypto_new(void);
void ppp_crypto_free(struct ppp_crypto *pc);

bool ppp_md4(
    struct ppp_crypto *pc, const void *data, size_t len, uint8_t out[16]);
bool ppp_md5(struct ppp_crypto *pc, const void *const *parts,
    const size_t *lens, size_t nparts, uint8_t out[16]);
bool ppp_sha1(struct ppp_crypto *pc, const void *const *parts,
    const size_t *lens, size_t nparts, uint8_t out[20]);
/* RFC 2759 8.6: spread 56 key bits over 8 bytes, odd parity in bit 0. */
void ppp_des_key_expand(const uint8_t key7[7], uint8_t key8[8]);
/* One DES-ECB block with a 7-byte key expanded to 8 (RFC 2759 8.6). */
bool ppp_des_block(struct ppp_crypto *pc, const uint8_t key7[7],
    const uint8_t in[8], uint8_t out[8]);
/* Random bytes (challenges, magic numbers, identifiers). */
bool ppp_random(struct ppp_crypto *pc, void *buf, size_t len);

#endif

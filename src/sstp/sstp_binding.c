#include "sstp/sstp_binding.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base/wr.h"

/* spec/sstp.md 4.5: the PRF seed, 29 ASCII bytes, no NUL. */
#define SSTP_CMK_SEED	  "SSTP inner method derived CMK"
#define SSTP_CMK_SEED_LEN 29
#define SSTP_CMK_IN_LEN	  (SSTP_CMK_SEED_LEN + 3)
_Static_assert(sizeof(SSTP_CMK_SEED) - 1 == SSTP_CMK_SEED_LEN, "CMK seed");

/* OpenSSL's name of the digest of a hash protocol, NULL if not one bit. */
static const char *
hash_name(uint8_t hash_proto)
{
	switch (hash_proto) {
	case SSTP_CERT_HASH_PROTOCOL_SHA1:
		return "SHA1";
	case SSTP_CERT_HASH_PROTOCOL_SHA256:
		return "SHA256";
	default:
		return NULL;
	}
}

/* The certificate hash of ch for hash_proto, NULL if it is not known. */
static const uint8_t *
cert_hash_for(const struct sstp_cert_hashes *ch, uint8_t hash_proto)
{
	if (ch == NULL)
		return NULL;
	if (hash_proto == SSTP_CERT_HASH_PROTOCOL_SHA1 && ch->have_sha1)
		return ch->sha1;
	if (hash_proto == SSTP_CERT_HASH_PROTOCOL_SHA256 && ch->have_sha256)
		return ch->sha256;
	return NULL;
}

/* HMAC-H(key, data) into out[hash length]; false on any OpenSSL failure. */
static bool
hmac(uint8_t hash_proto, const uint8_t *key, size_t key_len,
    const uint8_t *data, size_t data_len, uint8_t *out)
{
	size_t hlen = sstp_hash_len(hash_proto), out_len = 0;

	if (EVP_Q_mac(NULL, "HMAC", NULL, hash_name(hash_proto), NULL, key,
		key_len, data, data_len, out, hlen, &out_len) == NULL)
		return false;
	return out_len == hlen;
}

/* spec/sstp.md trap 4: the hashes of the leaf certificate's DER. */
enum sstp_err
sstp_cert_hashes_compute(
    const uint8_t *der, size_t len, struct sstp_cert_hashes *out)
{
	size_t n1 = 0, n256 = 0;

	memset(out, 0, sizeof(*out));
	if (!EVP_Q_digest(NULL, "SHA1", NULL, der, len, out->sha1, &n1) ||
	    n1 != SSTP_SHA1_LEN ||
	    !EVP_Q_digest(NULL, "SHA256", NULL, der, len, out->sha256, &n256) ||
	    n256 != SSTP_SHA256_LEN) {
		memset(out, 0, sizeof(*out));
		return SSTP_E_CRYPTO;
	}
	out->have_sha1 = true;
	out->have_sha256 = true;
	return SSTP_OK;
}

/* spec/sstp.md 4.3, trap 19: other bits of the bitmask are ignored. */
uint8_t
sstp_hash_choose(uint8_t bitmask)
{
	if (bitmask & SSTP_CERT_HASH_PROTOCOL_SHA256)
		return SSTP_CERT_HASH_PROTOCOL_SHA256;
	if (bitmask & SSTP_CERT_HASH_PROTOCOL_SHA1)
		return SSTP_CERT_HASH_PROTOCOL_SHA1;
	return 0;
}

size_t
sstp_hash_len(uint8_t hash_proto)
{
	switch (hash_proto) {
	case SSTP_CERT_HASH_PROTOCOL_SHA1:
		return SSTP_SHA1_LEN;
	case SSTP_CERT_HASH_PROTOCOL_SHA256:
		return SSTP_SHA256_LEN;
	default:
		return 0;
	}
}

/*
 * spec/sstp.md 4.5, trap 2: T1 of the prf+, keyed with all 32 bytes of the
 * HLAK even for SHA1; LEN is little-endian (14 00 / 20 00).
 */
enum sstp_err
sstp_cmk_derive(uint8_t hash_proto, const uint8_t hlak[SSTP_HLAK_LEN],
    uint8_t cmk[SSTP_HASH_FIELD_LEN], size_t *cmk_len)
{
	uint8_t in[SSTP_CMK_IN_LEN];
	size_t hlen = sstp_hash_len(hash_proto);
	struct wr w;

	*cmk_len = 0;
	memset(cmk, 0, SSTP_HASH_FIELD_LEN);
	if (hlen == 0)
		return SSTP_E_HASH_PROTO;
	wr_init(&w, in, sizeof(in));
	wr_str(&w, SSTP_CMK_SEED);
	wr_u8(&w, (uint8_t)hlen);
	wr_u8(&w, 0);
	wr_u8(&w, 0x01);
	if (!wr_ok(&w) || wr_len(&w) != sizeof(in))
		return SSTP_E_CRYPTO;
	if (!hmac(hash_proto, hlak, SSTP_HLAK_LEN, in, sizeof(in), cmk)) {
		OPENSSL_cleanse(cmk, SSTP_HASH_FIELD_LEN);
		return SSTP_E_CRYPTO;
	}
	*cmk_len = hlen;
	return SSTP_OK;
}

/*
 * spec/sstp.md 4.6, trap 3: HMAC over the whole 112-byte message with the
 * MAC field and, for SHA1, the cert hash padding zeroed (MS-SSTP 3.2.5.2.1).
 * Everything up to the end of the hash proper is kept, the rest zeroed.
 */
enum sstp_err
sstp_cmac_compute(uint8_t hash_proto, const uint8_t *cmk, size_t cmk_len,
    const uint8_t msg[SSTP_CALL_CONNECTED_LEN],
    uint8_t mac[SSTP_HASH_FIELD_LEN])
{
	uint8_t copy[SSTP_CALL_CONNECTED_LEN];
	size_t hlen = sstp_hash_len(hash_proto);
	size_t keep = SSTP_CC_OFF_CERT_HASH + hlen;
	struct wr w;

	memset(mac, 0, SSTP_HASH_FIELD_LEN);
	if (hlen == 0)
		return SSTP_E_HASH_PROTO;
	wr_init(&w, copy, sizeof(copy));
	wr_bytes(&w, msg, keep);
	wr_zeros(&w, sizeof(copy) - keep);
	if (!wr_ok(&w) || wr_len(&w) != sizeof(copy))
		return SSTP_E_CRYPTO;
	if (!hmac(hash_proto, cmk, cmk_len, copy, sizeof(copy), mac)) {
		memset(mac, 0, SSTP_HASH_FIELD_LEN);
		return SSTP_E_CRYPTO;
	}
	return SSTP_OK;
}

/* MS-SSTP 2.2.7: one Crypto Binding attribute, exactly 112 bytes. */
static enum sstp_err
call_connected_encode(
    const struct sstp_ctrl *c, uint8_t out[SSTP_CALL_CONNECTED_LEN])
{
	enum sstp_err err;
	struct wr w;

	wr_init(&w, out, SSTP_CALL_CONNECTED_LEN);
	if ((err = sstp_ctrl_encode(&w, c)) != SSTP_OK)
		return err;
	if (wr_len(&w) != SSTP_CALL_CONNECTED_LEN)
		return SSTP_E_ATTR_SIZE;
	return SSTP_OK;
}

/*
 * Client, spec/sstp.md 4.3-4.6: encode with a zero MAC, MAC the result,
 * encode again with the MAC in place.  SHA1 hashes are zero-padded to 32.
 */
enum sstp_err
sstp_binding_build(uint8_t hash_proto, const uint8_t nonce[SSTP_NONCE_LEN],
    const struct sstp_cert_hashes *ch, const uint8_t hlak[SSTP_HLAK_LEN],
    uint8_t out[SSTP_CALL_CONNECTED_LEN])
{
	struct sstp_ctrl c;
	uint8_t cmk[SSTP_HASH_FIELD_LEN];
	const uint8_t *cert_hash;
	size_t hlen = sstp_hash_len(hash_proto), cmk_len;
	enum sstp_err err;

	if (hlen == 0)
		return SSTP_E_HASH_PROTO;
	if ((cert_hash = cert_hash_for(ch, hash_proto)) == NULL)
		return SSTP_E_NO_CERT_HASH;
	memset(&c, 0, sizeof(c));
	c.type = SSTP_MSG_CALL_CONNECTED;
	c.num_attrs = 1;
	c.binding.hash_proto = hash_proto;
	memcpy(c.binding.nonce, nonce, SSTP_NONCE_LEN);
	memcpy(c.binding.cert_hash, cert_hash, hlen);
	if ((err = call_connected_encode(&c, out)) != SSTP_OK)
		return err;
	if ((err = sstp_cmk_derive(hash_proto, hlak, cmk, &cmk_len)) != SSTP_OK)
		return err;
	err = sstp_cmac_compute(hash_proto, cmk, cmk_len, out, c.binding.cmac);
	OPENSSL_cleanse(cmk, sizeof(cmk));
	if (err != SSTP_OK)
		return err;
	return call_connected_encode(&c, out);
}

/*
 * Server, spec/sstp.md 4.7 steps 2-4 in that order.  Only the first 20
 * bytes of a SHA1 cert hash are compared, never its padding (4.3).
 */
enum sstp_err
sstp_binding_check(const struct sstp_binding *b, uint8_t offered_bitmask,
    const uint8_t nonce[SSTP_NONCE_LEN], const struct sstp_cert_hashes *ch)
{
	const uint8_t *want;
	size_t hlen;

	if (CRYPTO_memcmp(b->nonce, nonce, SSTP_NONCE_LEN) != 0)
		return SSTP_E_NONCE;
	hlen = sstp_hash_len(b->hash_proto);
	if (hlen == 0 || (b->hash_proto & offered_bitmask) == 0)
		return SSTP_E_HASH_PROTO;
	/* MS-SSTP 3.3.5.2.3: the certificate of this connection (trap 18). */
	if ((want = cert_hash_for(ch, b->hash_proto)) == NULL)
		return SSTP_E_NO_CERT_HASH;
	if (CRYPTO_memcmp(b->cert_hash, want, hlen) != 0)
		return SSTP_E_CERT_HASH;
	return SSTP_OK;
}

/* Server, spec/sstp.md 4.7 step 6. */
enum sstp_err
sstp_binding_verify_mac(const uint8_t msg[SSTP_CALL_CONNECTED_LEN],
    const uint8_t hlak[SSTP_HLAK_LEN])
{
	uint8_t cmk[SSTP_HASH_FIELD_LEN], mac[SSTP_HASH_FIELD_LEN];
	uint8_t hash_proto = msg[SSTP_CC_OFF_HASH_PROTO];
	size_t hlen = sstp_hash_len(hash_proto), cmk_len;
	enum sstp_err err;

	if (hlen == 0)
		return SSTP_E_HASH_PROTO;
	if ((err = sstp_cmk_derive(hash_proto, hlak, cmk, &cmk_len)) != SSTP_OK)
		return err;
	err = sstp_cmac_compute(hash_proto, cmk, cmk_len, msg, mac);
	OPENSSL_cleanse(cmk, sizeof(cmk));
	if (err != SSTP_OK)
		return err;
	if (CRYPTO_memcmp(&msg[SSTP_CC_OFF_CMAC], mac, hlen) != 0)
		return SSTP_E_CMAC;
	return SSTP_OK;
}

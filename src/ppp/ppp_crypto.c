#include "ppp/ppp_crypto.h"

#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#define PPP_MD4_LEN  16
#define PPP_MD5_LEN  16
#define PPP_SHA1_LEN 20
#define PPP_DES_LEN  8

/*
 * MD4 and DES exist only in OpenSSL 3's legacy provider: it is loaded into
 * this private library context, never into the default one, so nothing
 * else in the process can pick the legacy algorithms by accident.  The
 * algorithms are fetched once here (a fetch per call costs a lookup and a
 * lock); the fetched objects are reference-counted and shareable.
 */
struct ppp_crypto {
	OSSL_LIB_CTX *libctx;
	OSSL_PROVIDER *legacy;
	OSSL_PROVIDER *deflt;
	EVP_MD *md4;
	EVP_MD *md5;
	EVP_MD *sha1;
	EVP_CIPHER *des_ecb;
};

struct ppp_crypto *
ppp_crypto_new(void)
{
	struct ppp_crypto *pc;

	if ((pc = calloc(1, sizeof(*pc))) == NULL)
		return NULL;
	if ((pc->libctx = OSSL_LIB_CTX_new()) == NULL)
		goto fail;
	if ((pc->legacy = OSSL_PROVIDER_load(pc->libctx, "legacy")) == NULL)
		goto fail;
	if ((pc->deflt = OSSL_PROVIDER_load(pc->libctx, "default")) == NULL)
		goto fail;
	if ((pc->md4 = EVP_MD_fetch(pc->libctx, "MD4", NULL)) == NULL)
		goto fail;
	if ((pc->md5 = EVP_MD_fetch(pc->libctx, "MD5", NULL)) == NULL)
		goto fail;
	if ((pc->sha1 = EVP_MD_fetch(pc->libctx, "SHA1", NULL)) == NULL)
		goto fail;
	if ((pc->des_ecb = EVP_CIPHER_fetch(pc->libctx, "DES-ECB", NULL)) ==
	    NULL)
		goto fail;
	return pc;
fail:
	ppp_crypto_free(pc);
	return NULL;
}

void
ppp_crypto_free(struct ppp_crypto *pc)
{
	if (pc == NULL)
		return;
	EVP_CIPHER_free(pc->des_ecb);
	EVP_MD_free(pc->sha1);
	EVP_MD_free(pc->md5);
	EVP_MD_free(pc->md4);
	if (pc->deflt != NULL)
		OSSL_PROVIDER_unload(pc->deflt);
	if (pc->legacy != NULL)
		OSSL_PROVIDER_unload(pc->legacy);
	OSSL_LIB_CTX_free(pc->libctx);
	free(pc);
}

/*
 * md over the concatenation of parts into out[want]; out is cleansed on
 * failure.  The digest context is per call, so one ppp_crypto may serve
 * several threads.
 */
static bool
digest(const EVP_MD *md, const void *const *parts, const size_t *lens,
    size_t nparts, uint8_t *out, unsigned int want)
{
	EVP_MD_CTX *ctx = NULL;
	unsigned int n = 0;
	bool ok = false;
	size_t i;

	if (md == NULL || (ctx = EVP_MD_CTX_new()) == NULL)
		goto done;
	if (!EVP_DigestInit_ex2(ctx, md, NULL))
		goto done;
	for (i = 0; i < nparts; i++)
		if (!EVP_DigestUpdate(ctx, parts[i], lens[i]))
			goto done;
	/* EVP_MD_get_size(md) == want: the fixed algorithms fetched above. */
	if (!EVP_DigestFinal_ex(ctx, out, &n) || n != want)
		goto done;
	ok = true;
done:
	/* Frees the provider's state with OPENSSL_clear_free. */
	EVP_MD_CTX_free(ctx);
	if (!ok)
		OPENSSL_cleanse(out, want);
	return ok;
}

bool
ppp_md4(struct ppp_crypto *pc, const void *data, size_t len, uint8_t out[16])
{
	const void *parts[1] = { data };
	const size_t lens[1] = { len };

	return digest(
	    pc != NULL ? pc->md4 : NULL, parts, lens, 1, out, PPP_MD4_LEN);
}

bool
ppp_md5(struct ppp_crypto *pc, const void *const *parts, const size_t *lens,
    size_t nparts, uint8_t out[16])
{
	return digest(
	    pc != NULL ? pc->md5 : NULL, parts, lens, nparts, out, PPP_MD5_LEN);
}

bool
ppp_sha1(struct ppp_crypto *pc, const void *const *parts, const size_t *lens,
    size_t nparts, uint8_t out[20])
{
	return digest(pc != NULL ? pc->sha1 : NULL, parts, lens, nparts, out,
	    PPP_SHA1_LEN);
}

/* Bit 0 set so that the byte has an odd number of one bits. */
static uint8_t
odd_parity(uint8_t b)
{
	uint8_t v = b & 0xfe, ones = 0;

	for (; v != 0; v &= (uint8_t)(v - 1))
		ones++;
	return (uint8_t)((b & 0xfe) | ((ones & 1) == 0));
}

/*
 * RFC 2759 8.6 (DesEncrypt/MakeKey): key bits 0..55 become the top 7 bits
 * of the 8 key bytes.  DES ignores bit 0; odd parity there makes the
 * bytes match the RFC's and spec/ppp.md 5.3's printed keys.
 */
void
ppp_des_key_expand(const uint8_t key7[7], uint8_t key8[8])
{
	int i;

	key8[0] = key7[0];
	for (i = 1; i < 7; i++)
		key8[i] = (uint8_t)(key7[i - 1] << (8 - i) | key7[i] >> i);
	key8[7] = (uint8_t)(key7[6] << 1);
	for (i = 0; i < 8; i++)
		key8[i] = odd_parity(key8[i]);
}

bool
ppp_des_block(struct ppp_crypto *pc, const uint8_t key7[7], const uint8_t in[8],
    uint8_t out[8])
{
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t key8[8];
	int n = 0, fin = 0;
	bool ok = false;

	if (pc == NULL || (ctx = EVP_CIPHER_CTX_new()) == NULL)
		goto done;
	ppp_des_key_expand(key7, key8);
	if (!EVP_EncryptInit_ex2(ctx, pc->des_ecb, key8, NULL, NULL))
		goto done;
	/* One block exactly: no PKCS#7 block may be appended. */
	if (!EVP_CIPHER_CTX_set_padding(ctx, 0))
		goto done;
	if (!EVP_EncryptUpdate(ctx, out, &n, in, PPP_DES_LEN) ||
	    n != PPP_DES_LEN)
		goto done;
	if (!EVP_EncryptFinal_ex(ctx, out + n, &fin) || fin != 0)
		goto done;
	ok = true;
done:
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(key8, sizeof(key8));
	if (!ok)
		OPENSSL_cleanse(out, PPP_DES_LEN);
	return ok;
}

bool
ppp_random(struct ppp_crypto *pc, void *buf, size_t len)
{
	if (pc == NULL)
		return false;
	if (len == 0)
		return true;
	return RAND_bytes_ex(pc->libctx, buf, len, 0) == 1;
}

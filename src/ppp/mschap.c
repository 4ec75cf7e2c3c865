#include "ppp/mschap.h"

#include <string.h>

#include <openssl/crypto.h>

#define SHA1_LEN	 20
#define CHAL_HASH_LEN	 8
#define PW_MAX_UNITS	 256 /* RFC 2759 8.1: 0 to 256 Unicode chars */
#define PW_MAX_BYTES	 (2 * PW_MAX_UNITS)
#define SHS_PAD_LEN	 40
#define MASTER_MAGIC_LEN 27
#define KEY_MAGIC_LEN	 84
#define AUTH_MAGIC1_LEN	 39
#define AUTH_MAGIC2_LEN	 41

/* RFC 2759 8.7 GenerateAuthenticatorResponse, spec/ppp.md 5.2. */
static const char auth_magic1[] = "Magic server to client signing constant";
static const char auth_magic2[] = "Pad to make it do more than one iteration";
/* RFC 3079 3.4 GetMasterKey and GetAsymmetricStartKey, spec/ppp.md 6.1. */
static const char master_magic[] = "This is the MPPE Master Key";
static const char key_magic2[] = "On the client side, this is the send key; "
				 "on the server side, it is the receive key.";
static const char key_magic3[] = "On the client side, this is the receive "
				 "key; on the server side, it is the send "
				 "key.";

_Static_assert(sizeof(auth_magic1) - 1 == AUTH_MAGIC1_LEN, "Magic1");
_Static_assert(sizeof(auth_magic2) - 1 == AUTH_MAGIC2_LEN, "Magic2");
_Static_assert(sizeof(master_magic) - 1 == MASTER_MAGIC_LEN, "MKMagic");
_Static_assert(sizeof(key_magic2) - 1 == KEY_MAGIC_LEN, "key Magic2");
_Static_assert(sizeof(key_magic3) - 1 == KEY_MAGIC_LEN, "key Magic3");

/* RFC 3079 3.4: SHSpad1 is 40 zero bytes, SHSpad2 40 bytes of 0xF2. */
static const uint8_t shs_pad1[SHS_PAD_LEN] = { 0 };
static const uint8_t shs_pad2[SHS_PAD_LEN] = { 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2 };

/* spec/ppp.md trap 11: the last backslash wins (DOMAIN\\user too). */
const char *
mschap_strip_domain(const char *user)
{
	const char *p;

	if ((p = strrchr(user, '\\')) != NULL)
		return p + 1;
	return user;
}

/*
 * One code point from the NUL-terminated UTF-8 at *s, advancing *s; false
 * on anything RFC 3629 forbids: stray continuation bytes, truncated
 * sequences, overlong forms, surrogates, code points above U+10FFFF.
 */
static bool
utf8_next(const unsigned char **s, uint32_t *cp)
{
	const unsigned char *p = *s;
	uint32_t c, min;
	int i, more;

	c = *p++;
	if (c < 0x80) {
		more = 0;
		min = 0;
	} else if ((c & 0xe0) == 0xc0) {
		more = 1;
		min = 0x80;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		more = 2;
		min = 0x800;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		more = 3;
		min = 0x10000;
		c &= 0x07;
	} else
		return false;
	/* The NUL terminator is no continuation byte: no overrun. */
	for (i = 0; i < more; i++, p++) {
		if ((*p & 0xc0) != 0x80)
			return false;
		c = c << 6 | (*p & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return false;
	*cp = c;
	*s = p;
	return true;
}

/*
 * spec/ppp.md 5.2: the password as UTF-16LE, no BOM, no terminator;
 * code points above U+FFFF become surrogate pairs.  PPP_E_INVALID if pw
 * is not UTF-8 or needs more than 256 UTF-16 units.
 */
static enum ppp_err
password_utf16le(const char *pw, uint8_t out[PW_MAX_BYTES], size_t *len)
{
	const unsigned char *s = (const unsigned char *)pw;
	uint16_t units[2] = { 0 };
	uint32_t cp = 0;
	size_t n = 0;
	enum ppp_err err = PPP_OK;
	int i, nunits;

	while (*s != '\0') {
		if (!utf8_next(&s, &cp)) {
			err = PPP_E_INVALID;
			break;
		}
		if (cp < 0x10000) {
			units[0] = (uint16_t)cp;
			nunits = 1;
		} else {
			cp -= 0x10000;
			units[0] = (uint16_t)(0xd800 | cp >> 10);
			units[1] = (uint16_t)(0xdc00 | (cp & 0x3ff));
			nunits = 2;
		}
		if (n + 2 * (size_t)nunits > PW_MAX_BYTES) {
			err = PPP_E_INVALID;
			break;
		}
		for (i = 0; i < nunits; i++) {
			out[n++] = (uint8_t)(units[i] & 0xff);
			out[n++] = (uint8_t)(units[i] >> 8);
		}
	}
	OPENSSL_cleanse(&cp, sizeof(cp));
	OPENSSL_cleanse(units, sizeof(units));
	*len = err == PPP_OK ? n : 0;
	return err;
}

/* RFC 2759 8.3 NtPasswordHash. */
enum ppp_err
mschap_nt_password_hash(
    struct ppp_crypto *pc, const char *password, uint8_t hash[MSCHAP_HASH_LEN])
{
	uint8_t buf[PW_MAX_BYTES];
	enum ppp_err err;
	size_t len;

	if (password == NULL)
		err = PPP_E_INVALID;
	else if ((err = password_utf16le(password, buf, &len)) == PPP_OK &&
	    !ppp_md4(pc, buf, len, hash))
		err = PPP_E_CRYPTO;
	OPENSSL_cleanse(buf, sizeof(buf));
	if (err != PPP_OK)
		OPENSSL_cleanse(hash, MSCHAP_HASH_LEN);
	return err;
}

/* RFC 2759 8.4 HashNtPasswordHash. */
enum ppp_err
mschap_hash_nt_password_hash(struct ppp_crypto *pc,
    const uint8_t hash[MSCHAP_HASH_LEN], uint8_t out[MSCHAP_HASH_LEN])
{
	return ppp_md4(pc, hash, MSCHAP_HASH_LEN, out) ? PPP_OK : PPP_E_CRYPTO;
}

/* RFC 2759 8.2 ChallengeHash; the user name without its domain (5.2). */
enum ppp_err
mschap_challenge_hash(struct ppp_crypto *pc,
    const uint8_t peer_chal[MSCHAP_CHALLENGE_LEN],
    const uint8_t auth_chal[MSCHAP_CHALLENGE_LEN], const char *user,
    uint8_t out[CHAL_HASH_LEN])
{
	const char *name = mschap_strip_domain(user);
	const void *parts[3] = { peer_chal, auth_chal, name };
	const size_t lens[3] = { MSCHAP_CHALLENGE_LEN, MSCHAP_CHALLENGE_LEN,
		strlen(name) };
	uint8_t md[SHA1_LEN];

	if (!ppp_sha1(pc, parts, lens, 3, md)) {
		memset(out, 0, CHAL_HASH_LEN);
		return PPP_E_CRYPTO;
	}
	memcpy(out, md, CHAL_HASH_LEN);
	OPENSSL_cleanse(md, sizeof(md));
	return PPP_OK;
}

/* RFC 2759 8.5 ChallengeResponse: the hash zero-padded to 21 bytes is
 * three 7-byte DES keys. */
enum ppp_err
mschap_challenge_response(struct ppp_crypto *pc,
    const uint8_t chal[CHAL_HASH_LEN], const uint8_t hash[MSCHAP_HASH_LEN],
    uint8_t resp[MSCHAP_NT_RESPONSE_LEN])
{
	uint8_t z[21] = { 0 };
	enum ppp_err err = PPP_OK;
	int i;

	memcpy(z, hash, MSCHAP_HASH_LEN);
	for (i = 0; i < 3; i++)
		if (!ppp_des_block(pc, z + 7 * i, chal, resp + 8 * i)) {
			err = PPP_E_CRYPTO;
			break;
		}
	OPENSSL_cleanse(z, sizeof(z));
	if (err != PPP_OK)
		OPENSSL_cleanse(resp, MSCHAP_NT_RESPONSE_LEN);
	return err;
}

/* RFC 2759 8.1 GenerateNTResponse. */
enum ppp_err
mschap_nt_response(struct ppp_crypto *pc,
    const uint8_t auth_chal[MSCHAP_CHALLENGE_LEN],
    const uint8_t peer_chal[MSCHAP_CHALLENGE_LEN], const char *user,
    const uint8_t hash[MSCHAP_HASH_LEN], uint8_t resp[MSCHAP_NT_RESPONSE_LEN])
{
	uint8_t chal[CHAL_HASH_LEN];
	enum ppp_err err;

	if ((err = mschap_challenge_hash(
		 pc, peer_chal, auth_chal, user, chal)) != PPP_OK) {
		memset(resp, 0, MSCHAP_NT_RESPONSE_LEN);
		return err;
	}
	return mschap_challenge_response(pc, chal, hash, resp);
}

/* RFC 2759 8.7 GenerateAuthenticatorResponse, from the password hash. */
enum ppp_err
mschap_authenticator_response(struct ppp_crypto *pc,
    const uint8_t hash[MSCHAP_HASH_LEN],
    const uint8_t nt_resp[MSCHAP_NT_RESPONSE_LEN],
    const uint8_t peer_chal[MSCHAP_CHALLENGE_LEN],
    const uint8_t auth_chal[MSCHAP_CHALLENGE_LEN], const char *user,
    char out[MSCHAP_AUTH_RESP_LEN + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t hh[MSCHAP_HASH_LEN], md[SHA1_LEN], chal[CHAL_HASH_LEN];
	const void *p1[3] = { hh, nt_resp, auth_magic1 };
	const size_t l1[3] = { MSCHAP_HASH_LEN, MSCHAP_NT_RESPONSE_LEN,
		AUTH_MAGIC1_LEN };
	const void *p2[3] = { md, chal, auth_magic2 };
	const size_t l2[3] = { SHA1_LEN, CHAL_HASH_LEN, AUTH_MAGIC2_LEN };
	enum ppp_err err = PPP_E_CRYPTO;
	int i;

	memset(out, 0, MSCHAP_AUTH_RESP_LEN + 1);
	if (mschap_hash_nt_password_hash(pc, hash, hh) != PPP_OK ||
	    !ppp_sha1(pc, p1, l1, 3, md))
		goto done;
	if ((err = mschap_challenge_hash(
		 pc, peer_chal, auth_chal, user, chal)) != PPP_OK)
		goto done;
	/* The second digest may overwrite the first: it is read first. */
	if (!ppp_sha1(pc, p2, l2, 3, md)) {
		err = PPP_E_CRYPTO;
		goto done;
	}
	out[0] = 'S';
	out[1] = '=';
	for (i = 0; i < SHA1_LEN; i++) {
		out[2 + 2 * i] = hex[md[i] >> 4];
		out[3 + 2 * i] = hex[md[i] & 0x0f];
	}
	err = PPP_OK;
done:
	OPENSSL_cleanse(hh, sizeof(hh));
	OPENSSL_cleanse(md, sizeof(md));
	OPENSSL_cleanse(chal, sizeof(chal));
	return err;
}

/*
 * Folds a-f onto A-F and keeps the digits apart from the letters, without
 * a branch on the (secret) expected characters.
 */
static unsigned char
hex_fold(unsigned char c)
{
	return c & 0xdf;
}

static bool
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') ||
	    (c >= 'a' && c <= 'f');
}

/*
 * spec/ppp.md 5.1: "S=" then exactly 40 hex digits, either case, compared
 * in constant time.  received is the peer's bytes, not NUL-terminated;
 * the caller has cut off any " M=" text.
 */
bool
mschap_authenticator_response_ok(
    const char *expected, const char *received, size_t received_len)
{
	unsigned char want[MSCHAP_AUTH_RESP_LEN], got[MSCHAP_AUTH_RESP_LEN];
	size_t i;
	bool ok;

	if (expected == NULL || received == NULL ||
	    received_len != MSCHAP_AUTH_RESP_LEN ||
	    strnlen(expected, MSCHAP_AUTH_RESP_LEN + 1) !=
		MSCHAP_AUTH_RESP_LEN ||
	    received[0] != 'S' || received[1] != '=')
		return false;
	/* Branching on the peer's own bytes leaks nothing. */
	for (i = 2; i < MSCHAP_AUTH_RESP_LEN; i++)
		if (!is_hex((unsigned char)received[i]))
			return false;
	for (i = 0; i < MSCHAP_AUTH_RESP_LEN; i++) {
		got[i] = hex_fold((unsigned char)received[i]);
		want[i] = hex_fold((unsigned char)expected[i]);
	}
	ok = CRYPTO_memcmp(want, got, sizeof(want)) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}

/* RFC 3079 3.4 GetMasterKey. */
enum ppp_err
mschap_master_key(struct ppp_crypto *pc,
    const uint8_t hash_hash[MSCHAP_HASH_LEN],
    const uint8_t nt_resp[MSCHAP_NT_RESPONSE_LEN],
    uint8_t master[MSCHAP_KEY_LEN])
{
	const void *parts[3] = { hash_hash, nt_resp, master_magic };
	const size_t lens[3] = { MSCHAP_HASH_LEN, MSCHAP_NT_RESPONSE_LEN,
		MASTER_MAGIC_LEN };
	uint8_t md[SHA1_LEN];

	if (!ppp_sha1(pc, parts, lens, 3, md)) {
		memset(master, 0, MSCHAP_KEY_LEN);
		return PPP_E_CRYPTO;
	}
	memcpy(master, md, MSCHAP_KEY_LEN);
	OPENSSL_cleanse(md, sizeof(md));
	return PPP_OK;
}

/*
 * RFC 3079 3.4 GetAsymmetricStartKey: Magic2 for the client's send key
 * and the server's receive key, Magic3 for the other two (spec/ppp.md 6.2).
 */
enum ppp_err
mschap_start_key(struct ppp_crypto *pc, const uint8_t master[MSCHAP_KEY_LEN],
    bool is_send, bool is_server, uint8_t key[MSCHAP_KEY_LEN])
{
	const char *magic = is_send != is_server ? key_magic2 : key_magic3;
	const void *parts[4] = { master, shs_pad1, magic, shs_pad2 };
	const size_t lens[4] = { MSCHAP_KEY_LEN, SHS_PAD_LEN, KEY_MAGIC_LEN,
		SHS_PAD_LEN };
	uint8_t md[SHA1_LEN];

	if (!ppp_sha1(pc, parts, lens, 4, md)) {
		memset(key, 0, MSCHAP_KEY_LEN);
		return PPP_E_CRYPTO;
	}
	memcpy(key, md, MSCHAP_KEY_LEN);
	OPENSSL_cleanse(md, sizeof(md));
	return PPP_OK;
}

/*
 * spec/ppp.md 6.4, spec/sstp.md 4.4: the one place the HLAK order lives.
 * The client writes its send key first, the server its receive key
 * first; both come out as Magic2 key || Magic3 key.
 */
enum ppp_err
mschap_hlak_from_keys(enum ppp_role role, const uint8_t send[MSCHAP_KEY_LEN],
    const uint8_t recv[MSCHAP_KEY_LEN], uint8_t hlak[PPP_HLAK_LEN])
{
	switch (role) {
	case PPP_ROLE_PEER:
		memcpy(hlak, send, MSCHAP_KEY_LEN);
		memcpy(hlak + MSCHAP_KEY_LEN, recv, MSCHAP_KEY_LEN);
		return PPP_OK;
	case PPP_ROLE_AUTHENTICATOR:
		memcpy(hlak, recv, MSCHAP_KEY_LEN);
		memcpy(hlak + MSCHAP_KEY_LEN, send, MSCHAP_KEY_LEN);
		return PPP_OK;
	}
	memset(hlak, 0, PPP_HLAK_LEN);
	return PPP_E_INVALID;
}

/* RFC 3079 3.4 GetMasterKey, then this role's two start keys. */
enum ppp_err
mschap_hlak(struct ppp_crypto *pc, enum ppp_role role,
    const uint8_t hash[MSCHAP_HASH_LEN],
    const uint8_t nt_resp[MSCHAP_NT_RESPONSE_LEN], uint8_t hlak[PPP_HLAK_LEN])
{
	uint8_t hh[MSCHAP_HASH_LEN], master[MSCHAP_KEY_LEN];
	uint8_t send[MSCHAP_KEY_LEN], recv[MSCHAP_KEY_LEN];
	bool is_server = role == PPP_ROLE_AUTHENTICATOR;
	enum ppp_err err;

	memset(hlak, 0, PPP_HLAK_LEN);
	if (role != PPP_ROLE_PEER && role != PPP_ROLE_AUTHENTICATOR)
		return PPP_E_INVALID;
	if ((err = mschap_hash_nt_password_hash(pc, hash, hh)) == PPP_OK &&
	    (err = mschap_master_key(pc, hh, nt_resp, master)) == PPP_OK &&
	    (err = mschap_start_key(pc, master, true, is_server, send)) ==
		PPP_OK &&
	    (err = mschap_start_key(pc, master, false, is_server, recv)) ==
		PPP_OK)
		err = mschap_hlak_from_keys(role, send, recv, hlak);
	OPENSSL_cleanse(hh, sizeof(hh));
	OPENSSL_cleanse(master, sizeof(master));
	OPENSSL_cleanse(send, sizeof(send));
	OPENSSL_cleanse(recv, sizeof(recv));
	return err;
}

/*
 * spec/ppp.md 7.4: MasterReceiveKey || MasterSendKey of the authenticator,
 * then 32 zero bytes: the authenticator's HLAK order, on both ends.
 */
enum ppp_err
mschap_msk(struct ppp_crypto *pc, const uint8_t hash[MSCHAP_HASH_LEN],
    const uint8_t nt_resp[MSCHAP_NT_RESPONSE_LEN], uint8_t msk[MSCHAP_MSK_LEN])
{
	memset(msk, 0, MSCHAP_MSK_LEN);
	return mschap_hlak(pc, PPP_ROLE_AUTHENTICATOR, hash, nt_resp, msk);
}

/* RFC 1994 4.1: MD5 over Identifier, secret, Challenge Value. */
enum ppp_err
chap_md5_response(struct ppp_crypto *pc, uint8_t id, const uint8_t *secret,
    size_t secret_len, const uint8_t *chal, size_t chal_len,
    uint8_t out[CHAP_MD5_LEN])
{
	const void *parts[3] = { &id, secret, chal };
	const size_t lens[3] = { 1, secret_len, chal_len };

	if ((secret == NULL && secret_len != 0) ||
	    (chal == NULL && chal_len != 0)) {
		memset(out, 0, CHAP_MD5_LEN);
		return PPP_E_INVALID;
	}
	return ppp_md5(pc, parts, lens, 3, out) ? PPP_OK : PPP_E_CRYPTO;
}

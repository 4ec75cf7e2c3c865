#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "ppp/mschap.h"
#include "ppp/ppp_crypto.h"
#include "test_run.h"

/* spec/ppp.md 5.3: RFC 2759 9.2. */
#define V_USER	    "User"
#define V_PASSWORD  "clientPass"
#define V_PW_UTF16  "63 00 6C 00 69 00 65 00 6E 00 74 00 50 00 61 00 73 00 73 00"
#define V_AUTH_CHAL "5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28"
#define V_PEER_CHAL "21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E"
#define V_CHAL_HASH "D0 2E 43 86 BC E9 12 26"
#define V_PW_HASH   "44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE"
#define V_PW_HH	    "41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F"
#define V_NT_RESP                                                              \
	"82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 "                     \
	"42 33 11 4A 3D 85 D6 DF"
#define V_AUTH_RESP "S=407A5589115FD0D6209F510FE9C04566932CDA56"
/* spec/ppp.md 6.3: RFC 3079 3.5.3. */
#define V_MASTER   "FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31"
#define V_K2	   "D5 F0 E9 52 1E 3E A9 58 96 45 E8 60 51 C8 22 26"
#define V_K3	   "8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB"
#define V_SESSION3 "40 5C B2 24 7A 79 56 E6 E2 11 00 7A E2 7B 22 D4"
/* spec/ppp.md 6.4, 7.4. */
#define V_HLAK V_K2 V_K3

struct vec {
	uint8_t auth_chal[MSCHAP_CHALLENGE_LEN];
	uint8_t peer_chal[MSCHAP_CHALLENGE_LEN];
	uint8_t hash[MSCHAP_HASH_LEN];
	uint8_t nt_resp[MSCHAP_NT_RESPONSE_LEN];
};

static int
setup(void **state)
{
	*state = ppp_crypto_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	ppp_crypto_free(*state);
	return 0;
}

static void
vec_load(struct vec *v)
{
	assert_int_equal(test_hex(V_AUTH_CHAL, v->auth_chal, 16), 16);
	assert_int_equal(test_hex(V_PEER_CHAL, v->peer_chal, 16), 16);
	assert_int_equal(test_hex(V_PW_HASH, v->hash, 16), 16);
	assert_int_equal(test_hex(V_NT_RESP, v->nt_resp, 24), 24);
}

static void
assert_hex_equal(const uint8_t *got, size_t len, const char *hex)
{
	uint8_t want[64];

	assert_int_equal(test_hex(hex, want, sizeof(want)), len);
	assert_memory_equal(got, want, len);
}

/* MD4 of the UTF-16LE bytes given in hex: the test's own conversion. */
static void
assert_pw_hash_of_utf16(
    struct ppp_crypto *pc, const char *password, const char *utf16_hex)
{
	uint8_t utf16[64], want[16], got[16];
	size_t n = test_hex(utf16_hex, utf16, sizeof(utf16));

	assert_true(ppp_md4(pc, utf16, n, want));
	assert_int_equal(mschap_nt_password_hash(pc, password, got), PPP_OK);
	assert_memory_equal(got, want, 16);
}

/* --- failures first --- */

static void
crypto_new_twice_and_free_null(void **state)
{
	struct ppp_crypto *a, *b;
	uint8_t ha[16], hb[16];
	bool default_had_md4;
	EVP_MD *md4;

	(void)state;
	ppp_crypto_free(NULL);
	/* MD4 only where the system configuration put it, never by us. */
	md4 = EVP_MD_fetch(NULL, "MD4", NULL);
	default_had_md4 = md4 != NULL;
	EVP_MD_free(md4);
	assert_non_null(a = ppp_crypto_new());
	assert_non_null(b = ppp_crypto_new());
	assert_ptr_not_equal(a, b);
	assert_int_equal(mschap_nt_password_hash(a, V_PASSWORD, ha), PPP_OK);
	assert_int_equal(mschap_nt_password_hash(b, V_PASSWORD, hb), PPP_OK);
	assert_memory_equal(ha, hb, 16);
	ppp_crypto_free(a);
	/* The other context still works after the first is gone. */
	assert_int_equal(mschap_nt_password_hash(b, V_PASSWORD, hb), PPP_OK);
	assert_hex_equal(hb, 16, V_PW_HASH);
	ppp_crypto_free(b);
	md4 = EVP_MD_fetch(NULL, "MD4", NULL);
	assert_int_equal(md4 != NULL, default_had_md4);
	EVP_MD_free(md4);
	ERR_clear_error();
}

static void
crypto_refuses_null_context(void **state)
{
	const uint8_t k7[7] = { 0 }, in[8] = { 0 };
	uint8_t out[16], hash[16];

	(void)state;
	memset(out, 0xaa, sizeof(out));
	assert_false(ppp_md4(NULL, "a", 1, out));
	assert_memory_equal(out, (uint8_t[16]) { 0 }, 16);
	memset(out, 0xaa, sizeof(out));
	assert_false(ppp_des_block(NULL, k7, in, out));
	assert_memory_equal(out, (uint8_t[8]) { 0 }, 8);
	assert_int_equal(
	    mschap_nt_password_hash(NULL, V_PASSWORD, hash), PPP_E_CRYPTO);
}

static void
password_invalid_utf8_refused(void **state)
{
	static const char *const bad[] = {
		"\x80", /* stray continuation byte */
		"ab\xbf", /* stray continuation byte, late */
		"\xc3", /* truncated 2-byte sequence */
		"\xe2\x82", /* truncated 3-byte sequence */
		"\xf0\x9f\x98", /* truncated 4-byte sequence */
		"\xc3x", /* continuation missing */
		"\xc0\xaf", /* overlong '/' */
		"\xc1\xbf", /* overlong U+007F */
		"\xe0\x80\xaf", /* overlong '/' in 3 bytes */
		"\xe0\x9f\xbf", /* overlong U+07FF */
		"\xf0\x80\x80\xaf", /* overlong '/' in 4 bytes */
		"\xf0\x8f\xbf\xbf", /* overlong U+FFFF */
		"\xed\xa0\x80", /* surrogate U+D800 */
		"\xed\xbf\xbf", /* surrogate U+DFFF */
		"\xed\xa0\xbd\xed\xb8\x80", /* CESU-8 surrogate pair */
		"\xf4\x90\x80\x80", /* U+110000 */
		"\xf5\x80\x80\x80", /* lead byte beyond U+10FFFF */
		"\xf8\x88\x80\x80\x80", /* 5-byte form */
		"\xfe",
		"\xff",
	};
	struct ppp_crypto *pc = *state;
	uint8_t hash[16];
	size_t i;

	assert_int_equal(
	    mschap_nt_password_hash(pc, NULL, hash), PPP_E_INVALID);
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		memset(hash, 0xaa, sizeof(hash));
		assert_int_equal(
		    mschap_nt_password_hash(pc, bad[i], hash), PPP_E_INVALID);
		/* No half-computed hash is left behind. */
		assert_memory_equal(hash, (uint8_t[16]) { 0 }, 16);
	}
}

static void
password_longer_than_256_units_refused(void **state)
{
	struct ppp_crypto *pc = *state;
	char pw[4 * 130 + 1];
	uint8_t hash[16];
	size_t i;

	memset(pw, 'a', 257);
	pw[257] = '\0';
	assert_int_equal(mschap_nt_password_hash(pc, pw, hash), PPP_E_INVALID);
	pw[256] = '\0';
	assert_int_equal(mschap_nt_password_hash(pc, pw, hash), PPP_OK);
	/* 255 units and a surrogate pair: 257 units. */
	memcpy(pw + 255, "\xf0\x9f\x98\x80", 5);
	assert_int_equal(mschap_nt_password_hash(pc, pw, hash), PPP_E_INVALID);
	/* 128 emoji: 256 units; one more is too many. */
	for (i = 0; i < 128; i++)
		memcpy(pw + 4 * i, "\xf0\x9f\x98\x80", 4);
	pw[4 * 128] = '\0';
	assert_int_equal(mschap_nt_password_hash(pc, pw, hash), PPP_OK);
	memcpy(pw + 4 * 128, "\xf0\x9f\x98\x80", 5);
	assert_int_equal(mschap_nt_password_hash(pc, pw, hash), PPP_E_INVALID);
	/* RFC 2759 8.1: 0 characters is a password too. */
	assert_int_equal(mschap_nt_password_hash(pc, "", hash), PPP_OK);
	assert_hex_equal(
	    hash, 16, "31 D6 CF E0 D1 6A E9 31 B7 3C 59 D7 E0 C0 89 C0");
}

static void
auth_response_refused(void **state)
{
	const char *ok = V_AUTH_RESP;
	char buf[64];

	(void)state;
	/* One digit changed, first and last. */
	strcpy(buf, ok);
	buf[2] = '5';
	assert_false(mschap_authenticator_response_ok(ok, buf, 42));
	strcpy(buf, ok);
	buf[41] = '7';
	assert_false(mschap_authenticator_response_ok(ok, buf, 42));
	/* One character short, one long. */
	assert_false(mschap_authenticator_response_ok(ok, ok, 41));
	strcpy(buf, ok);
	strcat(buf, "0");
	assert_false(mschap_authenticator_response_ok(ok, buf, 43));
	/* 40 hex digits without "S=", padded to 42 or not. */
	assert_false(mschap_authenticator_response_ok(ok, ok + 2, 40));
	strcpy(buf, "  ");
	strcat(buf, ok + 2);
	assert_false(mschap_authenticator_response_ok(ok, buf, 42));
	strcpy(buf, ok);
	buf[0] = 's';
	assert_false(mschap_authenticator_response_ok(ok, buf, 42));
	strcpy(buf, ok);
	buf[1] = ':';
	assert_false(mschap_authenticator_response_ok(ok, buf, 42));
	/* Not hex: 'G', and a NUL inside the 42 bytes. */
	strcpy(buf, ok);
	buf[10] = 'G';
	assert_false(mschap_authenticator_response_ok(ok, buf, 42));
	memcpy(buf, ok, 42);
	buf[20] = '\0';
	assert_false(mschap_authenticator_response_ok(ok, buf, 42));
	/* A case fold must not make a control byte equal to a digit. */
	strcpy(buf, ok);
	buf[2] = (char)('4' & ~0x20);
	assert_false(mschap_authenticator_response_ok(ok, buf, 42));
	/* A bad expected value never matches. */
	assert_false(mschap_authenticator_response_ok("S=1234", ok, 42));
	assert_false(mschap_authenticator_response_ok(NULL, ok, 42));
}

static void
auth_response_accepted_either_case(void **state)
{
	const char *ok = V_AUTH_RESP;
	char buf[64];
	size_t i;

	(void)state;
	assert_true(mschap_authenticator_response_ok(ok, ok, 42));
	strcpy(buf, ok);
	for (i = 2; i < 42; i++)
		if (buf[i] >= 'A' && buf[i] <= 'F')
			buf[i] = (char)(buf[i] - 'A' + 'a');
	assert_string_equal(buf, "S=407a5589115fd0d6209f510fe9c04566932cda56");
	assert_true(mschap_authenticator_response_ok(ok, buf, 42));
	/* Server's text goes on with " M=..."; only 42 bytes are given. */
	strcpy(buf, ok);
	strcat(buf, " M=Access granted");
	assert_true(mschap_authenticator_response_ok(ok, buf, 42));
}

static void
hlak_refuses_unknown_role(void **state)
{
	struct ppp_crypto *pc = *state;
	uint8_t k[16] = { 1 }, hlak[32];
	struct vec v;

	vec_load(&v);
	memset(hlak, 0xaa, sizeof(hlak));
	assert_int_equal(
	    mschap_hlak_from_keys((enum ppp_role)7, k, k, hlak), PPP_E_INVALID);
	assert_memory_equal(hlak, (uint8_t[32]) { 0 }, 32);
	memset(hlak, 0xaa, sizeof(hlak));
	assert_int_equal(
	    mschap_hlak(pc, (enum ppp_role)7, v.hash, v.nt_resp, hlak),
	    PPP_E_INVALID);
	assert_memory_equal(hlak, (uint8_t[32]) { 0 }, 32);
}

/* --- spec vectors --- */

static void
rfc2759_vector_intermediates(void **state)
{
	struct ppp_crypto *pc = *state;
	uint8_t utf16[32], buf[32], chal[8], key8[8], block[8];
	char auth[MSCHAP_AUTH_RESP_LEN + 1];
	static const char *const keys8[3] = {
		"45 75 EF 51 D5 98 4A 70",
		"D6 08 51 E9 40 8F D5 D3",
		"89 D6 80 01 01 01 01 01",
	};
	uint8_t z[21] = { 0 };
	struct vec v;
	size_t n;
	int i;

	vec_load(&v);
	/* UTF-16LE password: its MD4 is the PasswordHash. */
	n = test_hex(V_PW_UTF16, utf16, sizeof(utf16));
	assert_int_equal(n, 20);
	assert_true(ppp_md4(pc, utf16, n, buf));
	assert_hex_equal(buf, 16, V_PW_HASH);
	assert_int_equal(mschap_nt_password_hash(pc, V_PASSWORD, buf), PPP_OK);
	assert_hex_equal(buf, 16, V_PW_HASH);
	assert_int_equal(mschap_hash_nt_password_hash(pc, v.hash, buf), PPP_OK);
	assert_hex_equal(buf, 16, V_PW_HH);
	assert_int_equal(
	    mschap_challenge_hash(pc, v.peer_chal, v.auth_chal, V_USER, chal),
	    PPP_OK);
	assert_hex_equal(chal, 8, V_CHAL_HASH);
	/* Each 7-byte key, expanded with parity, and its DES block. */
	memcpy(z, v.hash, 16);
	for (i = 0; i < 3; i++) {
		ppp_des_key_expand(z + 7 * i, key8);
		assert_hex_equal(key8, 8, keys8[i]);
		assert_true(ppp_des_block(pc, z + 7 * i, chal, block));
		assert_memory_equal(block, v.nt_resp + 8 * i, 8);
	}
	assert_int_equal(
	    mschap_challenge_response(pc, chal, v.hash, buf), PPP_OK);
	assert_hex_equal(buf, 24, V_NT_RESP);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(mschap_nt_response(
			     pc, v.auth_chal, v.peer_chal, V_USER, v.hash, buf),
	    PPP_OK);
	assert_hex_equal(buf, 24, V_NT_RESP);
	assert_int_equal(mschap_authenticator_response(pc, v.hash, v.nt_resp,
			     v.peer_chal, v.auth_chal, V_USER, auth),
	    PPP_OK);
	assert_string_equal(auth, V_AUTH_RESP);
	assert_true(mschap_authenticator_response_ok(auth, V_AUTH_RESP, 42));
}

static void
des_key_expand_clears_stray_bits(void **state)
{
	const uint8_t k[7] = { 0x01, 0x02, 0, 0, 0, 0, 0 };
	uint8_t k8[8];

	(void)state;
	/* spec/ppp.md 5.2 note: (k7[0] << 7) | (k7[1] >> 1) = 0x81 carries
	 * bit 1 of k7[1] in bit 0; parity is set over the key bits alone. */
	ppp_des_key_expand(k, k8);
	assert_hex_equal(k8, 8, "01 80 80 01 01 01 01 01");
}

static void
rfc3079_sample_both_roles(void **state)
{
	struct ppp_crypto *pc = *state;
	uint8_t hh[16], master[16], key[16], sess[20];
	const void *parts[4];
	size_t lens[4];
	uint8_t pad1[40], pad2[40];
	struct vec v;

	vec_load(&v);
	assert_int_equal(mschap_hash_nt_password_hash(pc, v.hash, hh), PPP_OK);
	assert_int_equal(mschap_master_key(pc, hh, v.nt_resp, master), PPP_OK);
	assert_hex_equal(master, 16, V_MASTER);
	/* Client send = server receive = Magic2 key. */
	assert_int_equal(
	    mschap_start_key(pc, master, true, false, key), PPP_OK);
	assert_hex_equal(key, 16, V_K2);
	assert_int_equal(
	    mschap_start_key(pc, master, false, true, key), PPP_OK);
	assert_hex_equal(key, 16, V_K2);
	/* Client receive = server send = Magic3 key (the RFC's SendStartKey,
	 * from the server's point of view: spec/ppp.md 6.3). */
	assert_int_equal(
	    mschap_start_key(pc, master, false, false, key), PPP_OK);
	assert_hex_equal(key, 16, V_K3);
	assert_int_equal(mschap_start_key(pc, master, true, true, key), PPP_OK);
	assert_hex_equal(key, 16, V_K3);
	/* GetNewKeyFromSHA(K3, K3): the RFC's SendSessionKey128, through
	 * ppp_sha1's parts. */
	memset(pad1, 0x00, sizeof(pad1));
	memset(pad2, 0xf2, sizeof(pad2));
	parts[0] = key;
	parts[1] = pad1;
	parts[2] = key;
	parts[3] = pad2;
	lens[0] = 16;
	lens[1] = 40;
	lens[2] = 16;
	lens[3] = 40;
	assert_true(ppp_sha1(pc, parts, lens, 4, sess));
	assert_hex_equal(sess, 16, V_SESSION3);
}

static void
hlak_and_msk_vector(void **state)
{
	struct ppp_crypto *pc = *state;
	uint8_t hlak[32], msk[64];
	struct vec v;

	vec_load(&v);
	assert_int_equal(
	    mschap_hlak(pc, PPP_ROLE_PEER, v.hash, v.nt_resp, hlak), PPP_OK);
	assert_hex_equal(hlak, 32, V_HLAK);
	assert_int_equal(
	    mschap_hlak(pc, PPP_ROLE_AUTHENTICATOR, v.hash, v.nt_resp, hlak),
	    PPP_OK);
	assert_hex_equal(hlak, 32, V_HLAK);
	/* spec/ppp.md 7.4: K2 || K3 || 32 x 00; its first half is the HLAK. */
	memset(msk, 0xaa, sizeof(msk));
	assert_int_equal(mschap_msk(pc, v.hash, v.nt_resp, msk), PPP_OK);
	assert_hex_equal(msk, 32, V_HLAK);
	assert_memory_equal(msk + 32, (uint8_t[32]) { 0 }, 32);
}

static void
hlak_order_matches_sstp_vector_2(void **state)
{
	uint8_t send[16], recv[16], hlak[32];

	(void)state;
	/* spec/sstp.md 4.8 vector 2: client keys, HLAK = send || recv. */
	test_hex("2A1BB40D55AB0F5EF32F06F2B3CC73C4", send, 16);
	test_hex("8FD3FAC41D7A1315A19228D9024CA164", recv, 16);
	assert_int_equal(
	    mschap_hlak_from_keys(PPP_ROLE_PEER, send, recv, hlak), PPP_OK);
	assert_hex_equal(hlak, 32,
	    "2A1BB40D55AB0F5EF32F06F2B3CC73C4"
	    "8FD3FAC41D7A1315A19228D9024CA164");
	/* The server's send key is the client's receive key: same bytes. */
	assert_int_equal(
	    mschap_hlak_from_keys(PPP_ROLE_AUTHENTICATOR, recv, send, hlak),
	    PPP_OK);
	assert_hex_equal(hlak, 32,
	    "2A1BB40D55AB0F5EF32F06F2B3CC73C4"
	    "8FD3FAC41D7A1315A19228D9024CA164");
}

static void
chap_md5_vector(void **state)
{
	struct ppp_crypto *pc = *state;
	uint8_t chal[16], out[16];

	/* spec/ppp.md 4. */
	test_hex("00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F", chal, 16);
	assert_int_equal(chap_md5_response(pc, 0x01, (const uint8_t *)"secret",
			     6, chal, 16, out),
	    PPP_OK);
	assert_hex_equal(
	    out, 16, "74 0E 86 46 3B DA 3A 4D 70 17 D6 E0 FB A0 69 9D");
	/* Another Id, another value. */
	assert_int_equal(chap_md5_response(pc, 0x02, (const uint8_t *)"secret",
			     6, chal, 16, out),
	    PPP_OK);
	assert_memory_not_equal(out,
	    "\x74\x0e\x86\x46\x3b\xda\x3a\x4d\x70\x17\xd6\xe0\xfb\xa0\x69\x9d",
	    16);
	assert_int_equal(
	    chap_md5_response(pc, 1, NULL, 6, chal, 16, out), PPP_E_INVALID);
}

static void
eap_md5_example(void **state)
{
	struct ppp_crypto *pc = *state;
	uint8_t req[32], resp[32], out[16];
	size_t nreq, nresp;

	/* spec/ppp.md 7.2: Id at [5], Value-Size at [9], Value from [10]. */
	nreq = test_hex("FF 03 C2 27 01 01 00 16 04 10 00 01 02 03 04 05 06 07 "
			"08 09 0A 0B 0C 0D 0E 0F",
	    req, sizeof(req));
	nresp = test_hex("FF 03 C2 27 02 01 00 16 04 10 74 0E 86 46 3B DA 3A "
			 "4D 70 17 D6 E0 FB A0 69 9D",
	    resp, sizeof(resp));
	assert_int_equal(nreq, 26);
	assert_int_equal(nresp, 26);
	assert_int_equal(req[9], 16);
	assert_int_equal(
	    chap_md5_response(pc, req[5], (const uint8_t *)"secret", 6,
		req + 10, req[9], out),
	    PPP_OK);
	assert_memory_equal(out, resp + 10, 16);
}

static void
password_non_ascii(void **state)
{
	struct ppp_crypto *pc = *state;
	uint8_t hash[16];

	/* U+00E4, U+00F6: one unit each. */
	assert_pw_hash_of_utf16(pc, "p\xc3\xa4ssw\xc3\xb6rd",
	    "70 00 E4 00 73 00 73 00 77 00 F6 00 72 00 64 00");
	/* Computed with iconv -t UTF-16LE | openssl dgst -md4. */
	assert_int_equal(
	    mschap_nt_password_hash(pc, "p\xc3\xa4ssw\xc3\xb6rd", hash),
	    PPP_OK);
	assert_hex_equal(hash, 16, "0553152250ac01adb4213cb9938663e4");
	/* U+1F600 as a surrogate pair, U+20AC in one unit. */
	assert_pw_hash_of_utf16(pc, "\xf0\x9f\x98\x80 ok\xe2\x82\xac",
	    "3D D8 00 DE 20 00 6F 00 6B 00 AC 20");
	assert_int_equal(mschap_nt_password_hash(
			     pc, "\xf0\x9f\x98\x80 ok\xe2\x82\xac", hash),
	    PPP_OK);
	assert_hex_equal(hash, 16, "9a0dfe26c16a2a3bc5a584ca32c99747");
	/* The edges: U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF. */
	assert_pw_hash_of_utf16(
	    pc, "\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf", "FF 07 00 08 FF FF");
	assert_pw_hash_of_utf16(
	    pc, "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", "00 D8 00 DC FF DB FF DF");
}

static void
ppp_trap_11_domain_stripped_for_hashing_only(void **state)
{
	struct ppp_crypto *pc = *state;
	uint8_t a[8], b[8], want[20], resp[24];
	const void *parts[3];
	size_t lens[3];
	struct vec v;

	vec_load(&v);
	assert_string_equal(mschap_strip_domain("DOMAIN\\User"), "User");
	assert_string_equal(mschap_strip_domain("DOMAIN\\\\User"), "User");
	assert_string_equal(mschap_strip_domain("A\\B\\User"), "User");
	assert_string_equal(mschap_strip_domain("User"), "User");
	assert_string_equal(mschap_strip_domain("DOMAIN\\"), "");
	assert_string_equal(mschap_strip_domain("user@realm"), "user@realm");
	/* ChallengeHash of DOMAIN\User = that of User = the vector's. */
	assert_int_equal(mschap_challenge_hash(
			     pc, v.peer_chal, v.auth_chal, "DOMAIN\\User", a),
	    PPP_OK);
	assert_int_equal(
	    mschap_challenge_hash(pc, v.peer_chal, v.auth_chal, "User", b),
	    PPP_OK);
	assert_memory_equal(a, b, 8);
	assert_hex_equal(a, 8, V_CHAL_HASH);
	assert_int_equal(mschap_challenge_hash(
			     pc, v.peer_chal, v.auth_chal, "DOMAIN\\\\User", a),
	    PPP_OK);
	assert_hex_equal(a, 8, V_CHAL_HASH);
	assert_int_equal(mschap_nt_response(pc, v.auth_chal, v.peer_chal,
			     "DOMAIN\\User", v.hash, resp),
	    PPP_OK);
	assert_hex_equal(resp, 24, V_NT_RESP);
	/* user@realm is hashed whole. */
	assert_int_equal(mschap_challenge_hash(
			     pc, v.peer_chal, v.auth_chal, "user@realm", a),
	    PPP_OK);
	parts[0] = v.peer_chal;
	parts[1] = v.auth_chal;
	parts[2] = "user@realm";
	lens[0] = 16;
	lens[1] = 16;
	lens[2] = 10;
	assert_true(ppp_sha1(pc, parts, lens, 3, want));
	assert_memory_equal(a, want, 8);
	assert_int_equal(
	    mschap_challenge_hash(pc, v.peer_chal, v.auth_chal, "user", b),
	    PPP_OK);
	assert_memory_not_equal(a, b, 8);
}

static void
ppp_trap_15_hlak_same_bytes_both_roles(void **state)
{
	struct ppp_crypto *pc = *state;
	uint8_t client[32], server[32], naive[32], k2k3[32];
	uint8_t hh[16], master[16];
	struct vec v;

	vec_load(&v);
	assert_int_equal(
	    mschap_hlak(pc, PPP_ROLE_PEER, v.hash, v.nt_resp, client), PPP_OK);
	assert_int_equal(
	    mschap_hlak(pc, PPP_ROLE_AUTHENTICATOR, v.hash, v.nt_resp, server),
	    PPP_OK);
	assert_memory_equal(client, server, 32);
	/* K2 || K3, from the start keys by magic constant. */
	assert_int_equal(mschap_hash_nt_password_hash(pc, v.hash, hh), PPP_OK);
	assert_int_equal(mschap_master_key(pc, hh, v.nt_resp, master), PPP_OK);
	assert_int_equal(
	    mschap_start_key(pc, master, true, false, k2k3), PPP_OK);
	assert_int_equal(
	    mschap_start_key(pc, master, false, false, k2k3 + 16), PPP_OK);
	assert_hex_equal(k2k3, 32, V_HLAK);
	assert_memory_equal(client, k2k3, 32);
	/* The server's naive send || recv is K3 || K2: wrong. */
	assert_int_equal(
	    mschap_start_key(pc, master, true, true, naive), PPP_OK);
	assert_int_equal(
	    mschap_start_key(pc, master, false, true, naive + 16), PPP_OK);
	assert_hex_equal(naive, 32, V_K3 V_K2);
	assert_memory_not_equal(server, naive, 32);
}

static void
random_bytes_differ(void **state)
{
	struct ppp_crypto *pc = *state;
	uint8_t a[16], b[16];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	assert_true(ppp_random(pc, a, sizeof(a)));
	assert_true(ppp_random(pc, b, sizeof(b)));
	assert_memory_not_equal(a, b, 16);
	assert_memory_not_equal(a, (uint8_t[16]) { 0 }, 16);
	assert_true(ppp_random(pc, a, 0));
	assert_false(ppp_random(NULL, a, sizeof(a)));
}

int
main(int argc, char **argv)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(crypto_new_twice_and_free_null),
		cmocka_unit_test(crypto_refuses_null_context),
		T(password_invalid_utf8_refused),
		T(password_longer_than_256_units_refused),
		T(auth_response_refused),
		T(auth_response_accepted_either_case),
		T(hlak_refuses_unknown_role),
		T(rfc2759_vector_intermediates),
		cmocka_unit_test(des_key_expand_clears_stray_bits),
		T(rfc3079_sample_both_roles),
		T(hlak_and_msk_vector),
		T(hlak_order_matches_sstp_vector_2),
		T(chap_md5_vector),
		T(eap_md5_example),
		T(password_non_ascii),
		T(ppp_trap_11_domain_stripped_for_hashing_only),
		T(ppp_trap_15_hlak_same_bytes_both_roles),
		T(random_bytes_differ),
	};
#undef T

	return test_run(argc, argv, "ppp_mschap", tests, ARRAY_LEN(tests));
}

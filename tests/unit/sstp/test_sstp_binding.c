#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sstp/sstp_binding.h"
#include "test_run.h"

#define MSG_LEN SSTP_CALL_CONNECTED_LEN

/* spec/sstp.md 4.8-4.9: the first 16 bytes of a Call Connected. */
#define HDR_SHA1   "10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 01"
#define HDR_SHA256 "10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 02"

/* spec/sstp.md 4.5: "SSTP inner method derived CMK". */
#define CMK_SEED_HEX                                                           \
	"53 53 54 50 20 69 6E 6E 65 72 20 6D 65 74 68 6F"                      \
	"64 20 64 65 72 69 76 65 64 20 43 4D 4B"

#define ZERO32                                                                 \
	"0000000000000000000000000000000000000000000000000000000000000000"

/* spec/sstp.md 4.9: the stand-in certificate and its hashes. */
#define STANDIN_DER "30 03 02 01 01"
#define STANDIN_SHA256                                                         \
	"1B65F68A522C858715F5DD951CD0402DC16691778814BF0759822B7A257421D0"
#define STANDIN_SHA1 "90D80B0214715C2117F1DB310CC56F1E87DC4775"
#define COUNTING_NONCE                                                         \
	"000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
#define MSCHAPV2_K2 "D5F0E9521E3EA9589645E86051C82226"
#define MSCHAPV2_K3 "8B7CDC149B993A1BA118CB153F56DCCB"

struct vec {
	uint8_t hash_proto;
	const char *nonce;
	const char *cert_hash; /* hash length bytes, no padding */
	const char *hlak;
	const char *cmk; /* NULL when the source gives none */
	const char *cmac; /* hash length bytes */
};

/* spec/sstp.md 4.8 vector 1, SHA1; HLAK = client send || recv. */
static const struct vec vec1 = {
	SSTP_CERT_HASH_PROTOCOL_SHA1,
	"0F1A2D58D4A3E3000FAD3CE4906E07B707AA9E441CCEAC5CBD7B2CC1C9D86CDF",
	"5826B629BDA59B8E6FD8DCD2622FD34C534805A5",
	"4B3128F43925D9006EEFB1C4E86515A1 D88E56BAB3CA2BDF0373B7F5A8A13B19",
	NULL,
	"69915DD583D8062FEF16F61DB2F03290EC27CB6C",
};

/* Vector 2, SHA256: also Microsoft's MS-SSTP 4.7 example. */
static const struct vec vec2 = {
	SSTP_CERT_HASH_PROTOCOL_SHA256,
	"412B489AEBD7ECC7D08966F26BE7CD72B231A0E9210D7C91B308862B0344C435",
	"7993EF314C493DACE9F02D60E7E61C84B6690AAFE9D7AEEA92CBBE8AD599422D",
	"2A1BB40D55AB0F5EF32F06F2B3CC73C4 8FD3FAC41D7A1315A19228D9024CA164",
	"ECF59AC9FE155CF0A9E7D66ADC1B363C1AD7BA91A9217F0CEC2A534298828DF6",
	"52A68EFD8CFFBF52770B8F0FE8EC73716583AF6D611EB6D179B3B20840985449",
};

/* Vector 3, SHA256, EAP-TLS: HLAK = MSK[0..31]. */
static const struct vec vec3 = {
	SSTP_CERT_HASH_PROTOCOL_SHA256,
	"388A1ECBF302BA02F9F372CE37488EC36B71A28B5E1B19FBE44D5465A631C463",
	"7FF150176FA8E38A1F402D11FF89FF11B66505AD7F9AE81205277BA4A6B9EF9D",
	"BB2C17EDBAA643B3D511EB9848792B7CAB5F5D709FE9BDF89B5DEAF5A8C17DB7",
	NULL,
	"FE6473C7D183914E483FEA1B12A6E760A4DA16B62FAB12A0A1E54E0EC325B24E",
};

/* spec/sstp.md 4.9 examples A-D. */
static const struct vec ex_a = {
	SSTP_CERT_HASH_PROTOCOL_SHA256,
	COUNTING_NONCE,
	STANDIN_SHA256,
	MSCHAPV2_K2 MSCHAPV2_K3,
	"150707E682B16F4CA9430560C562894AFD10050DB4182D35C3E9E06284445271",
	"E41335D0F4E63CACDA0835EB1416D624144CEDEFDC4B89F1F67D176C7AFC6809",
};

static const struct vec ex_b = {
	SSTP_CERT_HASH_PROTOCOL_SHA1,
	COUNTING_NONCE,
	STANDIN_SHA1,
	MSCHAPV2_K2 MSCHAPV2_K3,
	"3AFBFF0BA79DD9743BD09949FA99F9D0C92D3698",
	"3B20DE34A2AB10AFDFC23A02B680842845883435",
};

static const struct vec ex_c = {
	SSTP_CERT_HASH_PROTOCOL_SHA256,
	COUNTING_NONCE,
	STANDIN_SHA256,
	ZERO32,
	"D342EB00477D6A37E1A184FB0168CB3EA3B6645FA0F227904D20EEF5CB8F9327",
	"C2830D60DD5F2BEF9A8B61FDFD17D875EDA4CE02E016A15DA3D4CFA80514A206",
};

static const struct vec ex_d = {
	SSTP_CERT_HASH_PROTOCOL_SHA1,
	COUNTING_NONCE,
	STANDIN_SHA1,
	ZERO32,
	"AE571EDE1E11EFB7BB85B8B4F07E15F0E086761A",
	"F03730D15F9E38F7420B4883AD5D980AE07F3FDC",
};

/* A real exchange with SoftEther: PAP (zero HLAK), SHA256. */
static const struct vec softether = {
	SSTP_CERT_HASH_PROTOCOL_SHA256,
	"a1fc453eedd06c6d4638536f096e7d6c33f0781eb6db66d4f4185f02d57bc1cd",
	"c305cf203750be79f8c56bcb3bbe9454e37d2353c08f31ea9e60369c3c394b6b",
	ZERO32,
	NULL,
	"dd307d866a224c0a695311a3870933bbafc4a73a40685a2ff11870ea9e934607",
};

static size_t
vec_hlen(const struct vec *v)
{
	return v->hash_proto == SSTP_CERT_HASH_PROTOCOL_SHA1 ? 20 : 32;
}

/* Parse hex that must give exactly n bytes. */
static void
hex_exact(const char *hex, uint8_t *out, size_t n)
{
	assert_int_equal(test_hex(hex, out, n), n);
}

/* The Call Connected of v assembled from the spec's hex, not our encoder. */
static void
vec_msg(const struct vec *v, bool with_mac, uint8_t msg[MSG_LEN])
{
	size_t hlen = vec_hlen(v);

	memset(msg, 0, MSG_LEN);
	hex_exact(hlen == 20 ? HDR_SHA1 : HDR_SHA256, msg, 16);
	hex_exact(v->nonce, msg + 16, 32);
	hex_exact(v->cert_hash, msg + 48, hlen);
	if (with_mac)
		hex_exact(v->cmac, msg + 80, hlen);
}

static void
vec_cert_hashes(const struct vec *v, struct sstp_cert_hashes *ch)
{
	memset(ch, 0, sizeof(*ch));
	if (v->hash_proto == SSTP_CERT_HASH_PROTOCOL_SHA1) {
		ch->have_sha1 = true;
		hex_exact(v->cert_hash, ch->sha1, 20);
	} else {
		ch->have_sha256 = true;
		hex_exact(v->cert_hash, ch->sha256, 32);
	}
}

static void
vec_check_cmk(const struct vec *v, const uint8_t hlak[32])
{
	uint8_t cmk[32], want[32] = { 0 };
	size_t cmk_len;

	assert_int_equal(
	    sstp_cmk_derive(v->hash_proto, hlak, cmk, &cmk_len), SSTP_OK);
	assert_int_equal(cmk_len, vec_hlen(v));
	if (v->cmk != NULL) {
		hex_exact(v->cmk, want, cmk_len);
		assert_memory_equal(cmk, want, 32);
	}
}

static void
vec_check_cmac(const struct vec *v, const uint8_t hlak[32])
{
	uint8_t msg[MSG_LEN], cmk[32], mac[32], want[32] = { 0 };
	size_t cmk_len;

	vec_msg(v, false, msg);
	hex_exact(v->cmac, want, vec_hlen(v));
	assert_int_equal(
	    sstp_cmk_derive(v->hash_proto, hlak, cmk, &cmk_len), SSTP_OK);
	assert_int_equal(
	    sstp_cmac_compute(v->hash_proto, cmk, cmk_len, msg, mac), SSTP_OK);
	assert_memory_equal(mac, want, 32);
}

/* Built by sstp_binding_build, all 112 bytes; verifies; decodes. */
static void
vec_check_build(const struct vec *v, const uint8_t hlak[32])
{
	uint8_t nonce[32], want[MSG_LEN], out[MSG_LEN];
	struct sstp_cert_hashes ch;
	struct sstp_ctrl c;

	hex_exact(v->nonce, nonce, 32);
	vec_cert_hashes(v, &ch);
	vec_msg(v, true, want);
	assert_int_equal(
	    sstp_binding_build(v->hash_proto, nonce, &ch, hlak, out), SSTP_OK);
	assert_memory_equal(out, want, MSG_LEN);
	assert_int_equal(sstp_ctrl_decode(out, MSG_LEN, &c), SSTP_OK);
	assert_int_equal(c.type, SSTP_MSG_CALL_CONNECTED);
	assert_int_equal(
	    sstp_binding_check(&c.binding, v->hash_proto, nonce, &ch), SSTP_OK);
	assert_int_equal(sstp_binding_verify_mac(out, hlak), SSTP_OK);
}

static void
vec_check(const struct vec *v)
{
	uint8_t hlak[32];

	hex_exact(v->hlak, hlak, 32);
	vec_check_cmk(v, hlak);
	vec_check_cmac(v, hlak);
	vec_check_build(v, hlak);
}

/* A binding built from v, decoded, for the failure cases. */
static void
vec_built(const struct vec *v, uint8_t out[MSG_LEN], struct sstp_ctrl *c,
    uint8_t nonce[32], struct sstp_cert_hashes *ch)
{
	uint8_t hlak[32];

	hex_exact(v->hlak, hlak, 32);
	hex_exact(v->nonce, nonce, 32);
	vec_cert_hashes(v, ch);
	assert_int_equal(
	    sstp_binding_build(v->hash_proto, nonce, ch, hlak, out), SSTP_OK);
	assert_int_equal(sstp_ctrl_decode(out, MSG_LEN, c), SSTP_OK);
}

static void
vector1_sha1(void **state)
{
	(void)state;
	vec_check(&vec1);
}

static void
vector2_sha256_ms_sstp_example(void **state)
{
	(void)state;
	vec_check(&vec2);
}

static void
vector3_sha256_eap_tls(void **state)
{
	(void)state;
	vec_check(&vec3);
}

static void
example_a_mschapv2_sha256(void **state)
{
	uint8_t hlak[32], out[MSG_LEN], want[MSG_LEN], nonce[32];
	struct sstp_cert_hashes ch;

	(void)state;
	vec_check(&ex_a);
	/* spec/sstp.md 4.9: the whole message as sent, byte for byte. */
	hex_exact(
	    "10010070000400010003006800000002 000102030405060708090A0B0C0D0E0F"
	    "101112131415161718191A1B1C1D1E1F 1B65F68A522C858715F5DD951CD0402D"
	    "C16691778814BF0759822B7A257421D0 E41335D0F4E63CACDA0835EB1416D624"
	    "144CEDEFDC4B89F1F67D176C7AFC6809",
	    want, MSG_LEN);
	hex_exact(ex_a.hlak, hlak, 32);
	hex_exact(COUNTING_NONCE, nonce, 32);
	hex_exact(STANDIN_DER, out, 5);
	assert_int_equal(sstp_cert_hashes_compute(out, 5, &ch), SSTP_OK);
	assert_int_equal(sstp_binding_build(SSTP_CERT_HASH_PROTOCOL_SHA256,
			     nonce, &ch, hlak, out),
	    SSTP_OK);
	assert_memory_equal(out, want, MSG_LEN);
}

static void
example_b_mschapv2_sha1(void **state)
{
	uint8_t hlak[32], out[MSG_LEN], want[MSG_LEN], nonce[32];
	struct sstp_cert_hashes ch;

	(void)state;
	vec_check(&ex_b);
	/* spec/sstp.md 4.9: SHA1 values zero-padded in both fields. */
	hex_exact(HDR_SHA1 COUNTING_NONCE STANDIN_SHA1
	    "000000000000000000000000"
	    "3B20DE34A2AB10AFDFC23A02B680842845883435"
	    "000000000000000000000000",
	    want, MSG_LEN);
	hex_exact(ex_b.hlak, hlak, 32);
	hex_exact(COUNTING_NONCE, nonce, 32);
	hex_exact(STANDIN_DER, out, 5);
	assert_int_equal(sstp_cert_hashes_compute(out, 5, &ch), SSTP_OK);
	assert_int_equal(sstp_binding_build(SSTP_CERT_HASH_PROTOCOL_SHA1, nonce,
			     &ch, hlak, out),
	    SSTP_OK);
	assert_memory_equal(out, want, MSG_LEN);
}

static void
example_c_zero_hlak_sha256(void **state)
{
	(void)state;
	vec_check(&ex_c);
}

static void
example_d_zero_hlak_sha1(void **state)
{
	(void)state;
	vec_check(&ex_d);
}

/* The Call Connected our probe sent to SoftEther, all 112 bytes. */
static void
softether_exchange_sha256(void **state)
{
	uint8_t hlak[32] = { 0 }, nonce[32], out[MSG_LEN], want[MSG_LEN];
	struct sstp_cert_hashes ch;
	struct sstp_ctrl c;

	(void)state;
	hex_exact(
	    "10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 02"
	    "a1fc453eedd06c6d4638536f096e7d6c33f0781eb6db66d4f4185f02d57bc1cd"
	    "c305cf203750be79f8c56bcb3bbe9454e37d2353c08f31ea9e60369c3c394b6b"
	    "dd307d866a224c0a695311a3870933bbafc4a73a40685a2ff11870ea9e934607",
	    want, MSG_LEN);
	hex_exact(softether.nonce, nonce, 32);
	memset(&ch, 0, sizeof(ch));
	ch.have_sha256 = true;
	hex_exact(softether.cert_hash, ch.sha256, 32);
	assert_int_equal(sstp_binding_build(SSTP_CERT_HASH_PROTOCOL_SHA256,
			     nonce, &ch, hlak, out),
	    SSTP_OK);
	assert_memory_equal(out, want, MSG_LEN);
	assert_int_equal(sstp_ctrl_decode(out, MSG_LEN, &c), SSTP_OK);
	assert_int_equal(
	    sstp_binding_check(&c.binding, 0x02, nonce, &ch), SSTP_OK);
	assert_int_equal(sstp_binding_verify_mac(want, hlak), SSTP_OK);
	vec_check(&softether);
}

static void
standin_cert_hashes(void **state)
{
	uint8_t der[5], sha1[20], sha256[32];
	struct sstp_cert_hashes ch;

	(void)state;
	hex_exact(STANDIN_DER, der, sizeof(der));
	hex_exact(STANDIN_SHA1, sha1, sizeof(sha1));
	hex_exact(STANDIN_SHA256, sha256, sizeof(sha256));
	assert_int_equal(
	    sstp_cert_hashes_compute(der, sizeof(der), &ch), SSTP_OK);
	assert_true(ch.have_sha1);
	assert_true(ch.have_sha256);
	assert_memory_equal(ch.sha1, sha1, sizeof(sha1));
	assert_memory_equal(ch.sha256, sha256, sizeof(sha256));
}

static void
build_decodes_as_call_connected(void **state)
{
	uint8_t out[MSG_LEN], nonce[32], cert[32];
	struct sstp_cert_hashes ch;
	struct sstp_ctrl c;

	(void)state;
	vec_built(&ex_b, out, &c, nonce, &ch);
	assert_int_equal(c.type, SSTP_MSG_CALL_CONNECTED);
	assert_int_equal(c.num_attrs, 1);
	assert_int_equal(c.binding.hash_proto, SSTP_CERT_HASH_PROTOCOL_SHA1);
	assert_memory_equal(c.binding.nonce, nonce, 32);
	memset(cert, 0, sizeof(cert));
	memcpy(cert, ch.sha1, 20);
	assert_memory_equal(c.binding.cert_hash, cert, 32);
	assert_memory_equal(c.binding.cmac, out + 80, 32);
}

static void
hash_len_of_each_proto(void **state)
{
	(void)state;
	assert_int_equal(sstp_hash_len(0x01), 20);
	assert_int_equal(sstp_hash_len(0x02), 32);
	assert_int_equal(sstp_hash_len(0x00), 0);
	assert_int_equal(sstp_hash_len(0x03), 0);
	assert_int_equal(sstp_hash_len(0x04), 0);
	assert_int_equal(sstp_hash_len(0x82), 0);
}

static void
bad_hash_proto_refused_everywhere(void **state)
{
	static const uint8_t bad[] = { 0x00, 0x03, 0x04, 0xff };
	uint8_t hlak[32] = { 0 }, nonce[32] = { 0 }, msg[MSG_LEN], mac[32];
	uint8_t cmk[32];
	struct sstp_cert_hashes ch;
	size_t i, cmk_len;

	(void)state;
	memset(&ch, 0x5a, sizeof(ch));
	ch.have_sha1 = ch.have_sha256 = true;
	vec_msg(&ex_c, true, msg);
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(sstp_cmk_derive(bad[i], hlak, cmk, &cmk_len),
		    SSTP_E_HASH_PROTO);
		assert_int_equal(cmk_len, 0);
		assert_int_equal(sstp_cmac_compute(bad[i], hlak, 32, msg, mac),
		    SSTP_E_HASH_PROTO);
		assert_int_equal(
		    sstp_binding_build(bad[i], nonce, &ch, hlak, msg),
		    SSTP_E_HASH_PROTO);
	}
}

static void
build_without_cert_hash(void **state)
{
	uint8_t hlak[32] = { 0 }, nonce[32] = { 0 }, out[MSG_LEN];
	struct sstp_cert_hashes ch;

	(void)state;
	memset(&ch, 0, sizeof(ch));
	ch.have_sha1 = true;
	assert_int_equal(sstp_binding_build(SSTP_CERT_HASH_PROTOCOL_SHA256,
			     nonce, &ch, hlak, out),
	    SSTP_E_NO_CERT_HASH);
	ch.have_sha1 = false;
	ch.have_sha256 = true;
	assert_int_equal(sstp_binding_build(SSTP_CERT_HASH_PROTOCOL_SHA1, nonce,
			     &ch, hlak, out),
	    SSTP_E_NO_CERT_HASH);
	assert_int_equal(sstp_binding_build(SSTP_CERT_HASH_PROTOCOL_SHA1, nonce,
			     NULL, hlak, out),
	    SSTP_E_NO_CERT_HASH);
}

static void
check_nonce_one_bit_flipped(void **state)
{
	uint8_t out[MSG_LEN], nonce[32];
	struct sstp_cert_hashes ch;
	struct sstp_ctrl c;
	size_t i;

	(void)state;
	vec_built(&vec2, out, &c, nonce, &ch);
	for (i = 0; i < 32; i += 31) {
		nonce[i] ^= 0x01;
		assert_int_equal(
		    sstp_binding_check(&c.binding, 0x03, nonce, &ch),
		    SSTP_E_NONCE);
		nonce[i] ^= 0x01;
	}
	c.binding.nonce[31] ^= 0x80;
	assert_int_equal(
	    sstp_binding_check(&c.binding, 0x03, nonce, &ch), SSTP_E_NONCE);
}

static void
check_wrong_cert_hash(void **state)
{
	uint8_t out[MSG_LEN], nonce[32];
	struct sstp_cert_hashes ch;
	struct sstp_ctrl c;

	(void)state;
	vec_built(&vec2, out, &c, nonce, &ch);
	ch.sha256[31] ^= 0x01;
	assert_int_equal(
	    sstp_binding_check(&c.binding, 0x02, nonce, &ch), SSTP_E_CERT_HASH);
	vec_built(&vec1, out, &c, nonce, &ch);
	c.binding.cert_hash[19] ^= 0x01; /* last byte of the SHA1 proper */
	assert_int_equal(
	    sstp_binding_check(&c.binding, 0x01, nonce, &ch), SSTP_E_CERT_HASH);
}

/* spec/sstp.md 4.3: SHA1 padding bytes are not compared. */
static void
check_sha1_padding_not_compared(void **state)
{
	uint8_t out[MSG_LEN], nonce[32];
	struct sstp_cert_hashes ch;
	struct sstp_ctrl c;

	(void)state;
	vec_built(&vec1, out, &c, nonce, &ch);
	memset(c.binding.cert_hash + 20, 0xee, 12);
	assert_int_equal(
	    sstp_binding_check(&c.binding, 0x01, nonce, &ch), SSTP_OK);
}

static void
check_hash_proto_not_one_offered_bit(void **state)
{
	static const uint8_t bad[] = { 0x00, 0x03, 0x04 };
	uint8_t out[MSG_LEN], nonce[32];
	struct sstp_cert_hashes ch;
	struct sstp_ctrl c;
	size_t i;

	(void)state;
	vec_built(&vec2, out, &c, nonce, &ch);
	ch.have_sha1 = true;
	for (i = 0; i < ARRAY_LEN(bad); i++) {
		c.binding.hash_proto = bad[i];
		assert_int_equal(
		    sstp_binding_check(&c.binding, 0xff, nonce, &ch),
		    SSTP_E_HASH_PROTO);
	}
	/* SHA1 when only SHA256 was offered. */
	vec_built(&vec1, out, &c, nonce, &ch);
	assert_int_equal(sstp_binding_check(&c.binding, 0x02, nonce, &ch),
	    SSTP_E_HASH_PROTO);
	assert_int_equal(
	    sstp_binding_check(&c.binding, 0x03, nonce, &ch), SSTP_OK);
}

static void
check_no_cert_hash_known(void **state)
{
	uint8_t out[MSG_LEN], nonce[32];
	struct sstp_cert_hashes ch;
	struct sstp_ctrl c;

	(void)state;
	vec_built(&vec2, out, &c, nonce, &ch);
	ch.have_sha256 = false;
	ch.have_sha1 = true;
	assert_int_equal(sstp_binding_check(&c.binding, 0x03, nonce, &ch),
	    SSTP_E_NO_CERT_HASH);
	assert_int_equal(sstp_binding_check(&c.binding, 0x03, nonce, NULL),
	    SSTP_E_NO_CERT_HASH);
}

/* spec/sstp.md 4.7: steps 2, 3, 4 in that order. */
static void
check_steps_in_order(void **state)
{
	uint8_t out[MSG_LEN], nonce[32];
	struct sstp_cert_hashes ch;
	struct sstp_ctrl c;

	(void)state;
	vec_built(&vec2, out, &c, nonce, &ch);
	ch.sha256[0] ^= 0x01;
	c.binding.nonce[0] ^= 0x01;
	c.binding.hash_proto = 0x03;
	assert_int_equal(
	    sstp_binding_check(&c.binding, 0x03, nonce, &ch), SSTP_E_NONCE);
	c.binding.nonce[0] ^= 0x01;
	assert_int_equal(sstp_binding_check(&c.binding, 0x03, nonce, &ch),
	    SSTP_E_HASH_PROTO);
	c.binding.hash_proto = 0x02;
	assert_int_equal(
	    sstp_binding_check(&c.binding, 0x03, nonce, &ch), SSTP_E_CERT_HASH);
	ch.have_sha256 = false;
	assert_int_equal(sstp_binding_check(&c.binding, 0x03, nonce, &ch),
	    SSTP_E_NO_CERT_HASH);
}

static void
verify_mac_one_bit_flipped(void **state)
{
	static const size_t sha256_at[] = { 80, 95, 111 };
	static const size_t sha1_at[] = { 80, 99 };
	uint8_t msg[MSG_LEN], hlak[32];
	size_t i;

	(void)state;
	hex_exact(vec2.hlak, hlak, 32);
	vec_msg(&vec2, true, msg);
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_OK);
	for (i = 0; i < ARRAY_LEN(sha256_at); i++) {
		msg[sha256_at[i]] ^= 0x01;
		assert_int_equal(
		    sstp_binding_verify_mac(msg, hlak), SSTP_E_CMAC);
		msg[sha256_at[i]] ^= 0x01;
	}
	hex_exact(vec1.hlak, hlak, 32);
	vec_msg(&vec1, true, msg);
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_OK);
	for (i = 0; i < ARRAY_LEN(sha1_at); i++) {
		msg[sha1_at[i]] ^= 0x01;
		assert_int_equal(
		    sstp_binding_verify_mac(msg, hlak), SSTP_E_CMAC);
		msg[sha1_at[i]] ^= 0x01;
	}
}

static void
verify_mac_wrong_hlak(void **state)
{
	uint8_t msg[MSG_LEN], hlak[32];

	(void)state;
	vec_msg(&vec3, true, msg);
	hex_exact(vec3.hlak, hlak, 32);
	hlak[31] ^= 0x01;
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_E_CMAC);
	memset(hlak, 0, sizeof(hlak));
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_E_CMAC);
}

static void
verify_mac_bad_hash_proto(void **state)
{
	uint8_t msg[MSG_LEN], hlak[32] = { 0 };

	(void)state;
	vec_msg(&ex_c, true, msg);
	msg[15] = 0x03;
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_E_HASH_PROTO);
	msg[15] = 0x00;
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_E_HASH_PROTO);
	/* The hash proto is covered: SHA256 message relabelled SHA1. */
	msg[15] = 0x01;
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_E_CMAC);
}

/*
 * spec/sstp.md 4.7 step 6: SHA1 padding and the MAC field tail are zeroed
 * before the MAC, so non-zero bytes there still verify.
 */
static void
verify_mac_sha1_padding_and_tail_ignored(void **state)
{
	uint8_t msg[MSG_LEN], hlak[32] = { 0 };

	(void)state;
	vec_msg(&ex_d, true, msg);
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_OK);
	memset(msg + 68, 0xa5, 12);
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_OK);
	memset(msg + 100, 0x5a, 12);
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_OK);
	msg[67] ^= 0x01; /* but the hash proper is covered */
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_E_CMAC);
}

/* CMAC of v's message with hlak, into mac. */
static void
cmac_with_hlak(const struct vec *v, const char *hlak_hex, uint8_t mac[32])
{
	uint8_t msg[MSG_LEN], hlak[32], cmk[32];
	size_t cmk_len;

	vec_msg(v, false, msg);
	hex_exact(hlak_hex, hlak, 32);
	assert_int_equal(
	    sstp_cmk_derive(v->hash_proto, hlak, cmk, &cmk_len), SSTP_OK);
	assert_int_equal(
	    sstp_cmac_compute(v->hash_proto, cmk, cmk_len, msg, mac), SSTP_OK);
}

/* spec/sstp.md 4.8: HLAK = K2 || K3; the other order gives these MACs. */
static void
sstp_trap_01_hlak_order_k2_then_k3(void **state)
{
	uint8_t mac[32], want[32] = { 0 };

	(void)state;
	cmac_with_hlak(&vec1,
	    "D88E56BAB3CA2BDF0373B7F5A8A13B19 4B3128F43925D9006EEFB1C4E86515A1",
	    mac);
	hex_exact("2CEF8F3500F337EE5DF6E1C6917EA7C766631E91", want, 20);
	assert_memory_equal(mac, want, 32);
	cmac_with_hlak(&vec2,
	    "8FD3FAC41D7A1315A19228D9024CA164 2A1BB40D55AB0F5EF32F06F2B3CC73C4",
	    mac);
	hex_exact(
	    "CCE9C18AD2972E28DCDFF8CD70248D8FDCEDB91D52164696FD308D32C830379A",
	    want, 32);
	assert_memory_equal(mac, want, 32);
	/* and the right order, K2 first, gives the published MACs */
	cmac_with_hlak(&vec1, vec1.hlak, mac);
	memset(want, 0, sizeof(want));
	hex_exact(vec1.cmac, want, 20);
	assert_memory_equal(mac, want, 32);
	cmac_with_hlak(&ex_a, MSCHAPV2_K2 MSCHAPV2_K3, mac);
	hex_exact(ex_a.cmac, want, 32);
	assert_memory_equal(mac, want, 32);
}

/* HMAC-H(key, data) computed in the test itself. */
static void
ref_hmac(const char *md, const uint8_t *key, size_t key_len,
    const uint8_t *data, size_t len, uint8_t *out, size_t out_len)
{
	size_t n = 0;

	assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, md, NULL, key, key_len,
	    data, len, out, out_len, &n));
	assert_int_equal(n, out_len);
}

static void
sstp_trap_02_cmk_length_little_endian_full_hlak_key(void **state)
{
	uint8_t hlak[32], in[32], cmk[32], ref[32], msg[MSG_LEN], mac[32];
	uint8_t want[32];
	size_t cmk_len;

	(void)state;
	/* SHA256: LEN = 20 00; the published CMK of vector 2. */
	hex_exact(vec2.hlak, hlak, 32);
	hex_exact(CMK_SEED_HEX "20 00 01", in, 32);
	ref_hmac("SHA256", hlak, 32, in, 32, ref, 32);
	assert_int_equal(sstp_cmk_derive(0x02, hlak, cmk, &cmk_len), SSTP_OK);
	assert_memory_equal(cmk, ref, 32);
	hex_exact(vec2.cmk, want, 32);
	assert_memory_equal(cmk, want, 32);
	/* Big-endian 00 20 would give MS-SSTP's example this other MAC. */
	hex_exact(CMK_SEED_HEX "00 20 01", in, 32);
	ref_hmac("SHA256", hlak, 32, in, 32, ref, 32);
	vec_msg(&vec2, false, msg);
	assert_int_equal(sstp_cmac_compute(0x02, ref, 32, msg, mac), SSTP_OK);
	hex_exact("6F427735056C5909043D7584494D1E97"
		  "B0C9600E0753A3AB18E172B96B5033A4",
	    want, 32);
	assert_memory_equal(mac, want, 32);
	/* SHA1: LEN = 14 00, key all 32 bytes of the HLAK, not 20. */
	hex_exact(ex_b.hlak, hlak, 32);
	hex_exact(CMK_SEED_HEX "14 00 01", in, 32);
	ref_hmac("SHA1", hlak, 32, in, 32, ref, 20);
	assert_int_equal(sstp_cmk_derive(0x01, hlak, cmk, &cmk_len), SSTP_OK);
	assert_int_equal(cmk_len, 20);
	assert_memory_equal(cmk, ref, 20);
	ref_hmac("SHA1", hlak, 20, in, 32, ref, 20);
	assert_memory_not_equal(cmk, ref, 20);
	memset(want, 0, sizeof(want));
	hex_exact(ex_b.cmk, want, 20);
	assert_memory_equal(cmk, want, 32);
}

/* Every byte up to the end of the hash proper is covered, none after. */
static void
cmac_coverage(const struct vec *v)
{
	uint8_t msg[MSG_LEN], hlak[32], cmk[32], mac[32], base[32];
	size_t i, cmk_len, covered = 48 + vec_hlen(v);

	hex_exact(v->hlak, hlak, 32);
	vec_msg(v, false, msg);
	assert_int_equal(
	    sstp_cmk_derive(v->hash_proto, hlak, cmk, &cmk_len), SSTP_OK);
	assert_int_equal(
	    sstp_cmac_compute(v->hash_proto, cmk, cmk_len, msg, base), SSTP_OK);
	for (i = 0; i < MSG_LEN; i++) {
		msg[i] ^= 0x40;
		assert_int_equal(
		    sstp_cmac_compute(v->hash_proto, cmk, cmk_len, msg, mac),
		    SSTP_OK);
		if (i < covered)
			assert_memory_not_equal(mac, base, 32);
		else
			assert_memory_equal(mac, base, 32);
		msg[i] ^= 0x40;
	}
}

static void
sstp_trap_03_cmac_covers_whole_message_mac_zeroed(void **state)
{
	uint8_t msg[MSG_LEN], hlak[32], cmk[32], mac[32], want[32];
	size_t cmk_len;

	(void)state;
	cmac_coverage(&vec2);
	cmac_coverage(&vec1);
	/* The MAC field as received does not enter the MAC. */
	vec_msg(&vec2, true, msg);
	hex_exact(vec2.hlak, hlak, 32);
	hex_exact(vec2.cmac, want, 32);
	assert_int_equal(sstp_cmk_derive(0x02, hlak, cmk, &cmk_len), SSTP_OK);
	assert_int_equal(
	    sstp_cmac_compute(0x02, cmk, cmk_len, msg, mac), SSTP_OK);
	assert_memory_equal(mac, want, 32);
	/* Not just the attribute: the MAC over bytes 8.. alone differs. */
	vec_msg(&vec2, false, msg);
	ref_hmac("SHA256", cmk, cmk_len, msg + 8, MSG_LEN - 8, mac, 32);
	assert_memory_not_equal(mac, want, 32);
}

/* An ECDSA P-256 self-signed certificate; *der allocated by OpenSSL. */
static X509 *
make_cert(uint8_t **der, int *der_len)
{
	EVP_PKEY *pkey;
	X509 *x;
	X509_NAME *name;

	assert_non_null(pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"));
	assert_non_null(x = X509_new());
	assert_int_equal(X509_set_version(x, X509_VERSION_3), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 1), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
	name = X509_get_subject_name(x);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
			     (const unsigned char *)"sstp.test", -1, -1, 0),
	    1);
	assert_int_equal(X509_set_issuer_name(x, name), 1);
	assert_int_equal(X509_set_pubkey(x, pkey), 1);
	assert_true(X509_sign(x, pkey, EVP_sha256()) > 0);
	EVP_PKEY_free(pkey);
	*der = NULL;
	assert_true((*der_len = i2d_X509(x, der)) > 0);
	return x;
}

/* The hashes of the SPKI, the public key bits and the PEM: all differ. */
static void
assert_not_other_encodings(X509 *x, const struct sstp_cert_hashes *ch)
{
	uint8_t *spki = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int n;
	size_t pem_len;
	char *pem;
	BIO *bio;
	int len;

	assert_true((len = i2d_PUBKEY(X509_get0_pubkey(x), &spki)) > 0);
	assert_true(EVP_Digest(spki, len, md, &n, EVP_sha256(), NULL));
	assert_memory_not_equal(md, ch->sha256, 32);
	assert_true(EVP_Digest(spki, len, md, &n, EVP_sha1(), NULL));
	assert_memory_not_equal(md, ch->sha1, 20);
	OPENSSL_free(spki);
	assert_int_equal(X509_pubkey_digest(x, EVP_sha256(), md, &n), 1);
	assert_memory_not_equal(md, ch->sha256, 32);
	assert_non_null(bio = BIO_new(BIO_s_mem()));
	assert_int_equal(PEM_write_bio_X509(bio, x), 1);
	pem_len = (size_t)BIO_get_mem_data(bio, &pem);
	assert_true(EVP_Digest(pem, pem_len, md, &n, EVP_sha256(), NULL));
	assert_memory_not_equal(md, ch->sha256, 32);
	BIO_free(bio);
}

static void
sstp_trap_04_cert_hash_is_hash_of_leaf_der(void **state)
{
	uint8_t *der, md[EVP_MAX_MD_SIZE];
	struct sstp_cert_hashes ch;
	unsigned int n;
	int der_len;
	X509 *x;

	(void)state;
	x = make_cert(&der, &der_len);
	assert_int_equal(
	    sstp_cert_hashes_compute(der, (size_t)der_len, &ch), SSTP_OK);
	assert_true(ch.have_sha1 && ch.have_sha256);
	assert_int_equal(X509_digest(x, EVP_sha1(), md, &n), 1);
	assert_int_equal(n, 20);
	assert_memory_equal(ch.sha1, md, 20);
	assert_int_equal(X509_digest(x, EVP_sha256(), md, &n), 1);
	assert_int_equal(n, 32);
	assert_memory_equal(ch.sha256, md, 32);
	assert_not_other_encodings(x, &ch);
	OPENSSL_free(der);
	X509_free(x);
}

/* PAP/CHAP: 32 zero bytes, a real binding (examples C, D, SoftEther). */
static void
sstp_trap_05_zero_hlak_for_pap_chap(void **state)
{
	uint8_t hlak[32] = { 0 }, msg[MSG_LEN];

	(void)state;
	vec_check(&ex_c);
	vec_check(&ex_d);
	vec_check(&softether);
	vec_msg(&softether, true, msg);
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_OK);
	/* the zero HLAK is not "no MAC": a zero MAC field fails */
	memset(msg + 80, 0, 32);
	assert_int_equal(sstp_binding_verify_mac(msg, hlak), SSTP_E_CMAC);
}

static void
sstp_trap_18_server_uses_hash_of_this_connections_cert(void **state)
{
	static const uint8_t protos[] = { 0x01, 0x02 };
	uint8_t der_a[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	uint8_t der_b[] = { 0x30, 0x03, 0x02, 0x01, 0x02 };
	uint8_t hlak[32] = { 0 }, nonce[32] = { 7 }, out[MSG_LEN];
	struct sstp_cert_hashes a, b;
	struct sstp_ctrl c;
	size_t i;

	(void)state;
	assert_int_equal(sstp_cert_hashes_compute(der_a, 5, &a), SSTP_OK);
	assert_int_equal(sstp_cert_hashes_compute(der_b, 5, &b), SSTP_OK);
	for (i = 0; i < ARRAY_LEN(protos); i++) {
		assert_int_equal(
		    sstp_binding_build(protos[i], nonce, &a, hlak, out),
		    SSTP_OK);
		assert_int_equal(sstp_ctrl_decode(out, MSG_LEN, &c), SSTP_OK);
		assert_int_equal(
		    sstp_binding_check(&c.binding, 0x03, nonce, &b),
		    SSTP_E_CERT_HASH);
		assert_int_equal(
		    sstp_binding_check(&c.binding, 0x03, nonce, &a), SSTP_OK);
	}
}

static void
sstp_trap_19_hash_choice_sha256_when_offered(void **state)
{
	(void)state;
	assert_int_equal(
	    sstp_hash_choose(0x03), SSTP_CERT_HASH_PROTOCOL_SHA256);
	assert_int_equal(
	    sstp_hash_choose(0x02), SSTP_CERT_HASH_PROTOCOL_SHA256);
	assert_int_equal(sstp_hash_choose(0x01), SSTP_CERT_HASH_PROTOCOL_SHA1);
	assert_int_equal(sstp_hash_choose(0x00), 0);
	assert_int_equal(sstp_hash_choose(0x04), 0);
	assert_int_equal(sstp_hash_choose(0xfc), 0);
	assert_int_equal(
	    sstp_hash_choose(0xff), SSTP_CERT_HASH_PROTOCOL_SHA256);
	assert_int_equal(sstp_hash_choose(0xfd), SSTP_CERT_HASH_PROTOCOL_SHA1);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_hash_proto_refused_everywhere),
		cmocka_unit_test(build_without_cert_hash),
		cmocka_unit_test(check_nonce_one_bit_flipped),
		cmocka_unit_test(check_wrong_cert_hash),
		cmocka_unit_test(check_sha1_padding_not_compared),
		cmocka_unit_test(check_hash_proto_not_one_offered_bit),
		cmocka_unit_test(check_no_cert_hash_known),
		cmocka_unit_test(check_steps_in_order),
		cmocka_unit_test(verify_mac_one_bit_flipped),
		cmocka_unit_test(verify_mac_wrong_hlak),
		cmocka_unit_test(verify_mac_bad_hash_proto),
		cmocka_unit_test(verify_mac_sha1_padding_and_tail_ignored),
		cmocka_unit_test(vector1_sha1),
		cmocka_unit_test(vector2_sha256_ms_sstp_example),
		cmocka_unit_test(vector3_sha256_eap_tls),
		cmocka_unit_test(example_a_mschapv2_sha256),
		cmocka_unit_test(example_b_mschapv2_sha1),
		cmocka_unit_test(example_c_zero_hlak_sha256),
		cmocka_unit_test(example_d_zero_hlak_sha1),
		cmocka_unit_test(softether_exchange_sha256),
		cmocka_unit_test(standin_cert_hashes),
		cmocka_unit_test(build_decodes_as_call_connected),
		cmocka_unit_test(hash_len_of_each_proto),
		cmocka_unit_test(sstp_trap_01_hlak_order_k2_then_k3),
		cmocka_unit_test(
		    sstp_trap_02_cmk_length_little_endian_full_hlak_key),
		cmocka_unit_test(
		    sstp_trap_03_cmac_covers_whole_message_mac_zeroed),
		cmocka_unit_test(sstp_trap_04_cert_hash_is_hash_of_leaf_der),
		cmocka_unit_test(sstp_trap_05_zero_hlak_for_pap_chap),
		cmocka_unit_test(
		    sstp_trap_18_server_uses_hash_of_this_connections_cert),
		cmocka_unit_test(sstp_trap_19_hash_choice_sha256_when_offered),
	};

	return test_run(argc, argv, "sstp_binding", tests, ARRAY_LEN(tests));
}

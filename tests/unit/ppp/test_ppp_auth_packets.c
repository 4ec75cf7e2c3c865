#include <stdlib.h>
#include <string.h>

#include "ppp/chap_packet.h"
#include "ppp/eap_packet.h"
#include "ppp/pap_packet.h"
#include "ppp/ppp_frame.h"
#include "test_run.h"

/* A byte vector the decoded views point into; lives in the test's frame. */
struct vec {
	uint8_t b[2048];
	size_t len;
};

static void
vec_hex(struct vec *v, const char *hex)
{
	v->len = test_hex(hex, v->b, sizeof(v->b));
}

/* The information field of a frame in hex (FF 03 and the protocol). */
static struct rd
frame_info(struct vec *v, const char *hex, uint16_t want_proto)
{
	uint16_t proto;
	struct rd info;

	vec_hex(v, hex);
	assert_int_equal(ppp_frame_decode(v->b, v->len, &proto, &info), PPP_OK);
	assert_int_equal(proto, want_proto);
	return info;
}

static struct rd
packet_info(struct vec *v, const char *hex)
{
	struct rd info;

	vec_hex(v, hex);
	rd_init(&info, v->b, v->len);
	return info;
}

static void
assert_view(const uint8_t *v, size_t len, const char *s)
{
	assert_int_equal(len, strlen(s));
	if (len > 0)
		assert_memory_equal(v, s, len);
}

static void
assert_view_hex(const uint8_t *v, size_t len, const char *hex)
{
	struct vec want;

	vec_hex(&want, hex);
	assert_int_equal(len, want.len);
	if (len > 0)
		assert_memory_equal(v, want.b, len);
}

/* Compare what w holds with hex. */
static void
assert_written(const struct wr *w, const uint8_t *buf, const char *hex)
{
	struct vec want;

	vec_hex(&want, hex);
	assert_int_equal(wr_len(w), want.len);
	assert_memory_equal(buf, want.b, want.len);
}

static enum ppp_err
pap_hex(struct vec *v, const char *hex, struct pap_packet *p)
{
	struct rd info = packet_info(v, hex);

	return pap_decode(&info, p);
}

static enum ppp_err
chap_hex(struct vec *v, const char *hex, uint8_t alg, struct chap_packet *p)
{
	struct rd info = packet_info(v, hex);

	return chap_decode(&info, alg, p);
}

static enum ppp_err
eap_hex(struct vec *v, const char *hex, struct eap_packet *p)
{
	struct rd info = packet_info(v, hex);

	return eap_decode(&info, p);
}

/* Encode as a whole frame (proto != 0) or a bare packet; compare. */
static void
pap_encodes_to(uint16_t proto, const struct pap_packet *p, const char *hex)
{
	uint8_t buf[1024];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	if (proto != 0)
		ppp_frame_header(&w, proto);
	assert_int_equal(pap_encode(&w, p), PPP_OK);
	assert_written(&w, buf, hex);
}

static void
chap_encodes_to(
    uint16_t proto, uint8_t alg, const struct chap_packet *p, const char *hex)
{
	uint8_t buf[2048];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	if (proto != 0)
		ppp_frame_header(&w, proto);
	assert_int_equal(chap_encode(&w, alg, p), PPP_OK);
	assert_written(&w, buf, hex);
}

static void
eap_encodes_to(uint16_t proto, const struct eap_packet *p, const char *hex)
{
	uint8_t buf[2048];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	if (proto != 0)
		ppp_frame_header(&w, proto);
	assert_int_equal(eap_encode(&w, p), PPP_OK);
	assert_written(&w, buf, hex);
}

/* Decode hex, re-encode, compare byte for byte. */
static void
eap_roundtrips(const char *hex)
{
	struct eap_packet p;
	struct vec v;

	assert_int_equal(eap_hex(&v, hex, &p), PPP_OK);
	eap_encodes_to(0, &p, hex);
}

/* Shared vectors (spec/ppp.md 3, 4, 5.3, 7.2). */
#define SOFTETHER_PAP_REQUEST                                                  \
	"FF 03 C0 23 01 01 00 11 04 74 65 73 74 07 74 65 73 74 31 32 33"
#define SOFTETHER_PAP_ACK "FF 03 C0 23 02 01 00 04"
#define RFC2759_AUTH_CHAL "5B5D7C7D7B3F2F3E3C2C602132262628"
#define RFC2759_PEER_CHAL "21402324255E262A28295F2B3A337C7E"
#define RFC2759_NT_RESP	  "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
#define MSCHAPV2_RESPONSE                                                      \
	"FF 03 C2 23 02 01 00 3A 31 " RFC2759_PEER_CHAL                        \
	" 00 00 00 00 00 00 00 00 " RFC2759_NT_RESP " 00 55 73 65 72"
#define RFC2759_AUTH_RESP "S=407A5589115FD0D6209F510FE9C04566932CDA56"
#define MD5_CHALLENGE	  "000102030405060708090A0B0C0D0E0F"
#define MD5_RESPONSE	  "740E86463BDA3A4D7017D6E0FBA0699D"

/* --- failures first: PAP --- */

static void
pap_rejects_bad_header(void **state)
{
	struct pap_packet p;
	struct vec v;

	(void)state;
	assert_int_equal(pap_hex(&v, "01 01 00", &p), PPP_E_SHORT);
	assert_int_equal(pap_hex(&v, "02 01 00 03", &p), PPP_E_LENGTH);
	/* One byte short of the SoftEther Request's Length 0x11. */
	assert_int_equal(
	    pap_hex(&v, "01 01 00 11 04 74 65 73 74 07 74 65 73 74 31 32", &p),
	    PPP_E_TRUNCATED);
	assert_int_equal(pap_hex(&v, "00 01 00 04", &p), PPP_E_CODE);
	assert_int_equal(pap_hex(&v, "04 01 00 05 00", &p), PPP_E_CODE);
}

static void
pap_request_rejects_bad_lengths(void **state)
{
	struct pap_packet p;
	struct vec v;

	(void)state;
	assert_int_equal(pap_hex(&v, "01 01 00 04", &p), PPP_E_LENGTH);
	assert_int_equal(pap_hex(&v, "01 01 00 05 00", &p), PPP_E_LENGTH);
	/* One byte long: a byte after the password. */
	assert_int_equal(
	    pap_hex(&v, "01 01 00 12 04 74 65 73 74 07 74 65 73 74 31 32 33 00",
		&p),
	    PPP_E_TRAILING);
	/* Length one short: the password runs past it. */
	assert_int_equal(pap_hex(&v,
			     "01 01 00 10 04 74 65 73 74 07 74 65 73 74 31 32 "
			     "33",
			     &p),
	    PPP_E_FIELD_LENGTH);
	/* Peer-ID-Length eating the Passwd-Length byte, and beyond. */
	assert_int_equal(
	    pap_hex(
		&v, "01 01 00 11 0C 74 65 73 74 07 74 65 73 74 31 32 33", &p),
	    PPP_E_FIELD_LENGTH);
	assert_int_equal(
	    pap_hex(
		&v, "01 01 00 11 0D 74 65 73 74 07 74 65 73 74 31 32 33", &p),
	    PPP_E_FIELD_LENGTH);
	assert_int_equal(
	    pap_hex(&v, "01 01 00 06 01 00", &p), PPP_E_FIELD_LENGTH);
	/* Passwd-Length one too many, one too few. */
	assert_int_equal(
	    pap_hex(
		&v, "01 01 00 11 04 74 65 73 74 08 74 65 73 74 31 32 33", &p),
	    PPP_E_FIELD_LENGTH);
	assert_int_equal(
	    pap_hex(
		&v, "01 01 00 11 04 74 65 73 74 06 74 65 73 74 31 32 33", &p),
	    PPP_E_TRAILING);
}

static void
pap_reply_rejects_bad_lengths(void **state)
{
	struct pap_packet p;
	struct vec v;

	(void)state;
	assert_int_equal(pap_hex(&v, "02 01 00 05 01", &p), PPP_E_FIELD_LENGTH);
	assert_int_equal(
	    pap_hex(&v, "03 01 00 07 03 41 42", &p), PPP_E_FIELD_LENGTH);
	assert_int_equal(pap_hex(&v, "02 01 00 06 00 41", &p), PPP_E_TRAILING);
	assert_int_equal(
	    pap_hex(&v, "03 01 00 08 02 41 42 43", &p), PPP_E_TRAILING);
}

static void
pap_encoder_refuses(void **state)
{
	uint8_t big[PAP_FIELD_MAX + 1] = { 0 }, buf[600];
	struct pap_packet p = { .code = PAP_AUTH_REQUEST, .id = 1 };
	struct wr w;

	(void)state;
	p.peer_id = big;
	p.peer_id_len = sizeof(big);
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(pap_encode(&w, &p), PPP_E_INVALID);
	p.peer_id_len = PAP_FIELD_MAX;
	p.passwd = big;
	p.passwd_len = sizeof(big);
	assert_int_equal(pap_encode(&w, &p), PPP_E_INVALID);
	p.passwd_len = PAP_FIELD_MAX;
	assert_int_equal(pap_encode(&w, &p), PPP_OK);
	assert_int_equal(wr_len(&w), 4 + 1 + 255 + 1 + 255);
	/* One byte short of room. */
	wr_init(&w, buf, 4 + 1 + 255 + 1 + 254);
	assert_int_equal(pap_encode(&w, &p), PPP_E_NOSPACE);

	memset(&p, 0, sizeof(p));
	p.code = PAP_AUTH_ACK;
	p.msg = big;
	p.msg_len = 1;
	p.no_msg_len = true;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(pap_encode(&w, &p), PPP_E_INVALID);
	p.no_msg_len = false;
	p.msg_len = sizeof(big);
	assert_int_equal(pap_encode(&w, &p), PPP_E_INVALID);
	p.code = 4;
	p.msg_len = 0;
	assert_int_equal(pap_encode(&w, &p), PPP_E_CODE);
}

/* --- PAP vectors --- */

static void
pap_softether_request(void **state)
{
	struct pap_packet p;
	struct vec v;
	struct rd info = frame_info(&v, SOFTETHER_PAP_REQUEST, PPP_PROTO_PAP);

	(void)state;
	assert_int_equal(pap_decode(&info, &p), PPP_OK);
	assert_int_equal(p.code, PAP_AUTH_REQUEST);
	assert_int_equal(p.id, 1);
	assert_view(p.peer_id, p.peer_id_len, "test");
	assert_view(p.passwd, p.passwd_len, "test123");
	pap_encodes_to(PPP_PROTO_PAP, &p, SOFTETHER_PAP_REQUEST);
}

static void
pap_softether_ack_without_msg_length(void **state)
{
	struct pap_packet p;
	struct vec v;
	struct rd info = frame_info(&v, SOFTETHER_PAP_ACK, PPP_PROTO_PAP);

	(void)state;
	assert_int_equal(pap_decode(&info, &p), PPP_OK);
	assert_int_equal(p.code, PAP_AUTH_ACK);
	assert_int_equal(p.id, 1);
	assert_true(p.no_msg_len);
	assert_int_equal(p.msg_len, 0);
	pap_encodes_to(PPP_PROTO_PAP, &p, SOFTETHER_PAP_ACK);
	/* The same Ack from us carries Msg-Length 0. */
	p.no_msg_len = false;
	pap_encodes_to(PPP_PROTO_PAP, &p, "FF 03 C0 23 02 01 00 05 00");
}

static void
pap_replies_roundtrip(void **state)
{
	const char *ack = "02 07 00 0D 08 4C 6F 67 69 6E 20 6F 6B";
	const char *nak = "03 08 00 05 00";
	struct pap_packet p;
	struct vec v;

	(void)state;
	assert_int_equal(pap_hex(&v, ack, &p), PPP_OK);
	assert_int_equal(p.code, PAP_AUTH_ACK);
	assert_int_equal(p.id, 7);
	assert_false(p.no_msg_len);
	assert_view(p.msg, p.msg_len, "Login ok");
	pap_encodes_to(0, &p, ack);
	assert_int_equal(pap_hex(&v, nak, &p), PPP_OK);
	assert_int_equal(p.code, PAP_AUTH_NAK);
	assert_false(p.no_msg_len);
	assert_int_equal(p.msg_len, 0);
	pap_encodes_to(0, &p, nak);
}

static void
pap_empty_fields_and_padding(void **state)
{
	struct pap_packet p;
	struct vec v;

	(void)state;
	/* Empty user and password; two bytes of padding after Length. */
	assert_int_equal(pap_hex(&v, "01 09 00 06 00 00 EE EE", &p), PPP_OK);
	assert_int_equal(p.id, 9);
	assert_int_equal(p.peer_id_len, 0);
	assert_int_equal(p.passwd_len, 0);
	pap_encodes_to(0, &p, "01 09 00 06 00 00");
}

/* --- failures first: CHAP --- */

static void
chap_rejects_bad_header(void **state)
{
	struct chap_packet p;
	struct vec v;

	(void)state;
	assert_int_equal(
	    chap_hex(&v, "01 01 00", CHAP_ALG_MD5, &p), PPP_E_SHORT);
	assert_int_equal(
	    chap_hex(&v, "03 01 00 03", CHAP_ALG_MD5, &p), PPP_E_LENGTH);
	assert_int_equal(chap_hex(&v, "03 01 00 06 41", CHAP_ALG_MSCHAPV2, &p),
	    PPP_E_TRUNCATED);
	assert_int_equal(
	    chap_hex(&v, "00 01 00 04", CHAP_ALG_MD5, &p), PPP_E_CODE);
	assert_int_equal(
	    chap_hex(&v, "08 01 00 04", CHAP_ALG_MSCHAPV2, &p), PPP_E_CODE);
	/* MS-CHAPv1 (0x80) is not a method we decode for. */
	assert_int_equal(chap_hex(&v, "03 01 00 04", 0x80, &p), PPP_E_INVALID);
}

static void
chap_rejects_bad_value_size(void **state)
{
	struct chap_packet p;
	struct vec v;

	(void)state;
	assert_int_equal(
	    chap_hex(&v, "01 01 00 04", CHAP_ALG_MD5, &p), PPP_E_LENGTH);
	assert_int_equal(
	    chap_hex(&v, "02 01 00 04", CHAP_ALG_MSCHAPV2, &p), PPP_E_LENGTH);
	/* Value-Size one past Length. */
	assert_int_equal(
	    chap_hex(&v, "01 01 00 15 11 " MD5_CHALLENGE, CHAP_ALG_MD5, &p),
	    PPP_E_FIELD_LENGTH);
	assert_int_equal(chap_hex(&v, "01 01 00 05 01", CHAP_ALG_MD5, &p),
	    PPP_E_FIELD_LENGTH);
	/* RFC 1994 4.1: no empty value. */
	assert_int_equal(
	    chap_hex(&v, "01 01 00 05 00", CHAP_ALG_MD5, &p), PPP_E_VALUE_SIZE);
	assert_int_equal(
	    chap_hex(&v, "01 01 00 09 00 55 73 65 72", CHAP_ALG_MD5, &p),
	    PPP_E_VALUE_SIZE);
}

static void
chap_encoder_refuses(void **state)
{
	uint8_t val[17] = { 0 }, buf[64], *huge, *out;
	struct chap_packet p = { .code = CHAP_CHALLENGE, .id = 1 };
	struct wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(chap_encode(&w, CHAP_ALG_MD5, &p), PPP_E_VALUE_SIZE);
	p.vn.value = val;
	p.vn.value_len = 15;
	assert_int_equal(
	    chap_encode(&w, CHAP_ALG_MSCHAPV2, &p), PPP_E_VALUE_SIZE);
	p.code = CHAP_RESPONSE;
	assert_int_equal(chap_encode(&w, CHAP_ALG_MD5, &p), PPP_E_VALUE_SIZE);
	p.vn.value_len = 17;
	assert_int_equal(chap_encode(&w, CHAP_ALG_MD5, &p), PPP_E_VALUE_SIZE);
	p.code = 8;
	assert_int_equal(chap_encode(&w, CHAP_ALG_MD5, &p), PPP_E_CODE);
	p.code = CHAP_SUCCESS;
	assert_int_equal(chap_encode(&w, 0x80, &p), PPP_E_INVALID);
	/* A 49-byte MS-CHAPv2 Response does not fit in 53 bytes. */
	p.code = CHAP_RESPONSE;
	wr_init(&w, buf, 53);
	assert_int_equal(chap_encode(&w, CHAP_ALG_MSCHAPV2, &p), PPP_E_NOSPACE);
	wr_init(&w, buf, 54);
	assert_int_equal(chap_encode(&w, CHAP_ALG_MSCHAPV2, &p), PPP_OK);
	/* Length is 16 bits. */
	assert_non_null(huge = calloc(1, 70000));
	assert_non_null(out = malloc(70000));
	p.code = CHAP_FAILURE;
	p.msg = huge;
	p.msg_len = UINT16_MAX - 4 + 1;
	wr_init(&w, out, 70000);
	assert_int_equal(chap_encode(&w, CHAP_ALG_MD5, &p), PPP_E_INVALID);
	p.msg_len = UINT16_MAX - 4;
	wr_init(&w, out, 70000);
	assert_int_equal(chap_encode(&w, CHAP_ALG_MD5, &p), PPP_OK);
	assert_int_equal(wr_len(&w), UINT16_MAX);
	free(out);
	free(huge);
}

/* --- CHAP vectors --- */

static void
chap_md5_exchange(void **state)
{
	/* spec/ppp.md 4: Id 01, secret "secret"; names ours. */
	const char *chal =
	    "FF 03 C2 23 01 01 00 1B 10 " MD5_CHALLENGE " 73 65 72 76 65 72";
	const char *resp =
	    "FF 03 C2 23 02 01 00 19 10 " MD5_RESPONSE " 75 73 65 72";
	const char *succ = "FF 03 C2 23 03 01 00 04";
	struct chap_packet p;
	struct vec v;
	struct rd info;

	(void)state;
	info = frame_info(&v, chal, PPP_PROTO_CHAP);
	assert_int_equal(chap_decode(&info, CHAP_ALG_MD5, &p), PPP_OK);
	assert_int_equal(p.code, CHAP_CHALLENGE);
	assert_int_equal(p.id, 1);
	assert_view_hex(p.vn.value, p.vn.value_len, MD5_CHALLENGE);
	assert_view(p.vn.name, p.vn.name_len, "server");
	chap_encodes_to(PPP_PROTO_CHAP, CHAP_ALG_MD5, &p, chal);

	info = frame_info(&v, resp, PPP_PROTO_CHAP);
	assert_int_equal(chap_decode(&info, CHAP_ALG_MD5, &p), PPP_OK);
	assert_int_equal(p.code, CHAP_RESPONSE);
	assert_view_hex(p.vn.value, p.vn.value_len, MD5_RESPONSE);
	assert_view(p.vn.name, p.vn.name_len, "user");
	chap_encodes_to(PPP_PROTO_CHAP, CHAP_ALG_MD5, &p, resp);

	info = frame_info(&v, succ, PPP_PROTO_CHAP);
	assert_int_equal(chap_decode(&info, CHAP_ALG_MD5, &p), PPP_OK);
	assert_int_equal(p.code, CHAP_SUCCESS);
	assert_int_equal(p.msg_len, 0);
	chap_encodes_to(PPP_PROTO_CHAP, CHAP_ALG_MD5, &p, succ);
}

static void
chap_mschapv2_rfc2759_response(void **state)
{
	struct chap_packet p, q;
	struct vec v, want;
	struct rd info = frame_info(&v, MSCHAPV2_RESPONSE, PPP_PROTO_CHAP);

	(void)state;
	assert_int_equal(chap_decode(&info, CHAP_ALG_MSCHAPV2, &p), PPP_OK);
	assert_int_equal(p.code, CHAP_RESPONSE);
	assert_int_equal(p.id, 1);
	assert_int_equal(p.vn.value_len, CHAP_MS_VALUE_LEN);
	vec_hex(&want, RFC2759_PEER_CHAL);
	assert_memory_equal(p.vn.ms.peer_challenge, want.b, 16);
	vec_hex(&want, RFC2759_NT_RESP);
	assert_memory_equal(p.vn.ms.nt_response, want.b, 24);
	assert_int_equal(p.vn.ms.flags, 0);
	assert_view(p.vn.name, p.vn.name_len, "User");
	chap_encodes_to(
	    PPP_PROTO_CHAP, CHAP_ALG_MSCHAPV2, &p, MSCHAPV2_RESPONSE);

	/* Built as a client does: from the split fields, no value view. */
	memset(&q, 0, sizeof(q));
	q.code = CHAP_RESPONSE;
	q.id = 1;
	q.vn.ms = p.vn.ms;
	q.vn.name = (const uint8_t *)"User";
	q.vn.name_len = 4;
	chap_encodes_to(
	    PPP_PROTO_CHAP, CHAP_ALG_MSCHAPV2, &q, MSCHAPV2_RESPONSE);
}

static void
chap_mschapv2_challenge_and_verdicts(void **state)
{
	const char *chal =
	    "01 01 00 1B 10 " RFC2759_AUTH_CHAL " 73 65 72 76 65 72";
	/* "S=407A... M=Access granted" */
	const char *succ =
	    "03 01 00 3F 53 3D 34 30 37 41 35 35 38 39 31 31 35 46 44 30 44 36 "
	    "32 30 39 46 35 31 30 46 45 39 43 30 34 35 36 36 39 33 32 43 44 41 "
	    "35 36 20 4D 3D 41 63 63 65 73 73 20 67 72 61 6E 74 65 64";
	struct chap_ms_success s;
	struct chap_packet p;
	struct vec v;

	(void)state;
	assert_int_equal(chap_hex(&v, chal, CHAP_ALG_MSCHAPV2, &p), PPP_OK);
	assert_int_equal(p.code, CHAP_CHALLENGE);
	assert_view_hex(p.vn.value, p.vn.value_len, RFC2759_AUTH_CHAL);
	assert_view(p.vn.name, p.vn.name_len, "server");
	chap_encodes_to(0, CHAP_ALG_MSCHAPV2, &p, chal);

	assert_int_equal(chap_hex(&v, succ, CHAP_ALG_MSCHAPV2, &p), PPP_OK);
	assert_int_equal(p.code, CHAP_SUCCESS);
	assert_int_equal(chap_ms_success_parse(p.msg, p.msg_len, &s), PPP_OK);
	assert_view(s.auth_resp, CHAP_MS_AUTH_RESP_LEN, RFC2759_AUTH_RESP);
	assert_view(s.msg, s.msg_len, "Access granted");
	chap_encodes_to(0, CHAP_ALG_MSCHAPV2, &p, succ);

	/* A Failure with padding after Length. */
	assert_int_equal(
	    chap_hex(&v, "04 02 00 05 45 46", CHAP_ALG_MSCHAPV2, &p), PPP_OK);
	assert_int_equal(p.code, CHAP_FAILURE);
	assert_int_equal(p.id, 2);
	assert_view(p.msg, p.msg_len, "E");
	chap_encodes_to(0, CHAP_ALG_MSCHAPV2, &p, "04 02 00 05 45");
}

/* --- MS-CHAPv2 Success message --- */

static void
ms_success_rejects_bad_text(void **state)
{
	static const char *const bad[] = {
		"",
		"S=",
		/* 39 digits */
		"S=407A5589115FD0D6209F510FE9C04566932CDA5",
		/* 41 digits */
		"S=407A5589115FD0D6209F510FE9C04566932CDA560",
		"s=407A5589115FD0D6209F510FE9C04566932CDA56",
		"S:407A5589115FD0D6209F510FE9C04566932CDA56",
		"S=407A5589115FD0D6209F510FE9C04566932CDA5G",
		" S=407A5589115FD0D6209F510FE9C04566932CDA56",
		"S=407A5589115FD0D6209F510FE9C04566932CDA56 ",
		"S=407A5589115FD0D6209F510FE9C04566932CDA56 M",
		"S=407A5589115FD0D6209F510FE9C04566932CDA56 X=1",
		"S=407A5589115FD0D6209F510FE9C04566932CDA56  M=x",
	};
	struct chap_ms_success s;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(chap_ms_success_parse((const uint8_t *)bad[i],
				     strlen(bad[i]), &s),
		    PPP_E_MESSAGE);
}

static void
ms_success_parse_and_build(void **state)
{
	const char *text = RFC2759_AUTH_RESP " M=Access granted";
	const char *lower = "S=407a5589115fd0d6209f510fe9c04566932cda56";
	struct chap_ms_success s;
	uint8_t buf[128];
	struct wr w;

	(void)state;
	assert_int_equal(
	    chap_ms_success_parse((const uint8_t *)text, strlen(text), &s),
	    PPP_OK);
	assert_view(s.auth_resp, CHAP_MS_AUTH_RESP_LEN, RFC2759_AUTH_RESP);
	assert_true(s.has_msg);
	assert_view(s.msg, s.msg_len, "Access granted");
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(chap_ms_success_build(&w, &s), PPP_OK);
	assert_int_equal(wr_len(&w), strlen(text));
	assert_memory_equal(buf, text, strlen(text));

	/* pppd without M= (peer Flags non-zero); lower-case digits. */
	assert_int_equal(
	    chap_ms_success_parse((const uint8_t *)lower, strlen(lower), &s),
	    PPP_OK);
	assert_false(s.has_msg);
	assert_view(s.auth_resp, CHAP_MS_AUTH_RESP_LEN, lower);
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(chap_ms_success_build(&w, &s), PPP_OK);
	assert_int_equal(wr_len(&w), 42);

	/* " M=" with nothing after it. */
	assert_int_equal(chap_ms_success_parse(
			     (const uint8_t *)RFC2759_AUTH_RESP " M=", 45, &s),
	    PPP_OK);
	assert_true(s.has_msg);
	assert_int_equal(s.msg_len, 0);

	/* The builder checks its authenticator response; and its room. */
	s.auth_resp =
	    (const uint8_t *)"S=407A5589115FD0D6209F510FE9C04566932CDA5Z";
	assert_int_equal(chap_ms_success_build(&w, &s), PPP_E_INVALID);
	s.auth_resp = NULL;
	assert_int_equal(chap_ms_success_build(&w, &s), PPP_E_INVALID);
	s.auth_resp = (const uint8_t *)RFC2759_AUTH_RESP;
	wr_init(&w, buf, 41);
	assert_int_equal(chap_ms_success_build(&w, &s), PPP_E_NOSPACE);
}

/* --- MS-CHAPv2 Failure message --- */

static void
ms_failure_rejects_bad_text(void **state)
{
	static const char *const bad[] = {
		"E",
		"E691",
		"E=",
		"E=69x R=0",
		"E=-1",
		"E=4294967296",
		"E=12345678901",
		"R=2",
		"R=01",
		"R=",
		"C=" RFC2759_AUTH_CHAL "0",
		"C=5B5D7C7D7B3F2F3E3C2C60213226262",
		"C=5B5D7C7D7B3F2F3E3C2C60213226262G",
		"V=3.0",
		"E=691 E=691",
		"E=691 R=0 R=0",
		"C=" RFC2759_AUTH_CHAL " C=" RFC2759_AUTH_CHAL,
		"V=3 V=3",
		"E=691,R=0",
		"Access denied",
	};
	struct chap_ms_failure f;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(bad); i++)
		assert_int_equal(chap_ms_failure_parse((const uint8_t *)bad[i],
				     strlen(bad[i]), &f),
		    PPP_E_MESSAGE);
}

static void
ms_failure_windows_style(void **state)
{
	const char *text =
	    "E=691 R=0 C=" RFC2759_AUTH_CHAL " V=3 M=Authentication failed";
	const char *no_msg = "E=691 R=0 C=" RFC2759_AUTH_CHAL " V=3";
	struct chap_ms_failure f, built = { 0 };
	uint8_t buf[128];
	struct vec chal;
	struct wr w;

	(void)state;
	assert_int_equal(
	    chap_ms_failure_parse((const uint8_t *)text, strlen(text), &f),
	    PPP_OK);
	assert_true(f.has_error && f.has_retry && f.has_challenge &&
	    f.has_version && f.has_msg);
	assert_int_equal(f.error, 691);
	assert_false(f.retry);
	vec_hex(&chal, RFC2759_AUTH_CHAL);
	assert_memory_equal(f.challenge, chal.b, 16);
	assert_int_equal(f.version, 3);
	assert_view(f.msg, f.msg_len, "Authentication failed");

	/* Built as our server does (spec/ppp.md 5.1). */
	built.has_error = true;
	built.error = 691;
	built.has_retry = true;
	built.retry = false;
	built.has_challenge = true;
	memcpy(built.challenge, chal.b, 16);
	built.has_version = true;
	built.version = 3;
	built.has_msg = true;
	built.msg = (const uint8_t *)"Authentication failed";
	built.msg_len = strlen("Authentication failed");
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(chap_ms_failure_build(&w, &built), PPP_OK);
	assert_int_equal(wr_len(&w), strlen(text));
	assert_memory_equal(buf, text, strlen(text));
	wr_init(&w, buf, strlen(text) - 1);
	assert_int_equal(chap_ms_failure_build(&w, &built), PPP_E_NOSPACE);

	/* Windows servers also send it without M=. */
	assert_int_equal(
	    chap_ms_failure_parse((const uint8_t *)no_msg, strlen(no_msg), &f),
	    PPP_OK);
	assert_true(f.has_version);
	assert_false(f.has_msg);
	built.has_msg = false;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(chap_ms_failure_build(&w, &built), PPP_OK);
	assert_int_equal(wr_len(&w), strlen(no_msg));
	assert_memory_equal(buf, no_msg, strlen(no_msg));
}

static void
ms_failure_pppd_style(void **state)
{
	/* pppd prints the challenge in lower case. */
	const char *text = "E=691 R=1 C=5b5d7c7d7b3f2f3e3c2c602132262628 V=0 "
			   "M=Access denied";
	struct chap_ms_failure f;
	struct vec chal;

	(void)state;
	assert_int_equal(
	    chap_ms_failure_parse((const uint8_t *)text, strlen(text), &f),
	    PPP_OK);
	assert_int_equal(f.error, 691);
	assert_true(f.has_retry && f.retry);
	vec_hex(&chal, RFC2759_AUTH_CHAL);
	assert_memory_equal(f.challenge, chal.b, 16);
	assert_true(f.has_version);
	assert_int_equal(f.version, 0);
	assert_view(f.msg, f.msg_len, "Access denied");
}

static void
ms_failure_any_order_missing_parts(void **state)
{
	const char *shuffled = "V=3 C=" RFC2759_AUTH_CHAL " R=0  E=649 ";
	const char *minimal = "E=691 R=1";
	const char *unknown = "X=whatever E=0000000646 Z=";
	const char *msg_only = "M=Access denied E=1";
	struct chap_ms_failure f;
	uint8_t buf[128];
	struct wr w;

	(void)state;
	assert_int_equal(chap_ms_failure_parse(
			     (const uint8_t *)shuffled, strlen(shuffled), &f),
	    PPP_OK);
	assert_int_equal(f.error, 649);
	assert_true(f.has_retry && !f.retry && f.has_challenge);
	assert_int_equal(f.version, 3);
	assert_false(f.has_msg);
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(chap_ms_failure_build(&w, &f), PPP_OK);
	assert_int_equal(
	    wr_len(&w), strlen("E=649 R=0 C=" RFC2759_AUTH_CHAL " V=3"));
	assert_memory_equal(
	    buf, "E=649 R=0 C=" RFC2759_AUTH_CHAL " V=3", wr_len(&w));

	/* MS-CHAPv1-like: no C= or V=. */
	assert_int_equal(chap_ms_failure_parse(
			     (const uint8_t *)minimal, strlen(minimal), &f),
	    PPP_OK);
	assert_true(f.has_error && f.has_retry && f.retry);
	assert_false(f.has_challenge || f.has_version || f.has_msg);

	assert_int_equal(chap_ms_failure_parse(
			     (const uint8_t *)unknown, strlen(unknown), &f),
	    PPP_OK);
	assert_true(f.has_error);
	assert_int_equal(f.error, 646);
	assert_false(f.has_retry);

	/* M= runs to the end, whatever follows. */
	assert_int_equal(chap_ms_failure_parse(
			     (const uint8_t *)msg_only, strlen(msg_only), &f),
	    PPP_OK);
	assert_false(f.has_error);
	assert_view(f.msg, f.msg_len, "Access denied E=1");

	/* Nothing at all is a Failure with no details. */
	assert_int_equal(chap_ms_failure_parse(NULL, 0, &f), PPP_OK);
	assert_false(f.has_error || f.has_msg);
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(chap_ms_failure_build(&w, &f), PPP_OK);
	assert_int_equal(wr_len(&w), 0);
}

/* --- failures first: EAP --- */

static void
eap_rejects_bad_header(void **state)
{
	struct eap_packet p;
	struct vec v;

	(void)state;
	assert_int_equal(eap_hex(&v, "03 01 00", &p), PPP_E_SHORT);
	assert_int_equal(eap_hex(&v, "03 01 00 03", &p), PPP_E_LENGTH);
	assert_int_equal(eap_hex(&v, "01 01 00 05", &p), PPP_E_TRUNCATED);
	assert_int_equal(eap_hex(&v, "00 01 00 04", &p), PPP_E_CODE);
	assert_int_equal(eap_hex(&v, "05 01 00 04", &p), PPP_E_CODE);
	/* RFC 3748 4.2: Success and Failure are exactly 4 bytes. */
	assert_int_equal(eap_hex(&v, "03 01 00 05 00", &p), PPP_E_TRAILING);
	assert_int_equal(eap_hex(&v, "04 01 00 05 00", &p), PPP_E_TRAILING);
	assert_int_equal(eap_hex(&v, "03 01 00 04 00", &p), PPP_OK);
	/* Request and Response need a Type. */
	assert_int_equal(eap_hex(&v, "01 01 00 04", &p), PPP_E_LENGTH);
	assert_int_equal(eap_hex(&v, "02 01 00 04", &p), PPP_E_LENGTH);
}

static void
eap_rejects_bad_type_data(void **state)
{
	struct eap_packet p;
	struct vec v;

	(void)state;
	/* Nak: Response only, at least one type. */
	assert_int_equal(eap_hex(&v, "01 01 00 06 03 1A", &p), PPP_E_TYPE);
	assert_int_equal(eap_hex(&v, "02 01 00 05 03", &p), PPP_E_LENGTH);
	/* Notification Response: no data. */
	assert_int_equal(eap_hex(&v, "02 01 00 06 02 41", &p), PPP_E_TRAILING);
	/* MD5-Challenge: Value-Size past Length, zero, wrong response. */
	assert_int_equal(eap_hex(&v, "01 01 00 16 04 11 " MD5_CHALLENGE, &p),
	    PPP_E_FIELD_LENGTH);
	assert_int_equal(
	    eap_hex(&v, "01 01 00 06 04 00", &p), PPP_E_VALUE_SIZE);
	assert_int_equal(eap_hex(&v, "01 01 00 05 04", &p), PPP_E_LENGTH);
	assert_int_equal(
	    eap_hex(&v, "02 01 00 15 04 0F 740E86463BDA3A4D7017D6E0FBA069", &p),
	    PPP_E_VALUE_SIZE);
}

static void
eap_mschapv2_rejects_bad_layout(void **state)
{
	const char *chal_ms_short =
	    "01 02 00 20 1A 01 02 00 1A 10 " RFC2759_AUTH_CHAL
	    " 73 65 72 76 65 72";
	const char *chal_ms_long =
	    "01 02 00 20 1A 01 02 00 1C 10 " RFC2759_AUTH_CHAL
	    " 73 65 72 76 65 72";
	struct eap_packet p;
	struct vec v;

	(void)state;
	/* Missing OpCode, ID, MS-Length. */
	assert_int_equal(eap_hex(&v, "01 02 00 05 1A", &p), PPP_E_LENGTH);
	assert_int_equal(eap_hex(&v, "01 02 00 07 1A 01 02", &p), PPP_E_LENGTH);
	assert_int_equal(
	    eap_hex(&v, "01 02 00 08 1A 03 02 00", &p), PPP_E_LENGTH);
	/* MS-Length one short, one long of EAP Length - 5. */
	assert_int_equal(eap_hex(&v, chal_ms_short, &p), PPP_E_LENGTH);
	assert_int_equal(eap_hex(&v, chal_ms_long, &p), PPP_E_LENGTH);
	assert_int_equal(
	    eap_hex(&v, "01 03 00 09 1A 03 02 00 05", &p), PPP_E_LENGTH);
	assert_int_equal(eap_hex(&v, "01 03 00 09 1A 03 02 00 04", &p), PPP_OK);
	/* Success/Failure Response: the OpCode alone. */
	assert_int_equal(
	    eap_hex(&v, "02 03 00 07 1A 03 00", &p), PPP_E_TRAILING);
	assert_int_equal(
	    eap_hex(&v, "02 03 00 07 1A 04 00", &p), PPP_E_TRAILING);
	/* OpCodes in the wrong direction or unknown. */
	assert_int_equal(
	    eap_hex(&v, "01 03 00 09 1A 02 02 00 04", &p), PPP_E_TYPE);
	assert_int_equal(
	    eap_hex(&v, "02 03 00 09 1A 01 02 00 04", &p), PPP_E_TYPE);
	assert_int_equal(
	    eap_hex(&v, "01 03 00 09 1A 07 02 00 04", &p), PPP_E_TYPE);
	assert_int_equal(
	    eap_hex(&v, "02 03 00 09 1A 05 02 00 04", &p), PPP_E_TYPE);
	assert_int_equal(eap_hex(&v, "02 03 00 06 1A 00", &p), PPP_E_TYPE);
	/* Value-Size: 16 for the Challenge, 49 for the Response. */
	assert_int_equal(eap_hex(&v,
			     "01 02 00 1F 1A 01 02 00 1A 0F " RFC2759_AUTH_CHAL
			     " 73 65 72 76 65 72",
			     &p),
	    PPP_E_VALUE_SIZE);
	assert_int_equal(
	    eap_hex(&v,
		"02 02 00 3F 1A 02 02 00 3A 30 " RFC2759_PEER_CHAL
		" 0000000000000000 " RFC2759_NT_RESP " 00 55 73 65 72",
		&p),
	    PPP_E_VALUE_SIZE);
	assert_int_equal(eap_hex(&v, "02 02 00 0A 1A 02 02 00 05 31", &p),
	    PPP_E_FIELD_LENGTH);
}

static void
eap_encoder_refuses(void **state)
{
	uint8_t val[16] = { 0 }, buf[64];
	struct eap_packet p = { .code = EAP_REQUEST, .id = 1 };
	struct wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	p.type = EAP_TYPE_NAK;
	p.data = val;
	p.data_len = 1;
	assert_int_equal(eap_encode(&w, &p), PPP_E_TYPE);
	p.code = EAP_RESPONSE;
	p.data_len = 0;
	assert_int_equal(eap_encode(&w, &p), PPP_E_LENGTH);
	p.type = EAP_TYPE_NOTIFICATION;
	p.data_len = 1;
	assert_int_equal(eap_encode(&w, &p), PPP_E_TRAILING);
	p.type = EAP_TYPE_MD5_CHALLENGE;
	p.vn.value = val;
	p.vn.value_len = 15;
	assert_int_equal(eap_encode(&w, &p), PPP_E_VALUE_SIZE);
	p.type = EAP_TYPE_MSCHAPV2;
	p.ms_opcode = EAP_MSCHAPV2_CHALLENGE;
	assert_int_equal(eap_encode(&w, &p), PPP_E_TYPE);
	p.code = EAP_REQUEST;
	assert_int_equal(eap_encode(&w, &p), PPP_E_VALUE_SIZE);
	p.vn.value_len = 16;
	wr_init(&w, buf, 4 + 1 + 4 + 1 + 16 - 1);
	assert_int_equal(eap_encode(&w, &p), PPP_E_NOSPACE);
	p.code = 5;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(eap_encode(&w, &p), PPP_E_CODE);
}

/* --- EAP vectors --- */

static void
eap_md5_exchange(void **state)
{
	/* spec/ppp.md 7.2, byte for byte. */
	const char *req = "FF 03 C2 27 01 01 00 16 04 10 " MD5_CHALLENGE;
	const char *resp = "FF 03 C2 27 02 01 00 16 04 10 " MD5_RESPONSE;
	const char *succ = "FF 03 C2 27 03 01 00 04";
	struct eap_packet p;
	struct vec v;
	struct rd info;

	(void)state;
	info = frame_info(&v, req, PPP_PROTO_EAP);
	assert_int_equal(eap_decode(&info, &p), PPP_OK);
	assert_int_equal(p.code, EAP_REQUEST);
	assert_int_equal(p.id, 1);
	assert_int_equal(p.type, EAP_TYPE_MD5_CHALLENGE);
	assert_view_hex(p.vn.value, p.vn.value_len, MD5_CHALLENGE);
	assert_int_equal(p.vn.name_len, 0);
	eap_encodes_to(PPP_PROTO_EAP, &p, req);

	info = frame_info(&v, resp, PPP_PROTO_EAP);
	assert_int_equal(eap_decode(&info, &p), PPP_OK);
	assert_int_equal(p.code, EAP_RESPONSE);
	assert_int_equal(p.type, EAP_TYPE_MD5_CHALLENGE);
	assert_view_hex(p.vn.value, p.vn.value_len, MD5_RESPONSE);
	eap_encodes_to(PPP_PROTO_EAP, &p, resp);

	info = frame_info(&v, succ, PPP_PROTO_EAP);
	assert_int_equal(eap_decode(&info, &p), PPP_OK);
	assert_int_equal(p.code, EAP_SUCCESS);
	assert_int_equal(p.id, 1);
	eap_encodes_to(PPP_PROTO_EAP, &p, succ);
}

static void
eap_identity_notification_nak(void **state)
{
	struct eap_packet p;
	struct vec v;

	(void)state;
	/* Identity Request with a prompt, Response with a domain. */
	assert_int_equal(
	    eap_hex(&v, "01 05 00 0A 01 4E 61 6D 65 3F", &p), PPP_OK);
	assert_view(p.data, p.data_len, "Name?");
	eap_roundtrips("01 05 00 0A 01 4E 61 6D 65 3F");
	assert_int_equal(
	    eap_hex(&v, "02 05 00 0D 01 44 4F 4D 5C 55 73 65 72", &p), PPP_OK);
	assert_int_equal(p.type, EAP_TYPE_IDENTITY);
	assert_view(p.data, p.data_len, "DOM\\User");
	eap_roundtrips("02 05 00 0D 01 44 4F 4D 5C 55 73 65 72");
	/* Notification both ways. */
	assert_int_equal(eap_hex(&v, "01 06 00 07 02 48 69", &p), PPP_OK);
	assert_int_equal(p.type, EAP_TYPE_NOTIFICATION);
	assert_view(p.data, p.data_len, "Hi");
	eap_roundtrips("01 06 00 07 02 48 69");
	eap_roundtrips("02 06 00 05 02");
	/* Nak: MS-CHAPv2 then MD5; 00 = none. */
	assert_int_equal(eap_hex(&v, "02 07 00 07 03 1A 04", &p), PPP_OK);
	assert_int_equal(p.type, EAP_TYPE_NAK);
	assert_view_hex(p.data, p.data_len, "1A 04");
	eap_roundtrips("02 07 00 07 03 1A 04");
	eap_roundtrips("02 07 00 06 03 00");
}

static void
eap_other_types_are_opaque(void **state)
{
	struct eap_packet p;
	struct vec v;

	(void)state;
	/* An EAP-TLS Start and a PEAP Start: decoded so they can be Naked. */
	assert_int_equal(eap_hex(&v, "01 08 00 06 0D 20", &p), PPP_OK);
	assert_int_equal(p.type, EAP_TYPE_TLS);
	assert_int_equal(p.id, 8);
	assert_view_hex(p.data, p.data_len, "20");
	eap_roundtrips("01 08 00 06 0D 20");
	assert_int_equal(eap_hex(&v, "01 09 00 06 19 21", &p), PPP_OK);
	assert_int_equal(p.type, EAP_TYPE_PEAP);
	eap_roundtrips("01 09 00 06 19 21");
	eap_roundtrips("02 09 00 05 FE");
}

/*
 * An EAP-MSCHAPv2 exchange built by hand from spec/ppp.md 7.3 and the RFC
 * 2759 9.2 values of 5.3.
 */
#define EAP_MS_REQ_IDENTITY  "01 01 00 05 01"
#define EAP_MS_RESP_IDENTITY "02 01 00 09 01 55 73 65 72"
#define EAP_MS_REQ_CHALLENGE                                                   \
	"01 02 00 20 1A 01 02 00 1B 10 " RFC2759_AUTH_CHAL " 73 65 72 76 65 72"
#define EAP_MS_RESP_RESPONSE                                                   \
	"02 02 00 3F 1A 02 02 00 3A 31 " RFC2759_PEER_CHAL                     \
	" 00 00 00 00 00 00 00 00 " RFC2759_NT_RESP " 00 55 73 65 72"
#define EAP_MS_REQ_SUCCESS                                                     \
	"01 03 00 38 1A 03 02 00 33 53 3D 34 30 37 41 35 35 38 39 31 31 35 "   \
	"46 44 30 44 36 32 30 39 46 35 31 30 46 45 39 43 30 34 35 36 36 39 "   \
	"33 32 43 44 41 35 36 20 4D 3D 4F 4B"
#define EAP_MS_RESP_SUCCESS "02 03 00 06 1A 03"
#define EAP_MS_SUCCESS	    "03 03 00 04"

static void
eap_mschapv2_hand_built_exchange(void **state)
{
	struct chap_ms_success s;
	struct eap_packet p;
	struct vec v, want;

	(void)state;
	assert_int_equal(eap_hex(&v, EAP_MS_REQ_IDENTITY, &p), PPP_OK);
	assert_int_equal(p.code, EAP_REQUEST);
	assert_int_equal(p.id, 1);
	assert_int_equal(p.type, EAP_TYPE_IDENTITY);
	assert_int_equal(p.data_len, 0);
	eap_encodes_to(0, &p, EAP_MS_REQ_IDENTITY);

	assert_int_equal(eap_hex(&v, EAP_MS_RESP_IDENTITY, &p), PPP_OK);
	assert_int_equal(p.code, EAP_RESPONSE);
	assert_int_equal(p.id, 1);
	assert_int_equal(p.type, EAP_TYPE_IDENTITY);
	assert_view(p.data, p.data_len, "User");
	eap_encodes_to(0, &p, EAP_MS_RESP_IDENTITY);

	assert_int_equal(eap_hex(&v, EAP_MS_REQ_CHALLENGE, &p), PPP_OK);
	assert_int_equal(p.code, EAP_REQUEST);
	assert_int_equal(p.id, 2);
	assert_int_equal(p.type, EAP_TYPE_MSCHAPV2);
	assert_int_equal(p.ms_opcode, EAP_MSCHAPV2_CHALLENGE);
	assert_int_equal(p.ms_id, 2);
	assert_view_hex(p.vn.value, p.vn.value_len, RFC2759_AUTH_CHAL);
	assert_view(p.vn.name, p.vn.name_len, "server");
	eap_encodes_to(0, &p, EAP_MS_REQ_CHALLENGE);

	assert_int_equal(eap_hex(&v, EAP_MS_RESP_RESPONSE, &p), PPP_OK);
	assert_int_equal(p.code, EAP_RESPONSE);
	assert_int_equal(p.id, 2);
	assert_int_equal(p.type, EAP_TYPE_MSCHAPV2);
	assert_int_equal(p.ms_opcode, EAP_MSCHAPV2_RESPONSE);
	assert_int_equal(p.ms_id, 2);
	assert_int_equal(p.vn.value_len, CHAP_MS_VALUE_LEN);
	vec_hex(&want, RFC2759_PEER_CHAL);
	assert_memory_equal(p.vn.ms.peer_challenge, want.b, 16);
	vec_hex(&want, RFC2759_NT_RESP);
	assert_memory_equal(p.vn.ms.nt_response, want.b, 24);
	assert_int_equal(p.vn.ms.flags, 0);
	assert_view(p.vn.name, p.vn.name_len, "User");
	eap_encodes_to(0, &p, EAP_MS_RESP_RESPONSE);

	assert_int_equal(eap_hex(&v, EAP_MS_REQ_SUCCESS, &p), PPP_OK);
	assert_int_equal(p.code, EAP_REQUEST);
	assert_int_equal(p.id, 3);
	assert_int_equal(p.ms_opcode, EAP_MSCHAPV2_SUCCESS);
	assert_int_equal(p.ms_id, 2);
	assert_view(p.data, p.data_len, RFC2759_AUTH_RESP " M=OK");
	assert_int_equal(chap_ms_success_parse(p.data, p.data_len, &s), PPP_OK);
	assert_view(s.auth_resp, CHAP_MS_AUTH_RESP_LEN, RFC2759_AUTH_RESP);
	assert_view(s.msg, s.msg_len, "OK");
	eap_encodes_to(0, &p, EAP_MS_REQ_SUCCESS);

	assert_int_equal(eap_hex(&v, EAP_MS_RESP_SUCCESS, &p), PPP_OK);
	assert_int_equal(p.code, EAP_RESPONSE);
	assert_int_equal(p.id, 3);
	assert_int_equal(p.type, EAP_TYPE_MSCHAPV2);
	assert_int_equal(p.ms_opcode, EAP_MSCHAPV2_SUCCESS);
	eap_encodes_to(0, &p, EAP_MS_RESP_SUCCESS);

	assert_int_equal(eap_hex(&v, EAP_MS_SUCCESS, &p), PPP_OK);
	assert_int_equal(p.code, EAP_SUCCESS);
	assert_int_equal(p.id, 3);
	eap_encodes_to(0, &p, EAP_MS_SUCCESS);
}

static void
eap_mschapv2_failure_exchange(void **state)
{
	/* "E=691 R=0 C=<auth chal> V=3 M=Authentication failed" */
	const char *req =
	    "01 03 00 51 1A 04 02 00 4C 45 3D 36 39 31 20 52 3D 30 20 43 3D 35 "
	    "42 35 44 37 43 37 44 37 42 33 46 32 46 33 45 33 43 32 43 36 30 32 "
	    "31 33 32 32 36 32 36 32 38 20 56 3D 33 20 4D 3D 41 75 74 68 65 6E "
	    "74 69 63 61 74 69 6F 6E 20 66 61 69 6C 65 64";
	struct chap_ms_failure f;
	struct eap_packet p;
	struct vec v;

	(void)state;
	assert_int_equal(eap_hex(&v, req, &p), PPP_OK);
	assert_int_equal(p.ms_opcode, EAP_MSCHAPV2_FAILURE);
	assert_int_equal(p.ms_id, 2);
	assert_int_equal(chap_ms_failure_parse(p.data, p.data_len, &f), PPP_OK);
	assert_int_equal(f.error, 691);
	assert_view(f.msg, f.msg_len, "Authentication failed");
	eap_encodes_to(0, &p, req);
	assert_int_equal(eap_hex(&v, "02 03 00 06 1A 04", &p), PPP_OK);
	assert_int_equal(p.ms_opcode, EAP_MSCHAPV2_FAILURE);
	eap_encodes_to(0, &p, "02 03 00 06 1A 04");
	eap_roundtrips("04 03 00 04");
}

/* --- spec/ppp.md traps --- */

/* A Change-Password packet: header, then the body bytes 0, 1, 2, ... */
static size_t
change_password_packet(uint8_t *buf, size_t cap, const uint8_t *hdr,
    size_t hdr_len, size_t body_len)
{
	size_t i;

	assert_true(hdr_len + body_len <= cap);
	memcpy(buf, hdr, hdr_len);
	for (i = 0; i < body_len; i++)
		buf[hdr_len + i] = (uint8_t)i;
	return hdr_len + body_len;
}

static void
ppp_trap_10_password_change_packets_recognised(void **state)
{
	/* RFC 2759 7: 516 + 16 + 16 + 8 + 24 + 2 = 582 bytes, Length 586. */
	const uint8_t chap7[4] = { 0x07, 0x05, 0x02, 0x4a };
	/* EAP Length 591, OpCode 7, MS-CHAPv2-ID 5, MS-Length 586. */
	const uint8_t eap7[9] = { 0x02, 0x05, 0x02, 0x4f, 0x1a, 0x07, 0x05,
		0x02, 0x4a };
	uint8_t pkt[600], out[600];
	struct chap_packet c;
	struct eap_packet e;
	struct vec v;
	struct wr w;
	struct rd r;
	size_t n, code;

	(void)state;
	n = change_password_packet(pkt, sizeof(pkt), chap7, 4, 582);
	rd_init(&r, pkt, n);
	assert_int_equal(chap_decode(&r, CHAP_ALG_MSCHAPV2, &c), PPP_OK);
	assert_int_equal(c.code, CHAP_MSCHAPV2_CHANGE_PASSWORD);
	assert_int_equal(c.id, 5);
	assert_int_equal(c.msg_len, 582);
	assert_true(chap_code_is_password_change(c.code));
	wr_init(&w, out, sizeof(out));
	assert_int_equal(chap_encode(&w, CHAP_ALG_MSCHAPV2, &c), PPP_OK);
	assert_int_equal(wr_len(&w), n);
	assert_memory_equal(out, pkt, n);

	/* MS-CHAPv1 change-password v1 and v2 (RFC 2433), any algorithm. */
	assert_int_equal(
	    chap_hex(&v, "05 06 00 06 AA BB", CHAP_ALG_MSCHAPV2, &c), PPP_OK);
	assert_int_equal(c.code, CHAP_MSCHAPV1_CHANGE_PASSWORD_V1);
	assert_true(chap_code_is_password_change(c.code));
	assert_int_equal(chap_hex(&v, "06 07 00 04", CHAP_ALG_MD5, &c), PPP_OK);
	assert_int_equal(c.code, CHAP_MSCHAPV1_CHANGE_PASSWORD_V2);
	assert_int_equal(c.id, 7);
	assert_true(chap_code_is_password_change(c.code));
	for (code = 0; code < 256; code++)
		assert_int_equal(chap_code_is_password_change((uint8_t)code),
		    code >= 5 && code <= 7);

	/* EAP-MSCHAPv2 OpCode 7 Response. */
	n = change_password_packet(pkt, sizeof(pkt), eap7, 9, 582);
	rd_init(&r, pkt, n);
	assert_int_equal(eap_decode(&r, &e), PPP_OK);
	assert_int_equal(e.type, EAP_TYPE_MSCHAPV2);
	assert_int_equal(e.ms_opcode, EAP_MSCHAPV2_CHANGE_PASSWORD);
	assert_int_equal(e.ms_id, 5);
	assert_int_equal(e.data_len, 582);
	assert_true(eap_is_password_change(&e));
	wr_init(&w, out, sizeof(out));
	assert_int_equal(eap_encode(&w, &e), PPP_OK);
	assert_int_equal(wr_len(&w), n);
	assert_memory_equal(out, pkt, n);
	/* Its MS-Length is checked like any other. */
	pkt[8] = 0x4b;
	rd_init(&r, pkt, n);
	assert_int_equal(eap_decode(&r, &e), PPP_E_LENGTH);
	/* Never in a Request; the other OpCodes are not a change. */
	assert_int_equal(
	    eap_hex(&v, "01 05 00 09 1A 07 05 00 04", &e), PPP_E_TYPE);
	assert_int_equal(eap_hex(&v, EAP_MS_RESP_RESPONSE, &e), PPP_OK);
	assert_false(eap_is_password_change(&e));
}

static void
ppp_trap_12_value_size_checked_name_to_end(void **state)
{
	/* The 5.3 Response with Value-Size 48 and 50 over the same bytes. */
	const char *vs48 = "02 01 00 3A 30 " RFC2759_PEER_CHAL
			   " 0000000000000000 " RFC2759_NT_RESP " 00 55736572";
	const char *vs50 = "02 01 00 3A 32 " RFC2759_PEER_CHAL
			   " 0000000000000000 " RFC2759_NT_RESP " 00 55736572";
	/* Name "DOM\User" with a NUL and a space in it, then padding. */
	const char *name =
	    "02 09 00 1D 10 " MD5_RESPONSE " 44 4F 4D 5C 55 00 20 72 45 45";
	struct chap_packet p;
	struct eap_packet e;
	struct vec v;

	(void)state;
	assert_int_equal(
	    chap_hex(&v, vs48, CHAP_ALG_MSCHAPV2, &p), PPP_E_VALUE_SIZE);
	assert_int_equal(
	    chap_hex(&v, vs50, CHAP_ALG_MSCHAPV2, &p), PPP_E_VALUE_SIZE);
	/* The same bytes as MD5 are wrong too: a Response is 16. */
	assert_int_equal(
	    chap_hex(&v, vs48, CHAP_ALG_MD5, &p), PPP_E_VALUE_SIZE);
	assert_int_equal(
	    chap_hex(&v, "02 01 00 14 0F 740E86463BDA3A4D7017D6E0FBA069",
		CHAP_ALG_MD5, &p),
	    PPP_E_VALUE_SIZE);
	assert_int_equal(chap_hex(&v, "02 01 00 16 11 " MD5_RESPONSE " 00",
			     CHAP_ALG_MD5, &p),
	    PPP_E_VALUE_SIZE);
	/* An MS-CHAPv2 Challenge is 16; an MD5 one any size but 0. */
	assert_int_equal(
	    chap_hex(&v, "01 01 00 14 0F 5B5D7C7D7B3F2F3E3C2C6021322626",
		CHAP_ALG_MSCHAPV2, &p),
	    PPP_E_VALUE_SIZE);
	assert_int_equal(chap_hex(&v, "01 01 00 0D 08 0001020304050607",
			     CHAP_ALG_MSCHAPV2, &p),
	    PPP_E_VALUE_SIZE);
	assert_int_equal(
	    chap_hex(&v, "01 01 00 0D 08 0001020304050607", CHAP_ALG_MD5, &p),
	    PPP_OK);
	assert_int_equal(p.vn.value_len, 8);
	assert_int_equal(p.vn.name_len, 0);
	/* EAP applies the same sizes. */
	assert_int_equal(
	    eap_hex(&v,
		"02 02 00 3F 1A 02 02 00 3A 32 " RFC2759_PEER_CHAL
		" 0000000000000000 " RFC2759_NT_RESP " 00 55 73 65 72",
		&e),
	    PPP_E_VALUE_SIZE);

	/* The Name is every byte up to Length, NUL included, no padding. */
	assert_int_equal(chap_hex(&v, name, CHAP_ALG_MD5, &p), PPP_OK);
	assert_int_equal(p.vn.name_len, 8);
	assert_memory_equal(p.vn.name, "DOM\\U\0 r", 8);
	chap_encodes_to(0, CHAP_ALG_MD5, &p,
	    "02 09 00 1D 10 " MD5_RESPONSE " 44 4F 4D 5C 55 00 20 72");
}

static void
ppp_trap_13_mschapv2_flags_nonzero_tolerated(void **state)
{
	/* Flags 01 and non-zero Reserved bytes. */
	const char *odd =
	    "02 01 00 3A 31 " RFC2759_PEER_CHAL
	    " 11 12 13 14 15 16 17 18 " RFC2759_NT_RESP " 01 55 73 65 72";
	const char *eap_ff =
	    "02 02 00 3F 1A 02 02 00 3A 31 " RFC2759_PEER_CHAL
	    " 00 00 00 00 00 00 00 00 " RFC2759_NT_RESP " FF 55 73 65 72";
	struct chap_packet p;
	struct eap_packet e;
	struct vec v, want;

	(void)state;
	assert_int_equal(chap_hex(&v, odd, CHAP_ALG_MSCHAPV2, &p), PPP_OK);
	assert_int_equal(p.vn.ms.flags, 0x01);
	vec_hex(&want, RFC2759_NT_RESP);
	assert_memory_equal(p.vn.ms.nt_response, want.b, 24);
	assert_view(p.vn.name, p.vn.name_len, "User");
	/* Re-encoded: the flags kept, Reserved zeroed. */
	chap_encodes_to(0, CHAP_ALG_MSCHAPV2, &p,
	    "02 01 00 3A 31 " RFC2759_PEER_CHAL
	    " 00 00 00 00 00 00 00 00 " RFC2759_NT_RESP " 01 55 73 65 72");

	assert_int_equal(eap_hex(&v, eap_ff, &e), PPP_OK);
	assert_int_equal(e.vn.ms.flags, 0xff);
	eap_encodes_to(0, &e, eap_ff);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pap_rejects_bad_header),
		cmocka_unit_test(pap_request_rejects_bad_lengths),
		cmocka_unit_test(pap_reply_rejects_bad_lengths),
		cmocka_unit_test(pap_encoder_refuses),
		cmocka_unit_test(pap_softether_request),
		cmocka_unit_test(pap_softether_ack_without_msg_length),
		cmocka_unit_test(pap_replies_roundtrip),
		cmocka_unit_test(pap_empty_fields_and_padding),
		cmocka_unit_test(chap_rejects_bad_header),
		cmocka_unit_test(chap_rejects_bad_value_size),
		cmocka_unit_test(chap_encoder_refuses),
		cmocka_unit_test(chap_md5_exchange),
		cmocka_unit_test(chap_mschapv2_rfc2759_response),
		cmocka_unit_test(chap_mschapv2_challenge_and_verdicts),
		cmocka_unit_test(ms_success_rejects_bad_text),
		cmocka_unit_test(ms_success_parse_and_build),
		cmocka_unit_test(ms_failure_rejects_bad_text),
		cmocka_unit_test(ms_failure_windows_style),
		cmocka_unit_test(ms_failure_pppd_style),
		cmocka_unit_test(ms_failure_any_order_missing_parts),
		cmocka_unit_test(eap_rejects_bad_header),
		cmocka_unit_test(eap_rejects_bad_type_data),
		cmocka_unit_test(eap_mschapv2_rejects_bad_layout),
		cmocka_unit_test(eap_encoder_refuses),
		cmocka_unit_test(eap_md5_exchange),
		cmocka_unit_test(eap_identity_notification_nak),
		cmocka_unit_test(eap_other_types_are_opaque),
		cmocka_unit_test(eap_mschapv2_hand_built_exchange),
		cmocka_unit_test(eap_mschapv2_failure_exchange),
		cmocka_unit_test(
		    ppp_trap_10_password_change_packets_recognised),
		cmocka_unit_test(ppp_trap_12_value_size_checked_name_to_end),
		cmocka_unit_test(ppp_trap_13_mschapv2_flags_nonzero_tolerated),
	};

	return test_run(
	    argc, argv, "ppp_auth_packets", tests, ARRAY_LEN(tests));
}

/*
 * The CHAP decoder and the MS-CHAPv2 Success/Failure message parsers.
 * The first byte picks what the rest is: 0 a packet for MD5, 1 a packet
 * for MS-CHAPv2, 2 a Success message, 3 a Failure message.  Decoding is
 * total; what decodes re-encodes to something that decodes to the same
 * fields (byte for byte where nothing is normalised).
 */
#include <stdlib.h>
#include <string.h>

#include "ppp/chap_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[70000];

static bool
view_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static void
check_success(const uint8_t *text, size_t len)
{
	struct chap_ms_success s, again;
	struct wr w;

	if (chap_ms_success_parse(text, len, &s) != PPP_OK)
		return;
	wr_init(&w, out, sizeof(out));
	/* The parser is strict: building gives back the very text. */
	if (chap_ms_success_build(&w, &s) != PPP_OK || wr_len(&w) != len ||
	    memcmp(out, text, len) != 0)
		abort();
	if (chap_ms_success_parse(out, wr_len(&w), &again) != PPP_OK ||
	    again.has_msg != s.has_msg ||
	    memcmp(again.auth_resp, s.auth_resp, CHAP_MS_AUTH_RESP_LEN) != 0 ||
	    !view_eq(again.msg, again.msg_len, s.msg, s.msg_len))
		abort();
}

static void
check_failure(const uint8_t *text, size_t len)
{
	struct chap_ms_failure f, again;
	struct wr w;

	if (chap_ms_failure_parse(text, len, &f) != PPP_OK)
		return;
	wr_init(&w, out, sizeof(out));
	if (chap_ms_failure_build(&w, &f) != PPP_OK)
		abort();
	if (chap_ms_failure_parse(out, wr_len(&w), &again) != PPP_OK ||
	    again.has_error != f.has_error || again.error != f.error ||
	    again.has_retry != f.has_retry || again.retry != f.retry ||
	    again.has_challenge != f.has_challenge ||
	    memcmp(again.challenge, f.challenge, sizeof(f.challenge)) != 0 ||
	    again.has_version != f.has_version || again.version != f.version ||
	    again.has_msg != f.has_msg ||
	    !view_eq(again.msg, again.msg_len, f.msg, f.msg_len))
		abort();
}

static void
check_packet(uint8_t alg, const uint8_t *pkt, size_t len)
{
	struct chap_packet p, again;
	bool ms_resp;
	struct rd r;
	struct wr w;

	rd_init(&r, pkt, len);
	if (chap_decode(&r, alg, &p) != PPP_OK)
		return;
	wr_init(&w, out, sizeof(out));
	if (chap_encode(&w, alg, &p) != PPP_OK)
		abort();
	/* Only an MS-CHAPv2 Response is normalised (Reserved zeroed). */
	ms_resp = alg == CHAP_ALG_MSCHAPV2 && p.code == CHAP_RESPONSE;
	if (wr_len(&w) > len || (!ms_resp && memcmp(out, pkt, wr_len(&w)) != 0))
		abort();
	rd_init(&r, out, wr_len(&w));
	if (chap_decode(&r, alg, &again) != PPP_OK || !rd_empty(&r))
		abort();
	if (again.code != p.code || again.id != p.id ||
	    again.vn.value_len != p.vn.value_len ||
	    (!ms_resp &&
		!view_eq(again.vn.value, again.vn.value_len, p.vn.value,
		    p.vn.value_len)) ||
	    !view_eq(
		again.vn.name, again.vn.name_len, p.vn.name, p.vn.name_len) ||
	    memcmp(&again.vn.ms, &p.vn.ms, sizeof(p.vn.ms)) != 0 ||
	    !view_eq(again.msg, again.msg_len, p.msg, p.msg_len))
		abort();
	if (alg == CHAP_ALG_MSCHAPV2 && p.code == CHAP_SUCCESS)
		check_success(p.msg, p.msg_len);
	if (alg == CHAP_ALG_MSCHAPV2 && p.code == CHAP_FAILURE)
		check_failure(p.msg, p.msg_len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	uint8_t mode;
	struct rd r;
	size_t len;

	rd_init(&r, data, size);
	if (size > 65536 || !rd_u8(&r, &mode))
		return 0;
	len = rd_left(&r);
	rd_view(&r, len, &rest);
	switch (mode % 4) {
	case 0:
		check_packet(CHAP_ALG_MD5, rest, len);
		break;
	case 1:
		check_packet(CHAP_ALG_MSCHAPV2, rest, len);
		break;
	case 2:
		check_success(rest, len);
		break;
	default:
		check_failure(rest, len);
		break;
	}
	return 0;
}

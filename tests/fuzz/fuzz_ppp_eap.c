/*
 * The EAP decoder: whatever the bytes, decoding is total; what decodes
 * re-encodes to a packet that decodes to the same fields, byte for byte
 * but for the Reserved bytes of an EAP-MSCHAPv2 Response.
 */
#include <stdlib.h>
#include <string.h>

#include "ppp/eap_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
view_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[70000];
	struct eap_packet p, again;
	bool ms_resp;
	struct rd r;
	struct wr w;

	rd_init(&r, data, size);
	if (eap_decode(&r, &p) != PPP_OK)
		return 0;
	wr_init(&w, out, sizeof(out));
	if (eap_encode(&w, &p) != PPP_OK)
		abort();
	ms_resp = p.code == EAP_RESPONSE && p.type == EAP_TYPE_MSCHAPV2 &&
	    p.ms_opcode == EAP_MSCHAPV2_RESPONSE;
	if (wr_len(&w) > size ||
	    (!ms_resp && memcmp(out, data, wr_len(&w)) != 0))
		abort();
	rd_init(&r, out, wr_len(&w));
	if (eap_decode(&r, &again) != PPP_OK || !rd_empty(&r))
		abort();
	if (again.code != p.code || again.id != p.id || again.type != p.type ||
	    again.ms_opcode != p.ms_opcode || again.ms_id != p.ms_id ||
	    again.vn.value_len != p.vn.value_len ||
	    (!ms_resp &&
		!view_eq(again.vn.value, again.vn.value_len, p.vn.value,
		    p.vn.value_len)) ||
	    !view_eq(
		again.vn.name, again.vn.name_len, p.vn.name, p.vn.name_len) ||
	    memcmp(&again.vn.ms, &p.vn.ms, sizeof(p.vn.ms)) != 0 ||
	    !view_eq(again.data, again.data_len, p.data, p.data_len) ||
	    eap_is_password_change(&again) != eap_is_password_change(&p))
		abort();
	return 0;
}

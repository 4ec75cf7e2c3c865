/*
 * The PAP decoder: whatever the bytes, decoding is total; what decodes
 * re-encodes to exactly the packet (padding dropped), which decodes to the
 * same fields.
 */
#include <stdlib.h>
#include <string.h>

#include "ppp/pap_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
view_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1024];
	struct pap_packet p, again;
	struct rd r;
	struct wr w;

	rd_init(&r, data, size);
	if (pap_decode(&r, &p) != PPP_OK)
		return 0;
	wr_init(&w, out, sizeof(out));
	if (pap_encode(&w, &p) != PPP_OK)
		abort();
	/* Every field is checked on the way in: nothing to normalise. */
	if (wr_len(&w) > size || memcmp(out, data, wr_len(&w)) != 0)
		abort();
	rd_init(&r, out, wr_len(&w));
	if (pap_decode(&r, &again) != PPP_OK || !rd_empty(&r))
		abort();
	if (again.code != p.code || again.id != p.id ||
	    again.no_msg_len != p.no_msg_len ||
	    !view_eq(
		again.peer_id, again.peer_id_len, p.peer_id, p.peer_id_len) ||
	    !view_eq(again.passwd, again.passwd_len, p.passwd, p.passwd_len) ||
	    !view_eq(again.msg, again.msg_len, p.msg, p.msg_len))
		abort();
	return 0;
}

/*
 * The SSTP packet and attribute decoders: whatever the bytes, decoding is
 * total, and what decodes re-encodes to a message that decodes the same.
 */
#include <stdlib.h>
#include <string.h>

#include "sstp/sstp_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_roundtrip(const struct sstp_ctrl *c)
{
	uint8_t out[SSTP_MAX_PACKET];
	struct sstp_ctrl again;
	bool return_status = true;
	struct wr w;

	wr_init(&w, out, sizeof(out));
	if (sstp_ctrl_encode(&w, c) != SSTP_OK)
		return;
	if (sstp_ctrl_decode(out, wr_len(&w), &again) != SSTP_OK)
		abort();
	/* Our Call Connect Request carries no Status Info (trap 10). */
	if (c->type == SSTP_MSG_CALL_CONNECT_REQUEST)
		return_status = false;
	if (again.type != c->type || again.protocol_id != c->protocol_id ||
	    again.has_status != (c->has_status && return_status) ||
	    memcmp(&again.binding, &c->binding, sizeof(c->binding)) != 0 ||
	    memcmp(&again.binding_req, &c->binding_req,
		sizeof(c->binding_req)) != 0)
		abort();
	if (again.has_status &&
	    (again.status.status != c->status.status ||
		again.status.value_len != c->status.value_len))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sstp_hdr h;
	struct sstp_ctrl c;
	struct rd r;

	/* As a stream: walk packet after packet, as the connection does. */
	rd_init(&r, data, size);
	for (;;) {
		const uint8_t *start = rd_ptr(&r);

		if (sstp_hdr_decode(&r, &h) != SSTP_OK ||
		    !rd_skip(&r, h.len - SSTP_HDR_LEN))
			break;
		if (h.control && sstp_ctrl_decode(start, h.len, &c) == SSTP_OK)
			check_roundtrip(&c);
	}
	/* As one whole packet, whatever its header says. */
	if (sstp_ctrl_decode(data, size, &c) == SSTP_OK)
		check_roundtrip(&c);
	return 0;
}

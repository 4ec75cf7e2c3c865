#include "ppp/ppp_frame.h"

enum ppp_err
ppp_frame_decode(
    const uint8_t *frame, size_t len, uint16_t *protocol, struct rd *info)
{
	struct rd r;
	uint8_t b0, b1;

	rd_init(&r, frame, len);
	if (len >= 2 && frame[0] == PPP_ADDRESS && frame[1] == PPP_CONTROL)
		rd_skip(&r, 2);
	if (!rd_u8(&r, &b0))
		return PPP_E_PROTOCOL;
	if (b0 & 0x01) {
		/* RFC 1661 6.5: a compressed 1-byte protocol. */
		*protocol = b0;
	} else {
		if (!rd_u8(&r, &b1) || (b1 & 0x01) == 0)
			return PPP_E_PROTOCOL;
		*protocol = (uint16_t)(b0 << 8 | b1);
	}
	*info = r;
	return PPP_OK;
}

void
ppp_frame_header(struct wr *w, uint16_t protocol)
{
	wr_u8(w, PPP_ADDRESS);
	wr_u8(w, PPP_CONTROL);
	wr_u16(w, protocol);
}

enum ppp_err
ppp_pkt_decode(struct rd *info, struct ppp_pkt *p)
{
	uint16_t len;

	if (!rd_u8(info, &p->code) || !rd_u8(info, &p->id) ||
	    !rd_u16(info, &len))
		return PPP_E_SHORT;
	if (len < PPP_PKT_HDR_LEN)
		return PPP_E_LENGTH;
	/* RFC 1661 5: octets beyond Length are padding and ignored. */
	if (!rd_sub(info, len - PPP_PKT_HDR_LEN, &p->data))
		return PPP_E_TRUNCATED;
	return PPP_OK;
}

size_t
ppp_pkt_begin(struct wr *w, uint8_t code, uint8_t id)
{
	size_t start = wr_len(w);

	wr_u8(w, code);
	wr_u8(w, id);
	wr_u16(w, 0);
	return start;
}

void
ppp_pkt_end(struct wr *w, size_t start)
{
	wr_put_u16_at(w, start + 2, (uint16_t)(wr_len(w) - start));
}

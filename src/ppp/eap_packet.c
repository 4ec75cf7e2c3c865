#include "ppp/eap_packet.h"

#include <string.h>

#include "ppp/ppp_frame.h"

/* spec/ppp.md 7.3: which OpCode may travel in which direction. */
static bool
ms_opcode_allowed(uint8_t code, uint8_t opcode)
{
	switch (opcode) {
	case EAP_MSCHAPV2_CHALLENGE:
		return code == EAP_REQUEST;
	case EAP_MSCHAPV2_RESPONSE:
	case EAP_MSCHAPV2_CHANGE_PASSWORD:
		return code == EAP_RESPONSE;
	case EAP_MSCHAPV2_SUCCESS:
	case EAP_MSCHAPV2_FAILURE:
		return true;
	default:
		return false;
	}
}

/* The Success and Failure Responses are the OpCode alone. */
static bool
ms_opcode_only(uint8_t code, uint8_t opcode)
{
	return code == EAP_RESPONSE &&
	    (opcode == EAP_MSCHAPV2_SUCCESS || opcode == EAP_MSCHAPV2_FAILURE);
}

static void
rest_view(struct rd *r, const uint8_t **v, size_t *len)
{
	*len = rd_left(r);
	rd_view(r, *len, v);
}

/* draft-kamath-pppext-eap-mschapv2 2: OpCode MS-CHAPv2-ID MS-Length ... */
static enum ppp_err
ms_decode(struct rd *r, struct eap_packet *p)
{
	size_t from_opcode = rd_left(r);
	uint16_t ms_len;

	if (!rd_u8(r, &p->ms_opcode))
		return PPP_E_LENGTH;
	if (!ms_opcode_allowed(p->code, p->ms_opcode))
		return PPP_E_TYPE;
	if (ms_opcode_only(p->code, p->ms_opcode))
		return rd_empty(r) ? PPP_OK : PPP_E_TRAILING;
	if (!rd_u8(r, &p->ms_id) || !rd_u16(r, &ms_len))
		return PPP_E_LENGTH;
	/* spec/ppp.md 7.3: pppd drops a packet whose MS-Length differs. */
	if (ms_len != from_opcode)
		return PPP_E_LENGTH;
	switch (p->ms_opcode) {
	case EAP_MSCHAPV2_CHALLENGE:
	case EAP_MSCHAPV2_RESPONSE:
		return chap_value_name_decode(r, CHAP_ALG_MSCHAPV2,
		    p->ms_opcode == EAP_MSCHAPV2_RESPONSE, &p->vn);
	default:
		rest_view(r, &p->data, &p->data_len);
		return PPP_OK;
	}
}

/* RFC 3748 5: the Type-Data of each type we know. */
static enum ppp_err
type_decode(struct rd *r, struct eap_packet *p)
{
	switch (p->type) {
	case EAP_TYPE_NOTIFICATION:
		/* RFC 3748 5.2: the Response carries no data. */
		if (p->code == EAP_RESPONSE && !rd_empty(r))
			return PPP_E_TRAILING;
		break;
	case EAP_TYPE_NAK:
		/* RFC 3748 5.3: Response only, at least one type. */
		if (p->code != EAP_RESPONSE)
			return PPP_E_TYPE;
		if (rd_empty(r))
			return PPP_E_LENGTH;
		break;
	case EAP_TYPE_MD5_CHALLENGE:
		return chap_value_name_decode(
		    r, CHAP_ALG_MD5, p->code == EAP_RESPONSE, &p->vn);
	case EAP_TYPE_MSCHAPV2:
		return ms_decode(r, p);
	default:
		break;
	}
	rest_view(r, &p->data, &p->data_len);
	return PPP_OK;
}

enum ppp_err
eap_decode(struct rd *info, struct eap_packet *p)
{
	struct ppp_pkt pkt;
	enum ppp_err err;

	memset(p, 0, sizeof(*p));
	if ((err = ppp_pkt_decode(info, &pkt)) != PPP_OK)
		return err;
	p->code = pkt.code;
	p->id = pkt.id;
	switch (pkt.code) {
	case EAP_SUCCESS:
	case EAP_FAILURE:
		/* RFC 3748 4.2: exactly the 4-byte header. */
		return rd_empty(&pkt.data) ? PPP_OK : PPP_E_TRAILING;
	case EAP_REQUEST:
	case EAP_RESPONSE:
		if (!rd_u8(&pkt.data, &p->type))
			return PPP_E_LENGTH;
		return type_decode(&pkt.data, p);
	default:
		return PPP_E_CODE;
	}
}

static enum ppp_err
ms_encode(struct wr *w, const struct eap_packet *p)
{
	enum ppp_err err = PPP_OK;
	size_t start = wr_len(w);

	if (!ms_opcode_allowed(p->code, p->ms_opcode))
		return PPP_E_TYPE;
	wr_u8(w, p->ms_opcode);
	if (ms_opcode_only(p->code, p->ms_opcode))
		return PPP_OK;
	wr_u8(w, p->ms_id);
	wr_u16(w, 0);
	if (p->ms_opcode == EAP_MSCHAPV2_CHALLENGE ||
	    p->ms_opcode == EAP_MSCHAPV2_RESPONSE)
		err = chap_value_name_encode(w, CHAP_ALG_MSCHAPV2,
		    p->ms_opcode == EAP_MSCHAPV2_RESPONSE, &p->vn);
	else
		wr_bytes(w, p->data, p->data_len);
	if (err != PPP_OK)
		return err;
	/* Truncation here is caught by the caller's 65535 check. */
	wr_put_u16_at(w, start + 2, (uint16_t)(wr_len(w) - start));
	return PPP_OK;
}

static enum ppp_err
type_encode(struct wr *w, const struct eap_packet *p)
{
	switch (p->type) {
	case EAP_TYPE_NOTIFICATION:
		if (p->code == EAP_RESPONSE && p->data_len > 0)
			return PPP_E_TRAILING;
		break;
	case EAP_TYPE_NAK:
		if (p->code != EAP_RESPONSE)
			return PPP_E_TYPE;
		if (p->data_len == 0)
			return PPP_E_LENGTH;
		break;
	case EAP_TYPE_MD5_CHALLENGE:
		return chap_value_name_encode(
		    w, CHAP_ALG_MD5, p->code == EAP_RESPONSE, &p->vn);
	case EAP_TYPE_MSCHAPV2:
		return ms_encode(w, p);
	default:
		break;
	}
	wr_bytes(w, p->data, p->data_len);
	return PPP_OK;
}

enum ppp_err
eap_encode(struct wr *w, const struct eap_packet *p)
{
	enum ppp_err err = PPP_OK;
	size_t start;

	if (p->code < EAP_REQUEST || p->code > EAP_FAILURE)
		return PPP_E_CODE;
	start = ppp_pkt_begin(w, p->code, p->id);
	if (p->code == EAP_REQUEST || p->code == EAP_RESPONSE) {
		wr_u8(w, p->type);
		err = type_encode(w, p);
	}
	if (err != PPP_OK)
		return err;
	if (!wr_ok(w))
		return PPP_E_NOSPACE;
	if (wr_len(w) - start > UINT16_MAX)
		return PPP_E_INVALID;
	ppp_pkt_end(w, start);
	return PPP_OK;
}

bool
eap_is_password_change(const struct eap_packet *p)
{
	return p->code == EAP_RESPONSE && p->type == EAP_TYPE_MSCHAPV2 &&
	    p->ms_opcode == EAP_MSCHAPV2_CHANGE_PASSWORD;
}

#include "ppp/pap_packet.h"

#include <string.h>

#include "ppp/ppp_frame.h"

/* Read a 1-byte length and that many bytes; the length must leave
 * reserve bytes behind for the fields that follow. */
static enum ppp_err
field_decode(struct rd *r, size_t reserve, const uint8_t **v, size_t *len)
{
	uint8_t n;

	if (!rd_u8(r, &n))
		return PPP_E_LENGTH;
	if (n > rd_left(r) || rd_left(r) - n < reserve)
		return PPP_E_FIELD_LENGTH;
	*len = n;
	rd_view(r, n, v);
	return PPP_OK;
}

/* RFC 1334 2.2.1: Peer-ID-Length Peer-ID Passwd-Length Password. */
static enum ppp_err
request_decode(struct rd *r, struct pap_packet *p)
{
	enum ppp_err err;

	if (rd_left(r) < 2)
		return PPP_E_LENGTH;
	if ((err = field_decode(r, 1, &p->peer_id, &p->peer_id_len)) != PPP_OK)
		return err;
	if ((err = field_decode(r, 0, &p->passwd, &p->passwd_len)) != PPP_OK)
		return err;
	return rd_empty(r) ? PPP_OK : PPP_E_TRAILING;
}

/* RFC 1334 2.2.2: Msg-Length Message.  spec/ppp.md 3: SoftEther's Ack
 * stops after the header, without the Msg-Length byte. */
static enum ppp_err
reply_decode(struct rd *r, struct pap_packet *p)
{
	enum ppp_err err;

	if (rd_empty(r)) {
		p->no_msg_len = true;
		return PPP_OK;
	}
	if ((err = field_decode(r, 0, &p->msg, &p->msg_len)) != PPP_OK)
		return err;
	return rd_empty(r) ? PPP_OK : PPP_E_TRAILING;
}

enum ppp_err
pap_decode(struct rd *info, struct pap_packet *p)
{
	struct ppp_pkt pkt;
	enum ppp_err err;

	memset(p, 0, sizeof(*p));
	if ((err = ppp_pkt_decode(info, &pkt)) != PPP_OK)
		return err;
	p->code = pkt.code;
	p->id = pkt.id;
	switch (pkt.code) {
	case PAP_AUTH_REQUEST:
		return request_decode(&pkt.data, p);
	case PAP_AUTH_ACK:
	case PAP_AUTH_NAK:
		return reply_decode(&pkt.data, p);
	default:
		return PPP_E_CODE;
	}
}

static void
field_encode(struct wr *w, const uint8_t *v, size_t len)
{
	wr_u8(w, (uint8_t)len);
	wr_bytes(w, v, len);
}

enum ppp_err
pap_encode(struct wr *w, const struct pap_packet *p)
{
	size_t start;

	switch (p->code) {
	case PAP_AUTH_REQUEST:
		if (p->peer_id_len > PAP_FIELD_MAX ||
		    p->passwd_len > PAP_FIELD_MAX)
			return PPP_E_INVALID;
		break;
	case PAP_AUTH_ACK:
	case PAP_AUTH_NAK:
		if (p->msg_len > PAP_FIELD_MAX ||
		    (p->no_msg_len && p->msg_len > 0))
			return PPP_E_INVALID;
		break;
	default:
		return PPP_E_CODE;
	}
	start = ppp_pkt_begin(w, p->code, p->id);
	if (p->code == PAP_AUTH_REQUEST) {
		field_encode(w, p->peer_id, p->peer_id_len);
		field_encode(w, p->passwd, p->passwd_len);
	} else if (!p->no_msg_len) {
		field_encode(w, p->msg, p->msg_len);
	}
	if (!wr_ok(w))
		return PPP_E_NOSPACE;
	ppp_pkt_end(w, start);
	return PPP_OK;
}

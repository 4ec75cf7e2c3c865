#include "sstp/sstp_packet.h"

#include <string.h>

/* MS-SSTP 2.2.1: Version(8) Reserved(7) C(1) R(4) Length(12). */
enum sstp_err
sstp_hdr_decode(struct rd *r, struct sstp_hdr *h)
{
	struct rd peek = *r;
	uint8_t version, flags;
	uint16_t len;

	if (!rd_u8(&peek, &version) || !rd_u8(&peek, &flags) ||
	    !rd_u16(&peek, &len))
		return SSTP_E_SHORT;
	if (version != SSTP_VERSION)
		return SSTP_E_VERSION;
	/* Reserved bits are ignored on receipt: byte 1 bits 7..1, R. */
	h->control = (flags & 0x01) != 0;
	h->len = len & SSTP_LEN_MASK;
	if (h->len < (h->control ? SSTP_CTRL_HDR_LEN : SSTP_HDR_LEN))
		return SSTP_E_PKT_LENGTH;
	*r = peek;
	return SSTP_OK;
}

static bool
attr_known(uint8_t id)
{
	return id >= SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID &&
	    id <= SSTP_ATTRIB_CRYPTO_BINDING_REQ;
}

/* MS-SSTP 2.2.8: Reserved1(3) AttribID(1) Status(4) AttribValue. */
static enum sstp_err
status_decode(struct rd *val, struct sstp_status_info *si)
{
	if (rd_left(val) < SSTP_ATTR_LEN_STATUS_MIN - SSTP_ATTR_HDR_LEN)
		return SSTP_E_ATTR_SIZE;
	rd_skip(val, 3);
	rd_u8(val, &si->attrib_id);
	rd_u32(val, &si->status);
	si->value_len = rd_left(val);
	rd_view(val, si->value_len, &si->value);
	return SSTP_OK;
}

/* MS-SSTP 2.2.6: Reserved1(3) Hash Protocol Bitmask(1) Nonce(32). */
static void
binding_req_decode(struct rd *val, struct sstp_binding_req *b)
{
	rd_skip(val, 3);
	rd_u8(val, &b->hash_bitmask);
	rd_bytes(val, b->nonce, sizeof(b->nonce));
}

/* MS-SSTP 2.2.7: Reserved1(3) Hash Protocol(1) Nonce CertHash CMAC. */
static void
binding_decode(struct rd *val, struct sstp_binding *b)
{
	rd_skip(val, 3);
	rd_u8(val, &b->hash_proto);
	rd_bytes(val, b->nonce, sizeof(b->nonce));
	rd_bytes(val, b->cert_hash, sizeof(b->cert_hash));
	rd_bytes(val, b->cmac, sizeof(b->cmac));
}

/* The attribute a message type requires, and its exact length. */
static bool
msg_required_attr(uint16_t type, uint8_t *id, uint16_t *len)
{
	switch (type) {
	case SSTP_MSG_CALL_CONNECT_REQUEST:
		*id = SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID;
		*len = SSTP_ATTR_LEN_PROTOCOL_ID;
		return true;
	case SSTP_MSG_CALL_CONNECT_ACK:
		*id = SSTP_ATTRIB_CRYPTO_BINDING_REQ;
		*len = SSTP_ATTR_LEN_BINDING_REQ;
		return true;
	case SSTP_MSG_CALL_CONNECTED:
		*id = SSTP_ATTRIB_CRYPTO_BINDING;
		*len = SSTP_ATTR_LEN_BINDING;
		return true;
	case SSTP_MSG_CALL_CONNECT_NAK:
		*id = SSTP_ATTRIB_STATUS_INFO;
		*len = 0; /* variable */
		return true;
	default:
		return false;
	}
}

/* Status Info may appear in Request (MS-SSTP 3.3.1.1.1), Nak, Abort,
 * Disconnect. */
static bool
msg_allows_status(uint16_t type)
{
	return type == SSTP_MSG_CALL_CONNECT_REQUEST ||
	    type == SSTP_MSG_CALL_CONNECT_NAK || type == SSTP_MSG_CALL_ABORT ||
	    type == SSTP_MSG_CALL_DISCONNECT;
}

static enum sstp_err
attr_accept(struct sstp_ctrl *c, uint8_t id, struct rd *val, bool *seen_req)
{
	uint16_t want_len;
	uint8_t want_id;
	size_t len = rd_left(val) + SSTP_ATTR_HDR_LEN;
	struct sstp_status_info si;
	enum sstp_err err;

	if (!attr_known(id))
		return SSTP_E_ATTR_UNKNOWN;
	if (id == SSTP_ATTRIB_STATUS_INFO) {
		if (!msg_allows_status(c->type))
			return SSTP_E_STATUS_NOT_IN_MSG;
		/* A Nak has one per refused attribute (2.4), a request one
		 * at most: more is a duplicate, not 339 ignored. */
		if (c->has_status && c->type != SSTP_MSG_CALL_CONNECT_NAK)
			return SSTP_E_ATTR_DUPLICATE;
		if ((err = status_decode(val, &si)) != SSTP_OK)
			return err;
		if (!c->has_status) {
			c->has_status = true;
			c->status = si;
		}
		*seen_req = *seen_req || c->type == SSTP_MSG_CALL_CONNECT_NAK;
		return SSTP_OK;
	}
	if (!msg_required_attr(c->type, &want_id, &want_len) || id != want_id)
		return SSTP_E_ATTR_NOT_IN_MSG;
	if (*seen_req)
		return SSTP_E_ATTR_DUPLICATE;
	if (len != want_len)
		return SSTP_E_ATTR_SIZE;
	*seen_req = true;
	switch (id) {
	case SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID:
		rd_u16(val, &c->protocol_id);
		break;
	case SSTP_ATTRIB_CRYPTO_BINDING_REQ:
		binding_req_decode(val, &c->binding_req);
		break;
	case SSTP_ATTRIB_CRYPTO_BINDING:
		binding_decode(val, &c->binding);
		break;
	}
	return SSTP_OK;
}

/*
 * spec/sstp.md trap 9: Abort and Disconnect are honoured whatever their
 * attributes look like (SoftEther sends none, sorz an id-0 attribute); the
 * first well-formed Status Info is kept, everything else is skipped.
 */
static bool
msg_is_tolerant(uint16_t type)
{
	return type == SSTP_MSG_CALL_ABORT ||
	    type == SSTP_MSG_CALL_DISCONNECT ||
	    type == SSTP_MSG_CALL_DISCONNECT_ACK;
}

static void
attrs_decode_tolerant(struct rd *r, struct sstp_ctrl *c)
{
	struct sstp_status_info si;
	struct rd val;
	uint8_t reserved, id;
	uint16_t len, i;

	for (i = 0; i < c->num_attrs; i++) {
		if (!rd_u8(r, &reserved) || !rd_u8(r, &id) || !rd_u16(r, &len))
			return;
		len &= SSTP_LEN_MASK;
		if (len < SSTP_ATTR_HDR_LEN ||
		    !rd_sub(r, len - SSTP_ATTR_HDR_LEN, &val))
			return;
		if (id == SSTP_ATTRIB_STATUS_INFO && !c->has_status &&
		    status_decode(&val, &si) == SSTP_OK) {
			c->has_status = true;
			c->status = si;
		}
	}
}

static enum sstp_err
attrs_decode_strict(struct rd *r, struct sstp_ctrl *c)
{
	enum sstp_err err;
	bool seen_req = false;
	uint8_t reserved, id, want_id;
	uint16_t len, want_len, i;
	struct rd val;

	for (i = 0; i < c->num_attrs; i++) {
		if (rd_empty(r))
			return SSTP_E_ATTR_COUNT;
		if (!rd_u8(r, &reserved) || !rd_u8(r, &id) || !rd_u16(r, &len))
			return SSTP_E_ATTR_TRUNCATED;
		c->err_attrib = id;
		len &= SSTP_LEN_MASK;
		if (len < SSTP_ATTR_HDR_LEN)
			return SSTP_E_ATTR_LENGTH;
		if (!rd_sub(r, len - SSTP_ATTR_HDR_LEN, &val))
			return SSTP_E_ATTR_TRUNCATED;
		if ((err = attr_accept(c, id, &val, &seen_req)) != SSTP_OK)
			return err;
	}
	c->err_attrib = 0;
	if (!rd_empty(r))
		return SSTP_E_TRAILING;
	if (msg_required_attr(c->type, &want_id, &want_len) && !seen_req) {
		c->err_attrib = want_id;
		return SSTP_E_ATTR_MISSING;
	}
	return SSTP_OK;
}

/* Messages that carry no attributes at all (spec/sstp.md 2.4). */
static bool
msg_is_empty(uint16_t type)
{
	return type == SSTP_MSG_ECHO_REQUEST || type == SSTP_MSG_ECHO_RESPONSE;
}

/* An attribute where none may be: a Status Info has a status of its own
 * (ATTRIB_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG, 2.5). */
static enum sstp_err
attr_in_empty_msg(struct rd *r, struct sstp_ctrl *c)
{
	uint8_t reserved, id;

	if (!rd_u8(r, &reserved) || !rd_u8(r, &id))
		return SSTP_E_ATTR_NOT_IN_MSG;
	c->err_attrib = id;
	return id == SSTP_ATTRIB_STATUS_INFO ? SSTP_E_STATUS_NOT_IN_MSG
					     : SSTP_E_ATTR_NOT_IN_MSG;
}

enum sstp_err
sstp_ctrl_decode(const uint8_t *pkt, size_t len, struct sstp_ctrl *c)
{
	struct sstp_hdr h;
	enum sstp_err err;
	struct rd r;

	memset(c, 0, sizeof(*c));
	rd_init(&r, pkt, len);
	if ((err = sstp_hdr_decode(&r, &h)) != SSTP_OK)
		return err;
	if (!h.control)
		return SSTP_E_NOT_CONTROL;
	if (h.len > len)
		return SSTP_E_SHORT;
	if (h.len < len)
		return SSTP_E_LONG;
	rd_u16(&r, &c->type);
	rd_u16(&r, &c->num_attrs);
	if (c->type < SSTP_MSG_CALL_CONNECT_REQUEST ||
	    c->type > SSTP_MSG_ECHO_RESPONSE)
		return SSTP_E_MSG_TYPE;
	if (msg_is_tolerant(c->type)) {
		/* A Status Info means nothing in a Disconnect Ack. */
		if (c->type != SSTP_MSG_CALL_DISCONNECT_ACK)
			attrs_decode_tolerant(&r, c);
		return SSTP_OK;
	}
	if (msg_is_empty(c->type)) {
		if (c->num_attrs != 0 || !rd_empty(&r))
			return attr_in_empty_msg(&r, c);
		return SSTP_OK;
	}
	return attrs_decode_strict(&r, c);
}

static size_t
ctrl_begin(struct wr *w, uint16_t type, uint16_t num_attrs)
{
	size_t start = wr_len(w);

	wr_u8(w, SSTP_VERSION);
	wr_u8(w, 0x01);
	wr_u16(w, 0); /* length, patched by ctrl_end */
	wr_u16(w, type);
	wr_u16(w, num_attrs);
	return start;
}

static enum sstp_err
ctrl_end(struct wr *w, size_t start)
{
	size_t len = wr_len(w) - start;

	if (!wr_ok(w))
		return SSTP_E_NOSPACE;
	if (len > SSTP_MAX_PACKET)
		return SSTP_E_FRAME_SIZE;
	wr_put_u16_at(w, start + 2, (uint16_t)len);
	return SSTP_OK;
}

static void
attr_hdr(struct wr *w, uint8_t id, uint16_t len)
{
	wr_u8(w, 0);
	wr_u8(w, id);
	wr_u16(w, len);
}

static enum sstp_err
status_encode(struct wr *w, const struct sstp_status_info *si)
{
	if (si->value_len > SSTP_STATUS_VALUE_MAX)
		return SSTP_E_ATTR_SIZE;
	attr_hdr(w, SSTP_ATTRIB_STATUS_INFO,
	    (uint16_t)(SSTP_ATTR_LEN_STATUS_MIN + si->value_len));
	wr_zeros(w, 3);
	wr_u8(w, si->attrib_id);
	wr_u32(w, si->status);
	wr_bytes(w, si->value, si->value_len);
	return SSTP_OK;
}

enum sstp_err
sstp_ctrl_encode_empty(struct wr *w, uint16_t type)
{
	return ctrl_end(w, ctrl_begin(w, type, 0));
}

enum sstp_err
sstp_ctrl_encode_status(
    struct wr *w, uint16_t type, const struct sstp_status_info *si)
{
	size_t start = ctrl_begin(w, type, si != NULL ? 1 : 0);
	enum sstp_err err;

	if (si != NULL && (err = status_encode(w, si)) != SSTP_OK)
		return err;
	return ctrl_end(w, start);
}

enum sstp_err
sstp_ctrl_encode(struct wr *w, const struct sstp_ctrl *c)
{
	const struct sstp_binding_req *q = &c->binding_req;
	const struct sstp_binding *b = &c->binding;
	size_t start;

	switch (c->type) {
	case SSTP_MSG_CALL_CONNECT_REQUEST:
		start = ctrl_begin(w, c->type, 1);
		attr_hdr(w, SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID,
		    SSTP_ATTR_LEN_PROTOCOL_ID);
		wr_u16(w, c->protocol_id);
		return ctrl_end(w, start);
	case SSTP_MSG_CALL_CONNECT_ACK:
		start = ctrl_begin(w, c->type, 1);
		attr_hdr(w, SSTP_ATTRIB_CRYPTO_BINDING_REQ,
		    SSTP_ATTR_LEN_BINDING_REQ);
		wr_zeros(w, 3);
		wr_u8(w, q->hash_bitmask);
		wr_bytes(w, q->nonce, sizeof(q->nonce));
		return ctrl_end(w, start);
	case SSTP_MSG_CALL_CONNECTED:
		start = ctrl_begin(w, c->type, 1);
		attr_hdr(w, SSTP_ATTRIB_CRYPTO_BINDING, SSTP_ATTR_LEN_BINDING);
		wr_zeros(w, 3);
		wr_u8(w, b->hash_proto);
		wr_bytes(w, b->nonce, sizeof(b->nonce));
		wr_bytes(w, b->cert_hash, sizeof(b->cert_hash));
		wr_bytes(w, b->cmac, sizeof(b->cmac));
		return ctrl_end(w, start);
	case SSTP_MSG_CALL_CONNECT_NAK:
		if (!c->has_status)
			return SSTP_E_ATTR_MISSING;
		return sstp_ctrl_encode_status(w, c->type, &c->status);
	case SSTP_MSG_CALL_ABORT:
	case SSTP_MSG_CALL_DISCONNECT:
		return sstp_ctrl_encode_status(
		    w, c->type, c->has_status ? &c->status : NULL);
	case SSTP_MSG_CALL_DISCONNECT_ACK:
	case SSTP_MSG_ECHO_REQUEST:
	case SSTP_MSG_ECHO_RESPONSE:
		return sstp_ctrl_encode_empty(w, c->type);
	default:
		return SSTP_E_MSG_TYPE;
	}
}

enum sstp_err
sstp_data_encode(struct wr *w, const uint8_t *frame, size_t len)
{
	if (len > SSTP_MAX_DATA)
		return SSTP_E_FRAME_SIZE;
	wr_u8(w, SSTP_VERSION);
	wr_u8(w, 0x00);
	wr_u16(w, (uint16_t)(len + SSTP_HDR_LEN));
	wr_bytes(w, frame, len);
	return wr_ok(w) ? SSTP_OK : SSTP_E_NOSPACE;
}

const char *
sstp_msg_name(uint16_t type)
{
	static const char *const names[] = {
		[SSTP_MSG_CALL_CONNECT_REQUEST] = "Call-Connect-Request",
		[SSTP_MSG_CALL_CONNECT_ACK] = "Call-Connect-Ack",
		[SSTP_MSG_CALL_CONNECT_NAK] = "Call-Connect-Nak",
		[SSTP_MSG_CALL_CONNECTED] = "Call-Connected",
		[SSTP_MSG_CALL_ABORT] = "Call-Abort",
		[SSTP_MSG_CALL_DISCONNECT] = "Call-Disconnect",
		[SSTP_MSG_CALL_DISCONNECT_ACK] = "Call-Disconnect-Ack",
		[SSTP_MSG_ECHO_REQUEST] = "Echo-Request",
		[SSTP_MSG_ECHO_RESPONSE] = "Echo-Response",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type] != NULL)
		return names[type];
	return "unknown";
}

const char *
sstp_status_name(uint32_t status)
{
	static const char *const names[] = {
		"NO_ERROR",
		"DUPLICATE_ATTRIBUTE",
		"UNRECOGNIZED_ATTRIBUTE",
		"INVALID_ATTRIB_VALUE_LENGTH",
		"VALUE_NOT_SUPPORTED",
		"UNACCEPTED_FRAME_RECEIVED",
		"RETRY_COUNT_EXCEEDED",
		"INVALID_FRAME_RECEIVED",
		"NEGOTIATION_TIMEOUT",
		"ATTRIB_NOT_SUPPORTED_IN_MSG",
		"REQUIRED_ATTRIBUTE_MISSING",
		"STATUS_INFO_NOT_SUPPORTED_IN_MSG",
	};

	if (status < sizeof(names) / sizeof(names[0]))
		return names[status];
	return "unknown";
}

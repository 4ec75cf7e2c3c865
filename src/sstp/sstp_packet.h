/*
 * SSTP packets, control messages and attributes: MS-SSTP 2.2, digest in
 * spec/sstp.md 2.  Decoders borrow views into the caller's buffer; encoders
 * write through a struct wr and never put more than one attribute in a
 * message (trap 10: sstp-client's attribute walk breaks on two).
 */
#ifndef OPENSSTP_SSTP_PACKET_H
#define OPENSSTP_SSTP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"
#include "base/wr.h"
#include "sstp/sstp_err.h"

#define SSTP_VERSION	      0x10
#define SSTP_HDR_LEN	      4
#define SSTP_CTRL_HDR_LEN     8
#define SSTP_ATTR_HDR_LEN     4
#define SSTP_LEN_MASK	      0x0fff
#define SSTP_MAX_PACKET	      4095
#define SSTP_MAX_DATA	      (SSTP_MAX_PACKET - SSTP_HDR_LEN)
#define SSTP_NONCE_LEN	      32
#define SSTP_HASH_FIELD_LEN   32
#define SSTP_SHA1_LEN	      20
#define SSTP_SHA256_LEN	      32
#define SSTP_HLAK_LEN	      32
#define SSTP_STATUS_VALUE_MAX 64

/* Attribute lengths including the 4-byte header (spec/sstp.md 2.5). */
#define SSTP_ATTR_LEN_PROTOCOL_ID 6
#define SSTP_ATTR_LEN_STATUS_MIN  12
#define SSTP_ATTR_LEN_BINDING	  104
#define SSTP_ATTR_LEN_BINDING_REQ 40
#define SSTP_CALL_CONNECTED_LEN	  112
/* Offsets inside the 112-byte Call Connected message (spec/sstp.md 4.6). */
#define SSTP_CC_OFF_HASH_PROTO 15
#define SSTP_CC_OFF_NONCE      16
#define SSTP_CC_OFF_CERT_HASH  48
#define SSTP_CC_OFF_CMAC       80

enum sstp_msg_type {
	SSTP_MSG_CALL_CONNECT_REQUEST = 0x0001,
	SSTP_MSG_CALL_CONNECT_ACK = 0x0002,
	SSTP_MSG_CALL_CONNECT_NAK = 0x0003,
	SSTP_MSG_CALL_CONNECTED = 0x0004,
	SSTP_MSG_CALL_ABORT = 0x0005,
	SSTP_MSG_CALL_DISCONNECT = 0x0006,
	SSTP_MSG_CALL_DISCONNECT_ACK = 0x0007,
	SSTP_MSG_ECHO_REQUEST = 0x0008,
	SSTP_MSG_ECHO_RESPONSE = 0x0009,
};

enum sstp_attr_id {
	SSTP_ATTRIB_NO_ERROR = 0x00,
	SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID = 0x01,
	SSTP_ATTRIB_STATUS_INFO = 0x02,
	SSTP_ATTRIB_CRYPTO_BINDING = 0x03,
	SSTP_ATTRIB_CRYPTO_BINDING_REQ = 0x04,
};

enum sstp_attrib_status {
	SSTP_ATTRIB_STATUS_NO_ERROR = 0x00000000,
	SSTP_ATTRIB_STATUS_DUPLICATE_ATTRIBUTE = 0x00000001,
	SSTP_ATTRIB_STATUS_UNRECOGNIZED_ATTRIBUTE = 0x00000002,
	SSTP_ATTRIB_STATUS_INVALID_ATTRIB_VALUE_LENGTH = 0x00000003,
	SSTP_ATTRIB_STATUS_VALUE_NOT_SUPPORTED = 0x00000004,
	SSTP_ATTRIB_STATUS_UNACCEPTED_FRAME_RECEIVED = 0x00000005,
	SSTP_ATTRIB_STATUS_RETRY_COUNT_EXCEEDED = 0x00000006,
	SSTP_ATTRIB_STATUS_INVALID_FRAME_RECEIVED = 0x00000007,
	SSTP_ATTRIB_STATUS_NEGOTIATION_TIMEOUT = 0x00000008,
	SSTP_ATTRIB_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG = 0x00000009,
	SSTP_ATTRIB_STATUS_REQUIRED_ATTRIBUTE_MISSING = 0x0000000a,
	SSTP_ATTRIB_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG = 0x0000000b,
};

#define SSTP_ENCAPSULATED_PROTOCOL_PPP 0x0001
#define SSTP_CERT_HASH_PROTOCOL_SHA1   0x01
#define SSTP_CERT_HASH_PROTOCOL_SHA256 0x02

struct sstp_hdr {
	bool control;
	uint16_t len; /* whole packet, header included, R bits masked */
};

struct sstp_status_info {
	uint8_t attrib_id; /* the attribute this status is about, 0 = none */
	uint32_t status; /* enum sstp_attrib_status */
	const uint8_t *value; /* AttribValue, borrowed */
	size_t value_len;
};

struct sstp_binding_req {
	uint8_t hash_bitmask;
	uint8_t nonce[SSTP_NONCE_LEN];
};

struct sstp_binding {
	uint8_t hash_proto;
	uint8_t nonce[SSTP_NONCE_LEN];
	uint8_t cert_hash[SSTP_HASH_FIELD_LEN];
	uint8_t cmac[SSTP_HASH_FIELD_LEN];
};

/*
 * A decoded control message.  Which members mean something depends on
 * type: protocol_id (Call Connect Request), binding_req (Ack), binding
 * (Call Connected), status (Nak, Abort, Disconnect, optional in Request:
 * the first Status Info).
 */
struct sstp_ctrl {
	uint16_t type;
	uint16_t num_attrs;
	uint16_t protocol_id;
	struct sstp_binding_req binding_req;
	struct sstp_binding binding;
	bool has_status;
	struct sstp_status_info status;
	uint8_t err_attrib; /* on a decode error: the attribute concerned */
};

/*
 * Read the 4-byte header at the start of r.  Fails with SSTP_E_SHORT when
 * fewer than 4 bytes are there (read more), with a framing error when the
 * stream cannot be delineated.
 */
enum sstp_err sstp_hdr_decode(struct rd *r, struct sstp_hdr *h);

/*
 * Decode one whole control packet, pkt[0..len) exactly as framed by its
 * header.  Strict where a message becomes unusable; tolerant of junk or
 * missing attributes in Call Abort, Call Disconnect and Call Disconnect
 * Ack (spec/sstp.md trap 9).  c->status.value points into pkt.
 */
enum sstp_err sstp_ctrl_decode(
    const uint8_t *pkt, size_t len, struct sstp_ctrl *c);

/* Encode c (members used as for the decoder). */
enum sstp_err sstp_ctrl_encode(struct wr *w, const struct sstp_ctrl *c);

/* Encode a message that has no attributes (Echo, Disconnect Ack). */
enum sstp_err sstp_ctrl_encode_empty(struct wr *w, uint16_t type);

/* Encode Abort/Disconnect/Nak with one Status Info (or none if NULL). */
enum sstp_err sstp_ctrl_encode_status(
    struct wr *w, uint16_t type, const struct sstp_status_info *si);

/* Encode a data packet carrying one PPP frame. */
enum sstp_err sstp_data_encode(struct wr *w, const uint8_t *frame, size_t len);

const char *sstp_msg_name(uint16_t type);
const char *sstp_status_name(uint32_t status);

#endif

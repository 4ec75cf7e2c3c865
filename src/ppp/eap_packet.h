/*
 * EAP packets (RFC 3748 4-5, spec/ppp.md 7), protocol C227: the header,
 * Identity, Notification, Nak, MD5-Challenge and EAP-MSCHAPv2 (type 26,
 * draft-kamath-pppext-eap-mschapv2, spec/ppp.md 7.3) with every OpCode in
 * both directions.  Other types (EAP-TLS, PEAP, Expanded, ...) decode as
 * opaque Type-Data so a peer can Nak them.  A pure codec, no crypto:
 * decoders borrow views into their input, encoders write through a
 * struct wr.
 */
#ifndef OPENSSTP_PPP_EAP_PACKET_H
#define OPENSSTP_PPP_EAP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"
#include "base/wr.h"
#include "ppp/chap_packet.h"
#include "ppp/ppp_err.h"

enum eap_code {
	EAP_REQUEST = 1,
	EAP_RESPONSE = 2,
	EAP_SUCCESS = 3,
	EAP_FAILURE = 4,
};

enum eap_type {
	EAP_TYPE_IDENTITY = 1,
	EAP_TYPE_NOTIFICATION = 2,
	EAP_TYPE_NAK = 3,
	EAP_TYPE_MD5_CHALLENGE = 4,
	EAP_TYPE_TLS = 13,
	EAP_TYPE_PEAP = 25,
	EAP_TYPE_MSCHAPV2 = 26,
	EAP_TYPE_EXPANDED = 254,
};

enum eap_mschapv2_opcode {
	EAP_MSCHAPV2_CHALLENGE = 1, /* Request */
	EAP_MSCHAPV2_RESPONSE = 2, /* Response */
	EAP_MSCHAPV2_SUCCESS = 3, /* Request: message; Response: OpCode only */
	EAP_MSCHAPV2_FAILURE = 4, /* Request: message; Response: OpCode only */
	EAP_MSCHAPV2_CHANGE_PASSWORD = 7, /* Response: recognised, refused */
};

/*
 * One EAP packet; which members mean something depends on code, type
 * and ms_opcode.  Success and Failure: code and id only.
 *   vn    MD5-Challenge; EAP-MSCHAPv2 Challenge and Response (the
 *         Response value split into vn.ms), as CHAP's body.
 *   data  Identity and Notification text, the Nak type list, the
 *         EAP-MSCHAPv2 Success/Failure Request message and Change-Password
 *         body, the Type-Data of any other type.
 */
struct eap_packet {
	uint8_t code;
	uint8_t id;
	uint8_t type;
	uint8_t ms_opcode;
	uint8_t ms_id; /* absent from the 1-byte Success/Failure Responses */
	struct chap_value_name vn;
	const uint8_t *data;
	size_t data_len;
};

/*
 * Decode the packet at the start of info (the information field of a
 * C227 frame; bytes after its Length are padding).  Header errors as
 * ppp_pkt_decode; PPP_E_CODE for a code other than 1-4; PPP_E_TRAILING
 * for a Success/Failure longer than 4 bytes, a Notification Response or
 * an EAP-MSCHAPv2 Success/Failure Response with data; PPP_E_LENGTH for a
 * Request/Response without Type, an empty Nak, an EAP-MSCHAPv2 packet
 * without its OpCode or header, or MS-Length not EAP Length - 5;
 * PPP_E_TYPE for a Nak Request or an OpCode not allowed in its direction;
 * MD5-Challenge and EAP-MSCHAPv2 bodies as chap_value_name_decode().
 */
enum ppp_err eap_decode(struct rd *info, struct eap_packet *p);

/*
 * Encode p; refuses with the decoder's error what the decoder would refuse,
 * PPP_E_INVALID for a packet over 65535 bytes, PPP_E_NOSPACE when w is
 * full.  MS-Length is computed.
 */
enum ppp_err eap_encode(struct wr *w, const struct eap_packet *p);

/* An EAP-MSCHAPv2 Change-Password Response (trap 10). */
bool eap_is_password_change(const struct eap_packet *p);

#endif

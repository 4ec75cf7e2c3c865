/*
 * PAP packets (RFC 1334 2.2, spec/ppp.md 3), protocol C023: the
 * Authenticate-Request with its peer id and password, the
 * Authenticate-Ack and -Nak with their message.  A pure codec: decoders
 * borrow views into their input, encoders write through a struct wr; the
 * client and server state machines live elsewhere.
 */
#ifndef OPENSSTP_PPP_PAP_PACKET_H
#define OPENSSTP_PPP_PAP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"
#include "base/wr.h"
#include "ppp/ppp_err.h"

#define PAP_FIELD_MAX 255 /* peer id, password, message: 1-byte lengths */

enum pap_code {
	PAP_AUTH_REQUEST = 1,
	PAP_AUTH_ACK = 2,
	PAP_AUTH_NAK = 3,
};

/*
 * One PAP packet; which members mean something depends on code.  The
 * views point into the decoder's input and are not NUL-terminated.
 */
struct pap_packet {
	uint8_t code;
	uint8_t id;
	/* Authenticate-Request */
	const uint8_t *peer_id;
	size_t peer_id_len;
	const uint8_t *passwd;
	size_t passwd_len;
	/* Authenticate-Ack, Authenticate-Nak */
	const uint8_t *msg;
	size_t msg_len;
	bool no_msg_len; /* no Msg-Length byte at all: SoftEther's 4-byte Ack */
};

/*
 * Decode the packet at the start of info (the information field of a
 * C023 frame); bytes after its Length are padding.  PPP_E_SHORT,
 * PPP_E_LENGTH, PPP_E_TRUNCATED for the header; PPP_E_CODE for a code
 * other than 1-3; PPP_E_LENGTH for a Request without room for both length
 * bytes; PPP_E_FIELD_LENGTH when a length byte runs past Length;
 * PPP_E_TRAILING for bytes after the last field.  An Ack or Nak with no
 * Msg-Length byte is accepted (no_msg_len).
 */
enum ppp_err pap_decode(struct rd *info, struct pap_packet *p);

/*
 * Encode p, members used as the decoder sets them.  PPP_E_CODE for an
 * unknown code, PPP_E_INVALID for a field over PAP_FIELD_MAX (or a message
 * with no_msg_len), PPP_E_NOSPACE when w is full.
 */
enum ppp_err pap_encode(struct wr *w, const struct pap_packet *p);

#endif

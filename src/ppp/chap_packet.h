/*
 * CHAP packets (RFC 1994 4, spec/ppp.md 4), protocol C223, for the two
 * algorithms we run: MD5 (5) and MS-CHAPv2 (0x81, RFC 2759 4-6, spec/ppp.md
 * 5.1), and the text of the MS-CHAPv2 Success and Failure messages.  A
 * pure codec, no crypto: decoders borrow views into their input, encoders
 * write through a struct wr.  The Value-Size Value Name body is shared
 * with EAP MD5-Challenge and EAP-MSCHAPv2 (eap_packet.h).
 */
#ifndef OPENSSTP_PPP_CHAP_PACKET_H
#define OPENSSTP_PPP_CHAP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"
#include "base/wr.h"
#include "ppp/ppp_err.h"

#define CHAP_VALUE_MAX		 255 /* Value-Size is one byte */
#define CHAP_MD5_VALUE_LEN	 16 /* MD5 Response value */
#define CHAP_MS_CHALLENGE_LEN	 16 /* MS-CHAPv2 Challenge, Peer-Challenge */
#define CHAP_MS_RESERVED_LEN	 8
#define CHAP_MS_NT_RESPONSE_LEN	 24
#define CHAP_MS_VALUE_LEN	 49 /* MS-CHAPv2 Response value */
#define CHAP_MS_AUTH_RESP_LEN	 42 /* "S=" and 40 hex digits */
#define CHAP_MS_AUTH_RESP_DIGITS 40

enum chap_code {
	CHAP_CHALLENGE = 1,
	CHAP_RESPONSE = 2,
	CHAP_SUCCESS = 3,
	CHAP_FAILURE = 4,
	/* Password change (spec/ppp.md 5.5, trap 10): recognised, refused. */
	CHAP_MSCHAPV1_CHANGE_PASSWORD_V1 = 5, /* RFC 2433 */
	CHAP_MSCHAPV1_CHANGE_PASSWORD_V2 = 6, /* RFC 2433 */
	CHAP_MSCHAPV2_CHANGE_PASSWORD = 7, /* RFC 2759 7 */
};

/* The LCP Authentication-Protocol algorithm byte. */
enum chap_alg {
	CHAP_ALG_MD5 = 0x05,
	CHAP_ALG_MSCHAPV2 = 0x81,
};

/* RFC 2759 4: the 49-byte Response value without its Reserved bytes. */
struct chap_ms_value {
	uint8_t peer_challenge[CHAP_MS_CHALLENGE_LEN];
	uint8_t nt_response[CHAP_MS_NT_RESPONSE_LEN];
	uint8_t flags; /* should be 0; tolerated otherwise (trap 13) */
};

/*
 * Value-Size Value Name: the body of a CHAP Challenge or Response, of an
 * EAP MD5-Challenge and of an EAP-MSCHAPv2 Challenge or Response.  The
 * name runs to the end of the packet, without a NUL (trap 12).  For an
 * MS-CHAPv2 Response the decoder also splits the value into ms, and the
 * encoder writes the value from ms (Reserved as zeros) ignoring value.
 */
struct chap_value_name {
	const uint8_t *value;
	size_t value_len;
	const uint8_t *name;
	size_t name_len;
	struct chap_ms_value ms;
};

/*
 * One CHAP packet.  Challenge and Response: vn.  Success, Failure and the
 * password change codes 5-7: msg, the rest of the packet, undecoded.
 */
struct chap_packet {
	uint8_t code;
	uint8_t id;
	struct chap_value_name vn;
	const uint8_t *msg;
	size_t msg_len;
};

/*
 * Decode the packet at the start of info (the information field of a
 * C223 frame; bytes after its Length are padding) for alg, the
 * algorithm LCP negotiated (PPP_E_INVALID if neither of ours).  Header
 * errors as ppp_pkt_decode; PPP_E_CODE for a code other than 1-7;
 * PPP_E_LENGTH for a Challenge or Response without Value-Size;
 * PPP_E_FIELD_LENGTH when Value-Size runs past Length; PPP_E_VALUE_SIZE
 * (trap 12) for a zero Value-Size, for an MS-CHAPv2 Challenge not 16 or
 * Response not 49, for an MD5 Response not 16.
 */
enum ppp_err chap_decode(struct rd *info, uint8_t alg, struct chap_packet *p);

/*
 * Encode p for alg; refuses with the decoder's error what the decoder
 * would refuse, PPP_E_INVALID for a packet over 65535 bytes, PPP_E_NOSPACE
 * when w is full.
 */
enum ppp_err chap_encode(
    struct wr *w, uint8_t alg, const struct chap_packet *p);

/* Codes 5, 6, 7: the peer asks to change its password (trap 10). */
bool chap_code_is_password_change(uint8_t code);

/* The body shared with EAP: decode all of r; response says which size
 * rules apply (Response, or Challenge/Request).  Errors as chap_decode. */
enum ppp_err chap_value_name_decode(
    struct rd *r, uint8_t alg, bool response, struct chap_value_name *vn);
enum ppp_err chap_value_name_encode(
    struct wr *w, uint8_t alg, bool response, const struct chap_value_name *vn);

/*
 * RFC 2759 5, spec/ppp.md 5.1: the MS-CHAPv2 Success message,
 * "S=<40 hex digits>" optionally followed by " M=<text>".  auth_resp is
 * the 42 bytes from "S=" on, for mschap_authenticator_response_ok().
 */
struct chap_ms_success {
	const uint8_t *auth_resp;
	bool has_msg;
	const uint8_t *msg;
	size_t msg_len;
};

/*
 * Parse text[0..len) strictly as pppd does: PPP_E_MESSAGE unless it is
 * "S=", 40 hex digits of either case, then nothing or " M=" and any text.
 */
enum ppp_err chap_ms_success_parse(
    const uint8_t *text, size_t len, struct chap_ms_success *s);
/* Write the message; PPP_E_INVALID if auth_resp is not in its format. */
enum ppp_err chap_ms_success_build(
    struct wr *w, const struct chap_ms_success *s);

/*
 * RFC 2759 6, spec/ppp.md 5.1: the MS-CHAPv2 Failure message,
 * "E=<code> R=<0|1> C=<32 hex> V=<version> M=<text>".  Each part may be
 * missing (has_* false).
 */
struct chap_ms_failure {
	bool has_error;
	uint32_t error; /* 691 bad password, 648 expired (never sent), ... */
	bool has_retry;
	bool retry;
	bool has_challenge;
	uint8_t challenge[CHAP_MS_CHALLENGE_LEN];
	bool has_version;
	uint32_t version;
	bool has_msg;
	const uint8_t *msg;
	size_t msg_len;
};

/*
 * Parse text[0..len): space-separated X=value tokens in any order, M= last
 * (its text runs to the end); unknown letters are skipped.  PPP_E_MESSAGE
 * for a token without '=', a value out of its format (E and V decimal up to
 * 2^32-1, R 0 or 1, C 32 hex digits) or a repeated token.  Whatever this
 * says, a Failure packet is a failure.
 */
enum ppp_err chap_ms_failure_parse(
    const uint8_t *text, size_t len, struct chap_ms_failure *f);
/* Write the parts present, in the order E R C V M (C in upper case). */
enum ppp_err chap_ms_failure_build(
    struct wr *w, const struct chap_ms_failure *f);

#endif

/*
 * Attacks on SSTP: broken framing, malformed attributes, messages out of
 * state, repeated Call Connect Requests, and every kind of bad crypto
 * binding.  The answers are spec/sstp.md 3.4's: a stream that cannot be
 * delineated closes without a word; a malformed or out-of-state message
 * gets a Call Abort with its status (2.5); a refused request a Nak.
 */
#include <stdio.h>
#include <string.h>

#include "hostile.h"
#include "ppp/ppp_frame.h"

/* --- crafted bytes once the server's 200 is in ------------------------ */

static bool
run_raw_as(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen, enum verdict_kind quiet)
{
	struct hconn h;
	struct tap before;
	uint64_t t;
	bool ok;

	if ((ok = open_http_done(&h, o, err, errlen))) {
		before = h.tap;
		t = hc_now();
		if (c->attack != NULL)
			c->attack(&h);
		else
			hc_queue(&h, c->arg, c->arg_len);
		send_probe(&h);
		await_judge(&h, &before, t, 1, quiet, v);
	}
	hc_close(&h);
	return ok;
}

static bool
run_raw(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	return run_raw_as(c, o, v, err, errlen, V_SILENT_DISCARD);
}

/* The attack is an Echo Request: its answer is the result. */
static bool
run_raw_echo(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	return run_raw_as(c, o, v, err, errlen, V_ECHO_RESPONSE);
}

/* A Call Connect Request's attribute: Encapsulated Protocol ID = PPP. */
#define PROTO_PPP 0x00, 0x01, 0x00, 0x06, 0x00, 0x01

/* Framing (spec/sstp.md 2.1, 3.4: close without a word). */
static const uint8_t bad_version[] = { 0x11, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00,
	0x01, PROTO_PPP };
static const uint8_t data_len_3[] = { 0x10, 0x00, 0x00, 0x03 };
static const uint8_t ctrl_len_7[] = { 0x10, 0x01, 0x00, 0x07, 0x00, 0x01,
	0x00 };
/* 4096 needs the R bits: masked (2.1) it is 0, below any minimum. */
static const uint8_t len_4096[] = { 0x10, 0x01, 0x10, 0x00 };
/* Reserved bits set in byte 1 and R: ignored on receipt. */
static const uint8_t reserved_bits[] = { 0x10, 0xff, 0xf0, 0x0e, 0x00, 0x01,
	0x00, 0x01, PROTO_PPP };
/* A Call Connect Request with C clear: a data packet before the Ack. */
static const uint8_t c_bit_clear[] = { 0x10, 0x00, 0x00, 0x0e, 0x00, 0x01, 0x00,
	0x01, PROTO_PPP };
/* The length says 4 bytes more than the attributes hold. */
static const uint8_t len_over_attrs[] = { 0x10, 0x01, 0x00, 0x12, 0x00, 0x01,
	0x00, 0x01, PROTO_PPP, 0xde, 0xad, 0xbe, 0xef };
/* The length ends inside the attribute. */
static const uint8_t len_under_attrs[] = { 0x10, 0x01, 0x00, 0x0c, 0x00, 0x01,
	0x00, 0x01, PROTO_PPP };

/* Attributes (2.5). */
static const uint8_t attr_len_2[] = { 0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x01 };
static const uint8_t attr_len_8[] = { 0x10, 0x01, 0x00, 0x10, 0x00, 0x01, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00 };
static const uint8_t attr_unknown[] = { 0x10, 0x01, 0x00, 0x14, 0x00, 0x01,
	0x00, 0x02, PROTO_PPP, 0x00, 0x09, 0x00, 0x06, 0x00, 0x00 };
static const uint8_t attr_duplicate[] = { 0x10, 0x01, 0x00, 0x14, 0x00, 0x01,
	0x00, 0x02, PROTO_PPP, PROTO_PPP };
static const uint8_t attr_count_high[] = { 0x10, 0x01, 0x00, 0x0e, 0x00, 0x01,
	0x00, 0x05, PROTO_PPP };
static const uint8_t attr_missing[] = { 0x10, 0x01, 0x00, 0x08, 0x00, 0x01,
	0x00, 0x00 };
static const uint8_t echo_with_status[] = { 0x10, 0x01, 0x00, 0x14, 0x00, 0x08,
	0x00, 0x01, 0x00, 0x02, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00 };
static const uint8_t echo_with_proto[] = { 0x10, 0x01, 0x00, 0x0e, 0x00, 0x08,
	0x00, 0x01, PROTO_PPP };
static const uint8_t type_unknown[] = { 0x10, 0x01, 0x00, 0x08, 0x00, 0x0a,
	0x00, 0x00 };
static const uint8_t type_zero[] = { 0x10, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00,
	0x00 };

/* State (3.2). */
static const uint8_t echo_request[] = { 0x10, 0x01, 0x00, 0x08, 0x00, 0x08,
	0x00, 0x00 };
static const uint8_t echo_response[] = { 0x10, 0x01, 0x00, 0x08, 0x00, 0x09,
	0x00, 0x00 };
static const uint8_t disconnect_ack[] = { 0x10, 0x01, 0x00, 0x08, 0x00, 0x07,
	0x00, 0x00 };
static const uint8_t ccr_twice[] = { 0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00,
	0x01, PROTO_PPP, 0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x01,
	PROTO_PPP };
#define CCR_PROTO_2                                                            \
	0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00,      \
	    0x06, 0x00, 0x02
static const uint8_t ccr_bad_proto[] = { CCR_PROTO_2 };
static const uint8_t ccr_bad_proto_x4[] = { CCR_PROTO_2, CCR_PROTO_2,
	CCR_PROTO_2, CCR_PROTO_2 };
static const uint8_t ccr_error_status[] = { 0x10, 0x01, 0x00, 0x1a, 0x00, 0x01,
	0x00, 0x02, PROTO_PPP, 0x00, 0x02, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x07 };
/* An IPv4 datagram's first bytes as a PPP frame, before the Ack. */
static const uint8_t data_before_ack[] = { 0x10, 0x00, 0x00, 0x1c, 0xff, 0x03,
	0x00, 0x21, 0x45, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x00, 0x40, 0x01,
	0x00, 0x00, 0x0a, 0x4d, 0x00, 0x63, 0x0a, 0x4d, 0x00, 0x01 };

/* A request with one protocol attribute and 339 Status Infos. */
static void
attr_too_many(struct hconn *h)
{
	uint8_t attrs[6 + 339 * 12];
	size_t i, off = 6;

	memcpy(attrs, (const uint8_t[]) { PROTO_PPP }, 6);
	for (i = 0; i < 339; i++, off += 12) {
		memset(attrs + off, 0, 12);
		attrs[off + 1] = SSTP_ATTRIB_STATUS_INFO;
		attrs[off + 3] = 12;
	}
	hc_send_ctrl(
	    h, SSTP_MSG_CALL_CONNECT_REQUEST, attrs, sizeof(attrs), 340);
}

/*
 * A control message of type msg whose one attribute is a zeroed binding
 * attribute (id, len bytes) naming SHA-256: well formed, out of place.
 */
static void
send_binding_attr(struct hconn *h, uint16_t msg, uint8_t id, size_t len)
{
	uint8_t attr[SSTP_ATTR_LEN_BINDING];

	memset(attr, 0, sizeof(attr));
	attr[1] = id;
	attr[3] = (uint8_t)len;
	attr[7] = SSTP_CERT_HASH_PROTOCOL_SHA256;
	hc_send_ctrl(h, msg, attr, len, 1);
}

/* A Crypto Binding Request (an Ack's attribute) in a request. */
static void
attr_not_in_msg(struct hconn *h)
{
	send_binding_attr(h, SSTP_MSG_CALL_CONNECT_REQUEST,
	    SSTP_ATTRIB_CRYPTO_BINDING_REQ, SSTP_ATTR_LEN_BINDING_REQ);
}

/* A well-formed Call Connected before any Ack. */
static void
connected_before_ack(struct hconn *h)
{
	send_binding_attr(h, SSTP_MSG_CALL_CONNECTED,
	    SSTP_ATTRIB_CRYPTO_BINDING, SSTP_ATTR_LEN_BINDING);
}

/* The server's own message, from the client. */
static void
ack_from_client(struct hconn *h)
{
	send_binding_attr(h, SSTP_MSG_CALL_CONNECT_ACK,
	    SSTP_ATTRIB_CRYPTO_BINDING_REQ, SSTP_ATTR_LEN_BINDING_REQ);
}

/* --- with the honest cores, after the Ack ----------------------------- */

static bool
run_after_ack(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	struct hconn h;
	struct tap before;
	uint64_t t;
	bool ok;

	if ((ok = open_peer(&h, o, "ack", STALL_NONE, err, errlen))) {
		before = h.tap;
		t = hc_now();
		hc_queue(&h, c->arg, c->arg_len);
		send_probe(&h);
		await_judge(&h, &before, t, 1, V_SILENT_DISCARD, v);
	}
	hc_close(&h);
	return ok;
}

/* An LCP Configure-Request sent as a control packet: type 0xff03. */
static const uint8_t lcp_as_control[] = { 0x10, 0x01, 0x00, 0x0c, 0xff, 0x03,
	0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };

/*
 * Trap 7: authenticated, IPCP up, Call Connected withheld; an IPv4
 * datagram: the server drops it.  Then the binding goes, and the call
 * must still come up.
 */
static bool
run_data_before_connected(const struct hostile_case *c,
    const struct hostile_opts *o, struct verdict *v, char *err, size_t errlen)
{
	static const uint8_t ip[] = { 0xff, 0x03, 0x00, 0x21, 0x45, 0x00, 0x00,
		0x14, 0x00, 0x00, 0x00, 0x00, 0x40, 0x01, 0x00, 0x00, 0x0a,
		0x4d, 0x00, 0x63, 0x0a, 0x4d, 0x00, 0x01 };
	struct hconn h;
	struct tap before;
	uint64_t t;
	bool ok;

	(void)c;
	if ((ok = open_peer(&h, o, "up", STALL_BINDING, err, errlen))) {
		before = h.tap;
		t = hc_now();
		hc_send_data(&h, ip, sizeof(ip));
		send_probe(&h);
		await_judge(&h, &before, t, 1, V_SILENT_DISCARD, v);
		if (v->kind == V_SILENT_DISCARD) {
			peer_release_binding(&h);
			before = h.tap;
			send_probe(&h);
			await_judge(&h, &before, hc_now(), 1, V_UP, v);
			verdict_note(v, "then Call Connected: %s",
			    v->kind == V_UP && h.peer.connected
				? "the call is up"
				: verdict_kind_name(v->kind));
			v->kind = V_SILENT_DISCARD;
		}
	}
	hc_close(&h);
	return ok;
}

/* --- crypto binding: the honest Call Connected, changed --------------- */

static bool
binding_filter(struct hconn *h, uint8_t *pkt, size_t *len)
{
	const char *how = h->peer.filter_arg;

	if (*len != SSTP_CALL_CONNECTED_LEN || (pkt[1] & 0x01) == 0 ||
	    pkt[5] != SSTP_MSG_CALL_CONNECTED)
		return true;
	h->mark = hc_now();
	if (strcmp(how, "nonce") == 0)
		pkt[SSTP_CC_OFF_NONCE] ^= 0x01;
	else if (strcmp(how, "cert-hash") == 0)
		pkt[SSTP_CC_OFF_CERT_HASH] ^= 0x01;
	else if (strcmp(how, "mac") == 0)
		pkt[SSTP_CC_OFF_CMAC] ^= 0x01;
	else if (strcmp(how, "sha1") == 0)
		pkt[SSTP_CC_OFF_HASH_PROTO] = SSTP_CERT_HASH_PROTOCOL_SHA1;
	else if (strcmp(how, "both") == 0)
		pkt[SSTP_CC_OFF_HASH_PROTO] = SSTP_CERT_HASH_PROTOCOL_SHA1 |
		    SSTP_CERT_HASH_PROTOCOL_SHA256;
	else if (strcmp(how, "short") == 0) {
		/* The attribute 100 bytes, the message 108: 4 cut off. */
		*len = SSTP_CALL_CONNECTED_LEN - 4;
		pkt[2] = 0;
		pkt[3] = (uint8_t)*len;
		pkt[11] = SSTP_ATTR_LEN_BINDING - 4;
	} else if (strcmp(how, "twice") == 0)
		hc_queue(h, pkt, *len);
	return true;
}

static bool
marked(struct hconn *h, void *arg)
{
	(void)arg;
	return h->mark != 0 || h->peer.closed;
}

static bool
run_binding(const struct hostile_case *c, const struct hostile_opts *o,
    struct verdict *v, char *err, size_t errlen)
{
	struct hconn h;
	struct tap before;
	bool ok;

	if ((ok = open_tls(&h, o, err, errlen))) {
		h.peer.filter = binding_filter;
		h.peer.filter_arg = (void *)c->arg;
		ok = peer_start(&h, err, errlen) &&
		    hc_pump_until(&h, hc_now() + o->wait_ms, marked, NULL) &&
		    h.mark != 0;
		if (!ok && err[0] == '\0')
			snprintf(err, errlen, "no Call Connected was sent%s%s",
			    h.eof ? ": closed: " : "", h.eof ? h.eof_why : "");
	}
	if (ok) {
		/* Nothing of the answer can be in yet: it was just sent. */
		before = h.tap;
		await_judge(&h, &before, h.mark, 0, V_STILL_OPEN, v);
	}
	hc_close(&h);
	return ok;
}

#define RAW(name, expect, what, bytes)                                         \
	{                                                                      \
		name, expect, what, run_raw, NULL, bytes, sizeof(bytes)        \
	}
#define ABORT_WITH(status) "call-abort:" status

const struct hostile_case hostile_cases_sstp[] = {
	RAW("sstp-bad-version", "silent-close", "version 0x11", bad_version),
	RAW("sstp-data-length-3", "silent-close", "a data packet of length 3",
	    data_len_3),
	RAW("sstp-control-length-7", "silent-close",
	    "a control packet of length 7", ctrl_len_7),
	RAW("sstp-length-4096", "silent-close",
	    "length 4096 (R bits): one byte over the largest packet", len_4096),
	RAW("sstp-reserved-bits", "call-connect-ack",
	    "a Call Connect Request with every reserved bit set",
	    reserved_bits),
	RAW("sstp-c-bit-clear", "silent-discard",
	    "a Call Connect Request with C = 0: a data packet", c_bit_clear),
	RAW("sstp-length-over-attrs", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "4 bytes after the last attribute", len_over_attrs),
	RAW("sstp-length-under-attrs", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "the packet ends inside its attribute", len_under_attrs),
	RAW("attr-length-2", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "an attribute length below 4", attr_len_2),
	RAW("attr-length-wrong", ABORT_WITH("INVALID_ATTRIB_VALUE_LENGTH"),
	    "an 8-byte Encapsulated Protocol ID", attr_len_8),
	RAW("attr-unknown", ABORT_WITH("UNRECOGNIZED_ATTRIBUTE"),
	    "attribute id 9", attr_unknown),
	RAW("attr-duplicate", ABORT_WITH("DUPLICATE_ATTRIBUTE"),
	    "the protocol attribute twice", attr_duplicate),
	{ "attr-too-many", ABORT_WITH("DUPLICATE_ATTRIBUTE"),
	    "340 attributes: the protocol and 339 Status Infos", run_raw,
	    attr_too_many, NULL, 0 },
	RAW("attr-count-high", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "Num Attributes 5, one present", attr_count_high),
	RAW("attr-missing", ABORT_WITH("REQUIRED_ATTRIBUTE_MISSING"),
	    "a Call Connect Request without attributes", attr_missing),
	{ "attr-not-in-msg", ABORT_WITH("ATTRIB_NOT_SUPPORTED_IN_MSG"),
	    "a Crypto Binding Request in a Call Connect Request", run_raw,
	    attr_not_in_msg, NULL, 0 },
	RAW("echo-with-status", ABORT_WITH("STATUS_INFO_NOT_SUPPORTED_IN_MSG"),
	    "an Echo Request carrying a Status Info", echo_with_status),
	RAW("echo-with-attribute", ABORT_WITH("ATTRIB_NOT_SUPPORTED_IN_MSG"),
	    "an Echo Request carrying a protocol attribute", echo_with_proto),
	RAW("msg-type-unknown", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "message type 0x000a before the call", type_unknown),
	RAW("msg-type-zero", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "message type 0", type_zero),
	{ "connected-before-ack", ABORT_WITH("UNACCEPTED_FRAME_RECEIVED"),
	    "Call Connected before any request", run_raw, connected_before_ack,
	    NULL, 0 },
	{ "ack-from-client", ABORT_WITH("UNACCEPTED_FRAME_RECEIVED"),
	    "a Call Connect Ack from the client", run_raw, ack_from_client,
	    NULL, 0 },
	{ "echo-before-connect", "echo-response",
	    "Echo Request before the call (answered: spec/sstp.md 3.2)",
	    run_raw_echo, NULL, echo_request, sizeof(echo_request) },
	RAW("echo-response-unasked", "silent-discard",
	    "an Echo Response nobody asked for", echo_response),
	RAW("disconnect-ack-stray", "silent-discard",
	    "a Call Disconnect Ack out of the blue", disconnect_ack),
	RAW("connect-request-twice", ABORT_WITH("UNACCEPTED_FRAME_RECEIVED"),
	    "two Call Connect Requests back to back", ccr_twice),
	RAW("connect-request-bad-protocol",
	    "call-connect-nak:VALUE_NOT_SUPPORTED",
	    "a Call Connect Request for protocol 2", ccr_bad_proto),
	RAW("connect-request-repeat", ABORT_WITH("RETRY_COUNT_EXCEEDED"),
	    "four refused Call Connect Requests", ccr_bad_proto_x4),
	RAW("connect-request-error-status",
	    "call-connect-nak:VALUE_NOT_SUPPORTED",
	    "a Call Connect Request carrying an error Status Info",
	    ccr_error_status),
	RAW("data-before-ack", "silent-discard",
	    "an IPv4 datagram before the Call Connect Ack", data_before_ack),
	{ "lcp-as-control", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "an LCP packet sent as a control packet after the Ack",
	    run_after_ack, NULL, lcp_as_control, sizeof(lcp_as_control) },
	{ "data-before-connected", "silent-discard",
	    "an IPv4 datagram after authentication, before Call Connected",
	    run_data_before_connected, NULL, NULL, 0 },
	{ "binding-nonce", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "Call Connected with a wrong nonce", run_binding, NULL, "nonce",
	    0 },
	{ "binding-cert-hash", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "Call Connected with a wrong certificate hash", run_binding, NULL,
	    "cert-hash", 0 },
	{ "binding-mac", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "Call Connected with a wrong Compound MAC", run_binding, NULL,
	    "mac", 0 },
	{ "binding-hash-sha1", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "Call Connected with SHA1, which was not offered", run_binding,
	    NULL, "sha1", 0 },
	{ "binding-hash-both", ABORT_WITH("INVALID_FRAME_RECEIVED"),
	    "Call Connected with two hash bits", run_binding, NULL, "both", 0 },
	{ "binding-short", ABORT_WITH("INVALID_ATTRIB_VALUE_LENGTH"),
	    "Call Connected with a 100-byte Crypto Binding", run_binding, NULL,
	    "short", 0 },
	{ "binding-twice", ABORT_WITH("UNACCEPTED_FRAME_RECEIVED"),
	    "Call Connected sent twice", run_binding, NULL, "twice", 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

#include <string.h>

#include "sstp/sstp_packet.h"
#include "test_run.h"

/* Decode hex as one packet; return the decoder's verdict. */
static enum sstp_err
decode_hex(const char *hex, struct sstp_ctrl *c)
{
	uint8_t pkt[SSTP_MAX_PACKET];
	size_t n = test_hex(hex, pkt, sizeof(pkt));

	return sstp_ctrl_decode(pkt, n, c);
}

/* Encode c and compare with hex, byte for byte. */
static void
assert_encodes_to(const struct sstp_ctrl *c, const char *hex)
{
	uint8_t want[SSTP_MAX_PACKET], got[SSTP_MAX_PACKET];
	size_t n = test_hex(hex, want, sizeof(want));
	struct wr w;

	wr_init(&w, got, sizeof(got));
	assert_int_equal(sstp_ctrl_encode(&w, c), SSTP_OK);
	assert_int_equal(wr_len(&w), n);
	assert_memory_equal(got, want, n);
}

/* --- failures first: framing --- */

static void
header_needs_four_bytes(void **state)
{
	const uint8_t b[3] = { 0x10, 0x01, 0x00 };
	struct sstp_hdr h;
	struct rd r;

	(void)state;
	rd_init(&r, b, sizeof(b));
	assert_int_equal(sstp_hdr_decode(&r, &h), SSTP_E_SHORT);
	assert_int_equal(rd_left(&r), 3);
}

static void
header_rejects_other_versions(void **state)
{
	const uint8_t v11[4] = { 0x11, 0x00, 0x00, 0x08 };
	const uint8_t v20[4] = { 0x20, 0x01, 0x00, 0x08 };
	struct sstp_hdr h;
	struct rd r;

	(void)state;
	rd_init(&r, v11, sizeof(v11));
	assert_int_equal(sstp_hdr_decode(&r, &h), SSTP_E_VERSION);
	rd_init(&r, v20, sizeof(v20));
	assert_int_equal(sstp_hdr_decode(&r, &h), SSTP_E_VERSION);
	assert_true(sstp_err_is_framing(SSTP_E_VERSION));
}

static void
header_rejects_lengths_below_minimum(void **state)
{
	const uint8_t data3[4] = { 0x10, 0x00, 0x00, 0x03 };
	const uint8_t data4[4] = { 0x10, 0x00, 0x00, 0x04 };
	const uint8_t ctrl7[4] = { 0x10, 0x01, 0x00, 0x07 };
	const uint8_t ctrl_r_only[4] = { 0x10, 0x01, 0xf0, 0x00 };
	struct sstp_hdr h;
	struct rd r;

	(void)state;
	rd_init(&r, data3, 4);
	assert_int_equal(sstp_hdr_decode(&r, &h), SSTP_E_PKT_LENGTH);
	rd_init(&r, data4, 4);
	assert_int_equal(sstp_hdr_decode(&r, &h), SSTP_OK);
	assert_false(h.control);
	assert_int_equal(h.len, 4);
	rd_init(&r, ctrl7, 4);
	assert_int_equal(sstp_hdr_decode(&r, &h), SSTP_E_PKT_LENGTH);
	/* R bits set, length 0: masking leaves an impossible length. */
	rd_init(&r, ctrl_r_only, 4);
	assert_int_equal(sstp_hdr_decode(&r, &h), SSTP_E_PKT_LENGTH);
	assert_true(sstp_err_is_framing(SSTP_E_PKT_LENGTH));
}

static void
header_ignores_reserved_bits(void **state)
{
	/* Reserved bits of byte 1 and the 4 R bits set: still a control
	 * packet of length 14 (MS-SSTP 2.2.1: ignore on receipt). */
	const uint8_t b[4] = { 0x10, 0xff, 0xf0, 0x0e };
	struct sstp_hdr h;
	struct rd r;

	(void)state;
	rd_init(&r, b, 4);
	assert_int_equal(sstp_hdr_decode(&r, &h), SSTP_OK);
	assert_true(h.control);
	assert_int_equal(h.len, 14);
}

static void
ctrl_rejects_length_mismatch(void **state)
{
	struct sstp_ctrl c;

	(void)state;
	/* One byte short, one byte long of the declared 14. */
	assert_int_equal(
	    decode_hex("10 01 00 0E 00 01 00 01 00 01 00 06 00", &c),
	    SSTP_E_SHORT);
	assert_int_equal(
	    decode_hex("10 01 00 0E 00 01 00 01 00 01 00 06 00 01 00", &c),
	    SSTP_E_LONG);
	assert_int_equal(
	    decode_hex("10 00 00 08 00 08 00 00", &c), SSTP_E_NOT_CONTROL);
}

static void
ctrl_rejects_attribute_structure(void **state)
{
	struct sstp_ctrl c;

	(void)state;
	/* Num Attributes 2, one present. */
	assert_int_equal(
	    decode_hex("10 01 00 0E 00 01 00 02 00 01 00 06 00 01", &c),
	    SSTP_E_ATTR_COUNT);
	/* Attribute header cut short. */
	assert_int_equal(decode_hex("10 01 00 0A 00 01 00 01 00 01", &c),
	    SSTP_E_ATTR_TRUNCATED);
	/* Attribute length 3 (< 4). */
	assert_int_equal(
	    decode_hex("10 01 00 0E 00 01 00 01 00 01 00 03 00 01", &c),
	    SSTP_E_ATTR_LENGTH);
	/* Attribute length 7 runs one byte past the packet. */
	assert_int_equal(
	    decode_hex("10 01 00 0E 00 01 00 01 00 01 00 07 00 01", &c),
	    SSTP_E_ATTR_TRUNCATED);
	/* Num Attributes 0 but bytes follow. */
	assert_int_equal(
	    decode_hex("10 01 00 0E 00 01 00 00 00 01 00 06 00 01", &c),
	    SSTP_E_TRAILING);
}

static void
ctrl_rejects_attributes_by_message(void **state)
{
	struct sstp_ctrl c;

	(void)state;
	/* Protocol ID attribute of 7 bytes: wrong size for a known id. */
	assert_int_equal(
	    decode_hex("10 01 00 0F 00 01 00 01 00 01 00 07 00 01 00", &c),
	    SSTP_E_ATTR_SIZE);
	assert_int_equal(c.err_attrib, SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID);
	assert_int_equal(sstp_err_status(SSTP_E_ATTR_SIZE),
	    SSTP_ATTRIB_STATUS_INVALID_ATTRIB_VALUE_LENGTH);
	/* Unknown attribute id 5. */
	assert_int_equal(
	    decode_hex("10 01 00 0E 00 01 00 01 00 05 00 06 00 01", &c),
	    SSTP_E_ATTR_UNKNOWN);
	assert_int_equal(c.err_attrib, 5);
	/* Protocol ID given twice. */
	assert_int_equal(decode_hex("10 01 00 14 00 01 00 02 00 01 00 06 00 01 "
				    "00 01 00 06 00 01",
			     &c),
	    SSTP_E_ATTR_DUPLICATE);
	/* A Crypto Binding Request inside a Call Connect Request. */
	assert_int_equal(decode_hex("10 01 00 30 00 01 00 01 00 04 00 28 "
				    "00 00 00 02 "
				    "00000000000000000000000000000000"
				    "00000000000000000000000000000000",
			     &c),
	    SSTP_E_ATTR_NOT_IN_MSG);
	/* A Status Info inside an Ack. */
	assert_int_equal(decode_hex("10 01 00 14 00 02 00 01 00 02 00 0C "
				    "00 00 00 00 00 00 00 00",
			     &c),
	    SSTP_E_STATUS_NOT_IN_MSG);
	/* Call Connect Request without its attribute. */
	assert_int_equal(
	    decode_hex("10 01 00 08 00 01 00 00", &c), SSTP_E_ATTR_MISSING);
	assert_int_equal(c.err_attrib, SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID);
	/* Nak without Status Info. */
	assert_int_equal(
	    decode_hex("10 01 00 08 00 03 00 00", &c), SSTP_E_ATTR_MISSING);
	/* Status Info of 11 bytes. */
	assert_int_equal(decode_hex("10 01 00 13 00 03 00 01 00 02 00 0B "
				    "00 00 00 01 00 00 00",
			     &c),
	    SSTP_E_ATTR_SIZE);
	/* Crypto Binding of 103 bytes would be short: use 105. */
	assert_int_equal(
	    decode_hex(
		"10 01 00 71 00 04 00 01 00 03 00 69 00 00 00 02 "
		"0000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000000"
		"00",
		&c),
	    SSTP_E_ATTR_SIZE);
	/* Echo Request with an attribute. */
	assert_int_equal(
	    decode_hex("10 01 00 0E 00 08 00 01 00 01 00 06 00 01", &c),
	    SSTP_E_ATTR_NOT_IN_MSG);
	assert_int_equal(c.err_attrib, SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID);
	/* ... with a Status Info: the status of its own (2.5, 0x0b). */
	assert_int_equal(decode_hex("10 01 00 14 00 08 00 01 00 02 00 0C "
				    "00 00 00 00 00 00 00 00",
			     &c),
	    SSTP_E_STATUS_NOT_IN_MSG);
	assert_int_equal(c.err_attrib, SSTP_ATTRIB_STATUS_INFO);
	assert_int_equal(sstp_err_status(SSTP_E_STATUS_NOT_IN_MSG),
	    SSTP_ATTRIB_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG);
	/* ... with bytes that are not even an attribute header. */
	assert_int_equal(decode_hex("10 01 00 09 00 09 00 00 00", &c),
	    SSTP_E_ATTR_NOT_IN_MSG);
	/* A request with two Status Infos: one at most (Naks may have more). */
	assert_int_equal(decode_hex("10 01 00 26 00 01 00 03 00 01 00 06 00 01 "
				    "00 02 00 0C 00 00 00 00 00 00 00 00 "
				    "00 02 00 0C 00 00 00 00 00 00 00 00",
			     &c),
	    SSTP_E_ATTR_DUPLICATE);
	assert_int_equal(c.err_attrib, SSTP_ATTRIB_STATUS_INFO);
	assert_int_equal(decode_hex("10 01 00 20 00 03 00 02 "
				    "00 02 00 0C 00 00 00 01 00 00 00 04 "
				    "00 02 00 0C 00 00 00 09 00 00 00 04",
			     &c),
	    SSTP_OK);
	assert_int_equal(c.status.attrib_id, 1);
	/* Unknown message types. */
	assert_int_equal(
	    decode_hex("10 01 00 08 00 0A 00 00", &c), SSTP_E_MSG_TYPE);
	assert_int_equal(
	    decode_hex("10 01 00 08 00 00 00 00", &c), SSTP_E_MSG_TYPE);
}

/* --- every message, both directions, byte-exact (spec/sstp.md 2.4) --- */

static void
call_connect_request_roundtrip(void **state)
{
	const char *hex = "10 01 00 0E 00 01 00 01 00 01 00 06 00 01";
	struct sstp_ctrl c;

	(void)state;
	assert_int_equal(decode_hex(hex, &c), SSTP_OK);
	assert_int_equal(c.type, SSTP_MSG_CALL_CONNECT_REQUEST);
	assert_int_equal(c.num_attrs, 1);
	assert_int_equal(c.protocol_id, SSTP_ENCAPSULATED_PROTOCOL_PPP);
	assert_false(c.has_status);
	assert_encodes_to(&c, hex);
}

static void
call_connect_request_with_status_info(void **state)
{
	/* MS-SSTP 3.3.1.1.1 lets a request carry a Status Info. */
	struct sstp_ctrl c;

	(void)state;
	assert_int_equal(decode_hex("10 01 00 1A 00 01 00 02 00 01 00 06 00 01 "
				    "00 02 00 0C 00 00 00 01 00 00 00 04",
			     &c),
	    SSTP_OK);
	assert_true(c.has_status);
	assert_int_equal(c.status.attrib_id, 1);
	assert_int_equal(c.status.status, 4);
}

static void
call_connect_ack_roundtrip(void **state)
{
	/* MS-SSTP 4.7 / spec/sstp.md 4.8 vector 2: the Ack with SHA256. */
	const char *hex = "10 01 00 30 00 02 00 01 00 04 00 28 00 00 00 02 "
			  "412B489AEBD7ECC7D08966F26BE7CD72"
			  "B231A0E9210D7C91B308862B0344C435";
	struct sstp_ctrl c;

	(void)state;
	assert_int_equal(decode_hex(hex, &c), SSTP_OK);
	assert_int_equal(c.type, SSTP_MSG_CALL_CONNECT_ACK);
	assert_int_equal(
	    c.binding_req.hash_bitmask, SSTP_CERT_HASH_PROTOCOL_SHA256);
	assert_int_equal(c.binding_req.nonce[0], 0x41);
	assert_int_equal(c.binding_req.nonce[31], 0x35);
	assert_encodes_to(&c, hex);
}

static void
call_connect_nak_roundtrip(void **state)
{
	/* What SoftEther sends: Status Info for attribute 1, no value. */
	const char *plain = "10 01 00 14 00 03 00 01 00 02 00 0C "
			    "00 00 00 01 00 00 00 04";
	/* With the refused value, as opensstpd sends. */
	const char *valued = "10 01 00 16 00 03 00 01 00 02 00 0E "
			     "00 00 00 01 00 00 00 04 00 02";
	struct sstp_ctrl c;

	(void)state;
	assert_int_equal(decode_hex(plain, &c), SSTP_OK);
	assert_true(c.has_status);
	assert_int_equal(
	    c.status.attrib_id, SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID);
	assert_int_equal(
	    c.status.status, SSTP_ATTRIB_STATUS_VALUE_NOT_SUPPORTED);
	assert_int_equal(c.status.value_len, 0);
	assert_encodes_to(&c, plain);
	assert_int_equal(decode_hex(valued, &c), SSTP_OK);
	assert_int_equal(c.status.value_len, 2);
	assert_int_equal(c.status.value[1], 0x02);
	assert_encodes_to(&c, valued);
}

static void
call_connected_roundtrip(void **state)
{
	/* spec/sstp.md 4.9 example A, as sent. */
	const char *hex = "10010070000400010003006800000002"
			  "000102030405060708090A0B0C0D0E0F"
			  "101112131415161718191A1B1C1D1E1F"
			  "1B65F68A522C858715F5DD951CD0402D"
			  "C16691778814BF0759822B7A257421D0"
			  "E41335D0F4E63CACDA0835EB1416D624"
			  "144CEDEFDC4B89F1F67D176C7AFC6809";
	struct sstp_ctrl c;

	(void)state;
	assert_int_equal(decode_hex(hex, &c), SSTP_OK);
	assert_int_equal(c.type, SSTP_MSG_CALL_CONNECTED);
	assert_int_equal(c.binding.hash_proto, SSTP_CERT_HASH_PROTOCOL_SHA256);
	assert_int_equal(c.binding.nonce[31], 0x1f);
	assert_int_equal(c.binding.cert_hash[0], 0x1b);
	assert_int_equal(c.binding.cmac[0], 0xe4);
	assert_int_equal(c.binding.cmac[31], 0x09);
	assert_encodes_to(&c, hex);
}

static void
abort_and_disconnect_roundtrip(void **state)
{
	const char *disc = "10 01 00 14 00 06 00 01 00 02 00 0C "
			   "00 00 00 00 00 00 00 00";
	const char *abrt = "10 01 00 14 00 05 00 01 00 02 00 0C "
			   "00 00 00 00 00 00 00 07";
	struct sstp_ctrl c;

	(void)state;
	assert_int_equal(decode_hex(disc, &c), SSTP_OK);
	assert_int_equal(c.type, SSTP_MSG_CALL_DISCONNECT);
	assert_true(c.has_status);
	assert_int_equal(c.status.status, SSTP_ATTRIB_STATUS_NO_ERROR);
	assert_encodes_to(&c, disc);
	assert_int_equal(decode_hex(abrt, &c), SSTP_OK);
	assert_int_equal(c.type, SSTP_MSG_CALL_ABORT);
	assert_int_equal(
	    c.status.status, SSTP_ATTRIB_STATUS_INVALID_FRAME_RECEIVED);
	assert_encodes_to(&c, abrt);
}

static void
empty_messages_roundtrip(void **state)
{
	static const struct {
		uint16_t type;
		const char *hex;
	} cases[] = {
		{ SSTP_MSG_CALL_DISCONNECT_ACK, "10 01 00 08 00 07 00 00" },
		{ SSTP_MSG_ECHO_REQUEST, "10 01 00 08 00 08 00 00" },
		{ SSTP_MSG_ECHO_RESPONSE, "10 01 00 08 00 09 00 00" },
		{ SSTP_MSG_CALL_DISCONNECT, "10 01 00 08 00 06 00 00" },
		{ SSTP_MSG_CALL_ABORT, "10 01 00 08 00 05 00 00" },
	};
	struct sstp_ctrl c;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_LEN(cases); i++) {
		assert_int_equal(decode_hex(cases[i].hex, &c), SSTP_OK);
		assert_int_equal(c.type, cases[i].type);
		assert_false(c.has_status);
		assert_encodes_to(&c, cases[i].hex);
	}
}

static void
disconnect_ack_attributes_are_ignored(void **state)
{
	struct sstp_ctrl c;

	(void)state;
	assert_int_equal(decode_hex("10 01 00 14 00 07 00 01 00 02 00 0C "
				    "00 00 00 00 00 00 00 05",
			     &c),
	    SSTP_OK);
	assert_int_equal(c.type, SSTP_MSG_CALL_DISCONNECT_ACK);
	assert_false(c.has_status);
}

static void
status_value_is_capped_on_encode(void **state)
{
	uint8_t value[SSTP_STATUS_VALUE_MAX + 1] = { 0 };
	struct sstp_status_info si = { 1, 4, value, sizeof(value) };
	uint8_t buf[256];
	struct wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(sstp_ctrl_encode_status(&w, SSTP_MSG_CALL_ABORT, &si),
	    SSTP_E_ATTR_SIZE);
	si.value_len = SSTP_STATUS_VALUE_MAX;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(
	    sstp_ctrl_encode_status(&w, SSTP_MSG_CALL_ABORT, &si), SSTP_OK);
	assert_int_equal(wr_len(&w), 8 + 12 + 64);
}

static void
encoders_report_a_full_buffer(void **state)
{
	struct sstp_ctrl c;
	uint8_t buf[13];
	struct wr w;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.type = SSTP_MSG_CALL_CONNECT_REQUEST;
	c.protocol_id = 1;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(sstp_ctrl_encode(&w, &c), SSTP_E_NOSPACE);
	c.type = 0x0a;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(sstp_ctrl_encode(&w, &c), SSTP_E_MSG_TYPE);
}

static void
data_packet_encode_limits(void **state)
{
	static uint8_t frame[SSTP_MAX_DATA + 1];
	static uint8_t buf[SSTP_MAX_PACKET + 16];
	struct sstp_hdr h;
	struct wr w;
	struct rd r;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(
	    sstp_data_encode(&w, frame, sizeof(frame)), SSTP_E_FRAME_SIZE);
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(sstp_data_encode(&w, frame, SSTP_MAX_DATA), SSTP_OK);
	assert_int_equal(wr_len(&w), SSTP_MAX_PACKET);
	/* 4095 = 0x0FFF: the R bits stay zero (trap 11). */
	assert_int_equal(buf[2], 0x0f);
	assert_int_equal(buf[3], 0xff);
	rd_init(&r, buf, wr_len(&w));
	assert_int_equal(sstp_hdr_decode(&r, &h), SSTP_OK);
	assert_false(h.control);
	assert_int_equal(h.len, SSTP_MAX_PACKET);
	wr_init(&w, buf, 10);
	assert_int_equal(sstp_data_encode(&w, frame, 7), SSTP_E_NOSPACE);
}

static void
names_and_errors_are_total(void **state)
{
	int e;

	(void)state;
	assert_string_equal(
	    sstp_msg_name(SSTP_MSG_CALL_CONNECTED), "Call-Connected");
	assert_string_equal(sstp_msg_name(0xffff), "unknown");
	assert_string_equal(sstp_status_name(7), "INVALID_FRAME_RECEIVED");
	assert_string_equal(sstp_status_name(12), "unknown");
	for (e = 0; e < SSTP_E_COUNT_; e++)
		assert_string_not_equal(
		    sstp_strerror((enum sstp_err)e), "unknown SSTP error");
	assert_string_equal(sstp_strerror(SSTP_E_COUNT_), "unknown SSTP error");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_needs_four_bytes),
		cmocka_unit_test(header_rejects_other_versions),
		cmocka_unit_test(header_rejects_lengths_below_minimum),
		cmocka_unit_test(header_ignores_reserved_bits),
		cmocka_unit_test(ctrl_rejects_length_mismatch),
		cmocka_unit_test(ctrl_rejects_attribute_structure),
		cmocka_unit_test(ctrl_rejects_attributes_by_message),
		cmocka_unit_test(call_connect_request_roundtrip),
		cmocka_unit_test(call_connect_request_with_status_info),
		cmocka_unit_test(call_connect_ack_roundtrip),
		cmocka_unit_test(call_connect_nak_roundtrip),
		cmocka_unit_test(call_connected_roundtrip),
		cmocka_unit_test(abort_and_disconnect_roundtrip),
		cmocka_unit_test(empty_messages_roundtrip),
		cmocka_unit_test(disconnect_ack_attributes_are_ignored),
		cmocka_unit_test(status_value_is_capped_on_encode),
		cmocka_unit_test(encoders_report_a_full_buffer),
		cmocka_unit_test(data_packet_encode_limits),
		cmocka_unit_test(names_and_errors_are_total),
	};

	return test_run(argc, argv, "sstp_packet", tests, ARRAY_LEN(tests));
}

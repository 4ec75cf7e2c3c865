/*
 * The traps of spec/sstp.md 6 that live in the connection state machine,
 * one test each, named sstp_trap_NN_<what> (the codec's, binding's and
 * HTTP's traps are tested beside their modules).
 */
#include <string.h>

#include "conn_harness.h"
#include "sstp/sstp_conn.h"
#include "test_run.h"

static const uint8_t lcp_frame[] = { 0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00,
	0x08, 0x00, 0x00, 0x00, 0x00 };
static const uint8_t ipcp_frame[] = { 0xff, 0x03, 0x80, 0x21, 0x01, 0x01, 0x00,
	0x04 };
static const uint8_t ip_frame[] = { 0xff, 0x03, 0x00, 0x21, 0x45, 0x00 };
static const uint8_t ipv6_frame[] = { 0xff, 0x03, 0x00, 0x57, 0x60, 0x00 };

static void
feed_hex(struct peer *p, const char *hex, uint64_t now)
{
	uint8_t buf[512];
	size_t n = test_hex(hex, buf, sizeof(buf));

	sstp_conn_input(&p->conn, buf, n, now);
}

/* Send a PPP frame as a raw data packet, past the sender's own filter. */
static void
feed_data(struct peer *p, const uint8_t *frame, size_t len, uint64_t now)
{
	uint8_t buf[SSTP_MAX_PACKET];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(sstp_data_encode(&w, frame, len), SSTP_OK);
	sstp_conn_input(&p->conn, buf, wr_len(&w), now);
}

static void
to_pending(struct peer *cl, struct peer *sv)
{
	peer_setup(sv, SSTP_ROLE_SERVER, 0);
	peer_setup(cl, SSTP_ROLE_CLIENT, 0);
	pump(cl, sv, 0);
}

static void
sstp_trap_06_call_connected_before_auth_is_deferred(void **state)
{
	struct peer cl, sv;

	(void)state;
	to_pending(&cl, &sv);
	/* The client got its Success first and sent Call Connected. */
	assert_int_equal(sstp_conn_auth_done(&cl.conn, test_hlak, 1), SSTP_OK);
	pump(&cl, &sv, 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_PENDING);
	assert_int_equal(peer_count(&sv, SSTP_EV_CONNECTED), 0);
	assert_int_equal(sv.nsent, 1); /* the Ack only, no Abort */
	/* Our PPP finishes later: verified then. */
	assert_int_equal(sstp_conn_auth_done(&sv.conn, test_hlak, 2), SSTP_OK);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECTED);
	assert_int_equal(peer_count(&sv, SSTP_EV_CONNECTED), 1);
	/* A deferred binding that fails when the HLAK comes is aborted. */
	to_pending(&cl, &sv);
	sstp_conn_auth_done(&cl.conn, test_hlak, 1);
	pump(&cl, &sv, 1);
	{
		uint8_t zero[SSTP_HLAK_LEN] = { 0 };

		sstp_conn_auth_done(&sv.conn, zero, 2);
	}
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_ABORT_PENDING);
	assert_int_equal(
	    peer_event(&sv, SSTP_EV_LOWER_DOWN)->reason, SSTP_E_CMAC);
}

static void
sstp_trap_07_no_ip_before_call_connected(void **state)
{
	struct peer cl, sv;
	int n;

	(void)state;
	/* Before the Ack nothing passes, not even LCP. */
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	deliver(&cl, &sv, 0);
	feed_data(&sv, lcp_frame, sizeof(lcp_frame), 0);
	assert_int_equal(peer_count(&sv, SSTP_EV_PPP_FRAME), 0);
	/* Pending: LCP and NCPs pass both ways, IPv4 and IPv6 do not. */
	to_pending(&cl, &sv);
	feed_data(&sv, lcp_frame, sizeof(lcp_frame), 1);
	feed_data(&sv, ipcp_frame, sizeof(ipcp_frame), 1);
	feed_data(&sv, ip_frame, sizeof(ip_frame), 1);
	feed_data(&sv, ipv6_frame, sizeof(ipv6_frame), 1);
	assert_int_equal(peer_count(&sv, SSTP_EV_PPP_FRAME), 2);
	feed_data(&cl, ip_frame, sizeof(ip_frame), 1);
	assert_int_equal(peer_count(&cl, SSTP_EV_PPP_FRAME), 0);
	assert_int_equal(
	    sstp_conn_send_ppp(&sv.conn, ip_frame, sizeof(ip_frame)),
	    SSTP_E_DATA_BLOCKED);
	assert_int_equal(
	    sstp_conn_send_ppp(&sv.conn, ipcp_frame, sizeof(ipcp_frame)),
	    SSTP_OK);
	/* The client sent Call Connected: it may send IP; the server
	 * still drops it until it has verified the binding. */
	sstp_conn_auth_done(&cl.conn, test_hlak, 2);
	assert_int_equal(
	    sstp_conn_send_ppp(&cl.conn, ip_frame, sizeof(ip_frame)), SSTP_OK);
	n = peer_count(&sv, SSTP_EV_PPP_FRAME);
	pump(&cl, &sv, 2);
	assert_int_equal(peer_count(&sv, SSTP_EV_PPP_FRAME), n);
	sstp_conn_auth_done(&sv.conn, test_hlak, 3);
	feed_data(&sv, ip_frame, sizeof(ip_frame), 3);
	assert_int_equal(peer_count(&sv, SSTP_EV_PPP_FRAME), n + 1);
}

static void
sstp_trap_08_no_echo_before_connected_any_packet_is_liveness(void **state)
{
	struct peer cl, sv;
	uint64_t t;

	(void)state;
	/* Pending states time out with an Abort, never an Echo. */
	to_pending(&cl, &sv);
	tick_both(&cl, &sv, 600);
	assert_int_equal(peer_sent(&cl, SSTP_MSG_ECHO_REQUEST), -1);
	assert_int_equal(peer_sent(&sv, SSTP_MSG_ECHO_REQUEST), -1);
	/* An Echo Request before Call Connected is answered (deviation
	 * from the spec's Abort, spec/sstp.md 3.2). */
	to_pending(&cl, &sv);
	feed_hex(&sv, "10 01 00 08 00 08 00 00", 1);
	assert_true(peer_sent(&sv, SSTP_MSG_ECHO_RESPONSE) >= 0);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_PENDING);
	/* A SoftEther-like peer that never answers Echo Requests but
	 * sends something every half interval stays up indefinitely. */
	connect_pair(&cl, &sv, 0);
	for (t = 300; t < 6000; t += 300) {
		sstp_conn_tick(&cl.conn, t);
		drop_output(&cl);
		feed_hex(&cl, "10 01 00 08 00 08 00 00", t); /* its echo */
		drop_output(&cl);
	}
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CONNECTED);
	assert_int_equal(peer_sent(&cl, SSTP_MSG_ECHO_REQUEST), -1);
	/* Data counts too. */
	for (; t < 12000; t += 500) {
		sstp_conn_tick(&cl.conn, t);
		drop_output(&cl);
		feed_data(&cl, ip_frame, sizeof(ip_frame), t);
	}
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CONNECTED);
}

static void
sstp_trap_09_disconnect_has_status_accepts_none_and_junk(void **state)
{
	static const char *const peer_disconnects[] = {
		/* SoftEther: no attribute. */
		"10 01 00 08 00 06 00 00",
		/* sorz/sstp-server: an id-0 attribute of length 8. */
		"10 01 00 10 00 06 00 01 00 00 00 08 00 00 00 00",
		/* Junk: count says 2, one truncated attribute. */
		"10 01 00 0C 00 06 00 02 00 07 00 30",
		/* accel-ppp: Status Info NO_ERROR. */
		"10 01 00 14 00 06 00 01 00 02 00 0C 00 00 00 00 00 00 00 00",
	};
	struct peer cl, sv;
	struct sstp_ctrl m;
	size_t i;

	(void)state;
	connect_pair(&cl, &sv, 0);
	sstp_conn_disconnect(&sv.conn, 1);
	assert_int_equal(sstp_ctrl_decode(sv.out, sv.out_len, &m), SSTP_OK);
	assert_int_equal(m.type, SSTP_MSG_CALL_DISCONNECT);
	assert_int_equal(m.num_attrs, 1);
	assert_true(m.has_status);
	assert_int_equal(m.status.status, SSTP_ATTRIB_STATUS_NO_ERROR);
	for (i = 0; i < ARRAY_LEN(peer_disconnects); i++) {
		connect_pair(&cl, &sv, 0);
		feed_hex(&cl, peer_disconnects[i], 1);
		assert_int_equal(
		    sstp_conn_state(&cl.conn), SSTP_STATE_DISCONNECT_TIMEOUT);
		assert_true(peer_sent(&cl, SSTP_MSG_CALL_DISCONNECT_ACK) >= 0);
		assert_int_equal(peer_event(&cl, SSTP_EV_LOWER_DOWN)->reason,
		    SSTP_E_PEER_DISCONNECT);
	}
	/* An Abort without a Status Info is an Abort all the same. */
	connect_pair(&cl, &sv, 0);
	feed_hex(&cl, "10 01 00 08 00 05 00 00", 1);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_ABORT_TIMEOUT);
	assert_false(peer_event(&cl, SSTP_EV_LOWER_DOWN)->has_status);
}

static void
sstp_trap_10_at_most_one_attribute_per_message(void **state)
{
	struct peer cl, sv, *all[2] = { &cl, &sv };
	int i, k, seen = 0;

	(void)state;
	/* A call with Nak, echo, abort, disconnect: every message. */
	connect_pair(&cl, &sv, 0);
	tick_both(&cl, &sv, 600);
	sstp_conn_disconnect(&cl.conn, 700);
	pump(&cl, &sv, 700);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < all[k]->nsent; i++) {
			assert_true(all[k]->sent_nattrs[i] <= 1);
			seen++;
		}
	}
	to_pending(&cl, &sv);
	sstp_conn_abort(&cl.conn, SSTP_E_LOCAL_ABORT, 1);
	pump(&cl, &sv, 1);
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	deliver(&cl, &sv, 0);
	feed_hex(&sv, "10 01 00 0E 00 01 00 01 00 01 00 06 00 07", 1);
	for (k = 0; k < 2; k++) {
		for (i = 0; i < all[k]->nsent; i++) {
			assert_true(all[k]->sent_nattrs[i] <= 1);
			seen++;
		}
	}
	assert_true(peer_sent(&sv, SSTP_MSG_CALL_CONNECT_NAK) >= 0);
	assert_true(seen >= 10);
}

static void
sstp_trap_11_bytes_after_http_are_sstp(void **state)
{
	struct peer cl, sv;
	uint8_t all[1024];
	size_t n, i;

	(void)state;
	/* The client's request and its Call Connect Request in one read;
	 * the server's 200 and its Ack in one read. */
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	n = cl.out_len;
	memcpy(all, cl.out, n);
	n += test_hex("10 01 00 0E 00 01 00 01 00 01 00 06 00 01", all + n,
	    sizeof(all) - n);
	drop_output(&cl);
	sstp_conn_input(&sv.conn, all, n, 0);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_PENDING);
	deliver(&sv, &cl, 0);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CONNECT_PENDING);
	/* The whole handshake one byte per read. */
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	while (cl.out_len > 0 || sv.out_len > 0) {
		struct peer *from = cl.out_len > 0 ? &cl : &sv;
		struct peer *to = from == &cl ? &sv : &cl;

		n = from->out_len;
		memcpy(all, from->out, n);
		drop_output(from);
		for (i = 0; i < n; i++)
			sstp_conn_input(&to->conn, all + i, 1, 0);
	}
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CONNECT_PENDING);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_PENDING);
	/* Received R bits are masked: a data packet with them set. */
	connect_pair(&cl, &sv, 0);
	feed_hex(&sv, "10 00 F0 0A FF 03 00 21 45 00", 1);
	assert_int_equal(peer_event(&sv, SSTP_EV_PPP_FRAME)->len, 6);
	/* Three packets in one read, the last split over two reads. */
	n = test_hex("10 00 00 0A FF 03 00 21 45 00 "
		     "10 01 00 08 00 08 00 00 "
		     "10 00 00 0A FF 03 00 21 45 01",
	    all, sizeof(all));
	sstp_conn_input(&sv.conn, all, n - 3, 2);
	assert_int_equal(peer_count(&sv, SSTP_EV_PPP_FRAME), 2);
	sstp_conn_input(&sv.conn, all + n - 3, 3, 2);
	assert_int_equal(peer_count(&sv, SSTP_EV_PPP_FRAME), 3);
	assert_int_equal(peer_event(&sv, SSTP_EV_PPP_FRAME)->frame[5], 0x01);
	assert_true(peer_sent(&sv, SSTP_MSG_ECHO_RESPONSE) >= 0);
	/* Never set R bits on send: the largest frame has length 0x0FFF. */
	{
		static uint8_t big[SSTP_MAX_DATA] = { 0xff, 0x03, 0x00, 0x21 };

		drop_output(&sv);
		assert_int_equal(
		    sstp_conn_send_ppp(&sv.conn, big, sizeof(big)), SSTP_OK);
		assert_int_equal(sv.out[2], 0x0f);
		assert_int_equal(sv.out[3], 0xff);
	}
}

static void
sstp_trap_14_ppp_frames_raw_compressed_headers_accepted(void **state)
{
	/* LCP without FF 03 (ACFC), as a liberal receiver accepts. */
	static const uint8_t lcp_acfc[] = { 0xc0, 0x21, 0x09, 0x01, 0x00,
		0x04 };
	/* IPv4 with ACFC and PFC: protocol 0x21 in one byte. */
	static const uint8_t ip_pfc[] = { 0x21, 0x45, 0x00 };
	/* Flag and escape bytes are data here: no HDLC inside SSTP. */
	static const uint8_t raw[] = { 0xff, 0x03, 0x00, 0x21, 0x7e, 0x7d,
		0x7e };
	struct peer cl, sv;
	const struct peer_event *e;

	(void)state;
	to_pending(&cl, &sv);
	feed_data(&sv, lcp_acfc, sizeof(lcp_acfc), 1);
	assert_non_null(e = peer_event(&sv, SSTP_EV_PPP_FRAME));
	assert_int_equal(e->len, sizeof(lcp_acfc));
	feed_data(&sv, ip_pfc, sizeof(ip_pfc), 1);
	assert_int_equal(peer_count(&sv, SSTP_EV_PPP_FRAME), 1);
	connect_pair(&cl, &sv, 0);
	sstp_conn_send_ppp(&cl.conn, raw, sizeof(raw));
	assert_int_equal(cl.out_len, SSTP_HDR_LEN + sizeof(raw));
	assert_memory_equal(cl.out + SSTP_HDR_LEN, raw, sizeof(raw));
	pump(&cl, &sv, 1);
	assert_non_null(e = peer_event(&sv, SSTP_EV_PPP_FRAME));
	assert_int_equal(e->len, sizeof(raw));
	assert_memory_equal(e->frame, raw, sizeof(raw));
}

static void
sstp_trap_16_nak_is_fatal_client_aborts_with_its_status(void **state)
{
	struct peer cl, sv;
	const struct peer_event *e;
	int i;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	deliver(&cl, &sv, 0);
	deliver(&sv, &cl, 0);
	drop_output(&cl);
	feed_hex(&cl,
	    "10 01 00 14 00 03 00 01 00 02 00 0C 00 00 00 01 00 00 00 04", 1);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_ABORT_PENDING);
	assert_int_equal(peer_count(&cl, SSTP_EV_LOWER_UP), 0);
	assert_non_null(e = peer_event(&cl, SSTP_EV_LOWER_DOWN));
	assert_int_equal(e->reason, SSTP_E_CONNECT_NAK);
	i = peer_sent(&cl, SSTP_MSG_CALL_ABORT);
	assert_true(i >= 0);
	assert_int_equal(
	    cl.sent_status[i], SSTP_ATTRIB_STATUS_VALUE_NOT_SUPPORTED);
	/* No second Call Connect Request is sent. */
	sstp_conn_tick(&cl.conn, 600);
	assert_int_equal(peer_sent(&cl, SSTP_MSG_CALL_CONNECT_REQUEST), 0);
}

static void
sstp_trap_17_hello_timeout_closes_without_abort(void **state)
{
	struct peer cl, sv;
	size_t before;

	(void)state;
	connect_pair(&cl, &sv, 0);
	drop_output(&cl);
	sstp_conn_tick(&cl.conn, 599);
	assert_int_equal(cl.out_len, 0);
	sstp_conn_tick(&cl.conn, 600);
	assert_true(peer_sent(&cl, SSTP_MSG_ECHO_REQUEST) >= 0);
	before = cl.out_total;
	sstp_conn_tick(&cl.conn, 1199);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CONNECTED);
	sstp_conn_tick(&cl.conn, 1200);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CLOSED);
	assert_int_equal(cl.out_total, before); /* no Call Abort */
	assert_int_equal(peer_sent(&cl, SSTP_MSG_CALL_ABORT), -1);
	assert_int_equal(
	    peer_event(&cl, SSTP_EV_CLOSED)->reason, SSTP_E_HELLO_TIMEOUT);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    sstp_trap_06_call_connected_before_auth_is_deferred),
		cmocka_unit_test(sstp_trap_07_no_ip_before_call_connected),
		cmocka_unit_test(
		    sstp_trap_08_no_echo_before_connected_any_packet_is_liveness),
		cmocka_unit_test(
		    sstp_trap_09_disconnect_has_status_accepts_none_and_junk),
		cmocka_unit_test(
		    sstp_trap_10_at_most_one_attribute_per_message),
		cmocka_unit_test(sstp_trap_11_bytes_after_http_are_sstp),
		cmocka_unit_test(
		    sstp_trap_14_ppp_frames_raw_compressed_headers_accepted),
		cmocka_unit_test(
		    sstp_trap_16_nak_is_fatal_client_aborts_with_its_status),
		cmocka_unit_test(
		    sstp_trap_17_hello_timeout_closes_without_abort),
	};

	return test_run(argc, argv, "sstp_conn_traps", tests, ARRAY_LEN(tests));
}

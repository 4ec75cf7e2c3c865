/*
 * A real exchange, not our own output: the bytes SoftEther 5.01 (8181039)
 * and the project's Python probe client exchanged over TLS 1.3, recorded
 * in the peers' transcript (probe-vs-softether).  Our client is fed
 * SoftEther's bytes and must answer with the probe's bytes; our server is
 * fed the probe's bytes and must accept its crypto binding.  The server
 * certificate's SHA256 and the nonce are those of that run; the HLAK is
 * 32 zero bytes (PAP).
 */
#include <string.h>

#include "conn_harness.h"
#include "sstp/sstp_conn.h"
#include "test_run.h"

#define SE_NONCE                                                               \
	"a1fc453eedd06c6d4638536f096e7d6c33f0781eb6db66d4f4185f02d57bc1cd"
#define SE_CERT_SHA256                                                         \
	"c305cf203750be79f8c56bcb3bbe9454e37d2353c08f31ea9e60369c3c394b6b"

static const char se_http_reply[] = "HTTP/1.1 200 OK\r\n"
				    "Content-Length: 18446744073709551615\r\n"
				    "Date: Wed, 25 Nov 2026 02:54:55 GMT\r\n"
				    "Server: Microsoft-HTTPAPI/2.0\r\n\r\n";
static const char probe_http_request[] =
    "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ "
    "HTTP/1.1\r\n"
    "Host: localhost\r\n"
    "Content-Length: 18446744073709551615\r\n"
    "SSTPCORRELATIONID: {6E5712BF-F917-42F6-BF49-603DB18CDF6A}\r\n\r\n";

/* C->S and S->C packets of the transcript, in order. */
static const char cc_request[] = "10 01 00 0e 00 01 00 01 00 01 00 06 00 01";
static const char cc_ack[] = "10 01 00 30 00 02 00 01 00 04 00 28 "
			     "00 00 00 02 " SE_NONCE;
static const char lcp_req_c[] = "10 00 00 16 ff 03 c0 21 01 02 00 0e "
				"01 04 05 dc 05 06 68 bc e3 99";
static const char lcp_rej_s[] = "10 00 00 12 ff 03 c0 21 04 02 00 0a "
				"05 06 68 bc e3 99";
static const char lcp_req_eap_s[] = "10 00 00 10 ff 03 c0 21 01 00 00 08 "
				    "03 04 c2 27";
static const char lcp_echo_s[] = "10 00 00 20 ff 03 c0 21 09 00 00 18 "
				 "00 00 00 00 41 68 6f 20 42 61 6b 61 "
				 "20 4d 61 6e 75 6b 65 00";
static const char pap_req_c[] = "10 00 00 19 ff 03 c0 23 01 01 00 11 04 "
				"74 65 73 74 07 74 65 73 74 31 32 33";
static const char pap_ack_s[] = "10 00 00 0c ff 03 c0 23 02 01 00 04";
static const char call_connected_c[] =
    "10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 02 " SE_NONCE
    " " SE_CERT_SHA256
    " dd307d866a224c0a695311a3870933bbafc4a73a40685a2ff11870ea9e934607";
static const char echo_req_s[] = "10 01 00 08 00 08 00 00";
static const char echo_resp_c[] = "10 01 00 08 00 09 00 00";
static const char ipcp_req_c[] = "10 00 00 12 ff 03 80 21 01 04 00 0a "
				 "03 06 00 00 00 00";
static const char ipcp_nak_s[] = "10 00 00 12 ff 03 80 21 03 04 00 0a "
				 "03 06 c0 a8 1e 0a";
static const char disconnect_c[] = "10 01 00 08 00 06 00 00";
static const char disconnect_ack_s[] = "10 01 00 08 00 07 00 00";

static const uint8_t zero_hlak[SSTP_HLAK_LEN];

static size_t
hex(const char *h, uint8_t *out)
{
	return test_hex(h, out, 512);
}

static void
feed(struct peer *p, const char *h)
{
	uint8_t buf[512];

	sstp_conn_input(&p->conn, buf, hex(h, buf), 1);
}

/* What p sent since the last call equals h, byte for byte. */
static void
assert_sent(struct peer *p, const char *h)
{
	uint8_t want[512];
	size_t n = hex(h, want);

	assert_int_equal(p->out_len, n);
	assert_memory_equal(p->out, want, n);
	drop_output(p);
}

/* p raised a PPP frame event whose frame is the packet h's payload. */
static void
assert_frame(struct peer *p, const char *h)
{
	const struct peer_event *e = peer_event(p, SSTP_EV_PPP_FRAME);
	uint8_t want[512];
	size_t n = hex(h, want);

	assert_non_null(e);
	assert_int_equal(e->len, n - SSTP_HDR_LEN);
	assert_memory_equal(e->frame, want + SSTP_HDR_LEN, n - SSTP_HDR_LEN);
}

/* Send the payload of packet h as a PPP frame. */
static enum sstp_err
send_frame(struct peer *p, const char *h)
{
	uint8_t buf[512];
	size_t n = hex(h, buf);

	return sstp_conn_send_ppp(
	    &p->conn, buf + SSTP_HDR_LEN, n - SSTP_HDR_LEN);
}

static void
setup_cert(struct peer *p)
{
	p->cfg.cert.have_sha1 = false;
	p->cfg.cert.have_sha256 = true;
	hex(SE_CERT_SHA256, p->cfg.cert.sha256);
}

static void
client_against_softether_bytes(void **state)
{
	struct peer cl;

	(void)state;
	peer_config(&cl, SSTP_ROLE_CLIENT);
	cl.cfg.host = "localhost";
	setup_cert(&cl);
	peer_init(&cl);
	assert_int_equal(sstp_conn_start(&cl.conn, 0), SSTP_OK);
	/* Same request as the probe's but for the random GUID. */
	assert_int_equal(cl.out_len, strlen(probe_http_request));
	assert_memory_equal(cl.out, probe_http_request,
	    strstr(probe_http_request, "{6E57") - probe_http_request);
	drop_output(&cl);
	sstp_conn_input(
	    &cl.conn, (const uint8_t *)se_http_reply, strlen(se_http_reply), 1);
	assert_sent(&cl, cc_request);
	feed(&cl, cc_ack);
	assert_int_equal(peer_count(&cl, SSTP_EV_LOWER_UP), 1);
	assert_int_equal(cl.conn.hash_proto, SSTP_CERT_HASH_PROTOCOL_SHA256);
	/* LCP and PAP, as PPP would drive them. */
	assert_int_equal(send_frame(&cl, lcp_req_c), SSTP_OK);
	assert_sent(&cl, lcp_req_c);
	feed(&cl, lcp_rej_s);
	assert_frame(&cl, lcp_rej_s);
	feed(&cl, lcp_req_eap_s);
	assert_frame(&cl, lcp_req_eap_s);
	feed(&cl, lcp_echo_s);
	assert_frame(&cl, lcp_echo_s);
	assert_int_equal(send_frame(&cl, pap_req_c), SSTP_OK);
	assert_sent(&cl, pap_req_c);
	feed(&cl, pap_ack_s);
	assert_frame(&cl, pap_ack_s);
	/* PAP done: the probe's exact Call Connected. */
	assert_int_equal(sstp_conn_auth_done(&cl.conn, zero_hlak, 1), SSTP_OK);
	assert_sent(&cl, call_connected_c);
	assert_int_equal(peer_count(&cl, SSTP_EV_CONNECTED), 1);
	assert_int_equal(send_frame(&cl, ipcp_req_c), SSTP_OK);
	assert_sent(&cl, ipcp_req_c);
	feed(&cl, echo_req_s);
	assert_sent(&cl, echo_resp_c);
	feed(&cl, ipcp_nak_s);
	assert_frame(&cl, ipcp_nak_s);
	/* Our Disconnect carries a Status Info (trap 9); SoftEther's Ack
	 * has none and ends the call. */
	sstp_conn_disconnect(&cl.conn, 2);
	assert_sent(&cl,
	    "10 01 00 14 00 06 00 01 00 02 00 0C "
	    "00 00 00 00 00 00 00 00");
	feed(&cl, disconnect_ack_s);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CLOSED);
}

static void
server_against_probe_bytes(void **state)
{
	uint8_t nonce[SSTP_NONCE_LEN];
	struct peer sv;
	size_t t;

	(void)state;
	hex(SE_NONCE, nonce);
	peer_config(&sv, SSTP_ROLE_SERVER);
	setup_cert(&sv);
	/* The nonce of that run, so the probe's binding is for us. */
	sv.fixed_random = nonce;
	peer_init(&sv);
	assert_int_equal(sstp_conn_start(&sv.conn, 0), SSTP_OK);
	sstp_conn_input(&sv.conn, (const uint8_t *)probe_http_request,
	    strlen(probe_http_request), 1);
	/* SoftEther's reply byte for byte, but for the time of day. */
	t = (size_t)(strstr(se_http_reply, "02:54:55") - se_http_reply);
	assert_int_equal(sv.out_len, strlen(se_http_reply));
	assert_memory_equal(sv.out, se_http_reply, t);
	assert_memory_equal(sv.out + t, "02:54:36", 8);
	assert_memory_equal(
	    sv.out + t + 8, se_http_reply + t + 8, sv.out_len - t - 8);
	drop_output(&sv);
	feed(&sv, cc_request);
	/* SoftEther's Ack byte for byte: SHA256 only, the same nonce. */
	assert_sent(&sv, cc_ack);
	feed(&sv, lcp_req_c);
	assert_frame(&sv, lcp_req_c);
	feed(&sv, pap_req_c);
	assert_frame(&sv, pap_req_c);
	assert_int_equal(send_frame(&sv, pap_ack_s), SSTP_OK);
	assert_sent(&sv, pap_ack_s);
	/* The probe's binding arrives before our PAP result is known. */
	feed(&sv, call_connected_c);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_PENDING);
	assert_int_equal(sstp_conn_auth_done(&sv.conn, zero_hlak, 1), SSTP_OK);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECTED);
	feed(&sv, ipcp_req_c);
	assert_frame(&sv, ipcp_req_c);
	/* The probe's Disconnect has no attribute: still acked. */
	feed(&sv, disconnect_c);
	assert_sent(&sv, disconnect_ack_s);
	assert_int_equal(
	    sstp_conn_state(&sv.conn), SSTP_STATE_DISCONNECT_TIMEOUT);
}

static void
transcript_messages_decode(void **state)
{
	uint8_t buf[512];
	struct sstp_ctrl m;
	size_t n;

	(void)state;
	n = hex(cc_ack, buf);
	assert_int_equal(sstp_ctrl_decode(buf, n, &m), SSTP_OK);
	assert_int_equal(m.binding_req.hash_bitmask, 0x02);
	assert_int_equal(m.binding_req.nonce[0], 0xa1);
	n = hex(call_connected_c, buf);
	assert_int_equal(sstp_ctrl_decode(buf, n, &m), SSTP_OK);
	assert_int_equal(m.binding.hash_proto, 0x02);
	assert_int_equal(m.binding.cert_hash[0], 0xc3);
	assert_int_equal(m.binding.cmac[0], 0xdd);
	n = hex(disconnect_c, buf);
	assert_int_equal(sstp_ctrl_decode(buf, n, &m), SSTP_OK);
	assert_false(m.has_status);
	n = hex(disconnect_ack_s, buf);
	assert_int_equal(sstp_ctrl_decode(buf, n, &m), SSTP_OK);
	assert_int_equal(m.type, SSTP_MSG_CALL_DISCONNECT_ACK);
	n = hex(echo_req_s, buf);
	assert_int_equal(sstp_ctrl_decode(buf, n, &m), SSTP_OK);
	assert_int_equal(m.type, SSTP_MSG_ECHO_REQUEST);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transcript_messages_decode),
		cmocka_unit_test(client_against_softether_bytes),
		cmocka_unit_test(server_against_probe_bytes),
	};

	return test_run(argc, argv, "sstp_softether", tests, ARRAY_LEN(tests));
}

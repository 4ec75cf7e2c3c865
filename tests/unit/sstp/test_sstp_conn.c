/*
 * The connection state machines, client against server in memory: the
 * whole call, then each way it can fail, ending as spec/sstp.md 3 says.
 */
#include <string.h>

#include "conn_harness.h"
#include "sstp/sstp_conn.h"
#include "test_run.h"

static const uint8_t lcp_frame[] = { 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00,
	0x08, 0x01, 0x04, 0x05, 0xdc };
static const uint8_t ip_frame[] = { 0xff, 0x03, 0x00, 0x21, 0x45, 0x00, 0x00,
	0x14 };

/* Feed one packet given in hex to p. */
static void
feed_hex(struct peer *p, const char *hex, uint64_t now)
{
	uint8_t buf[512];
	size_t n = test_hex(hex, buf, sizeof(buf));

	sstp_conn_input(&p->conn, buf, n, now);
}

/* The peer's view: the Abort it got ends the call with that status. */
static void
assert_aborted_with(struct peer *aborter, struct peer *other,
    enum sstp_err reason, uint32_t status)
{
	const struct peer_event *e;
	int i;

	assert_int_equal(
	    sstp_conn_state(&aborter->conn), SSTP_STATE_ABORT_TIMEOUT);
	e = peer_event(aborter, SSTP_EV_LOWER_DOWN);
	assert_non_null(e);
	assert_int_equal(e->reason, reason);
	assert_true(e->has_status);
	assert_int_equal(e->status, status);
	i = peer_sent(aborter, SSTP_MSG_CALL_ABORT);
	assert_true(i >= 0);
	assert_int_equal(aborter->sent_status[i], status);
	assert_int_equal(
	    sstp_conn_state(&other->conn), SSTP_STATE_ABORT_TIMEOUT);
	e = peer_event(other, SSTP_EV_LOWER_DOWN);
	assert_non_null(e);
	assert_int_equal(e->reason, SSTP_E_PEER_ABORT);
	assert_int_equal(e->status, status);
}

static void
full_call_connect_bind_echo_data_disconnect(void **state)
{
	struct peer cl, sv;
	const struct peer_event *e;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_HTTP);
	pump(&cl, &sv, 1);
	assert_non_null(peer_event(&sv, SSTP_EV_HTTP_DONE));
	assert_non_null(e = peer_event(&cl, SSTP_EV_HTTP_DONE));
	assert_int_equal(e->http_status, 200);
	assert_int_equal(peer_count(&cl, SSTP_EV_LOWER_UP), 1);
	assert_int_equal(peer_count(&sv, SSTP_EV_LOWER_UP), 1);
	/* PPP negotiation flows before the binding; IP does not. */
	sv.frame_echo = true;
	assert_int_equal(
	    sstp_conn_send_ppp(&cl.conn, lcp_frame, sizeof(lcp_frame)),
	    SSTP_OK);
	assert_int_equal(
	    sstp_conn_send_ppp(&cl.conn, ip_frame, sizeof(ip_frame)),
	    SSTP_E_DATA_BLOCKED);
	pump(&cl, &sv, 2);
	assert_non_null(e = peer_event(&cl, SSTP_EV_PPP_FRAME));
	assert_int_equal(e->len, sizeof(lcp_frame));
	assert_memory_equal(e->frame, lcp_frame, sizeof(lcp_frame));
	/* Authentication done on both sides: binding, then Connected. */
	assert_int_equal(sstp_conn_auth_done(&sv.conn, test_hlak, 3), SSTP_OK);
	assert_int_equal(sstp_conn_auth_done(&cl.conn, test_hlak, 3), SSTP_OK);
	assert_int_equal(peer_count(&cl, SSTP_EV_CONNECTED), 1);
	pump(&cl, &sv, 3);
	assert_int_equal(peer_count(&sv, SSTP_EV_CONNECTED), 1);
	/* Data both ways. */
	assert_int_equal(
	    sstp_conn_send_ppp(&cl.conn, ip_frame, sizeof(ip_frame)), SSTP_OK);
	pump(&cl, &sv, 4);
	assert_non_null(e = peer_event(&sv, SSTP_EV_PPP_FRAME));
	assert_memory_equal(e->frame, ip_frame, sizeof(ip_frame));
	assert_non_null(e = peer_event(&cl, SSTP_EV_PPP_FRAME));
	assert_memory_equal(e->frame, ip_frame, sizeof(ip_frame));
	/* Echo after a silent hello interval, answered; nobody closes. */
	assert_int_equal(sstp_conn_deadline(&cl.conn), 4 + 600);
	tick_both(&cl, &sv, 604);
	assert_true(peer_sent(&cl, SSTP_MSG_ECHO_REQUEST) >= 0);
	assert_true(peer_sent(&sv, SSTP_MSG_ECHO_RESPONSE) >= 0);
	tick_both(&cl, &sv, 1204);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CONNECTED);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECTED);
	/* The client hangs up. */
	sstp_conn_disconnect(&cl.conn, 1300);
	assert_int_equal(
	    sstp_conn_state(&cl.conn), SSTP_STATE_DISCONNECT_ACK_PENDING);
	assert_int_equal(
	    sstp_conn_send_ppp(&cl.conn, ip_frame, sizeof(ip_frame)),
	    SSTP_E_STATE);
	pump(&cl, &sv, 1300);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CLOSED);
	assert_non_null(e = peer_event(&cl, SSTP_EV_CLOSED));
	assert_int_equal(e->reason, SSTP_E_LOCAL_DISCONNECT);
	assert_int_equal(
	    sstp_conn_state(&sv.conn), SSTP_STATE_DISCONNECT_TIMEOUT);
	assert_non_null(e = peer_event(&sv, SSTP_EV_LOWER_DOWN));
	assert_int_equal(e->reason, SSTP_E_PEER_DISCONNECT);
	assert_true(e->has_status);
	assert_int_equal(e->status, SSTP_ATTRIB_STATUS_NO_ERROR);
	tick_both(&cl, &sv, 1309);
	assert_int_equal(
	    sstp_conn_state(&sv.conn), SSTP_STATE_DISCONNECT_TIMEOUT);
	tick_both(&cl, &sv, 1310);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
	assert_int_equal(peer_count(&sv, SSTP_EV_CLOSED), 1);
	assert_int_equal(peer_count(&sv, SSTP_EV_LOWER_DOWN), 1);
}

static void
server_disconnects_first(void **state)
{
	struct peer cl, sv;

	(void)state;
	connect_pair(&cl, &sv, 0);
	sstp_conn_disconnect(&sv.conn, 10);
	pump(&cl, &sv, 10);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
	assert_int_equal(peer_event(&cl, SSTP_EV_LOWER_DOWN)->reason,
	    SSTP_E_PEER_DISCONNECT);
	tick_both(&cl, &sv, 20);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CLOSED);
}

static void
disconnect_collision_acks_both(void **state)
{
	struct peer cl, sv;

	(void)state;
	connect_pair(&cl, &sv, 0);
	sstp_conn_disconnect(&sv.conn, 10);
	sstp_conn_disconnect(&cl.conn, 10);
	pump(&cl, &sv, 10);
	assert_true(peer_sent(&cl, SSTP_MSG_CALL_DISCONNECT_ACK) >= 0);
	assert_true(peer_sent(&sv, SSTP_MSG_CALL_DISCONNECT_ACK) >= 0);
	tick_both(&cl, &sv, 30);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CLOSED);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
}

static void
disconnect_ack_lost_closes_after_timer_1(void **state)
{
	struct peer cl, sv;

	(void)state;
	connect_pair(&cl, &sv, 0);
	sstp_conn_disconnect(&cl.conn, 10);
	drop_output(&cl);
	sstp_conn_tick(&cl.conn, 59);
	assert_int_equal(
	    sstp_conn_state(&cl.conn), SSTP_STATE_DISCONNECT_ACK_PENDING);
	/* Anything but the Ack is ignored meanwhile. */
	sstp_conn_send_ppp(&sv.conn, ip_frame, sizeof(ip_frame));
	deliver(&sv, &cl, 59);
	assert_int_equal(peer_count(&cl, SSTP_EV_PPP_FRAME), 0);
	sstp_conn_tick(&cl.conn, 60);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CLOSED);
	assert_int_equal(cl.out_len, 0);
}

static void
abort_from_client(void **state)
{
	struct peer cl, sv;

	(void)state;
	connect_pair(&cl, &sv, 0);
	sstp_conn_abort(&cl.conn, SSTP_E_LOCAL_ABORT, 10);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_ABORT_PENDING);
	deliver(&cl, &sv, 10);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_ABORT_TIMEOUT);
	deliver(&sv, &cl, 10);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_ABORT_TIMEOUT);
	tick_both(&cl, &sv, 19);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_ABORT_TIMEOUT);
	tick_both(&cl, &sv, 20);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CLOSED);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
	assert_int_equal(
	    peer_event(&cl, SSTP_EV_CLOSED)->reason, SSTP_E_LOCAL_ABORT);
	assert_int_equal(
	    peer_event(&sv, SSTP_EV_CLOSED)->reason, SSTP_E_PEER_ABORT);
}

static void
abort_from_server_unanswered_closes_after_timer_1(void **state)
{
	struct peer cl, sv;

	(void)state;
	connect_pair(&cl, &sv, 0);
	sstp_conn_abort(&sv.conn, SSTP_E_LOCAL_ABORT, 10);
	drop_output(&sv);
	tick_both(&cl, &sv, 39);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_ABORT_PENDING);
	tick_both(&cl, &sv, 40);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
}

/* Run until the client has the Ack, then change what it will send. */
static void
run_to_pending(struct peer *cl, struct peer *sv)
{
	peer_setup(sv, SSTP_ROLE_SERVER, 0);
	peer_setup(cl, SSTP_ROLE_CLIENT, 0);
	pump(cl, sv, 0);
	assert_int_equal(
	    sstp_conn_state(&cl->conn), SSTP_STATE_CONNECT_PENDING);
}

/* Client sends Call Connected with byte off XORed by mask. */
static void
tampered_binding(struct peer *cl, struct peer *sv, size_t off, uint8_t mask)
{
	assert_int_equal(sstp_conn_auth_done(&sv->conn, test_hlak, 1), SSTP_OK);
	assert_int_equal(sstp_conn_auth_done(&cl->conn, test_hlak, 1), SSTP_OK);
	assert_int_equal(cl->out_len, SSTP_CALL_CONNECTED_LEN);
	cl->out[off] ^= mask;
	pump(cl, sv, 1);
}

static void
binding_wrong_nonce_aborts(void **state)
{
	struct peer cl, sv;

	(void)state;
	run_to_pending(&cl, &sv);
	tampered_binding(&cl, &sv, SSTP_CC_OFF_NONCE + 5, 0x01);
	assert_aborted_with(
	    &sv, &cl, SSTP_E_NONCE, SSTP_ATTRIB_STATUS_INVALID_FRAME_RECEIVED);
	assert_int_equal(peer_count(&sv, SSTP_EV_CONNECTED), 0);
}

static void
binding_wrong_cert_hash_aborts(void **state)
{
	struct peer cl, sv;

	(void)state;
	run_to_pending(&cl, &sv);
	/* The client saw another certificate than the server presented. */
	cl.conn.cfg.cert.sha256[0] ^= 0x80;
	tampered_binding(&cl, &sv, 0, 0);
	assert_aborted_with(&sv, &cl, SSTP_E_CERT_HASH,
	    SSTP_ATTRIB_STATUS_INVALID_FRAME_RECEIVED);
}

static void
binding_wrong_cmac_aborts(void **state)
{
	struct peer cl, sv;

	(void)state;
	run_to_pending(&cl, &sv);
	tampered_binding(&cl, &sv, SSTP_CC_OFF_CMAC + 31, 0x01);
	assert_aborted_with(
	    &sv, &cl, SSTP_E_CMAC, SSTP_ATTRIB_STATUS_INVALID_FRAME_RECEIVED);
}

static void
binding_wrong_hlak_aborts(void **state)
{
	uint8_t other[SSTP_HLAK_LEN] = { 0 };
	struct peer cl, sv;

	(void)state;
	run_to_pending(&cl, &sv);
	/* Client used PAP's zero HLAK, server derived MS-CHAPv2 keys. */
	assert_int_equal(sstp_conn_auth_done(&sv.conn, test_hlak, 1), SSTP_OK);
	assert_int_equal(sstp_conn_auth_done(&cl.conn, other, 1), SSTP_OK);
	pump(&cl, &sv, 1);
	assert_aborted_with(
	    &sv, &cl, SSTP_E_CMAC, SSTP_ATTRIB_STATUS_INVALID_FRAME_RECEIVED);
}

static void
binding_unoffered_hash_aborts(void **state)
{
	struct peer cl, sv;

	(void)state;
	run_to_pending(&cl, &sv);
	/* SHA1 where the server offered SHA256 only. */
	tampered_binding(&cl, &sv, SSTP_CC_OFF_HASH_PROTO, 0x03);
	assert_aborted_with(&sv, &cl, SSTP_E_HASH_PROTO,
	    SSTP_ATTRIB_STATUS_INVALID_FRAME_RECEIVED);
}

static void
binding_sha1_when_server_offers_sha1_only(void **state)
{
	const struct peer_event *e;
	struct peer cl, sv;

	(void)state;
	peer_config(&sv, SSTP_ROLE_SERVER);
	sv.cfg.hash_bitmask = SSTP_CERT_HASH_PROTOCOL_SHA1;
	peer_init(&sv);
	assert_int_equal(sstp_conn_start(&sv.conn, 0), SSTP_OK);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	pump(&cl, &sv, 0);
	assert_int_equal(cl.conn.hash_proto, SSTP_CERT_HASH_PROTOCOL_SHA1);
	sstp_conn_auth_done(&cl.conn, test_hlak, 1);
	assert_int_equal(
	    cl.out[SSTP_CC_OFF_HASH_PROTO], SSTP_CERT_HASH_PROTOCOL_SHA1);
	sstp_conn_auth_done(&sv.conn, test_hlak, 1);
	pump(&cl, &sv, 1);
	assert_non_null(e = peer_event(&sv, SSTP_EV_CONNECTED));
}

static void
server_offering_no_known_hash_is_aborted_by_client(void **state)
{
	struct peer cl, sv;

	(void)state;
	peer_config(&sv, SSTP_ROLE_SERVER);
	sv.cfg.hash_bitmask = 0x04;
	peer_init(&sv);
	assert_int_equal(sstp_conn_start(&sv.conn, 0), SSTP_OK);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	pump(&cl, &sv, 0);
	assert_aborted_with(&cl, &sv, SSTP_E_HASH_BITMASK,
	    SSTP_ATTRIB_STATUS_VALUE_NOT_SUPPORTED);
	assert_int_equal(peer_count(&cl, SSTP_EV_LOWER_UP), 0);
}

static void
binding_not_verified_when_configured_off(void **state)
{
	struct peer cl, sv;

	(void)state;
	peer_config(&sv, SSTP_ROLE_SERVER);
	sv.cfg.verify_binding = false;
	peer_init(&sv);
	assert_int_equal(sstp_conn_start(&sv.conn, 0), SSTP_OK);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	pump(&cl, &sv, 0);
	/* A broken MAC, and no HLAK on the server yet: accepted. */
	sstp_conn_auth_done(&cl.conn, test_hlak, 1);
	cl.out[SSTP_CC_OFF_CMAC] ^= 0xff;
	pump(&cl, &sv, 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECTED);
	assert_int_equal(sstp_conn_auth_done(&sv.conn, test_hlak, 2), SSTP_OK);
}

static void
missing_binding_times_out_on_server(void **state)
{
	struct peer cl, sv;

	(void)state;
	run_to_pending(&cl, &sv);
	sstp_conn_auth_done(&sv.conn, test_hlak, 1);
	/* The client never sends Call Connected: server's 60 s timer. */
	sstp_conn_tick(&sv.conn, 599);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_PENDING);
	sstp_conn_tick(&sv.conn, 600);
	pump(&cl, &sv, 600);
	assert_aborted_with(&sv, &cl, SSTP_E_NEGOTIATION_TIMEOUT,
	    SSTP_ATTRIB_STATUS_NEGOTIATION_TIMEOUT);
}

static void
client_times_out_waiting_for_auth(void **state)
{
	struct peer cl, sv;

	(void)state;
	run_to_pending(&cl, &sv);
	tick_both(&cl, &sv, 600);
	assert_int_equal(peer_event(&cl, SSTP_EV_LOWER_DOWN)->reason,
	    SSTP_E_NEGOTIATION_TIMEOUT);
}

static void
binding_twice_aborts(void **state)
{
	uint8_t cc[SSTP_CALL_CONNECTED_LEN];
	struct peer cl, sv;

	(void)state;
	run_to_pending(&cl, &sv);
	sstp_conn_auth_done(&cl.conn, test_hlak, 1);
	memcpy(cc, cl.out, sizeof(cc));
	deliver(&cl, &sv, 1); /* deferred: no HLAK on the server */
	sstp_conn_input(&sv.conn, cc, sizeof(cc), 1);
	pump(&cl, &sv, 1);
	assert_aborted_with(&sv, &cl, SSTP_E_UNEXPECTED_MSG,
	    SSTP_ATTRIB_STATUS_UNACCEPTED_FRAME_RECEIVED);
}

static void
server_http_timeout_answers_408(void **state)
{
	struct peer sv;
	const struct peer_event *e;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	/* One byte every 100 ms does not keep the request alive. */
	sstp_conn_input(&sv.conn, (const uint8_t *)"S", 1, 100);
	sstp_conn_input(&sv.conn, (const uint8_t *)"S", 1, 200);
	sstp_conn_tick(&sv.conn, 599);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_HTTP);
	sstp_conn_tick(&sv.conn, 600);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
	assert_non_null(e = peer_event(&sv, SSTP_EV_CLOSED));
	assert_int_equal(e->reason, SSTP_E_HTTP_TIMEOUT);
	assert_int_equal(e->http_status, 408);
	assert_true(sv.out_len > 12);
	assert_memory_equal(sv.out, "HTTP/1.1 408", 12);
}

static void
server_refuses_bad_request_with_http_error(void **state)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	struct peer sv;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	sstp_conn_input(&sv.conn, (const uint8_t *)req, sizeof(req) - 1, 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
	assert_int_equal(peer_event(&sv, SSTP_EV_CLOSED)->http_status, 404);
	assert_memory_equal(sv.out, "HTTP/1.1 404", 12);
	assert_int_equal(peer_count(&sv, SSTP_EV_LOWER_UP), 0);
}

/* spec/sstp.md 1.3: a full server answers a valid request 503 and
 * closes; the client ends with that status; garbage still gets 400. */
static void
full_server_answers_503(void **state)
{
	static const char bad[] = "SSTP_DUPLEX_POST /x\r\n\r\n";
	const struct peer_event *e;
	struct peer cl, sv;

	(void)state;
	peer_config(&sv, SSTP_ROLE_SERVER);
	sv.cfg.unavailable = true;
	peer_init(&sv);
	assert_int_equal(sstp_conn_start(&sv.conn, 0), SSTP_OK);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	pump(&cl, &sv, 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
	assert_non_null(e = peer_event(&sv, SSTP_EV_CLOSED));
	assert_int_equal(e->reason, SSTP_E_HTTP_UNAVAILABLE);
	assert_int_equal(e->http_status, 503);
	assert_int_equal(peer_count(&sv, SSTP_EV_HTTP_DONE), 0);
	assert_int_equal(peer_count(&sv, SSTP_EV_LOWER_UP), 0);
	assert_non_null(e = peer_event(&cl, SSTP_EV_CLOSED));
	assert_int_equal(e->reason, SSTP_E_HTTP_STATUS);
	assert_int_equal(e->http_status, 503);
	assert_int_equal(peer_count(&cl, SSTP_EV_LOWER_UP), 0);

	peer_config(&sv, SSTP_ROLE_SERVER);
	sv.cfg.unavailable = true;
	peer_init(&sv);
	assert_int_equal(sstp_conn_start(&sv.conn, 0), SSTP_OK);
	sstp_conn_input(&sv.conn, (const uint8_t *)bad, sizeof(bad) - 1, 1);
	assert_int_equal(peer_event(&sv, SSTP_EV_CLOSED)->http_status, 400);
	assert_memory_equal(sv.out, "HTTP/1.1 400", 12);
}

static void
client_http_timeout_and_error_status(void **state)
{
	static const char resp[] = "HTTP/1.1 503 Service Unavailable\r\n"
				   "Content-Length: 0\r\n\r\n";
	const struct peer_event *e;
	struct peer cl;

	(void)state;
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	assert_memory_equal(cl.out, "SSTP_DUPLEX_POST /sra_", 22);
	sstp_conn_tick(&cl.conn, 600);
	assert_int_equal(
	    peer_event(&cl, SSTP_EV_CLOSED)->reason, SSTP_E_HTTP_TIMEOUT);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	sstp_conn_input(&cl.conn, (const uint8_t *)resp, sizeof(resp) - 1, 1);
	assert_non_null(e = peer_event(&cl, SSTP_EV_CLOSED));
	assert_int_equal(e->reason, SSTP_E_HTTP_STATUS);
	assert_int_equal(e->http_status, 503);
}

static void
server_times_out_without_call_connect_request(void **state)
{
	struct peer cl, sv;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	deliver(&cl, &sv, 0); /* HTTP request only */
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_REQ);
	sstp_conn_tick(&sv.conn, 600);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_ABORT_PENDING);
	assert_int_equal(sv.sent_status[peer_sent(&sv, SSTP_MSG_CALL_ABORT)],
	    SSTP_ATTRIB_STATUS_NEGOTIATION_TIMEOUT);
	sstp_conn_tick(&sv.conn, 630);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
}

static void
client_retries_call_connect_request_then_aborts(void **state)
{
	struct peer cl, sv;
	int i, requests = 0;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	deliver(&cl, &sv, 0);
	deliver(&sv, &cl, 0); /* the 200: client sends its request */
	drop_output(&cl); /* ... which is lost */
	sstp_conn_tick(&cl.conn, 600);
	sstp_conn_tick(&cl.conn, 1200);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CONNECT_REQ);
	sstp_conn_tick(&cl.conn, 1800);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_ABORT_PENDING);
	for (i = 0; i < cl.nsent; i++)
		requests += cl.sent_type[i] == SSTP_MSG_CALL_CONNECT_REQUEST;
	assert_int_equal(requests, 3);
	assert_int_equal(peer_event(&cl, SSTP_EV_LOWER_DOWN)->reason,
	    SSTP_E_NEGOTIATION_TIMEOUT);
}

static void
server_naks_other_protocols_then_aborts(void **state)
{
	const char *bad = "10 01 00 0E 00 01 00 01 00 01 00 06 00 02";
	struct peer sv;
	struct sstp_ctrl m;
	int i;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	sstp_conn_input(&sv.conn,
	    (const uint8_t *)"SSTP_DUPLEX_POST "
			     "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ "
			     "HTTP/1.1\r\nHost: a\r\n\r\n",
	    strlen("SSTP_DUPLEX_POST "
		   "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ "
		   "HTTP/1.1\r\nHost: a\r\n\r\n"),
	    0);
	drop_output(&sv);
	for (i = 0; i < 3; i++) {
		feed_hex(&sv, bad, 1);
		assert_int_equal(
		    sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_REQ);
		/* The Nak: one Status Info, VALUE_NOT_SUPPORTED for attr 1,
		 * carrying the refused value, nothing else (2.2.12). */
		assert_int_equal(
		    sstp_ctrl_decode(sv.out, sv.out_len, &m), SSTP_OK);
		assert_int_equal(m.type, SSTP_MSG_CALL_CONNECT_NAK);
		assert_int_equal(m.num_attrs, 1);
		assert_int_equal(m.status.attrib_id, 1);
		assert_int_equal(
		    m.status.status, SSTP_ATTRIB_STATUS_VALUE_NOT_SUPPORTED);
		assert_int_equal(m.status.value_len, 2);
		assert_int_equal(m.status.value[1], 2);
		drop_output(&sv);
	}
	feed_hex(&sv, bad, 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_ABORT_PENDING);
	assert_int_equal(sv.sent_status[peer_sent(&sv, SSTP_MSG_CALL_ABORT)],
	    SSTP_ATTRIB_STATUS_RETRY_COUNT_EXCEEDED);
	/* A good request after the abort changes nothing. */
	feed_hex(&sv, "10 01 00 0E 00 01 00 01 00 01 00 06 00 01", 2);
	assert_int_equal(peer_count(&sv, SSTP_EV_LOWER_UP), 0);
}

static void
server_naks_request_with_error_status(void **state)
{
	struct peer sv, cl;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	deliver(&cl, &sv, 0);
	drop_output(&sv);
	feed_hex(&sv,
	    "10 01 00 1A 00 01 00 02 00 01 00 06 00 01 "
	    "00 02 00 0C 00 00 00 01 00 00 00 04",
	    1);
	assert_true(peer_sent(&sv, SSTP_MSG_CALL_CONNECT_NAK) >= 0);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_REQ);
}

static void
malformed_message_gets_abort_with_its_status(void **state)
{
	struct peer cl, sv;

	(void)state;
	connect_pair(&cl, &sv, 0);
	/* Echo Request carrying an attribute. */
	feed_hex(&sv, "10 01 00 0E 00 08 00 01 00 01 00 06 00 01", 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_ABORT_PENDING);
	assert_int_equal(sv.sent_status[peer_sent(&sv, SSTP_MSG_CALL_ABORT)],
	    SSTP_ATTRIB_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG);
	assert_int_equal(peer_event(&sv, SSTP_EV_LOWER_DOWN)->reason,
	    SSTP_E_ATTR_NOT_IN_MSG);
}

static void
out_of_state_message_gets_abort(void **state)
{
	struct peer cl, sv;

	(void)state;
	connect_pair(&cl, &sv, 0);
	/* A Call Connect Request in Call_Connected. */
	feed_hex(&sv, "10 01 00 0E 00 01 00 01 00 01 00 06 00 01", 1);
	pump(&cl, &sv, 1);
	assert_aborted_with(&sv, &cl, SSTP_E_UNEXPECTED_MSG,
	    SSTP_ATTRIB_STATUS_UNACCEPTED_FRAME_RECEIVED);
}

static void
call_connected_before_ack_is_out_of_state(void **state)
{
	struct peer sv, cl;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	deliver(&cl, &sv, 0);
	feed_hex(&sv,
	    "10010070000400010003006800000002"
	    "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
	    "1B65F68A522C858715F5DD951CD0402DC16691778814BF0759822B7A257421D0"
	    "E41335D0F4E63CACDA0835EB1416D624144CEDEFDC4B89F1F67D176C7AFC6809",
	    1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_ABORT_PENDING);
	assert_int_equal(
	    peer_event(&sv, SSTP_EV_LOWER_DOWN)->reason, SSTP_E_UNEXPECTED_MSG);
}

static void
unknown_message_type_ignored_when_connected_aborts_before(void **state)
{
	struct peer cl, sv;

	(void)state;
	connect_pair(&cl, &sv, 0);
	feed_hex(&sv, "10 01 00 08 00 0A 00 00", 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECTED);
	run_to_pending(&cl, &sv);
	feed_hex(&sv, "10 01 00 08 00 0A 00 00", 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_ABORT_PENDING);
	assert_int_equal(
	    peer_event(&sv, SSTP_EV_LOWER_DOWN)->reason, SSTP_E_MSG_TYPE);
}

static void
framing_errors_close_without_a_word(void **state)
{
	static const char *const bad[] = {
		"11 01 00 08 00 08 00 00", /* version 1.1 */
		"10 01 00 07 00 08 00 00", /* control length 7 */
		"10 00 00 02", /* data length 2 */
	};
	const struct peer_event *e;
	struct peer cl, sv;
	size_t i, before;

	(void)state;
	for (i = 0; i < 2 * ARRAY_LEN(bad); i++) {
		connect_pair(&cl, &sv, 0);
		/*
		 * The second round as in a tunnel: PPP, told the call is
		 * down, asks for a Call Disconnect; the stream is broken,
		 * so even that must not go out (spec/sstp.md 3.4).
		 */
		sv.disconnect_on_lower_down = i >= ARRAY_LEN(bad);
		before = sv.out_total;
		feed_hex(&sv, bad[i % ARRAY_LEN(bad)], 1);
		assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
		assert_int_equal(sv.out_total, before);
		assert_int_equal(peer_count(&sv, SSTP_EV_LOWER_DOWN), 1);
		assert_non_null(e = peer_event(&sv, SSTP_EV_CLOSED));
		assert_true(sstp_err_is_framing(e->reason));
		assert_false(e->has_status);
	}
}

/*
 * [timers] setup (the server's limit on the whole set-up): as the timer
 * of the phase would, at once: 408 in HTTP, Call Abort with
 * NEGOTIATION_TIMEOUT after it, connected or not; nothing once ending.
 */
static void
setup_timeout_ends_each_phase(void **state)
{
	static const char req[] =
	    "SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\r\nHost: x\r\n\r\n";
	const struct peer_event *e;
	struct peer cl, sv;
	int n;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	sstp_conn_setup_timeout(&sv.conn, 10);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
	assert_non_null(e = peer_event(&sv, SSTP_EV_CLOSED));
	assert_int_equal(e->http_status, 408);
	assert_memory_equal(sv.out, "HTTP/1.1 408", 12);

	/* The request in, the Call Connect Request awaited. */
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	sstp_conn_input(&sv.conn, (const uint8_t *)req, sizeof(req) - 1, 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_REQ);
	sstp_conn_setup_timeout(&sv.conn, 20);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_ABORT_PENDING);
	assert_true(peer_sent(&sv, SSTP_MSG_CALL_ABORT) >= 0);
	assert_int_equal(sv.sent_status[peer_sent(&sv, SSTP_MSG_CALL_ABORT)],
	    SSTP_ATTRIB_STATUS_NEGOTIATION_TIMEOUT);
	n = sv.nsent;
	sstp_conn_setup_timeout(&sv.conn, 30);
	assert_int_equal(sv.nsent, n);

	/* The call connected, but PPP (the owner's business) not up. */
	connect_pair(&cl, &sv, 0);
	sstp_conn_setup_timeout(&sv.conn, 40);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_ABORT_PENDING);
	assert_int_equal(sv.sent_status[peer_sent(&sv, SSTP_MSG_CALL_ABORT)],
	    SSTP_ATTRIB_STATUS_NEGOTIATION_TIMEOUT);
	assert_int_equal(peer_event(&sv, SSTP_EV_LOWER_DOWN)->reason,
	    SSTP_E_NEGOTIATION_TIMEOUT);
}

static void
framing_error_split_across_reads(void **state)
{
	struct peer cl, sv;

	(void)state;
	connect_pair(&cl, &sv, 0);
	feed_hex(&sv, "20", 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECTED);
	feed_hex(&sv, "01 00", 1);
	feed_hex(&sv, "08", 1);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CLOSED);
	assert_int_equal(
	    peer_event(&sv, SSTP_EV_CLOSED)->reason, SSTP_E_VERSION);
}

static void
api_calls_out_of_state_are_refused(void **state)
{
	struct peer cl, sv;

	(void)state;
	peer_config(&cl, SSTP_ROLE_CLIENT);
	peer_init(&cl);
	assert_int_equal(
	    sstp_conn_send_ppp(&cl.conn, lcp_frame, sizeof(lcp_frame)),
	    SSTP_E_STATE);
	assert_int_equal(
	    sstp_conn_auth_done(&cl.conn, test_hlak, 0), SSTP_E_STATE);
	assert_int_equal(sstp_conn_deadline(&cl.conn), SSTP_NO_DEADLINE);
	assert_int_equal(sstp_conn_start(&cl.conn, 0), SSTP_OK);
	assert_int_equal(sstp_conn_start(&cl.conn, 0), SSTP_E_STATE);
	connect_pair(&cl, &sv, 0);
	assert_int_equal(
	    sstp_conn_auth_done(&cl.conn, test_hlak, 0), SSTP_E_STATE);
	{
		static uint8_t big[SSTP_MAX_DATA + 1] = { 0xff, 0x03, 0x00,
			0x21 };

		assert_int_equal(sstp_conn_send_ppp(&cl.conn, big, sizeof(big)),
		    SSTP_E_FRAME_SIZE);
		assert_int_equal(
		    sstp_conn_send_ppp(&cl.conn, big, SSTP_MAX_DATA), SSTP_OK);
	}
	/* Disconnect before the HTTP handshake: nothing to say, close. */
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	drop_output(&cl);
	sstp_conn_disconnect(&cl.conn, 1);
	assert_int_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CLOSED);
	assert_int_equal(cl.out_len, 0);
	assert_string_equal(sstp_state_name(SSTP_STATE_CONNECTED), "connected");
}

static bool
all_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/*
 * Memory per idle call: the HTTP parser and the partial-packet buffer
 * (the scratch) exist only while needed.  None before the first byte,
 * none once connected; a packet cut in two takes one until it is whole.
 */
static void
scratch_only_while_needed(void **state)
{
	struct peer cl, sv;
	uint8_t pkt[SSTP_HDR_LEN + sizeof(ip_frame)];
	const struct peer_event *e;

	(void)state;
	peer_setup(&sv, SSTP_ROLE_SERVER, 0);
	peer_setup(&cl, SSTP_ROLE_CLIENT, 0);
	assert_null(sv.conn.scratch);
	assert_null(cl.conn.scratch);
	/* One byte of the request: the parser is made and kept. */
	sstp_conn_input(&sv.conn, cl.out, 1, 0);
	assert_non_null(sv.conn.scratch);
	sstp_conn_fini(&sv.conn);
	assert_null(sv.conn.scratch);
	connect_pair(&cl, &sv, 0);
	assert_null(sv.conn.scratch);
	assert_null(cl.conn.scratch);
	assert_int_equal(
	    sstp_conn_data_header(&cl.conn, sizeof(ip_frame), pkt), SSTP_OK);
	memcpy(pkt + SSTP_HDR_LEN, ip_frame, sizeof(ip_frame));
	/* All but one byte, then the last one. */
	sstp_conn_input(&sv.conn, pkt, sizeof(pkt) - 1, 1);
	assert_non_null(sv.conn.scratch);
	assert_int_equal(sv.conn.rx_len, sizeof(pkt) - 1);
	assert_null(peer_event(&sv, SSTP_EV_PPP_FRAME));
	sstp_conn_input(&sv.conn, pkt + sizeof(pkt) - 1, 1, 1);
	assert_non_null(e = peer_event(&sv, SSTP_EV_PPP_FRAME));
	assert_memory_equal(e->frame, ip_frame, sizeof(ip_frame));
	assert_null(sv.conn.scratch);
	/* A partial packet left at the end goes with sstp_conn_fini. */
	sstp_conn_input(&sv.conn, pkt, 3, 2);
	assert_non_null(sv.conn.scratch);
	sstp_conn_fini(&sv.conn);
	assert_null(sv.conn.scratch);
	assert_int_equal(sv.conn.rx_len, 0);
	sstp_conn_fini(&cl.conn);
}

/* sstp_conn_fini leaves no nonce, HLAK or Call Connected in the struct. */
static void
fini_wipes_binding_secrets(void **state)
{
	struct peer cl, sv;

	(void)state;
	/* The Call Connected came before the server's HLAK: kept. */
	run_to_pending(&cl, &sv);
	assert_int_equal(sstp_conn_auth_done(&cl.conn, test_hlak, 1), SSTP_OK);
	deliver(&cl, &sv, 1);
	assert_true(sv.conn.cc_pending);
	assert_false(all_zero(sv.conn.cc, sizeof(sv.conn.cc)));
	assert_false(all_zero(sv.conn.nonce, sizeof(sv.conn.nonce)));
	sstp_conn_fini(&sv.conn);
	sstp_conn_fini(&cl.conn);
	assert_true(all_zero(sv.conn.cc, sizeof(sv.conn.cc)));
	assert_true(all_zero(sv.conn.nonce, sizeof(sv.conn.nonce)));
	/* The server has the HLAK, the Call Connected not yet. */
	run_to_pending(&cl, &sv);
	assert_int_equal(sstp_conn_auth_done(&sv.conn, test_hlak, 1), SSTP_OK);
	assert_false(all_zero(sv.conn.hlak, sizeof(sv.conn.hlak)));
	sstp_conn_fini(&sv.conn);
	sstp_conn_fini(&cl.conn);
	assert_true(all_zero(sv.conn.hlak, sizeof(sv.conn.hlak)));
	assert_true(all_zero(sv.conn.nonce, sizeof(sv.conn.nonce)));
}

/*
 * The data path's header: refused outside a call and before the binding,
 * then the 4 bytes of a data packet whose frame the peer takes as sent.
 */
static void
data_header_by_state(void **state)
{
	struct peer cl, sv;
	uint8_t hdr[SSTP_HDR_LEN], pkt[SSTP_HDR_LEN + sizeof(ip_frame)];
	const struct peer_event *e;
	uint16_t plen = SSTP_HDR_LEN + sizeof(ip_frame);

	(void)state;
	peer_config(&cl, SSTP_ROLE_CLIENT);
	peer_init(&cl);
	memset(hdr, 0xee, sizeof(hdr));
	assert_int_equal(sstp_conn_data_header(&cl.conn, sizeof(ip_frame), hdr),
	    SSTP_E_STATE);
	assert_int_equal(hdr[0], 0xee);
	run_to_pending(&cl, &sv);
	assert_int_equal(sstp_conn_data_header(&cl.conn, sizeof(ip_frame), hdr),
	    SSTP_E_DATA_BLOCKED);
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECT_PENDING);
	assert_int_equal(sstp_conn_data_header(&sv.conn, sizeof(ip_frame), hdr),
	    SSTP_E_DATA_BLOCKED);
	assert_int_equal(hdr[0], 0xee);

	connect_pair(&cl, &sv, 0);
	assert_int_equal(
	    sstp_conn_data_header(&cl.conn, sizeof(ip_frame), hdr), SSTP_OK);
	assert_int_equal(hdr[0], 0x10);
	assert_int_equal(hdr[1], 0x00);
	assert_int_equal(hdr[2], plen >> 8);
	assert_int_equal(hdr[3], plen & 0xff);
	/* The server reads header + frame back as that frame. */
	memcpy(pkt, hdr, sizeof(hdr));
	memcpy(pkt + sizeof(hdr), ip_frame, sizeof(ip_frame));
	sstp_conn_input(&sv.conn, pkt, sizeof(pkt), 1);
	e = peer_event(&sv, SSTP_EV_PPP_FRAME);
	assert_non_null(e);
	assert_int_equal(e->len, sizeof(ip_frame));
	assert_memory_equal(e->frame, ip_frame, sizeof(ip_frame));
	assert_int_equal(sstp_conn_state(&sv.conn), SSTP_STATE_CONNECTED);

	/* The largest frame fits (length 0x0fff), one more does not. */
	assert_int_equal(
	    sstp_conn_data_header(&sv.conn, SSTP_MAX_DATA, hdr), SSTP_OK);
	assert_int_equal(hdr[2], 0x0f);
	assert_int_equal(hdr[3], 0xff);
	memset(hdr, 0xee, sizeof(hdr));
	assert_int_equal(
	    sstp_conn_data_header(&sv.conn, SSTP_MAX_DATA + 1, hdr),
	    SSTP_E_FRAME_SIZE);
	assert_int_equal(hdr[0], 0xee);

	/* Once the call is being torn down: outside a call again. */
	sstp_conn_disconnect(&cl.conn, 2);
	assert_int_not_equal(sstp_conn_state(&cl.conn), SSTP_STATE_CONNECTED);
	assert_int_equal(sstp_conn_data_header(&cl.conn, sizeof(ip_frame), hdr),
	    SSTP_E_STATE);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_call_connect_bind_echo_data_disconnect),
		cmocka_unit_test(server_disconnects_first),
		cmocka_unit_test(disconnect_collision_acks_both),
		cmocka_unit_test(disconnect_ack_lost_closes_after_timer_1),
		cmocka_unit_test(abort_from_client),
		cmocka_unit_test(
		    abort_from_server_unanswered_closes_after_timer_1),
		cmocka_unit_test(binding_wrong_nonce_aborts),
		cmocka_unit_test(binding_wrong_cert_hash_aborts),
		cmocka_unit_test(binding_wrong_cmac_aborts),
		cmocka_unit_test(binding_wrong_hlak_aborts),
		cmocka_unit_test(binding_unoffered_hash_aborts),
		cmocka_unit_test(binding_sha1_when_server_offers_sha1_only),
		cmocka_unit_test(
		    server_offering_no_known_hash_is_aborted_by_client),
		cmocka_unit_test(binding_not_verified_when_configured_off),
		cmocka_unit_test(missing_binding_times_out_on_server),
		cmocka_unit_test(client_times_out_waiting_for_auth),
		cmocka_unit_test(binding_twice_aborts),
		cmocka_unit_test(server_http_timeout_answers_408),
		cmocka_unit_test(server_refuses_bad_request_with_http_error),
		cmocka_unit_test(full_server_answers_503),
		cmocka_unit_test(client_http_timeout_and_error_status),
		cmocka_unit_test(server_times_out_without_call_connect_request),
		cmocka_unit_test(
		    client_retries_call_connect_request_then_aborts),
		cmocka_unit_test(server_naks_other_protocols_then_aborts),
		cmocka_unit_test(server_naks_request_with_error_status),
		cmocka_unit_test(malformed_message_gets_abort_with_its_status),
		cmocka_unit_test(out_of_state_message_gets_abort),
		cmocka_unit_test(call_connected_before_ack_is_out_of_state),
		cmocka_unit_test(
		    unknown_message_type_ignored_when_connected_aborts_before),
		cmocka_unit_test(framing_errors_close_without_a_word),
		cmocka_unit_test(framing_error_split_across_reads),
		cmocka_unit_test(setup_timeout_ends_each_phase),
		cmocka_unit_test(api_calls_out_of_state_are_refused),
		cmocka_unit_test(data_header_by_state),
		cmocka_unit_test(scratch_only_while_needed),
		cmocka_unit_test(fini_wipes_binding_secrets),
	};

	return test_run(argc, argv, "sstp_conn", tests, ARRAY_LEN(tests));
}

/*
 * The server's side of call establishment (MS-SSTP 3.3.1.1.1, spec/sstp.md
 * 3.2): HTTP request and response, Call Connect Request answered with Ack
 * or Nak, and the crypto binding verified (4.7) once both the Call
 * Connected message and the HLAK from PPP are there, in either order.
 */
#include <string.h>

#include "sstp/sstp_conn_local.h"

/* The parser is made with the first bytes (server_http_input). */
void
server_start(struct sstp_conn *c, uint64_t now)
{
	(void)c;
	(void)now;
}

/* The parser, in the scratch made at the first bytes: a connection that
 * never sends any costs none.  NULL when out of memory. */
static struct sstp_conn_scratch *
server_http_scratch(struct sstp_conn *c)
{
	struct sstp_conn_scratch *h = c->scratch;

	if (h == NULL && (h = conn_scratch(c)) != NULL) {
		sstp_http_request_parser_init(&h->http, &c->cfg.http);
		memset(&h->msg.req, 0, sizeof(h->msg.req));
	}
	return h;
}

/* Refuse the request with an HTTP error; it is the last data sent. */
static void
server_http_refuse(struct sstp_conn *c, enum sstp_err err)
{
	uint8_t buf[256];
	struct wr w;

	c->http_status = sstp_http_error_status(err);
	wr_init(&w, buf, sizeof(buf));
	if (sstp_http_error_build(&w, c->http_status) == SSTP_OK)
		conn_output(c, buf, wr_len(&w));
	conn_close(c, err);
}

void
server_http_timeout(struct sstp_conn *c)
{
	server_http_refuse(c, SSTP_E_HTTP_TIMEOUT);
}

void
server_http_input(struct sstp_conn *c, struct rd *r, uint64_t now)
{
	struct sstp_conn_scratch *h;
	uint8_t buf[256];
	enum sstp_err err;
	size_t used = 0;
	bool done = false;
	struct wr w;

	if ((h = server_http_scratch(c)) == NULL) {
		conn_close(c, SSTP_E_NOMEM);
		return;
	}
	err = sstp_http_request_parse(
	    &h->http, rd_ptr(r), rd_left(r), &used, &h->msg.req, &done);
	rd_skip(r, used);
	if (err != SSTP_OK) {
		server_http_refuse(c, err);
		return;
	}
	if (!done)
		return;
	if (c->cfg.unavailable) {
		server_http_refuse(c, SSTP_E_HTTP_UNAVAILABLE);
		return;
	}
	conn_emit_http_done(c);
	if (c->state != SSTP_STATE_HTTP)
		return; /* the event handler ended the call */
	wr_init(&w, buf, sizeof(buf));
	err = sstp_http_response_build(
	    &w, c->ops->wall_time != NULL ? c->ops->wall_time(c->arg) : 0);
	if (err != SSTP_OK) {
		conn_close(c, err);
		return;
	}
	conn_output(c, buf, wr_len(&w));
	c->state = SSTP_STATE_CONNECT_REQ;
	conn_set_timer(c, now, c->cfg.timers.negotiation_ms);
}

static void
server_send_ack(struct sstp_conn *c)
{
	uint8_t buf[SSTP_CTRL_HDR_LEN + SSTP_ATTR_LEN_BINDING_REQ];
	struct sstp_ctrl m;
	struct wr w;

	memset(&m, 0, sizeof(m));
	m.type = SSTP_MSG_CALL_CONNECT_ACK;
	m.binding_req.hash_bitmask = c->cfg.hash_bitmask;
	memcpy(m.binding_req.nonce, c->nonce, sizeof(c->nonce));
	wr_init(&w, buf, sizeof(buf));
	if (sstp_ctrl_encode(&w, &m) == SSTP_OK)
		conn_output(c, buf, wr_len(&w));
}

/*
 * MS-SSTP 3.3.1.1.1: a request is unacceptable if its protocol is not PPP
 * or it carries a non-zero Status Info.  It gets a Nak with one Status
 * Info naming the protocol attribute and its value (2.2.12: nothing
 * else), up to max_naks times; then Call Abort.
 */
static void
server_request(struct sstp_conn *c, const struct sstp_ctrl *m, uint64_t now)
{
	uint8_t value[2];

	if (m->protocol_id == SSTP_ENCAPSULATED_PROTOCOL_PPP &&
	    !(m->has_status &&
		m->status.status != SSTP_ATTRIB_STATUS_NO_ERROR)) {
		if (!conn_random(c, c->nonce, sizeof(c->nonce))) {
			conn_abort(c, SSTP_E_CRYPTO, 0, now);
			return;
		}
		server_send_ack(c);
		c->state = SSTP_STATE_CONNECT_PENDING;
		conn_set_timer(c, now, c->cfg.timers.negotiation_ms);
		conn_emit(c, SSTP_EV_LOWER_UP);
		return;
	}
	if (c->attempts >= c->cfg.max_naks) {
		conn_abort(c, SSTP_E_RETRY_COUNT, 0, now);
		return;
	}
	c->attempts++;
	value[0] = (uint8_t)(m->protocol_id >> 8);
	value[1] = (uint8_t)m->protocol_id;
	conn_send_status(c, SSTP_MSG_CALL_CONNECT_NAK,
	    SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID,
	    SSTP_ATTRIB_STATUS_VALUE_NOT_SUPPORTED, value, sizeof(value));
}

/* spec/sstp.md 4.7 step 6, then 7. */
static void
server_verify_mac(struct sstp_conn *c, const uint8_t *msg, uint64_t now)
{
	enum sstp_err err;

	if (c->cfg.verify_binding &&
	    (err = sstp_binding_verify_mac(msg, c->hlak)) != SSTP_OK) {
		conn_abort(c, err, SSTP_ATTRIB_CRYPTO_BINDING, now);
		return;
	}
	conn_enter_connected(c, now);
}

/* spec/sstp.md 4.7: check now what needs no HLAK; the MAC when known. */
static void
server_call_connected(struct sstp_conn *c, const struct sstp_ctrl *m,
    const uint8_t *pkt, size_t len, uint64_t now)
{
	enum sstp_err err;

	if (c->cc_pending || len != SSTP_CALL_CONNECTED_LEN) {
		conn_abort(c, SSTP_E_UNEXPECTED_MSG, 0, now);
		return;
	}
	if (c->cfg.verify_binding &&
	    (err = sstp_binding_check(&m->binding, c->cfg.hash_bitmask,
		 c->nonce, &c->cfg.cert)) != SSTP_OK) {
		conn_abort(c, err, SSTP_ATTRIB_CRYPTO_BINDING, now);
		return;
	}
	if (!c->hlak_known && c->cfg.verify_binding) {
		/* Trap 6: it overtook our PPP's auth result; wait for it. */
		memcpy(c->cc, pkt, len);
		c->cc_pending = true;
		return;
	}
	server_verify_mac(c, pkt, now);
}

void
server_ctrl(struct sstp_conn *c, const struct sstp_ctrl *m, const uint8_t *pkt,
    size_t len, uint64_t now)
{
	if (c->state == SSTP_STATE_CONNECT_REQ &&
	    m->type == SSTP_MSG_CALL_CONNECT_REQUEST)
		server_request(c, m, now);
	else if (c->state == SSTP_STATE_CONNECT_PENDING &&
	    m->type == SSTP_MSG_CALL_CONNECTED)
		server_call_connected(c, m, pkt, len, now);
	else
		conn_abort(c, SSTP_E_UNEXPECTED_MSG, 0, now);
}

enum sstp_err
server_auth_done(
    struct sstp_conn *c, const uint8_t hlak[SSTP_HLAK_LEN], uint64_t now)
{
	if (c->state == SSTP_STATE_CONNECTED)
		return SSTP_OK; /* binding not verified by configuration */
	if (c->state != SSTP_STATE_CONNECT_PENDING)
		return SSTP_E_STATE;
	memcpy(c->hlak, hlak, SSTP_HLAK_LEN);
	c->hlak_known = true;
	if (c->cc_pending)
		server_verify_mac(c, c->cc, now);
	return SSTP_OK;
}

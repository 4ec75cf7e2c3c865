/*
 * The client's side of call establishment (MS-SSTP 3.2.1.1.1, spec/sstp.md
 * 3.1): HTTP request and response, Call Connect Request with retries, the
 * Ack or Nak, and the crypto binding sent once PPP authentication is done.
 */
#include <string.h>

#include "sstp/sstp_conn_local.h"

static void
client_send_request(struct sstp_conn *c)
{
	struct sstp_ctrl m;
	uint8_t buf[SSTP_CTRL_HDR_LEN + SSTP_ATTR_LEN_PROTOCOL_ID];
	struct wr w;

	memset(&m, 0, sizeof(m));
	m.type = SSTP_MSG_CALL_CONNECT_REQUEST;
	m.protocol_id = SSTP_ENCAPSULATED_PROTOCOL_PPP;
	wr_init(&w, buf, sizeof(buf));
	if (sstp_ctrl_encode(&w, &m) == SSTP_OK)
		conn_output(c, buf, wr_len(&w));
}

void
client_start(struct sstp_conn *c, uint64_t now)
{
	uint8_t guid[SSTP_GUID_LEN];
	uint8_t buf[512 + SSTP_HTTP_HOST_MAX];
	enum sstp_err err;
	struct wr w;

	(void)now;
	if (!conn_random(c, guid, sizeof(guid))) {
		conn_close(c, SSTP_E_CRYPTO);
		return;
	}
	/* RFC 4122 version 4 GUID, as Windows sends (spec/sstp.md 1.2). */
	guid[6] = (uint8_t)((guid[6] & 0x0f) | 0x40);
	guid[8] = (uint8_t)((guid[8] & 0x3f) | 0x80);
	wr_init(&w, buf, sizeof(buf));
	if ((err = sstp_http_request_build(&w, c->host, guid)) != SSTP_OK) {
		conn_close(c, err);
		return;
	}
	conn_output(c, buf, wr_len(&w));
}

/* The parser, in the scratch made at the first bytes of the response.
 * NULL when out of memory. */
static struct sstp_conn_scratch *
client_http_scratch(struct sstp_conn *c)
{
	struct sstp_conn_scratch *h = c->scratch;

	if (h == NULL && (h = conn_scratch(c)) != NULL)
		sstp_http_response_parser_init(&h->http, &c->cfg.http);
	return h;
}

void
client_http_input(struct sstp_conn *c, struct rd *r, uint64_t now)
{
	struct sstp_conn_scratch *h;
	enum sstp_err err;
	size_t used = 0;
	bool done = false;

	if ((h = client_http_scratch(c)) == NULL) {
		conn_close(c, SSTP_E_NOMEM);
		return;
	}
	err = sstp_http_response_parse(
	    &h->http, rd_ptr(r), rd_left(r), &used, &h->msg.resp, &done);
	rd_skip(r, used);
	if (err != SSTP_OK) {
		conn_close(c, err);
		return;
	}
	if (!done)
		return;
	conn_emit_http_done(c);
	if (c->state != SSTP_STATE_HTTP)
		return; /* the event handler ended the call */
	/* spec/sstp.md 1.3: require 200, tolerate everything else. */
	if (h->msg.resp.status != 200) {
		c->http_status = h->msg.resp.status;
		conn_close(c, SSTP_E_HTTP_STATUS);
		return;
	}
	client_send_request(c);
	c->attempts = 1;
	c->state = SSTP_STATE_CONNECT_REQ;
	conn_set_timer(c, now, c->cfg.timers.negotiation_ms);
}

/* Negotiation timer in Connect_Request_Sent: resend, or give up. */
void
client_timeout(struct sstp_conn *c, uint64_t now)
{
	if (c->attempts >= c->cfg.connect_attempts) {
		conn_abort(c, SSTP_E_NEGOTIATION_TIMEOUT, 0, now);
		return;
	}
	client_send_request(c);
	c->attempts++;
	conn_set_timer(c, now, c->cfg.timers.negotiation_ms);
}

static void
client_ack(struct sstp_conn *c, const struct sstp_ctrl *m, uint64_t now)
{
	c->hash_proto = sstp_hash_choose(m->binding_req.hash_bitmask);
	if (c->hash_proto == 0) {
		/* Trap 16: no hash renegotiation exists; abort. */
		conn_abort(c, SSTP_E_HASH_BITMASK,
		    SSTP_ATTRIB_CRYPTO_BINDING_REQ, now);
		return;
	}
	memcpy(c->nonce, m->binding_req.nonce, sizeof(c->nonce));
	c->state = SSTP_STATE_CONNECT_PENDING;
	conn_set_timer(c, now, c->cfg.timers.negotiation_ms);
	conn_emit(c, SSTP_EV_LOWER_UP);
}

void
client_ctrl(struct sstp_conn *c, const struct sstp_ctrl *m, uint64_t now)
{
	if (c->state == SSTP_STATE_CONNECT_REQ &&
	    m->type == SSTP_MSG_CALL_CONNECT_ACK) {
		client_ack(c, m, now);
		return;
	}
	if (c->state == SSTP_STATE_CONNECT_REQ &&
	    m->type == SSTP_MSG_CALL_CONNECT_NAK) {
		/*
		 * spec/sstp.md 3.1, trap 16: the only negotiable value is
		 * the protocol, always PPP, so a Nak is fatal; abort with
		 * the status the server gave.
		 */
		conn_abort_status(c, SSTP_E_CONNECT_NAK, m->status.attrib_id,
		    m->status.status, now);
		return;
	}
	conn_abort(c, SSTP_E_UNEXPECTED_MSG, 0, now);
}

enum sstp_err
client_auth_done(
    struct sstp_conn *c, const uint8_t hlak[SSTP_HLAK_LEN], uint64_t now)
{
	uint8_t msg[SSTP_CALL_CONNECTED_LEN];
	enum sstp_err err;

	if (c->state != SSTP_STATE_CONNECT_PENDING)
		return SSTP_E_STATE;
	err = sstp_binding_build(
	    c->hash_proto, c->nonce, &c->cfg.cert, hlak, msg);
	if (err != SSTP_OK) {
		conn_abort(c, err, SSTP_ATTRIB_CRYPTO_BINDING, now);
		return err;
	}
	conn_output(c, msg, sizeof(msg));
	conn_enter_connected(c, now);
	return SSTP_OK;
}

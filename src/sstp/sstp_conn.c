#include "sstp/sstp_conn.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sstp/sstp_conn_local.h"

void
sstp_conn_config_default(struct sstp_conn_config *cfg, enum sstp_role role)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = role;
	cfg->timers.http_ms = 60000;
	cfg->timers.negotiation_ms = 60000;
	cfg->timers.hello_ms = 60000;
	cfg->timers.abort1_ms = 3000;
	cfg->timers.abort2_ms = 1000;
	cfg->timers.disconnect1_ms = 5000;
	cfg->timers.disconnect2_ms = 1000;
	sstp_http_limits_default(&cfg->http);
	cfg->connect_attempts = 3;
	/* spec/sstp.md 4.2: SHA256 only is recommended (SoftEther too). */
	cfg->hash_bitmask = SSTP_CERT_HASH_PROTOCOL_SHA256;
	cfg->max_naks = 3;
	cfg->verify_binding = true;
}

void
sstp_conn_init(struct sstp_conn *c, const struct sstp_conn_config *cfg,
    const struct sstp_conn_ops *ops, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->ops = ops;
	c->arg = arg;
	c->state = SSTP_STATE_INIT;
	c->deadline = SSTP_NO_DEADLINE;
	if (cfg->host != NULL)
		snprintf(c->host, sizeof(c->host), "%s", cfg->host);
	c->cfg.host = c->host;
}

static void
conn_forget_secrets(struct sstp_conn *c)
{
	OPENSSL_cleanse(c->nonce, sizeof(c->nonce));
	OPENSSL_cleanse(c->hlak, sizeof(c->hlak));
	OPENSSL_cleanse(c->cc, sizeof(c->cc));
}

struct sstp_conn_scratch *
conn_scratch(struct sstp_conn *c)
{
	if (c->scratch == NULL)
		c->scratch = calloc(1, sizeof(*c->scratch));
	return c->scratch;
}

static void
conn_scratch_free(struct sstp_conn *c)
{
	if (c->scratch == NULL)
		return;
	OPENSSL_cleanse(c->scratch, sizeof(*c->scratch));
	free(c->scratch);
	c->scratch = NULL;
}

void
sstp_conn_fini(struct sstp_conn *c)
{
	conn_forget_secrets(c);
	conn_scratch_free(c);
	c->rx_len = 0;
}

enum sstp_state
sstp_conn_state(const struct sstp_conn *c)
{
	return c->state;
}

uint64_t
sstp_conn_deadline(const struct sstp_conn *c)
{
	return c->deadline;
}

const char *
sstp_state_name(enum sstp_state state)
{
	static const char *const names[] = {
		[SSTP_STATE_INIT] = "init",
		[SSTP_STATE_HTTP] = "http",
		[SSTP_STATE_CONNECT_REQ] = "connect-request",
		[SSTP_STATE_CONNECT_PENDING] = "connect-pending",
		[SSTP_STATE_CONNECTED] = "connected",
		[SSTP_STATE_ABORT_PENDING] = "abort-pending",
		[SSTP_STATE_ABORT_TIMEOUT] = "abort-timeout",
		[SSTP_STATE_DISCONNECT_ACK_PENDING] = "disconnect-ack-pending",
		[SSTP_STATE_DISCONNECT_TIMEOUT] = "disconnect-timeout",
		[SSTP_STATE_CLOSED] = "closed",
	};

	if ((unsigned)state < sizeof(names) / sizeof(names[0]))
		return names[state];
	return "unknown";
}

void
conn_emit(struct sstp_conn *c, enum sstp_event_type type)
{
	struct sstp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.reason = c->reason;
	ev.has_status = c->has_status;
	ev.status = c->status;
	ev.http_status = c->http_status;
	c->ops->event(c->arg, &ev);
}

void
conn_emit_http_done(struct sstp_conn *c)
{
	struct sstp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = SSTP_EV_HTTP_DONE;
	if (c->cfg.role == SSTP_ROLE_CLIENT) {
		ev.response = &c->scratch->msg.resp;
		ev.http_status = c->scratch->msg.resp.status;
	} else {
		ev.request = &c->scratch->msg.req;
	}
	c->ops->event(c->arg, &ev);
}

void
conn_output(struct sstp_conn *c, const uint8_t *buf, size_t len)
{
	c->ops->output(c->arg, buf, len);
}

bool
conn_random(struct sstp_conn *c, uint8_t *buf, size_t len)
{
	if (c->ops->random != NULL)
		return c->ops->random(c->arg, buf, len);
	return RAND_bytes(buf, (int)len) == 1;
}

void
conn_send_empty(struct sstp_conn *c, uint16_t type)
{
	uint8_t buf[SSTP_CTRL_HDR_LEN];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	if (sstp_ctrl_encode_empty(&w, type) == SSTP_OK)
		conn_output(c, buf, wr_len(&w));
}

void
conn_send_status(struct sstp_conn *c, uint16_t type, uint8_t attrib,
    uint32_t status, const uint8_t *value, size_t value_len)
{
	struct sstp_status_info si = { attrib, status, value, value_len };
	uint8_t buf[SSTP_CTRL_HDR_LEN + SSTP_ATTR_LEN_STATUS_MIN +
	    SSTP_STATUS_VALUE_MAX];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	if (sstp_ctrl_encode_status(&w, type, &si) == SSTP_OK)
		conn_output(c, buf, wr_len(&w));
}

void
conn_set_timer(struct sstp_conn *c, uint64_t now, uint32_t ms)
{
	c->deadline = now + ms;
}

/* Record why the call ends and tell PPP, once. */
static void
conn_lower_down(
    struct sstp_conn *c, enum sstp_err reason, bool has_status, uint32_t status)
{
	if (c->lower_down)
		return;
	c->lower_down = true;
	c->reason = reason;
	c->has_status = has_status;
	c->status = status;
	conn_emit(c, SSTP_EV_LOWER_DOWN);
}

void
conn_close(struct sstp_conn *c, enum sstp_err reason)
{
	if (c->state == SSTP_STATE_CLOSED)
		return;
	/*
	 * Closed before PPP hears of it: nothing may go out now (3.4: a
	 * broken stream closes without a word), not even the Call
	 * Disconnect a PPP going down asks for.
	 */
	c->state = SSTP_STATE_CLOSED;
	c->deadline = SSTP_NO_DEADLINE;
	c->rx_len = 0;
	conn_lower_down(c, reason, false, 0);
	/* Not the scratch: a packet in it may still be being handled. */
	conn_forget_secrets(c);
	conn_emit(c, SSTP_EV_CLOSED);
}

/* States in which a call is alive: anything else is ending or ended. */
static bool
conn_alive(const struct sstp_conn *c)
{
	return c->state >= SSTP_STATE_HTTP && c->state <= SSTP_STATE_CONNECTED;
}

/* Before the HTTP handshake is done there is no SSTP to speak. */
static bool
conn_has_sstp(const struct sstp_conn *c)
{
	return c->state >= SSTP_STATE_CONNECT_REQ &&
	    c->state <= SSTP_STATE_CONNECTED;
}

void
conn_abort_status(struct sstp_conn *c, enum sstp_err reason, uint8_t attrib,
    uint32_t status, uint64_t now)
{
	if (!conn_alive(c))
		return;
	if (!conn_has_sstp(c)) {
		conn_close(c, reason);
		return;
	}
	conn_send_status(c, SSTP_MSG_CALL_ABORT, attrib, status, NULL, 0);
	c->state = SSTP_STATE_ABORT_PENDING;
	conn_set_timer(c, now, c->cfg.timers.abort1_ms);
	conn_lower_down(c, reason, true, status);
}

void
conn_abort(
    struct sstp_conn *c, enum sstp_err reason, uint8_t attrib, uint64_t now)
{
	conn_abort_status(c, reason, attrib, sstp_err_status(reason), now);
}

void
sstp_conn_abort(struct sstp_conn *c, enum sstp_err reason, uint64_t now)
{
	conn_abort(c, reason, 0, now);
}

/* The HTTP phase ran out of time: 408 from a server (spec/sstp.md 1.3). */
static void
conn_http_timeout(struct sstp_conn *c)
{
	if (c->cfg.role == SSTP_ROLE_SERVER)
		server_http_timeout(c);
	else
		conn_close(c, SSTP_E_HTTP_TIMEOUT);
}

void
sstp_conn_setup_timeout(struct sstp_conn *c, uint64_t now)
{
	if (c->state == SSTP_STATE_HTTP)
		conn_http_timeout(c);
	else
		conn_abort(c, SSTP_E_NEGOTIATION_TIMEOUT, 0, now);
}

void
sstp_conn_disconnect(struct sstp_conn *c, uint64_t now)
{
	if (!conn_alive(c))
		return;
	if (!conn_has_sstp(c)) {
		conn_close(c, SSTP_E_LOCAL_DISCONNECT);
		return;
	}
	/* Trap 9: with a Status Info, or sstp-client will not Ack it. */
	conn_send_status(c, SSTP_MSG_CALL_DISCONNECT, SSTP_ATTRIB_NO_ERROR,
	    SSTP_ATTRIB_STATUS_NO_ERROR, NULL, 0);
	c->state = SSTP_STATE_DISCONNECT_ACK_PENDING;
	conn_set_timer(c, now, c->cfg.timers.disconnect1_ms);
	conn_lower_down(
	    c, SSTP_E_LOCAL_DISCONNECT, true, SSTP_ATTRIB_STATUS_NO_ERROR);
}

void
conn_enter_connected(struct sstp_conn *c, uint64_t now)
{
	c->state = SSTP_STATE_CONNECTED;
	c->echo_sent = false;
	conn_set_timer(c, now, c->cfg.timers.hello_ms);
	/* spec/sstp.md 4.7 step 7: the nonce and HLAK are done with. */
	conn_forget_secrets(c);
	c->cc_pending = false;
	c->hlak_known = false;
	conn_emit(c, SSTP_EV_CONNECTED);
}

enum sstp_err
sstp_conn_start(struct sstp_conn *c, uint64_t now)
{
	if (c->state != SSTP_STATE_INIT)
		return SSTP_E_STATE;
	c->state = SSTP_STATE_HTTP;
	conn_set_timer(c, now, c->cfg.timers.http_ms);
	if (c->cfg.role == SSTP_ROLE_CLIENT)
		client_start(c, now);
	else
		server_start(c, now);
	return c->state == SSTP_STATE_CLOSED ? c->reason : SSTP_OK;
}

enum sstp_err
sstp_conn_auth_done(
    struct sstp_conn *c, const uint8_t hlak[SSTP_HLAK_LEN], uint64_t now)
{
	if (c->cfg.role == SSTP_ROLE_CLIENT)
		return client_auth_done(c, hlak, now);
	return server_auth_done(c, hlak, now);
}

/*
 * spec/sstp.md trap 7 and 14: is this PPP frame a control protocol (LCP,
 * authentication, NCP: 0x8000 and up, RFC 1661 2) that may pass before the
 * call is connected?  Frames normally start FF 03 and a 2-byte protocol;
 * be liberal and accept ACFC (no FF 03) and PFC (an odd first byte is a
 * 1-byte protocol, always a data protocol).
 */
static bool
ppp_is_control(const uint8_t *frame, size_t len)
{
	size_t off = 0;

	if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03)
		off = 2;
	if (len - off < 2 || (frame[off] & 0x01) != 0)
		return false;
	return frame[off] >= 0x80;
}

static void
conn_data(struct sstp_conn *c, const uint8_t *frame, size_t len)
{
	struct sstp_event ev;

	/* spec/sstp.md 2.2: empty data packets are legal and ignored. */
	if (len == 0)
		return;
	if (c->state != SSTP_STATE_CONNECTED &&
	    !(c->state == SSTP_STATE_CONNECT_PENDING &&
		ppp_is_control(frame, len)))
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = SSTP_EV_PPP_FRAME;
	ev.frame = frame;
	ev.len = len;
	c->ops->event(c->arg, &ev);
}

/* The peer aborts: answer with our own Abort, linger 1 s (3.1.1.1). */
static void
conn_peer_abort(struct sstp_conn *c, const struct sstp_ctrl *m, uint64_t now)
{
	conn_send_status(c, SSTP_MSG_CALL_ABORT, SSTP_ATTRIB_NO_ERROR,
	    SSTP_ATTRIB_STATUS_NO_ERROR, NULL, 0);
	c->state = SSTP_STATE_ABORT_TIMEOUT;
	conn_set_timer(c, now, c->cfg.timers.abort2_ms);
	conn_lower_down(c, SSTP_E_PEER_ABORT, m->has_status, m->status.status);
}

/* The peer disconnects: Ack, linger 1 s so the Ack gets out (3.1.1.1). */
static void
conn_peer_disconnect(
    struct sstp_conn *c, const struct sstp_ctrl *m, uint64_t now)
{
	conn_send_empty(c, SSTP_MSG_CALL_DISCONNECT_ACK);
	c->state = SSTP_STATE_DISCONNECT_TIMEOUT;
	conn_set_timer(c, now, c->cfg.timers.disconnect2_ms);
	conn_lower_down(
	    c, SSTP_E_PEER_DISCONNECT, m->has_status, m->status.status);
}

/* A control message while we wait for the end of an Abort/Disconnect. */
static void
conn_ctrl_ending(struct sstp_conn *c, enum sstp_err err,
    const struct sstp_ctrl *m, uint64_t now)
{
	if (err != SSTP_OK)
		return;
	if (c->state == SSTP_STATE_ABORT_PENDING &&
	    m->type == SSTP_MSG_CALL_ABORT) {
		c->state = SSTP_STATE_ABORT_TIMEOUT;
		conn_set_timer(c, now, c->cfg.timers.abort2_ms);
	} else if (c->state == SSTP_STATE_DISCONNECT_ACK_PENDING &&
	    m->type == SSTP_MSG_CALL_DISCONNECT_ACK) {
		conn_close(c, c->reason);
	} else if (c->state == SSTP_STATE_DISCONNECT_ACK_PENDING &&
	    m->type == SSTP_MSG_CALL_DISCONNECT) {
		/* Both sides disconnected at once: Ack theirs too. */
		conn_send_empty(c, SSTP_MSG_CALL_DISCONNECT_ACK);
		c->state = SSTP_STATE_DISCONNECT_TIMEOUT;
		conn_set_timer(c, now, c->cfg.timers.disconnect2_ms);
	}
}

static void
conn_ctrl(struct sstp_conn *c, const uint8_t *pkt, size_t len, uint64_t now)
{
	struct sstp_ctrl m;
	enum sstp_err err;

	err = sstp_ctrl_decode(pkt, len, &m);
	if (!conn_alive(c)) {
		conn_ctrl_ending(c, err, &m, now);
		return;
	}
	if (err == SSTP_E_MSG_TYPE && c->state == SSTP_STATE_CONNECTED)
		return; /* spec/sstp.md 3.4: ignore unknown types when up */
	if (err != SSTP_OK) {
		conn_abort(c, err, m.err_attrib, now);
		return;
	}
	switch (m.type) {
	case SSTP_MSG_CALL_ABORT:
		conn_peer_abort(c, &m, now);
		break;
	case SSTP_MSG_CALL_DISCONNECT:
		conn_peer_disconnect(c, &m, now);
		break;
	case SSTP_MSG_ECHO_REQUEST:
		/*
		 * Answered in every state: the spec would abort before Call
		 * Connected, answering is harmless (spec/sstp.md 3.2).
		 */
		conn_send_empty(c, SSTP_MSG_ECHO_RESPONSE);
		break;
	case SSTP_MSG_ECHO_RESPONSE:
	case SSTP_MSG_CALL_DISCONNECT_ACK:
		break; /* liveness only; a stray Ack changes nothing */
	default:
		if (c->cfg.role == SSTP_ROLE_CLIENT)
			client_ctrl(c, &m, now);
		else
			server_ctrl(c, &m, pkt, len, now);
		break;
	}
}

/* One whole packet, pkt[0..hdr->len). */
static void
conn_packet(struct sstp_conn *c, const struct sstp_hdr *h, const uint8_t *pkt,
    uint64_t now)
{
	/* spec/sstp.md 3.6: every received packet restarts the hello timer. */
	if (c->state == SSTP_STATE_CONNECTED) {
		c->echo_sent = false;
		conn_set_timer(c, now, c->cfg.timers.hello_ms);
	}
	if (h->control)
		conn_ctrl(c, pkt, h->len, now);
	else if (conn_alive(c))
		conn_data(c, pkt + SSTP_HDR_LEN, h->len - SSTP_HDR_LEN);
}

/*
 * Frame SSTP packets out of the stream (trap 11: packets span reads and
 * one read holds many).  Whole packets are handled in place; only a
 * packet cut by the end of the input is copied, into rx.
 */
static void
conn_frames_input(struct sstp_conn *c, struct rd *r, uint64_t now)
{
	struct sstp_conn_scratch *rx;
	struct sstp_hdr h;
	struct rd hr;
	enum sstp_err err;
	const uint8_t *p;
	size_t need, take;

	if (c->rx_len == 0) {
		hr = *r;
		err = sstp_hdr_decode(&hr, &h);
		if (err == SSTP_OK && rd_left(r) >= h.len) {
			rd_view(r, h.len, &p);
			conn_packet(c, &h, p, now);
			return;
		}
		if (err != SSTP_OK && err != SSTP_E_SHORT) {
			conn_close(c, err); /* 3.1.5.1: silently */
			return;
		}
	}
	/* A partial packet: first its header, then the rest. */
	if ((rx = conn_scratch(c)) == NULL) {
		conn_close(c, SSTP_E_NOMEM);
		return;
	}
	need = SSTP_HDR_LEN;
	if (c->rx_len >= SSTP_HDR_LEN) {
		rd_init(&hr, rx->rx, c->rx_len);
		sstp_hdr_decode(&hr, &h);
		need = h.len;
	}
	take = need - c->rx_len;
	if (take > rd_left(r))
		take = rd_left(r);
	rd_bytes(r, rx->rx + c->rx_len, take);
	c->rx_len += take;
	if (c->rx_len == SSTP_HDR_LEN) {
		rd_init(&hr, rx->rx, c->rx_len);
		if ((err = sstp_hdr_decode(&hr, &h)) != SSTP_OK) {
			conn_close(c, err);
			return;
		}
		need = h.len;
	}
	if (c->rx_len < need)
		return;
	c->rx_len = 0;
	conn_packet(c, &h, rx->rx, now);
}

static void
conn_input(struct sstp_conn *c, struct rd *r, uint64_t now)
{
	while (!rd_empty(r)) {
		switch (c->state) {
		case SSTP_STATE_HTTP:
			if (c->cfg.role == SSTP_ROLE_CLIENT)
				client_http_input(c, r, now);
			else
				server_http_input(c, r, now);
			break;
		case SSTP_STATE_CONNECT_REQ:
		case SSTP_STATE_CONNECT_PENDING:
		case SSTP_STATE_CONNECTED:
		case SSTP_STATE_ABORT_PENDING:
		case SSTP_STATE_DISCONNECT_ACK_PENDING:
			conn_frames_input(c, r, now);
			break;
		default:
			/* Not started, lingering or closed: ignore it all. */
			return;
		}
	}
}

/* Past the HTTP phase with no partial packet: the scratch can go. */
static void
conn_scratch_trim(struct sstp_conn *c)
{
	if (c->state != SSTP_STATE_HTTP && c->rx_len == 0)
		conn_scratch_free(c);
}

void
sstp_conn_input(
    struct sstp_conn *c, const uint8_t *data, size_t len, uint64_t now)
{
	struct rd r;

	rd_init(&r, data, len);
	conn_input(c, &r, now);
	conn_scratch_trim(c);
}

void
sstp_conn_tick(struct sstp_conn *c, uint64_t now)
{
	if (now < c->deadline)
		return;
	switch (c->state) {
	case SSTP_STATE_HTTP:
		conn_http_timeout(c);
		break;
	case SSTP_STATE_CONNECT_REQ:
		if (c->cfg.role == SSTP_ROLE_CLIENT) {
			client_timeout(c, now);
			break;
		}
		conn_abort(c, SSTP_E_NEGOTIATION_TIMEOUT, 0, now);
		break;
	case SSTP_STATE_CONNECT_PENDING:
		conn_abort(c, SSTP_E_NEGOTIATION_TIMEOUT, 0, now);
		break;
	case SSTP_STATE_CONNECTED:
		/* Trap 17: a silent peer is dropped without a Call Abort. */
		if (c->echo_sent) {
			conn_close(c, SSTP_E_HELLO_TIMEOUT);
			break;
		}
		conn_send_empty(c, SSTP_MSG_ECHO_REQUEST);
		c->echo_sent = true;
		conn_set_timer(c, now, c->cfg.timers.hello_ms);
		break;
	case SSTP_STATE_ABORT_PENDING:
	case SSTP_STATE_ABORT_TIMEOUT:
	case SSTP_STATE_DISCONNECT_ACK_PENDING:
	case SSTP_STATE_DISCONNECT_TIMEOUT:
		conn_close(c, c->reason);
		break;
	default:
		c->deadline = SSTP_NO_DEADLINE;
		break;
	}
	conn_scratch_trim(c);
}

enum sstp_err
sstp_conn_send_ppp(struct sstp_conn *c, const uint8_t *frame, size_t len)
{
	uint8_t hdr[SSTP_HDR_LEN];
	struct wr w;

	if (c->state != SSTP_STATE_CONNECTED &&
	    c->state != SSTP_STATE_CONNECT_PENDING)
		return SSTP_E_STATE;
	if (len > SSTP_MAX_DATA)
		return SSTP_E_FRAME_SIZE;
	if (c->state == SSTP_STATE_CONNECT_PENDING &&
	    !ppp_is_control(frame, len))
		return SSTP_E_DATA_BLOCKED;
	/* Header and frame as two writes: the frame is not copied here. */
	wr_init(&w, hdr, sizeof(hdr));
	wr_u8(&w, SSTP_VERSION);
	wr_u8(&w, 0x00);
	wr_u16(&w, (uint16_t)(len + SSTP_HDR_LEN));
	conn_output(c, hdr, sizeof(hdr));
	conn_output(c, frame, len);
	return SSTP_OK;
}

enum sstp_err
sstp_conn_data_header(
    struct sstp_conn *c, size_t len, uint8_t hdr[SSTP_HDR_LEN])
{
	struct wr w;

	if (c->state == SSTP_STATE_CONNECT_PENDING)
		return SSTP_E_DATA_BLOCKED;
	if (c->state != SSTP_STATE_CONNECTED)
		return SSTP_E_STATE;
	if (len > SSTP_MAX_DATA)
		return SSTP_E_FRAME_SIZE;
	wr_init(&w, hdr, SSTP_HDR_LEN);
	wr_u8(&w, SSTP_VERSION);
	wr_u8(&w, 0x00);
	wr_u16(&w, (uint16_t)(len + SSTP_HDR_LEN));
	return SSTP_OK;
}

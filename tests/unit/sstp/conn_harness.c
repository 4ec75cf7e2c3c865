#include "conn_harness.h"

#include <stdlib.h>
#include <string.h>

#include "test_run.h"

/* The stand-in certificate of spec/sstp.md 4.9. */
const uint8_t test_cert_der[5] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
/* spec/sstp.md 4.9: HLAK = K2 || K3 of the RFC 3079 sample. */
const uint8_t test_hlak[SSTP_HLAK_LEN] = {
	0xd5,
	0xf0,
	0xe9,
	0x52,
	0x1e,
	0x3e,
	0xa9,
	0x58,
	0x96,
	0x45,
	0xe8,
	0x60,
	0x51,
	0xc8,
	0x22,
	0x26,
	0x8b,
	0x7c,
	0xdc,
	0x14,
	0x9b,
	0x99,
	0x3a,
	0x1b,
	0xa1,
	0x18,
	0xcb,
	0x15,
	0x3f,
	0x56,
	0xdc,
	0xcb,
};

static void
on_output(void *arg, const uint8_t *buf, size_t len)
{
	struct peer *p = arg;
	struct sstp_ctrl m;

	assert_true(len <= sizeof(p->out) - p->out_len);
	memcpy(p->out + p->out_len, buf, len);
	p->out_len += len;
	p->out_total += len;
	/* Control messages are always written whole, in one call. */
	if (len >= SSTP_CTRL_HDR_LEN && buf[0] == SSTP_VERSION &&
	    buf[1] == 0x01 && p->nsent < PEER_MAX_SENT) {
		assert_int_equal(sstp_ctrl_decode(buf, len, &m), SSTP_OK);
		p->sent_type[p->nsent] = m.type;
		p->sent_nattrs[p->nsent] = m.num_attrs;
		p->sent_status[p->nsent] =
		    m.has_status ? m.status.status : ~(uint32_t)0;
		p->nsent++;
	}
}

static void
on_event(void *arg, const struct sstp_event *ev)
{
	struct peer *p = arg;
	struct peer_event *e;

	assert_true(p->nev < PEER_MAX_EVENTS);
	e = &p->ev[p->nev++];
	memset(e, 0, sizeof(*e));
	e->type = ev->type;
	e->reason = ev->reason;
	e->has_status = ev->has_status;
	e->status = ev->status;
	e->http_status = ev->http_status;
	if (ev->type == SSTP_EV_PPP_FRAME) {
		e->len = ev->len;
		memcpy(e->frame, ev->frame,
		    ev->len < sizeof(e->frame) ? ev->len : sizeof(e->frame));
		if (p->frame_echo)
			sstp_conn_send_ppp(&p->conn, ev->frame, ev->len);
	}
	if (ev->type == SSTP_EV_LOWER_DOWN && p->disconnect_on_lower_down)
		sstp_conn_disconnect(&p->conn, 0);
}

/* xorshift64: deterministic "random" bytes for reproducible runs. */
static bool
on_random(void *arg, uint8_t *buf, size_t len)
{
	struct peer *p = arg;
	size_t i;

	if (p->fixed_random != NULL) {
		memcpy(buf, p->fixed_random, len);
		return true;
	}
	for (i = 0; i < len; i++) {
		p->rng ^= p->rng << 13;
		p->rng ^= p->rng >> 7;
		p->rng ^= p->rng << 17;
		buf[i] = (uint8_t)p->rng;
	}
	return true;
}

static time_t
on_wall_time(void *arg)
{
	(void)arg;
	return 1795575276; /* Wed, 25 Nov 2026 02:54:36 GMT */
}

static const struct sstp_conn_ops test_ops = {
	.output = on_output,
	.event = on_event,
	.random = on_random,
	.wall_time = on_wall_time,
};

void
peer_config(struct peer *p, enum sstp_role role)
{
	memset(p, 0, sizeof(*p));
	p->rng = role == SSTP_ROLE_CLIENT ? 0x1234567 : 0x7654321;
	sstp_conn_config_default(&p->cfg, role);
	p->cfg.timers.http_ms = 600;
	p->cfg.timers.negotiation_ms = 600;
	p->cfg.timers.hello_ms = 600;
	p->cfg.timers.abort1_ms = 30;
	p->cfg.timers.abort2_ms = 10;
	p->cfg.timers.disconnect1_ms = 50;
	p->cfg.timers.disconnect2_ms = 10;
	p->cfg.host = "vpn.example.test";
	assert_int_equal(sstp_cert_hashes_compute(test_cert_der,
			     sizeof(test_cert_der), &p->cfg.cert),
	    SSTP_OK);
}

void
peer_init(struct peer *p)
{
	sstp_conn_init(&p->conn, &p->cfg, &test_ops, p);
}

void
peer_setup(struct peer *p, enum sstp_role role, uint64_t now)
{
	peer_config(p, role);
	peer_init(p);
	assert_int_equal(sstp_conn_start(&p->conn, now), SSTP_OK);
}

void
deliver(struct peer *a, struct peer *b, uint64_t now)
{
	static uint8_t tmp[1 << 16];
	size_t n = a->out_len;

	memcpy(tmp, a->out, n);
	a->out_len = 0;
	sstp_conn_input(&b->conn, tmp, n, now);
}

void
pump(struct peer *a, struct peer *b, uint64_t now)
{
	int rounds = 0;

	while (a->out_len > 0 || b->out_len > 0) {
		assert_true(++rounds < 100);
		deliver(a, b, now);
		deliver(b, a, now);
	}
}

void
drop_output(struct peer *p)
{
	p->out_len = 0;
}

void
tick_both(struct peer *a, struct peer *b, uint64_t now)
{
	sstp_conn_tick(&a->conn, now);
	sstp_conn_tick(&b->conn, now);
	pump(a, b, now);
}

const struct peer_event *
peer_event(const struct peer *p, enum sstp_event_type type)
{
	int i;

	for (i = p->nev - 1; i >= 0; i--)
		if (p->ev[i].type == type)
			return &p->ev[i];
	return NULL;
}

int
peer_count(const struct peer *p, enum sstp_event_type type)
{
	int i, n = 0;

	for (i = 0; i < p->nev; i++)
		n += p->ev[i].type == type;
	return n;
}

int
peer_sent(const struct peer *p, uint16_t type)
{
	int i;

	for (i = p->nsent - 1; i >= 0; i--)
		if (p->sent_type[i] == type)
			return i;
	return -1;
}

void
connect_pair(struct peer *cl, struct peer *sv, uint64_t now)
{
	peer_setup(sv, SSTP_ROLE_SERVER, now);
	peer_setup(cl, SSTP_ROLE_CLIENT, now);
	pump(cl, sv, now);
	assert_int_equal(
	    sstp_conn_state(&cl->conn), SSTP_STATE_CONNECT_PENDING);
	assert_int_equal(
	    sstp_conn_state(&sv->conn), SSTP_STATE_CONNECT_PENDING);
	assert_int_equal(
	    sstp_conn_auth_done(&sv->conn, test_hlak, now), SSTP_OK);
	assert_int_equal(
	    sstp_conn_auth_done(&cl->conn, test_hlak, now), SSTP_OK);
	pump(cl, sv, now);
	assert_int_equal(sstp_conn_state(&cl->conn), SSTP_STATE_CONNECTED);
	assert_int_equal(sstp_conn_state(&sv->conn), SSTP_STATE_CONNECTED);
}

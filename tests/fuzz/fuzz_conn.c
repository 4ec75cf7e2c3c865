#include "fuzz_conn.h"

#include <stdlib.h>
#include <string.h>

struct fuzz_state {
	struct sstp_conn conn;
	int lower_up, connected, lower_down, closed;
	size_t out_after_close;
};

static const uint8_t fixed_nonce[SSTP_NONCE_LEN] = { 0x5a, 0x11 };
static const uint8_t cert_der[5] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
static const uint8_t zero_hlak[SSTP_HLAK_LEN];

static const char http_request[] =
    "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ "
    "HTTP/1.1\r\nHost: fuzz\r\nContent-Length: 18446744073709551615\r\n"
    "SSTPCORRELATIONID: {0}\r\n\r\n"
    "\x10\x01\x00\x0e\x00\x01\x00\x01\x00\x01\x00\x06\x00\x01";
static const char http_response[] =
    "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n";

static void
on_output(void *arg, const uint8_t *buf, size_t len)
{
	struct fuzz_state *f = arg;

	(void)buf;
	if (f->closed)
		f->out_after_close += len;
}

static void
on_event(void *arg, const struct sstp_event *ev)
{
	struct fuzz_state *f = arg;

	switch (ev->type) {
	case SSTP_EV_LOWER_UP:
		f->lower_up++;
		break;
	case SSTP_EV_CONNECTED:
		f->connected++;
		break;
	case SSTP_EV_LOWER_DOWN:
		f->lower_down++;
		break;
	case SSTP_EV_CLOSED:
		f->closed++;
		break;
	case SSTP_EV_PPP_FRAME:
		if (ev->len == 0 || ev->len > SSTP_MAX_DATA)
			abort();
		/* Answer like PPP would: exercise output while parsing. */
		sstp_conn_send_ppp(&f->conn, ev->frame, ev->len);
		break;
	default:
		break;
	}
}

static bool
on_random(void *arg, uint8_t *buf, size_t len)
{
	(void)arg;
	memset(buf, 0, len);
	memcpy(buf, fixed_nonce,
	    len < sizeof(fixed_nonce) ? len : sizeof(fixed_nonce));
	return true;
}

static time_t
on_wall_time(void *arg)
{
	(void)arg;
	return 0;
}

static const struct sstp_conn_ops ops = {
	.output = on_output,
	.event = on_event,
	.random = on_random,
	.wall_time = on_wall_time,
};

void
fuzz_conn_binding(uint8_t out[SSTP_CALL_CONNECTED_LEN])
{
	struct sstp_cert_hashes ch;
	uint8_t nonce[SSTP_NONCE_LEN];

	on_random(NULL, nonce, sizeof(nonce));
	if (sstp_cert_hashes_compute(cert_der, sizeof(cert_der), &ch) !=
		SSTP_OK ||
	    sstp_binding_build(SSTP_CERT_HASH_PROTOCOL_SHA256, nonce, &ch,
		zero_hlak, out) != SSTP_OK)
		abort();
}

static void
check(const struct fuzz_state *f)
{
	enum sstp_state st = sstp_conn_state(&f->conn);

	if (f->lower_up > 1 || f->connected > 1 || f->lower_down > 1 ||
	    f->closed > 1 || f->out_after_close != 0)
		abort();
	if ((st == SSTP_STATE_CLOSED) != (f->closed == 1))
		abort();
	if (f->closed && !f->lower_down)
		abort();
	if (st == SSTP_STATE_CONNECTED && f->connected != 1)
		abort();
	if (f->conn.rx_len >= SSTP_MAX_PACKET)
		abort();
}

static void
prefix(struct fuzz_state *f, enum sstp_role role)
{
	static const uint8_t ack_hdr[] = { 0x10, 0x01, 0x00, 0x30, 0x00, 0x02,
		0x00, 0x01, 0x00, 0x04, 0x00, 0x28, 0x00, 0x00, 0x00, 0x02 };
	uint8_t nonce[SSTP_NONCE_LEN];

	if (role == SSTP_ROLE_SERVER) {
		sstp_conn_input(&f->conn, (const uint8_t *)http_request,
		    sizeof(http_request) - 1, 0);
		return;
	}
	sstp_conn_input(&f->conn, (const uint8_t *)http_response,
	    sizeof(http_response) - 1, 0);
	on_random(NULL, nonce, sizeof(nonce));
	sstp_conn_input(&f->conn, ack_hdr, sizeof(ack_hdr), 0);
	sstp_conn_input(&f->conn, nonce, sizeof(nonce), 0);
}

void
fuzz_conn_run(enum sstp_role role, const uint8_t *data, size_t size)
{
	static const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00,
		0x04 };
	static const uint8_t ip[] = { 0xff, 0x03, 0x00, 0x21, 0x45 };
	uint8_t cc[SSTP_CALL_CONNECTED_LEN];
	struct sstp_conn_config cfg;
	struct fuzz_state f;
	uint64_t now = 0;
	size_t n;

	memset(&f, 0, sizeof(f));
	sstp_conn_config_default(&cfg, role);
	cfg.timers.http_ms = cfg.timers.negotiation_ms = 1000;
	cfg.timers.hello_ms = 1000;
	cfg.host = "fuzz";
	if (sstp_cert_hashes_compute(cert_der, sizeof(cert_der), &cfg.cert) !=
	    SSTP_OK)
		abort();
	sstp_conn_init(&f.conn, &cfg, &ops, &f);
	sstp_conn_start(&f.conn, now);
	prefix(&f, role);
	check(&f);
	while (size > 0) {
		uint8_t op = data[0];

		data++, size--;
		switch (op & 0x07) {
		case 0: /* time passes */
			now += (uint64_t)(op >> 3) * 40;
			if (now >= sstp_conn_deadline(&f.conn))
				sstp_conn_tick(&f.conn, now);
			break;
		case 1: /* PPP authentication done */
			sstp_conn_auth_done(&f.conn, zero_hlak, now);
			break;
		case 2: /* the client's valid binding */
			if (role == SSTP_ROLE_SERVER) {
				fuzz_conn_binding(cc);
				sstp_conn_input(&f.conn, cc, sizeof(cc), now);
			}
			break;
		case 3: /* PPP sends */
			sstp_conn_send_ppp(&f.conn, op & 0x08 ? ip : lcp,
			    op & 0x08 ? sizeof(ip) : sizeof(lcp));
			break;
		case 4: /* hang up */
			if (op & 0x08)
				sstp_conn_abort(
				    &f.conn, SSTP_E_LOCAL_ABORT, now);
			else
				sstp_conn_disconnect(&f.conn, now);
			break;
		default: /* bytes from the peer, up to 255+ at a time */
			n = (size_t)(op >> 3) * 8 + 1;
			if (n > size)
				n = size;
			sstp_conn_input(&f.conn, data, n, now);
			data += n, size -= n;
			break;
		}
		check(&f);
	}
	/* Time heals everything: the call must end eventually, or stay up. */
	sstp_conn_disconnect(&f.conn, now);
	sstp_conn_tick(&f.conn, now + 10000);
	sstp_conn_tick(&f.conn, now + 20000);
	if (sstp_conn_state(&f.conn) != SSTP_STATE_CLOSED)
		abort();
	check(&f);
	sstp_conn_fini(&f.conn);
}

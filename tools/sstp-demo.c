/*
 * make demo (until the tunnel exists): an SSTP client and an SSTP server
 * state machine from src/sstp talk to each other in memory, and every
 * message that crosses is printed as it would appear on the wire, from
 * the HTTP handshake through crypto binding, data, echo and disconnect.
 */
#include <stdio.h>
#include <string.h>

#include "sstp/sstp_conn.h"

struct side {
	const char *name;
	struct sstp_conn conn;
	size_t len;
	uint8_t buf[8192];
	bool data_hdr; /* next output is the frame of a data packet */
};

/* RFC 3079 3.5.3 sample: HLAK = K2 || K3 (spec/sstp.md 4.9). */
static const uint8_t hlak[SSTP_HLAK_LEN] = { 0xd5, 0xf0, 0xe9, 0x52, 0x1e, 0x3e,
	0xa9, 0x58, 0x96, 0x45, 0xe8, 0x60, 0x51, 0xc8, 0x22, 0x26, 0x8b, 0x7c,
	0xdc, 0x14, 0x9b, 0x99, 0x3a, 0x1b, 0xa1, 0x18, 0xcb, 0x15, 0x3f, 0x56,
	0xdc, 0xcb };
static const uint8_t cert_der[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };

static void
show(const struct side *s, const uint8_t *buf, size_t len)
{
	struct sstp_ctrl m;
	const char *to = strcmp(s->name, "client") == 0 ? "server" : "client";

	printf("  %s -> %s  ", s->name, to);
	if (s->data_hdr) {
		printf("data  PPP frame, %zu bytes, protocol %02X%02X\n", len,
		    len > 3 ? buf[2] : 0, len > 3 ? buf[3] : 0);
		return;
	}
	if (len > 0 && buf[0] != SSTP_VERSION) {
		printf("HTTP  %.*s\n", (int)(strcspn((const char *)buf, "\r")),
		    (const char *)buf);
		return;
	}
	if (sstp_ctrl_decode(buf, len, &m) != SSTP_OK)
		return;
	printf("SSTP  %s", sstp_msg_name(m.type));
	if (m.type == SSTP_MSG_CALL_CONNECT_ACK)
		printf(" (hash bitmask 0x%02x, 32-byte nonce)",
		    m.binding_req.hash_bitmask);
	if (m.type == SSTP_MSG_CALL_CONNECTED)
		printf(" (crypto binding, hash %s)",
		    m.binding.hash_proto == 2 ? "SHA256" : "SHA1");
	if (m.has_status)
		printf(" (status %s)", sstp_status_name(m.status.status));
	printf("\n");
}

static void
on_output(void *arg, const uint8_t *buf, size_t len)
{
	struct side *s = arg;

	if (len == SSTP_HDR_LEN && buf[0] == SSTP_VERSION && buf[1] == 0) {
		s->data_hdr = true;
	} else {
		show(s, buf, len);
		s->data_hdr = false;
	}
	if (len <= sizeof(s->buf) - s->len) {
		memcpy(s->buf + s->len, buf, len);
		s->len += len;
	}
}

static void
on_event(void *arg, const struct sstp_event *ev)
{
	static const char *const names[] = { "HTTP handshake done",
		"lower layer up: PPP may start", "call connected",
		"PPP frame received", "lower layer down", "closed" };
	struct side *s = arg;

	if (ev->type == SSTP_EV_PPP_FRAME)
		return;
	printf("  %s: %s", s->name, names[ev->type]);
	if (ev->type == SSTP_EV_LOWER_DOWN || ev->type == SSTP_EV_CLOSED)
		printf(" (%s)", sstp_strerror(ev->reason));
	printf("\n");
}

static time_t
on_wall_time(void *arg)
{
	(void)arg;
	return time(NULL);
}

static const struct sstp_conn_ops ops = {
	.output = on_output,
	.event = on_event,
	.wall_time = on_wall_time,
};

static void
pump(struct side *a, struct side *b, uint64_t now)
{
	uint8_t tmp[8192];
	size_t n;

	while (a->len > 0 || b->len > 0) {
		struct side *from = a->len > 0 ? a : b;
		struct side *to = from == a ? b : a;

		n = from->len;
		memcpy(tmp, from->buf, n);
		from->len = 0;
		sstp_conn_input(&to->conn, tmp, n, now);
	}
}

int
main(void)
{
	static struct side cl = { .name = "client" }, sv = { .name = "server" };
	static const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00,
		0x08, 0x01, 0x04, 0x05, 0x78 };
	static const uint8_t ip[] = { 0xff, 0x03, 0x00, 0x21, 0x45, 0x00, 0x00,
		0x14, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1 };
	struct sstp_conn_config cc, sc;

	printf("opensstp demo: the SSTP protocol core, client and server in "
	       "memory\n(the tunnel over TLS and TUN comes with the I/O "
	       "layer)\n\n");
	sstp_conn_config_default(&cc, SSTP_ROLE_CLIENT);
	sstp_conn_config_default(&sc, SSTP_ROLE_SERVER);
	cc.host = "vpn.example.test";
	if (sstp_cert_hashes_compute(cert_der, sizeof(cert_der), &cc.cert) !=
	    SSTP_OK)
		return 1;
	sc.cert = cc.cert;
	sstp_conn_init(&sv.conn, &sc, &ops, &sv);
	sstp_conn_init(&cl.conn, &cc, &ops, &cl);
	sstp_conn_start(&sv.conn, 0);
	sstp_conn_start(&cl.conn, 0);
	pump(&cl, &sv, 0);
	printf("\n  (PPP negotiates: control frames pass, IP is held back)\n");
	sstp_conn_send_ppp(&cl.conn, lcp, sizeof(lcp));
	sstp_conn_send_ppp(&sv.conn, lcp, sizeof(lcp));
	printf("  client: IP before Call Connected: %s\n",
	    sstp_strerror(sstp_conn_send_ppp(&cl.conn, ip, sizeof(ip))));
	pump(&cl, &sv, 1);
	printf("\n  (PPP authentication succeeds: MS-CHAPv2 keys give the "
	       "HLAK)\n");
	sstp_conn_auth_done(&cl.conn, hlak, 2);
	sstp_conn_auth_done(&sv.conn, hlak, 2);
	pump(&cl, &sv, 2);
	printf("\n  (IP flows both ways)\n");
	sstp_conn_send_ppp(&cl.conn, ip, sizeof(ip));
	sstp_conn_send_ppp(&sv.conn, ip, sizeof(ip));
	pump(&cl, &sv, 3);
	printf("\n  (60 s of silence: the hello timer sends an echo)\n");
	sstp_conn_tick(&cl.conn, 60003);
	pump(&cl, &sv, 60003);
	printf("\n  (the user hangs up)\n");
	sstp_conn_disconnect(&cl.conn, 61000);
	pump(&cl, &sv, 61000);
	sstp_conn_tick(&sv.conn, 62000);
	printf("\nPASS: call established, crypto binding verified, data, "
	       "echo and disconnect\n");
	return sstp_conn_state(&cl.conn) == SSTP_STATE_CLOSED &&
		sstp_conn_state(&sv.conn) == SSTP_STATE_CLOSED
	    ? 0
	    : 1;
}

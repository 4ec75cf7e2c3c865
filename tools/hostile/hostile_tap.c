/*
 * The tap: the server's side of the stream decoded on its own, apart
 * from the honest cores (which may be stalled, filtered or absent), and
 * counted: the HTTP status, each SSTP control message with its status,
 * each PPP packet by protocol and code.  A case compares two copies,
 * before and after its attack.
 */
#include <string.h>

#include "base/rd.h"
#include "hostile.h"
#include "ppp/ppp_frame.h"

void
tap_init(struct tap *t)
{
	memset(t, 0, sizeof(*t));
	sstp_http_response_parser_init(&t->http, NULL);
}

static unsigned *
codes_of(struct tap *t, uint16_t protocol)
{
	switch (protocol) {
	case PPP_PROTO_LCP:
		return t->lcp;
	case PPP_PROTO_IPCP:
		return t->ipcp;
	case PPP_PROTO_IPV6CP:
		return t->ipv6cp;
	default:
		return NULL;
	}
}

const unsigned *
tap_codes(const struct tap *t, uint16_t protocol)
{
	switch (protocol) {
	case PPP_PROTO_LCP:
		return t->lcp;
	case PPP_PROTO_IPCP:
		return t->ipcp;
	case PPP_PROTO_IPV6CP:
		return t->ipv6cp;
	default:
		return NULL;
	}
}

static void
tap_ppp(struct tap *t, const uint8_t *frame, size_t len)
{
	unsigned *codes;
	struct ppp_pkt p;
	uint16_t proto, rej;
	struct rd info, d;

	if (ppp_frame_decode(frame, len, &proto, &info) != PPP_OK)
		return;
	if (proto == PPP_PROTO_IPV4 || proto == PPP_PROTO_IPV6) {
		t->datagrams++;
		return;
	}
	if (proto == PPP_PROTO_PAP || proto == PPP_PROTO_CHAP ||
	    proto == PPP_PROTO_EAP) {
		t->auth++;
		/* Code Id ...: the Id a forged answer must carry. */
		if (rd_left(&info) >= 2)
			t->auth_id = rd_ptr(&info)[1];
		return;
	}
	if ((codes = codes_of(t, proto)) == NULL ||
	    ppp_pkt_decode(&info, &p) != PPP_OK)
		return;
	codes[p.code < TAP_CODES ? p.code : TAP_CODES - 1]++;
	d = p.data;
	if (p.code == 7) { /* Code-Reject: the rejected packet */
		t->coderej_proto = proto;
		t->coderej_code = rd_left(&d) > 0 ? rd_ptr(&d)[0] : 0;
	} else if (proto == PPP_PROTO_LCP && p.code == LCP_PROTREJ &&
	    rd_u16(&d, &rej)) {
		t->protrej_proto = rej;
	}
}

static void
tap_ctrl(struct tap *t, const uint8_t *pkt, size_t len)
{
	struct sstp_ctrl m;

	if (sstp_ctrl_decode(pkt, len, &m) != SSTP_OK &&
	    (m.type == 0 || m.type > SSTP_MSG_ECHO_RESPONSE)) {
		t->msgs[0]++;
		return;
	}
	t->msgs[m.type]++;
	if (m.type == SSTP_MSG_CALL_ABORT)
		t->abort_status = m.has_status ? m.status.status : 0;
	else if (m.type == SSTP_MSG_CALL_CONNECT_NAK)
		t->nak_status = m.has_status ? m.status.status : 0;
	else if (m.type == SSTP_MSG_CALL_DISCONNECT)
		t->disconnect_status = m.has_status ? m.status.status : 0;
}

static void
tap_packet(struct tap *t, const struct sstp_hdr *h, const uint8_t *pkt)
{
	if (h->control) {
		tap_ctrl(t, pkt, h->len);
		return;
	}
	t->data++;
	tap_ppp(t, pkt + SSTP_HDR_LEN, h->len - SSTP_HDR_LEN);
}

/* SSTP packets back to back, a partial one kept in rx. */
static void
tap_sstp(struct tap *t, struct rd *r)
{
	struct sstp_hdr h = { false, 0 };
	struct rd hr;
	size_t need, take;

	while (!rd_empty(r) && !t->framing_bad) {
		need = SSTP_HDR_LEN;
		if (t->rx_len >= SSTP_HDR_LEN) {
			rd_init(&hr, t->rx, t->rx_len);
			(void)sstp_hdr_decode(&hr, &h);
			need = h.len;
		}
		take = need - t->rx_len;
		if (take > rd_left(r))
			take = rd_left(r);
		(void)rd_bytes(r, t->rx + t->rx_len, take);
		t->rx_len += take;
		if (t->rx_len == SSTP_HDR_LEN) {
			rd_init(&hr, t->rx, t->rx_len);
			if (sstp_hdr_decode(&hr, &h) != SSTP_OK) {
				t->framing_bad = true;
				return;
			}
			need = h.len;
		}
		if (t->rx_len < need)
			continue;
		t->rx_len = 0;
		tap_packet(t, &h, t->rx);
	}
}

void
tap_input(struct tap *t, const uint8_t *data, size_t len)
{
	struct rd r;
	size_t used = 0;
	bool done = false;

	rd_init(&r, data, len);
	if (!t->http_done && !t->http_bad) {
		if (sstp_http_response_parse(&t->http, data, len, &used,
			&t->resp, &done) != SSTP_OK) {
			t->http_bad = true;
			return;
		}
		(void)rd_skip(&r, used);
		if (!done)
			return;
		t->http_done = true;
		t->http_status = t->resp.status;
		/* After an error status nothing more is SSTP. */
		if (t->http_status != 200)
			return;
	}
	if (t->http_done && t->http_status == 200)
		tap_sstp(t, &r);
}

/*
 * LCP: replays of the option sets real peers send (spec/ppp.md 2) against
 * our LCP, and two of our LCPs negotiating in memory.
 */
#include <string.h>

#include "ppp/lcp.h"
#include "ppp/ppp_frame.h"
#include "test_run.h"

#define MAX_PKTS 32

struct end {
	struct lcp lcp;
	struct lcp_config cfg;
	int npkts;
	size_t len[MAX_PKTS];
	uint8_t pkt[MAX_PKTS][1600];
	int ups, downs, finished;
	enum ppp_err reason;
	uint16_t rejected_proto;
	uint32_t rng;
};

static void
on_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct end *e = arg;

	assert_true(e->npkts < MAX_PKTS);
	assert_true(len <= sizeof(e->pkt[0]));
	memcpy(e->pkt[e->npkts], pkt, len);
	e->len[e->npkts++] = len;
}

static void
on_up(void *arg)
{
	((struct end *)arg)->ups++;
}

static void
on_down(void *arg)
{
	((struct end *)arg)->downs++;
}

static void
on_finished(void *arg, enum ppp_err reason)
{
	struct end *e = arg;

	e->finished++;
	e->reason = reason;
}

static void
on_protocol_rejected(void *arg, uint16_t proto)
{
	((struct end *)arg)->rejected_proto = proto;
}

static bool
on_random(void *arg, void *buf, size_t len)
{
	struct end *e = arg;
	uint8_t *b = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		e->rng = e->rng * 1103515245u + 12345u;
		b[i] = (uint8_t)(e->rng >> 16);
	}
	return true;
}

static const struct lcp_ops ops = {
	.send = on_send,
	.up = on_up,
	.down = on_down,
	.finished = on_finished,
	.protocol_rejected = on_protocol_rejected,
	.random = on_random,
};

static void
end_init(struct end *e, bool server, uint32_t seed)
{
	memset(e, 0, sizeof(*e));
	e->rng = seed;
	lcp_config_default(&e->cfg);
	e->cfg.fsm.restart_ms = 100;
	e->cfg.echo_interval_ms = 1000;
	if (server) {
		e->cfg.require[0] = PPP_AUTH_MSCHAPV2;
		e->cfg.require[1] = PPP_AUTH_PAP;
		e->cfg.nrequire = 2;
	} else {
		e->cfg.accept[0] = PPP_AUTH_MSCHAPV2;
		e->cfg.accept[1] = PPP_AUTH_PAP;
		e->cfg.naccept = 2;
	}
}

static void
end_start(struct end *e)
{
	lcp_init(&e->lcp, &e->cfg, &ops, e);
	lcp_open(&e->lcp, 0);
	lcp_lower_up(&e->lcp, 0);
}

/* Deliver everything a sent to b. */
static void
deliver(struct end *a, struct end *b, uint64_t now)
{
	uint8_t pkts[MAX_PKTS][1600];
	size_t len[MAX_PKTS];
	int i, n = a->npkts;

	memcpy(pkts, a->pkt, sizeof(pkts));
	memcpy(len, a->len, sizeof(len));
	a->npkts = 0;
	for (i = 0; i < n; i++)
		lcp_input(&b->lcp, pkts[i], len[i], now);
}

static void
pump(struct end *a, struct end *b, uint64_t now)
{
	int rounds = 0;

	while (a->npkts > 0 || b->npkts > 0) {
		assert_true(++rounds < 50);
		deliver(a, b, now);
		deliver(b, a, now);
	}
}

static void
feed_hex(struct end *e, const char *hex)
{
	uint8_t buf[512];
	size_t n = test_hex(hex, buf, sizeof(buf));

	lcp_input(&e->lcp, buf, n, 1);
}

/* The last packet e sent equals hex. */
static void
assert_last_sent(struct end *e, const char *hex)
{
	uint8_t want[512];
	size_t n = test_hex(hex, want, sizeof(want));

	assert_true(e->npkts > 0);
	assert_int_equal(e->len[e->npkts - 1], n);
	assert_memory_equal(e->pkt[e->npkts - 1], want, n);
}

static void
windows_request_pfc_acfc_callback_rejected(void **state)
{
	struct end sv;

	(void)state;
	end_init(&sv, true, 1);
	end_start(&sv);
	sv.npkts = 0;
	/* spec/ppp.md 2: the Windows 10 SSTP client's first request. */
	feed_hex(&sv,
	    "01 00 00 15 01 04 0F FB 05 06 34 5F 64 CA "
	    "07 02 08 02 0D 03 06");
	assert_last_sent(&sv, "04 00 00 0B 07 02 08 02 0D 03 06");
	/* It re-sends MRU 4091 and its magic: Acked verbatim. */
	feed_hex(&sv, "01 01 00 0E 01 04 0F FB 05 06 34 5F 64 CA");
	assert_last_sent(&sv, "02 01 00 0E 01 04 0F FB 05 06 34 5F 64 CA");
	assert_int_equal(sv.lcp.peer_mru, 4091);
	assert_int_equal(sv.lcp.peer_magic, 0x345f64ca);
}

static void
windows_multilink_options_rejected(void **state)
{
	struct end sv;

	(void)state;
	end_init(&sv, true, 1);
	end_start(&sv);
	sv.npkts = 0;
	/* MRRU 1614 and a 20-byte endpoint discriminator. */
	feed_hex(&sv,
	    "01 02 00 23 01 04 0F FB 11 04 06 4E "
	    "13 17 01 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D "
	    "0E 0F 10 11 12 13");
	assert_last_sent(&sv,
	    "04 02 00 1F 11 04 06 4E "
	    "13 17 01 00 01 02 03 04 05 06 07 08 09 0A 0B "
	    "0C 0D 0E 0F 10 11 12 13");
}

static void
ppp_trap_16_mru_capped_to_sstp(void **state)
{
	struct end sv;

	(void)state;
	end_init(&sv, true, 1);
	end_start(&sv);
	sv.npkts = 0;
	feed_hex(&sv, "01 01 00 08 01 04 10 00"); /* 4096 */
	assert_last_sent(&sv, "03 01 00 08 01 04 0F FB");
	feed_hex(&sv, "01 02 00 08 01 04 01 00"); /* 256 */
	assert_last_sent(&sv, "03 02 00 08 01 04 02 40");
	feed_hex(&sv, "01 03 00 08 01 04 0F FB");
	assert_last_sent(&sv, "02 03 00 08 01 04 0F FB");
	/* An MRU option of the wrong length is Rejected (trap 5). */
	feed_hex(&sv, "01 04 00 07 01 03 05");
	assert_last_sent(&sv, "04 04 00 07 01 03 05");
}

static void
ppp_trap_05_bad_option_lengths_and_duplicates(void **state)
{
	struct end sv;

	(void)state;
	end_init(&sv, true, 1);
	end_start(&sv);
	sv.npkts = 0;
	/* An option of length 1, and one running past the packet: the
	 * list does not parse, the whole request is discarded. */
	feed_hex(&sv, "01 01 00 08 01 01 05 01");
	feed_hex(&sv, "01 02 00 07 01 01 05");
	feed_hex(&sv, "01 03 00 08 05 08 00 01");
	assert_int_equal(sv.npkts, 0);
	assert_int_equal(sv.lcp.fsm.state, FSM_REQSENT);
	/* A well-formed option of the wrong size for its type: Rejected. */
	feed_hex(&sv, "01 04 00 09 05 05 01 02 03");
	assert_last_sent(&sv, "04 04 00 09 05 05 01 02 03");
	/* The same option twice: the first counts, the repeat is
	 * Rejected; no Nak loop. */
	feed_hex(&sv, "01 05 00 0C 01 04 05 DC 01 04 05 78");
	assert_last_sent(&sv, "04 05 00 08 01 04 05 78");
}

static void
ppp_trap_04_magic_zero_and_own_magic_never_acked(void **state)
{
	struct end sv;
	uint8_t own[64];
	uint32_t magic;
	int n;

	(void)state;
	end_init(&sv, true, 1);
	sv.cfg.loopback_fail = 3;
	end_start(&sv);
	sv.npkts = 0;
	feed_hex(&sv, "01 01 00 0A 05 06 00 00 00 00");
	assert_int_equal(sv.pkt[0][0], FSM_CONFNAK);
	assert_int_not_equal(
	    sv.pkt[0][6] | sv.pkt[0][7] | sv.pkt[0][8] | sv.pkt[0][9], 0);
	/* Our own magic comes back three times: a loop; the link ends. */
	for (n = 0; n < 3; n++) {
		magic = sv.lcp.magic;
		own[0] = 1, own[1] = (uint8_t)(2 + n), own[2] = 0, own[3] = 10;
		own[4] = 5, own[5] = 6;
		own[6] = (uint8_t)(magic >> 24),
		own[7] = (uint8_t)(magic >> 16);
		own[8] = (uint8_t)(magic >> 8), own[9] = (uint8_t)magic;
		sv.npkts = 0;
		lcp_input(&sv.lcp, own, 10, 1);
		if (n < 2) {
			assert_int_equal(sv.pkt[0][0], FSM_CONFNAK);
			assert_int_not_equal(sv.lcp.magic, magic);
		}
	}
	assert_int_equal(sv.lcp.fsm.state, FSM_CLOSING);
	assert_int_equal(sv.lcp.reason, PPP_E_LOOPBACK);
}

static void
two_ends_negotiate_mschapv2(void **state)
{
	struct end sv, cl;

	(void)state;
	end_init(&sv, true, 1);
	end_init(&cl, false, 2);
	end_start(&sv);
	end_start(&cl);
	pump(&sv, &cl, 1);
	assert_true(lcp_is_opened(&sv.lcp));
	assert_true(lcp_is_opened(&cl.lcp));
	assert_int_equal(sv.lcp.auth, PPP_AUTH_MSCHAPV2);
	assert_int_equal(cl.lcp.auth, PPP_AUTH_MSCHAPV2);
	assert_int_equal(sv.ups, 1);
	assert_int_equal(cl.ups, 1);
	assert_int_equal(sv.lcp.peer_magic, cl.lcp.magic);
	assert_int_equal(cl.lcp.peer_magic, sv.lcp.magic);
}

static void
client_falls_back_to_what_server_offers(void **state)
{
	struct end sv, cl;

	(void)state;
	/* The server prefers MS-CHAPv2; the client only does PAP. */
	end_init(&sv, true, 1);
	end_init(&cl, false, 2);
	cl.cfg.accept[0] = PPP_AUTH_PAP;
	cl.cfg.naccept = 1;
	end_start(&sv);
	end_start(&cl);
	pump(&sv, &cl, 1);
	assert_true(lcp_is_opened(&sv.lcp));
	assert_int_equal(sv.lcp.auth, PPP_AUTH_PAP);
	assert_int_equal(cl.lcp.auth, PPP_AUTH_PAP);
	/* A client that does nothing the server allows: refused. */
	end_init(&sv, true, 1);
	end_init(&cl, false, 2);
	sv.cfg.nrequire = 1; /* MS-CHAPv2 only */
	cl.cfg.accept[0] = PPP_AUTH_PAP;
	cl.cfg.naccept = 1;
	end_start(&sv);
	end_start(&cl);
	pump(&sv, &cl, 1);
	assert_false(lcp_is_opened(&sv.lcp));
	assert_int_equal(sv.lcp.reason, PPP_E_AUTH_REFUSED);
	/* The client never saw a request without authentication, so it
	 * never opened a link with none, and it names the reason too. */
	assert_false(lcp_is_opened(&cl.lcp));
	assert_int_equal(cl.lcp.reason, PPP_E_AUTH_REFUSED);
}

static void
softether_offers_eap_mschapv2_pap_and_rejects_magic(void **state)
{
	struct end cl;

	(void)state;
	/* Our client with PAP only, fed SoftEther's LCP of the transcript. */
	end_init(&cl, false, 2);
	cl.cfg.accept[0] = PPP_AUTH_PAP;
	cl.cfg.naccept = 1;
	end_start(&cl);
	assert_int_equal(cl.pkt[0][0], FSM_CONFREQ);
	/* SoftEther Rejects our magic number (Id of our request). */
	{
		uint8_t rej[16];
		struct wr w;

		wr_init(&w, rej, sizeof(rej));
		wr_u8(&w, FSM_CONFREJ);
		wr_u8(&w, cl.pkt[0][1]);
		wr_u16(&w, 10);
		wr_u8(&w, 5);
		wr_u8(&w, 6);
		wr_u32(&w, cl.lcp.magic);
		cl.npkts = 0;
		lcp_input(&cl.lcp, rej, wr_len(&w), 1);
	}
	/* We ask again with the MRU only. */
	assert_last_sent(&cl, "01 02 00 08 01 04 05 DC");
	feed_hex(&cl, "01 00 00 08 03 04 C2 27"); /* EAP */
	assert_last_sent(&cl, "03 00 00 08 03 04 C0 23");
	feed_hex(&cl, "02 02 00 08 01 04 05 DC"); /* Ack of ours */
	feed_hex(&cl, "01 01 00 09 03 05 C2 23 81"); /* MS-CHAPv2 */
	assert_last_sent(&cl, "03 01 00 08 03 04 C0 23");
	feed_hex(&cl, "01 02 00 08 03 04 C0 23"); /* PAP */
	assert_last_sent(&cl, "02 02 00 08 03 04 C0 23");
	assert_true(lcp_is_opened(&cl.lcp));
	assert_int_equal(cl.lcp.auth, PPP_AUTH_PAP);
	assert_int_equal(cl.lcp.magic, 0);
	/* Its echo with magic 0 and "Aho Baka Manuke" is answered. */
	feed_hex(&cl,
	    "09 00 00 18 00 00 00 00 41 68 6F 20 42 61 6B 61 20 "
	    "4D 61 6E 75 6B 65 00");
	assert_last_sent(&cl,
	    "0A 00 00 18 00 00 00 00 41 68 6F 20 42 61 6B "
	    "61 20 4D 61 6E 75 6B 65 00");
}

static void
ppp_trap_18_echo_reply_within_peer_mru(void **state)
{
	uint8_t req[1400];
	struct end sv, cl;
	size_t i;

	(void)state;
	end_init(&sv, true, 1);
	end_init(&cl, false, 2);
	sv.cfg.mru = 600; /* the server can receive 600 bytes only */
	end_start(&sv);
	end_start(&cl);
	pump(&sv, &cl, 1);
	assert_true(lcp_is_opened(&cl.lcp));
	assert_int_equal(cl.lcp.peer_mru, 600);
	req[0] = LCP_ECHOREQ, req[1] = 7, req[2] = 0x05, req[3] = 0x78;
	for (i = 4; i < sizeof(req); i++)
		req[i] = 0;
	cl.npkts = 0;
	lcp_input(&cl.lcp, req, sizeof(req), 2);
	assert_int_equal(cl.npkts, 1);
	assert_int_equal(cl.len[0], 600);
	assert_int_equal(cl.pkt[0][0], LCP_ECHOREP);
	assert_int_equal(cl.pkt[0][2] << 8 | cl.pkt[0][3], 600);
}

static void
echo_keepalive_takes_a_dead_link_down(void **state)
{
	struct end sv, cl;
	uint64_t t;

	(void)state;
	end_init(&sv, true, 1);
	end_init(&cl, false, 2);
	end_start(&sv);
	end_start(&cl);
	pump(&sv, &cl, 0);
	/* Answered echoes keep it up. */
	for (t = 1000; t <= 10000; t += 1000) {
		lcp_tick(&cl.lcp, t);
		lcp_tick(&sv.lcp, t);
		pump(&sv, &cl, t);
	}
	assert_true(lcp_is_opened(&cl.lcp));
	/* The server goes silent: four misses, then down. */
	for (; t <= 20000; t += 1000) {
		lcp_tick(&cl.lcp, t);
		cl.npkts = 0;
	}
	assert_false(lcp_is_opened(&cl.lcp));
	assert_int_equal(cl.lcp.reason, PPP_E_ECHO_TIMEOUT);
}

static void
identification_ignored_unknown_code_rejected(void **state)
{
	struct end sv, cl;

	(void)state;
	end_init(&sv, true, 1);
	end_init(&cl, false, 2);
	end_start(&sv);
	end_start(&cl);
	pump(&sv, &cl, 0);
	sv.npkts = 0;
	/* Windows' Identification "MSRASV5.20": no answer, no harm. */
	feed_hex(&sv, "0C 05 00 12 00 00 00 00 4D 53 52 41 53 56 35 2E 32 30");
	assert_int_equal(sv.npkts, 0);
	assert_true(lcp_is_opened(&sv.lcp));
	/* Code 14 does not exist: Code-Reject with the packet. */
	feed_hex(&sv, "0E 06 00 05 AA");
	assert_int_equal(sv.npkts, 1);
	assert_int_equal(sv.pkt[0][0], FSM_CODEREJ);
	assert_memory_equal(sv.pkt[0] + 4, "\x0e\x06\x00\x05\xaa", 5);
}

static void
protocol_reject_only_when_opened(void **state)
{
	static const uint8_t ccp[] = { 0x01, 0x01, 0x00, 0x04 };
	struct end sv, cl;

	(void)state;
	end_init(&sv, true, 1);
	end_init(&cl, false, 2);
	end_start(&sv);
	assert_int_equal(sv.npkts, 1); /* its Configure-Request */
	lcp_protocol_reject(&sv.lcp, PPP_PROTO_CCP, ccp, sizeof(ccp));
	assert_int_equal(sv.npkts, 1);
	end_start(&cl);
	pump(&sv, &cl, 0);
	lcp_protocol_reject(&sv.lcp, PPP_PROTO_CCP, ccp, sizeof(ccp));
	assert_int_equal(sv.npkts, 1);
	assert_int_equal(sv.pkt[0][0], LCP_PROTREJ);
	assert_memory_equal(sv.pkt[0] + 4, "\x80\xfd\x01\x01\x00\x04", 6);
	deliver(&sv, &cl, 1);
	assert_int_equal(cl.rejected_proto, PPP_PROTO_CCP);
	assert_true(lcp_is_opened(&cl.lcp));
}

static void
terminate_from_peer_ends_with_reason(void **state)
{
	struct end sv, cl;

	(void)state;
	end_init(&sv, true, 1);
	end_init(&cl, false, 2);
	end_start(&sv);
	end_start(&cl);
	pump(&sv, &cl, 0);
	lcp_close(&cl.lcp, PPP_E_LOCAL_CLOSE, 1);
	pump(&sv, &cl, 1);
	assert_int_equal(cl.lcp.fsm.state, FSM_CLOSED);
	assert_int_equal(cl.reason, PPP_E_LOCAL_CLOSE);
	assert_int_equal(sv.lcp.fsm.state, FSM_STOPPING);
	lcp_tick(&sv.lcp, 200);
	assert_int_equal(sv.finished, 1);
	assert_int_equal(sv.reason, PPP_E_PEER_TERMINATE);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(windows_request_pfc_acfc_callback_rejected),
		cmocka_unit_test(windows_multilink_options_rejected),
		cmocka_unit_test(ppp_trap_16_mru_capped_to_sstp),
		cmocka_unit_test(ppp_trap_05_bad_option_lengths_and_duplicates),
		cmocka_unit_test(
		    ppp_trap_04_magic_zero_and_own_magic_never_acked),
		cmocka_unit_test(two_ends_negotiate_mschapv2),
		cmocka_unit_test(client_falls_back_to_what_server_offers),
		cmocka_unit_test(
		    softether_offers_eap_mschapv2_pap_and_rejects_magic),
		cmocka_unit_test(ppp_trap_18_echo_reply_within_peer_mru),
		cmocka_unit_test(echo_keepalive_takes_a_dead_link_down),
		cmocka_unit_test(identification_ignored_unknown_code_rejected),
		cmocka_unit_test(protocol_reject_only_when_opened),
		cmocka_unit_test(terminate_from_peer_ends_with_reason),
	};

	return test_run(argc, argv, "ppp_lcp", tests, ARRAY_LEN(tests));
}

/*
 * IPCP and IPv6CP: the address dances of spec/ppp.md 8 and 9, replayed
 * from captured fixtures and run between two of our ends in memory.
 */
#include <string.h>

#include "ppp/ipcp.h"
#include "ppp/ipv6cp.h"
#include "test_run.h"

#define MAX_PKTS 16

struct box {
	int n;
	size_t len[MAX_PKTS];
	uint8_t pkt[MAX_PKTS][256];
	int ups, downs, finished;
	enum ppp_err reason;
	uint32_t next_addr; /* allocator: 0 = exhausted */
	uint32_t rng;
};

static void
on_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct box *b = arg;

	assert_true(b->n < MAX_PKTS && len <= sizeof(b->pkt[0]));
	memcpy(b->pkt[b->n], pkt, len);
	b->len[b->n++] = len;
}

static void
on_up(void *arg)
{
	((struct box *)arg)->ups++;
}

static void
on_down(void *arg)
{
	((struct box *)arg)->downs++;
}

static void
on_finished(void *arg, enum ppp_err reason)
{
	struct box *b = arg;

	b->finished++;
	b->reason = reason;
}

static bool
on_alloc(void *arg, uint32_t *addr)
{
	struct box *b = arg;

	*addr = b->next_addr;
	return b->next_addr != 0;
}

static bool
on_random(void *arg, void *buf, size_t len)
{
	struct box *b = arg;
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		b->rng = b->rng * 1103515245u + 12345u;
		p[i] = (uint8_t)(b->rng >> 16);
	}
	return true;
}

static const struct ipcp_ops ipcp_ops = {
	.send = on_send,
	.alloc_address = on_alloc,
	.up = on_up,
	.down = on_down,
	.finished = on_finished,
};

static const struct ipv6cp_ops ipv6cp_ops = {
	.send = on_send,
	.random = on_random,
	.up = on_up,
	.down = on_down,
	.finished = on_finished,
};

struct ipcp_end {
	struct ipcp p;
	struct ipcp_config cfg;
	struct box box;
};

static void
ipcp_end_start(struct ipcp_end *e, bool server)
{
	memset(e, 0, sizeof(*e));
	ipcp_config_default(&e->cfg, server);
	e->cfg.fsm.restart_ms = 100;
	if (server) {
		e->cfg.addr = 0x0a000001; /* 10.0.0.1 */
		e->cfg.dns[0] = 0x0a000035; /* 10.0.0.53 */
		e->cfg.dns[1] = 0x0a000036;
		e->box.next_addr = 0x0a000005; /* 10.0.0.5 */
	}
	ipcp_init(&e->p, &e->cfg, &ipcp_ops, &e->box);
	ipcp_open(&e->p, 0);
	ipcp_lower_up(&e->p, 0);
}

static void
ipcp_pump(struct ipcp_end *a, struct ipcp_end *b)
{
	uint8_t pkt[MAX_PKTS][256];
	size_t len[MAX_PKTS];
	int i, n, rounds = 0;

	while (a->box.n > 0 || b->box.n > 0) {
		struct ipcp_end *from = a->box.n > 0 ? a : b;
		struct ipcp_end *to = from == a ? b : a;

		assert_true(++rounds < 50);
		n = from->box.n;
		memcpy(pkt, from->box.pkt, sizeof(pkt));
		memcpy(len, from->box.len, sizeof(len));
		from->box.n = 0;
		for (i = 0; i < n; i++)
			ipcp_input(&to->p, pkt[i], len[i], 1);
	}
}

static void
ipcp_feed(struct ipcp_end *e, const char *hex)
{
	uint8_t buf[256];
	size_t n = test_hex(hex, buf, sizeof(buf));

	e->box.n = 0;
	ipcp_input(&e->p, buf, n, 1);
}

static void
ipcp_assert_sent(struct ipcp_end *e, const char *hex)
{
	uint8_t want[256];
	size_t n = test_hex(hex, want, sizeof(want));

	assert_int_equal(e->box.n, 1);
	assert_int_equal(e->box.len[0], n);
	assert_memory_equal(e->box.pkt[0], want, n);
}

static void
ipcp_server_windows_dance(void **state)
{
	struct ipcp_end sv;

	(void)state;
	ipcp_end_start(&sv, true);
	/* Our own request names the server's address. */
	assert_int_equal(sv.box.n, 1);
	assert_memory_equal(sv.box.pkt[0] + 4, "\x03\x06\x0a\x00\x00\x01", 6);
	/* spec/ppp.md 8: Windows 10's first request, WINS included: the
	 * WINS options are Rejected first (we have none to give). */
	ipcp_feed(&sv,
	    "01 07 00 22 03 06 00 00 00 00 81 06 00 00 00 00 "
	    "82 06 00 00 00 00 83 06 00 00 00 00 "
	    "84 06 00 00 00 00");
	ipcp_assert_sent(&sv,
	    "04 07 00 10 82 06 00 00 00 00 "
	    "84 06 00 00 00 00");
	/* Then the address and DNS are Nak'd with what we give. */
	ipcp_feed(&sv,
	    "01 08 00 16 03 06 00 00 00 00 81 06 00 00 00 00 "
	    "83 06 00 00 00 00");
	ipcp_assert_sent(&sv,
	    "03 08 00 16 03 06 0A 00 00 05 81 06 0A 00 00 35 "
	    "83 06 0A 00 00 36");
	ipcp_feed(&sv,
	    "01 09 00 16 03 06 0A 00 00 05 81 06 0A 00 00 35 "
	    "83 06 0A 00 00 36");
	ipcp_assert_sent(&sv,
	    "02 09 00 16 03 06 0A 00 00 05 81 06 0A 00 00 35 "
	    "83 06 0A 00 00 36");
	assert_int_equal(sv.p.peer, 0x0a000005);
}

static void
ipcp_server_rejects_vj_and_unknown(void **state)
{
	struct ipcp_end sv;

	(void)state;
	ipcp_end_start(&sv, true);
	/* pppd's VJ request (spec/ppp.md 8 fixture). */
	ipcp_feed(&sv, "01 01 00 10 02 06 00 2D 0F 01 03 06 00 00 00 00");
	ipcp_assert_sent(&sv, "04 01 00 0A 02 06 00 2D 0F 01");
	ipcp_feed(&sv, "01 02 00 0A 01 0A 00 00 00 00");
	assert_int_equal(sv.box.pkt[0][0], FSM_CONFREJ);
}

static void
ipcp_server_without_addresses_gives_up(void **state)
{
	struct ipcp_end sv;

	(void)state;
	ipcp_end_start(&sv, true);
	sv.box.next_addr = 0;
	ipcp_feed(&sv, "01 01 00 0A 03 06 00 00 00 00");
	assert_int_equal(sv.p.fsm.state, FSM_CLOSING);
	assert_int_equal(sv.p.reason, PPP_E_NO_ADDRESS);
}

static void
ipcp_client_mikrotik_fixture(void **state)
{
	struct ipcp_end cl;

	(void)state;
	ipcp_end_start(&cl, false);
	/* 0.0.0.0 and the two DNS servers asked for. */
	assert_int_equal(cl.box.len[0], 4 + 18);
	/* The server's own request: an address to Ack (spec/ppp.md 8). */
	ipcp_feed(&cl, "01 01 00 0A 03 06 AC 17 18 0E");
	ipcp_assert_sent(&cl, "02 01 00 0A 03 06 AC 17 18 0E");
	assert_int_equal(cl.p.peer, 0xac17180e);
	/* A server asking us for an address (0.0.0.0): Rejected. */
	ipcp_feed(&cl, "01 02 00 0A 03 06 00 00 00 00");
	ipcp_assert_sent(&cl, "04 02 00 0A 03 06 00 00 00 00");
}

static void
ipcp_zero_address_nak_fails_client(void **state)
{
	struct ipcp_end cl;
	uint8_t nak[16];

	(void)state;
	ipcp_end_start(&cl, false);
	memcpy(nak, "\x03\x00\x00\x0a\x03\x06\x00\x00\x00\x00", 10);
	nak[1] = cl.box.pkt[0][1];
	cl.box.n = 0;
	ipcp_input(&cl.p, nak, 10, 1);
	assert_int_equal(cl.p.reason, PPP_E_NO_ADDRESS);
	assert_int_equal(cl.p.fsm.state, FSM_CLOSING);
}

static void
ipcp_two_ends_come_up(void **state)
{
	struct ipcp_end sv, cl;

	(void)state;
	ipcp_end_start(&sv, true);
	ipcp_end_start(&cl, false);
	ipcp_pump(&sv, &cl);
	assert_true(ipcp_is_opened(&sv.p));
	assert_true(ipcp_is_opened(&cl.p));
	assert_int_equal(cl.p.local, 0x0a000005);
	assert_int_equal(cl.p.peer, 0x0a000001);
	assert_int_equal(cl.p.dns[0], 0x0a000035);
	assert_int_equal(cl.p.dns[1], 0x0a000036);
	assert_int_equal(sv.p.peer, 0x0a000005);
	assert_int_equal(sv.box.ups, 1);
	assert_int_equal(cl.box.ups, 1);
}

struct v6_end {
	struct ipv6cp p;
	struct ipv6cp_config cfg;
	struct box box;
};

static void
v6_start(struct v6_end *e, uint32_t seed, const uint8_t *iid)
{
	memset(e, 0, sizeof(*e));
	e->box.rng = seed;
	ipv6cp_config_default(&e->cfg);
	e->cfg.fsm.restart_ms = 100;
	if (iid != NULL)
		memcpy(e->cfg.iid, iid, IPV6CP_IID_LEN);
	ipv6cp_init(&e->p, &e->cfg, &ipv6cp_ops, &e->box);
	ipv6cp_open(&e->p, 0);
	ipv6cp_lower_up(&e->p, 0);
}

static void
v6_pump(struct v6_end *a, struct v6_end *b)
{
	uint8_t pkt[MAX_PKTS][256];
	size_t len[MAX_PKTS];
	int i, n, rounds = 0;

	while (a->box.n > 0 || b->box.n > 0) {
		struct v6_end *from = a->box.n > 0 ? a : b;
		struct v6_end *to = from == a ? b : a;

		assert_true(++rounds < 50);
		n = from->box.n;
		memcpy(pkt, from->box.pkt, sizeof(pkt));
		memcpy(len, from->box.len, sizeof(len));
		from->box.n = 0;
		for (i = 0; i < n; i++)
			ipv6cp_input(&to->p, pkt[i], len[i], 1);
	}
}

static void
ipv6cp_sstpc_fixture_acked(void **state)
{
	uint8_t buf[64];
	struct v6_end sv;
	size_t n;

	(void)state;
	v6_start(&sv, 1, NULL);
	sv.box.n = 0;
	/* spec/ppp.md 9: pppd's request through sstpc. */
	n = test_hex(
	    "01 01 00 0E 01 0A F1 01 03 43 CF EA 4F FE", buf, sizeof(buf));
	ipv6cp_input(&sv.p, buf, n, 1);
	assert_int_equal(sv.box.n, 1);
	assert_int_equal(sv.box.pkt[0][0], FSM_CONFACK);
	assert_memory_equal(sv.p.peer, "\xf1\x01\x03\x43\xcf\xea\x4f\xfe", 8);
}

static void
ipv6cp_collision_and_zero_naked(void **state)
{
	static const uint8_t same[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct v6_end a, b;

	(void)state;
	/* Both ends configured with the same identifier. */
	v6_start(&a, 1, same);
	v6_start(&b, 2, same);
	v6_pump(&a, &b);
	assert_true(ipv6cp_is_opened(&a.p));
	assert_true(ipv6cp_is_opened(&b.p));
	assert_memory_not_equal(a.p.local, b.p.local, 8);
	assert_memory_equal(a.p.peer, b.p.local, 8);
	assert_memory_equal(b.p.peer, a.p.local, 8);
	/* A zero identifier is Nak'd with a non-zero suggestion. */
	{
		uint8_t req[14] = { 1, 9, 0, 14, 1, 10 };
		static const uint8_t zero[8];

		a.box.n = 0;
		ipv6cp_input(&a.p, req, sizeof(req), 2);
		/* Opened: our new request goes first, then the Nak. */
		assert_int_equal(a.box.n, 2);
		assert_int_equal(a.box.pkt[1][0], FSM_CONFNAK);
		assert_memory_not_equal(a.box.pkt[1] + 6, zero, 8);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ipcp_server_windows_dance),
		cmocka_unit_test(ipcp_server_rejects_vj_and_unknown),
		cmocka_unit_test(ipcp_server_without_addresses_gives_up),
		cmocka_unit_test(ipcp_client_mikrotik_fixture),
		cmocka_unit_test(ipcp_zero_address_nak_fails_client),
		cmocka_unit_test(ipcp_two_ends_come_up),
		cmocka_unit_test(ipv6cp_sstpc_fixture_acked),
		cmocka_unit_test(ipv6cp_collision_and_zero_naked),
	};

	return test_run(argc, argv, "ppp_ncp", tests, ARRAY_LEN(tests));
}

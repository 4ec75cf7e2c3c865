/*
 * The hand-off between workers (server/handoff.h): packing, order, batch
 * boundaries, the inbox bound, the eventfd wake-up only on an empty
 * inbox, and two threads at full speed losing nothing they did not count.
 */
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/handoff.h"
#include "test_run.h"

struct seen {
	size_t n;
	size_t bytes;
	uint32_t next; /* sequence number expected next */
	bool in_order;
};

static void
count(void *arg, const uint8_t *pkt, size_t len)
{
	struct seen *s = arg;
	uint32_t seq;

	memcpy(&seq, pkt, sizeof(seq));
	if (seq < s->next)
		s->in_order = false;
	s->next = seq + 1;
	s->n++;
	s->bytes += len;
}

static bool
readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

static void
packs_in_order_and_wakes_once(void **state)
{
	struct handoff_inbox in;
	struct handoff_batch *b = NULL;
	struct seen s = { .in_order = true };
	uint8_t pkt[1400] = { 0 };
	uint32_t i;

	(void)state;
	assert_int_equal(handoff_inbox_init(&in), 0);
	assert_false(readable(in.efd));
	for (i = 0; i < 10; i++) {
		memcpy(pkt, &i, sizeof(i));
		assert_true(handoff_add(&b, &in, pkt, 100 + i));
	}
	assert_false(readable(in.efd)); /* nothing sent before the end */
	assert_int_equal(b->count, 10);
	handoff_send(&b, &in);
	assert_null(b);
	assert_true(readable(in.efd));
	/* A second batch to a non-empty inbox: no second wake-up needed. */
	memcpy(pkt, &i, sizeof(i));
	assert_true(handoff_add(&b, &in, pkt, 1400));
	handoff_send(&b, &in);
	assert_int_equal(in.n, 2);
	assert_int_equal(handoff_receive(&in, count, &s), 11);
	assert_true(s.in_order);
	assert_int_equal(s.bytes, 10 * 100 + 45 + 1400);
	assert_false(readable(in.efd));
	assert_int_equal(handoff_receive(&in, count, &s), 0);
	handoff_send(&b, &in); /* NULL: nothing */
	handoff_inbox_fini(&in);
}

static void
full_batch_goes_first(void **state)
{
	struct handoff_inbox in;
	struct handoff_batch *b = NULL;
	struct seen s = { .in_order = true };
	static uint8_t big[65535];
	uint32_t i;

	(void)state;
	assert_int_equal(handoff_inbox_init(&in), 0);
	assert_false(handoff_add(&b, &in, big, 0));
	assert_false(handoff_add(&b, &in, big, 65536));
	assert_null(b);
	for (i = 0; i < 3; i++) {
		memcpy(big, &i, sizeof(i));
		assert_true(handoff_add(&b, &in, big, sizeof(big)));
	}
	/* Each datagram of 64 KiB - 1 fills a batch: two already sent. */
	assert_int_equal(in.n, 2);
	assert_int_equal(b->count, 1);
	handoff_send(&b, &in);
	assert_int_equal(handoff_receive(&in, count, &s), 3);
	assert_true(s.in_order);
	assert_int_equal(s.bytes, 3 * sizeof(big));
	handoff_inbox_fini(&in);
}

static void
full_inbox_drops_and_counts(void **state)
{
	struct handoff_inbox in;
	struct handoff_batch *b = NULL;
	struct seen s = { .in_order = true };
	uint8_t pkt[64] = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(handoff_inbox_init(&in), 0);
	for (i = 0; i < HANDOFF_INBOX_MAX + 3; i++) {
		assert_true(handoff_add(&b, &in, pkt, sizeof(pkt)));
		assert_true(handoff_add(&b, &in, pkt, sizeof(pkt)));
		handoff_send(&b, &in);
	}
	assert_int_equal(in.n, HANDOFF_INBOX_MAX);
	assert_int_equal(handoff_dropped(&in), 6);
	assert_int_equal(
	    handoff_receive(&in, count, &s), 2 * HANDOFF_INBOX_MAX);
	/* Room again. */
	assert_true(handoff_add(&b, &in, pkt, sizeof(pkt)));
	handoff_send(&b, &in);
	assert_int_equal(in.n, 1);
	handoff_inbox_fini(&in); /* frees what is still queued */
}

#define STRESS_PACKETS 200000

static void *
producer(void *arg)
{
	struct handoff_inbox *in = arg;
	struct handoff_batch *b = NULL;
	uint8_t pkt[200] = { 0 };
	uint32_t i;

	for (i = 0; i < STRESS_PACKETS; i++) {
		memcpy(pkt, &i, sizeof(i));
		if (!handoff_add(&b, in, pkt, 4 + i % 190))
			abort();
		if (i % 37 == 0) /* an "iteration" ends */
			handoff_send(&b, in);
	}
	handoff_send(&b, in);
	return NULL;
}

static void
two_threads_lose_nothing_uncounted(void **state)
{
	struct handoff_inbox in;
	struct seen s = { .in_order = true };
	struct pollfd p;
	pthread_t t;
	int idle = 0;

	(void)state;
	assert_int_equal(handoff_inbox_init(&in), 0);
	assert_int_equal(pthread_create(&t, NULL, producer, &in), 0);
	p.fd = in.efd;
	p.events = POLLIN;
	/* Consume as the loop would: on each wake-up, everything queued. */
	while (s.n + handoff_dropped(&in) < STRESS_PACKETS && idle < 50) {
		if (poll(&p, 1, 100) == 1) {
			handoff_receive(&in, count, &s);
			idle = 0;
		} else
			idle++;
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(idle < 50); /* no wake-up was lost */
	handoff_receive(&in, count, &s);
	assert_int_equal(s.n + handoff_dropped(&in), STRESS_PACKETS);
	assert_true(s.in_order);
	assert_true(s.n > 0);
	handoff_inbox_fini(&in);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(packs_in_order_and_wakes_once),
		cmocka_unit_test(full_batch_goes_first),
		cmocka_unit_test(full_inbox_drops_and_counts),
		cmocka_unit_test(two_threads_lose_nothing_uncounted),
	};

	return test_run(argc, argv, "server_handoff", tests, ARRAY_LEN(tests));
}

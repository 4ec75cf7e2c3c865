#include <stdlib.h>
#include <string.h>

#include "server/addr_table.h"
#include "test_run.h"

/* Sessions stand-ins: the table only stores the pointers. */
static char sessions[4096];

static void
table_basic_v4_v6(void **state)
{
	const uint8_t p1[8] = { 0xfd, 0x77, 0, 0, 0, 0, 0, 1 };
	const uint8_t p2[8] = { 0xfd, 0x77, 0, 0, 0, 0, 0, 2 };
	const uint8_t v4ish[8] = { 0, 0, 0, 0, 0x0a, 0, 0, 1 };
	struct addr_table t;

	(void)state;
	addr_table_init(&t);
	assert_null(addr_table_get4(&t, 0x0a000001));
	assert_null(addr_table_get6(&t, p1));
	addr_table_del4(&t, 1); /* empty table: nothing happens */
	assert_true(addr_table_put4(&t, 0x0a000001, &sessions[1]));
	assert_false(addr_table_put4(&t, 0x0a000001, &sessions[2]));
	assert_true(addr_table_put6(&t, p1, &sessions[3]));
	assert_false(addr_table_put6(&t, p1, &sessions[4]));
	/* The same 64 bits under the other family is another key. */
	assert_true(addr_table_put6(&t, v4ish, &sessions[5]));
	assert_ptr_equal(addr_table_get4(&t, 0x0a000001), &sessions[1]);
	assert_ptr_equal(addr_table_get6(&t, p1), &sessions[3]);
	assert_ptr_equal(addr_table_get6(&t, v4ish), &sessions[5]);
	assert_null(addr_table_get6(&t, p2));
	assert_int_equal(t.used, 3);
	addr_table_del6(&t, p1);
	assert_null(addr_table_get6(&t, p1));
	assert_ptr_equal(addr_table_get4(&t, 0x0a000001), &sessions[1]);
	addr_table_del6(&t, p1); /* twice: nothing happens */
	assert_int_equal(t.used, 2);
	addr_table_fini(&t);
}

static void
table_grows_at_half(void **state)
{
	struct addr_table t;
	size_t cap, i;

	(void)state;
	addr_table_init(&t);
	for (i = 0; i < 1000; i++) {
		assert_true(addr_table_put4(
		    &t, 0x0a000000 + (uint32_t)i, &sessions[i]));
		assert_true(t.used * 2 <= t.cap);
		assert_true((t.cap & (t.cap - 1)) == 0);
	}
	cap = t.cap;
	assert_true(cap >= 2048 && cap <= 4096);
	for (i = 0; i < 1000; i++)
		assert_ptr_equal(addr_table_get4(&t, 0x0a000000 + (uint32_t)i),
		    &sessions[i]);
	assert_null(addr_table_get4(&t, 0x0a000000 + 1000));
	addr_table_fini(&t);
	assert_null(t.slots);
}

static void
table_reuses_tombstones(void **state)
{
	struct addr_table t;
	size_t cap, i;

	(void)state;
	addr_table_init(&t);
	for (i = 0; i < 5; i++)
		assert_true(addr_table_put4(&t, (uint32_t)i, &sessions[i]));
	cap = t.cap;
	addr_table_del4(&t, 3);
	assert_int_equal(t.tombs, 1);
	/* Back into its own tombstone: the probe path passes it first. */
	assert_true(addr_table_put4(&t, 3, &sessions[9]));
	assert_int_equal(t.tombs, 0);
	assert_ptr_equal(addr_table_get4(&t, 3), &sessions[9]);
	/* Session churn: tombstones pile up, then a rehash at the same
	 * size clears them instead of growing without end. */
	for (i = 100; i < 10000; i++) {
		assert_true(addr_table_put4(&t, (uint32_t)i, &sessions[0]));
		addr_table_del4(&t, (uint32_t)i);
		assert_true((t.used + t.tombs) * 2 <= t.cap);
	}
	assert_int_equal(t.used, 5);
	assert_int_equal(t.cap, cap);
	for (i = 0; i < 5; i++)
		assert_non_null(addr_table_get4(&t, (uint32_t)i));
	addr_table_fini(&t);
}

/* xorshift32: the same sequence every run. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#define NKEYS 600

static void
table_random_ops_match_reference(void **state)
{
	struct addr_table t;
	void *ref4[NKEYS] = { 0 }, *ref6[NKEYS] = { 0 };
	uint8_t k6[8];
	uint32_t seed = 0x2545f491, r, k;
	size_t i, live = 0;
	void *v;

	(void)state;
	addr_table_init(&t);
	for (i = 0; i < 200000; i++) {
		r = rnd(&seed);
		k = (r >> 8) % NKEYS;
		/* Keys in a narrow band, like a pool's: lots of reuse. */
		memset(k6, 0, sizeof(k6));
		k6[0] = 0xfd;
		k6[6] = (uint8_t)(k >> 8);
		k6[7] = (uint8_t)k;
		v = &sessions[rnd(&seed) % sizeof(sessions)];
		switch (r & 7) {
		case 0:
		case 1:
			assert_int_equal(addr_table_put4(&t, 0x0a000000 + k, v),
			    ref4[k] == NULL);
			if (ref4[k] == NULL) {
				ref4[k] = v;
				live++;
			}
			break;
		case 2:
		case 3:
			assert_int_equal(
			    addr_table_put6(&t, k6, v), ref6[k] == NULL);
			if (ref6[k] == NULL) {
				ref6[k] = v;
				live++;
			}
			break;
		case 4:
			addr_table_del4(&t, 0x0a000000 + k);
			if (ref4[k] != NULL)
				live--;
			ref4[k] = NULL;
			break;
		case 5:
			addr_table_del6(&t, k6);
			if (ref6[k] != NULL)
				live--;
			ref6[k] = NULL;
			break;
		default:
			assert_ptr_equal(
			    addr_table_get4(&t, 0x0a000000 + k), ref4[k]);
			assert_ptr_equal(addr_table_get6(&t, k6), ref6[k]);
		}
		assert_int_equal(t.used, live);
	}
	for (k = 0; k < NKEYS; k++) {
		k6[6] = (uint8_t)(k >> 8);
		k6[7] = (uint8_t)k;
		assert_ptr_equal(addr_table_get4(&t, 0x0a000000 + k), ref4[k]);
		assert_ptr_equal(addr_table_get6(&t, k6), ref6[k]);
	}
	addr_table_fini(&t);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_basic_v4_v6),
		cmocka_unit_test(table_grows_at_half),
		cmocka_unit_test(table_reuses_tombstones),
		cmocka_unit_test(table_random_ops_match_reference),
	};

	return test_run(
	    argc, argv, "server_addr_table", tests, ARRAY_LEN(tests));
}

#include <string.h>

#include "server/pool.h"
#include "test_run.h"

static struct ip_prefix
prefix(const char *s)
{
	struct ip_prefix p;

	assert_true(prefix_parse(s, false, &p));
	return p;
}

static void
pool4_exhausts_a_29(void **state)
{
	struct ip_prefix p = prefix("10.77.0.0/29");
	struct pool4 pool;
	uint32_t a, got[8];
	bool seen[8] = { false };
	size_t i;

	(void)state;
	assert_true(pool4_init(&pool, &p, 0));
	assert_int_equal(pool.server, 0x0a4d0001);
	assert_int_equal(pool.capacity, 5);
	/* .2 to .6: never .0 (network), .1 (server) or .7 (broadcast). */
	for (i = 0; i < 5; i++) {
		assert_true(pool4_alloc(&pool, &got[i]));
		assert_true(got[i] >= 0x0a4d0002 && got[i] <= 0x0a4d0006);
		assert_false(seen[got[i] & 7]);
		seen[got[i] & 7] = true;
	}
	assert_int_equal(pool.used, 5);
	assert_false(pool4_alloc(&pool, &a));
	/* Free one: that one, and only it, comes back. */
	pool4_free(&pool, got[2]);
	assert_int_equal(pool.used, 4);
	assert_true(pool4_alloc(&pool, &a));
	assert_int_equal(a, got[2]);
	assert_false(pool4_alloc(&pool, &a));
	/* Freeing what was never given changes nothing. */
	pool4_free(&pool, 0x0a4d0000);
	pool4_free(&pool, 0x0a4d0001);
	pool4_free(&pool, 0x0a4d0007);
	pool4_free(&pool, 0x0a4d0008);
	pool4_free(&pool, 0x01020304);
	assert_int_equal(pool.used, 5);
	assert_false(pool4_alloc(&pool, &a));
	pool4_fini(&pool);
}

static void
pool4_rotates_and_honours_server(void **state)
{
	struct ip_prefix p = prefix("10.0.0.0/24");
	struct pool4 pool;
	uint32_t a, b, c;
	size_t i;

	(void)state;
	assert_true(pool4_init(&pool, &p, 0x0a000005));
	assert_int_equal(pool.capacity, 253);
	for (i = 0; i < 253; i++) {
		assert_true(pool4_alloc(&pool, &a));
		assert_true(
		    a != 0x0a000005 && a != 0x0a000000 && a != 0x0a0000ff);
	}
	assert_false(pool4_alloc(&pool, &a));
	pool4_free(&pool, 0x0a000010);
	pool4_free(&pool, 0x0a000020);
	assert_true(pool4_alloc(&pool, &b));
	pool4_free(&pool, b);
	/* A freed address is not handed out again at once. */
	assert_true(pool4_alloc(&pool, &c));
	assert_true(b != c);
	pool4_fini(&pool);

	/* The server must be a usable address of the range. */
	assert_false(pool4_init(&pool, &p, 0x0a000000));
	assert_false(pool4_init(&pool, &p, 0x0a0000ff));
	assert_false(pool4_init(&pool, &p, 0x0b000001));
	p = prefix("10.0.0.0/31");
	assert_false(pool4_init(&pool, &p, 0));
	p = prefix("10.0.0.0/7");
	assert_false(pool4_init(&pool, &p, 0));
	p = prefix("fd00::/64");
	assert_false(pool4_init(&pool, &p, 0));
	/* A /30 leaves one client. */
	p = prefix("10.0.0.4/30");
	assert_true(pool4_init(&pool, &p, 0));
	assert_true(pool4_alloc(&pool, &a));
	assert_int_equal(a, 0x0a000006);
	assert_false(pool4_alloc(&pool, &a));
	pool4_fini(&pool);
}

static void
pool4_large_pool_word_boundaries(void **state)
{
	struct ip_prefix p = prefix("10.0.0.0/16");
	struct pool4 pool;
	uint32_t a;
	size_t i;

	(void)state;
	assert_true(pool4_init(&pool, &p, 0));
	for (i = 0; i < 65533; i++)
		assert_true(pool4_alloc(&pool, &a));
	assert_false(pool4_alloc(&pool, &a));
	pool4_free(&pool, 0x0a00ff00);
	assert_true(pool4_alloc(&pool, &a));
	assert_int_equal(a, 0x0a00ff00);
	pool4_fini(&pool);
}

static void
pool6_from_a_62(void **state)
{
	struct ip_prefix p = prefix("fd77:0:0:4::/62");
	uint8_t server[16], got[3][16], out[16];
	struct pool6 pool;
	size_t i, j;

	(void)state;
	assert_true(pool6_init(&pool, &p));
	assert_int_equal(pool.count, 4);
	pool6_server_prefix(&pool, server);
	assert_memory_equal(
	    server, "\xfd\x77\0\0\0\0\0\x04\0\0\0\0\0\0\0\0", 16);
	for (i = 0; i < 3; i++) {
		assert_true(pool6_alloc(&pool, got[i]));
		assert_memory_equal(got[i], server, 7);
		assert_true(got[i][7] >= 5 && got[i][7] <= 7);
		assert_memory_equal(got[i] + 8, "\0\0\0\0\0\0\0\0", 8);
		for (j = 0; j < i; j++)
			assert_memory_not_equal(got[i], got[j], 16);
	}
	assert_false(pool6_alloc(&pool, out));
	pool6_free(&pool, server); /* not the client's to free */
	assert_false(pool6_alloc(&pool, out));
	pool6_free(&pool, got[1]);
	assert_true(pool6_alloc(&pool, out));
	assert_memory_equal(out, got[1], 16);
	pool6_fini(&pool);
}

static void
pool6_short_prefix_is_capped(void **state)
{
	struct ip_prefix p = prefix("2001:db8::/32");
	struct pool6 pool;
	uint8_t out[16];

	(void)state;
	assert_true(pool6_init(&pool, &p));
	assert_int_equal(pool.count, 1 << 20);
	assert_true(pool6_alloc(&pool, out));
	assert_memory_equal(out, "\x20\x01\x0d\xb8\0\0\0\x01", 8);
	pool6_fini(&pool);
	p = prefix("fd00::/64");
	assert_true(pool6_init(&pool, &p));
	assert_false(pool6_alloc(&pool, out));
	pool6_fini(&pool);
	p = prefix("fd00::/65");
	assert_false(pool6_init(&pool, &p));
	p = prefix("fd00::/31");
	assert_false(pool6_init(&pool, &p));
	p = prefix("10.0.0.0/8");
	assert_false(pool6_init(&pool, &p));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pool4_exhausts_a_29),
		cmocka_unit_test(pool4_rotates_and_honours_server),
		cmocka_unit_test(pool4_large_pool_word_boundaries),
		cmocka_unit_test(pool6_from_a_62),
		cmocka_unit_test(pool6_short_prefix_is_capped),
	};

	return test_run(argc, argv, "server_pool", tests, ARRAY_LEN(tests));
}

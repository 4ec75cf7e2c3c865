#include <string.h>

#include "base/rd.h"
#include "base/wr.h"
#include "test_run.h"

static void
rd_short_reads_fail_and_do_not_advance(void **state)
{
	const uint8_t buf[3] = { 0x12, 0x34, 0x56 };
	struct rd r;
	uint32_t v32;
	uint16_t v16;

	(void)state;
	rd_init(&r, buf, sizeof(buf));
	assert_false(rd_u32(&r, &v32));
	assert_int_equal(rd_left(&r), 3);
	assert_true(rd_u16(&r, &v16));
	assert_int_equal(v16, 0x1234);
	assert_false(rd_u16(&r, &v16));
	assert_int_equal(rd_left(&r), 1);
}

static void
rd_sub_bounds_the_child(void **state)
{
	const uint8_t buf[6] = { 1, 2, 3, 4, 5, 6 };
	struct rd r, c;
	uint8_t b;

	(void)state;
	rd_init(&r, buf, sizeof(buf));
	assert_false(rd_sub(&r, 7, &c));
	assert_true(rd_sub(&r, 2, &c));
	assert_true(rd_u8(&c, &b));
	assert_int_equal(b, 1);
	assert_true(rd_u8(&c, &b));
	assert_false(rd_u8(&c, &b));
	assert_true(rd_empty(&c));
	assert_int_equal(rd_left(&r), 4);
	assert_true(rd_u8(&r, &b));
	assert_int_equal(b, 3);
}

static void
rd_u32_is_big_endian(void **state)
{
	const uint8_t buf[4] = { 0xde, 0xad, 0xbe, 0xef };
	struct rd r;
	uint32_t v;

	(void)state;
	rd_init(&r, buf, sizeof(buf));
	assert_true(rd_u32(&r, &v));
	assert_int_equal(v, 0xdeadbeef);
	assert_true(rd_empty(&r));
}

static void
wr_overflow_is_sticky(void **state)
{
	uint8_t buf[3];
	struct wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	wr_u16(&w, 0x0102);
	wr_u16(&w, 0x0304);
	assert_false(wr_ok(&w));
	assert_int_equal(wr_len(&w), 2);
	wr_u8(&w, 5);
	assert_int_equal(wr_len(&w), 2);
	assert_false(wr_ok(&w));
}

static void
wr_writes_big_endian_and_patches(void **state)
{
	uint8_t buf[8];
	struct wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	wr_u16(&w, 0);
	wr_u32(&w, 0x01020304);
	wr_put_u16_at(&w, 0, 0xabcd);
	assert_true(wr_ok(&w));
	assert_memory_equal(buf, "\xab\xcd\x01\x02\x03\x04", 6);
	wr_put_u16_at(&w, 5, 1);
	assert_false(wr_ok(&w));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rd_short_reads_fail_and_do_not_advance),
		cmocka_unit_test(rd_sub_bounds_the_child),
		cmocka_unit_test(rd_u32_is_big_endian),
		cmocka_unit_test(wr_overflow_is_sticky),
		cmocka_unit_test(wr_writes_big_endian_and_patches),
	};

	return test_run(argc, argv, "base_rdwr", tests, ARRAY_LEN(tests));
}

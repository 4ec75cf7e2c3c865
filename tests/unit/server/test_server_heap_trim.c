/*
 * When the heap is given back (server/heap_trim.h): HEAP_TRIM_QUIET_MS
 * after the last session started or ended, but no later than
 * HEAP_TRIM_MAX_WAIT_MS after the first of the burst; once per burst.
 */
#include <string.h>

#include "server/heap_trim.h"
#include "test_run.h"

static void
on_stop(struct io_timer *t)
{
	io_loop_stop(t->arg);
}

static void
trim_waits_for_quiet_within_a_bound(void **state)
{
	struct io_loop loop;
	struct io_timer stop;
	struct heap_trim h;
	uint64_t now;

	(void)state;
	assert_int_equal(io_loop_init(&loop), 0);
	heap_trim_init(&h, &loop);
	assert_int_equal(h.timer.deadline, IO_NO_DEADLINE);
	now = io_loop_now(&loop);
	heap_trim_note(&h);
	assert_int_equal(h.burst_start, now);
	assert_int_equal(h.timer.deadline, now + HEAP_TRIM_QUIET_MS);
	/* Later in the burst: the quiet period counts from the last note. */
	h.burst_start = now - 10000;
	heap_trim_note(&h);
	assert_int_equal(h.burst_start, now - 10000);
	assert_int_equal(h.timer.deadline, now + HEAP_TRIM_QUIET_MS);
	/* A burst that never pauses is trimmed at the bound: one ms short
	 * of it, then at it. */
	h.burst_start = now - (HEAP_TRIM_MAX_WAIT_MS - HEAP_TRIM_QUIET_MS) + 1;
	heap_trim_note(&h);
	assert_int_equal(h.timer.deadline, now + HEAP_TRIM_QUIET_MS);
	h.burst_start = now - (HEAP_TRIM_MAX_WAIT_MS - 500);
	heap_trim_note(&h);
	assert_int_equal(h.timer.deadline, now + 500);
	/* Past the bound: at once, once; then a new burst begins. */
	h.burst_start = now - HEAP_TRIM_MAX_WAIT_MS - 1000;
	heap_trim_note(&h);
	assert_true(h.timer.deadline <= now);
	io_timer_init(&stop, on_stop, &loop);
	io_timer_set(&loop, &stop, now + 50);
	assert_int_equal(io_loop_run(&loop), 0);
	assert_int_equal(h.trims, 1);
	assert_int_equal(h.burst_start, IO_NO_DEADLINE);
	assert_int_equal(h.timer.deadline, IO_NO_DEADLINE);
	now = io_loop_now(&loop);
	heap_trim_note(&h);
	assert_int_equal(h.burst_start, now);
	assert_int_equal(h.timer.deadline, now + HEAP_TRIM_QUIET_MS);
	heap_trim_fini(&h);
	assert_int_equal(h.timer.deadline, IO_NO_DEADLINE);
	io_loop_fini(&loop);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(trim_waits_for_quiet_within_a_bound),
	};

	return test_run(
	    argc, argv, "server_heap_trim", tests, ARRAY_LEN(tests));
}

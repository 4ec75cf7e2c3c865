/*
 * The heap given back after a burst (see heap_trim.h).
 */
#include "server/heap_trim.h"

#ifdef __GLIBC__
#include <malloc.h>
#define HEAP_RELEASE() malloc_trim(0)
#else
#define HEAP_RELEASE() 0 /* other allocators return memory their way */
#endif

#include "base/log.h"

static void
on_trim(struct io_timer *t)
{
	struct heap_trim *h = t->arg;
	uint64_t t0 = io_loop_update_time(h->loop), ms;
	int released;

	h->burst_start = IO_NO_DEADLINE;
	released = HEAP_RELEASE();
	ms = io_loop_update_time(h->loop) - t0;
	h->trims++;
	log_debug("heap trim: %s in %llu ms",
	    released ? "memory released" : "nothing to release",
	    (unsigned long long)ms);
}

void
heap_trim_init(struct heap_trim *h, struct io_loop *loop)
{
	h->loop = loop;
	h->burst_start = IO_NO_DEADLINE;
	h->trims = 0;
	io_timer_init(&h->timer, on_trim, h);
}

void
heap_trim_note(struct heap_trim *h)
{
	uint64_t now = io_loop_now(h->loop), at = now + HEAP_TRIM_QUIET_MS;

	if (h->burst_start == IO_NO_DEADLINE)
		h->burst_start = now;
	if (at > h->burst_start + HEAP_TRIM_MAX_WAIT_MS)
		at = h->burst_start + HEAP_TRIM_MAX_WAIT_MS;
	io_timer_set(h->loop, &h->timer, at);
}

void
heap_trim_fini(struct heap_trim *h)
{
	if (h->loop != NULL)
		io_timer_cancel(h->loop, &h->timer);
}

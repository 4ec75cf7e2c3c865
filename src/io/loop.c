/*
 * The event loop (loop.h).  An iteration: wait for events (no longer than
 * the nearest timer), dispatch them, fire the expired timers, run the
 * deferred hooks.
 *
 * A callback may delete, and free the owner of, a watch whose event is
 * still pending later in the same epoll batch.  The loop keeps the batch
 * in loop->batch while dispatching, and io_watch_del clears the deleted
 * watch's entry there (at most one per fd per batch, found by a scan of
 * at most IO_BATCH entries), so no per-watch allocation is needed and a
 * stale pointer is never followed.
 */
#include "loop.h"

#include <sys/epoll.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define IO_BATCH 64

static uint64_t
clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
io_loop_init(struct io_loop *loop)
{
	*loop = (struct io_loop) { .epfd = -1 };
	if ((loop->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -errno;
	loop->defer_tail = &loop->defer_head;
	loop->now = clock_ms();
	return 0;
}

void
io_loop_fini(struct io_loop *loop)
{
	/* The timers left in the heap may be freed already: not touched. */
	if (loop->epfd >= 0)
		close(loop->epfd);
	free(loop->heap);
	*loop = (struct io_loop) { .epfd = -1 };
	loop->defer_tail = &loop->defer_head;
}

void
io_loop_stop(struct io_loop *loop)
{
	loop->stop = true;
}

uint64_t
io_loop_now(const struct io_loop *loop)
{
	return loop->now;
}

uint64_t
io_loop_update_time(struct io_loop *loop)
{
	return loop->now = clock_ms();
}

/* Watches. */

void
io_watch_init(struct io_watch *w, io_watch_cb cb, void *arg)
{
	*w = (struct io_watch) { .fd = -1, .cb = cb, .arg = arg };
}

int
io_watch_add(struct io_loop *loop, struct io_watch *w, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (w->added && w->fd == fd)
		return io_watch_mod(loop, w, events);
	io_watch_del(loop, w);
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	w->fd = fd;
	w->events = events;
	w->added = true;
	return 0;
}

int
io_watch_mod(struct io_loop *loop, struct io_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (!w->added)
		return -ENOENT;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0)
		return -errno;
	w->events = events;
	return 0;
}

void
io_watch_del(struct io_loop *loop, struct io_watch *w)
{
	int i;

	if (!w->added)
		return;
	/* Fails only if the fd was closed first, which removed it anyway. */
	(void)epoll_ctl(loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	w->added = false;
	for (i = 0; i < loop->nbatch; i++)
		if (loop->batch[i].data.ptr == w)
			loop->batch[i].data.ptr = NULL;
}

static void
dispatch(struct io_loop *loop, struct epoll_event *evs, int n)
{
	struct io_watch *w;
	uint32_t got;
	int i;

	loop->batch = evs;
	loop->nbatch = n;
	for (i = 0; i < n; i++) {
		if ((w = evs[i].data.ptr) == NULL)
			continue;
		/* A callback earlier in the batch may have narrowed it. */
		got = evs[i].events & (w->events | EPOLLERR | EPOLLHUP);
		if (got != 0)
			w->cb(w, got);
	}
	loop->batch = NULL;
	loop->nbatch = 0;
}

/* Timers: a binary min-heap on deadline. */

static void
heap_place(struct io_loop *loop, size_t i, struct io_timer *t)
{
	loop->heap[i] = t;
	t->heap_idx = i;
}

static void
heap_up(struct io_loop *loop, size_t i)
{
	struct io_timer *t = loop->heap[i];
	size_t parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (loop->heap[parent]->deadline <= t->deadline)
			break;
		heap_place(loop, i, loop->heap[parent]);
		i = parent;
	}
	heap_place(loop, i, t);
}

static void
heap_down(struct io_loop *loop, size_t i)
{
	struct io_timer *t = loop->heap[i];
	size_t child;

	for (;;) {
		child = 2 * i + 1;
		if (child >= loop->nheap)
			break;
		if (child + 1 < loop->nheap &&
		    loop->heap[child + 1]->deadline <
			loop->heap[child]->deadline)
			child++;
		if (t->deadline <= loop->heap[child]->deadline)
			break;
		heap_place(loop, i, loop->heap[child]);
		i = child;
	}
	heap_place(loop, i, t);
}

static void
heap_push(struct io_loop *loop, struct io_timer *t)
{
	struct io_timer **h;
	size_t cap;

	if (loop->nheap == loop->heap_cap) {
		cap = loop->heap_cap != 0 ? loop->heap_cap * 2 : 16;
		/* io_timer_set cannot fail: a loop without memory is dead. */
		if ((h = realloc(loop->heap, cap * sizeof(*h))) == NULL) {
			fprintf(stderr, "io_loop: out of memory for timers\n");
			abort();
		}
		loop->heap = h;
		loop->heap_cap = cap;
	}
	heap_place(loop, loop->nheap++, t);
	heap_up(loop, t->heap_idx);
}

static void
heap_remove(struct io_loop *loop, struct io_timer *t)
{
	size_t i = t->heap_idx;
	struct io_timer *last = loop->heap[--loop->nheap];

	t->heap_idx = SIZE_MAX;
	if (last == t)
		return;
	heap_place(loop, i, last);
	if (i > 0 && loop->heap[(i - 1) / 2]->deadline > last->deadline)
		heap_up(loop, i);
	else
		heap_down(loop, i);
}

void
io_timer_init(struct io_timer *t, io_timer_cb cb, void *arg)
{
	*t = (struct io_timer) {
		.deadline = IO_NO_DEADLINE,
		.heap_idx = SIZE_MAX,
		.cb = cb,
		.arg = arg,
	};
}

void
io_timer_set(struct io_loop *loop, struct io_timer *t, uint64_t deadline)
{
	uint64_t old = t->deadline;

	if (deadline == IO_NO_DEADLINE) {
		io_timer_cancel(loop, t);
		return;
	}
	t->deadline = deadline;
	if (t->heap_idx == SIZE_MAX)
		heap_push(loop, t);
	else if (deadline < old)
		heap_up(loop, t->heap_idx);
	else
		heap_down(loop, t->heap_idx);
}

void
io_timer_cancel(struct io_loop *loop, struct io_timer *t)
{
	if (t->heap_idx != SIZE_MAX)
		heap_remove(loop, t);
	t->deadline = IO_NO_DEADLINE;
}

/*
 * At most as many callbacks as there were timers, so that a timer re-armed
 * to a time already past from its own callback cannot starve the I/O: it
 * fires again next iteration (whose wait is then 0).
 */
static void
fire_timers(struct io_loop *loop)
{
	struct io_timer *t;
	size_t budget = loop->nheap;

	while (budget-- > 0 && loop->nheap > 0) {
		t = loop->heap[0];
		if (t->deadline > loop->now)
			break;
		/* Out of the heap first: the callback may re-arm it. */
		heap_remove(loop, t);
		t->deadline = IO_NO_DEADLINE;
		t->cb(t);
	}
}

/* Deferred hooks: a FIFO; one queued while draining runs in this drain. */

void
io_defer_init(struct io_defer *d, io_defer_cb cb, void *arg)
{
	*d = (struct io_defer) { .cb = cb, .arg = arg };
}

void
io_defer(struct io_loop *loop, struct io_defer *d)
{
	if (d->queued)
		return;
	d->next = NULL;
	d->queued = true;
	*loop->defer_tail = d;
	loop->defer_tail = &d->next;
}

void
io_defer_cancel(struct io_loop *loop, struct io_defer *d)
{
	struct io_defer **pp;

	if (!d->queued)
		return;
	for (pp = &loop->defer_head; *pp != NULL; pp = &(*pp)->next) {
		if (*pp != d)
			continue;
		*pp = d->next;
		if (loop->defer_tail == &d->next)
			loop->defer_tail = pp;
		break;
	}
	d->next = NULL;
	d->queued = false;
}

static void
run_deferred(struct io_loop *loop)
{
	struct io_defer *d;

	while ((d = loop->defer_head) != NULL) {
		if ((loop->defer_head = d->next) == NULL)
			loop->defer_tail = &loop->defer_head;
		d->next = NULL;
		d->queued = false;
		d->cb(d);
	}
}

static int
wait_ms(const struct io_loop *loop)
{
	uint64_t deadline;

	if (loop->defer_head != NULL)
		return 0;
	if (loop->nheap == 0)
		return -1;
	deadline = loop->heap[0]->deadline;
	if (deadline <= loop->now)
		return 0;
	/* Capped; a longer wait just takes another iteration. */
	if (deadline - loop->now > INT_MAX)
		return INT_MAX;
	return (int)(deadline - loop->now);
}

int
io_loop_run(struct io_loop *loop)
{
	struct epoll_event evs[IO_BATCH];
	int n;

	loop->stop = false;
	while (!loop->stop) {
		n = epoll_wait(loop->epfd, evs, IO_BATCH, wait_ms(loop));
		if (n < 0 && errno != EINTR)
			return -errno;
		loop->now = clock_ms();
		if (n > 0)
			dispatch(loop, evs, n);
		/*
		 * A stop ends the loop after this iteration, whose timers
		 * and hooks still run: the hooks flush what was queued.
		 */
		fire_timers(loop);
		run_deferred(loop);
	}
	return 0;
}

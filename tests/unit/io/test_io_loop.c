#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/loop.h"
#include "test_run.h"

/* What happened, in order, as one character per event. */
struct trace {
	struct io_loop *loop;
	char log[64];
	size_t n;
};

static void
trace_add(struct trace *tr, char c)
{
	assert_true(tr->n + 1 < sizeof(tr->log));
	tr->log[tr->n++] = c;
	tr->log[tr->n] = '\0';
}

struct tmr {
	struct io_timer t;
	struct trace *tr;
	char id;
	int fired;
	int rearm; /* times left to re-arm from the callback */
	bool stop;
};

static void
tmr_cb(struct io_timer *t)
{
	struct tmr *m = t->arg;
	struct io_loop *loop = m->tr->loop;

	assert_int_equal(t->heap_idx, SIZE_MAX);
	assert_int_equal(t->deadline, IO_NO_DEADLINE);
	m->fired++;
	trace_add(m->tr, m->id);
	if (m->rearm-- > 0)
		io_timer_set(loop, t, io_loop_now(loop) + 1);
	else if (m->stop)
		io_loop_stop(loop);
}

static void
tmr_init(struct tmr *m, struct trace *tr, char id, bool stop)
{
	memset(m, 0, sizeof(*m));
	m->tr = tr;
	m->id = id;
	m->stop = stop;
	io_timer_init(&m->t, tmr_cb, m);
}

static void
timers_fire_in_deadline_order(void **state)
{
	struct io_loop loop;
	struct trace tr = { .loop = &loop };
	struct tmr a, b, c;
	uint64_t t0;

	(void)state;
	assert_int_equal(io_loop_init(&loop), 0);
	tmr_init(&a, &tr, 'a', true);
	tmr_init(&b, &tr, 'b', false);
	tmr_init(&c, &tr, 'c', false);
	t0 = io_loop_now(&loop);
	io_timer_set(&loop, &a.t, t0 + 30);
	io_timer_set(&loop, &b.t, t0 + 10);
	io_timer_set(&loop, &c.t, t0 + 20);
	assert_int_equal(io_loop_run(&loop), 0);
	assert_string_equal(tr.log, "bca");
	assert_true(io_loop_now(&loop) >= t0 + 30);
	io_loop_fini(&loop);
}

static void
timer_rearmed_from_its_callback_fires_again(void **state)
{
	struct io_loop loop;
	struct trace tr = { .loop = &loop };
	struct tmr a;

	(void)state;
	assert_int_equal(io_loop_init(&loop), 0);
	tmr_init(&a, &tr, 'a', true);
	a.rearm = 3;
	io_timer_set(&loop, &a.t, io_loop_now(&loop) + 1);
	assert_int_equal(io_loop_run(&loop), 0);
	assert_int_equal(a.fired, 4);
	assert_string_equal(tr.log, "aaaa");
	io_loop_fini(&loop);
}

static void
cancelled_and_moved_timers(void **state)
{
	struct io_loop loop;
	struct trace tr = { .loop = &loop };
	struct tmr a, b, c, d;
	uint64_t t0;

	(void)state;
	assert_int_equal(io_loop_init(&loop), 0);
	tmr_init(&a, &tr, 'a', false);
	tmr_init(&b, &tr, 'b', true);
	tmr_init(&c, &tr, 'c', false);
	tmr_init(&d, &tr, 'd', false);
	t0 = io_loop_now(&loop);
	io_timer_set(&loop, &a.t, t0 + 5);
	io_timer_set(&loop, &b.t, t0 + 20);
	io_timer_set(&loop, &c.t, t0 + 40);
	io_timer_set(&loop, &d.t, t0 + 1);
	io_timer_cancel(&loop, &a.t);
	assert_int_equal(a.t.heap_idx, SIZE_MAX);
	assert_int_equal(a.t.deadline, IO_NO_DEADLINE);
	io_timer_cancel(&loop, &a.t); /* twice is harmless */
	io_timer_set(&loop, &c.t, t0 + 2); /* earlier */
	io_timer_set(&loop, &d.t, t0 + 60); /* later, after the stop */
	io_timer_set(&loop, &d.t, IO_NO_DEADLINE); /* disarmed */
	assert_int_equal(loop.nheap, 2);
	assert_int_equal(io_loop_run(&loop), 0);
	assert_string_equal(tr.log, "cb");
	assert_int_equal(loop.nheap, 0);
	io_loop_fini(&loop);
}

/* Many timers with colliding deadlines: the heap keeps them in order. */
struct many_ctx {
	struct io_loop *loop;
	uint64_t last_due;
	int count;
};

struct many {
	struct io_timer t;
	struct many_ctx *ctx;
	uint64_t due;
};

static void
many_cb(struct io_timer *t)
{
	struct many *m = t->arg;

	assert_true(io_loop_now(m->ctx->loop) >= m->due);
	assert_true(m->due >= m->ctx->last_due);
	m->ctx->last_due = m->due;
	m->ctx->count++;
}

static void
many_set(struct io_loop *loop, struct many *m, uint64_t due)
{
	m->due = due;
	io_timer_set(loop, &m->t, due);
}

static void
stop_cb(struct io_timer *t)
{
	io_loop_stop(t->arg);
}

static void
heap_of_many_timers_fires_each_armed_one(void **state)
{
	enum { N = 300 };
	struct io_loop loop;
	struct many_ctx ctx = { .loop = &loop };
	struct many *m;
	struct io_timer stop;
	uint64_t t0, x = 12345;
	int armed = 0, i;

	(void)state;
	assert_int_equal(io_loop_init(&loop), 0);
	m = calloc(N, sizeof(*m));
	assert_non_null(m);
	t0 = io_loop_now(&loop);
	for (i = 0; i < N; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		m[i].ctx = &ctx;
		io_timer_init(&m[i].t, many_cb, &m[i]);
		many_set(&loop, &m[i], t0 + (x >> 33) % 15);
	}
	/* Cancel or move a third of them, from all over the heap. */
	for (i = 0; i < N; i += 3) {
		if (i % 2 == 0)
			io_timer_cancel(&loop, &m[i].t);
		else
			many_set(&loop, &m[i], t0 + (uint64_t)i % 7);
	}
	for (i = 0; i < N; i++) {
		if (m[i].t.heap_idx != SIZE_MAX) {
			armed++;
			assert_ptr_equal(loop.heap[m[i].t.heap_idx], &m[i].t);
		}
	}
	for (i = 1; i < (int)loop.nheap; i++)
		assert_true(
		    loop.heap[(i - 1) / 2]->deadline <= loop.heap[i]->deadline);
	io_timer_init(&stop, stop_cb, &loop);
	io_timer_set(&loop, &stop, t0 + 20);
	assert_int_equal(io_loop_run(&loop), 0);
	assert_int_equal(ctx.count, armed);
	assert_int_equal(loop.nheap, 0);
	free(m);
	io_loop_fini(&loop);
}

/* An eventfd that stays readable until read. */
struct efd {
	struct io_watch w;
	struct trace *tr;
	struct efd *other;
	char id;
	int calls;
};

static int
efd_new(void)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	uint64_t one = 1;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, &one, sizeof(one)), sizeof(one));
	return fd;
}

static void
efd_read_cb(struct io_watch *w, uint32_t events)
{
	struct efd *e = w->arg;
	uint64_t v;

	assert_true(events & EPOLLIN);
	/* All 8 bytes of an eventfd, or what the pipe holds. */
	assert_true(read(w->fd, &v, sizeof(v)) > 0);
	e->calls++;
	trace_add(e->tr, e->id);
	io_loop_stop(e->tr->loop);
}

static void
watch_on_eventfd_and_pipe(void **state)
{
	struct io_loop loop;
	struct trace tr = { .loop = &loop };
	struct efd e = { .tr = &tr, .id = 'e' };
	struct io_watch pw;
	int fd, p[2];

	(void)state;
	assert_int_equal(io_loop_init(&loop), 0);
	fd = efd_new();
	io_watch_init(&e.w, efd_read_cb, &e);
	assert_int_equal(io_watch_add(&loop, &e.w, fd, EPOLLIN), 0);
	assert_true(e.w.added);
	assert_int_equal(io_loop_run(&loop), 0);
	assert_int_equal(e.calls, 1);
	/* The same watch moved to a pipe: readable after a write. */
	assert_int_equal(pipe(p), 0);
	io_watch_init(&pw, NULL, NULL);
	assert_int_equal(io_watch_mod(&loop, &pw, EPOLLIN), -ENOENT);
	io_watch_del(&loop, &pw); /* not added: harmless */
	io_watch_del(&loop, &e.w);
	assert_false(e.w.added);
	assert_int_equal(io_watch_add(&loop, &e.w, p[0], EPOLLIN), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(io_loop_run(&loop), 0);
	assert_string_equal(tr.log, "ee");
	assert_int_equal(io_watch_add(&loop, &e.w, -1, EPOLLIN), -EBADF);
	io_watch_del(&loop, &e.w);
	close(p[0]);
	close(p[1]);
	close(fd);
	io_loop_fini(&loop);
}

static void
efd_kill_other_cb(struct io_watch *w, uint32_t events)
{
	struct efd *e = w->arg;
	struct io_loop *loop = e->tr->loop;

	(void)events;
	e->calls++;
	trace_add(e->tr, e->id);
	/* The other's event is pending in this batch: free its owner. */
	if (e->other != NULL) {
		io_watch_del(loop, &e->other->w);
		close(e->other->w.fd);
		e->other->other = NULL;
		free(e->other);
		e->other = NULL;
	}
	io_watch_del(loop, w);
	io_loop_stop(loop);
}

static void
deleting_another_watch_with_pending_event_is_safe(void **state)
{
	struct io_loop loop;
	struct trace tr = { .loop = &loop };
	struct efd *a, *b, *survivor;
	int fa, fb;

	(void)state;
	assert_int_equal(io_loop_init(&loop), 0);
	a = calloc(1, sizeof(*a));
	b = calloc(1, sizeof(*b));
	assert_non_null(a);
	assert_non_null(b);
	*a = (struct efd) { .tr = &tr, .id = 'a', .other = b };
	*b = (struct efd) { .tr = &tr, .id = 'b', .other = a };
	fa = efd_new();
	fb = efd_new();
	io_watch_init(&a->w, efd_kill_other_cb, a);
	io_watch_init(&b->w, efd_kill_other_cb, b);
	assert_int_equal(io_watch_add(&loop, &a->w, fa, EPOLLIN), 0);
	assert_int_equal(io_watch_add(&loop, &b->w, fb, EPOLLIN), 0);
	/* Both readable: one epoll_wait returns both events. */
	assert_int_equal(io_loop_run(&loop), 0);
	/* ASan reports any use of the freed one; one callback ran. */
	assert_int_equal(tr.n, 1);
	survivor = tr.log[0] == 'a' ? a : b;
	assert_int_equal(survivor->calls, 1);
	assert_null(survivor->other);
	close(survivor->w.fd);
	free(survivor);
	io_loop_fini(&loop);
}

struct hooks {
	struct io_loop *loop;
	struct trace tr;
	struct io_watch w;
	struct io_defer d, e, f;
};

static void
hooks_watch_cb(struct io_watch *w, uint32_t events)
{
	struct hooks *h = w->arg;

	(void)events;
	trace_add(&h->tr, 'w');
	io_defer(h->loop, &h->d);
	io_defer(h->loop, &h->d); /* once, however often asked */
	io_defer(h->loop, &h->f);
	assert_true(h->d.queued);
}

static void
hooks_d_cb(struct io_defer *d)
{
	struct hooks *h = d->arg;

	assert_false(d->queued);
	trace_add(&h->tr, 'd');
	/* Queued while draining: runs in this same drain. */
	io_defer(h->loop, &h->e);
	io_defer_cancel(h->loop, &h->f);
}

static void
hooks_e_cb(struct io_defer *d)
{
	struct hooks *h = d->arg;

	trace_add(&h->tr, 'e');
	io_loop_stop(h->loop);
}

static void
hooks_f_cb(struct io_defer *d)
{
	struct hooks *h = d->arg;

	trace_add(&h->tr, 'f');
}

static void
deferred_hooks_run_once_after_callbacks(void **state)
{
	struct io_loop loop;
	struct hooks h = { .loop = &loop };
	int fd;

	(void)state;
	assert_int_equal(io_loop_init(&loop), 0);
	io_defer_init(&h.d, hooks_d_cb, &h);
	io_defer_init(&h.e, hooks_e_cb, &h);
	io_defer_init(&h.f, hooks_f_cb, &h);
	/* Never read: level-triggered, it would fire every iteration. */
	fd = efd_new();
	io_watch_init(&h.w, hooks_watch_cb, &h);
	assert_int_equal(io_watch_add(&loop, &h.w, fd, EPOLLIN), 0);
	assert_int_equal(io_loop_run(&loop), 0);
	assert_string_equal(h.tr.log, "wde");
	assert_false(h.f.queued);
	assert_null(loop.defer_head);
	/* Cancel the tail, then queue again: the FIFO's tail is right. */
	io_defer(&loop, &h.f);
	io_defer(&loop, &h.d);
	io_defer_cancel(&loop, &h.d);
	io_defer(&loop, &h.e);
	io_watch_del(&loop, &h.w);
	assert_int_equal(io_loop_run(&loop), 0);
	assert_string_equal(h.tr.log, "wdefe");
	close(fd);
	io_loop_fini(&loop);
}

static void
stop_then_run_again(void **state)
{
	struct io_loop loop;
	struct io_timer t;
	uint64_t t0;

	(void)state;
	assert_int_equal(io_loop_init(&loop), 0);
	io_timer_init(&t, stop_cb, &loop);
	t0 = io_loop_now(&loop);
	io_timer_set(&loop, &t, t0 + 5);
	assert_int_equal(io_loop_run(&loop), 0);
	assert_true(io_loop_now(&loop) >= t0 + 5);
	io_timer_set(&loop, &t, io_loop_now(&loop));
	assert_int_equal(io_loop_run(&loop), 0);
	assert_true(io_loop_update_time(&loop) >= t0 + 5);
	io_loop_fini(&loop);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timers_fire_in_deadline_order),
		cmocka_unit_test(timer_rearmed_from_its_callback_fires_again),
		cmocka_unit_test(cancelled_and_moved_timers),
		cmocka_unit_test(heap_of_many_timers_fires_each_armed_one),
		cmocka_unit_test(watch_on_eventfd_and_pipe),
		cmocka_unit_test(
		    deleting_another_watch_with_pending_event_is_safe),
		cmocka_unit_test(deferred_hooks_run_once_after_callbacks),
		cmocka_unit_test(stop_then_run_again),
	};

	return test_run(argc, argv, "io_loop", tests, ARRAY_LEN(tests));
}

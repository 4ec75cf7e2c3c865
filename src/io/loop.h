/*
 * The event loop: one epoll instance, a timer heap and end-of-iteration
 * hooks, for one thread.  Small on purpose (DESIGN.md): the data path
 * batches by doing all its reading in the callbacks of one iteration and
 * all its writing in the deferred hooks that run once after them.
 *
 *	io_loop_init(&loop);
 *	io_watch_add(&loop, &w, fd, EPOLLIN, cb, arg);
 *	io_timer_set(&loop, &t, io_loop_now(&loop) + 1000);
 *	io_loop_run(&loop);			until io_loop_stop()
 *
 * Time is a monotonic clock in milliseconds, read once per iteration
 * (io_loop_now), the same unit the protocol cores take.  Watches, timers
 * and hooks are embedded in their owner's struct; the loop allocates
 * nothing per watch.  A callback may add, change or remove any watch,
 * timer or hook, including its own, and may free the owner after removing
 * them.
 */
#ifndef OPENSSTP_IO_LOOP_H
#define OPENSSTP_IO_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IO_NO_DEADLINE UINT64_MAX

struct io_loop;
struct epoll_event;

struct io_watch;
typedef void (*io_watch_cb)(struct io_watch *w, uint32_t events);
struct io_watch {
	int fd;
	uint32_t events; /* EPOLLIN, EPOLLOUT (level-triggered) */
	io_watch_cb cb;
	void *arg;
	bool added;
};

struct io_timer;
typedef void (*io_timer_cb)(struct io_timer *t);
struct io_timer {
	uint64_t deadline; /* IO_NO_DEADLINE when not armed */
	size_t heap_idx; /* SIZE_MAX when not in the heap */
	io_timer_cb cb;
	void *arg;
};

/* Runs once after the current iteration's callbacks (batch flushing). */
struct io_defer;
typedef void (*io_defer_cb)(struct io_defer *d);
struct io_defer {
	struct io_defer *next;
	bool queued;
	io_defer_cb cb;
	void *arg;
};

struct io_loop {
	int epfd;
	bool stop;
	uint64_t now;
	struct io_timer **heap;
	size_t nheap, heap_cap;
	struct io_defer *defer_head, **defer_tail;
	/*
	 * The epoll batch being dispatched: io_watch_del clears a deleted
	 * watch's pending entry in it, as its owner may be freed by then.
	 */
	struct epoll_event *batch;
	int nbatch;
};

/* 0, or -errno. */
int io_loop_init(struct io_loop *loop);
void io_loop_fini(struct io_loop *loop);
/* Run until io_loop_stop(); 0, or -errno if epoll fails. */
int io_loop_run(struct io_loop *loop);
void io_loop_stop(struct io_loop *loop);
/* Milliseconds of CLOCK_MONOTONIC, as of the start of this iteration. */
uint64_t io_loop_now(const struct io_loop *loop);
/* Re-read the clock (after blocking work). */
uint64_t io_loop_update_time(struct io_loop *loop);

void io_watch_init(struct io_watch *w, io_watch_cb cb, void *arg);
/* 0, or -errno.  events: EPOLLIN and/or EPOLLOUT. */
int io_watch_add(
    struct io_loop *loop, struct io_watch *w, int fd, uint32_t events);
int io_watch_mod(struct io_loop *loop, struct io_watch *w, uint32_t events);
/* Safe on a watch not added; does not close the fd. */
void io_watch_del(struct io_loop *loop, struct io_watch *w);

void io_timer_init(struct io_timer *t, io_timer_cb cb, void *arg);
/* Arm at an absolute time; IO_NO_DEADLINE disarms. */
void io_timer_set(struct io_loop *loop, struct io_timer *t, uint64_t deadline);
void io_timer_cancel(struct io_loop *loop, struct io_timer *t);

void io_defer_init(struct io_defer *d, io_defer_cb cb, void *arg);
/* Queue d for the end of this iteration; once, however often asked. */
void io_defer(struct io_loop *loop, struct io_defer *d);
void io_defer_cancel(struct io_loop *loop, struct io_defer *d);

#endif

/*
 * One worker thread of opensstpd (DESIGN.md Data path): its own epoll
 * loop, its own SO_REUSEPORT socket per listen address (the kernel
 * spreads new connections over the workers), its own queue of the
 * shared multi-queue TUN, and the sessions it accepted, which never move.
 *
 * The kernel picks the TUN queue a packet leaves on, so a packet read by
 * one worker may belong to a session of another: it goes there through
 * that worker's inbox, in batches (server/handoff.h).  Worker 0 runs on
 * the main thread, which also handles the signals.
 */
#ifndef OPENSSTP_SERVER_WORKER_H
#define OPENSSTP_SERVER_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/loop.h"
#include "server/config.h"
#include "server/handoff.h"
#include "server/heap_trim.h"

struct server;
struct server_tls;
struct session;

#define WORKERS_MAX 64

struct listener {
	struct worker *w;
	const struct server_tls *tls;
	int fd;
	struct io_watch watch;
	char name[ADDR_STR_MAX];
};

struct worker {
	struct server *srv;
	unsigned index;
	pthread_t thread;
	bool started; /* a thread of its own (index > 0) */
	struct io_loop loop;
	struct listener listeners[CONFIG_MAX_SOCKETS];
	size_t nlisteners;
	int tun_fd; /* this worker's queue */
	struct io_watch tun_watch;
	uint8_t *tun_buf; /* one datagram */
	struct handoff_inbox inbox; /* from the other workers, and wake-ups */
	struct io_watch inbox_watch;
	struct handoff_batch *outbox[WORKERS_MAX]; /* to each other worker */
	struct io_defer flush; /* sends the outboxes once per iteration */
	/* Its sessions, doubly linked; changed only under srv->lock. */
	struct session *sessions;
	size_t nsessions;
	atomic_int stop_request; /* 0, 1: drain, 2: stop now */
	bool stopping;
	struct io_timer drain_timer;
	uint64_t tun_dropped; /* no session for the destination */
	uint64_t handed_off; /* datagrams sent to another worker */
	struct heap_trim trim; /* the heap given back after bursts */
};

/* Its loop, inbox and TUN queue (opened as root, before the drop). */
bool worker_init(struct worker *w, struct server *srv, unsigned index);
/* A SO_REUSEPORT socket for la on this worker, bound and listening. */
bool worker_listen(struct worker *w, const struct listen_addr *la,
    const struct server_tls *tls);
/* Worker 0 runs on the calling thread; the others on their own. */
bool worker_start(struct worker *w);
/* Until stopped; for worker 0, the calling thread's loop. */
int worker_run(struct worker *w);
/* From any thread: drain (stop accepting, close sessions), or stop now. */
void worker_request_stop(struct worker *w, bool now);
void worker_join(struct worker *w);
void worker_fini(struct worker *w);

/* A datagram from one of w's sessions to the TUN, through w's queue. */
void worker_tun_write(struct worker *w, const uint8_t *pkt, size_t len);
/* A session of w ended (session.c): stop when draining and none left. */
void worker_session_gone(struct worker *w);

#endif

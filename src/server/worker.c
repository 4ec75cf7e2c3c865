/*
 * A worker's loop: accepting on its SO_REUSEPORT sockets, reading its
 * TUN queue and dispatching each datagram to the session that owns the
 * destination (its own, or another worker's through a batched hand-off),
 * and draining on request.  See worker.h.
 */
#include "server/worker.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "io/tun.h"
#include "server/server.h"
#include "server/session.h"

/* Packets read from the TUN per wake-up, and connections accepted:
 * bounded so one busy source cannot starve the rest of the loop. */
#define TUN_BATCH    256
#define ACCEPT_BATCH 64
#define TUN_PKT_MAX  65536

/*
 * The session for a datagram's destination, and the worker it lives on.
 * The pointer is only used by that worker: another one may free it as
 * soon as the lock is released.
 */
static struct session *
lookup(struct server *srv, const uint8_t *pkt, size_t len, int *version,
    unsigned *owner)
{
	struct session *s = NULL;
	uint32_t dst;

	*version = len > 0 ? pkt[0] >> 4 : 0;
	pthread_rwlock_rdlock(&srv->routes_lock);
	if (*version == 4 && len >= 20) {
		memcpy(&dst, pkt + 16, 4);
		s = addr_table_get4(&srv->routes, ntohl(dst));
	} else if (*version == 6 && len >= 40)
		s = addr_table_get6(&srv->routes, pkt + 24);
	if (s != NULL)
		*owner = s->w->index;
	pthread_rwlock_unlock(&srv->routes_lock);
	return s;
}

static void
dispatch(struct worker *w, const uint8_t *pkt, size_t len, bool handed)
{
	struct server *srv = w->srv;
	struct session *s;
	unsigned owner = 0;
	int version;

	s = lookup(srv, pkt, len, &version, &owner);
	if (s != NULL && owner == w->index) {
		session_from_tun(s, version, pkt, len);
		return;
	}
	/* Gone, or (handed to us) gone and its address already reused. */
	if (s == NULL || handed) {
		w->tun_dropped++;
		return;
	}
	if (handoff_add(
		&w->outbox[owner], &srv->workers[owner].inbox, pkt, len)) {
		w->handed_off++;
		io_defer(&w->loop, &w->flush);
	} else
		w->tun_dropped++;
}

static void
on_tun(struct io_watch *iw, uint32_t events)
{
	struct worker *w = iw->arg;
	ssize_t n;
	int i;

	(void)events;
	/* Drain until EAGAIN (bounded): the sessions' deferred flushes then
	 * send everything read here in as few records as possible. */
	for (i = 0; i < TUN_BATCH; i++) {
		n = read(w->tun_fd, w->tun_buf, TUN_PKT_MAX);
		if (n <= 0)
			break;
		dispatch(w, w->tun_buf, (size_t)n, false);
	}
}

/* End of the iteration: every other worker gets its batch, if any. */
static void
on_flush(struct io_defer *d)
{
	struct worker *w = d->arg;
	struct server *srv = w->srv;
	size_t i;

	for (i = 0; i < srv->nworkers; i++)
		if (w->outbox[i] != NULL)
			handoff_send(&w->outbox[i], &srv->workers[i].inbox);
}

static void
from_inbox(void *arg, const uint8_t *pkt, size_t len)
{
	dispatch(arg, pkt, len, true);
}

static void drain(struct worker *w);

static void
on_inbox(struct io_watch *iw, uint32_t events)
{
	struct worker *w = iw->arg;
	int req;

	(void)events;
	handoff_receive(&w->inbox, from_inbox, w);
	req = atomic_load(&w->stop_request);
	if (req == 2)
		io_loop_stop(&w->loop);
	else if (req == 1 && !w->stopping)
		drain(w);
}

static void
on_accept(struct io_watch *iw, uint32_t events)
{
	struct listener *l = iw->arg;
	struct worker *w = l->w;
	struct sockaddr_storage ss;
	struct ip_addr src;
	socklen_t sl;
	char peer[ADDR_STR_MAX];
	enum admit_verdict v;
	int fd, i, one = 1;

	(void)events;
	for (i = 0; i < ACCEPT_BATCH; i++) {
		sl = sizeof(ss);
		fd = accept4(l->fd, (struct sockaddr *)&ss, &sl,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("accept on %s: %s", l->name,
				    strerror(errno));
			return;
		}
		if (w->stopping) {
			close(fd);
			continue;
		}
		sockaddr_str((struct sockaddr *)&ss, peer);
		v = ADMIT_REFUSED;
		if (addr_from_sockaddr((struct sockaddr *)&ss, &src, NULL))
			v = server_admit(
			    w->srv, &src, peer, io_loop_now(&w->loop));
		if (v == ADMIT_REFUSED) {
			close(fd);
			continue;
		}
		/* Records are batched here, so Nagle would only add delay. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		session_start(w, fd, &src, peer, l->tls, v == ADMIT_FULL);
		heap_trim_note(&w->trim);
	}
}

/* drain_ms after the request: the sessions still open are dropped. */
static void
on_drain_deadline(struct io_timer *t)
{
	struct worker *w = t->arg;

	log_warn("worker=%u drain deadline drain_ms=%u open=%zu", w->index,
	    (unsigned)w->srv->cfg.drain_ms, w->nsessions);
	io_loop_stop(&w->loop);
}

static void
drain(struct worker *w)
{
	struct session *s, *next;
	size_t i;

	w->stopping = true;
	io_timer_set(&w->loop, &w->drain_timer,
	    io_loop_now(&w->loop) + w->srv->cfg.drain_ms);
	for (i = 0; i < w->nlisteners; i++)
		io_watch_del(&w->loop, &w->listeners[i].watch);
	/* Only this thread unlinks its sessions: no lock to walk them. */
	for (s = w->sessions; s != NULL; s = next) {
		next = s->next;
		session_close(s, "server stopping");
	}
	if (w->nsessions == 0)
		io_loop_stop(&w->loop);
}

void
worker_tun_write(struct worker *w, const uint8_t *pkt, size_t len)
{
	/* A full TUN queue drops, as a router would. */
	if (write(w->tun_fd, pkt, len) < 0 && errno != EAGAIN)
		log_debug("tun write: %s", strerror(errno));
}

void
worker_session_gone(struct worker *w)
{
	heap_trim_note(&w->trim);
	if (w->stopping && w->nsessions == 0)
		io_loop_stop(&w->loop);
}

void
worker_request_stop(struct worker *w, bool now)
{
	uint64_t one = 1;

	atomic_store(&w->stop_request, now ? 2 : 1);
	/* The inbox's eventfd doubles as the doorbell. */
	if (write(w->inbox.efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_warn("worker=%u wake-up: %s", w->index, strerror(errno));
}

bool
worker_init(struct worker *w, struct server *srv, unsigned index)
{
	char name[IFNAMSIZ];
	int err;

	memset(w, 0, sizeof(*w));
	w->srv = srv;
	w->index = index;
	w->tun_fd = -1;
	w->inbox.efd = -1;
	io_timer_init(&w->drain_timer, on_drain_deadline, w);
	io_defer_init(&w->flush, on_flush, w);
	heap_trim_init(&w->trim, &w->loop);
	if ((err = io_loop_init(&w->loop)) != 0) {
		log_error("epoll: %s", strerror(-err));
		return false;
	}
	if ((err = handoff_inbox_init(&w->inbox)) != 0) {
		log_error("eventfd: %s", strerror(-err));
		return false;
	}
	w->tun_buf = malloc(TUN_PKT_MAX);
	if (w->tun_buf == NULL) {
		log_error("out of memory");
		return false;
	}
	/* Worker 0 creates the device; the others add a queue to it. */
	w->tun_fd = tun_open(srv->cfg.tun, true, name);
	if (w->tun_fd < 0) {
		log_error("TUN %s queue %u: %s", srv->cfg.tun, index,
		    strerror(-w->tun_fd));
		return false;
	}
	if (index == 0)
		memcpy(srv->tun_name, name, sizeof(srv->tun_name));
	io_watch_init(&w->tun_watch, on_tun, w);
	io_watch_init(&w->inbox_watch, on_inbox, w);
	if (io_watch_add(&w->loop, &w->tun_watch, w->tun_fd, EPOLLIN) != 0 ||
	    io_watch_add(&w->loop, &w->inbox_watch, w->inbox.efd, EPOLLIN) !=
		0) {
		log_error("epoll: %s", strerror(errno));
		return false;
	}
	return true;
}

/*
 * SO_REUSEPORT lets every worker listen on the same address; it would
 * also let a second opensstpd share the port unnoticed, so worker 0
 * first makes sure the address is free with a plain bind.
 */
static bool
address_free(const struct sockaddr_storage *ss, socklen_t sl, int family)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, e;
	bool ok;

	if (fd < 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	ok = bind(fd, (const struct sockaddr *)ss, sl) == 0;
	e = errno;
	close(fd);
	errno = e;
	return ok;
}

bool
worker_listen(struct worker *w, const struct listen_addr *la,
    const struct server_tls *tls)
{
	struct listener *l = &w->listeners[w->nlisteners];
	struct sockaddr_storage ss;
	struct ip_addr a;
	socklen_t sl;
	int fd, one = 1;

	if (w->nlisteners == CONFIG_MAX_SOCKETS) {
		log_error("listen: more than %d addresses", CONFIG_MAX_SOCKETS);
		return false;
	}
	if (la->host[0] == '\0')
		addr_parse("0.0.0.0", &a); /* ":443": any IPv4 address */
	else if (!addr_parse(la->host, &a)) {
		log_error("listen: %s is not an address", la->host);
		return false;
	}
	sl = addr_to_sockaddr(&a, la->port, &ss);
	sockaddr_str((struct sockaddr *)&ss, l->name);
	if (w->index == 0 && !address_free(&ss, sl, a.family)) {
		log_error("listen on %s: %s", l->name, strerror(errno));
		return false;
	}
	fd = socket(a.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	/* [::] and 0.0.0.0 are separate listeners: keep v6 to v6. */
	if (a.family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 1024) < 0) {
		log_error("listen on %s: %s", l->name, strerror(errno));
		close(fd);
		return false;
	}
	l->w = w;
	l->tls = tls;
	l->fd = fd;
	io_watch_init(&l->watch, on_accept, l);
	if (io_watch_add(&w->loop, &l->watch, fd, EPOLLIN) != 0) {
		close(fd);
		return false;
	}
	w->nlisteners++;
	if (w->index == 0)
		log_info("listening addr=%s listener=%s", l->name,
		    tls->name[0] != '\0' ? tls->name : "-");
	return true;
}

int
worker_run(struct worker *w)
{
	return io_loop_run(&w->loop) == 0 ? 0 : 1;
}

static void *
thread_main(void *arg)
{
	struct worker *w = arg;

	if (worker_run(w) != 0)
		log_error("worker=%u: epoll failed", w->index);
	return NULL;
}

bool
worker_start(struct worker *w)
{
	int err;

	if (w->index == 0)
		return true;
	err = pthread_create(&w->thread, NULL, thread_main, w);
	if (err != 0) {
		log_error("worker=%u: %s", w->index, strerror(err));
		return false;
	}
	w->started = true;
	return true;
}

void
worker_join(struct worker *w)
{
	if (w->started)
		pthread_join(w->thread, NULL);
	w->started = false;
}

void
worker_fini(struct worker *w)
{
	struct session *s;
	size_t i;

	if (w->srv == NULL)
		return;
	io_timer_cancel(&w->loop, &w->drain_timer);
	io_defer_cancel(&w->loop, &w->flush);
	heap_trim_fini(&w->trim);
	/* Sessions still open after a forced stop: drop them. */
	while ((s = w->sessions) != NULL) {
		w->sessions = s->next;
		session_free(s);
	}
	for (i = 0; i < WORKERS_MAX; i++)
		free(w->outbox[i]);
	for (i = 0; i < w->nlisteners; i++) {
		io_watch_del(&w->loop, &w->listeners[i].watch);
		close(w->listeners[i].fd);
	}
	if (w->tun_fd >= 0) {
		io_watch_del(&w->loop, &w->tun_watch);
		close(w->tun_fd);
	}
	io_watch_del(&w->loop, &w->inbox_watch);
	handoff_inbox_fini(&w->inbox);
	free(w->tun_buf);
	io_loop_fini(&w->loop);
	w->srv = NULL;
}

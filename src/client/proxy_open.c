/*
 * proxy_open(): the one blocking step of the client (see proxy.h).  The
 * socket is non-blocking while we talk to the proxy so that every wait
 * is a poll() bounded by the deadline and by abort_fd; the answer is
 * read with MSG_PEEK and then consumed exactly as far as the parser
 * took it, so that nothing after the proxy's answer is lost to TLS.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "base/addr.h"
#include "client/proxy_conn.h"

struct po {
	const struct proxy_url *proxy;
	uint64_t deadline; /* CLOCK_MONOTONIC, ms */
	uint32_t timeout_ms;
	int abort_fd;
	char *err;
	size_t errlen;
};

static uint64_t
po_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Wait for events on fd: 1 ready, 0 timed out or aborted (err set), -1
 * a poll failure (err set).
 */
static int
po_wait(struct po *o, int fd, short events)
{
	struct pollfd p[2];
	uint64_t now;
	int rc;

	for (;;) {
		now = po_now();
		if (now >= o->deadline) {
			snprintf(o->err, o->errlen,
			    "proxy %s:%u: no answer within %u ms",
			    o->proxy->host, (unsigned)o->proxy->port,
			    (unsigned)o->timeout_ms);
			return 0;
		}
		p[0].fd = fd;
		p[0].events = events;
		p[1].fd = o->abort_fd; /* negative: ignored by poll() */
		p[1].events = POLLIN;
		p[0].revents = p[1].revents = 0;
		rc = poll(p, 2, (int)(o->deadline - now));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			snprintf(o->err, o->errlen, "proxy: poll: %s",
			    strerror(errno));
			return -1;
		}
		if (p[1].revents != 0) {
			snprintf(o->err, o->errlen,
			    "proxy: interrupted while connecting");
			return 0;
		}
		if (p[0].revents != 0)
			return 1;
	}
}

/* A TCP connection to one of the proxy's addresses, or -1 (err). */
static int
po_connect(struct po *o)
{
	struct addrinfo hints, *res = NULL, *ai;
	char port[8], where[ADDR_STR_MAX];
	int fd = -1, rc, soerr;
	socklen_t sl;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	snprintf(port, sizeof(port), "%u", (unsigned)o->proxy->port);
	/* getaddrinfo() cannot be bounded; the resolver's own timeouts do. */
	rc = getaddrinfo(o->proxy->host, port, &hints, &res);
	if (rc != 0) {
		snprintf(o->err, o->errlen, "proxy %s: %s", o->proxy->host,
		    rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	snprintf(o->err, o->errlen, "proxy %s: no address", o->proxy->host);
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family,
		    ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0) {
			snprintf(o->err, o->errlen, "proxy: socket: %s",
			    strerror(errno));
			continue;
		}
		sockaddr_str(ai->ai_addr, where);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			rc = po_wait(o, fd, POLLOUT);
			if (rc <= 0) {
				close(fd);
				fd = -1;
				break; /* the deadline is for all addresses */
			}
			soerr = 0;
			sl = sizeof(soerr);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) ==
				0 &&
			    soerr == 0)
				break;
			errno = soerr;
		}
		snprintf(o->err, o->errlen, "proxy %s (%s): connect: %s",
		    o->proxy->host, where, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static bool
po_send(struct po *o, int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (po_wait(o, fd, POLLOUT) <= 0)
				return false;
			continue;
		}
		snprintf(o->err, o->errlen, "proxy: send: %s", strerror(errno));
		return false;
	}
	return true;
}

/*
 * Read the answer to the request just sent.  *got_any tells whether the
 * proxy said anything before closing (a kept connection it had already
 * given up on is retried on a new one).
 */
static enum proxy_status
po_answer(struct po *o, int fd, struct proxy_conn *c, bool *got_any)
{
	uint8_t buf[2048];
	enum proxy_status st;
	size_t used;
	ssize_t n;

	*got_any = false;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_PEEK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (po_wait(o, fd, POLLIN) <= 0)
				return PROXY_FAIL;
			continue;
		}
		if (n < 0) {
			snprintf(o->err, o->errlen, "proxy: recv: %s",
			    strerror(errno));
			return PROXY_FAIL;
		}
		if (n == 0)
			return proxy_conn_eof(c, o->err, o->errlen);
		*got_any = true;
		st = proxy_conn_feed(
		    c, buf, (size_t)n, &used, o->err, o->errlen);
		/* Consume what the parser took, no more (see the top). */
		if (used > 0 && recv(fd, buf, used, 0) != (ssize_t)used) {
			snprintf(o->err, o->errlen, "proxy: recv: short read");
			return PROXY_FAIL;
		}
		if (st != PROXY_MORE)
			return st;
	}
}

int
proxy_open(const struct proxy_url *proxy, const char *host, uint16_t port,
    uint32_t timeout_ms, int abort_fd, int *http_status, char *err,
    size_t errlen)
{
	struct proxy_conn *c;
	struct po o = { proxy, po_now() + timeout_ms, timeout_ms, abort_fd, err,
		errlen };
	char req[PROXY_REQUEST_MAX];
	size_t len;
	int fd = -1, flags, reconnects = 0;
	enum proxy_status st;
	bool got_any, fresh;

	if (http_status != NULL)
		*http_status = 0;
	c = OPENSSL_zalloc(sizeof(*c));
	if (c == NULL) {
		snprintf(err, errlen, "proxy: out of memory");
		return -1;
	}
	proxy_conn_init(c, proxy, host, port);
	for (;;) {
		fresh = fd < 0;
		if (fd < 0 && (fd = po_connect(&o)) < 0)
			break;
		if (!proxy_conn_request(
			c, req, sizeof(req), &len, err, errlen) ||
		    !po_send(&o, fd, req, len)) {
			OPENSSL_cleanse(req, sizeof(req));
			goto fail;
		}
		OPENSSL_cleanse(req, sizeof(req));
		st = po_answer(&o, fd, c, &got_any);
		if (http_status != NULL)
			*http_status = proxy_conn_status(c);
		if (st == PROXY_OK)
			break;
		/*
		 * A kept-alive connection the proxy closed before reading
		 * our retry (RFC 9112 9.3.1 allows it): once more, anew.
		 */
		if (st == PROXY_FAIL && !fresh && !got_any &&
		    reconnects++ < 1) {
			close(fd);
			fd = -1;
			c->auth_sent--;
			continue;
		}
		if (st != PROXY_AUTH)
			goto fail;
		if (!proxy_conn_reusable(c)) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0) {
		/* The caller's TLS wants a blocking socket. */
		flags = fcntl(fd, F_GETFL);
		if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
			snprintf(
			    err, errlen, "proxy: fcntl: %s", strerror(errno));
			goto fail;
		}
	}
	proxy_conn_clear(c);
	OPENSSL_clear_free(c, sizeof(*c));
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	proxy_conn_clear(c);
	OPENSSL_clear_free(c, sizeof(*c));
	return -1;
}

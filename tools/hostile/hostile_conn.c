/*
 * One connection of the hostile client (see hostile.h): TCP, TLS over it,
 * a queue of bytes for the server, and the pump that moves bytes both
 * ways, feeds what arrives to the tap and the honest cores, and runs the
 * cores' timers.  Everything waits with poll() against a deadline, so no
 * case can hang longer than it asked for.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "base/wr.h"
#include "hostile.h"
#include "ppp/ppp_frame.h"

/* Far above any case's needs (floods queue a few hundred KiB). */
#define HC_TX_MAX (64u << 20)

uint64_t
hc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
poll_ms(uint64_t deadline)
{
	uint64_t now = hc_now();

	if (deadline <= now)
		return 0;
	return deadline - now > 60000 ? 60000 : (int)(deadline - now);
}

/* Wait for one condition on fd; false at the deadline. */
static bool
wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, poll_ms(deadline));
	} while (n < 0 && errno == EINTR);
	return n > 0;
}

bool
hc_open(struct hconn *h, const struct hostile_opts *o, char *err, size_t errlen)
{
	uint64_t deadline = hc_now() + o->wait_ms;
	int one = 1, e = 0;
	socklen_t el = sizeof(e);

	memset(h, 0, sizeof(*h));
	h->o = o;
	tap_init(&h->tap);
	h->fd = socket(
	    o->dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (h->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return false;
	}
	if (o->has_src &&
	    bind(h->fd, (const struct sockaddr *)&o->src, o->src_len) != 0) {
		snprintf(err, errlen, "bind: %s", strerror(errno));
		return false;
	}
	setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(h->fd, (const struct sockaddr *)&o->dst, o->dst_len) != 0 &&
	    errno != EINPROGRESS) {
		snprintf(err, errlen, "connect: %s", strerror(errno));
		return false;
	}
	if (!wait_fd(h->fd, POLLOUT, deadline)) {
		snprintf(err, errlen, "connect: timed out");
		return false;
	}
	getsockopt(h->fd, SOL_SOCKET, SO_ERROR, &e, &el);
	if (e != 0) {
		snprintf(err, errlen, "connect: %s", strerror(e));
		return false;
	}
	h->t0 = hc_now();
	return true;
}

bool
hc_tls(struct hconn *h, char *err, size_t errlen)
{
	uint64_t deadline = hc_now() + h->o->wait_ms;
	enum tls_status st;

	if (!tls_conn_init(&h->tls, h->o->ctx, h->fd, false, h->o->host)) {
		snprintf(err, errlen, "TLS: %s", tls_error(&h->tls));
		return false;
	}
	for (;;) {
		st = tls_handshake(&h->tls);
		if (st == TLS_OK)
			break;
		if ((st != TLS_WANT_READ && st != TLS_WANT_WRITE) ||
		    !wait_fd(h->fd, st == TLS_WANT_READ ? POLLIN : POLLOUT,
			deadline)) {
			snprintf(err, errlen, "TLS handshake: %s",
			    st == TLS_EOF	  ? "the server closed"
				: st == TLS_ERROR ? tls_error(&h->tls)
						  : "timed out");
			return false;
		}
	}
	h->tls_on = true;
	return true;
}

void
hc_close(struct hconn *h)
{
	if (h->peer.on)
		peer_fini(h);
	tls_conn_fini(&h->tls);
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	free(h->tx);
	h->tx = NULL;
	h->tx_len = h->tx_cap = 0;
}

void
hc_queue(struct hconn *h, const void *buf, size_t len)
{
	size_t cap;
	uint8_t *p;

	if (h->tx_len + len > h->tx_cap) {
		if (h->tx_len + len > HC_TX_MAX)
			return; /* a case gone mad: drop, it shows */
		cap = h->tx_cap != 0 ? h->tx_cap : 4096;
		while (cap < h->tx_len + len)
			cap *= 2;
		if ((p = realloc(h->tx, cap)) == NULL)
			return;
		h->tx = p;
		h->tx_cap = cap;
	}
	memcpy(h->tx + h->tx_len, buf, len);
	h->tx_len += len;
}

static void
set_eof(struct hconn *h, const char *why)
{
	if (h->eof)
		return;
	h->eof = true;
	h->eof_at = hc_now();
	snprintf(h->eof_why, sizeof(h->eof_why), "%s", why);
}

/* Bytes from the server, decrypted. */
static void
hc_dispatch(struct hconn *h, const uint8_t *buf, size_t n)
{
	h->bytes_in += n;
	tap_input(&h->tap, buf, n);
	if (h->peer.on)
		peer_input(h, buf, n);
	/* MS-SSTP 3.1.1.1: the responder answers a Call Abort with its
	 * own, after which the server lingers 1 s, not 3. */
	if (h->answer_aborts && !h->peer.on &&
	    h->tap.msgs[SSTP_MSG_CALL_ABORT] > h->aborts_answered) {
		h->aborts_answered = h->tap.msgs[SSTP_MSG_CALL_ABORT];
		hc_send_ctrl(h, SSTP_MSG_CALL_ABORT, NULL, 0, 0);
	}
}

void
hc_input(struct hconn *h)
{
	static uint8_t buf[65536];
	enum tls_status st;
	ssize_t r;
	size_t n;

	while (!h->eof) {
		if (!h->tls_on) {
			r = recv(h->fd, buf, sizeof(buf), 0);
			if (r > 0) {
				if (h->bytes_in == 0)
					h->first_in = buf[0];
				h->bytes_in += (size_t)r;
				continue;
			}
			if (r == 0)
				set_eof(h, "closed");
			else if (errno != EAGAIN && errno != EINTR)
				set_eof(h, strerror(errno));
			return;
		}
		st = tls_read(&h->tls, buf, sizeof(buf), &n);
		if (st == TLS_OK) {
			hc_dispatch(h, buf, n);
			continue;
		}
		if (st == TLS_EOF)
			set_eof(h, "closed");
		else if (st == TLS_ERROR)
			set_eof(h, tls_error(&h->tls));
		return;
	}
}

static void
hc_write(struct hconn *h)
{
	enum tls_status st;
	size_t n;
	ssize_t r;

	while (h->tx_len > 0 && !h->eof) {
		if (h->tls_on) {
			st = tls_write(&h->tls, h->tx, h->tx_len, &n);
			if (st == TLS_EOF || st == TLS_ERROR) {
				set_eof(h,
				    st == TLS_EOF ? "closed"
						  : tls_error(&h->tls));
				return;
			}
		} else {
			r = send(h->fd, h->tx, h->tx_len, MSG_NOSIGNAL);
			if (r < 0 && errno != EAGAIN && errno != EINTR) {
				set_eof(h, strerror(errno));
				return;
			}
			n = r > 0 ? (size_t)r : 0;
		}
		if (n == 0)
			return;
		memmove(h->tx, h->tx + n, h->tx_len - n);
		h->tx_len -= n;
	}
	if (h->eof)
		h->tx_len = 0;
}

void
hc_step(struct hconn *h, uint64_t deadline)
{
	struct pollfd p = { .fd = h->fd, .events = POLLIN };
	uint64_t d = deadline, pd;
	int n;

	if (h->eof)
		return;
	if (h->peer.on && (pd = peer_deadline(h)) < d)
		d = pd;
	if (h->tls_on) {
		if (tls_events(&h->tls, h->tx_len > 0) & EPOLLOUT)
			p.events |= POLLOUT;
	} else if (h->tx_len > 0) {
		p.events |= POLLOUT;
	}
	n = poll(&p, 1, poll_ms(d));
	if (n > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR)))
		hc_input(h);
	if (h->tx_len > 0)
		hc_write(h);
	if (h->peer.on)
		peer_tick(h, hc_now());
	/* What the cores answered at once goes out in this round. */
	if (h->tx_len > 0)
		hc_write(h);
}

bool
hc_flush(struct hconn *h, uint64_t deadline)
{
	while (h->tx_len > 0 && !h->eof && hc_now() < deadline)
		hc_step(h, deadline);
	return h->tx_len == 0;
}

bool
hc_pump_until(struct hconn *h, uint64_t deadline,
    bool (*stop)(struct hconn *, void *), void *arg)
{
	for (;;) {
		if (stop != NULL && stop(h, arg))
			return true;
		if (h->eof || hc_now() >= deadline)
			return false;
		hc_step(h, deadline);
	}
}

void
hc_pump_for(struct hconn *h, uint32_t ms)
{
	(void)hc_pump_until(h, hc_now() + ms, NULL, NULL);
}

void
hc_send_ctrl(struct hconn *h, uint16_t type, const uint8_t *attrs,
    size_t attrs_len, uint16_t num_attrs)
{
	uint8_t buf[SSTP_MAX_PACKET];
	struct wr w;

	wr_init(&w, buf, sizeof(buf));
	wr_u8(&w, SSTP_VERSION);
	wr_u8(&w, 0x01);
	wr_u16(&w, (uint16_t)(SSTP_CTRL_HDR_LEN + attrs_len));
	wr_u16(&w, type);
	wr_u16(&w, num_attrs);
	if (attrs_len > 0)
		wr_bytes(&w, attrs, attrs_len);
	if (wr_ok(&w))
		hc_queue(h, buf, wr_len(&w));
}

void
hc_send_data(struct hconn *h, const uint8_t *frame, size_t len)
{
	uint8_t hdr[SSTP_HDR_LEN];

	if (len > SSTP_MAX_DATA)
		return;
	hdr[0] = SSTP_VERSION;
	hdr[1] = 0x00;
	hdr[2] = (uint8_t)((len + SSTP_HDR_LEN) >> 8);
	hdr[3] = (uint8_t)(len + SSTP_HDR_LEN);
	hc_queue(h, hdr, sizeof(hdr));
	hc_queue(h, frame, len);
}

void
hc_send_ppp(struct hconn *h, uint16_t protocol, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len)
{
	uint8_t buf[SSTP_MAX_DATA];
	struct wr w;
	size_t start;

	wr_init(&w, buf, sizeof(buf));
	ppp_frame_header(&w, protocol);
	start = ppp_pkt_begin(&w, code, id);
	if (len > 0)
		wr_bytes(&w, data, len);
	ppp_pkt_end(&w, start);
	if (wr_ok(&w))
		hc_send_data(h, buf, wr_len(&w));
}

void
hc_send_http_request(struct hconn *h)
{
	uint8_t buf[1024], guid[SSTP_GUID_LEN];
	struct wr w;

	RAND_bytes(guid, sizeof(guid));
	wr_init(&w, buf, sizeof(buf));
	if (sstp_http_request_build(&w, h->o->host, guid) == SSTP_OK)
		hc_queue(h, buf, wr_len(&w));
}

/*
 * One SSTP tunnel: TLS <-> SSTP <-> PPP <-> datagrams (see tunnel.h).
 */
#include "tunnel/tunnel.h"

#include <sys/epoll.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "ppp/ipv6_ctl.h"
#include "ppp/ppp_frame.h"

/*
 * What one read hands to SSTP at once: several full TLS records.  One
 * buffer per thread, since nothing keeps it between calls (SSTP copies a
 * partial packet into its own state).
 */
#define TUNNEL_RX_MAX (64 * 1024)
#define TUNNEL_TX_MIN 2048
/* A full TLS record's worth of plaintext, and room for one datagram. */
#define TUNNEL_RECORD	16384
#define TUNNEL_PKT_ROOM (SSTP_HDR_LEN + PPP_HDR_LEN + 4091)
#define TUNNEL_TX_MAX	(TUNNEL_TX_DATA_MAX + TUNNEL_TX_RESERVE)
/* Reads in one go before yielding to other sessions. */
#define TUNNEL_READ_ROUNDS 4

static _Thread_local uint8_t rx_buf[TUNNEL_RX_MAX];

static void tunnel_schedule(struct tunnel *t);
static void begin_close(struct tunnel *t, const char *reason);

static uint64_t
now_ms(const struct tunnel *t)
{
	return io_loop_now(t->loop);
}

static void
progress(struct tunnel *t, const char *step)
{
	if (t->ops->progress != NULL)
		t->ops->progress(t->arg, step);
}

/* Kept on the heap: only a tunnel that is ending has one. */
static void
set_reason(struct tunnel *t, const char *reason)
{
	if (t->reason == NULL && reason != NULL)
		t->reason = strdup(reason);
}

/*
 * The output buffer goes back to the allocator.  Set-up output (PAP and
 * CHAP exchanges among it) is wiped first: tx_wipe says some may be left.
 */
static void
tx_free(struct tunnel *t)
{
	if (t->tx != NULL && t->tx_wipe)
		OPENSSL_cleanse(t->tx, t->tx_cap);
	free(t->tx);
	t->tx = NULL;
	t->tx_len = t->tx_cap = 0;
	t->tx_wipe = false;
}

/*
 * Append to the output.  The buffer grows on demand and goes once empty
 * after a small flush, so an idle session holds none; never past the
 * reserve: output the peer does not take at all is a dead peer, and
 * partial control output would break the stream, so the tunnel closes
 * instead.
 */
static bool
tx_room(struct tunnel *t, size_t need)
{
	size_t cap;
	uint8_t *p;

	if (t->tx_len + need <= t->tx_cap)
		return true;
	if (t->tx_len + need > TUNNEL_TX_MAX)
		return false;
	cap = t->tx_cap != 0 ? t->tx_cap : TUNNEL_TX_MIN;
	while (cap < t->tx_len + need)
		cap *= 2;
	if (cap > TUNNEL_TX_MAX)
		cap = TUNNEL_TX_MAX;
	if (!t->tx_wipe) {
		if ((p = realloc(t->tx, cap)) == NULL)
			return false;
	} else {
		/* Not realloc: the old block is wiped before it goes. */
		if ((p = malloc(cap)) == NULL)
			return false;
		memcpy(p, t->tx, t->tx_len);
		OPENSSL_cleanse(t->tx, t->tx_cap);
		free(t->tx);
	}
	t->tx = p;
	t->tx_cap = cap;
	return true;
}

static void
tx_put(struct tunnel *t, const uint8_t *buf, size_t len)
{
	memcpy(t->tx + t->tx_len, buf, len);
	t->tx_len += len;
}

static void
update_events(struct tunnel *t)
{
	uint32_t ev;

	if (t->state != TUNNEL_TLS && t->state != TUNNEL_SSTP)
		return;
	ev = EPOLLIN | tls_events(&t->tls, t->tx_len > 0);
	if (ev != t->events && io_watch_mod(t->loop, &t->watch, ev) == 0)
		t->events = ev;
}

static void
update_timer(struct tunnel *t)
{
	uint64_t d = IO_NO_DEADLINE, p;

	if (t->state == TUNNEL_TLS)
		d = t->handshake_deadline;
	else if (t->state == TUNNEL_SSTP) {
		d = sstp_conn_deadline(&t->sstp);
		if (t->ppp_started) {
			p = ppp_link_deadline(&t->ppp);
			if (p < d)
				d = p;
		}
	}
	if (d != t->timer.deadline)
		io_timer_set(t->loop, &t->timer, d);
}

/* Write what we can now; the rest waits for EPOLLOUT. */
static void
flush_output(struct tunnel *t)
{
	size_t n = 0;
	enum tls_status st;

	if (t->tx_len == 0)
		return;
	if (t->connected)
		tcp_queue_size(&t->tcpq, t->fd, now_ms(t));
	st = tls_write(&t->tls, t->tx, t->tx_len, &n);
	if (n > 0) {
		t->counters.tls_bytes_out += n;
		memmove(t->tx, t->tx + n, t->tx_len - n);
		t->tx_len -= n;
		/* What moved down is wiped where it was; all of it is clean
		 * once the buffer is empty. */
		if (t->tx_wipe)
			OPENSSL_cleanse(t->tx + t->tx_len, n);
		if (t->tx_len == 0)
			t->tx_wipe = false;
		/* Idle sessions hold no buffer; one moving data keeps the
		 * one it grew rather than build it again at every flush. */
		if (t->tx_len == 0 && n <= TUNNEL_TX_MIN)
			tx_free(t);
	}
	if (t->want_drained && t->tx_len <= TUNNEL_TX_DATA_MAX / 2 &&
	    t->state == TUNNEL_SSTP && t->ops->drained != NULL) {
		t->want_drained = false;
		t->ops->drained(t->arg);
	}
	if (st == TLS_EOF || st == TLS_ERROR) {
		tx_free(t);
		if (t->state == TUNNEL_SSTP)
			begin_close(t,
			    st == TLS_EOF ? "the peer closed the "
					    "connection"
					  : tls_error(&t->tls));
	}
}

/* --- SSTP ---------------------------------------------------------- */

static void
sstp_output(void *arg, const uint8_t *buf, size_t len)
{
	struct tunnel *t = arg;

	if (t->state != TUNNEL_SSTP)
		return;
	if (!tx_room(t, len)) {
		begin_close(t, "the peer does not read (output overflow)");
		return;
	}
	tx_put(t, buf, len);
	if (!t->connected)
		t->tx_wipe = true;
	tunnel_schedule(t);
}

static const char *
sstp_end_reason(const struct sstp_event *ev, char *buf, size_t len)
{
	if (ev->http_status != 0 && ev->http_status != 200)
		snprintf(buf, len, "%s (HTTP %d)", sstp_strerror(ev->reason),
		    ev->http_status);
	else if (ev->has_status)
		snprintf(buf, len, "%s (status %u)", sstp_strerror(ev->reason),
		    (unsigned)ev->status);
	else
		snprintf(buf, len, "%s", sstp_strerror(ev->reason));
	return buf;
}

static void
sstp_event(void *arg, const struct sstp_event *ev)
{
	struct tunnel *t = arg;
	char why[TUNNEL_REASON_MAX];

	if ((ev->type == SSTP_EV_LOWER_DOWN || ev->type == SSTP_EV_CLOSED) &&
	    !t->sstp_ended) {
		t->sstp_ended = true;
		t->sstp_reason = ev->reason;
		t->http_status = ev->http_status;
	}
	switch (ev->type) {
	case SSTP_EV_HTTP_DONE:
		break;
	case SSTP_EV_LOWER_UP:
		progress(t, "authenticating");
		t->ppp_started = true;
		ppp_link_lower_up(&t->ppp, now_ms(t));
		break;
	case SSTP_EV_CONNECTED:
		progress(t, "addresses");
		t->connected = true;
		/* Data from here on: no more wiping of every record. */
		SSL_clear_options(t->tls.ssl, SSL_OP_CLEANSE_PLAINTEXT);
		if (t->ops->connected != NULL)
			t->ops->connected(t->arg);
		break;
	case SSTP_EV_PPP_FRAME:
		if (t->ppp_started)
			ppp_link_input(&t->ppp, ev->frame, ev->len, now_ms(t));
		break;
	case SSTP_EV_LOWER_DOWN:
		/*
		 * A peer that terminated LCP before it opened (no method in
		 * common) leaves PPP's reason recorded but not reported:
		 * RFC 1661 answers such a Terminate-Request without ending
		 * the automaton.  It says more than the SSTP disconnect.
		 */
		if (t->ppp_started && t->ppp_reason == PPP_OK &&
		    t->ppp.lcp.reason != PPP_OK) {
			t->ppp_reason = t->ppp.lcp.reason;
			set_reason(t, ppp_strerror(t->ppp_reason));
		}
		set_reason(t, sstp_end_reason(ev, why, sizeof(why)));
		t->connected = false;
		if (t->ppp_started)
			ppp_link_lower_down(&t->ppp, now_ms(t));
		break;
	case SSTP_EV_CLOSED:
		begin_close(t, sstp_end_reason(ev, why, sizeof(why)));
		break;
	}
}

static bool
tunnel_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	return RAND_bytes(buf, (int)len) == 1;
}

static bool
sstp_random(void *arg, uint8_t *buf, size_t len)
{
	return tunnel_random(arg, buf, len);
}

static time_t
sstp_wall_time(void *arg)
{
	(void)arg;
	return time(NULL);
}

static const struct sstp_conn_ops sstp_ops = {
	.output = sstp_output,
	.event = sstp_event,
	.random = sstp_random,
	.wall_time = sstp_wall_time,
};

/* --- PPP ----------------------------------------------------------- */

static void
ppp_send(void *arg, const uint8_t *frame, size_t len)
{
	struct tunnel *t = arg;

	/* Data frames before the call is connected are refused by SSTP
	 * (trap 7); that is the only error here and needs no answer. */
	(void)sstp_conn_send_ppp(&t->sstp, frame, len);
}

static void
ppp_auth_done(void *arg, const struct ppp_auth_result *res)
{
	struct tunnel *t = arg;
	char why[TUNNEL_REASON_MAX];

	if (res->ok) {
		progress(t, "binding");
		(void)sstp_conn_auth_done(&t->sstp, res->hlak, now_ms(t));
	} else {
		t->auth_failed = true;
		t->auth_reason = res->reason;
		if (res->mschap_error != 0)
			snprintf(why, sizeof(why), "%s (E=%d)",
			    ppp_strerror(res->reason), res->mschap_error);
		else
			snprintf(
			    why, sizeof(why), "%s", ppp_strerror(res->reason));
		set_reason(t, why);
	}
	if (t->ops->auth_done != NULL)
		t->ops->auth_done(t->arg, res);
}

static void
ppp_ipv4_up(void *arg, const struct ppp_ipv4_info *info)
{
	struct tunnel *t = arg;

	if (t->ops->ipv4_up != NULL)
		t->ops->ipv4_up(t->arg, info);
}

static void
ppp_ipv4_down(void *arg)
{
	struct tunnel *t = arg;

	if (t->ops->ipv4_down != NULL)
		t->ops->ipv4_down(t->arg);
}

static void
ppp_ipv6_up(void *arg, const struct ppp_ipv6_info *info)
{
	struct tunnel *t = arg;

	if (t->ops->ipv6_up != NULL)
		t->ops->ipv6_up(t->arg, info);
}

static void
ppp_ipv6_down(void *arg)
{
	struct tunnel *t = arg;

	if (t->ops->ipv6_down != NULL)
		t->ops->ipv6_down(t->arg);
}

static void
ppp_datagram(void *arg, uint16_t protocol, const uint8_t *pkt, size_t len)
{
	struct tunnel *t = arg;
	enum ipv6_ctl_kind kind;

	/* SSTP passes no data before the binding is verified; this is the
	 * second lock on the same door. */
	if (!t->connected)
		return;
	t->counters.pkts_in++;
	t->counters.bytes_in += len;
	if (protocol == PPP_PROTO_IPV6) {
		kind = ipv6_ctl_classify(pkt, len);
		if (kind != IPV6_CTL_OTHER) {
			if (kind != IPV6_CTL_MALFORMED &&
			    t->ops->ipv6_control != NULL)
				t->ops->ipv6_control(t->arg, kind, pkt, len);
			return;
		}
		t->ops->datagram(t->arg, 6, pkt, len);
		return;
	}
	t->ops->datagram(t->arg, 4, pkt, len);
}

static void
ppp_down(void *arg, enum ppp_err reason)
{
	struct tunnel *t = arg;

	set_reason(t, ppp_strerror(reason));
	if (t->ppp_reason == PPP_OK)
		t->ppp_reason = reason;
	t->connected = false;
	sstp_conn_disconnect(&t->sstp, now_ms(t));
	tunnel_schedule(t);
}

static bool
ppp_alloc_ipv4(void *arg, uint32_t *addr)
{
	struct tunnel *t = arg;

	return t->ops->alloc_ipv4 != NULL && t->ops->alloc_ipv4(t->arg, addr);
}

static const struct ppp_link_ops ppp_ops = {
	.send = ppp_send,
	.auth_done = ppp_auth_done,
	.ipv4_up = ppp_ipv4_up,
	.ipv4_down = ppp_ipv4_down,
	.ipv6_up = ppp_ipv6_up,
	.ipv6_down = ppp_ipv6_down,
	.datagram = ppp_datagram,
	.down = ppp_down,
	.random = tunnel_random,
	.alloc_ipv4 = ppp_alloc_ipv4,
};

/* --- life cycle ---------------------------------------------------- */

static void
begin_close(struct tunnel *t, const char *reason)
{
	if (t->state == TUNNEL_CLOSING || t->state == TUNNEL_DONE)
		return;
	set_reason(t, reason);
	if (t->state == TUNNEL_SSTP) {
		/* Best effort: the last Call Disconnect or Abort. */
		flush_output(t);
		tls_shutdown(&t->tls);
	}
	t->state = TUNNEL_CLOSING;
	t->connected = false;
	io_watch_del(t->loop, &t->watch);
	io_timer_cancel(t->loop, &t->timer);
	tunnel_schedule(t);
}

static void
start_sstp(struct tunnel *t, char *err, size_t errlen)
{
	uint8_t *der = NULL;
	size_t len = 0;
	enum sstp_err se;
	enum ppp_err pe;

	if (t->cfg->sstp.role == SSTP_ROLE_CLIENT) {
		if (!tls_peer_leaf(&t->tls, &der, &len) ||
		    sstp_cert_hashes_compute(der, len, &t->cfg->sstp.cert) !=
			SSTP_OK) {
			OPENSSL_free(der);
			snprintf(err, errlen, "no usable server certificate");
			return;
		}
		OPENSSL_free(der);
	}
	sstp_conn_init(&t->sstp, &t->cfg->sstp, &sstp_ops, t);
	t->sstp_started = true;
	pe = ppp_link_init(&t->ppp, &t->cfg->ppp, &ppp_ops, t);
	/* Both cores keep copies of their parts: the whole is not needed
	 * again for the session's life. */
	free(t->cfg);
	t->cfg = NULL;
	if (pe != PPP_OK) {
		snprintf(err, errlen, "PPP: %s", ppp_strerror(pe));
		return;
	}
	t->state = TUNNEL_SSTP;
	se = sstp_conn_start(&t->sstp, now_ms(t));
	if (se != SSTP_OK)
		snprintf(err, errlen, "SSTP: %s", sstp_strerror(se));
}

static void
do_handshake(struct tunnel *t)
{
	char err[TUNNEL_REASON_MAX] = "";
	char why[TUNNEL_REASON_MAX];
	enum tls_status st = tls_handshake(&t->tls);

	if (st == TLS_WANT_READ || st == TLS_WANT_WRITE)
		return;
	if (st != TLS_OK) {
		/* OpenSSL's own errors already name the handshake. */
		snprintf(why, sizeof(why), "%s%s",
		    strncmp(tls_error(&t->tls), "TLS handshake", 13) == 0
			? ""
			: "TLS handshake: ",
		    tls_error(&t->tls));
		t->tls_failed = true;
		begin_close(t, why);
		return;
	}
	if (t->ops->verify_peer != NULL &&
	    !t->ops->verify_peer(t->arg, &t->tls, err, sizeof(err))) {
		t->tls_failed = true;
		begin_close(t, err);
		return;
	}
	progress(t, "HTTP");
	start_sstp(t, err, sizeof(err));
	if (err[0] != '\0')
		begin_close(t, err);
}

static void
read_input(struct tunnel *t)
{
	enum tls_status st;
	size_t n;
	int round;
	bool setup;

	for (round = 0; round < TUNNEL_READ_ROUNDS; round++) {
		setup = !t->connected;
		st = tls_read(&t->tls, rx_buf, sizeof(rx_buf), &n);
		if (st == TLS_OK) {
			t->counters.tls_bytes_in += n;
			sstp_conn_input(&t->sstp, rx_buf, n, now_ms(t));
			/* The buffer outlives the read: set-up records (a
			 * PAP password among them) are wiped from it. */
			if (setup)
				OPENSSL_cleanse(rx_buf, n);
			if (t->state != TUNNEL_SSTP)
				return;
			/* Read-ahead may hold records the socket no
			 * longer signals. */
			if (n == sizeof(rx_buf) || SSL_has_pending(t->tls.ssl))
				continue;
			return;
		}
		if (st == TLS_EOF)
			begin_close(t, "the peer closed the connection");
		else if (st == TLS_ERROR)
			begin_close(t, tls_error(&t->tls));
		return;
	}
}

static void
on_io(struct io_watch *w, uint32_t events)
{
	struct tunnel *t = w->arg;

	(void)events;
	if (t->state == TUNNEL_TLS)
		do_handshake(t);
	if (t->state == TUNNEL_SSTP) {
		flush_output(t);
		if (t->state == TUNNEL_SSTP)
			read_input(t);
	}
	tunnel_schedule(t);
}

static void
on_timer(struct io_timer *tm)
{
	struct tunnel *t = tm->arg;
	uint64_t now = now_ms(t);

	if (t->state == TUNNEL_TLS && now >= t->handshake_deadline)
		begin_close(t, "TLS handshake timed out");
	if (t->state == TUNNEL_SSTP) {
		if (now >= sstp_conn_deadline(&t->sstp))
			sstp_conn_tick(&t->sstp, now);
		if (t->state == TUNNEL_SSTP && t->ppp_started &&
		    now >= ppp_link_deadline(&t->ppp))
			ppp_link_tick(&t->ppp, now);
	}
	tunnel_schedule(t);
}

/* End of the loop iteration: write the batch, re-arm, or report. */
static void
on_flush(struct io_defer *d)
{
	struct tunnel *t = d->arg;

	if (t->state == TUNNEL_CLOSING) {
		t->state = TUNNEL_DONE;
		t->ops->closed(
		    t->arg, t->reason != NULL ? t->reason : "closed");
		return;
	}
	if (t->state == TUNNEL_SSTP) {
		/* Logged in: the authenticator's state can go (idle
		 * sessions are most sessions). */
		if (t->ppp.auth != NULL && t->connected)
			ppp_link_release_auth(&t->ppp);
		flush_output(t);
		if (t->state == TUNNEL_SSTP && SSL_has_pending(t->tls.ssl))
			read_input(t);
		if (t->state == TUNNEL_SSTP && t->tx_len > 0 &&
		    t->tls.write_want == TLS_OK)
			flush_output(t);
	}
	if (t->state == TUNNEL_CLOSING) {
		io_defer(t->loop, &t->flush);
		return;
	}
	update_events(t);
	update_timer(t);
}

static void
tunnel_schedule(struct tunnel *t)
{
	io_defer(t->loop, &t->flush);
}

bool
tunnel_start(struct tunnel *t, struct io_loop *loop, SSL_CTX *ctx, int fd,
    const struct tunnel_config *cfg, const struct tunnel_ops *ops, void *arg,
    char *err, size_t errlen)
{
	bool server = cfg->sstp.role == SSTP_ROLE_SERVER;

	memset(t, 0, sizeof(*t));
	t->loop = loop;
	t->ops = ops;
	t->arg = arg;
	t->fd = fd;
	t->state = TUNNEL_TLS;
	io_watch_init(&t->watch, on_io, t);
	io_timer_init(&t->timer, on_timer, t);
	io_defer_init(&t->flush, on_flush, t);
	if ((t->cfg = malloc(sizeof(*t->cfg))) == NULL) {
		snprintf(err, errlen, "out of memory");
		close(fd);
		t->fd = -1;
		t->state = TUNNEL_DONE;
		return false;
	}
	*t->cfg = *cfg;
	if (!tls_conn_init(&t->tls, ctx, fd, server, cfg->sstp.host)) {
		snprintf(err, errlen, "%s", tls_error(&t->tls));
		goto fail;
	}
	/* Until the call is connected the records carry PAP and CHAP:
	 * OpenSSL wipes their plaintext once read and before it frees its
	 * buffers (SSL_MODE_RELEASE_BUFFERS frees them when empty). */
	SSL_set_options(t->tls.ssl, SSL_OP_CLEANSE_PLAINTEXT);
	tcp_queue_init(&t->tcpq, fd);
	t->events = EPOLLIN;
	if (io_watch_add(loop, &t->watch, fd, t->events) != 0) {
		snprintf(err, errlen, "epoll: %s", strerror(errno));
		goto fail;
	}
	t->handshake_deadline = now_ms(t) + cfg->tls_handshake_ms;
	if (!server)
		do_handshake(t);
	tunnel_schedule(t);
	return true;
fail:
	tls_conn_fini(&t->tls);
	close(fd);
	t->fd = -1;
	t->state = TUNNEL_DONE;
	free(t->cfg);
	t->cfg = NULL;
	return false;
}

void
tunnel_fini(struct tunnel *t)
{
	io_watch_del(t->loop, &t->watch);
	io_timer_cancel(t->loop, &t->timer);
	io_defer_cancel(t->loop, &t->flush);
	if (t->sstp_started) {
		ppp_link_fini(&t->ppp);
		sstp_conn_fini(&t->sstp);
		t->sstp_started = false;
	}
	tls_conn_fini(&t->tls);
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	tx_free(t);
	free(t->cfg);
	t->cfg = NULL;
	free(t->reason);
	t->reason = NULL;
}

bool
tunnel_send(struct tunnel *t, int version, const uint8_t *pkt, size_t len)
{
	uint8_t shdr[SSTP_HDR_LEN], phdr[PPP_HDR_LEN];
	uint16_t proto = version == 4 ? PPP_PROTO_IPV4 : PPP_PROTO_IPV6;

	if (!t->connected || t->state != TUNNEL_SSTP ||
	    ppp_link_datagram_header(&t->ppp, proto, phdr) != PPP_OK ||
	    sstp_conn_data_header(&t->sstp, PPP_HDR_LEN + len, shdr) !=
		SSTP_OK ||
	    t->tx_len + sizeof(shdr) + sizeof(phdr) + len >
		TUNNEL_TX_DATA_MAX ||
	    !tx_room(t, sizeof(shdr) + sizeof(phdr) + len)) {
		t->counters.dropped_out++;
		return false;
	}
	tx_put(t, shdr, sizeof(shdr));
	tx_put(t, phdr, sizeof(phdr));
	tx_put(t, pkt, len);
	t->counters.pkts_out++;
	t->counters.bytes_out += len;
	/* A full record is ready: write it now rather than at the end of
	 * the iteration, so a burst from the TUN streams out in full
	 * records instead of piling up against the bound. */
	if (t->tx_len >= TUNNEL_RECORD && t->tls.write_want == TLS_OK)
		flush_output(t);
	tunnel_schedule(t);
	return true;
}

bool
tunnel_can_send(struct tunnel *t)
{
	if (t->tx_len + TUNNEL_PKT_ROOM <= TUNNEL_TX_DATA_MAX)
		return true;
	t->want_drained = true;
	return false;
}

void
tunnel_close(struct tunnel *t, const char *reason)
{
	set_reason(t, reason);
	if (t->state == TUNNEL_TLS)
		begin_close(t, reason);
	else if (t->state == TUNNEL_SSTP) {
		if (t->ppp_started && t->ppp.phase != PPP_PHASE_DEAD &&
		    t->ppp.phase != PPP_PHASE_TERMINATE)
			ppp_link_close(&t->ppp, PPP_E_LOCAL_CLOSE, now_ms(t));
		else
			sstp_conn_disconnect(&t->sstp, now_ms(t));
		tunnel_schedule(t);
	}
}

const char *
tunnel_setup_phase(const struct tunnel *t)
{
	if (t->state == TUNNEL_TLS)
		return "tls";
	if (t->state != TUNNEL_SSTP)
		return "closing";
	switch (sstp_conn_state(&t->sstp)) {
	case SSTP_STATE_INIT:
	case SSTP_STATE_HTTP:
		return "http";
	case SSTP_STATE_CONNECT_REQ:
		return "sstp";
	case SSTP_STATE_CONNECT_PENDING:
	case SSTP_STATE_CONNECTED:
		break;
	default:
		return "closing";
	}
	/* PPP starts with the Ack: until then it is Dead. */
	switch (t->ppp.phase) {
	case PPP_PHASE_DEAD:
	case PPP_PHASE_ESTABLISH:
		return "lcp";
	case PPP_PHASE_AUTHENTICATE:
		return "authentication";
	case PPP_PHASE_NETWORK:
		return t->connected ? "up" : "binding";
	default:
		return "closing";
	}
}

void
tunnel_setup_timeout(struct tunnel *t, const char *reason)
{
	set_reason(t, reason);
	if (t->state == TUNNEL_TLS)
		begin_close(t, reason);
	else if (t->state == TUNNEL_SSTP) {
		sstp_conn_setup_timeout(&t->sstp, now_ms(t));
		tunnel_schedule(t);
	}
}

struct ppp_auth *
tunnel_auth(struct tunnel *t)
{
	return t->ppp.auth;
}

void
tunnel_password_result(struct tunnel *t, bool ok)
{
	if (t->state != TUNNEL_SSTP)
		return;
	ppp_link_password_result(&t->ppp, ok, now_ms(t));
	tunnel_schedule(t);
}

void
tunnel_secret(
    struct tunnel *t, enum ppp_secret_kind kind, const void *secret, size_t len)
{
	if (t->state != TUNNEL_SSTP)
		return;
	ppp_link_secret(&t->ppp, kind, secret, len, now_ms(t));
	tunnel_schedule(t);
}

bool
tunnel_is_connected(const struct tunnel *t)
{
	return t->connected;
}

const char *
tunnel_auth_name(const struct ppp_auth_result *res)
{
	if (res->method != PPP_AUTH_EAP)
		return ppp_auth_name(res->method);
	return res->inner == PPP_AUTH_MSCHAPV2 ? "eap-mschapv2" : "eap-md5";
}

const char *
tunnel_tls_describe(const struct tunnel *t, char *buf, size_t len)
{
	return tls_describe(&t->tls, buf, len);
}

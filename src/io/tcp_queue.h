/*
 * The kernel's queues of a tunnel's TCP connection, kept short (DESIGN.md
 * "Data path"): a datagram should wait behind little data, and the inner
 * TCP should meet our own bound (a drop) rather than a queue it cannot
 * see, which costs every packet of every flow in the tunnel its delay.
 *
 *   - Unsent bytes stay under TCP_QUEUE_NOTSENT_LOWAT (TCP_NOTSENT_LOWAT:
 *     the socket is writable only below it); the rest waits in the
 *     tunnel's own bounded output.
 *   - Sent bytes not yet acknowledged are bounded by the send buffer,
 *     sized from the path: TCP_QUEUE_GAIN times what it carries in its
 *     shortest round trip (acknowledged bytes per second times the
 *     minimum RTT), never below TCP_QUEUE_SNDBUF_MIN.  A peer short of
 *     CPU queues what we send in its socket without a loss, and the
 *     kernel's congestion control and buffer autotuning then let that
 *     queue reach megabytes (7 ms at 1 Gbit/s on the benchmark
 *     machines); a bound from the minimum RTT does not grow with the
 *     queue it causes.  The gain lets the rate grow (a full buffer
 *     allows GAIN times the rate at the next sizing, about twice per
 *     round trip) and the RTT rise to GAIN times its minimum before it
 *     limits anything.
 */
#ifndef OPENSSTP_IO_TCP_QUEUE_H
#define OPENSSTP_IO_TCP_QUEUE_H

#include <stdint.h>

#define TCP_QUEUE_NOTSENT_LOWAT (32 * 1024)
#define TCP_QUEUE_SNDBUF_MIN	(64 * 1024)
#define TCP_QUEUE_SNDBUF_MAX	(4 * 1024 * 1024) /* tcp_wmem's default */
#define TCP_QUEUE_GAIN		4
/* Sizing interval: at least this, and two minimum RTTs. */
#define TCP_QUEUE_EVERY_MS 10

struct tcp_queue {
	uint64_t at_ms; /* the last sizing, 0 before the first */
	uint64_t acked; /* tcpi_bytes_acked then */
	uint32_t sndbuf; /* the size set, 0 while the kernel's own */
};

/* A connected TCP socket: the unsent bound.  Errors are ignored (the
 * connection works without it, with longer queues). */
void tcp_queue_init(struct tcp_queue *q, int fd);
/* While sending: resize the send buffer when an interval has passed. */
void tcp_queue_size(struct tcp_queue *q, int fd, uint64_t now_ms);

#endif

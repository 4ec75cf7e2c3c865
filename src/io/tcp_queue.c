/*
 * A tunnel's TCP connection with short kernel queues (see tcp_queue.h).
 */
#include "io/tcp_queue.h"

#include <sys/socket.h>

#include <linux/tcp.h>
#include <netinet/in.h>

#include <stddef.h>
#include <string.h>

void
tcp_queue_init(struct tcp_queue *q, int fd)
{
	int v = TCP_QUEUE_NOTSENT_LOWAT;

	memset(q, 0, sizeof(*q));
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, &v, sizeof(v));
}

void
tcp_queue_size(struct tcp_queue *q, int fd, uint64_t now_ms)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	uint64_t dt = now_ms - q->at_ms, rate, want;
	int v;

	if (q->at_ms != 0 && dt < TCP_QUEUE_EVERY_MS)
		return;
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_min_rtt) +
		    sizeof(ti.tcpi_min_rtt))
		return;
	/* Two round trips at least, or the rate swings with each window's
	 * acknowledgements (tcpi_min_rtt is in microseconds). */
	if (q->at_ms != 0 && dt * 1000 < 2 * (uint64_t)ti.tcpi_min_rtt)
		return;
	if (q->at_ms != 0 && ti.tcpi_bytes_acked >= q->acked) {
		rate = (ti.tcpi_bytes_acked - q->acked) * 1000 / dt;
		want = TCP_QUEUE_GAIN * rate * ti.tcpi_min_rtt / 1000000;
		if (want < TCP_QUEUE_SNDBUF_MIN)
			want = TCP_QUEUE_SNDBUF_MIN;
		if (want > TCP_QUEUE_SNDBUF_MAX)
			want = TCP_QUEUE_SNDBUF_MAX;
		/* Not for every small change: a setsockopt each time. */
		if (want * 8 < (uint64_t)q->sndbuf * 7 ||
		    want * 8 > (uint64_t)q->sndbuf * 9) {
			v = (int)want;
			if (setsockopt(
				fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) == 0)
				q->sndbuf = (uint32_t)want;
		}
	}
	q->at_ms = now_ms;
	q->acked = ti.tcpi_bytes_acked;
}

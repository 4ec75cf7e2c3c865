/*
 * io/tcp_queue: the unsent bound is set, and the send buffer is sized
 * only once an interval has passed, from the acknowledged bytes, never
 * below its minimum (over loopback the minimum RTT is microseconds, so
 * the minimum is what any rate gives).
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/tcp.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "io/tcp_queue.h"
#include "test_run.h"

/* A connected loopback TCP pair: fd[0] sends, fd[1] receives. */
static void
tcp_pair(int fd[2])
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int l;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((l = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
	assert_true((fd[0] = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(connect(fd[0], (struct sockaddr *)&a, sizeof(a)), 0);
	assert_true((fd[1] = accept(l, NULL, NULL)) >= 0);
	close(l);
}

static int
sockopt(int fd, int level, int name)
{
	int v = 0;
	socklen_t len = sizeof(v);

	assert_int_equal(getsockopt(fd, level, name, &v, &len), 0);
	return v;
}

/* Send n bytes through the pair, reading them as they come. */
static void
move_bytes(int fd[2], size_t n)
{
	static char buf[65536];
	ssize_t w, r;
	size_t left = n;

	while (left > 0) {
		w = send(
		    fd[0], buf, left < sizeof(buf) ? left : sizeof(buf), 0);
		assert_true(w > 0);
		left -= (size_t)w;
		for (r = 0; r < w;) {
			ssize_t k = recv(fd[1], buf, sizeof(buf), 0);

			assert_true(k > 0);
			r += k;
		}
	}
}

static void
unsent_bound_set_at_init(void **state)
{
	struct tcp_queue q;
	int fd[2];

	(void)state;
	tcp_pair(fd);
	tcp_queue_init(&q, fd[0]);
	assert_int_equal(sockopt(fd[0], IPPROTO_TCP, TCP_NOTSENT_LOWAT),
	    TCP_QUEUE_NOTSENT_LOWAT);
	assert_int_equal(q.sndbuf, 0);
	assert_int_equal(q.at_ms, 0);
	close(fd[0]);
	close(fd[1]);
}

static void
sized_once_an_interval_passed(void **state)
{
	struct tcp_queue q;
	int fd[2], kernel;
	uint64_t t0 = 1000000;

	(void)state;
	tcp_pair(fd);
	tcp_queue_init(&q, fd[0]);
	kernel = sockopt(fd[0], SOL_SOCKET, SO_SNDBUF);
	/* The first call only notes where the count starts. */
	tcp_queue_size(&q, fd[0], t0);
	assert_int_equal(q.at_ms, t0);
	assert_int_equal(q.sndbuf, 0);
	move_bytes(fd, 1 << 16);
	/* Too early: nothing measured, nothing set. */
	tcp_queue_size(&q, fd[0], t0 + TCP_QUEUE_EVERY_MS - 1);
	assert_int_equal(q.at_ms, t0);
	assert_int_equal(q.sndbuf, 0);
	assert_int_equal(sockopt(fd[0], SOL_SOCKET, SO_SNDBUF), kernel);
	/* 64 KiB in 10 ms over loopback's RTT of microseconds: the
	 * minimum (the rate times the RTT is a few hundred bytes). */
	tcp_queue_size(&q, fd[0], t0 + TCP_QUEUE_EVERY_MS);
	assert_int_equal(q.at_ms, t0 + TCP_QUEUE_EVERY_MS);
	assert_int_equal(q.sndbuf, TCP_QUEUE_SNDBUF_MIN);
	/* The kernel doubles what it is given, for its own overhead. */
	assert_int_equal(
	    sockopt(fd[0], SOL_SOCKET, SO_SNDBUF), 2 * TCP_QUEUE_SNDBUF_MIN);
	/* The same size again: left as it is. */
	move_bytes(fd, 1 << 16);
	tcp_queue_size(&q, fd[0], t0 + 3 * TCP_QUEUE_EVERY_MS);
	assert_int_equal(q.sndbuf, TCP_QUEUE_SNDBUF_MIN);
	close(fd[0]);
	close(fd[1]);
}

/* Not a TCP socket (the unit tests' socketpairs): nothing happens. */
static void
other_sockets_left_alone(void **state)
{
	struct tcp_queue q;
	int sp[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	tcp_queue_init(&q, sp[0]);
	tcp_queue_size(&q, sp[0], 1000);
	tcp_queue_size(&q, sp[0], 2000);
	assert_int_equal(q.sndbuf, 0);
	assert_int_equal(q.at_ms, 0);
	close(sp[0]);
	close(sp[1]);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unsent_bound_set_at_init),
		cmocka_unit_test(sized_once_an_interval_passed),
		cmocka_unit_test(other_sockets_left_alone),
	};

	return test_run(argc, argv, "io_tcp_queue", tests, ARRAY_LEN(tests));
}

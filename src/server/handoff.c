/*
 * Batched hand-off between worker threads; see handoff.h.  A mutex per
 * inbox is enough: it is taken once per batch, not once per packet.
 */
#include "server/handoff.h"

#include <sys/eventfd.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
handoff_inbox_init(struct handoff_inbox *in)
{
	memset(in, 0, sizeof(*in));
	in->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (in->efd < 0)
		return -errno;
	pthread_mutex_init(&in->lock, NULL);
	return 0;
}

static void
free_chain(struct handoff_batch *b)
{
	struct handoff_batch *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
}

void
handoff_inbox_fini(struct handoff_inbox *in)
{
	if (in->efd < 0)
		return;
	free_chain(in->head);
	in->head = in->tail = NULL;
	pthread_mutex_destroy(&in->lock);
	close(in->efd);
	in->efd = -1;
}

void
handoff_send(struct handoff_batch **batch, struct handoff_inbox *dst)
{
	struct handoff_batch *b = *batch;
	bool wake = false;
	uint64_t one = 1;

	if (b == NULL)
		return;
	*batch = NULL;
	if (b->count == 0) {
		free(b);
		return;
	}
	b->next = NULL;
	pthread_mutex_lock(&dst->lock);
	if (dst->n >= HANDOFF_INBOX_MAX) {
		dst->dropped += b->count;
		pthread_mutex_unlock(&dst->lock);
		free(b);
		return;
	}
	if (dst->tail != NULL)
		dst->tail->next = b;
	else {
		dst->head = b;
		wake = true;
	}
	dst->tail = b;
	dst->n++;
	pthread_mutex_unlock(&dst->lock);
	/* A full counter (never, in practice) still leaves it readable. */
	if (wake && write(dst->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		abort();
}

bool
handoff_add(struct handoff_batch **batch, struct handoff_inbox *dst,
    const uint8_t *pkt, size_t len)
{
	struct handoff_batch *b = *batch;

	if (len == 0 || len > 0xffff)
		return false;
	if (b != NULL && b->used + 2 + len > sizeof(b->data)) {
		handoff_send(batch, dst);
		b = NULL;
	}
	if (b == NULL) {
		b = malloc(sizeof(*b));
		if (b == NULL)
			return false;
		b->next = NULL;
		b->used = b->count = 0;
		*batch = b;
	}
	b->data[b->used] = (uint8_t)(len >> 8);
	b->data[b->used + 1] = (uint8_t)len;
	memcpy(b->data + b->used + 2, pkt, len);
	b->used += 2 + len;
	b->count++;
	return true;
}

size_t
handoff_receive(struct handoff_inbox *in,
    void (*cb)(void *arg, const uint8_t *pkt, size_t len), void *arg)
{
	struct handoff_batch *b, *next;
	uint64_t v;
	size_t off, len, n = 0;

	/*
	 * Read the eventfd before taking the queue: a producer that finds
	 * the queue empty after this wakes us again, so nothing is missed.
	 */
	if (read(in->efd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return 0;
	pthread_mutex_lock(&in->lock);
	b = in->head;
	in->head = in->tail = NULL;
	in->n = 0;
	pthread_mutex_unlock(&in->lock);
	for (; b != NULL; b = next) {
		next = b->next;
		for (off = 0; off + 2 <= b->used; off += 2 + len) {
			len = (size_t)b->data[off] << 8 | b->data[off + 1];
			cb(arg, b->data + off + 2, len);
			n++;
		}
		free(b);
	}
	return n;
}

uint64_t
handoff_dropped(struct handoff_inbox *in)
{
	uint64_t d;

	pthread_mutex_lock(&in->lock);
	d = in->dropped;
	pthread_mutex_unlock(&in->lock);
	return d;
}

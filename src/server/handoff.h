/*
 * Datagrams handed from one worker thread to another (DESIGN.md Data
 * path): the TUN queue a packet arrives on is the kernel's choice, the
 * session that owns its destination lives on one worker.  A worker packs
 * the packets for another into a batch, sends whole batches to that
 * worker's inbox at the end of its loop iteration, and wakes it through
 * an eventfd only when the inbox was empty: a wake-up between cores costs
 * tens of microseconds, so never one per packet.  The inbox is bounded:
 * when it is full, the batch is dropped and counted, as a router drops.
 */
#ifndef OPENSSTP_SERVER_HANDOFF_H
#define OPENSSTP_SERVER_HANDOFF_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A batch's payload: 2-byte length, then the datagram, repeated; 64 KiB,
 * so that the largest datagram fits in an empty one.
 */
#define HANDOFF_BATCH_BYTES (2 + 65535)
/* Batches an inbox holds before it drops: 2 MiB of packets. */
#define HANDOFF_INBOX_MAX 32

struct handoff_batch {
	struct handoff_batch *next;
	size_t used; /* bytes of data */
	size_t count; /* datagrams */
	uint8_t data[HANDOFF_BATCH_BYTES];
};

struct handoff_inbox {
	pthread_mutex_t lock;
	struct handoff_batch *head, *tail;
	size_t n; /* batches queued */
	uint64_t dropped; /* datagrams dropped at a full inbox */
	int efd; /* eventfd, readable when batches wait */
};

/* 0, or -errno (the eventfd). */
int handoff_inbox_init(struct handoff_inbox *in);
void handoff_inbox_fini(struct handoff_inbox *in);

/*
 * Append a datagram to *batch (allocating it when NULL).  When it does
 * not fit, the full batch goes to dst first.  False if len is 0 or over
 * 65535, or memory ran out (the datagram is dropped).
 */
bool handoff_add(struct handoff_batch **batch, struct handoff_inbox *dst,
    const uint8_t *pkt, size_t len);
/*
 * Send *batch to dst (the end of the producer's iteration) and clear
 * *batch; nothing when it is NULL or empty.  Wakes dst's worker when its
 * inbox was empty.  Thread-safe against dst's consumer and other
 * producers.
 */
void handoff_send(struct handoff_batch **batch, struct handoff_inbox *dst);
/*
 * Consumer: take every queued batch (reading the eventfd) and call cb for
 * each datagram in order, then free them.  The count of datagrams.
 */
size_t handoff_receive(struct handoff_inbox *in,
    void (*cb)(void *arg, const uint8_t *pkt, size_t len), void *arg);
/* Datagrams dropped at a full inbox so far. */
uint64_t handoff_dropped(struct handoff_inbox *in);

#endif

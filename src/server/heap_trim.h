/*
 * The heap given back after a burst of set-ups or ends (issue 13, memory
 * per idle session).  A TLS handshake allocates and frees tens of KB per
 * connection (record buffers, key shares, the certificate messages); the
 * freed pieces lie between the sessions' long-lived blocks, where glibc
 * never returns them by itself, and stay resident: 21 KB per idle session
 * after 1000 set-ups at once here, as much again as the sessions' own
 * memory.  malloc_trim(0) gives the free pages inside the heap back to
 * the kernel; it runs once a burst is over: HEAP_TRIM_QUIET_MS after the
 * last set-up or end, and during a long one at least every
 * HEAP_TRIM_MAX_WAIT_MS.  One per worker, on its loop; each trims the
 * whole process.
 */
#ifndef OPENSSTP_SERVER_HEAP_TRIM_H
#define OPENSSTP_SERVER_HEAP_TRIM_H

#include <stdint.h>

#include "io/loop.h"

#define HEAP_TRIM_QUIET_MS    2000
#define HEAP_TRIM_MAX_WAIT_MS 30000

struct heap_trim {
	struct io_loop *loop;
	struct io_timer timer;
	uint64_t burst_start; /* first event not trimmed after, or none */
	unsigned trims; /* done so far (tests, logs) */
};

void heap_trim_init(struct heap_trim *h, struct io_loop *loop);
/* A session started or ended: trim once things are quiet. */
void heap_trim_note(struct heap_trim *h);
void heap_trim_fini(struct heap_trim *h);

#endif

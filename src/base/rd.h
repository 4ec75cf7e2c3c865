/*
 * Bounded byte reader: every decoder reads wire data through a struct rd.
 * A read that does not fit fails and leaves the reader where it was, so a
 * decoder never reads past its buffer and never does pointer arithmetic
 * on wire data itself (s2n's stuffer, iked's (offset, left)).
 */
#ifndef OPENSSTP_BASE_RD_H
#define OPENSSTP_BASE_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rd {
	const uint8_t *p; /* next unread byte */
	size_t left; /* bytes left to read */
};

static inline void
rd_init(struct rd *r, const void *buf, size_t len)
{
	r->p = buf;
	r->left = len;
}

static inline size_t
rd_left(const struct rd *r)
{
	return r->left;
}

static inline bool
rd_empty(const struct rd *r)
{
	return r->left == 0;
}

static inline const uint8_t *
rd_ptr(const struct rd *r)
{
	return r->p;
}

bool rd_u8(struct rd *r, uint8_t *v);
bool rd_u16(struct rd *r, uint16_t *v);
bool rd_u32(struct rd *r, uint32_t *v);
/* Copy exactly len bytes out. */
bool rd_bytes(struct rd *r, void *out, size_t len);
/* Borrow a view of exactly len bytes, valid while the input buffer is. */
bool rd_view(struct rd *r, size_t len, const uint8_t **out);
/* Hand a child reader exactly len bytes and advance past them. */
bool rd_sub(struct rd *r, size_t len, struct rd *child);
bool rd_skip(struct rd *r, size_t len);

#endif

/*
 * Bounded byte writer: every encoder writes through a struct wr.  A write
 * that does not fit sets the sticky overflow flag and writes nothing, so
 * an encoder checks once, at the end, with wr_ok().
 */
#ifndef OPENSSTP_BASE_WR_H
#define OPENSSTP_BASE_WR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wr {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

static inline void
wr_init(struct wr *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->overflow = false;
}

static inline bool
wr_ok(const struct wr *w)
{
	return !w->overflow;
}

static inline size_t
wr_len(const struct wr *w)
{
	return w->len;
}

void wr_u8(struct wr *w, uint8_t v);
void wr_u16(struct wr *w, uint16_t v);
void wr_u32(struct wr *w, uint32_t v);
void wr_bytes(struct wr *w, const void *p, size_t len);
void wr_zeros(struct wr *w, size_t len);
/* A C string without its NUL. */
void wr_str(struct wr *w, const char *s);
/* Reserve len bytes to fill in later (a length field); NULL on overflow. */
uint8_t *wr_reserve(struct wr *w, size_t len);
/* Overwrite a big-endian u16 at an offset already written. */
void wr_put_u16_at(struct wr *w, size_t off, uint16_t v);

#endif

#include "wr.h"

#include <string.h>

uint8_t *
wr_reserve(struct wr *w, size_t len)
{
	uint8_t *p;

	if (w->overflow || len > w->cap - w->len) {
		w->overflow = true;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += len;
	return p;
}

void
wr_bytes(struct wr *w, const void *src, size_t len)
{
	uint8_t *p;

	if ((p = wr_reserve(w, len)) != NULL && len > 0)
		memcpy(p, src, len);
}

void
wr_zeros(struct wr *w, size_t len)
{
	uint8_t *p;

	if ((p = wr_reserve(w, len)) != NULL && len > 0)
		memset(p, 0, len);
}

void
wr_str(struct wr *w, const char *s)
{
	wr_bytes(w, s, strlen(s));
}

void
wr_u8(struct wr *w, uint8_t v)
{
	wr_bytes(w, &v, 1);
}

void
wr_u16(struct wr *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	wr_bytes(w, b, sizeof(b));
}

void
wr_u32(struct wr *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
		(uint8_t)(v >> 8), (uint8_t)v };

	wr_bytes(w, b, sizeof(b));
}

void
wr_put_u16_at(struct wr *w, size_t off, uint16_t v)
{
	if (w->overflow || off + 2 > w->len) {
		w->overflow = true;
		return;
	}
	w->buf[off] = (uint8_t)(v >> 8);
	w->buf[off + 1] = (uint8_t)v;
}

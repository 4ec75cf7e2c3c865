#include "rd.h"

#include <string.h>

bool
rd_view(struct rd *r, size_t len, const uint8_t **out)
{
	if (len > r->left)
		return false;
	*out = r->p;
	r->p += len;
	r->left -= len;
	return true;
}

bool
rd_skip(struct rd *r, size_t len)
{
	const uint8_t *unused;

	return rd_view(r, len, &unused);
}

bool
rd_bytes(struct rd *r, void *out, size_t len)
{
	const uint8_t *p;

	if (!rd_view(r, len, &p))
		return false;
	if (len > 0)
		memcpy(out, p, len);
	return true;
}

bool
rd_sub(struct rd *r, size_t len, struct rd *child)
{
	const uint8_t *p;

	if (!rd_view(r, len, &p))
		return false;
	rd_init(child, p, len);
	return true;
}

bool
rd_u8(struct rd *r, uint8_t *v)
{
	const uint8_t *p;

	if (!rd_view(r, 1, &p))
		return false;
	*v = p[0];
	return true;
}

bool
rd_u16(struct rd *r, uint16_t *v)
{
	const uint8_t *p;

	if (!rd_view(r, 2, &p))
		return false;
	*v = (uint16_t)((p[0] << 8) | p[1]);
	return true;
}

bool
rd_u32(struct rd *r, uint32_t *v)
{
	const uint8_t *p;

	if (!rd_view(r, 4, &p))
		return false;
	*v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | p[3];
	return true;
}

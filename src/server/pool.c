#include "server/pool.h"

#include <stdlib.h>
#include <string.h>

/* The most /64s a pool6 tracks: 128 KiB of bitmap.  A /48 or shorter
 * has more than any server will have clients. */
#define POOL6_MAX_TRACKED (UINT64_C(1) << 20)

static bool
bit_get(const uint64_t *bits, uint64_t i)
{
	return bits[i / 64] >> (i % 64) & 1;
}

static void
bit_set(uint64_t *bits, uint64_t i)
{
	bits[i / 64] |= UINT64_C(1) << (i % 64);
}

static void
bit_clear(uint64_t *bits, uint64_t i)
{
	bits[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

/*
 * The first clear bit at or after cursor, wrapping round; the caller
 * knows one exists.  Bits past nbits in the last word are kept set, so
 * a word at a time is enough: 64 addresses per step.
 */
static uint64_t
find_clear(const uint64_t *bits, uint64_t nbits, uint64_t cursor)
{
	uint64_t nwords = (nbits + 63) / 64, w, i, word;

	if (cursor >= nbits)
		cursor = 0;
	w = cursor / 64;
	/* The cursor's word, bits below the cursor masked as if used. */
	word = bits[w] | ((UINT64_C(1) << (cursor % 64)) - 1);
	for (i = 0; i <= nwords; i++) {
		if (~word != 0)
			return w * 64 + (uint64_t)__builtin_ctzll(~word);
		w = (w + 1) % nwords;
		word = bits[w];
	}
	abort(); /* the counts said there was room */
}

static uint64_t *
bits_new(uint64_t nbits)
{
	uint64_t nwords = (nbits + 63) / 64, *bits;

	bits = calloc(nwords, sizeof(*bits));
	if (bits != NULL && nbits % 64 != 0)
		bits[nwords - 1] = ~UINT64_C(0) << (nbits % 64);
	return bits;
}

static uint32_t
load32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

static uint64_t
load64(const uint8_t *b)
{
	return (uint64_t)load32(b) << 32 | load32(b + 4);
}

static void
store64(uint8_t *b, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
}

bool
pool4_init(struct pool4 *p, const struct ip_prefix *prefix, uint32_t server)
{
	uint32_t base, size;

	memset(p, 0, sizeof(*p));
	if (prefix->addr.family != AF_INET || prefix->len < 8 ||
	    prefix->len > 30)
		return false;
	size = UINT32_C(1) << (32 - prefix->len);
	base = load32(prefix->addr.b) & ~(size - 1);
	if (server == 0)
		server = base + 1;
	if (server <= base || server >= base + size - 1)
		return false;
	if ((p->bits = bits_new(size)) == NULL)
		return false;
	p->base = base;
	p->size = size;
	p->server = server;
	/* Network, broadcast and the server: never handed out. */
	bit_set(p->bits, 0);
	bit_set(p->bits, size - 1);
	bit_set(p->bits, server - base);
	p->capacity = size - 3;
	p->cursor = server - base + 1;
	return true;
}

void
pool4_fini(struct pool4 *p)
{
	free(p->bits);
	memset(p, 0, sizeof(*p));
}

bool
pool4_alloc(struct pool4 *p, uint32_t *addr)
{
	uint64_t i;

	if (p->bits == NULL || p->used >= p->capacity)
		return false;
	i = find_clear(p->bits, p->size, p->cursor);
	bit_set(p->bits, i);
	p->used++;
	/* Rotate: a freed address rests before it is reused, so a late
	 * packet for the old session does not reach the new one. */
	p->cursor = (uint32_t)((i + 1) % p->size);
	*addr = p->base + (uint32_t)i;
	return true;
}

void
pool4_free(struct pool4 *p, uint32_t addr)
{
	uint32_t i = addr - p->base;

	if (p->bits == NULL || addr < p->base || i >= p->size || i == 0 ||
	    i == p->size - 1 || addr == p->server || !bit_get(p->bits, i))
		return;
	bit_clear(p->bits, i);
	p->used--;
}

bool
pool6_init(struct pool6 *p, const struct ip_prefix *prefix)
{
	uint64_t count;

	memset(p, 0, sizeof(*p));
	if (prefix->addr.family != AF_INET6 || prefix->len < 32 ||
	    prefix->len > 64)
		return false;
	count = UINT64_C(1) << (64 - prefix->len);
	if (count > POOL6_MAX_TRACKED)
		count = POOL6_MAX_TRACKED;
	if ((p->bits = bits_new(count)) == NULL)
		return false;
	/* Host bits cleared even for a hand-made prefix, so that base | i
	 * is always inside it. */
	store64(p->base,
	    load64(prefix->addr.b) &
		~((UINT64_C(1) << (64 - prefix->len)) - 1));
	p->len = prefix->len;
	p->count = count;
	bit_set(p->bits, 0); /* the server's own /64 */
	p->cursor = 1;
	return true;
}

void
pool6_fini(struct pool6 *p)
{
	free(p->bits);
	memset(p, 0, sizeof(*p));
}

bool
pool6_alloc(struct pool6 *p, uint8_t out[16])
{
	uint64_t i;

	if (p->bits == NULL || p->used >= p->count - 1)
		return false;
	i = find_clear(p->bits, p->count, p->cursor);
	bit_set(p->bits, i);
	p->used++;
	p->cursor = (i + 1) % p->count;
	memset(out, 0, 16);
	/* The base has its host bits clear and i < 2^(64 - len). */
	store64(out, load64(p->base) | i);
	return true;
}

void
pool6_free(struct pool6 *p, const uint8_t prefix64[16])
{
	uint64_t base = load64(p->base), v = load64(prefix64), i;

	if (p->bits == NULL || v < base)
		return;
	i = v - base;
	if (i == 0 || i >= p->count || !bit_get(p->bits, i))
		return;
	bit_clear(p->bits, i);
	p->used--;
}

void
pool6_server_prefix(const struct pool6 *p, uint8_t out[16])
{
	memset(out, 0, 16);
	memcpy(out, p->base, 8);
}

#include "server/addr_table.h"

#include <stdlib.h>
#include <string.h>

enum slot_state {
	SLOT_EMPTY = 0,
	SLOT_FULL,
	SLOT_TOMB, /* deleted: probes go on past it */
};

enum key_tag {
	KEY_V4 = 4,
	KEY_V6 = 6,
};

struct addr_slot {
	uint8_t state;
	uint8_t tag;
	uint64_t key; /* the IPv4 address, or the /64 as a big-endian number */
	void *value;
};

#define TABLE_MIN_CAP 16

/*
 * splitmix64's finaliser: every key bit reaches every hash bit, so
 * sequential pool addresses (the usual keys) spread over the table
 * instead of clustering in one run of probes.
 */
static size_t
hash(uint8_t tag, uint64_t key)
{
	uint64_t x = key ^ (uint64_t)tag << 56 ^ UINT64_C(0x9e3779b97f4a7c15);

	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return (size_t)(x ^ (x >> 31));
}

static uint64_t
key6(const uint8_t b[8])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

void
addr_table_init(struct addr_table *t)
{
	memset(t, 0, sizeof(*t));
}

void
addr_table_fini(struct addr_table *t)
{
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* The slot holding the key, or NULL. */
static struct addr_slot *
find(const struct addr_table *t, uint8_t tag, uint64_t key)
{
	size_t mask, i;
	struct addr_slot *s;

	if (t->cap == 0)
		return NULL;
	mask = t->cap - 1;
	/* Ends: the load limit keeps at least half the slots empty. */
	for (i = hash(tag, key) & mask;; i = (i + 1) & mask) {
		s = &t->slots[i];
		if (s->state == SLOT_EMPTY)
			return NULL;
		if (s->state == SLOT_FULL && s->tag == tag && s->key == key)
			return s;
	}
}

/* Where a new key goes: the first tombstone or empty slot on its path. */
static struct addr_slot *
free_slot(struct addr_table *t, uint8_t tag, uint64_t key)
{
	size_t mask = t->cap - 1, i;

	for (i = hash(tag, key) & mask;; i = (i + 1) & mask)
		if (t->slots[i].state != SLOT_FULL)
			return &t->slots[i];
}

/*
 * Rehash, dropping the tombstones, into a table where the live entries
 * fill at most 3/8: it doubles when they need it, and stays the same
 * size when it was tombstones that filled it (sessions come and go).
 */
static bool
rehash(struct addr_table *t, size_t need)
{
	struct addr_table nt = { 0 };
	struct addr_slot *s;
	size_t i;

	nt.cap = t->cap > TABLE_MIN_CAP ? t->cap : TABLE_MIN_CAP;
	while (need > nt.cap / 8 * 3) {
		if (nt.cap > SIZE_MAX / 2 / sizeof(*nt.slots))
			return false;
		nt.cap *= 2;
	}
	if ((nt.slots = calloc(nt.cap, sizeof(*nt.slots))) == NULL)
		return false;
	for (i = 0; i < t->cap; i++) {
		if (t->slots[i].state != SLOT_FULL)
			continue;
		s = free_slot(&nt, t->slots[i].tag, t->slots[i].key);
		*s = t->slots[i];
		nt.used++;
	}
	free(t->slots);
	*t = nt;
	return true;
}

static bool
put(struct addr_table *t, uint8_t tag, uint64_t key, void *value)
{
	struct addr_slot *s;

	if (find(t, tag, key) != NULL)
		return false;
	/* Grow at 50 %, counting tombstones: they lengthen probes too. */
	if ((t->used + t->tombs + 1) * 2 > t->cap && !rehash(t, t->used + 1))
		return false;
	s = free_slot(t, tag, key);
	if (s->state == SLOT_TOMB)
		t->tombs--;
	s->state = SLOT_FULL;
	s->tag = tag;
	s->key = key;
	s->value = value;
	t->used++;
	return true;
}

static void
del(struct addr_table *t, uint8_t tag, uint64_t key)
{
	struct addr_slot *s = find(t, tag, key);

	if (s == NULL)
		return;
	s->state = SLOT_TOMB;
	s->value = NULL;
	t->used--;
	t->tombs++;
}

bool
addr_table_put4(struct addr_table *t, uint32_t addr, void *value)
{
	return put(t, KEY_V4, addr, value);
}

bool
addr_table_put6(struct addr_table *t, const uint8_t prefix64[8], void *value)
{
	return put(t, KEY_V6, key6(prefix64), value);
}

void
addr_table_del4(struct addr_table *t, uint32_t addr)
{
	del(t, KEY_V4, addr);
}

void
addr_table_del6(struct addr_table *t, const uint8_t prefix64[8])
{
	del(t, KEY_V6, key6(prefix64));
}

void *
addr_table_get4(const struct addr_table *t, uint32_t addr)
{
	struct addr_slot *s = find(t, KEY_V4, addr);

	return s != NULL ? s->value : NULL;
}

void *
addr_table_get6(const struct addr_table *t, const uint8_t addr[8])
{
	struct addr_slot *s = find(t, KEY_V6, key6(addr));

	return s != NULL ? s->value : NULL;
}

#include "server/acl.h"

#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

struct acl_source {
	bool used;
	struct ip_addr key; /* IPv4 address or IPv6 /64, rest zero */
	uint32_t conns;
	uint32_t failures; /* within the window from window_start */
	uint64_t window_start;
	uint64_t banned_until;
};

#define ACL_MIN_CAP 64

/*
 * The table's keys are chosen by whoever connects: with a known hash, a
 * client holding many IPv6 /64s could pick ones that collide and make
 * every lookup walk the table.  So the hash is SipHash-2-4 (OpenSSL's)
 * with a key drawn at start-up.
 */
static EVP_MAC_CTX *
siphash_new(void)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "SIPHASH", NULL);
	EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
	unsigned char key[16];
	size_t size = 8;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &size),
		OSSL_PARAM_END,
	};

	EVP_MAC_free(mac); /* the context keeps its own reference */
	if (ctx != NULL &&
	    (RAND_bytes(key, sizeof(key)) != 1 ||
		!EVP_MAC_init(ctx, key, sizeof(key), params))) {
		EVP_MAC_CTX_free(ctx);
		ctx = NULL;
	}
	OPENSSL_cleanse(key, sizeof(key));
	return ctx;
}

void
acl_init(struct acl *a)
{
	memset(a, 0, sizeof(*a));
	a->max_sources = ACL_MAX_SOURCES;
	a->mac = siphash_new();
}

void
acl_fini(struct acl *a)
{
	free(a->slots);
	a->slots = NULL;
	EVP_MAC_CTX_free(a->mac);
	a->mac = NULL;
	a->cap = a->used = 0;
}

bool
acl_rules_check(
    const struct acl *a, const struct ip_addr *src, char why[ACL_WHY_MAX])
{
	char buf[ADDR_STR_MAX];
	size_t i;

	for (i = 0; i < a->ndeny; i++)
		if (prefix_contains(&a->deny[i], src)) {
			snprintf(why, ACL_WHY_MAX, "deny %s/%u",
			    addr_str(&a->deny[i].addr, buf), a->deny[i].len);
			return false;
		}
	if (a->nallow == 0)
		return true;
	for (i = 0; i < a->nallow; i++)
		if (prefix_contains(&a->allow[i], src))
			return true;
	snprintf(why, ACL_WHY_MAX, "not in allow");
	return false;
}

/*
 * The table's key: an IPv4 address, or an IPv6 /64 (one host holds a
 * whole /64, so a per-address count would be no limit at all).
 */
static void
key_of(const struct ip_addr *src, struct ip_addr *k)
{
	memset(k, 0, sizeof(*k));
	k->family = src->family;
	memcpy(k->b, src->b, src->family == AF_INET ? 4 : 8);
}

static bool
key_eq(const struct ip_addr *x, const struct ip_addr *y)
{
	return x->family == y->family && memcmp(x->b, y->b, 8) == 0;
}

/*
 * SipHash of the family and the 8 bytes used; FNV-1a only if OpenSSL
 * could not give a keyed SipHash at start-up (acl_init).
 */
static size_t
key_hash(const struct acl *a, const struct ip_addr *k)
{
	unsigned char in[9], out[8];
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i, len = 0;

	in[0] = (unsigned char)k->family;
	memcpy(in + 1, k->b, 8);
	if (a->mac != NULL && EVP_MAC_init(a->mac, NULL, 0, NULL) &&
	    EVP_MAC_update(a->mac, in, sizeof(in)) &&
	    EVP_MAC_final(a->mac, out, &len, sizeof(out)) && len == 8) {
		memcpy(&h, out, sizeof(h));
		return (size_t)h;
	}
	for (i = 0; i < sizeof(in); i++)
		h = (h ^ in[i]) * 0x100000001b3ULL;
	return (size_t)(h ^ (h >> 32));
}

static struct acl_source *
find(const struct acl *a, const struct ip_addr *k)
{
	size_t i, mask;

	if (a->cap == 0)
		return NULL;
	mask = a->cap - 1;
	/* At most half full: the probe always reaches an empty slot. */
	for (i = key_hash(a, k) & mask; a->slots[i].used; i = (i + 1) & mask)
		if (key_eq(&a->slots[i].key, k))
			return &a->slots[i];
	return NULL;
}

/* Nothing left to remember: no connection, no ban, no live failures. */
static bool
idle(const struct acl *a, const struct acl_source *s, uint64_t now)
{
	return s->conns == 0 && s->banned_until <= now &&
	    (s->failures == 0 || now - s->window_start >= a->ban_window_ms);
}

static struct acl_source *
place(const struct acl *a, struct acl_source *slots, size_t cap,
    const struct acl_source *s)
{
	size_t i, mask = cap - 1;

	for (i = key_hash(a, &s->key) & mask; slots[i].used; i = (i + 1) & mask)
		;
	slots[i] = *s;
	return &slots[i];
}

/* Into a table of cap slots, leaving out the idle entries. */
static bool
rehash(struct acl *a, size_t cap, uint64_t now)
{
	struct acl_source *slots = calloc(cap, sizeof(*slots));
	size_t i, used = 0;

	if (slots == NULL)
		return false;
	for (i = 0; i < a->cap; i++)
		if (a->slots[i].used && !idle(a, &a->slots[i], now)) {
			place(a, slots, cap, &a->slots[i]);
			used++;
		}
	free(a->slots);
	a->slots = slots;
	a->cap = cap;
	a->used = used;
	return true;
}

/* Backward-shift deletion: no tombstones to sweep later. */
static void
remove_at(struct acl *a, size_t i)
{
	size_t mask = a->cap - 1, j = i, h;

	for (;;) {
		j = (j + 1) & mask;
		if (!a->slots[j].used)
			break;
		h = key_hash(a, &a->slots[j].key) & mask;
		/* Slot j may move to i unless its home is in (i, j]. */
		if (i <= j ? (h <= i || h > j) : (h <= i && h > j)) {
			a->slots[i] = a->slots[j];
			i = j;
		}
	}
	memset(&a->slots[i], 0, sizeof(a->slots[i]));
	a->used--;
}

static void
forget_if_idle(struct acl *a, struct acl_source *s, uint64_t now)
{
	if (idle(a, s, now))
		remove_at(a, (size_t)(s - a->slots));
}

static struct acl_source *
get_or_add(struct acl *a, const struct ip_addr *src, uint64_t now)
{
	struct acl_source *s, n;
	struct ip_addr k;

	key_of(src, &k);
	if ((s = find(a, &k)) != NULL)
		return s;
	if (a->used >= a->max_sources &&
	    (!rehash(a, a->cap, now) || a->used >= a->max_sources))
		return NULL;
	if ((a->used + 1) * 2 > a->cap &&
	    !rehash(a, a->cap != 0 ? a->cap * 2 : ACL_MIN_CAP, now))
		return NULL;
	memset(&n, 0, sizeof(n));
	n.used = true;
	n.key = k;
	a->used++;
	return place(a, a->slots, a->cap, &n);
}

bool
acl_banned(const struct acl *a, const struct ip_addr *src, uint64_t now,
    uint64_t *until)
{
	struct acl_source *s;
	struct ip_addr k;

	key_of(src, &k);
	if ((s = find(a, &k)) == NULL || s->banned_until <= now)
		return false;
	if (until != NULL)
		*until = s->banned_until;
	return true;
}

bool
acl_conn_open(struct acl *a, const struct ip_addr *src, uint64_t now,
    char why[ACL_WHY_MAX])
{
	struct acl_source *s = get_or_add(a, src, now);

	if (s == NULL) {
		snprintf(why, ACL_WHY_MAX, "source table full");
		return false;
	}
	if (a->max_per_source != 0 && s->conns >= a->max_per_source) {
		snprintf(why, ACL_WHY_MAX, "max_per_source %u",
		    (unsigned)a->max_per_source);
		return false;
	}
	s->conns++;
	return true;
}

void
acl_conn_close(struct acl *a, const struct ip_addr *src, uint64_t now)
{
	struct acl_source *s;
	struct ip_addr k;

	key_of(src, &k);
	if ((s = find(a, &k)) == NULL)
		return;
	if (s->conns > 0)
		s->conns--;
	forget_if_idle(a, s, now);
}

bool
acl_auth_failed(struct acl *a, const struct ip_addr *src, uint64_t now)
{
	struct acl_source *s;

	if (a->ban_failures == 0 || (s = get_or_add(a, src, now)) == NULL)
		return false;
	if (s->failures == 0 || now - s->window_start >= a->ban_window_ms) {
		s->failures = 0;
		s->window_start = now;
	}
	if (++s->failures < a->ban_failures)
		return false;
	s->failures = 0;
	s->banned_until = now + a->ban_ms;
	return true;
}

uint32_t
acl_conns(const struct acl *a, const struct ip_addr *src)
{
	struct acl_source *s;
	struct ip_addr k;

	key_of(src, &k);
	return (s = find(a, &k)) != NULL ? s->conns : 0;
}

/*
 * Address pools: IPv4 addresses from a CIDR range, one per session, and
 * IPv6 /64 prefixes from a shorter prefix (e.g. a /56 gives 256 clients
 * their own /64, spec/ppp.md 9).  Allocation is O(1) amortised (a bitmap
 * with a rotating cursor, so a freed address is not handed out again at
 * once); the server's own address and the network and broadcast
 * addresses are never given out.
 */
#ifndef OPENSSTP_SERVER_POOL_H
#define OPENSSTP_SERVER_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"

struct pool4 {
	uint32_t base; /* host order: the first address of the range */
	uint32_t size; /* addresses in the range */
	uint32_t server; /* host order: reserved for the server itself */
	uint64_t *bits; /* 1: in use */
	uint32_t cursor;
	uint32_t used, capacity; /* capacity: assignable addresses */
};

/*
 * A pool from prefix (IPv4, /8 to /30; the network and broadcast
 * addresses excluded).  The server's own address is the first usable one
 * unless server (host order) is not 0.  false on a bad prefix or memory.
 */
bool pool4_init(
    struct pool4 *p, const struct ip_prefix *prefix, uint32_t server);
void pool4_fini(struct pool4 *p);
/* An address (host order), or false when none is left. */
bool pool4_alloc(struct pool4 *p, uint32_t *addr);
void pool4_free(struct pool4 *p, uint32_t addr);

struct pool6 {
	uint8_t base[16]; /* the configured prefix */
	unsigned len; /* its length: 32..64 */
	uint64_t count; /* /64s in it, at most 2^20 tracked */
	uint64_t *bits;
	uint64_t cursor;
	uint64_t used;
};

/* The server keeps the first /64 for itself; false on a bad prefix. */
bool pool6_init(struct pool6 *p, const struct ip_prefix *prefix);
void pool6_fini(struct pool6 *p);
/* A /64 (16 bytes, low 8 zero), or false when none is left. */
bool pool6_alloc(struct pool6 *p, uint8_t out[16]);
void pool6_free(struct pool6 *p, const uint8_t prefix64[16]);
/* The server's own /64 (for its address on the TUN). */
void pool6_server_prefix(const struct pool6 *p, uint8_t out[16]);

#endif

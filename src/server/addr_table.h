/*
 * Which session owns a destination address: the server's one shared TUN
 * hands every packet it reads to the session found here (DESIGN.md Data
 * path).  Keys are an IPv4 address or an IPv6 /64; values are opaque
 * session pointers.  Open addressing with linear probing and tombstones,
 * grown at 50 % load: one hash and usually one probe per packet.
 */
#ifndef OPENSSTP_SERVER_ADDR_TABLE_H
#define OPENSSTP_SERVER_ADDR_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addr_slot;

struct addr_table {
	struct addr_slot *slots;
	size_t cap, used, tombs;
};

void addr_table_init(struct addr_table *t);
void addr_table_fini(struct addr_table *t);
/* false on memory, or if the key is taken. */
bool addr_table_put4(struct addr_table *t, uint32_t addr, void *value);
bool addr_table_put6(
    struct addr_table *t, const uint8_t prefix64[8], void *value);
void addr_table_del4(struct addr_table *t, uint32_t addr);
void addr_table_del6(struct addr_table *t, const uint8_t prefix64[8]);
void *addr_table_get4(const struct addr_table *t, uint32_t addr);
/* The owner of the /64 of a full IPv6 address (first 8 bytes used). */
void *addr_table_get6(const struct addr_table *t, const uint8_t addr[8]);

#endif

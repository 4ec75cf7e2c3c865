/*
 * IPv6CP (RFC 5072, spec/ppp.md 9) over the generic automaton: each side
 * proposes its own non-zero 64-bit Interface-Identifier; collisions and
 * zero identifiers are Nak'd with a fresh suggestion (the server's is the
 * one its allocator gives the client); IPv6-Compression is Rejected.
 */
#ifndef OPENSSTP_PPP_IPV6CP_H
#define OPENSSTP_PPP_IPV6CP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/fsm.h"
#include "ppp/ppp_err.h"

enum ipv6cp_opt {
	IPV6CP_OPT_IFACE_ID = 1,
	IPV6CP_OPT_COMPRESSION = 2,
};

#define IPV6CP_IID_LEN 8

struct ipv6cp_config {
	struct fsm_config fsm;
	uint8_t iid[IPV6CP_IID_LEN]; /* ours; all zero: random */
};

void ipv6cp_config_default(struct ipv6cp_config *cfg);

struct ipv6cp_ops {
	void (*send)(void *arg, const uint8_t *pkt, size_t len);
	/* An allocated identifier to suggest to the peer, different from
	 * avoid; false (or NULL): a random one. */
	bool (*suggest_iid)(void *arg, const uint8_t avoid[IPV6CP_IID_LEN],
	    uint8_t out[IPV6CP_IID_LEN]);
	bool (*random)(void *arg, void *buf, size_t len);
	void (*up)(void *arg);
	void (*down)(void *arg);
	void (*finished)(void *arg, enum ppp_err reason);
};

struct ipv6cp {
	struct fsm fsm;
	const struct ipv6cp_config *cfg;
	const struct ipv6cp_ops *ops;
	void *arg;
	uint8_t local[IPV6CP_IID_LEN];
	uint8_t peer[IPV6CP_IID_LEN];
	bool iid_rejected;
};

void ipv6cp_init(struct ipv6cp *p, const struct ipv6cp_config *cfg,
    const struct ipv6cp_ops *ops, void *arg);
void ipv6cp_lower_up(struct ipv6cp *p, uint64_t now);
void ipv6cp_lower_down(struct ipv6cp *p, uint64_t now);
void ipv6cp_open(struct ipv6cp *p, uint64_t now);
void ipv6cp_close(struct ipv6cp *p, uint64_t now);
void ipv6cp_input(
    struct ipv6cp *p, const uint8_t *pkt, size_t len, uint64_t now);
void ipv6cp_tick(struct ipv6cp *p, uint64_t now);
uint64_t ipv6cp_deadline(const struct ipv6cp *p);
bool ipv6cp_is_opened(const struct ipv6cp *p);

#endif

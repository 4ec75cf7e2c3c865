/*
 * IPCP (RFC 1332, RFC 1877; spec/ppp.md 8) over the generic automaton.
 * Server: names its own address, Naks the client's request with the
 * address a caller-supplied allocator gives, hands out DNS and NBNS, and
 * Rejects IP-Compression and anything unknown.  Client: asks for 0.0.0.0
 * and the DNS servers, adopts what the Naks carry, reports the result.
 * Addresses are IPv4 in host byte order.
 */
#ifndef OPENSSTP_PPP_IPCP_H
#define OPENSSTP_PPP_IPCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/fsm.h"
#include "ppp/ppp_err.h"

enum ipcp_opt {
	IPCP_OPT_ADDRESSES = 1,
	IPCP_OPT_COMPRESSION = 2,
	IPCP_OPT_ADDRESS = 3,
	IPCP_OPT_DNS1 = 129,
	IPCP_OPT_NBNS1 = 130,
	IPCP_OPT_DNS2 = 131,
	IPCP_OPT_NBNS2 = 132,
};

/* spec/ppp.md 8.1: RFC 7600's dummy address, as SoftEther sends. */
#define IPCP_DUMMY_SERVER_ADDR 0xc0000008 /* 192.0.0.8 */

struct ipcp_config {
	struct fsm_config fsm;
	bool server;
	/* Server: its own address (0: the dummy), DNS and NBNS to hand
	 * out (0: none, the option is Rejected). */
	uint32_t addr;
	uint32_t dns[2];
	uint32_t nbns[2];
	/* Client: ask for DNS servers (yes) and NBNS (no). */
	bool want_dns;
	bool want_nbns;
};

void ipcp_config_default(struct ipcp_config *cfg, bool server);

struct ipcp_ops {
	void (*send)(void *arg, const uint8_t *pkt, size_t len);
	/* Server: an address for the client, in *addr; false if none. */
	bool (*alloc_address)(void *arg, uint32_t *addr);
	void (*up)(void *arg);
	void (*down)(void *arg);
	void (*finished)(void *arg, enum ppp_err reason);
};

struct ipcp {
	struct fsm fsm;
	const struct ipcp_config *cfg;
	const struct ipcp_ops *ops;
	void *arg;
	uint32_t local; /* our address */
	uint32_t peer; /* the peer's address */
	uint32_t dns[2]; /* client: what the server gave */
	uint32_t nbns[2];
	bool allocated; /* server: peer holds an allocated address */
	uint8_t rejected; /* client: bit per option the server Rejected */
	bool give_up; /* close once the automaton is done */
	enum ppp_err reason;
};

void ipcp_init(struct ipcp *p, const struct ipcp_config *cfg,
    const struct ipcp_ops *ops, void *arg);
void ipcp_lower_up(struct ipcp *p, uint64_t now);
void ipcp_lower_down(struct ipcp *p, uint64_t now);
void ipcp_open(struct ipcp *p, uint64_t now);
void ipcp_close(struct ipcp *p, uint64_t now);
void ipcp_input(struct ipcp *p, const uint8_t *pkt, size_t len, uint64_t now);
void ipcp_tick(struct ipcp *p, uint64_t now);
uint64_t ipcp_deadline(const struct ipcp *p);
bool ipcp_is_opened(const struct ipcp *p);

#endif

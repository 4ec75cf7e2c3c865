/*
 * Who may connect, decided at accept before any TLS (issue 13, DESIGN.md
 * Security): deny and allow lists of prefixes, a cap on connections per
 * source address, and a temporary ban after repeated failed
 * authentications from one source (ocserv-style).  The source is one
 * value per session, ready to come from a PROXY header later (DESIGN.md
 * Beyond one machine).  Pure: memory only, times given by the caller.
 *
 * Sources live in a hash table (open addressing, linear probing,
 * backward-shift deletion), capped at max_sources; when full, entries
 * with nothing left to remember are evicted, and if none can be, a new
 * source is refused (fail closed).
 */
#ifndef OPENSSTP_SERVER_ACL_H
#define OPENSSTP_SERVER_ACL_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"

#define ACL_MAX_SOURCES 65536
#define ACL_WHY_MAX	64 /* "deny ffff:...:ffff/128" */

struct acl_source;

struct acl {
	const struct ip_prefix *deny, *allow; /* the caller's, kept */
	size_t ndeny, nallow;
	uint32_t max_per_source; /* 0: no limit */
	uint32_t ban_failures; /* 0: no bans */
	uint64_t ban_window_ms, ban_ms;
	size_t max_sources;
	void *mac; /* EVP_MAC_CTX: SipHash with a random key (acl.c) */
	struct acl_source *slots;
	size_t cap, used;
};

void acl_init(struct acl *a);
void acl_fini(struct acl *a);
/*
 * The deny and allow lists: true if src may connect; if not, the rule
 * in why ("deny 10.0.0.0/8", "not in allow").  A deny rule wins.
 */
bool acl_rules_check(
    const struct acl *a, const struct ip_addr *src, char why[ACL_WHY_MAX]);
/* Is src banned at now?  Its end in *until when so (may be NULL). */
bool acl_banned(const struct acl *a, const struct ip_addr *src, uint64_t now,
    uint64_t *until);
/*
 * One more connection from src: false, and the limit in why, when over
 * max_per_source or when the source table is full.
 */
bool acl_conn_open(struct acl *a, const struct ip_addr *src, uint64_t now,
    char why[ACL_WHY_MAX]);
/* A connection counted by acl_conn_open ended. */
void acl_conn_close(struct acl *a, const struct ip_addr *src, uint64_t now);
/*
 * A failed authentication from src: true if it starts a ban (ban_failures
 * within ban_window_ms), which lasts ban_ms.
 */
bool acl_auth_failed(struct acl *a, const struct ip_addr *src, uint64_t now);
/* Open connections counted for src (tests, logs). */
uint32_t acl_conns(const struct acl *a, const struct ip_addr *src);

#endif

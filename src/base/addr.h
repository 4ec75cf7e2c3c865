/*
 * Address parsing and printing for configuration and logs: IPv4 and
 * IPv6 addresses, prefixes in CIDR form, and host:port / [v6]:port
 * endpoints.  Bytes in network order.
 */
#ifndef OPENSSTP_BASE_ADDR_H
#define OPENSSTP_BASE_ADDR_H

#include <sys/socket.h>

#include <netinet/in.h>

#include <stdbool.h>
#include <stdint.h>

struct ip_addr {
	int family; /* AF_INET or AF_INET6 */
	uint8_t b[16]; /* 4 or 16 bytes used */
};

struct ip_prefix {
	struct ip_addr addr; /* host bits cleared */
	unsigned len;
};

#define ADDR_STR_MAX 80 /* "[v6%scope]:port" */

bool addr_parse(const char *s, struct ip_addr *out);
/* "a.b.c.d/n" or "v6/n"; host bits must be zero unless lax. */
bool prefix_parse(const char *s, bool lax, struct ip_prefix *out);
bool prefix_contains(const struct ip_prefix *p, const struct ip_addr *a);
/*
 * "host:port", "[v6]:port", "v4", "[v6]" or a bare v6 with no port:
 * host (a name or a literal, brackets removed) and port (default_port
 * when none).  false when malformed or the host does not fit.
 */
bool endpoint_split(const char *s, char *host, size_t host_cap,
    uint16_t default_port, uint16_t *port);

/*
 * The address (and port, when port is not NULL) of a sockaddr_in or
 * sockaddr_in6; a v4-mapped IPv6 address comes back as IPv4, since a
 * dual-stack socket reports IPv4 peers that way.  false for other
 * families.
 */
bool addr_from_sockaddr(
    const struct sockaddr *sa, struct ip_addr *out, uint16_t *port);
/* The sockaddr of a and port; its length. */
socklen_t addr_to_sockaddr(
    const struct ip_addr *a, uint16_t port, struct sockaddr_storage *ss);

const char *addr_str(const struct ip_addr *a, char buf[ADDR_STR_MAX]);
/*
 * Loopback, RFC 1918 or unique-local (fc00::/7): the only targets the
 * test tools (opensstp-load, opensstp-hostile) accept, so that they are
 * never aimed at someone else's server.
 */
bool addr_is_private(const struct ip_addr *a);
/* "1.2.3.4:443" or "[::1]:443" of a sockaddr_in / sockaddr_in6. */
const char *sockaddr_str(const struct sockaddr *sa, char buf[ADDR_STR_MAX]);

#endif

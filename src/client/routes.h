/*
 * What the client changes on the host besides its TUN device, and how it
 * puts everything back: routes (a default route through the tunnel with
 * the route to the server kept outside it, or listed prefixes), the DNS
 * hook, and the kill switch.  What it adds is written to a state file
 * under /run/opensstp/ first (TUN.state, or TUN@netINODE.state in a
 * network namespace other than init's), so a client killed with SIGKILL
 * undoes it at its next start (routes_recover).
 */
#ifndef OPENSSTP_CLIENT_ROUTES_H
#define OPENSSTP_CLIENT_ROUTES_H

#include <sys/socket.h>

#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/addr.h"
#include "io/netlink.h"

#define ROUTES_STATE_DIR "/run/opensstp"
#define ROUTES_MAX	 64
/* The route protocol of the client's routes (`ip route` shows "proto 83"). */
#define ROUTES_PROTO 83

struct route_entry {
	int family;
	uint8_t dst[16];
	unsigned len;
	bool has_gw;
	uint8_t gw[16];
	int ifindex;
};

struct client_routes {
	char tun[16];
	int tun_ifindex;
	char state_path[128];
	struct route_entry added[ROUTES_MAX];
	size_t nadded;
};

/* Remove what an earlier client on tun left (state file), if anything. */
void routes_recover(struct nl *nl, const char *tun);
void routes_init(struct client_routes *r, const char *tun, int tun_ifindex);

/*
 * The server (the TCP peer we connected to: the proxy when there is one)
 * stays reachable outside the tunnel: a host route through the path the
 * kernel uses now (RTM_GETROUTE), added before any route into the tunnel.
 */
int routes_keep_outside(
    struct client_routes *r, struct nl *nl, const struct sockaddr *server);
/*
 * Into the tunnel: the default route as two halves (0.0.0.0/1 and
 * 128.0.0.0/1; ::/1 and 8000::/1) so the original default route stays
 * and comes back by itself, or the listed prefixes.  family: AF_INET or
 * AF_INET6.
 */
int routes_default(struct client_routes *r, struct nl *nl, int family);
int routes_add(
    struct client_routes *r, struct nl *nl, const struct ip_prefix *p);
/* Remove everything added, in reverse order, and the state file. */
void routes_down(struct client_routes *r, struct nl *nl);

/* The DNS hook's input (see dns_hook_run). */
struct dns_info {
	const char *event; /* "up" or "down" */
	const char *tun;
	char dns4[3][INET_ADDRSTRLEN];
	size_t ndns4;
	char dns6[3][INET6_ADDRSTRLEN];
	size_t ndns6;
	char ipv4[INET_ADDRSTRLEN], peer4[INET_ADDRSTRLEN];
	char ipv6[INET6_ADDRSTRLEN];
	const char *server;
};

/*
 * Run the hook with the variables OPENSSTP_EVENT, OPENSSTP_TUN,
 * OPENSSTP_DNS4, OPENSSTP_DNS6 (space-separated), OPENSSTP_IPV4,
 * OPENSSTP_PEER4, OPENSSTP_IPV6, OPENSSTP_SERVER, waiting at most 10 s;
 * its exit status, or -1.
 */
int dns_hook_run(const char *hook, const struct dns_info *info);
/* The same with another limit (milliseconds), for tests. */
int dns_hook_run_timeout(
    const char *hook, const struct dns_info *info, unsigned timeout_ms);

/*
 * The kill switch (nftables table "inet opensstp_<tun>"): while it is on,
 * only loopback, the TUN device and TCP to the server (or proxy)
 * address and port may leave the host.  On at start, off at exit;
 * routes_recover also removes a table a killed client left.
 */
int killswitch_on(const char *tun, const struct sockaddr *const *servers,
    size_t nservers, char *err, size_t errlen);
void killswitch_off(const char *tun);

#endif

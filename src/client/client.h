/*
 * opensstp, the client: connect (directly or through an HTTP proxy),
 * keep one tunnel up, and bring it back when it drops, with backoff; a
 * TUN device with the addresses PPP and the server's Router
 * Advertisement give, the routes and DNS the user asked for, and a kill
 * switch while the tunnel is down.
 *
 *	client.c	life cycle: attempts, reconnect, signals, exit status
 *	client_link.c	one tunnel's callbacks: TUN, addresses, IPv6 by
 *			RA and DHCPv6, routes, the DNS hook, the summary
 */
#ifndef OPENSSTP_CLIENT_CLIENT_H
#define OPENSSTP_CLIENT_CLIENT_H

#include <sys/socket.h>

#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>

#include "client/options.h"
#include "client/proxy.h"
#include "client/routes.h"
#include "io/loop.h"
#include "io/netlink.h"
#include "ppp/ipv6_ctl.h"
#include "ppp/ppp_crypto.h"
#include "tunnel/tunnel.h"

/* Exit status (documented in --help and opensstp(1)). */
enum client_exit {
	CLIENT_EXIT_OK = 0, /* ended by a signal, cleanly */
	CLIENT_EXIT_ERROR = 1, /* any other failure; the message says */
	CLIENT_EXIT_USAGE = 2,
	CLIENT_EXIT_AUTH = 3, /* the server refused the credentials */
	CLIENT_EXIT_CERT = 4, /* certificate not trusted, pin mismatch */
	CLIENT_EXIT_UNREACHABLE = 5, /* no TCP path; proxy refused */
	CLIENT_EXIT_NOT_SSTP = 6, /* the server does not speak SSTP */
	CLIENT_EXIT_LOST = 7, /* the tunnel was lost or ended */
};

struct client {
	struct client_opts o;
	struct io_loop loop;
	SSL_CTX *ssl_ctx;
	struct ppp_crypto *crypto;
	struct nl nl;
	int tun_fd, tun_ifindex;
	char tun_name[16];
	struct io_watch tun_watch;
	int sig_fd;
	struct io_watch sig_watch;
	bool stopping; /* SIGINT/SIGTERM seen */
	bool progress; /* one updating line on the terminal */
	/* The attempt under way: addresses to try, the socket. */
	struct addrinfo *ai, *ai_next;
	int conn_fd;
	struct io_watch conn_watch;
	struct io_timer conn_timer;
	char conn_err[160];
	bool use_proxy;
	struct proxy_url proxy;
	bool have_proxy_pw; /* from the file or the prompt, kept */
	char proxy_pw[256];
	struct sockaddr_storage peer; /* the TCP peer: server or proxy */
	socklen_t peer_len;
	/* Staying up. */
	unsigned failures; /* attempts since the tunnel was last up */
	struct io_timer retry_timer;
	bool kill_switch_on;
	/* The tunnel of this attempt. */
	bool tunnel_started, tunnel_live;
	struct tunnel tunnel;
	bool binding_sent, was_up, pin_failed;
	/* The server's EAP had no type we do: leave EAP out of --auth. */
	bool without_eap;
	/* What the tunnel configured, to undo when it ends. */
	bool have4, routes_on, dns_up;
	uint32_t local4, peer4; /* network order */
	struct client_routes routes;
	struct dns_info dns;
	uint8_t local_iid[8], peer_iid[8];
	bool ipv6_up, have_global6;
	uint8_t ll6[16], global6[16];
	uint8_t xid[3];
	bool dhcp6_sent;
	int exit_code;
};

bool client_init(struct client *c, const struct client_opts *o);
/* Connect and run until the end; the exit status. */
int client_run(struct client *c);
void client_fini(struct client *c);

/* client_link.c, for client.c. */
extern const struct tunnel_ops client_tunnel_ops;
void client_tun_watch_init(struct client *c);
/* Undo what the last tunnel configured (addresses, routes, DNS). */
void client_link_reset(struct client *c);
/* client.c, for client_link.c: the tunnel ended; reason is its why. */
void client_tunnel_ended(struct client *c, const char *reason);
/* The tunnel is up (an address configured): reset the backoff. */
void client_tunnel_up(struct client *c);

#endif

/*
 * opensstp, the client: one connection to one server, a TUN device with
 * the addresses PPP and the server's Router Advertisement give, and the
 * datagrams between the two.  The reconnecting, route- and DNS-managing
 * client of issue 12 grows from this.
 */
#ifndef OPENSSTP_CLIENT_CLIENT_H
#define OPENSSTP_CLIENT_CLIENT_H

#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>

#include "io/loop.h"
#include "io/netlink.h"
#include "ppp/ipv6_ctl.h"
#include "ppp/ppp_crypto.h"
#include "tunnel/tunnel.h"

/* Exit status (documented in --help). */
enum client_exit {
	CLIENT_EXIT_OK = 0, /* ended by a signal or the server, cleanly */
	CLIENT_EXIT_ERROR = 1, /* any failure; the message says which */
	CLIENT_EXIT_USAGE = 2,
	CLIENT_EXIT_AUTH = 3, /* the server refused the credentials */
	CLIENT_EXIT_CERT = 4, /* the server certificate was not trusted */
	CLIENT_EXIT_UNREACHABLE = 5, /* no TCP connection to the server */
	CLIENT_EXIT_NOT_SSTP = 6, /* the server does not speak SSTP */
	CLIENT_EXIT_LOST = 7, /* an established tunnel was lost */
};

struct client_opts {
	char host[256];
	uint16_t port;
	const char *user;
	char password[256];
	const char *ca_file;
	bool insecure;
	const char *tun; /* "" or NULL: kernel-chosen */
	unsigned mtu;
	bool ipv4, ipv6;
	enum ppp_auth_method auth[4]; /* accepted, preferred first */
	size_t nauth;
	uint32_t hello_ms, lcp_echo_ms, handshake_ms, connect_ms;
};

void client_opts_default(struct client_opts *o);

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
	/* Connecting: the addresses to try and the socket in progress. */
	struct addrinfo *ai, *ai_next;
	int conn_fd;
	struct io_watch conn_watch;
	struct io_timer conn_timer;
	char conn_err[160];
	bool tunnel_started, tunnel_live;
	struct tunnel tunnel;
	bool binding_sent; /* Call Connected sent */
	bool was_up; /* IP came up at least once */
	bool stopping; /* SIGINT/SIGTERM seen */
	uint64_t up_ms;
	/* IPv6 on the link (spec/ppp.md 9). */
	uint8_t local_iid[8], peer_iid[8];
	bool ipv6_up, have_global6;
	uint8_t global6[16];
	uint8_t xid[3];
	bool dhcp6_sent;
	int exit_code;
};

bool client_init(struct client *c, const struct client_opts *o);
/* Connect and run until the tunnel ends; the exit status. */
int client_run(struct client *c);
void client_fini(struct client *c);

#endif

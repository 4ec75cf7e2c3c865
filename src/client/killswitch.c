/*
 * The kill switch (routes.h): one nftables table of the client's own,
 * "inet opensstp_<tun>", with an output chain whose policy is drop.
 * Allowed out: loopback, the TUN device (by name: it may not exist yet),
 * TCP to each server (or proxy) address and port and the ICMP errors
 * related to it, and what keeps the outer link itself alive without
 * carrying anybody's data: IPv6 neighbour and router solicitations and
 * adverts, and DHCP (v4 and v6) requests.  Forwarded traffic is not
 * touched: the switch is about this host's own packets.
 *
 * The table is replaced in one transaction (add, delete, define), so
 * switching it on again with new server addresses leaves no gap.
 */
#include <arpa/inet.h>

#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "routes.h"

/* Table names are made of the TUN name: only what nft takes unquoted. */
static bool
tun_name_ok(const char *tun)
{
	const char *p;

	if (tun == NULL || tun[0] == '\0' || strlen(tun) >= 16)
		return false;
	for (p = tun; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
			*p == '.'))
			return false;
	return true;
}

/* Run cmd; on failure, the first line of nft's message in err. */
static int
nft_run(const char *cmd, char *err, size_t errlen)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	const char *msg;
	size_t n;
	int rc;

	if (nft == NULL) {
		snprintf(err, errlen, "nftables: cannot create a context");
		return -1;
	}
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	rc = nft_run_cmd_from_buffer(nft, cmd);
	if (rc != 0 && err != NULL && errlen > 0) {
		msg = nft_ctx_get_error_buffer(nft);
		if (msg == NULL || *msg == '\0')
			msg = "nftables: the ruleset was refused";
		n = strcspn(msg, "\n");
		snprintf(err, errlen, "%.*s", (int)n, msg);
	}
	nft_ctx_free(nft);
	return rc != 0 ? -1 : 0;
}

/* The rules for one server: "ip daddr A tcp dport P accept" and more. */
static bool
server_rules(FILE *f, const struct sockaddr *sa)
{
	struct ip_addr ip;
	char a[ADDR_STR_MAX];
	const char *fam;
	uint16_t port;

	if (!addr_from_sockaddr(sa, &ip, &port))
		return false;
	addr_str(&ip, a);
	fam = ip.family == AF_INET ? "ip" : "ip6";
	if (port == 0)
		return false;
	fprintf(
	    f, "\t\t%s daddr %s tcp dport %u accept\n", fam, a, (unsigned)port);
	fprintf(f, "\t\t%s daddr %s ct state related accept\n", fam, a);
	return true;
}

int
killswitch_on(const char *tun, const struct sockaddr *const *servers,
    size_t nservers, char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;
	int rc;

	if (!tun_name_ok(tun)) {
		snprintf(err, errlen, "kill switch: unusable device name '%s'",
		    tun != NULL ? tun : "");
		return -1;
	}
	if ((f = open_memstream(&buf, &len)) == NULL) {
		snprintf(err, errlen, "kill switch: out of memory");
		return -1;
	}
	fprintf(f, "add table inet opensstp_%s\n", tun);
	fprintf(f, "delete table inet opensstp_%s\n", tun);
	fprintf(f, "table inet opensstp_%s {\n", tun);
	fprintf(f, "\tchain output {\n");
	fprintf(f, "\t\ttype filter hook output priority 0; policy drop;\n");
	fprintf(f, "\t\toifname \"lo\" accept\n");
	fprintf(f, "\t\toifname \"%s\" accept\n", tun);
	for (i = 0; i < nservers; i++) {
		if (!server_rules(f, servers[i])) {
			fclose(f);
			free(buf);
			snprintf(err, errlen,
			    "kill switch: server %zu is not an IPv4 or IPv6 "
			    "address with a port",
			    i + 1);
			return -1;
		}
	}
	fprintf(f,
	    "\t\ticmpv6 type { nd-neighbor-solicit, "
	    "nd-neighbor-advert, nd-router-solicit } accept\n");
	fprintf(f, "\t\tudp sport 68 udp dport 67 accept\n");
	fprintf(f, "\t\tudp sport 546 udp dport 547 accept\n");
	fprintf(f, "\t}\n}\n");
	if (fclose(f) != 0) {
		free(buf);
		snprintf(err, errlen, "kill switch: out of memory");
		return -1;
	}
	rc = nft_run(buf, err, errlen);
	free(buf);
	if (rc == 0)
		log_info("kill switch on: table inet opensstp_%s, %zu "
			 "server address(es) allowed",
		    tun, nservers);
	return rc;
}

void
killswitch_off(const char *tun)
{
	char cmd[128], err[256];

	if (!tun_name_ok(tun))
		return;
	/* add first: deleting is then never an error. */
	snprintf(cmd, sizeof(cmd),
	    "add table inet opensstp_%s\ndelete table inet opensstp_%s\n", tun,
	    tun);
	if (nft_run(cmd, err, sizeof(err)) < 0)
		log_warn(
		    "kill switch: cannot remove table inet opensstp_%s: %s",
		    tun, err);
}

/*
 * The config parser (inih and every key's setter): whatever the text,
 * parsing is total; a success leaves every field in its range, a
 * failure leaves the config as it was and names the file.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "server/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct server_config c, before;
	static struct listener_config l;
	char err[512], *text;
	size_t i;

	/* The parser takes a C string: copy and terminate. */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	server_config_default(&c);
	before = c;
	err[0] = '\0';
	if (!server_config_parse(&c, text, "f", err, sizeof(err))) {
		if (strncmp(err, "f:", 2) != 0 ||
		    memcmp(&c, &before, sizeof(c)) != 0)
			abort();
		free(text);
		return 0;
	}
	free(text);
	if (c.nlisten == 0 || c.nlisten > CONFIG_MAX_LISTEN ||
	    c.mtu < LCP_MRU_MIN || c.mtu > LCP_MRU_MAX || c.nauth == 0 ||
	    c.nauth > CONFIG_AUTH_MAX || c.ndns4 > CONFIG_MAX_DNS ||
	    c.ndns6 > CONFIG_MAX_DNS || c.hello_ms == 0 || c.lcp_echo_ms == 0 ||
	    c.handshake_ms == 0 || c.log_level > LOG_LVL_DEBUG ||
	    memchr(c.tun, '\0', sizeof(c.tun)) == NULL || c.tun[0] == '\0')
		abort();
	if (c.has_pool4 &&
	    (c.pool4.addr.family != AF_INET || c.pool4.len < 8 ||
		c.pool4.len > 30))
		abort();
	if (c.has_prefix6 &&
	    (c.prefix6.addr.family != AF_INET6 || c.prefix6.len < 32 ||
		c.prefix6.len > 64))
		abort();
	for (i = 0; i < c.ndns4; i++)
		if (c.dns4[i].family != AF_INET)
			abort();
	for (i = 0; i < c.ndns6; i++)
		if (c.dns6[i].family != AF_INET6)
			abort();
	for (i = 0; i < c.nauth; i++)
		if (c.auth[i] == PPP_AUTH_NONE || c.auth[i] > PPP_AUTH_EAP)
			abort();
	if ((c.tls.min_version != TLS1_2_VERSION &&
		c.tls.min_version != TLS1_3_VERSION) ||
	    c.route_protocol < 3 ||
	    (c.log_sink != LOG_SINK_STDERR && c.log_sink != LOG_SINK_SYSLOG) ||
	    c.nlisteners > CONFIG_MAX_LISTENERS ||
	    server_config_nlisteners(&c) > CONFIG_MAX_LISTENERS + 1)
		abort();
	/* Every listener as it would open: bounded, named, whole. */
	for (i = 0; i < server_config_nlisteners(&c); i++) {
		server_config_listener(&c, i, &l);
		if (l.nlisten > CONFIG_MAX_LISTEN ||
		    memchr(l.name, '\0', sizeof(l.name)) == NULL ||
		    memchr(l.cert, '\0', sizeof(l.cert)) == NULL ||
		    memchr(l.tls.ciphers, '\0', sizeof(l.tls.ciphers)) ==
			NULL ||
		    memchr(l.tls.groups, '\0', sizeof(l.tls.groups)) == NULL ||
		    (l.tls.min_version != TLS1_2_VERSION &&
			l.tls.min_version != TLS1_3_VERSION))
			abort();
	}
	server_config_validate(&c, err, sizeof(err));
	return 0;
}

/*
 * The client's profile parser (inih and every option's setter): whatever
 * the text, parsing is total; a success leaves every field in its range,
 * a failure leaves the options as they were and names the file.
 */
#include <stdlib.h>
#include <string.h>

#include "client/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct client_opts o, before;
	char err[512], *text;
	size_t i;

	/* The parser takes a C string: copy and terminate. */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	client_opts_default(&o);
	before = o;
	err[0] = '\0';
	if (!client_profile_parse(&o, text, "f", err, sizeof(err))) {
		if (strncmp(err, "f:", 2) != 0 ||
		    memcmp(&o, &before, sizeof(o)) != 0)
			abort();
		free(text);
		return 0;
	}
	free(text);
	if (o.mtu < LCP_MRU_MIN || o.mtu > LCP_MRU_MAX || o.nauth == 0 ||
	    o.nauth > 4 || o.npins > CLIENT_MAX_PINS ||
	    o.nroutes > CLIENT_MAX_ROUTES || o.tun[0] == '\0' ||
	    memchr(o.host, '\0', sizeof(o.host)) == NULL ||
	    memchr(o.user, '\0', sizeof(o.user)) == NULL ||
	    memchr(o.password, '\0', sizeof(o.password)) == NULL ||
	    memchr(o.proxy, '\0', sizeof(o.proxy)) == NULL ||
	    memchr(o.ciphers, '\0', sizeof(o.ciphers)) == NULL ||
	    memchr(o.tun, '\0', sizeof(o.tun)) == NULL || o.hello_ms == 0 ||
	    o.handshake_ms == 0 || o.connect_ms == 0 || o.backoff_min_ms == 0 ||
	    o.backoff_max_ms == 0 ||
	    (o.dead_peer_ms != 0 && o.dead_peer_ms < 1000) ||
	    o.max_retries < -1 || o.log_level > LOG_LVL_DEBUG ||
	    o.progress < -1 || o.progress > 1 ||
	    (o.route_mode == CLIENT_ROUTES_LISTED) != (o.nroutes > 0) ||
	    (o.host[0] != '\0' && o.port == 0))
		abort();
	for (i = 0; i < o.nauth; i++)
		if (o.auth[i] < PPP_AUTH_PAP || o.auth[i] > PPP_AUTH_EAP)
			abort();
	for (i = 0; i < o.nroutes; i++)
		if (o.routes[i].len >
		    (o.routes[i].addr.family == AF_INET ? 32u : 128u))
			abort();
	return 0;
}

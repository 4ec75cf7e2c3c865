/*
 * LCP, IPCP and IPv6CP fed arbitrary packets: their option decoders and
 * request handlers over the automaton.  The first byte picks the protocol
 * and role; the rest is a script of packets and time.  Every packet they
 * send must be well formed: Length equal to its size, options that parse.
 */
#include <stdlib.h>
#include <string.h>

#include "ppp/ipcp.h"
#include "ppp/ipv6cp.h"
#include "ppp/lcp.h"
#include "ppp/ppp_frame.h"
#include "ppp/ppp_options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rng;

static void
on_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct ppp_pkt p;
	struct rd r;

	(void)arg;
	rd_init(&r, pkt, len);
	if (len > FSM_MAX_PACKET || ppp_pkt_decode(&r, &p) != PPP_OK ||
	    !rd_empty(&r))
		abort();
	if (p.code >= FSM_CONFREQ && p.code <= FSM_CONFREJ &&
	    !ppp_opts_valid(rd_ptr(&p.data), rd_left(&p.data)))
		abort();
}

static void
on_nothing(void *arg)
{
	(void)arg;
}

static void
on_finished(void *arg, enum ppp_err reason)
{
	(void)arg;
	(void)reason;
}

static void
on_protrej(void *arg, uint16_t proto)
{
	(void)arg;
	(void)proto;
}

static bool
on_random(void *arg, void *buf, size_t len)
{
	uint8_t *b = buf;
	size_t i;

	(void)arg;
	for (i = 0; i < len; i++) {
		rng = rng * 1103515245u + 12345u;
		b[i] = (uint8_t)(rng >> 16);
	}
	return true;
}

static bool
on_alloc(void *arg, uint32_t *addr)
{
	(void)arg;
	*addr = 0x0a000005;
	return true;
}

static const struct lcp_ops lcp_ops = { on_send, on_nothing, on_nothing,
	on_finished, on_protrej, on_random };
static const struct ipcp_ops ipcp_ops = { on_send, on_alloc, on_nothing,
	on_nothing, on_finished };
static const struct ipv6cp_ops ipv6cp_ops = { on_send, NULL, on_random,
	on_nothing, on_nothing, on_finished };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lcp_config lc;
	static struct ipcp_config ic;
	static struct ipv6cp_config vc;
	static struct lcp lcp;
	static struct ipcp ipcp;
	static struct ipv6cp ipv6cp;
	uint64_t now = 0;
	uint8_t sel;
	size_t n;

	if (size < 1)
		return 0;
	sel = data[0];
	data++, size--;
	rng = sel;
	lcp_config_default(&lc);
	if (sel & 1) {
		lc.require[0] = PPP_AUTH_MSCHAPV2;
		lc.require[1] = PPP_AUTH_PAP;
		lc.nrequire = 2;
	} else {
		lc.accept[0] = PPP_AUTH_EAP;
		lc.naccept = 1;
	}
	ipcp_config_default(&ic, sel & 1);
	ic.dns[0] = 0x0a000035;
	ipv6cp_config_default(&vc);
	lcp_init(&lcp, &lc, &lcp_ops, NULL);
	ipcp_init(&ipcp, &ic, &ipcp_ops, NULL);
	ipv6cp_init(&ipv6cp, &vc, &ipv6cp_ops, NULL);
	lcp_open(&lcp, 0), lcp_lower_up(&lcp, 0);
	ipcp_open(&ipcp, 0), ipcp_lower_up(&ipcp, 0);
	ipv6cp_open(&ipv6cp, 0), ipv6cp_lower_up(&ipv6cp, 0);
	while (size > 0) {
		uint8_t op = data[0];

		data++, size--;
		if ((op & 3) == 3) { /* time passes */
			now += (uint64_t)(op >> 2) * 100;
			lcp_tick(&lcp, now);
			ipcp_tick(&ipcp, now);
			ipv6cp_tick(&ipv6cp, now);
			continue;
		}
		n = (size_t)(op >> 2) * 4 + 1;
		if (n > size)
			n = size;
		switch ((sel >> 1) % 3) {
		case 0:
			lcp_input(&lcp, data, n, now);
			break;
		case 1:
			ipcp_input(&ipcp, data, n, now);
			break;
		default:
			ipv6cp_input(&ipv6cp, data, n, now);
			break;
		}
		data += n, size -= n;
	}
	return 0;
}

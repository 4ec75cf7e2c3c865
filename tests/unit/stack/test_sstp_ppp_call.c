/*
 * SSTP and PPP together, client and server, in memory: the glue a session
 * will have.  PPP starts on SSTP's lower-up, its frames ride in SSTP data
 * packets, the HLAK of PPP authentication reaches SSTP before any NCP
 * (spec/ppp.md trap 15), the server verifies the crypto binding with the
 * MS-CHAPv2 keys, and IP then flows.
 */
#include <string.h>

#include <openssl/rand.h>

#include "ppp/ppp_frame.h"
#include "ppp/ppp_link.h"
#include "sstp/sstp_conn.h"
#include "test_run.h"

struct end {
	struct sstp_conn conn;
	struct sstp_conn_config scfg;
	struct ppp_link link;
	struct ppp_link_config pcfg;
	size_t out_len;
	uint8_t out[1 << 16];
	bool sstp_connected, ipv4_up, hlak_before_ncp;
	int datagrams;
	uint64_t now;
};

static const uint8_t cert_der[5] = { 0x30, 0x03, 0x02, 0x01, 0x01 };

static void
sstp_output(void *arg, const uint8_t *buf, size_t len)
{
	struct end *e = arg;

	assert_true(len <= sizeof(e->out) - e->out_len);
	memcpy(e->out + e->out_len, buf, len);
	e->out_len += len;
}

static void
sstp_event(void *arg, const struct sstp_event *ev)
{
	struct end *e = arg;

	switch (ev->type) {
	case SSTP_EV_LOWER_UP:
		ppp_link_lower_up(&e->link, e->now);
		break;
	case SSTP_EV_PPP_FRAME:
		ppp_link_input(&e->link, ev->frame, ev->len, e->now);
		break;
	case SSTP_EV_CONNECTED:
		e->sstp_connected = true;
		break;
	case SSTP_EV_LOWER_DOWN:
		ppp_link_lower_down(&e->link, e->now);
		break;
	default:
		break;
	}
}

static time_t
wall(void *arg)
{
	(void)arg;
	return 0;
}

static const struct sstp_conn_ops sops = {
	.output = sstp_output,
	.event = sstp_event,
	.wall_time = wall,
};

static void
ppp_send(void *arg, const uint8_t *frame, size_t len)
{
	struct end *e = arg;

	sstp_conn_send_ppp(&e->conn, frame, len);
}

static void
ppp_auth_done(void *arg, const struct ppp_auth_result *res)
{
	struct end *e = arg;

	assert_true(res->ok);
	/* Trap 15: no NCP has come up yet. */
	e->hlak_before_ncp = !ipcp_is_opened(&e->link.ipcp);
	assert_int_equal(
	    sstp_conn_auth_done(&e->conn, res->hlak, e->now), SSTP_OK);
}

static void
ppp_ipv4_up(void *arg, const struct ppp_ipv4_info *info)
{
	(void)info;
	((struct end *)arg)->ipv4_up = true;
}

static void
ppp_nothing(void *arg)
{
	(void)arg;
}

static void
ppp_ipv6_up(void *arg, const struct ppp_ipv6_info *info)
{
	(void)arg;
	(void)info;
}

static void
ppp_datagram(void *arg, uint16_t proto, const uint8_t *pkt, size_t len)
{
	(void)proto;
	(void)pkt;
	(void)len;
	((struct end *)arg)->datagrams++;
}

static void
ppp_down(void *arg, enum ppp_err reason)
{
	(void)arg;
	(void)reason;
}

static bool
on_random(void *arg, void *buf, size_t len)
{
	(void)arg;
	return RAND_bytes(buf, (int)len) == 1;
}

static bool
ppp_alloc(void *arg, uint32_t *addr)
{
	(void)arg;
	*addr = 0x0a000005;
	return true;
}

static const struct ppp_link_ops pops = {
	.send = ppp_send,
	.auth_done = ppp_auth_done,
	.ipv4_up = ppp_ipv4_up,
	.ipv4_down = ppp_nothing,
	.ipv6_up = ppp_ipv6_up,
	.ipv6_down = ppp_nothing,
	.datagram = ppp_datagram,
	.down = ppp_down,
	.random = on_random,
	.alloc_ipv4 = ppp_alloc,
};

static void
be_password(
    void *arg, struct ppp_auth *a, const char *user, const char *password)
{
	struct end *e = arg;

	(void)a;
	ppp_link_password_result(&e->link,
	    strcmp(user, "alice") == 0 && strcmp(password, "s3cret") == 0,
	    e->now);
}

static void
be_secret(
    void *arg, struct ppp_auth *a, const char *user, enum ppp_auth_method m)
{
	struct end *e = arg;

	(void)a;
	(void)m;
	if (strcmp(user, "alice") == 0)
		ppp_link_secret(
		    &e->link, PPP_SECRET_PASSWORD, "s3cret", 6, e->now);
	else
		ppp_link_secret(&e->link, PPP_SECRET_NONE, NULL, 0, e->now);
}

static const struct ppp_auth_backend backend = {
	.check_password = be_password,
	.get_secret = be_secret,
};

static void
end_init(
    struct end *e, bool server, enum ppp_auth_method m, struct ppp_crypto *pc)
{
	memset(e, 0, sizeof(*e));
	sstp_conn_config_default(
	    &e->scfg, server ? SSTP_ROLE_SERVER : SSTP_ROLE_CLIENT);
	e->scfg.host = "vpn.example.test";
	assert_int_equal(
	    sstp_cert_hashes_compute(cert_der, sizeof(cert_der), &e->scfg.cert),
	    SSTP_OK);
	ppp_link_config_default(
	    &e->pcfg, server ? PPP_ROLE_AUTHENTICATOR : PPP_ROLE_PEER);
	e->pcfg.auth.crypto = pc;
	if (server) {
		e->pcfg.lcp.require[0] = m;
		e->pcfg.lcp.nrequire = 1;
		e->pcfg.auth.name = "opensstpd";
		e->pcfg.auth.backend = &backend;
		e->pcfg.auth.backend_arg = e;
		e->pcfg.ipcp.addr = 0x0a000001;
	} else {
		e->pcfg.auth.user = "alice";
		e->pcfg.auth.password = "s3cret";
	}
	sstp_conn_init(&e->conn, &e->scfg, &sops, e);
	assert_int_equal(ppp_link_init(&e->link, &e->pcfg, &pops, e), PPP_OK);
}

static void
carry(struct end *from, struct end *to)
{
	static uint8_t tmp[1 << 16];
	size_t n = from->out_len;

	memcpy(tmp, from->out, n);
	from->out_len = 0;
	sstp_conn_input(&to->conn, tmp, n, to->now);
}

static void
call(enum ppp_auth_method m)
{
	static const uint8_t ip[] = { 0x45, 0x00, 0x00, 0x14, 0, 0, 0, 0, 64, 1,
		0, 0, 10, 0, 0, 5, 10, 0, 0, 1 };
	static struct end cl, sv;
	struct ppp_crypto *pc = ppp_crypto_new();
	uint8_t hdr[PPP_HDR_LEN], frame[PPP_HDR_LEN + sizeof(ip)];
	int i;

	assert_non_null(pc);
	end_init(&sv, true, m, pc);
	end_init(&cl, false, m, pc);
	sstp_conn_start(&sv.conn, 0);
	sstp_conn_start(&cl.conn, 0);
	for (i = 0; i < 50 && (cl.out_len > 0 || sv.out_len > 0); i++) {
		carry(&cl, &sv);
		carry(&sv, &cl);
	}
	assert_true(cl.sstp_connected);
	assert_true(sv.sstp_connected); /* binding verified */
	assert_true(cl.hlak_before_ncp);
	assert_true(sv.hlak_before_ncp);
	assert_true(cl.ipv4_up);
	assert_true(sv.ipv4_up);
	/* An IPv4 datagram, client to server, through SSTP. */
	assert_int_equal(
	    ppp_link_datagram_header(&cl.link, PPP_PROTO_IPV4, hdr), PPP_OK);
	memcpy(frame, hdr, sizeof(hdr));
	memcpy(frame + sizeof(hdr), ip, sizeof(ip));
	assert_int_equal(
	    sstp_conn_send_ppp(&cl.conn, frame, sizeof(frame)), SSTP_OK);
	carry(&cl, &sv);
	assert_int_equal(sv.datagrams, 1);
	ppp_link_fini(&cl.link);
	ppp_link_fini(&sv.link);
	sstp_conn_fini(&cl.conn);
	sstp_conn_fini(&sv.conn);
	ppp_crypto_free(pc);
}

static void
call_mschapv2_binding_verified(void **state)
{
	(void)state;
	call(PPP_AUTH_MSCHAPV2);
}

static void
call_eap_mschapv2_binding_verified(void **state)
{
	(void)state;
	call(PPP_AUTH_EAP);
}

static void
call_pap_zero_hlak_binding_verified(void **state)
{
	(void)state;
	call(PPP_AUTH_PAP);
}

static void
call_chap_md5_zero_hlak_binding_verified(void **state)
{
	(void)state;
	call(PPP_AUTH_CHAP_MD5);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(call_mschapv2_binding_verified),
		cmocka_unit_test(call_eap_mschapv2_binding_verified),
		cmocka_unit_test(call_pap_zero_hlak_binding_verified),
		cmocka_unit_test(call_chap_md5_zero_hlak_binding_verified),
	};

	return test_run(argc, argv, "sstp_ppp_call", tests, ARRAY_LEN(tests));
}

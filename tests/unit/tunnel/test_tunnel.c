/*
 * The tunnel layer in one process: a client and a server tunnel over a
 * socketpair in one event loop, with real TLS (a P-256 certificate made
 * here), SSTP, PPP with MS-CHAPv2 or PAP against a users backend of a
 * single line, IPCP and IPv6CP.  Every wait runs the loop until its
 * condition holds; the deadlines only matter when a case fails.
 */
#include <sys/socket.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ppp/ppp_crypto.h"
#include "ppp/ppp_frame.h"
#include "test_run.h"
#include "tunnel/tunnel.h"

#define USER	 "alice"
#define PASSWORD "correct horse"
#define HOST	 "server.test"
#define SV_ADDR	 0x0a4d0001u /* 10.77.0.1 */
#define CL_ADDR	 0x0a4d0002u /* 10.77.0.2 */
#define WAIT_MS	 20000 /* reached only when a case fails */
#define PKT_MAX	 8192

/* Batching: the burst of one iteration, then what drained lets through. */
#define BURST	  5000
#define BURST_LEN 1400
#define STREAM	  3000

struct env;

struct side {
	struct env *env;
	struct tunnel t;
	bool live; /* started, not finished */
	int nclosed;
	char reason[TUNNEL_REASON_MAX];
	int nconnected;
	bool connected_flag; /* tunnel_is_connected() in the callback */
	int nauth;
	bool auth_ok;
	bool v4_up, v6_up;
	struct ppp_ipv4_info v4;
	/* Received datagrams, per version (0: IPv4, 1: IPv6). */
	uint32_t rx_seq[2];
	uint32_t rx_want[2]; /* what the case waits for */
	uint64_t rx_pkts, rx_bytes;
	int rx_bad;
	/* Sent datagrams accepted by tunnel_send, per version. */
	uint32_t tx_seq[2];
	uint64_t tx_bytes;
	/* Batching. */
	bool streaming; /* send more when drained */
	bool said_no; /* tunnel_can_send() refused since the last drained */
	int ndrained, drained_unasked;
	uint64_t refused; /* tunnel_send() said false */
	int broken_promises; /* can_send yes, then send no */
	uint32_t target; /* datagrams to have sent when streaming ends */
	uint32_t burst_sent; /* accepted in the burst */
	enum tls_status burst_want; /* the write's state after it */
	size_t burst_tx_len;
	struct io_timer resume;
};

struct env {
	char dir[64], cert[96], key[96], other[96], other_key[96];
	struct io_loop loop;
	struct io_timer tick, deadline;
	bool (*until)(struct env *);
	bool timed_out;
	struct ppp_crypto *crypto;
	SSL_CTX *sctx, *cctx;
	int fd[2]; /* client's end, server's end */
	int spare[2]; /* the silent ends of tls_handshake_times_out */
	struct side cl, sv;
	/* Knobs, set before env_start. */
	enum ppp_auth_method method;
	const char *sv_password, *cl_password;
	const char *host;
	uint32_t cl_handshake_ms, sv_handshake_ms;
	int sockbuf; /* SO_SNDBUF and SO_RCVBUF, or 0 */
	bool burst_done;
	int nalloc;
};

/* --- certificates ------------------------------------------------- */

static void
add_ext(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, v3, nid, value);

	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

/* A self-signed P-256 certificate for cn with subjectAltName san. */
static void
make_cert(const char *cert_path, const char *key_path, long serial,
    const char *cn, const char *san)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	X509V3_CTX v3;
	FILE *f;

	assert_non_null(key);
	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), serial), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), -3600));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 86400));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	name = X509_get_subject_name(x);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
			     (const unsigned char *)cn, -1, -1, 0),
	    1);
	assert_int_equal(X509_set_issuer_name(x, name), 1);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	add_ext(x, &v3, NID_basic_constraints, "critical,CA:TRUE");
	add_ext(x, &v3, NID_subject_key_identifier, "hash");
	add_ext(x, &v3, NID_subject_alt_name, san);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);

	f = fopen(cert_path, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	assert_int_equal(fclose(f), 0);
	f = fopen(key_path, "w");
	assert_non_null(f);
	assert_int_equal(
	    PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL), 1);
	assert_int_equal(fclose(f), 0);
	X509_free(x);
	EVP_PKEY_free(key);
}

/* --- datagrams ---------------------------------------------------- */

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint32_t
get16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
get32(const uint8_t *p)
{
	return get16(p) << 16 | get16(p + 2);
}

static uint8_t
fill_byte(uint32_t seq, size_t i)
{
	return (uint8_t)(seq * 31 + i * 7);
}

/*
 * An IPv4 or IPv6 datagram of len bytes from src (the last address byte)
 * carrying seq after its header and a pattern of seq after that.
 */
static size_t
make_pkt(uint8_t *p, int version, size_t len, uint8_t src, uint32_t seq)
{
	size_t hl = version == 4 ? 20 : 40, i;
	uint32_t sum = 0;

	assert_true(len >= hl + 4 && len <= PKT_MAX);
	memset(p, 0, hl);
	if (version == 4) {
		p[0] = 0x45;
		put16(p + 2, (uint32_t)len);
		put16(p + 4, seq & 0xffff);
		p[8] = 64;
		p[9] = 253; /* experimentation */
		put32(p + 12, 0x0a4d0000u | src);
		put32(p + 16, 0x0a4d0000u | (src ^ 3));
		for (i = 0; i < hl; i += 2)
			sum += get16(p + i);
		while (sum > 0xffff)
			sum = (sum & 0xffff) + (sum >> 16);
		put16(p + 10, ~sum & 0xffff);
	} else {
		p[0] = 0x60;
		put16(p + 4, (uint32_t)(len - hl));
		p[6] = 59; /* no next header */
		p[7] = 64;
		p[8] = 0xfd;
		p[23] = src;
		p[24] = 0xfd;
		p[39] = src ^ 3;
	}
	put32(p + hl, seq);
	for (i = hl + 4; i < len; i++)
		p[i] = fill_byte(seq, i);
	return len;
}

static bool
check_pkt(int version, const uint8_t *p, size_t len, uint32_t *seq)
{
	size_t hl = version == 4 ? 20 : 40, i;

	if (len < hl + 4 || p[0] >> 4 != version)
		return false;
	if (version == 4 && get16(p + 2) != len)
		return false;
	if (version == 6 && get16(p + 4) != len - hl)
		return false;
	*seq = get32(p + hl);
	for (i = hl + 4; i < len; i++)
		if (p[i] != fill_byte(*seq, i))
			return false;
	return true;
}

/* Send the side's next datagram of this version; false if refused. */
static bool
send_next(struct side *s, int version, size_t len)
{
	static uint8_t pkt[PKT_MAX];
	uint32_t *seq = &s->tx_seq[version == 6];

	make_pkt(pkt, version, len, s == &s->env->cl ? 2 : 1, *seq);
	if (!tunnel_send(&s->t, version, pkt, len)) {
		s->refused++;
		return false;
	}
	(*seq)++;
	s->tx_bytes += len;
	return true;
}

/* --- the users backend (server) ----------------------------------- */

static void
be_check_password(
    void *arg, struct ppp_auth *a, const char *user, const char *password)
{
	struct side *s = arg;

	(void)a;
	tunnel_password_result(&s->t,
	    strcmp(user, USER) == 0 &&
		strcmp(password, s->env->sv_password) == 0);
}

static void
be_get_secret(void *arg, struct ppp_auth *a, const char *user,
    enum ppp_auth_method method)
{
	struct side *s = arg;
	const char *pw = s->env->sv_password;

	(void)a;
	(void)method;
	if (strcmp(user, USER) == 0)
		tunnel_secret(&s->t, PPP_SECRET_PASSWORD, pw, strlen(pw));
	else
		tunnel_secret(&s->t, PPP_SECRET_NONE, NULL, 0);
}

static const struct ppp_auth_backend backend = {
	.check_password = be_check_password,
	.get_secret = be_get_secret,
};

/* --- tunnel callbacks --------------------------------------------- */

static void
on_connected(void *arg)
{
	struct side *s = arg;

	s->nconnected++;
	s->connected_flag = tunnel_is_connected(&s->t);
}

static void
on_auth_done(void *arg, const struct ppp_auth_result *res)
{
	struct side *s = arg;

	s->nauth++;
	s->auth_ok = res->ok;
}

static void
on_ipv4_up(void *arg, const struct ppp_ipv4_info *info)
{
	struct side *s = arg;

	s->v4_up = true;
	s->v4 = *info;
}

static void
on_ipv4_down(void *arg)
{
	struct side *s = arg;

	s->v4_up = false;
}

static void
on_ipv6_up(void *arg, const struct ppp_ipv6_info *info)
{
	struct side *s = arg;

	(void)info;
	s->v6_up = true;
}

static void
on_ipv6_down(void *arg)
{
	struct side *s = arg;

	s->v6_up = false;
}

static void
on_datagram(void *arg, int version, const uint8_t *pkt, size_t len)
{
	struct side *s = arg;
	uint32_t seq;

	s->rx_pkts++;
	s->rx_bytes += len;
	if ((version != 4 && version != 6) ||
	    !check_pkt(version, pkt, len, &seq) ||
	    seq != s->rx_seq[version == 6]) {
		s->rx_bad++;
		return;
	}
	s->rx_seq[version == 6]++;
}

static bool
on_alloc_ipv4(void *arg, uint32_t *addr)
{
	struct side *s = arg;

	s->env->nalloc++;
	*addr = CL_ADDR;
	return true;
}

static void
on_drained(void *arg)
{
	struct side *s = arg;

	s->ndrained++;
	if (!s->said_no)
		s->drained_unasked++;
	s->said_no = false;
	/* As the client does: resume reading the TUN, next iteration. */
	if (s->streaming)
		io_timer_set(
		    &s->env->loop, &s->resume, io_loop_now(&s->env->loop));
}

static void
on_closed(void *arg, const char *reason)
{
	struct side *s = arg;

	s->nclosed++;
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	tunnel_fini(&s->t);
	s->live = false;
}

static const struct tunnel_ops client_ops = {
	.connected = on_connected,
	.auth_done = on_auth_done,
	.ipv4_up = on_ipv4_up,
	.ipv4_down = on_ipv4_down,
	.ipv6_up = on_ipv6_up,
	.ipv6_down = on_ipv6_down,
	.datagram = on_datagram,
	.drained = on_drained,
	.closed = on_closed,
};

static const struct tunnel_ops server_ops = {
	.connected = on_connected,
	.auth_done = on_auth_done,
	.ipv4_up = on_ipv4_up,
	.ipv4_down = on_ipv4_down,
	.ipv6_up = on_ipv6_up,
	.ipv6_down = on_ipv6_down,
	.datagram = on_datagram,
	.alloc_ipv4 = on_alloc_ipv4,
	.drained = on_drained,
	.closed = on_closed,
};

/* tunnel_can_send() said yes: is there room for any datagram? */
static bool
room_for_largest(const struct side *s)
{
	return s->t.tx_len + SSTP_HDR_LEN + SSTP_MAX_DATA <= TUNNEL_TX_DATA_MAX;
}

/*
 * Send while tunnel_can_send() says there is room, as the client reads
 * its TUN; when it says no, wait for drained.
 */
static void
stream_more(struct side *s)
{
	while (s->tx_seq[0] < s->target) {
		if (!tunnel_can_send(&s->t)) {
			s->said_no = true;
			return;
		}
		if (!room_for_largest(s))
			s->broken_promises++;
		if (!send_next(s, 4, BURST_LEN)) {
			s->broken_promises++;
			return;
		}
	}
	s->streaming = false;
}

static void
on_resume(struct io_timer *tm)
{
	stream_more(tm->arg);
}

/* --- running the loop --------------------------------------------- */

static void
on_tick(struct io_timer *tm)
{
	struct env *e = tm->arg;

	if (e->until != NULL && e->until(e)) {
		io_loop_stop(&e->loop);
		return;
	}
	io_timer_set(&e->loop, tm, io_loop_now(&e->loop) + 1);
}

static void
on_deadline(struct io_timer *tm)
{
	struct env *e = tm->arg;

	e->timed_out = true;
	io_loop_stop(&e->loop);
}

/* Run the loop until until(e) holds (true) or ms pass (false). */
static bool
run_until(struct env *e, bool (*until)(struct env *), uint32_t ms)
{
	uint64_t now = io_loop_update_time(&e->loop);

	e->until = until;
	e->timed_out = false;
	io_timer_set(&e->loop, &e->deadline, now + ms);
	io_timer_set(&e->loop, &e->tick, now);
	assert_int_equal(io_loop_run(&e->loop), 0);
	io_timer_cancel(&e->loop, &e->tick);
	io_timer_cancel(&e->loop, &e->deadline);
	e->until = NULL;
	if (!until(e)) {
		print_message("timed out: client %s (%s), server %s (%s)\n",
		    e->cl.nclosed ? "closed" : "open", e->cl.reason,
		    e->sv.nclosed ? "closed" : "open", e->sv.reason);
		return false;
	}
	return true;
}

static bool
both_up(struct env *e)
{
	return e->cl.nconnected > 0 && e->sv.nconnected > 0 && e->cl.v4_up &&
	    e->sv.v4_up && e->cl.v6_up && e->sv.v6_up;
}

/* Memory per idle session (issue 13): once quiet, neither side keeps an
 * output buffer or SSTP's scratch (the HTTP parser, a partial packet). */
static bool
both_idle(struct env *e)
{
	return both_up(e) && e->cl.t.tx == NULL && e->sv.t.tx == NULL &&
	    e->cl.t.sstp.scratch == NULL && e->sv.t.sstp.scratch == NULL;
}

static bool
rx_done(struct env *e)
{
	return e->cl.rx_seq[0] == e->cl.rx_want[0] &&
	    e->cl.rx_seq[1] == e->cl.rx_want[1] &&
	    e->sv.rx_seq[0] == e->sv.rx_want[0] &&
	    e->sv.rx_seq[1] == e->sv.rx_want[1];
}

static bool
both_closed(struct env *e)
{
	return e->cl.nclosed > 0 && e->sv.nclosed > 0;
}

static bool
client_closed(struct env *e)
{
	return e->cl.nclosed > 0;
}

static bool
server_closed(struct env *e)
{
	return e->sv.nclosed > 0;
}

/* --- setup -------------------------------------------------------- */

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct tls_server_opts so = { 0 };
	char err[TLS_ERR_MAX];

	assert_non_null(e);
	snprintf(e->dir, sizeof(e->dir), "/tmp/opensstp-tunnel-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->cert, sizeof(e->cert), "%s/cert.pem", e->dir);
	snprintf(e->key, sizeof(e->key), "%s/key.pem", e->dir);
	snprintf(e->other, sizeof(e->other), "%s/other.pem", e->dir);
	snprintf(
	    e->other_key, sizeof(e->other_key), "%s/other-key.pem", e->dir);
	make_cert(e->cert, e->key, 1, HOST, "DNS:" HOST ",IP:127.0.0.1");
	make_cert(e->other, e->other_key, 2, "other.test", "DNS:other.test");
	so.cert = e->cert;
	so.key = e->key;
	e->sctx = tls_server_ctx_new(&so, err, sizeof(err));
	if (e->sctx == NULL)
		print_message("%s\n", err);
	assert_non_null(e->sctx);
	e->crypto = ppp_crypto_new();
	assert_non_null(e->crypto);
	assert_int_equal(io_loop_init(&e->loop), 0);
	io_timer_init(&e->tick, on_tick, e);
	io_timer_init(&e->deadline, on_deadline, e);
	e->fd[0] = e->fd[1] = e->spare[0] = e->spare[1] = -1;
	e->cl.env = e->sv.env = e;
	io_timer_init(&e->cl.resume, on_resume, &e->cl);
	io_timer_init(&e->sv.resume, on_resume, &e->sv);
	e->method = PPP_AUTH_MSCHAPV2;
	e->sv_password = e->cl_password = PASSWORD;
	e->host = HOST;
	e->cl_handshake_ms = e->sv_handshake_ms = WAIT_MS;
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;

	if (e->cl.live)
		tunnel_fini(&e->cl.t);
	if (e->sv.live)
		tunnel_fini(&e->sv.t);
	io_timer_cancel(&e->loop, &e->cl.resume);
	io_timer_cancel(&e->loop, &e->sv.resume);
	if (e->fd[0] >= 0)
		close(e->fd[0]);
	if (e->fd[1] >= 0)
		close(e->fd[1]);
	if (e->spare[0] >= 0)
		close(e->spare[0]);
	if (e->spare[1] >= 0)
		close(e->spare[1]);
	io_loop_fini(&e->loop);
	tls_ctx_free(e->sctx);
	tls_ctx_free(e->cctx);
	ppp_crypto_free(e->crypto);
	unlink(e->cert);
	unlink(e->key);
	unlink(e->other);
	unlink(e->other_key);
	rmdir(e->dir);
	free(e);
	return 0;
}

static void
client_ctx(struct env *e, const char *ca_file, bool insecure)
{
	struct tls_client_opts o = { .ca_file = ca_file, .insecure = insecure };
	char err[TLS_ERR_MAX];

	e->cctx = tls_client_ctx_new(&o, err, sizeof(err));
	if (e->cctx == NULL)
		print_message("%s\n", err);
	assert_non_null(e->cctx);
}

static void
socket_pair(struct env *e)
{
	int i;

	assert_int_equal(
	    socketpair(
		AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, e->fd),
	    0);
	for (i = 0; i < 2 && e->sockbuf > 0; i++) {
		assert_int_equal(setsockopt(e->fd[i], SOL_SOCKET, SO_SNDBUF,
				     &e->sockbuf, sizeof(e->sockbuf)),
		    0);
		assert_int_equal(setsockopt(e->fd[i], SOL_SOCKET, SO_RCVBUF,
				     &e->sockbuf, sizeof(e->sockbuf)),
		    0);
	}
}

/*
 * After acking a Disconnect or trading Aborts, SSTP lingers 1 s for the
 * peer to close; a crossed Disconnect (a failed authentication) makes
 * both wait that long.  Shorter here, and only here: no outcome waits on
 * these timers.
 */
static void
short_lingers(struct sstp_timers *tm)
{
	tm->disconnect2_ms = 50;
	tm->abort2_ms = 50;
}

/* The server's tunnel on the server's end, as session.c sets it up. */
static void
start_server(struct env *e)
{
	struct tunnel_config tc;
	struct ppp_link_config *p = &tc.ppp;
	char err[TUNNEL_REASON_MAX];
	uint8_t *der = NULL;
	size_t len = 0;

	memset(&tc, 0, sizeof(tc));
	sstp_conn_config_default(&tc.sstp, SSTP_ROLE_SERVER);
	assert_true(tls_ctx_leaf(e->sctx, &der, &len));
	assert_int_equal(
	    sstp_cert_hashes_compute(der, len, &tc.sstp.cert), SSTP_OK);
	OPENSSL_free(der);
	tc.tls_handshake_ms = e->sv_handshake_ms;
	short_lingers(&tc.sstp.timers);
	ppp_link_config_default(p, PPP_ROLE_AUTHENTICATOR);
	p->lcp.require[0] = e->method;
	p->lcp.nrequire = 1;
	p->auth.name = "opensstpd";
	p->auth.backend = &backend;
	p->auth.backend_arg = &e->sv;
	p->auth.crypto = e->crypto;
	p->ipcp.addr = SV_ADDR;
	assert_true(tunnel_start(&e->sv.t, &e->loop, e->sctx, e->fd[1], &tc,
	    &server_ops, &e->sv, err, sizeof(err)));
	e->fd[1] = -1; /* the tunnel's now */
	e->sv.live = true;
}

/* The client's tunnel on the client's end, as client.c sets it up. */
static void
start_client(struct env *e)
{
	struct tunnel_config tc;
	struct ppp_link_config *p = &tc.ppp;
	char err[TUNNEL_REASON_MAX];

	memset(&tc, 0, sizeof(tc));
	sstp_conn_config_default(&tc.sstp, SSTP_ROLE_CLIENT);
	tc.sstp.host = e->host;
	tc.tls_handshake_ms = e->cl_handshake_ms;
	short_lingers(&tc.sstp.timers);
	ppp_link_config_default(p, PPP_ROLE_PEER);
	p->auth.user = USER;
	p->auth.password = e->cl_password;
	p->auth.crypto = e->crypto;
	assert_true(tunnel_start(&e->cl.t, &e->loop, e->cctx, e->fd[0], &tc,
	    &client_ops, &e->cl, err, sizeof(err)));
	e->fd[0] = -1;
	e->cl.live = true;
}

/* Both tunnels on a fresh socketpair; an insecure client by default. */
static void
env_start(struct env *e)
{
	if (e->cctx == NULL)
		client_ctx(e, NULL, true);
	socket_pair(e);
	start_server(e);
	start_client(e);
}

/* Start both and wait until each has its addresses. */
static void
bring_up(struct env *e)
{
	env_start(e);
	assert_true(run_until(e, both_up, WAIT_MS));
	assert_int_equal(e->cl.nclosed + e->sv.nclosed, 0);
	assert_true(tunnel_is_connected(&e->cl.t));
	assert_true(tunnel_is_connected(&e->sv.t));
}

static bool
contains(const char *s, const char *part)
{
	if (strstr(s, part) != NULL)
		return true;
	print_message("\"%s\" does not contain \"%s\"\n", s, part);
	return false;
}

/* --- the cases ---------------------------------------------------- */

/*
 * 1. TLS, SSTP, MS-CHAPv2, the binding, IPCP and IPv6CP, then datagrams
 * of both versions both ways, intact and counted.
 */
static void
connect_mschapv2_and_carry_datagrams(void **state)
{
	static const size_t sizes4[] = { 24, 25, 100, 576, 1400, 1500 };
	static const size_t sizes6[] = { 44, 45, 1280, 1500 };
	struct env *e = *state;
	struct side *sides[2] = { &e->cl, &e->sv };
	char buf[128];
	size_t i, k;
	uint64_t bytes = 0;

	env_start(e);
	/* Not connected yet: refused and counted. */
	assert_false(tunnel_is_connected(&e->cl.t));
	assert_false(send_next(&e->cl, 4, 100));
	assert_int_equal(e->cl.t.counters.dropped_out, 1);
	assert_int_equal(e->cl.t.counters.pkts_out, 0);

	assert_true(run_until(e, both_up, WAIT_MS));
	assert_true(run_until(e, both_idle, WAIT_MS));
	assert_int_equal(e->cl.nconnected, 1);
	assert_int_equal(e->sv.nconnected, 1);
	assert_true(e->cl.connected_flag);
	assert_true(e->sv.connected_flag);
	assert_int_equal(e->cl.nauth, 1);
	assert_int_equal(e->sv.nauth, 1);
	assert_true(e->cl.auth_ok);
	assert_true(e->sv.auth_ok);
	assert_int_equal(e->nalloc, 1);
	assert_int_equal(e->cl.v4.local, CL_ADDR);
	assert_int_equal(e->cl.v4.peer, SV_ADDR);
	assert_int_equal(e->sv.v4.local, SV_ADDR);
	assert_int_equal(e->sv.v4.peer, CL_ADDR);
	assert_false(e->cl.t.auth_failed || e->cl.t.tls_failed);
	assert_false(e->sv.t.auth_failed || e->sv.t.tls_failed);
	assert_true(contains(
	    tunnel_tls_describe(&e->cl.t, buf, sizeof(buf)), "TLSv1.3"));

	/* Too big for one SSTP packet: refused, counted. */
	assert_false(send_next(&e->cl, 4, SSTP_MAX_DATA - PPP_HDR_LEN + 1));
	assert_int_equal(e->cl.t.counters.dropped_out, 2);

	for (k = 0; k < 2; k++) {
		for (i = 0; i < ARRAY_LEN(sizes4); i++)
			assert_true(send_next(sides[k], 4, sizes4[i]));
		for (i = 0; i < ARRAY_LEN(sizes6); i++)
			assert_true(send_next(sides[k], 6, sizes6[i]));
		sides[k]->rx_want[0] = ARRAY_LEN(sizes4);
		sides[k]->rx_want[1] = ARRAY_LEN(sizes6);
	}
	assert_true(run_until(e, rx_done, WAIT_MS));

	for (i = 0; i < ARRAY_LEN(sizes4); i++)
		bytes += sizes4[i];
	for (i = 0; i < ARRAY_LEN(sizes6); i++)
		bytes += sizes6[i];
	for (k = 0; k < 2; k++) {
		const struct side *s = sides[k], *peer = sides[1 - k];
		const struct tunnel_counters *c = &s->t.counters;
		size_t n = ARRAY_LEN(sizes4) + ARRAY_LEN(sizes6);

		assert_int_equal(s->rx_bad, 0);
		assert_int_equal(s->rx_pkts, n);
		assert_int_equal(s->rx_bytes, bytes);
		assert_int_equal(c->pkts_in, n);
		assert_int_equal(c->bytes_in, bytes);
		assert_int_equal(c->pkts_out, n);
		assert_int_equal(c->bytes_out, bytes);
		assert_int_equal(s->tx_bytes, bytes);
		/* The plaintext one side wrote is what the other read. */
		assert_int_equal(
		    c->tls_bytes_out, peer->t.counters.tls_bytes_in);
		assert_true(c->tls_bytes_out > bytes);
	}
	assert_int_equal(e->cl.t.counters.dropped_out, 2);
	assert_int_equal(e->sv.t.counters.dropped_out, 0);
	assert_int_equal(e->cl.nclosed + e->sv.nclosed, 0);
}

/* The certificate checked against its CA file and the name dialled. */
static void
connect_verified(struct env *e, const char *host)
{
	client_ctx(e, e->cert, false);
	e->host = host;
	bring_up(e);
	assert_int_equal(e->cl.v4.local, CL_ADDR);
	assert_true(send_next(&e->cl, 4, 1000));
	assert_true(send_next(&e->sv, 6, 1000));
	e->sv.rx_want[0] = 1;
	e->cl.rx_want[1] = 1;
	assert_true(run_until(e, rx_done, WAIT_MS));
	assert_int_equal(e->cl.rx_bad + e->sv.rx_bad, 0);
}

static void
connect_with_ca_file_and_host_name(void **state)
{
	connect_verified(*state, HOST);
}

static void
connect_with_ca_file_and_ip_address(void **state)
{
	connect_verified(*state, "127.0.0.1");
}

static void
connect_with_pap(void **state)
{
	struct env *e = *state;

	e->method = PPP_AUTH_PAP;
	bring_up(e);
	assert_true(e->cl.auth_ok);
	assert_true(send_next(&e->cl, 4, 64));
	e->sv.rx_want[0] = 1;
	assert_true(run_until(e, rx_done, WAIT_MS));
}

/* 2. The burst of one iteration, the bound, drops and drained. */
static void
burst_both(struct io_timer *tm)
{
	struct env *e = tm->arg;
	struct side *sides[2] = { &e->cl, &e->sv };
	size_t k;
	int i;
	bool can;

	for (k = 0; k < 2; k++) {
		struct side *s = sides[k];

		s->streaming = true;
		s->target = UINT32_MAX; /* set below, once it is known */
		for (i = 0; i < BURST; i++) {
			can = tunnel_can_send(&s->t);
			if (!can)
				s->said_no = true;
			else if (!room_for_largest(s))
				s->broken_promises++;
			if (!send_next(s, 4, BURST_LEN) && can)
				s->broken_promises++;
		}
		s->burst_sent = s->tx_seq[0];
		s->burst_want = s->t.tls.write_want;
		s->burst_tx_len = s->t.tx_len;
		s->target = s->burst_sent + STREAM;
		sides[1 - k]->rx_want[0] = s->target;
	}
	e->burst_done = true;
	io_loop_stop(&e->loop);
}

static bool
burst_done(struct env *e)
{
	return e->burst_done;
}

static bool
streams_done(struct env *e)
{
	return !e->cl.streaming && !e->sv.streaming && rx_done(e);
}

static void
burst_is_bounded_and_drains_in_order(void **state)
{
	struct env *e = *state;
	struct side *sides[2] = { &e->cl, &e->sv };
	struct io_timer kick;
	size_t k;

	e->sockbuf = 4096;
	bring_up(e);
	io_timer_init(&kick, burst_both, e);
	io_timer_set(&e->loop, &kick, io_loop_now(&e->loop));
	assert_true(run_until(e, burst_done, WAIT_MS));
	for (k = 0; k < 2; k++) {
		const struct side *s = sides[k];
		const struct tunnel_counters *c = &s->t.counters;

		/* Some went, the bound's worth, the rest counted. */
		assert_true(s->burst_sent > 0);
		assert_true(s->burst_sent < BURST / 10);
		assert_int_equal(s->burst_sent + s->refused, BURST);
		assert_int_equal(c->dropped_out, s->refused);
		assert_int_equal(s->broken_promises, 0);
		assert_true(s->said_no);
		assert_true(s->burst_tx_len <= TUNNEL_TX_DATA_MAX);
		assert_true(
		    s->burst_tx_len + BURST_LEN + 8 > TUNNEL_TX_DATA_MAX);
		/* The socket was full: a partial write waits for EPOLLOUT. */
		assert_int_equal(s->burst_want, TLS_WANT_WRITE);
	}
	assert_true(run_until(e, streams_done, WAIT_MS));
	for (k = 0; k < 2; k++) {
		const struct side *s = sides[k], *peer = sides[1 - k];
		const struct tunnel_counters *c = &s->t.counters;

		assert_int_equal(peer->rx_bad, 0);
		assert_int_equal(peer->rx_pkts, s->target);
		assert_int_equal(s->tx_seq[0], s->target);
		assert_int_equal(c->pkts_out, s->target);
		assert_int_equal(c->bytes_out, (uint64_t)s->target * BURST_LEN);
		assert_int_equal(peer->t.counters.pkts_in, s->target);
		assert_int_equal(
		    peer->t.counters.bytes_in, (uint64_t)s->target * BURST_LEN);
		/* Streaming by tunnel_can_send() dropped nothing more. */
		assert_int_equal(s->refused, BURST - s->burst_sent);
		assert_int_equal(c->dropped_out, s->refused);
		assert_int_equal(s->broken_promises, 0);
		assert_true(s->ndrained >= 1);
		assert_int_equal(s->drained_unasked, 0);
	}
	assert_int_equal(e->cl.nclosed + e->sv.nclosed, 0);
}

/*
 * What the bound lets out in one iteration, on roomy sockets: the
 * receiver gets it in reads that fill its buffer, with records left in
 * OpenSSL's read-ahead that the socket no longer signals.
 */
static void
fill_to_bound(struct io_timer *tm)
{
	struct env *e = tm->arg;
	struct side *s = &e->cl;

	while (tunnel_can_send(&s->t))
		assert_true(send_next(s, 4, BURST_LEN));
	e->sv.rx_want[0] = s->tx_seq[0];
	s = &e->sv;
	while (tunnel_can_send(&s->t))
		assert_true(send_next(s, 6, BURST_LEN));
	e->cl.rx_want[1] = s->tx_seq[1];
}

static void
bound_burst_arrives_whole(void **state)
{
	struct env *e = *state;
	struct io_timer kick;
	int round;

	bring_up(e);
	io_timer_init(&kick, fill_to_bound, e);
	for (round = 0; round < 20; round++) {
		io_timer_set(&e->loop, &kick, io_loop_now(&e->loop));
		assert_true(run_until(e, rx_done, WAIT_MS));
	}
	assert_true(e->sv.rx_want[0] > 20 * 40);
	assert_int_equal(e->cl.rx_bad + e->sv.rx_bad, 0);
	assert_int_equal(e->cl.t.counters.dropped_out, 0);
	assert_int_equal(e->sv.t.counters.dropped_out, 0);
}

/* 3. A wrong password ends both, the client saying why. */
static void
wrong_password(struct env *e, enum ppp_auth_method method)
{
	e->method = method;
	e->cl_password = "wrong horse";
	env_start(e);
	assert_true(run_until(e, both_closed, WAIT_MS));
	assert_true(e->cl.t.auth_failed);
	assert_true(contains(e->cl.reason, "authentication"));
	assert_false(e->cl.t.tls_failed);
	assert_int_equal(e->cl.nauth, 1);
	assert_false(e->cl.auth_ok);
	assert_int_equal(e->sv.nauth, 1);
	assert_false(e->sv.auth_ok);
	assert_int_equal(e->cl.nconnected + e->sv.nconnected, 0);
	assert_false(e->cl.v4_up || e->sv.v4_up);
	assert_int_equal(e->nalloc, 0);
	assert_int_equal(e->cl.nclosed, 1);
	assert_int_equal(e->sv.nclosed, 1);
}

static void
wrong_password_mschapv2(void **state)
{
	wrong_password(*state, PPP_AUTH_MSCHAPV2);
}

static void
wrong_password_pap(void **state)
{
	wrong_password(*state, PPP_AUTH_PAP);
}

/* 4. A clean close from either end ends both, each saying why. */
static void
client_close_ends_both(void **state)
{
	struct env *e = *state;

	bring_up(e);
	tunnel_close(&e->cl.t, "the user hung up");
	assert_true(run_until(e, both_closed, WAIT_MS));
	assert_string_equal(e->cl.reason, "the user hung up");
	assert_true(contains(e->sv.reason, "peer"));
	assert_false(e->cl.v4_up || e->sv.v4_up);
	assert_int_equal(e->cl.nclosed, 1);
	assert_int_equal(e->sv.nclosed, 1);
}

static void
server_close_ends_both(void **state)
{
	struct env *e = *state;

	bring_up(e);
	tunnel_close(&e->sv.t, "the server stops");
	tunnel_close(&e->sv.t, "twice");
	assert_true(run_until(e, both_closed, WAIT_MS));
	assert_string_equal(e->sv.reason, "the server stops");
	assert_true(contains(e->cl.reason, "peer"));
	assert_false(e->cl.t.auth_failed || e->cl.t.tls_failed);
	assert_int_equal(e->cl.nclosed, 1);
	assert_int_equal(e->sv.nclosed, 1);
}

/* 5. The peer vanishes: its process gone, no close_notify. */
static void
peer_vanishes(void **state)
{
	struct env *e = *state;

	bring_up(e);
	tunnel_fini(&e->sv.t);
	e->sv.live = false;
	assert_true(run_until(e, client_closed, WAIT_MS));
	assert_true(contains(e->cl.reason, "peer closed the connection"));
	assert_false(e->cl.t.tls_failed || e->cl.t.auth_failed);
}

/* The server's socket shut down under it: both end. */
static void
socket_shut_down_underneath(void **state)
{
	struct env *e = *state;

	bring_up(e);
	assert_int_equal(shutdown(e->sv.t.fd, SHUT_RDWR), 0);
	assert_true(run_until(e, both_closed, WAIT_MS));
	assert_true(contains(e->cl.reason, "peer closed the connection"));
	assert_true(contains(e->sv.reason, "closed"));
}

/* The server's end read until EOF: the server closed its socket. */
static void
assert_peer_eof(int fd)
{
	uint8_t buf[4096];
	ssize_t n;
	int i;

	for (i = 0; i < 100; i++) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return;
		assert_true(n > 0);
	}
	fail_msg("no EOF");
}

/* 6. Not TLS at all. */
static void
garbage_instead_of_tls(void **state)
{
	static const char junk[] =
	    "GET / HTTP/1.1\r\nHost: server.test\r\n\r\n";
	struct env *e = *state;

	socket_pair(e);
	start_server(e);
	assert_int_equal(
	    write(e->fd[0], junk, sizeof(junk) - 1), (ssize_t)sizeof(junk) - 1);
	assert_true(run_until(e, server_closed, WAIT_MS));
	assert_true(e->sv.t.tls_failed);
	assert_true(contains(e->sv.reason, "TLS handshake"));
	assert_int_equal(e->sv.nconnected, 0);
	assert_peer_eof(e->fd[0]);
}

/* 7. The client does not trust the server's certificate. */
static void
untrusted_certificate(void **state)
{
	struct env *e = *state;

	client_ctx(e, e->other, false);
	env_start(e);
	assert_true(run_until(e, both_closed, WAIT_MS));
	assert_true(e->cl.t.tls_failed);
	assert_true(contains(e->cl.reason, "certificate verify failed"));
	assert_true(e->sv.t.tls_failed);
	assert_true(contains(e->sv.reason, "TLS handshake"));
	assert_int_equal(e->cl.nconnected + e->sv.nconnected, 0);
}

static void
certificate_for_another_name(void **state)
{
	struct env *e = *state;

	client_ctx(e, e->cert, false);
	e->host = "other.test";
	env_start(e);
	assert_true(run_until(e, both_closed, WAIT_MS));
	assert_true(e->cl.t.tls_failed);
	assert_true(contains(e->cl.reason, "certificate verify failed"));
	assert_true(contains(e->cl.reason, "hostname mismatch"));
}

/* 8. A silent peer: each role's TLS handshake times out. */
static void
tls_handshake_times_out(void **state)
{
	struct env *e = *state;

	e->sv_handshake_ms = e->cl_handshake_ms = 50;
	socket_pair(e);
	start_server(e);
	/* A second pair for a client whose server says nothing. */
	e->spare[0] = e->fd[0];
	socket_pair(e);
	e->spare[1] = e->fd[1];
	e->fd[1] = -1;
	client_ctx(e, NULL, true);
	start_client(e);
	assert_true(run_until(e, both_closed, WAIT_MS));
	assert_string_equal(e->sv.reason, "TLS handshake timed out");
	assert_string_equal(e->cl.reason, "TLS handshake timed out");
}

/* Closed before the handshake is done: the reason given, no leak. */
static void
close_during_handshake(void **state)
{
	struct env *e = *state;

	env_start(e);
	tunnel_close(&e->cl.t, "changed my mind");
	assert_true(run_until(e, both_closed, WAIT_MS));
	assert_string_equal(e->cl.reason, "changed my mind");
	assert_true(contains(e->sv.reason, "TLS handshake"));
	assert_int_equal(e->cl.nconnected + e->sv.nconnected, 0);
}

/*
 * [timers] setup (issue 13): a set-up stuck in TLS ends at the owner's
 * deadline with a plain close and the owner's reason.
 */
static void
setup_timeout_in_tls(void **state)
{
	struct env *e = *state;

	socket_pair(e);
	start_server(e);
	assert_string_equal(tunnel_setup_phase(&e->sv.t), "tls");
	tunnel_setup_timeout(&e->sv.t, "set-up too slow (tls)");
	assert_true(run_until(e, server_closed, WAIT_MS));
	assert_string_equal(e->sv.reason, "set-up too slow (tls)");
	assert_string_equal(tunnel_setup_phase(&e->sv.t), "closing");
}

/*
 * Both sides "up" once connected with PPP in its Network phase; the
 * deadline past that point (session.c never lets it happen) still ends
 * the call the SSTP way: a Call Abort with NEGOTIATION_TIMEOUT, which
 * the client reports.
 */
static void
setup_phase_up_then_abort(void **state)
{
	struct env *e = *state;

	bring_up(e);
	assert_string_equal(tunnel_setup_phase(&e->sv.t), "up");
	assert_string_equal(tunnel_setup_phase(&e->cl.t), "up");
	tunnel_setup_timeout(&e->sv.t, "set-up too slow");
	assert_true(run_until(e, both_closed, WAIT_MS));
	assert_string_equal(e->sv.reason, "set-up too slow");
	assert_true(contains(e->cl.reason, "status 8"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(connect_mschapv2_and_carry_datagrams),
		T(connect_with_ca_file_and_host_name),
		T(connect_with_ca_file_and_ip_address),
		T(connect_with_pap),
		T(burst_is_bounded_and_drains_in_order),
		T(bound_burst_arrives_whole),
		T(wrong_password_mschapv2),
		T(wrong_password_pap),
		T(client_close_ends_both),
		T(server_close_ends_both),
		T(peer_vanishes),
		T(socket_shut_down_underneath),
		T(garbage_instead_of_tls),
		T(untrusted_certificate),
		T(certificate_for_another_name),
		T(tls_handshake_times_out),
		T(close_during_handshake),
		T(setup_timeout_in_tls),
		T(setup_phase_up_then_abort),
	};

	/* As both programs do: a write to a closed socket is an error. */
	signal(SIGPIPE, SIG_IGN);
	return test_run(argc, argv, "tunnel", tests, ARRAY_LEN(tests));
}

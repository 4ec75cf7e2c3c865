/*
 * opensstp-hostile: a hostile SSTP client for our own server in a test
 * bed (tests/integration/test_hostile_*.sh), one attack per run.
 *
 * It speaks through the project's own cores, as an honest client would:
 * TLS (src/io), the SSTP client state machine (src/sstp) and the PPP link
 * (src/ppp), so it can reach any phase of a call and misbehave there,
 * either with bytes of its own on the wire or with a filter that changes,
 * drops or repeats what the honest cores send.  What the server answers
 * is watched on the way in by the tap, apart from the cores, and judged
 * into one result (hostile_verdict.c) compared with what the spec digests
 * say the answer must be.
 *
 *	hostile_main.c		options, the case table, the report
 *	hostile_conn.c		one connection: TCP, TLS, the pump
 *	hostile_tap.c		what the server sent: HTTP, SSTP, PPP
 *	hostile_peer.c		the honest cores, stalls and the filter
 *	hostile_verdict.c	results, their names, judging, waiting
 *	hostile_cases_*.c	the attacks, by layer
 */
#ifndef OPENSSTP_TOOLS_HOSTILE_H
#define OPENSSTP_TOOLS_HOSTILE_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#include "io/tls.h"
#include "ppp/ppp_link.h"
#include "sstp/sstp_conn.h"

#define HOSTILE_NOTE_MAX 256

struct hostile_opts {
	struct sockaddr_storage dst;
	socklen_t dst_len;
	bool has_src; /* bind to src before connecting */
	struct sockaddr_storage src;
	socklen_t src_len;
	char host[256]; /* SNI, certificate name, HTTP Host */
	const char *user, *password;
	enum ppp_auth_method auth; /* the one method our PPP accepts */
	SSL_CTX *ctx;
	struct ppp_crypto *crypto;
	unsigned count; /* connections, packets of a flood */
	uint32_t interval_ms; /* slow cases: between steps */
	uint32_t wait_ms; /* how long a reaction may take */
	uint32_t close_ms; /* a closing answer must close within */
	const char *phase; /* stall: where to stop */
};

/* What the server did, as the report names it. */
enum verdict_kind {
	V_NONE,
	V_SILENT_CLOSE, /* closed without an answer */
	V_TLS_ALERT, /* a TLS alert, then closed (before TLS) */
	V_HTTP, /* an HTTP status; detail: the code */
	V_CALL_ACK, /* Call Connect Ack: the request was taken */
	V_CALL_NAK, /* detail: the status */
	V_CALL_ABORT, /* detail: the status */
	V_CALL_DISCONNECT,
	V_CODE_REJECT, /* detail: the PPP protocol that sent it */
	V_PROTOCOL_REJECT, /* detail: the protocol rejected */
	V_LCP_TERMINATE,
	V_ECHO_RESPONSE, /* answered an SSTP Echo Request */
	V_SILENT_DISCARD, /* no answer; the call goes on */
	V_ALIVE, /* a flood answered; the call goes on */
	V_UP, /* a whole call came up */
	V_ALL_CLOSED, /* idle connections: all closed by the server */
	V_STILL_OPEN, /* no answer, and not closed in time */
	V_KIND_COUNT_
};

struct verdict {
	enum verdict_kind kind;
	char detail[64]; /* compared with the expected detail */
	char note[HOSTILE_NOTE_MAX]; /* printed only */
	bool have_after;
	uint64_t after_ms; /* the answer, counted from the attack */
	bool closed;
	uint64_t closed_ms; /* the close, counted from the attack */
};

const char *verdict_kind_name(enum verdict_kind k);
/* "call-abort" -> V_CALL_ABORT; V_NONE if unknown. */
enum verdict_kind verdict_kind_parse(const char *name);
/* Does v match expect ("kind" or "kind:detail", alternatives by '|')? */
bool verdict_matches(const struct verdict *v, const char *expect);
void verdict_print(const struct verdict *v);
void verdict_note(struct verdict *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* --- the tap: the server's side of the stream, decoded ------------- */

#define TAP_CODES 16 /* PPP codes counted one by one; above: in [15] */

struct tap {
	/* HTTP: the server's answer to the request. */
	struct sstp_http_parser http;
	struct sstp_http_response resp;
	bool http_done, http_bad;
	int http_status; /* 0 until a status line was read */
	/* SSTP after it. */
	bool framing_bad;
	size_t rx_len;
	uint8_t rx[SSTP_MAX_PACKET];
	unsigned msgs[16]; /* control messages by type; [0]: unknown */
	uint32_t abort_status, nak_status, disconnect_status;
	unsigned data; /* data packets */
	unsigned lcp[TAP_CODES], ipcp[TAP_CODES], ipv6cp[TAP_CODES];
	unsigned auth; /* PAP, CHAP, EAP packets */
	uint8_t auth_id; /* the Identifier of the last one */
	unsigned datagrams; /* IPv4, IPv6 */
	uint16_t coderej_proto; /* the protocol of the last Code-Reject */
	uint8_t coderej_code; /* the code it rejected */
	uint16_t protrej_proto; /* the protocol of the last Protocol-Reject */
};

void tap_init(struct tap *t);
void tap_input(struct tap *t, const uint8_t *data, size_t len);
/* The PPP code counters of a protocol, NULL for others. */
const unsigned *tap_codes(const struct tap *t, uint16_t protocol);

/* --- one connection ------------------------------------------------- */

/* Where an honest peer stops on purpose (the deadline cases). */
enum stall {
	STALL_NONE,
	STALL_LCP, /* PPP never started */
	STALL_AUTH, /* our authentication packets dropped */
	STALL_BINDING, /* no Call Connected */
};

struct hconn;
/*
 * Sees each whole SSTP packet the honest cores send, in pkt[0..*len)
 * (room for SSTP_MAX_PACKET): may change it in place, shorten it, queue
 * more with hc_queue; false drops it.
 */
typedef bool hostile_filter(struct hconn *h, uint8_t *pkt, size_t *len);

struct peer {
	bool on;
	struct sstp_conn sstp;
	struct ppp_link ppp;
	bool ppp_started, auth_ok, connected, ipv4_up, closed, ppp_down;
	struct ppp_ipv4_info v4;
	uint8_t hlak[SSTP_HLAK_LEN];
	bool hlak_held; /* STALL_BINDING or a delay: not yet given */
	enum stall stall;
	/* slow-setup: the request and the binding wait delay_ms; 0: no */
	uint32_t delay_ms;
	uint64_t binding_at, release_at;
	size_t held_len; /* a packet held back until release_at */
	uint8_t held[SSTP_MAX_PACKET];
	hostile_filter *filter;
	void *filter_arg;
	bool http_sent; /* our first output was the HTTP request */
	size_t out_len; /* an SSTP packet being reassembled */
	uint8_t out[SSTP_MAX_PACKET];
	unsigned datagrams; /* IPv4 datagrams received */
};

struct hconn {
	const struct hostile_opts *o;
	int fd;
	uint64_t t0; /* TCP connected */
	bool tls_on;
	struct tls_conn tls;
	bool eof; /* the server closed (FIN, RST, close_notify) */
	uint64_t eof_at;
	char eof_why[128];
	uint64_t bytes_in;
	uint8_t first_in; /* the first byte received, raw TCP */
	uint8_t *tx;
	size_t tx_len, tx_cap;
	uint64_t mark; /* when a filter changed what went out */
	bool answer_aborts; /* answer a Call Abort with ours (no peer) */
	unsigned aborts_answered;
	struct tap tap;
	struct peer peer;
};

uint64_t hc_now(void);
/* TCP connect (bound to o->src if given), blocking up to o->wait_ms.
 * false with the reason in err. */
bool hc_open(
    struct hconn *h, const struct hostile_opts *o, char *err, size_t errlen);
/* The TLS handshake over it, up to o->wait_ms. */
bool hc_tls(struct hconn *h, char *err, size_t errlen);
void hc_close(struct hconn *h);
/* Queue bytes for the server (TLS once it is up, raw TCP before). */
void hc_queue(struct hconn *h, const void *buf, size_t len);
/* Read what the socket has now, into the tap and the cores. */
void hc_input(struct hconn *h);
/* Write what is queued, reading meanwhile, until deadline. */
bool hc_flush(struct hconn *h, uint64_t deadline);
/* One round: wait for the socket or a core's timer (until deadline at
 * the latest), read, write, tick the cores. */
void hc_step(struct hconn *h, uint64_t deadline);
/* Pump until stop(h, arg), the server closes, or deadline. */
bool hc_pump_until(struct hconn *h, uint64_t deadline,
    bool (*stop)(struct hconn *, void *), void *arg);
/* Pump for ms, whatever happens (reactions arrive meanwhile). */
void hc_pump_for(struct hconn *h, uint32_t ms);

/* SSTP and PPP on the wire, bypassing the cores. */
void hc_send_ctrl(struct hconn *h, uint16_t type, const uint8_t *attrs,
    size_t attrs_len, uint16_t num_attrs);
void hc_send_data(struct hconn *h, const uint8_t *frame, size_t len);
/* A PPP control packet (Code Id Length Data) of protocol as a data packet. */
void hc_send_ppp(struct hconn *h, uint16_t protocol, uint8_t code, uint8_t id,
    const uint8_t *data, size_t len);
/* The client's HTTP request, as our core would send it. */
void hc_send_http_request(struct hconn *h);

/* The honest cores on an open TLS connection: the HTTP request goes. */
bool peer_start(struct hconn *h, char *err, size_t errlen);
void peer_fini(struct hconn *h);
uint64_t peer_deadline(struct hconn *h);
void peer_tick(struct hconn *h, uint64_t now);
void peer_input(struct hconn *h, const uint8_t *data, size_t len);
/* Give the HLAK held back (STALL_BINDING): Call Connected goes. */
void peer_release_binding(struct hconn *h);
/* End PPP and the call as a client leaving would. */
void peer_leave(struct hconn *h);

/* --- running and judging a case -------------------------------------- */

/* The usual ways into a case: each fails with a reason in err. */
bool open_tls(
    struct hconn *h, const struct hostile_opts *o, char *err, size_t errlen);
/* TLS, the request, the server's 200: SSTP may be spoken, no core. */
bool open_http_done(
    struct hconn *h, const struct hostile_opts *o, char *err, size_t errlen);
/* The honest cores up to a point: "ack" (Call Connect Ack, PPP
 * starting), "auth" (PPP authenticated), "up" (IPCP opened). */
bool open_peer(struct hconn *h, const struct hostile_opts *o, const char *until,
    enum stall stall, char *err, size_t errlen);

/*
 * After an attack: pump until the server answers (HTTP status, Call
 * Abort, Nak, Disconnect, a PPP reject or Terminate, a close) or the
 * probe is answered (probe_replies more Echo Responses than in before),
 * up to o->wait_ms; judge what came into v; for a closing answer, wait up
 * to o->close_ms for the close.  answered is the kind a probe answered
 * with nothing else stands for.
 */
void await_judge(struct hconn *h, const struct tap *before, uint64_t t_attack,
    unsigned probe_replies, enum verdict_kind answered, struct verdict *v);
/* Kinds that end the connection: it must then close within close_ms. */
bool verdict_kind_closes(enum verdict_kind k);
/* An SSTP Echo Request: the server answers it in every state. */
void send_probe(struct hconn *h);

/* A case: run the attack, fill v; false when it could not even be set
 * up (err says why).  arg is the case's own data. */
struct hostile_case {
	const char *name;
	const char *expect; /* built in, from the spec digests */
	const char *what;
	bool (*run)(const struct hostile_case *c, const struct hostile_opts *o,
	    struct verdict *v, char *err, size_t errlen);
	/* For the shared runners: what to send, at the point they reach. */
	void (*attack)(struct hconn *h);
	const void *arg;
	size_t arg_len;
};

extern const struct hostile_case hostile_cases_net[];
extern const struct hostile_case hostile_cases_sstp[];
extern const struct hostile_case hostile_cases_ppp[];

#endif

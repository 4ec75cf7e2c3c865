/*
 * The SSTP connection state machine for both roles (MS-SSTP 3.1-3.3,
 * spec/sstp.md 3).  Pure: the caller feeds it the bytes read from TLS and
 * the current time; it hands back bytes to write, events, and the next
 * deadline.  It never reads a clock, a socket or a global.
 *
 *	sstp_conn_init(&c, &cfg, &ops, arg);
 *	sstp_conn_start(&c, now);		client: sends the HTTP request
 *	sstp_conn_input(&c, buf, n, now);	bytes read from TLS
 *	sstp_conn_tick(&c, now);		when now >= sstp_conn_deadline()
 *	sstp_conn_auth_done(&c, hlak, now);	PPP authentication succeeded
 *	sstp_conn_send_ppp(&c, frame, n);	a PPP frame to send
 *	sstp_conn_disconnect(&c, now);		end the call cleanly
 *
 * Callbacks may call back into the connection (PPP answering a frame at
 * once), but must not free it: free after the call that raised
 * SSTP_EV_CLOSED has returned.  PPP frames are opaque bytes here, except
 * that their protocol number decides whether they may pass before the
 * call is connected (trap 7).
 */
#ifndef OPENSSTP_SSTP_CONN_H
#define OPENSSTP_SSTP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sstp/sstp_binding.h"
#include "sstp/sstp_err.h"
#include "sstp/sstp_http.h"
#include "sstp/sstp_packet.h"

#define SSTP_NO_DEADLINE UINT64_MAX

enum sstp_role {
	SSTP_ROLE_CLIENT,
	SSTP_ROLE_SERVER,
};

/* Our states; the spec's names are in the comments. */
enum sstp_state {
	SSTP_STATE_INIT, /* Call_Disconnected, before start */
	SSTP_STATE_HTTP, /* HTTP request/response under way */
	SSTP_STATE_CONNECT_REQ, /* Client_Connect_Request_Sent /
				   Server_Connect_Request_Pending */
	SSTP_STATE_CONNECT_PENDING, /* Client_Connect_Ack_Received /
				       Server_Call_Connected_Pending */
	SSTP_STATE_CONNECTED, /* Call_Connected */
	SSTP_STATE_ABORT_PENDING, /* Call_Abort_Pending (we sent Abort) */
	SSTP_STATE_ABORT_TIMEOUT, /* Call_Abort_Timeout_Pending */
	SSTP_STATE_DISCONNECT_ACK_PENDING, /* Call_Disconnect_Ack_Pending */
	SSTP_STATE_DISCONNECT_TIMEOUT, /* Call_Disconnect_Timeout_Pending */
	SSTP_STATE_CLOSED, /* transport must be closed */
};

/* spec/sstp.md 3.5, in milliseconds; tests run them short. */
struct sstp_timers {
	uint32_t http_ms; /* whole HTTP request/response: 60 s */
	uint32_t negotiation_ms; /* each negotiation phase: 60 s */
	uint32_t hello_ms; /* echo after this much silence: 60 s */
	uint32_t abort1_ms; /* we aborted, wait for peer's: 3 s */
	uint32_t abort2_ms; /* aborts exchanged, linger: 1 s */
	uint32_t disconnect1_ms; /* we disconnected, wait for Ack: 5 s */
	uint32_t disconnect2_ms; /* we acked, linger: 1 s */
};

struct sstp_conn_config {
	enum sstp_role role;
	struct sstp_timers timers;
	struct sstp_http_limits http;
	/*
	 * Hashes of the server certificate: the client's of the leaf it
	 * received on this connection, the server's of the one it presented
	 * on this connection (trap 18).  Set by the TLS layer.
	 */
	struct sstp_cert_hashes cert;
	/* Client. */
	const char *host; /* HTTP Host: the name dialled; copied */
	unsigned connect_attempts; /* Call Connect Requests sent: 3 */
	/* Server. */
	uint8_t hash_bitmask; /* offered in the Ack: SHA256 only (0x02) */
	unsigned max_naks; /* refused requests before aborting: 3 */
	bool verify_binding; /* check the crypto binding: yes */
	/* Full: a valid request gets 503 Service Unavailable, then close
	 * (spec/sstp.md 1.3).  A bad one still gets its 4xx. */
	bool unavailable;
};

void sstp_conn_config_default(
    struct sstp_conn_config *cfg, enum sstp_role role);

enum sstp_event_type {
	SSTP_EV_HTTP_DONE, /* handshake complete: request / response */
	SSTP_EV_LOWER_UP, /* PPP may start (MS-SSTP 3.1.7.1) */
	SSTP_EV_CONNECTED, /* binding sent / verified: data may flow */
	SSTP_EV_PPP_FRAME, /* a PPP frame arrived */
	SSTP_EV_LOWER_DOWN, /* the call is ending: stop PPP */
	SSTP_EV_CLOSED, /* close the transport now */
};

struct sstp_event {
	enum sstp_event_type type;
	/* SSTP_EV_PPP_FRAME: valid during the callback only. */
	const uint8_t *frame;
	size_t len;
	/* SSTP_EV_HTTP_DONE: one of them, by role. */
	const struct sstp_http_request *request;
	const struct sstp_http_response *response;
	/* SSTP_EV_LOWER_DOWN, SSTP_EV_CLOSED: why the call ends. */
	enum sstp_err reason;
	/* The Status Info status sent or received, when there was one. */
	bool has_status;
	uint32_t status;
	/* The HTTP status sent (server) or received (client), or 0. */
	int http_status;
};

struct sstp_conn_ops {
	/* Bytes to write to the transport, in order; all must be taken. */
	void (*output)(void *arg, const uint8_t *buf, size_t len);
	void (*event)(void *arg, const struct sstp_event *ev);
	/* Random bytes (nonce, correlation GUID); NULL: OpenSSL RAND. */
	bool (*random)(void *arg, uint8_t *buf, size_t len);
	/* Wall-clock seconds for the server's Date header. */
	time_t (*wall_time)(void *arg);
};

/*
 * What a connection needs only for a while: the HTTP parser and message
 * during the handshake, then the partial packet a read ended in.  Never
 * both at once; allocated when needed and freed (wiped: a partial packet
 * may be a PAP request) after a read that leaves no partial packet, so an
 * idle call holds none of it.
 */
struct sstp_conn_scratch {
	union {
		struct {
			struct sstp_http_parser http;
			union {
				struct sstp_http_request req;
				struct sstp_http_response resp;
			} msg;
		};
		uint8_t rx[SSTP_MAX_PACKET];
	};
};

struct sstp_conn {
	struct sstp_conn_config cfg;
	const struct sstp_conn_ops *ops;
	void *arg;
	enum sstp_state state;
	uint64_t deadline;
	bool echo_sent; /* hello timer: Echo Request outstanding */
	bool lower_down; /* SSTP_EV_LOWER_DOWN raised */
	unsigned attempts; /* client: requests sent; server: Naks sent */
	uint8_t hash_proto; /* client: the hash chosen */
	uint8_t nonce[SSTP_NONCE_LEN]; /* the server's nonce */
	bool hlak_known; /* server: PPP authentication done */
	uint8_t hlak[SSTP_HLAK_LEN];
	bool cc_pending; /* server: Call Connected waiting for the HLAK */
	uint8_t cc[SSTP_CALL_CONNECTED_LEN];
	/* Why the call ends, for SSTP_EV_LOWER_DOWN and SSTP_EV_CLOSED. */
	enum sstp_err reason;
	bool has_status;
	uint32_t status;
	int http_status;
	char host[SSTP_HTTP_HOST_MAX + 1];
	struct sstp_conn_scratch *scratch; /* NULL while not needed */
	size_t rx_len; /* bytes of a partial packet in scratch->rx */
};

void sstp_conn_init(struct sstp_conn *c, const struct sstp_conn_config *cfg,
    const struct sstp_conn_ops *ops, void *arg);
/* Cleanse the secrets it holds (nonce, HLAK) and free its scratch. */
void sstp_conn_fini(struct sstp_conn *c);

enum sstp_err sstp_conn_start(struct sstp_conn *c, uint64_t now);
void sstp_conn_input(
    struct sstp_conn *c, const uint8_t *data, size_t len, uint64_t now);
void sstp_conn_tick(struct sstp_conn *c, uint64_t now);
uint64_t sstp_conn_deadline(const struct sstp_conn *c);

/*
 * PPP authentication is done and gave this HLAK (32 zero bytes for PAP,
 * CHAP, EAP-MD5 or no authentication).  Client: sends Call Connected.
 * Server: verifies a Call Connected that came before, or the next one.
 */
enum sstp_err sstp_conn_auth_done(
    struct sstp_conn *c, const uint8_t hlak[SSTP_HLAK_LEN], uint64_t now);

/*
 * Send one PPP frame (Address/Control, Protocol, Information).  Before
 * the call is connected only PPP control protocols pass
 * (SSTP_E_DATA_BLOCKED otherwise); outside a call SSTP_E_STATE.
 */
enum sstp_err sstp_conn_send_ppp(
    struct sstp_conn *c, const uint8_t *frame, size_t len);

/*
 * The data path's variant: the SSTP header of a data packet carrying an
 * IPv4 or IPv6 frame of len bytes (PPP header included), written into
 * hdr for the caller to send in front of the frame, so a datagram is
 * copied once, into the TLS output.  SSTP_E_DATA_BLOCKED before the call
 * is connected, SSTP_E_STATE outside a call.
 */
enum sstp_err sstp_conn_data_header(
    struct sstp_conn *c, size_t len, uint8_t hdr[SSTP_HDR_LEN]);

/* End the call: Call Disconnect (MS-SSTP 3.1.1.1), or close if none. */
void sstp_conn_disconnect(struct sstp_conn *c, uint64_t now);
/* Abort the call with the Call Abort status of reason. */
void sstp_conn_abort(struct sstp_conn *c, enum sstp_err reason, uint64_t now);
/*
 * The owner's limit on the whole set-up passed (the server's [timers]
 * setup): end the call as the timer of the phase it is stuck in would.
 * HTTP: the server answers 408 and closes, the client closes; later,
 * also with the call connected but PPP not up: Call Abort with
 * NEGOTIATION_TIMEOUT (spec/sstp.md 3.4).  Nothing once it is ending.
 */
void sstp_conn_setup_timeout(struct sstp_conn *c, uint64_t now);

enum sstp_state sstp_conn_state(const struct sstp_conn *c);
const char *sstp_state_name(enum sstp_state state);

#endif

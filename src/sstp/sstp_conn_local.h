/*
 * Internals shared by sstp_conn.c (framing, timers, the Abort and
 * Disconnect procedures common to both roles) and the role files
 * sstp_client.c and sstp_server.c.
 */
#ifndef OPENSSTP_SSTP_CONN_LOCAL_H
#define OPENSSTP_SSTP_CONN_LOCAL_H

#include "sstp/sstp_conn.h"

void conn_emit(struct sstp_conn *c, enum sstp_event_type type);
/* SSTP_EV_HTTP_DONE with the request (server) or response (client). */
void conn_emit_http_done(struct sstp_conn *c);
void conn_output(struct sstp_conn *c, const uint8_t *buf, size_t len);
bool conn_random(struct sstp_conn *c, uint8_t *buf, size_t len);
void conn_send_empty(struct sstp_conn *c, uint16_t type);
void conn_send_status(struct sstp_conn *c, uint16_t type, uint8_t attrib,
    uint32_t status, const uint8_t *value, size_t value_len);
void conn_set_timer(struct sstp_conn *c, uint64_t now, uint32_t ms);
/* Close the transport now, without a word (framing errors, ends). */
void conn_close(struct sstp_conn *c, enum sstp_err reason);
/* Call Abort with the status of reason (MS-SSTP 3.1.1.1). */
void conn_abort(
    struct sstp_conn *c, enum sstp_err reason, uint8_t attrib, uint64_t now);
void conn_abort_status(struct sstp_conn *c, enum sstp_err reason,
    uint8_t attrib, uint32_t status, uint64_t now);
void conn_enter_connected(struct sstp_conn *c, uint64_t now);
/* The scratch (see sstp_conn.h), allocated on first need: NULL when out
 * of memory. */
struct sstp_conn_scratch *conn_scratch(struct sstp_conn *c);

/* Role parts: the HTTP phase and the call establishment messages. */
void client_start(struct sstp_conn *c, uint64_t now);
void client_http_input(struct sstp_conn *c, struct rd *r, uint64_t now);
void client_ctrl(struct sstp_conn *c, const struct sstp_ctrl *m, uint64_t now);
void client_timeout(struct sstp_conn *c, uint64_t now);
enum sstp_err client_auth_done(
    struct sstp_conn *c, const uint8_t hlak[SSTP_HLAK_LEN], uint64_t now);

void server_start(struct sstp_conn *c, uint64_t now);
void server_http_input(struct sstp_conn *c, struct rd *r, uint64_t now);
void server_http_timeout(struct sstp_conn *c);
void server_ctrl(struct sstp_conn *c, const struct sstp_ctrl *m,
    const uint8_t *pkt, size_t len, uint64_t now);
enum sstp_err server_auth_done(
    struct sstp_conn *c, const uint8_t hlak[SSTP_HLAK_LEN], uint64_t now);

#endif

/*
 * Shared driver of the two state-machine fuzz targets: a connection of
 * one role is brought past a valid prefix (HTTP done, Call Connect
 * exchanged) and the fuzz input is then read as a script of operations:
 * bytes from the peer, time passing, PPP authentication finishing, frames
 * sent, hang-ups.  Invariants are checked after every step; a violation
 * abort()s.
 */
#ifndef OPENSSTP_FUZZ_CONN_H
#define OPENSSTP_FUZZ_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "sstp/sstp_conn.h"

/* The valid Call Connected for the server's fixed nonce, zero HLAK. */
void fuzz_conn_binding(uint8_t out[SSTP_CALL_CONNECTED_LEN]);

/* Run the script in data against a connection of role. */
void fuzz_conn_run(enum sstp_role role, const uint8_t *data, size_t size);

#endif

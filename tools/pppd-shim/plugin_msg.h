/*
 * What sstp-client's pppd plugin (sstp-pppd-plugin.so) tells sstpc once
 * PPP is up, over the unix socket /var/run/sstpc/sstpc-<ipparam>: the
 * SSTP_API_MSG_AUTH message, on which sstpc computes the crypto binding
 * and sends Call Connected (tests/interop/README.md, "sstpc").  All
 * fields in host byte order:
 *
 *   u32 magic 0x73737470 | u16 payload length | u16 type 1 (AUTH)
 *   then attributes: u16 type | u16 value length | value
 *     type 1: MPPE send key (16), type 2: MPPE receive key (16)
 *
 * After PAP the plugin sends no attributes (sstpc then uses a zero HLAK).
 * sstpc answers with an 8-byte header of type 3 (ACK).
 */
#ifndef OPENSSTP_PPPD_SHIM_PLUGIN_MSG_H
#define OPENSSTP_PPPD_SHIM_PLUGIN_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLUGIN_MAGIC	      0x73737470u
#define PLUGIN_MSG_AUTH	      1
#define PLUGIN_MSG_ACK	      3
#define PLUGIN_ATTR_MPPE_SEND 1
#define PLUGIN_ATTR_MPPE_RECV 2
#define PLUGIN_KEY_LEN	      16
#define PLUGIN_HDR_LEN	      8
#define PLUGIN_MSG_MAX	      (PLUGIN_HDR_LEN + 2 * (4 + PLUGIN_KEY_LEN))

/*
 * The AUTH message into out (PLUGIN_MSG_MAX bytes); keys NULL: none (PAP).
 * Returns its length.
 */
size_t plugin_msg_auth(uint8_t out[PLUGIN_MSG_MAX], const uint8_t *send_key,
    const uint8_t *recv_key);

/* Is this 8-byte answer sstpc's ACK? */
bool plugin_msg_is_ack(const uint8_t *msg, size_t len);

/*
 * Connect to path, send the AUTH message, wait up to timeout_ms for the
 * ACK.  False with a one-line reason in err otherwise.
 */
bool plugin_send_auth(const char *path, const uint8_t *send_key,
    const uint8_t *recv_key, int timeout_ms, char *err, size_t errlen);

#endif

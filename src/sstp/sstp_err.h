/*
 * Every reason the SSTP layer refuses input or ends a connection.  Each has
 * its own code so that a log line names exactly what was wrong; the code
 * also chooses the answer on the wire (spec/sstp.md 3.4): a framing error
 * closes without a word, everything else maps to a Call Abort status.
 */
#ifndef OPENSSTP_SSTP_ERR_H
#define OPENSSTP_SSTP_ERR_H

#include <stdbool.h>
#include <stdint.h>

enum sstp_err {
	SSTP_OK = 0,

	/* Framing: the stream cannot be delineated; close silently. */
	SSTP_E_VERSION, /* version byte is not 0x10 */
	SSTP_E_PKT_LENGTH, /* length field below 4 (data) or 8 (control) */

	/* A whole packet handed to a decoder does not match its header. */
	SSTP_E_SHORT, /* fewer bytes than the length field says */
	SSTP_E_LONG, /* more bytes than the length field says */
	SSTP_E_NOT_CONTROL, /* a data packet given to the control decoder */

	/* Control message structure: Call Abort with a status. */
	SSTP_E_ATTR_COUNT, /* Num Attributes above what is present */
	SSTP_E_ATTR_TRUNCATED, /* attribute runs past the packet */
	SSTP_E_ATTR_LENGTH, /* attribute length field below 4 */
	SSTP_E_TRAILING, /* bytes after the last attribute */
	SSTP_E_ATTR_UNKNOWN, /* attribute id not in MS-SSTP 2.2.4 */
	SSTP_E_ATTR_SIZE, /* known attribute with the wrong length */
	SSTP_E_ATTR_DUPLICATE, /* attribute given twice */
	SSTP_E_ATTR_NOT_IN_MSG, /* attribute not allowed in this message */
	SSTP_E_STATUS_NOT_IN_MSG, /* Status Info not allowed in this message */
	SSTP_E_ATTR_MISSING, /* required attribute absent */
	SSTP_E_MSG_TYPE, /* message type unknown */
	SSTP_E_PROTOCOL_ID, /* Encapsulated Protocol ID is not PPP */
	SSTP_E_REQUEST_STATUS, /* Call Connect Request carries an error */
	SSTP_E_UNEXPECTED_MSG, /* message not allowed in this state */
	SSTP_E_RETRY_COUNT, /* too many refused Call Connect Requests */
	SSTP_E_CONNECT_NAK, /* the server refused our Call Connect */
	SSTP_E_NEGOTIATION_TIMEOUT, /* negotiation timer expired */

	/* Crypto binding. */
	SSTP_E_HASH_BITMASK, /* Ack offers no hash protocol we support */
	SSTP_E_HASH_PROTO, /* binding hash is not one offered bit */
	SSTP_E_NONCE, /* binding nonce differs from the one sent */
	SSTP_E_CERT_HASH, /* binding certificate hash differs */
	SSTP_E_CMAC, /* Compound MAC does not verify */
	SSTP_E_NO_CERT_HASH, /* no certificate hash known for this hash */
	SSTP_E_CRYPTO, /* OpenSSL failed (hash, HMAC, RNG) */

	/* HTTP handshake. */
	SSTP_E_HTTP_SYNTAX, /* malformed request/status/header line */
	SSTP_E_HTTP_METHOD, /* method other than SSTP_DUPLEX_POST */
	SSTP_E_HTTP_URI, /* URI other than the SSTP one */
	SSTP_E_HTTP_VERSION, /* HTTP version other than 1.0/1.1 */
	SSTP_E_HTTP_LINE_TOO_LONG, /* request/status line over its cap */
	SSTP_E_HTTP_HEADER_TOO_LONG, /* one header line over its cap */
	SSTP_E_HTTP_HEADERS_TOO_BIG, /* header block over its byte cap */
	SSTP_E_HTTP_TOO_MANY_HEADERS, /* header count over its cap */
	SSTP_E_HTTP_CONTENT_LENGTH, /* Content-Length not a uint64 */
	SSTP_E_HTTP_STATUS, /* the server answered other than 200 */
	SSTP_E_HTTP_TIMEOUT, /* request/response not complete in time */
	SSTP_E_HTTP_UNAVAILABLE, /* server full: the request answered 503 */

	/* Ends that are not errors of the peer's making. */
	SSTP_E_HELLO_TIMEOUT, /* peer silent through two hello intervals */
	SSTP_E_PEER_ABORT, /* peer sent Call Abort */
	SSTP_E_PEER_DISCONNECT, /* peer sent Call Disconnect */
	SSTP_E_LOCAL_DISCONNECT, /* we ended the call */
	SSTP_E_LOCAL_ABORT, /* higher layer aborted the call */

	/* API use. */
	SSTP_E_NOSPACE, /* output buffer too small */
	SSTP_E_NOMEM, /* out of memory */
	SSTP_E_STATE, /* call not allowed in this state */
	SSTP_E_FRAME_SIZE, /* PPP frame too large for one SSTP packet */
	SSTP_E_DATA_BLOCKED, /* PPP data frame before the call is connected */

	SSTP_E_COUNT_
};

const char *sstp_strerror(enum sstp_err err);

/* True when the error breaks framing: close without sending anything. */
bool sstp_err_is_framing(enum sstp_err err);

/* The Status Info status (spec/sstp.md 2.5) a Call Abort for err carries. */
uint32_t sstp_err_status(enum sstp_err err);

#endif

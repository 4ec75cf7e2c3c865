#include "sstp/sstp_err.h"

#include "sstp/sstp_packet.h"

static const char *const err_text[SSTP_E_COUNT_] = {
	[SSTP_OK] = "no error",
	[SSTP_E_VERSION] = "SSTP version is not 1.0",
	[SSTP_E_PKT_LENGTH] = "SSTP length field below the packet minimum",
	[SSTP_E_SHORT] = "packet shorter than its length field",
	[SSTP_E_LONG] = "packet longer than its length field",
	[SSTP_E_NOT_CONTROL] =
	    "data packet where a control packet was expected",
	[SSTP_E_ATTR_COUNT] = "fewer attributes than Num Attributes says",
	[SSTP_E_ATTR_TRUNCATED] = "attribute runs past the end of the packet",
	[SSTP_E_ATTR_LENGTH] = "attribute length field below 4",
	[SSTP_E_TRAILING] = "bytes after the last attribute",
	[SSTP_E_ATTR_UNKNOWN] = "unknown attribute id",
	[SSTP_E_ATTR_SIZE] = "attribute has the wrong length",
	[SSTP_E_ATTR_DUPLICATE] = "attribute given twice",
	[SSTP_E_ATTR_NOT_IN_MSG] = "attribute not allowed in this message",
	[SSTP_E_STATUS_NOT_IN_MSG] = "Status Info not allowed in this message",
	[SSTP_E_ATTR_MISSING] = "required attribute missing",
	[SSTP_E_MSG_TYPE] = "unknown message type",
	[SSTP_E_PROTOCOL_ID] = "encapsulated protocol is not PPP",
	[SSTP_E_REQUEST_STATUS] =
	    "Call Connect Request carries an error status",
	[SSTP_E_UNEXPECTED_MSG] = "message not allowed in this state",
	[SSTP_E_RETRY_COUNT] = "too many Call Connect Requests refused",
	[SSTP_E_CONNECT_NAK] = "server refused the Call Connect Request",
	[SSTP_E_NEGOTIATION_TIMEOUT] = "negotiation timed out",
	[SSTP_E_HASH_BITMASK] = "server offers no supported hash protocol",
	[SSTP_E_HASH_PROTO] = "crypto binding uses a hash protocol not offered",
	[SSTP_E_NONCE] = "crypto binding nonce does not match",
	[SSTP_E_CERT_HASH] = "crypto binding certificate hash does not match",
	[SSTP_E_CMAC] = "crypto binding Compound MAC does not verify",
	[SSTP_E_NO_CERT_HASH] = "no certificate hash known for the chosen hash",
	[SSTP_E_CRYPTO] = "cryptographic operation failed",
	[SSTP_E_HTTP_SYNTAX] = "malformed HTTP message",
	[SSTP_E_HTTP_METHOD] = "HTTP method is not SSTP_DUPLEX_POST",
	[SSTP_E_HTTP_URI] = "HTTP request URI is not the SSTP URI",
	[SSTP_E_HTTP_VERSION] = "HTTP version is not 1.0 or 1.1",
	[SSTP_E_HTTP_LINE_TOO_LONG] = "HTTP request or status line too long",
	[SSTP_E_HTTP_HEADER_TOO_LONG] = "HTTP header line too long",
	[SSTP_E_HTTP_HEADERS_TOO_BIG] = "HTTP header block too large",
	[SSTP_E_HTTP_TOO_MANY_HEADERS] = "too many HTTP header lines",
	[SSTP_E_HTTP_CONTENT_LENGTH] =
	    "HTTP Content-Length is not a valid number",
	[SSTP_E_HTTP_STATUS] = "server answered with an HTTP error status",
	[SSTP_E_HTTP_TIMEOUT] = "HTTP handshake timed out",
	[SSTP_E_HTTP_UNAVAILABLE] =
	    "no session free: answered HTTP 503 Service Unavailable",
	[SSTP_E_HELLO_TIMEOUT] = "peer silent (hello timer expired twice)",
	[SSTP_E_PEER_ABORT] = "peer aborted the call",
	[SSTP_E_PEER_DISCONNECT] = "peer disconnected the call",
	[SSTP_E_LOCAL_DISCONNECT] = "call disconnected locally",
	[SSTP_E_LOCAL_ABORT] = "call aborted locally",
	[SSTP_E_NOSPACE] = "output buffer too small",
	[SSTP_E_NOMEM] = "out of memory",
	[SSTP_E_STATE] = "operation not allowed in this state",
	[SSTP_E_FRAME_SIZE] = "frame too large for one SSTP packet",
	[SSTP_E_DATA_BLOCKED] = "PPP data frame before the call is connected",
};

const char *
sstp_strerror(enum sstp_err err)
{
	if ((unsigned)err < SSTP_E_COUNT_ && err_text[err] != NULL)
		return err_text[err];
	return "unknown SSTP error";
}

bool
sstp_err_is_framing(enum sstp_err err)
{
	return err == SSTP_E_VERSION || err == SSTP_E_PKT_LENGTH;
}

uint32_t
sstp_err_status(enum sstp_err err)
{
	switch (err) {
	case SSTP_OK:
	case SSTP_E_LOCAL_DISCONNECT:
	case SSTP_E_PEER_DISCONNECT:
	case SSTP_E_PEER_ABORT:
		return SSTP_ATTRIB_STATUS_NO_ERROR;
	case SSTP_E_ATTR_UNKNOWN:
		return SSTP_ATTRIB_STATUS_UNRECOGNIZED_ATTRIBUTE;
	case SSTP_E_ATTR_SIZE:
		return SSTP_ATTRIB_STATUS_INVALID_ATTRIB_VALUE_LENGTH;
	case SSTP_E_ATTR_DUPLICATE:
		return SSTP_ATTRIB_STATUS_DUPLICATE_ATTRIBUTE;
	case SSTP_E_ATTR_NOT_IN_MSG:
		return SSTP_ATTRIB_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG;
	case SSTP_E_STATUS_NOT_IN_MSG:
		return SSTP_ATTRIB_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG;
	case SSTP_E_ATTR_MISSING:
		return SSTP_ATTRIB_STATUS_REQUIRED_ATTRIBUTE_MISSING;
	case SSTP_E_PROTOCOL_ID:
	case SSTP_E_HASH_BITMASK:
		return SSTP_ATTRIB_STATUS_VALUE_NOT_SUPPORTED;
	case SSTP_E_UNEXPECTED_MSG:
		return SSTP_ATTRIB_STATUS_UNACCEPTED_FRAME_RECEIVED;
	case SSTP_E_RETRY_COUNT:
		return SSTP_ATTRIB_STATUS_RETRY_COUNT_EXCEEDED;
	case SSTP_E_NEGOTIATION_TIMEOUT:
	case SSTP_E_HTTP_TIMEOUT:
	case SSTP_E_HELLO_TIMEOUT:
		return SSTP_ATTRIB_STATUS_NEGOTIATION_TIMEOUT;
	default:
		/* Malformed frames, failed bindings, everything else. */
		return SSTP_ATTRIB_STATUS_INVALID_FRAME_RECEIVED;
	}
}

#include "ppp/ppp_err.h"

#include <stddef.h>

static const char *const err_text[PPP_E_COUNT_] = {
	[PPP_OK] = "no error",
	[PPP_E_SHORT] = "packet shorter than its header",
	[PPP_E_LENGTH] = "Length field below its minimum",
	[PPP_E_TRUNCATED] = "Length field beyond the bytes received",
	[PPP_E_PROTOCOL] = "malformed protocol field",
	[PPP_E_CODE] = "unknown code",
	[PPP_E_OPTION_LENGTH] = "option length below 2 or past the packet",
	[PPP_E_OPTION_SIZE] = "option has the wrong length for its type",
	[PPP_E_VALUE_SIZE] = "Value-Size wrong for the method",
	[PPP_E_FIELD_LENGTH] = "a length byte runs past the packet",
	[PPP_E_TYPE] = "unknown or unexpected type",
	[PPP_E_MESSAGE] = "message text not in the expected format",
	[PPP_E_TRAILING] = "unexpected bytes at the end",
	[PPP_E_FCS] = "bad frame check sequence",
	[PPP_E_FRAME_TOO_LONG] = "frame longer than the receive limit",
	[PPP_E_FRAME_ABORTED] = "frame aborted by the sender",
	[PPP_E_RUNT] = "frame too short",
	[PPP_E_AUTH_FAILED] = "authentication failed",
	[PPP_E_AUTH_REFUSED] = "no authentication method allowed by both ends",
	[PPP_E_AUTH_EAP_NO_TYPE] =
	    "the server's EAP offers no type this client does",
	[PPP_E_AUTH_TIMEOUT] = "authentication timed out",
	[PPP_E_AUTH_SERVER] = "server's authenticator response is wrong",
	[PPP_E_PASSWORD_CHANGE] = "password change is not supported",
	[PPP_E_LOOPBACK] = "link is looped back",
	[PPP_E_NEGOTIATION] = "negotiation gave up",
	[PPP_E_ECHO_TIMEOUT] = "LCP echo requests unanswered",
	[PPP_E_PEER_TERMINATE] = "peer terminated the link",
	[PPP_E_LOCAL_CLOSE] = "link closed locally",
	[PPP_E_LOWER_DOWN] = "lower layer down",
	[PPP_E_NO_ADDRESS] = "no address negotiated",
	[PPP_E_NOSPACE] = "output buffer too small",
	[PPP_E_STATE] = "operation not allowed in this state",
	[PPP_E_CRYPTO] = "cryptographic operation failed",
	[PPP_E_INVALID] = "invalid argument",
};

const char *
ppp_strerror(enum ppp_err err)
{
	if ((unsigned)err < PPP_E_COUNT_ && err_text[err] != NULL)
		return err_text[err];
	return "unknown PPP error";
}

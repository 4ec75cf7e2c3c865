/*
 * Every reason the PPP layer refuses input or ends a link.  Decoders
 * return these (0 = OK); the caller's answer on the wire follows RFC 1661
 * (silent discard, Configure-Reject, Code-Reject, Protocol-Reject) as
 * spec/ppp.md 1 and 11 say.  ppp_strerror() names each.
 */
#ifndef OPENSSTP_PPP_ERR_H
#define OPENSSTP_PPP_ERR_H

enum ppp_err {
	PPP_OK = 0,

	/* Frames and packets. */
	PPP_E_SHORT, /* fewer bytes than a header needs */
	PPP_E_LENGTH, /* Length field below its minimum */
	PPP_E_TRUNCATED, /* Length field above the bytes present */
	PPP_E_PROTOCOL, /* malformed protocol field */
	PPP_E_CODE, /* unknown code */
	PPP_E_OPTION_LENGTH, /* option length < 2 or past the packet */
	PPP_E_OPTION_SIZE, /* known option with the wrong length */
	PPP_E_VALUE_SIZE, /* CHAP/EAP Value-Size wrong for the method */
	PPP_E_FIELD_LENGTH, /* a length byte runs past its packet */
	PPP_E_TYPE, /* unknown or unexpected EAP type / opcode */
	PPP_E_MESSAGE, /* Success/Failure text not in its format */
	PPP_E_TRAILING, /* bytes where none may be */

	/* Async HDLC. */
	PPP_E_FCS, /* frame check sequence wrong */
	PPP_E_FRAME_TOO_LONG, /* frame over the receive limit */
	PPP_E_FRAME_ABORTED, /* 7D 7E: frame aborted by the sender */
	PPP_E_RUNT, /* frame too short to hold a header and FCS */

	/* Authentication. */
	PPP_E_AUTH_FAILED, /* wrong password / unknown user */
	PPP_E_AUTH_REFUSED, /* the peer refused every method we allow */
	PPP_E_AUTH_EAP_NO_TYPE, /* peer: the server's EAP has no type we do */
	PPP_E_AUTH_TIMEOUT, /* no answer within the retries */
	PPP_E_AUTH_SERVER, /* the server's authenticator response is wrong */
	PPP_E_PASSWORD_CHANGE, /* password change requested: refused */

	/* Link. */
	PPP_E_LOOPBACK, /* our own magic number came back */
	PPP_E_NEGOTIATION, /* an automaton gave up (Max-Configure) */
	PPP_E_ECHO_TIMEOUT, /* LCP echo unanswered */
	PPP_E_PEER_TERMINATE, /* the peer sent Terminate-Request */
	PPP_E_LOCAL_CLOSE, /* we closed the link */
	PPP_E_LOWER_DOWN, /* SSTP went away */
	PPP_E_NO_ADDRESS, /* no address to give or none received */

	/* API use and the environment. */
	PPP_E_NOSPACE, /* output buffer too small */
	PPP_E_STATE, /* call not allowed in this state */
	PPP_E_CRYPTO, /* OpenSSL failed (hash, cipher, provider) */
	PPP_E_INVALID, /* invalid argument (e.g. a password not UTF-8) */

	PPP_E_COUNT_
};

const char *ppp_strerror(enum ppp_err err);

#endif

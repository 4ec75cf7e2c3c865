/*
 * RFC 1662 async HDLC-like framing, for PPP over a pty or tty only (SSTP
 * carries unframed PPP, spec/ppp.md 10.1): flags, control escapes, the
 * ACCM and FCS-16.  Pure: no I/O, no allocation, no mutable state outside
 * the caller's structs.
 *
 *   7E | frame (FF 03, protocol, information) | FCS (2, low byte first) | 7E
 *
 * The encoder writes one whole frame per call.  The decoder is fed the
 * byte stream in chunks of any size, split anywhere, and calls back once
 * per good frame; bad frames are dropped and counted by reason.
 */
#ifndef OPENSSTP_PPP_HDLC_H
#define OPENSSTP_PPP_HDLC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/wr.h"
#include "ppp/ppp_err.h"

#define HDLC_FLAG	  0x7e
#define HDLC_ESC	  0x7d
#define HDLC_TRANS	  0x20 /* an escaped byte is XORed with this */
#define HDLC_FCS_LEN	  2
#define HDLC_FCS_INIT	  0xffff
#define HDLC_FCS_GOOD	  0xf0b8 /* FCS over frame + its FCS */
#define HDLC_ACCM_DEFAULT 0xffffffffu /* RFC 1662 7.1 */
/* RFC 1662 4.3: anything shorter cannot hold a header and the FCS. */
#define HDLC_MIN_FRAME 4
/* The most hdlc_encode() can write for a frame of len bytes: two flags,
 * every byte of frame and FCS escaped. */
#define HDLC_ENCODED_MAX(len) (2 * ((len) + HDLC_FCS_LEN) + 2)
/* The receive buffer hdlc_decoder_init() needs for frames of up to
 * max_frame bytes (FF 03, protocol and information; FCS not counted). */
#define HDLC_RXBUF_LEN(max_frame) ((max_frame) + HDLC_FCS_LEN)

/*
 * FCS-16 (CRC-16/X.25, RFC 1662 C.2) of len bytes, continuing from fcs:
 * start with HDLC_FCS_INIT; the FCS sent is the result XOR 0xffff.
 */
uint16_t hdlc_fcs16(uint16_t fcs, const uint8_t *p, size_t len);

/*
 * The ACCM to send frame with (spec/ppp.md 10.2): HDLC_ACCM_DEFAULT for LCP
 * codes 1-7 (Configure-*, Terminate-*, Code-Reject), with or without FF 03
 * in front, so a peer that has not yet applied the negotiated map still
 * reads them; the negotiated map for everything else.
 */
uint32_t hdlc_tx_accm(const uint8_t *frame, size_t len, uint32_t negotiated);

/*
 * Append 7E, frame with its FCS escaped per accm (bit n set: escape byte
 * n < 0x20; 7D and 7E always), and 7E.  PPP_E_NOSPACE, with the
 * writer's length unchanged and its overflow flag set, if the encoding
 * does not fit; HDLC_ENCODED_MAX(len) free bytes always suffice.
 */
enum ppp_err hdlc_encode(
    struct wr *w, const uint8_t *frame, size_t len, uint32_t accm);

/* Frames the decoder delivered, and those it dropped by reason. */
struct hdlc_stats {
	uint64_t frames; /* good frames delivered */
	uint64_t fcs; /* PPP_E_FCS */
	uint64_t too_long; /* PPP_E_FRAME_TOO_LONG */
	uint64_t aborted; /* PPP_E_FRAME_ABORTED: 7D 7E */
	uint64_t runt; /* PPP_E_RUNT: under HDLC_MIN_FRAME with the FCS */
};

/* The receiving side of one link.  Fields are private but for stats. */
struct hdlc_decoder {
	uint8_t *buf; /* caller's: the frame being unescaped, FCS included */
	size_t cap; /* bytes buf holds */
	size_t len; /* bytes of the current frame in buf */
	size_t fcs_len; /* bytes of buf the running fcs covers */
	uint32_t accm; /* our receive ACCM */
	uint16_t fcs;
	bool esc; /* the last byte was 7D */
	bool toss; /* too long: drop all up to the next flag */
	struct hdlc_stats stats;
};

/*
 * Receive frames of up to max_frame bytes into buf, which the caller owns
 * and which must hold HDLC_RXBUF_LEN(max_frame) bytes while d is used.
 * rx_accm is our receive map: unescaped bytes < 0x20 in it are dropped.
 */
void hdlc_decoder_init(
    struct hdlc_decoder *d, uint8_t *buf, size_t max_frame, uint32_t rx_accm);

/* Change the receive map (after LCP negotiation); from the next byte on,
 * also when called from the frame callback. */
void hdlc_decoder_set_accm(struct hdlc_decoder *d, uint32_t rx_accm);

/*
 * Feed len bytes of the stream.  For each good frame, call
 * frame_cb(arg, frame, frame_len) with the FCS stripped (frame_len >= 2);
 * frame points into the decoder's buffer and is valid only during the
 * call.  The callback must not feed d.  A frame may span any number of
 * calls.
 */
void hdlc_decode(struct hdlc_decoder *d, const uint8_t *data, size_t len,
    void (*frame_cb)(void *, const uint8_t *, size_t), void *arg);

#endif

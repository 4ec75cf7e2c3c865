/*
 * The PPP frame as SSTP carries it (spec/ppp.md 10.1): FF 03, a 2-byte
 * protocol, the information field.  Always sent that way (trap 17);
 * received liberally: without FF 03 (ACFC) and with a 1-byte protocol
 * (PFC, an odd first byte).  And the control packet header every LCP,
 * IPCP, IPv6CP, PAP, CHAP and EAP packet shares: Code Id Length.
 */
#ifndef OPENSSTP_PPP_FRAME_H
#define OPENSSTP_PPP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"
#include "base/wr.h"
#include "ppp/ppp_err.h"

#define PPP_ADDRESS	0xff
#define PPP_CONTROL	0x03
#define PPP_HDR_LEN	4 /* FF 03 + protocol, as we send */
#define PPP_PKT_HDR_LEN 4 /* Code Id Length */

enum ppp_protocol {
	PPP_PROTO_IPV4 = 0x0021,
	PPP_PROTO_IPV6 = 0x0057,
	PPP_PROTO_IPCP = 0x8021,
	PPP_PROTO_IPV6CP = 0x8057,
	PPP_PROTO_CCP = 0x80fd,
	PPP_PROTO_LCP = 0xc021,
	PPP_PROTO_PAP = 0xc023,
	PPP_PROTO_LQR = 0xc025,
	PPP_PROTO_CHAP = 0xc223,
	PPP_PROTO_EAP = 0xc227,
};

/*
 * Split a received frame into its protocol and information field (a view
 * into frame).  PPP_E_PROTOCOL for an even last protocol byte or a frame
 * too short (RFC 1661 2: protocol values are odd in the last byte).
 */
enum ppp_err ppp_frame_decode(
    const uint8_t *frame, size_t len, uint16_t *protocol, struct rd *info);

/* Write FF 03 and the 2-byte protocol. */
void ppp_frame_header(struct wr *w, uint16_t protocol);

/* A control packet (RFC 1661 5): code, id, and exactly Length-4 data
 * bytes; padding after Length is dropped; Length above the bytes present
 * is PPP_E_TRUNCATED, below 4 PPP_E_LENGTH. */
struct ppp_pkt {
	uint8_t code;
	uint8_t id;
	struct rd data;
};

enum ppp_err ppp_pkt_decode(struct rd *info, struct ppp_pkt *p);

/* Write Code Id Length Data; Length patched from what follows. */
size_t ppp_pkt_begin(struct wr *w, uint8_t code, uint8_t id);
void ppp_pkt_end(struct wr *w, size_t start);

#endif

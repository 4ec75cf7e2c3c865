/*
 * Configuration options of LCP, IPCP and IPv6CP: Type(1) Length(1)
 * Value(Length-2) (RFC 1661 6).  A walker over an option list and a
 * writer; the protocols decide what each type means.
 */
#ifndef OPENSSTP_PPP_OPTIONS_H
#define OPENSSTP_PPP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"
#include "base/wr.h"
#include "ppp/ppp_err.h"

struct ppp_opt {
	uint8_t type;
	uint8_t len; /* whole option, header included */
	const uint8_t *raw; /* the whole option, for verbatim copies */
	struct rd val; /* the value, len - 2 bytes */
};

/*
 * The next option of r.  PPP_E_OPTION_LENGTH for a length below 2 or
 * past the list (trap 5: the whole packet is then malformed).
 */
enum ppp_err ppp_opt_next(struct rd *r, struct ppp_opt *o);

/* True when every option of the list is well formed. */
bool ppp_opts_valid(const uint8_t *opts, size_t len);

/* Copy an option verbatim (Configure-Reject, Configure-Ack). */
void ppp_opt_copy(struct wr *w, const struct ppp_opt *o);
/* Write an option with a value of n bytes. */
void ppp_opt_put(struct wr *w, uint8_t type, const void *val, size_t n);
void ppp_opt_put_u16(struct wr *w, uint8_t type, uint16_t v);
void ppp_opt_put_u32(struct wr *w, uint8_t type, uint32_t v);

/* The value as an exact-size integer; false when the size differs. */
bool ppp_opt_u16(const struct ppp_opt *o, uint16_t *v);
bool ppp_opt_u32(const struct ppp_opt *o, uint32_t *v);

/*
 * The reply to a Configure-Request is built in two lists at once: the
 * options to Reject and those to Nak; Reject wins (spec/ppp.md 1.10).
 */
struct ppp_reply {
	struct wr rej;
	struct wr nak;
	bool reject_naks; /* Max-Failure reached: Reject, don't Nak */
	size_t naks_before; /* Nak list length when the option began */
	uint32_t seen[256 / 32]; /* option types met so far */
	uint8_t rej_buf[1500];
	uint8_t nak_buf[1500];
};

void ppp_reply_init(struct ppp_reply *r, bool reject_naks);
/*
 * Begin handling option o.  False when its type came before in this
 * request: the repeat is Rejected (trap 5: never a Nak loop) and skipped.
 */
bool ppp_reply_begin(struct ppp_reply *r, const struct ppp_opt *o);
/* Done with o: after Max-Failure Naks, its Nak becomes a Reject. */
void ppp_reply_end(struct ppp_reply *r, const struct ppp_opt *o);
/* The FSM code for the reply (FSM_CONFACK/NAK/REJ), options into out. */
int ppp_reply_finish(struct ppp_reply *r, struct wr *out);

#endif

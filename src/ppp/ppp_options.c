#include "ppp/ppp_options.h"

#include <string.h>

#include "ppp/fsm.h"

enum ppp_err
ppp_opt_next(struct rd *r, struct ppp_opt *o)
{
	struct rd start = *r;

	if (!rd_u8(r, &o->type) || !rd_u8(r, &o->len) || o->len < 2 ||
	    !rd_sub(r, o->len - 2u, &o->val)) {
		*r = start;
		return PPP_E_OPTION_LENGTH;
	}
	o->raw = rd_ptr(&start);
	return PPP_OK;
}

bool
ppp_opts_valid(const uint8_t *opts, size_t len)
{
	struct ppp_opt o;
	struct rd r;

	rd_init(&r, opts, len);
	while (!rd_empty(&r))
		if (ppp_opt_next(&r, &o) != PPP_OK)
			return false;
	return true;
}

void
ppp_opt_copy(struct wr *w, const struct ppp_opt *o)
{
	wr_bytes(w, o->raw, o->len);
}

void
ppp_opt_put(struct wr *w, uint8_t type, const void *val, size_t n)
{
	wr_u8(w, type);
	wr_u8(w, (uint8_t)(n + 2));
	wr_bytes(w, val, n);
}

void
ppp_opt_put_u16(struct wr *w, uint8_t type, uint16_t v)
{
	wr_u8(w, type);
	wr_u8(w, 4);
	wr_u16(w, v);
}

void
ppp_opt_put_u32(struct wr *w, uint8_t type, uint32_t v)
{
	wr_u8(w, type);
	wr_u8(w, 6);
	wr_u32(w, v);
}

bool
ppp_opt_u16(const struct ppp_opt *o, uint16_t *v)
{
	struct rd r = o->val;

	return rd_left(&r) == 2 && rd_u16(&r, v);
}

bool
ppp_opt_u32(const struct ppp_opt *o, uint32_t *v)
{
	struct rd r = o->val;

	return rd_left(&r) == 4 && rd_u32(&r, v);
}

void
ppp_reply_init(struct ppp_reply *r, bool reject_naks)
{
	wr_init(&r->rej, r->rej_buf, sizeof(r->rej_buf));
	wr_init(&r->nak, r->nak_buf, sizeof(r->nak_buf));
	r->reject_naks = reject_naks;
	r->naks_before = 0;
	memset(r->seen, 0, sizeof(r->seen));
}

bool
ppp_reply_begin(struct ppp_reply *r, const struct ppp_opt *o)
{
	uint32_t bit = 1u << (o->type % 32);

	if (r->seen[o->type / 32] & bit) {
		ppp_opt_copy(&r->rej, o);
		return false;
	}
	r->seen[o->type / 32] |= bit;
	r->naks_before = wr_len(&r->nak);
	return true;
}

void
ppp_reply_end(struct ppp_reply *r, const struct ppp_opt *o)
{
	/* spec/ppp.md 1.10: what would be Nak'd is Rejected instead. */
	if (r->reject_naks && wr_len(&r->nak) > r->naks_before) {
		r->nak.len = r->naks_before;
		ppp_opt_copy(&r->rej, o);
	}
}

int
ppp_reply_finish(struct ppp_reply *r, struct wr *out)
{
	/* Never mix Reject and Nak in one reply (spec/ppp.md 1.10). */
	if (wr_len(&r->rej) > 0 || !wr_ok(&r->rej)) {
		wr_bytes(out, r->rej_buf, wr_len(&r->rej));
		return FSM_CONFREJ;
	}
	if (wr_len(&r->nak) > 0 || !wr_ok(&r->nak)) {
		wr_bytes(out, r->nak_buf, wr_len(&r->nak));
		return FSM_CONFNAK;
	}
	return FSM_CONFACK;
}

#include "ppp/chap_packet.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/hex.h"
#include "ppp/ppp_frame.h"

static bool
alg_known(uint8_t alg)
{
	return alg == CHAP_ALG_MD5 || alg == CHAP_ALG_MSCHAPV2;
}

/*
 * trap 12: Value-Size is fixed by the method except for an MD5 Challenge;
 * RFC 1994 4.1 leaves no room for an empty value.
 */
static enum ppp_err
value_size_check(uint8_t alg, bool response, size_t len)
{
	size_t want;

	if (len == 0 || len > CHAP_VALUE_MAX)
		return PPP_E_VALUE_SIZE;
	if (alg == CHAP_ALG_MSCHAPV2)
		want = response ? CHAP_MS_VALUE_LEN : CHAP_MS_CHALLENGE_LEN;
	else if (response)
		want = CHAP_MD5_VALUE_LEN;
	else
		return PPP_OK;
	return len == want ? PPP_OK : PPP_E_VALUE_SIZE;
}

/* RFC 2759 4: Peer-Challenge Reserved NT-Response Flags; Reserved is
 * ignored, a non-zero Flags byte kept (trap 13: pppd tolerates Win98's). */
static void
ms_value_split(const uint8_t *value, struct chap_ms_value *ms)
{
	struct rd r;

	rd_init(&r, value, CHAP_MS_VALUE_LEN);
	rd_bytes(&r, ms->peer_challenge, sizeof(ms->peer_challenge));
	rd_skip(&r, CHAP_MS_RESERVED_LEN);
	rd_bytes(&r, ms->nt_response, sizeof(ms->nt_response));
	rd_u8(&r, &ms->flags);
}

enum ppp_err
chap_value_name_decode(
    struct rd *r, uint8_t alg, bool response, struct chap_value_name *vn)
{
	enum ppp_err err;
	uint8_t size;

	memset(vn, 0, sizeof(*vn));
	if (!alg_known(alg))
		return PPP_E_INVALID;
	if (!rd_u8(r, &size))
		return PPP_E_LENGTH;
	vn->value_len = size;
	if (!rd_view(r, size, &vn->value))
		return PPP_E_FIELD_LENGTH;
	if ((err = value_size_check(alg, response, size)) != PPP_OK)
		return err;
	/* RFC 1994 4.1: the Name is everything after the Value. */
	vn->name_len = rd_left(r);
	rd_view(r, vn->name_len, &vn->name);
	if (alg == CHAP_ALG_MSCHAPV2 && response)
		ms_value_split(vn->value, &vn->ms);
	return PPP_OK;
}

enum ppp_err
chap_value_name_encode(
    struct wr *w, uint8_t alg, bool response, const struct chap_value_name *vn)
{
	enum ppp_err err;

	if (!alg_known(alg))
		return PPP_E_INVALID;
	if (alg == CHAP_ALG_MSCHAPV2 && response) {
		wr_u8(w, CHAP_MS_VALUE_LEN);
		wr_bytes(w, vn->ms.peer_challenge, CHAP_MS_CHALLENGE_LEN);
		wr_zeros(w, CHAP_MS_RESERVED_LEN);
		wr_bytes(w, vn->ms.nt_response, CHAP_MS_NT_RESPONSE_LEN);
		wr_u8(w, vn->ms.flags);
	} else {
		if ((err = value_size_check(alg, response, vn->value_len)) !=
		    PPP_OK)
			return err;
		wr_u8(w, (uint8_t)vn->value_len);
		wr_bytes(w, vn->value, vn->value_len);
	}
	wr_bytes(w, vn->name, vn->name_len);
	return wr_ok(w) ? PPP_OK : PPP_E_NOSPACE;
}

bool
chap_code_is_password_change(uint8_t code)
{
	return code == CHAP_MSCHAPV1_CHANGE_PASSWORD_V1 ||
	    code == CHAP_MSCHAPV1_CHANGE_PASSWORD_V2 ||
	    code == CHAP_MSCHAPV2_CHANGE_PASSWORD;
}

enum ppp_err
chap_decode(struct rd *info, uint8_t alg, struct chap_packet *p)
{
	struct ppp_pkt pkt;
	enum ppp_err err;

	memset(p, 0, sizeof(*p));
	if (!alg_known(alg))
		return PPP_E_INVALID;
	if ((err = ppp_pkt_decode(info, &pkt)) != PPP_OK)
		return err;
	p->code = pkt.code;
	p->id = pkt.id;
	switch (pkt.code) {
	case CHAP_CHALLENGE:
	case CHAP_RESPONSE:
		return chap_value_name_decode(
		    &pkt.data, alg, pkt.code == CHAP_RESPONSE, &p->vn);
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
	case CHAP_MSCHAPV1_CHANGE_PASSWORD_V1:
	case CHAP_MSCHAPV1_CHANGE_PASSWORD_V2:
	case CHAP_MSCHAPV2_CHANGE_PASSWORD:
		p->msg_len = rd_left(&pkt.data);
		rd_view(&pkt.data, p->msg_len, &p->msg);
		return PPP_OK;
	default:
		return PPP_E_CODE;
	}
}

enum ppp_err
chap_encode(struct wr *w, uint8_t alg, const struct chap_packet *p)
{
	enum ppp_err err = PPP_OK;
	size_t start;

	if (!alg_known(alg))
		return PPP_E_INVALID;
	if (p->code < CHAP_CHALLENGE || p->code > CHAP_MSCHAPV2_CHANGE_PASSWORD)
		return PPP_E_CODE;
	start = ppp_pkt_begin(w, p->code, p->id);
	if (p->code == CHAP_CHALLENGE || p->code == CHAP_RESPONSE)
		err = chap_value_name_encode(
		    w, alg, p->code == CHAP_RESPONSE, &p->vn);
	else
		wr_bytes(w, p->msg, p->msg_len);
	if (err != PPP_OK)
		return err;
	if (!wr_ok(w))
		return PPP_E_NOSPACE;
	if (wr_len(w) - start > UINT16_MAX)
		return PPP_E_INVALID;
	ppp_pkt_end(w, start);
	return PPP_OK;
}

/* Read exactly 2 * n hex digits, either case, into out[n]. */
static bool
hex_decode(struct rd *r, uint8_t *out, size_t n)
{
	uint8_t hi, lo;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!rd_u8(r, &hi) || !rd_u8(r, &lo) || hex_digit(hi) < 0 ||
		    hex_digit(lo) < 0)
			return false;
		out[i] = (uint8_t)(hex_digit(hi) << 4 | hex_digit(lo));
	}
	return true;
}

static void
hex_encode(struct wr *w, const uint8_t *in, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		wr_u8(w, (uint8_t)digits[in[i] >> 4]);
		wr_u8(w, (uint8_t)digits[in[i] & 0x0f]);
	}
}

/* Consume lit from r if r starts with it. */
static bool
rd_literal(struct rd *r, const char *lit)
{
	size_t n = strlen(lit);
	const uint8_t *v;
	struct rd t = *r;

	if (!rd_view(&t, n, &v) || memcmp(v, lit, n) != 0)
		return false;
	*r = t;
	return true;
}

/* "S=" and 40 hex digits, nothing else. */
static bool
auth_resp_valid(const uint8_t *auth_resp)
{
	uint8_t digest[CHAP_MS_AUTH_RESP_DIGITS / 2];
	struct rd r;

	rd_init(&r, auth_resp, CHAP_MS_AUTH_RESP_LEN);
	return rd_literal(&r, "S=") && hex_decode(&r, digest, sizeof(digest));
}

enum ppp_err
chap_ms_success_parse(
    const uint8_t *text, size_t len, struct chap_ms_success *s)
{
	struct rd r;

	memset(s, 0, sizeof(*s));
	rd_init(&r, text, len);
	if (!rd_view(&r, CHAP_MS_AUTH_RESP_LEN, &s->auth_resp) ||
	    !auth_resp_valid(s->auth_resp))
		return PPP_E_MESSAGE;
	if (rd_empty(&r))
		return PPP_OK;
	/* pppd: anything after the digits but " M=" is malformed. */
	if (!rd_literal(&r, " M="))
		return PPP_E_MESSAGE;
	s->has_msg = true;
	s->msg_len = rd_left(&r);
	rd_view(&r, s->msg_len, &s->msg);
	return PPP_OK;
}

enum ppp_err
chap_ms_success_build(struct wr *w, const struct chap_ms_success *s)
{
	if (s->auth_resp == NULL || !auth_resp_valid(s->auth_resp))
		return PPP_E_INVALID;
	wr_bytes(w, s->auth_resp, CHAP_MS_AUTH_RESP_LEN);
	if (s->has_msg) {
		wr_str(w, " M=");
		wr_bytes(w, s->msg, s->msg_len);
	}
	return wr_ok(w) ? PPP_OK : PPP_E_NOSPACE;
}

/* Split off the bytes up to the next space (or the end) as word. */
static void
next_word(struct rd *r, struct rd *word)
{
	struct rd scan = *r;
	size_t n = 0;
	uint8_t c;

	while (rd_u8(&scan, &c) && c != ' ')
		n++;
	rd_sub(r, n, word);
}

static void
skip_spaces(struct rd *r)
{
	while (rd_literal(r, " "))
		;
}

/* 1 to 10 decimal digits, at most UINT32_MAX. */
static bool
decimal_parse(struct rd *word, uint32_t *v)
{
	uint64_t acc = 0;
	uint8_t c;

	if (rd_empty(word) || rd_left(word) > 10)
		return false;
	while (rd_u8(word, &c)) {
		if (c < '0' || c > '9')
			return false;
		acc = acc * 10 + (uint64_t)(c - '0');
	}
	if (acc > UINT32_MAX)
		return false;
	*v = (uint32_t)acc;
	return true;
}

/* R=: "0" or "1". */
static bool
retry_parse(struct rd *word, bool *retry)
{
	*retry = rd_literal(word, "1");
	if (!*retry && !rd_literal(word, "0"))
		return false;
	return rd_empty(word);
}

/* One X=value token other than M=; unknown letters are skipped. */
static enum ppp_err
failure_token(uint8_t key, struct rd *word, struct chap_ms_failure *f)
{
	bool *seen, ok;

	switch (key) {
	case 'E':
		seen = &f->has_error;
		ok = decimal_parse(word, &f->error);
		break;
	case 'R':
		seen = &f->has_retry;
		ok = retry_parse(word, &f->retry);
		break;
	case 'C':
		seen = &f->has_challenge;
		ok = hex_decode(word, f->challenge, sizeof(f->challenge)) &&
		    rd_empty(word);
		break;
	case 'V':
		seen = &f->has_version;
		ok = decimal_parse(word, &f->version);
		break;
	default:
		return PPP_OK;
	}
	if (!ok || *seen)
		return PPP_E_MESSAGE;
	*seen = true;
	return PPP_OK;
}

enum ppp_err
chap_ms_failure_parse(
    const uint8_t *text, size_t len, struct chap_ms_failure *f)
{
	struct rd r, word;
	enum ppp_err err;
	uint8_t key, eq;

	memset(f, 0, sizeof(*f));
	rd_init(&r, text, len);
	for (;;) {
		skip_spaces(&r);
		if (rd_empty(&r))
			return PPP_OK;
		if (!rd_u8(&r, &key) || !rd_u8(&r, &eq) || eq != '=')
			return PPP_E_MESSAGE;
		if (key == 'M') {
			/* RFC 2759 6: the message is last and may hold
			 * spaces. */
			f->has_msg = true;
			f->msg_len = rd_left(&r);
			rd_view(&r, f->msg_len, &f->msg);
			return PPP_OK;
		}
		next_word(&r, &word);
		if ((err = failure_token(key, &word, f)) != PPP_OK)
			return err;
	}
}

/* Write " " between tokens, none before the first. */
static void
token_start(struct wr *w, size_t start, const char *key)
{
	if (wr_len(w) > start)
		wr_u8(w, ' ');
	wr_str(w, key);
}

static void
decimal_write(struct wr *w, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%" PRIu32, v);
	wr_str(w, buf);
}

enum ppp_err
chap_ms_failure_build(struct wr *w, const struct chap_ms_failure *f)
{
	size_t start = wr_len(w);

	if (f->has_error) {
		token_start(w, start, "E=");
		decimal_write(w, f->error);
	}
	if (f->has_retry) {
		token_start(w, start, "R=");
		wr_u8(w, f->retry ? '1' : '0');
	}
	if (f->has_challenge) {
		token_start(w, start, "C=");
		hex_encode(w, f->challenge, sizeof(f->challenge));
	}
	if (f->has_version) {
		token_start(w, start, "V=");
		decimal_write(w, f->version);
	}
	if (f->has_msg) {
		token_start(w, start, "M=");
		wr_bytes(w, f->msg, f->msg_len);
	}
	return wr_ok(w) ? PPP_OK : PPP_E_NOSPACE;
}

/*
 * The async HDLC codec: whatever the bytes and however they are cut into
 * chunks, decoding is total and gives what decoding them in one piece
 * gives; every frame re-encodes and decodes back to itself, and so do
 * the input bytes taken as one frame.
 *
 * Input: receive ACCM (4, big-endian), max frame selector (1), chunking
 * seed (1), then the byte stream.
 */
#include <stdlib.h>
#include <string.h>

#include "ppp/hdlc.h"

#define HDR_LEN	  6
#define MAX_FRAME 2048

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Frames as 2-byte length + bytes. */
struct rec {
	uint8_t *data;
	size_t len;
	size_t cap;
};

static void
rec_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct rec *r = arg;

	if (len < 2 || r->len + 2 + len > r->cap)
		abort();
	r->data[r->len++] = (uint8_t)(len >> 8);
	r->data[r->len++] = (uint8_t)len;
	memcpy(r->data + r->len, frame, len);
	r->len += len;
}

/* Encode with accm and decode back: exactly this frame, nothing else. */
static void
check_roundtrip(
    const uint8_t *frame, size_t len, size_t max_frame, uint32_t accm)
{
	uint8_t out[HDLC_ENCODED_MAX(MAX_FRAME)], back[2 + MAX_FRAME];
	uint8_t *buf;
	struct hdlc_decoder d;
	struct rec r = { back, 0, sizeof(back) };
	struct wr w;

	wr_init(&w, out, sizeof(out));
	if (hdlc_encode(&w, frame, len, accm) != PPP_OK)
		abort();
	if ((buf = malloc(HDLC_RXBUF_LEN(max_frame))) == NULL)
		abort();
	hdlc_decoder_init(&d, buf, max_frame, accm);
	hdlc_decode(&d, out, wr_len(&w), rec_frame, &r);
	free(buf);
	if (d.stats.frames != 1 || r.len != 2 + len ||
	    memcmp(back + 2, frame, len) != 0)
		abort();
}

struct whole {
	struct rec r;
	size_t max_frame;
	uint32_t accm;
};

static void
whole_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct whole *w = arg;

	if (len > w->max_frame)
		abort();
	check_roundtrip(frame, len, w->max_frame, w->accm);
	rec_frame(&w->r, frame, len);
}

static struct hdlc_stats
decode(const uint8_t *p, size_t n, size_t max_frame, uint32_t accm,
    unsigned int seed, void (*cb)(void *, const uint8_t *, size_t), void *arg)
{
	struct hdlc_decoder d;
	uint8_t *buf;
	size_t i, chunk;

	/* Exactly the size the API asks for, so ASan sees any overrun. */
	if ((buf = malloc(HDLC_RXBUF_LEN(max_frame))) == NULL)
		abort();
	hdlc_decoder_init(&d, buf, max_frame, accm);
	for (i = 0; i < n; i += chunk) {
		chunk = n - i;
		if (seed != 0) {
			seed = seed * 1103515245u + 12345u;
			chunk = 1 + (seed >> 16) % (seed & 0x100 ? 3 : 97);
			if (chunk > n - i)
				chunk = n - i;
		}
		hdlc_decode(&d, p + i, chunk, cb, arg);
	}
	free(buf);
	return d.stats;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hdlc_stats one, cut;
	struct whole w;
	struct rec r;
	size_t n, max_frame;
	uint32_t accm;
	unsigned int seed;

	if (size < HDR_LEN)
		return 0;
	accm = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
	    (uint32_t)data[2] << 8 | data[3];
	max_frame = data[4] == 0xff ? MAX_FRAME : 2 + (size_t)data[4] * 8;
	seed = data[5] | 0x10000;
	data += HDR_LEN;
	n = size - HDR_LEN;

	w.r.cap = r.cap = n + 2;
	w.r.len = r.len = 0;
	w.max_frame = max_frame;
	w.accm = accm;
	if ((w.r.data = malloc(w.r.cap)) == NULL ||
	    (r.data = malloc(r.cap)) == NULL)
		abort();
	one = decode(data, n, max_frame, accm, 0, whole_frame, &w);
	cut = decode(data, n, max_frame, accm, seed, rec_frame, &r);
	if (memcmp(&one, &cut, sizeof(one)) != 0 || r.len != w.r.len ||
	    memcmp(r.data, w.r.data, r.len) != 0)
		abort();
	free(r.data);
	free(w.r.data);

	if (n >= 2 && n <= MAX_FRAME)
		check_roundtrip(data, n, MAX_FRAME, accm);
	return 0;
}

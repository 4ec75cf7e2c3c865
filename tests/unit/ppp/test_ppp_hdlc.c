#include <string.h>

#include "ppp/hdlc.h"
#include "ppp/ppp_frame.h"
#include "test_run.h"

/* spec/ppp.md 10.3, vector A: LCP Configure-Request, FCS 0xDA3A. */
#define VEC_A                                                                  \
	"FF 03 C0 21 01 01 00 14 01 04 05 DC 02 06 00 00 00 00 05 06 12 34 "   \
	"56 78"
#define VEC_A_FFFFFFFF                                                          \
	"7E FF 7D 23 C0 21 7D 21 7D 21 7D 20 7D 34 7D 21 7D 24 7D 25 DC 7D 22 " \
	"7D 26 7D 20 7D 20 7D 20 7D 20 7D 25 7D 26 7D 32 34 56 78 3A DA 7E"
/* Vector B: IPv4 with a 7E and a 7D inside, FCS 0xDF09. */
#define VEC_B	       "FF 03 00 21 45 00 7E 7D 03 11"
#define VEC_B_00000000 "7E FF 03 00 21 45 00 7D 5E 7D 5D 03 11 09 DF 7E"
#define VEC_B_FFFFFFFF                                                         \
	"7E FF 7D 23 7D 20 21 45 7D 20 7D 5E 7D 5D 7D 23 7D 31 7D 29 DF "      \
	"7E"

#define MAX_FRAME 1600
#define REC_CAP	  65536

/* Every frame the decoder delivered, as 2-byte length + bytes. */
struct rec {
	uint8_t data[REC_CAP];
	size_t len;
	size_t count;
};

static void
rec_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct rec *r = arg;

	assert_true(len >= 2);
	assert_true(r->len + 2 + len <= sizeof(r->data));
	r->data[r->len++] = (uint8_t)(len >> 8);
	r->data[r->len++] = (uint8_t)len;
	memcpy(r->data + r->len, frame, len);
	r->len += len;
	r->count++;
}

/* Decode a whole stream in one call into r, return the counters. */
static struct hdlc_stats
decode_all(
    const uint8_t *p, size_t n, size_t max_frame, uint32_t accm, struct rec *r)
{
	static uint8_t buf[HDLC_RXBUF_LEN(8192)];
	struct hdlc_decoder d;

	assert_true(max_frame <= 8192);
	memset(r, 0, sizeof(*r));
	hdlc_decoder_init(&d, buf, max_frame, accm);
	hdlc_decode(&d, p, n, rec_frame, r);
	return d.stats;
}

static size_t
decode_hex_count(const char *hex, uint32_t accm, struct hdlc_stats *st)
{
	static struct rec r;
	uint8_t in[512];
	size_t n = test_hex(hex, in, sizeof(in));

	*st = decode_all(in, n, MAX_FRAME, accm, &r);
	return r.count;
}

static size_t
encode(
    const uint8_t *frame, size_t len, uint32_t accm, uint8_t *out, size_t cap)
{
	struct wr w;

	wr_init(&w, out, cap);
	assert_int_equal(hdlc_encode(&w, frame, len, accm), PPP_OK);
	return wr_len(&w);
}

/* Bit by bit, RFC 1662 C.2's definition, for checking the tables. */
static uint16_t
fcs16_bitwise(uint16_t fcs, const uint8_t *p, size_t len)
{
	size_t i;
	int b;

	for (i = 0; i < len; i++) {
		fcs ^= p[i];
		for (b = 0; b < 8; b++)
			fcs = (fcs & 1) ? (uint16_t)(fcs >> 1 ^ 0x8408)
					: (uint16_t)(fcs >> 1);
	}
	return fcs;
}

static uint32_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

static void
rnd_bytes(uint64_t *s, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd(s);
}

/* --- failures first --- */

static void
encode_reports_a_full_buffer(void **state)
{
	uint8_t frame[64], want[64], out[64];
	size_t flen = test_hex(VEC_A, frame, sizeof(frame));
	size_t n = test_hex(VEC_A_FFFFFFFF, want, sizeof(want));
	size_t cap, i;
	struct wr w;

	(void)state;
	/* Every size short of the exact encoding fails, leaves the length
	 * alone and never writes past its capacity. */
	for (cap = 0; cap < n; cap++) {
		memset(out, 0xaa, sizeof(out));
		wr_init(&w, out, cap);
		assert_int_equal(
		    hdlc_encode(&w, frame, flen, HDLC_ACCM_DEFAULT),
		    PPP_E_NOSPACE);
		assert_int_equal(wr_len(&w), 0);
		assert_false(wr_ok(&w));
		for (i = cap; i < sizeof(out); i++)
			assert_int_equal(out[i], 0xaa);
	}
	wr_init(&w, out, n);
	assert_int_equal(
	    hdlc_encode(&w, frame, flen, HDLC_ACCM_DEFAULT), PPP_OK);
	assert_int_equal(wr_len(&w), n);
	assert_memory_equal(out, want, n);
	/* A writer that already overflowed stays refused. */
	assert_int_equal(hdlc_encode(&w, frame, flen, 0), PPP_E_NOSPACE);
	assert_int_equal(wr_len(&w), n);
	assert_true(HDLC_ENCODED_MAX(flen) >= n);
}

static void
encode_fits_the_worst_case_bound(void **state)
{
	uint8_t frame[100], out[HDLC_ENCODED_MAX(100)];
	struct wr w;

	(void)state;
	/* Every frame byte escaped: 204 to 206 bytes, the bound 206. */
	memset(frame, HDLC_FLAG, sizeof(frame));
	frame[98] = 0x11;
	frame[99] = 0x7d;
	wr_init(&w, out, sizeof(out));
	assert_int_equal(
	    hdlc_encode(&w, frame, sizeof(frame), HDLC_ACCM_DEFAULT), PPP_OK);
	assert_true(wr_len(&w) >= 2 + 200 + 2);
	assert_true(wr_len(&w) <= sizeof(out));
	wr_init(&w, out, 2 + 200 + 1);
	assert_int_equal(
	    hdlc_encode(&w, frame, sizeof(frame), HDLC_ACCM_DEFAULT),
	    PPP_E_NOSPACE);
}

static void
decode_drops_bad_fcs(void **state)
{
	uint8_t in[64];
	size_t n = test_hex(VEC_B_00000000, in, sizeof(in));
	static struct rec r;
	struct hdlc_stats st;
	size_t i, bit;

	(void)state;
	/* Any single flipped bit of data or FCS (that stays a plain byte). */
	for (i = 1; i < n - 1; i++) {
		for (bit = 0; bit < 8; bit++) {
			uint8_t save = in[i], c = in[i] ^ (uint8_t)(1u << bit);

			if (c == HDLC_FLAG || c == HDLC_ESC ||
			    save == HDLC_ESC ||
			    (i > 0 && in[i - 1] == HDLC_ESC))
				continue;
			in[i] = c;
			st = decode_all(in, n, MAX_FRAME, 0, &r);
			in[i] = save;
			assert_int_equal(r.count, 0);
			assert_int_equal(st.fcs, 1);
			assert_int_equal(st.frames, 0);
		}
	}
	st = decode_all(in, n, MAX_FRAME, 0, &r);
	assert_int_equal(r.count, 1);
	assert_int_equal(st.fcs, 0);
}

static void
decode_drops_truncated_frames(void **state)
{
	uint8_t in[64];
	size_t n = test_hex(VEC_A_FFFFFFFF, in, sizeof(in));
	static struct rec r;
	struct hdlc_stats st;
	size_t cut;
	uint8_t keep;

	(void)state;
	/* The encoding cut short anywhere and closed by a flag. */
	for (cut = 2; cut < n - 1; cut++) {
		keep = in[cut];
		in[cut] = HDLC_FLAG;
		st = decode_all(in, cut + 1, MAX_FRAME, HDLC_ACCM_DEFAULT, &r);
		in[cut] = keep;
		assert_int_equal(r.count, 0);
		assert_int_equal(st.frames, 0);
		assert_int_equal(st.fcs + st.runt + st.aborted, 1);
		/* After a 7D, the closing flag aborts. */
		assert_int_equal(st.aborted, in[cut - 1] == HDLC_ESC);
	}
	/* Without its closing flag, a frame is never delivered. */
	st = decode_all(in, n - 1, MAX_FRAME, HDLC_ACCM_DEFAULT, &r);
	assert_int_equal(r.count, 0);
}

static void
decode_drops_too_long_frames(void **state)
{
	uint8_t frame[40], stream[4 * HDLC_ENCODED_MAX(40)];
	static struct rec r;
	struct hdlc_stats st;
	size_t n;

	(void)state;
	memset(frame, 0x55, sizeof(frame));
	frame[0] = PPP_ADDRESS;
	frame[1] = PPP_CONTROL;
	/* 40 bytes: too long for 39, exactly right for 40. */
	n = encode(frame, 40, 0, stream, sizeof(stream));
	n += encode(frame, 39, 0, stream + n, sizeof(stream) - n);
	st = decode_all(stream, n, 39, 0, &r);
	assert_int_equal(st.too_long, 1);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.data[1], 39);
	st = decode_all(stream, n, 40, 0, &r);
	assert_int_equal(st.too_long, 0);
	assert_int_equal(r.count, 2);
	/* Escaped bytes count once: 40 bytes of 7E are 40, not 80. */
	memset(frame + 2, HDLC_FLAG, sizeof(frame) - 2);
	n = encode(frame, 40, HDLC_ACCM_DEFAULT, stream, sizeof(stream));
	st = decode_all(stream, n, 40, HDLC_ACCM_DEFAULT, &r);
	assert_int_equal(r.count, 1);
	st = decode_all(stream, n, 39, HDLC_ACCM_DEFAULT, &r);
	assert_int_equal(st.too_long, 1);
	/* A flagless flood stays within the buffer (ASan) and delivers
	 * nothing until a flag; then it counts once. */
	memset(stream, 0x41, sizeof(stream));
	st = decode_all(stream, sizeof(stream), 4, 0, &r);
	assert_int_equal(r.count, 0);
	assert_int_equal(st.too_long, 0);
	stream[sizeof(stream) - 1] = HDLC_FLAG;
	st = decode_all(stream, sizeof(stream), 4, 0, &r);
	assert_int_equal(st.too_long, 1);
}

static void
decode_drops_aborted_frames(void **state)
{
	struct hdlc_stats st;

	(void)state;
	/* RFC 1662 4.3: 7D then the closing flag; the next frame is fine. */
	assert_int_equal(
	    decode_hex_count("7E FF 03 00 21 45 00 7D 7E FF 03 00 21 45 00 7D "
			     "5E 7D 5D 03 11 09 DF 7E",
		0, &st),
	    1);
	assert_int_equal(st.aborted, 1);
	assert_int_equal(st.fcs + st.runt + st.too_long, 0);
	assert_int_equal(decode_hex_count("7E 7D 7E 7E", 0, &st), 0);
	assert_int_equal(st.aborted, 1);
	/* A complete frame with 7D before its flag: aborted, not FCS. */
	assert_int_equal(decode_hex_count("7E FF 03 00 21 45 00 7D 5E 7D 5D "
					  "03 11 09 DF 7D 7E",
			     0, &st),
	    0);
	assert_int_equal(st.aborted, 1);
	assert_int_equal(st.fcs, 0);
}

static void
decode_drops_runts(void **state)
{
	struct hdlc_stats st;

	(void)state;
	assert_int_equal(decode_hex_count("7E 01 7E 01 02 7E 01 02 03 7E "
					  "7D 21 7D 22 7D 23 7E",
			     0, &st),
	    0);
	assert_int_equal(st.runt, 4);
	assert_int_equal(st.fcs + st.aborted + st.too_long, 0);
	/* Idle flags are no frames at all (RFC 1662 3.1). */
	assert_int_equal(decode_hex_count("7E 7E 7E 7E 7E", 0, &st), 0);
	assert_int_equal(st.runt + st.fcs + st.aborted + st.too_long, 0);
	/* Four bytes is the minimum: FF 03 and its FCS 0xC21C pass, three
	 * bytes with a right FCS do not. */
	assert_int_equal(decode_hex_count("7E FF 03 1C C2 7E", 0, &st), 1);
	assert_int_equal(st.frames, 1);
	assert_int_equal(decode_hex_count("7E 03 1C C2 7E", 0, &st), 0);
	assert_int_equal(st.runt, 1);
}

static void
decode_delivers_the_shortest_frame(void **state)
{
	const uint8_t frame[2] = { 0xc0, 0x21 };
	uint8_t out[16];
	static struct rec r;
	struct hdlc_stats st;
	size_t n;

	(void)state;
	n = encode(frame, sizeof(frame), 0, out, sizeof(out));
	st = decode_all(out, n, MAX_FRAME, 0, &r);
	assert_int_equal(st.frames, 1);
	assert_int_equal(r.len, 4);
	assert_memory_equal(r.data + 2, frame, 2);
	/* Below that the encoder still frames it; the decoder calls it a
	 * runt. */
	n = encode(frame, 1, 0, out, sizeof(out));
	st = decode_all(out, n, MAX_FRAME, 0, &r);
	assert_int_equal(st.runt, 1);
	n = encode(frame, 0, 0, out, sizeof(out));
	assert_int_equal(n, 4);
	st = decode_all(out, n, MAX_FRAME, 0, &r);
	assert_int_equal(st.runt, 1);
}

static void
decode_drops_control_bytes_in_its_accm(void **state)
{
	struct hdlc_stats st;
	static struct rec r;
	uint8_t want[16];
	size_t n = test_hex(VEC_B, want, sizeof(want));
	/* Vector B, ACCM 0, with XON (11) and XOFF (13) inserted by the
	 * line, one between a 7D and the byte it escapes. */
	const char *noisy = "7E 11 FF 03 00 21 13 45 00 7D 11 5E 7D 5D 03 "
			    "11 09 DF 13 7E";
	uint8_t in[64];
	size_t m = test_hex(noisy, in, sizeof(in));

	(void)state;
	/* Map 0: the inserted bytes are data and break the FCS. */
	st = decode_all(in, m, MAX_FRAME, 0, &r);
	assert_int_equal(st.fcs, 1);
	assert_int_equal(r.count, 0);
	/* Map with 11 and 13: dropped, but so is the frame's own 11,
	 * which the sender should have escaped. */
	st = decode_all(in, m, MAX_FRAME, 0x000a0000, &r);
	assert_int_equal(st.fcs, 1);
	/* Escaped, the frame's own 11 survives the map. */
	m = test_hex("7E 11 FF 03 00 21 13 45 00 7D 11 5E 7D 5D 03 7D 31 09 "
		     "DF 13 7E",
	    in, sizeof(in));
	st = decode_all(in, m, MAX_FRAME, 0x000a0000, &r);
	assert_int_equal(st.frames, 1);
	assert_int_equal(r.data[1], n);
	assert_memory_equal(r.data + 2, want, n);
}

/* --- the FCS --- */

static void
fcs_check_value_and_residue(void **state)
{
	const char *check = "123456789";
	uint8_t frame[64], with_fcs[66];
	size_t n = test_hex(VEC_A, frame, sizeof(frame));
	uint16_t fcs;

	(void)state;
	/* CRC-16/X.25 check value: 0x906E after the complement. */
	fcs = hdlc_fcs16(HDLC_FCS_INIT, (const uint8_t *)check, 9);
	assert_int_equal(fcs ^ 0xffff, 0x906e);
	assert_int_equal(hdlc_fcs16(HDLC_FCS_INIT, frame, n) ^ 0xffff, 0xda3a);
	/* Data + FCS (low byte first) leave the good residue. */
	memcpy(with_fcs, frame, n);
	with_fcs[n] = 0x3a;
	with_fcs[n + 1] = 0xda;
	assert_int_equal(
	    hdlc_fcs16(HDLC_FCS_INIT, with_fcs, n + 2), HDLC_FCS_GOOD);
	n = test_hex(VEC_B "09 DF", with_fcs, sizeof(with_fcs));
	assert_int_equal(hdlc_fcs16(HDLC_FCS_INIT, with_fcs, n), HDLC_FCS_GOOD);
	with_fcs[n - 1] ^= 0x01;
	assert_int_not_equal(
	    hdlc_fcs16(HDLC_FCS_INIT, with_fcs, n), HDLC_FCS_GOOD);
}

static void
fcs_tables_match_the_bitwise_crc(void **state)
{
	uint8_t word[8], buf[300];
	uint64_t s = 0x9e3779b97f4a7c15ull;
	unsigned int i, pos, len, off;

	(void)state;
	/* RFC 1662 C.1's table: fcs from 0 over one byte is fcstab[b]. */
	word[0] = 1;
	assert_int_equal(hdlc_fcs16(0, word, 1), 0x1189);
	word[0] = 255;
	assert_int_equal(hdlc_fcs16(0, word, 1), 0x0f78);
	for (i = 0; i < 256; i++) {
		word[0] = (uint8_t)i;
		assert_int_equal(
		    hdlc_fcs16(0, word, 1), fcs16_bitwise(0, word, 1));
	}
	/* Each slice: one nonzero byte in a word of zeros. */
	for (pos = 0; pos < 8; pos++) {
		for (i = 0; i < 256; i++) {
			memset(word, 0, sizeof(word));
			word[pos] = (uint8_t)i;
			assert_int_equal(
			    hdlc_fcs16(0, word, 8), fcs16_bitwise(0, word, 8));
		}
	}
	/* Any length, any start, any running value. */
	rnd_bytes(&s, buf, sizeof(buf));
	for (len = 0; len < 40; len++) {
		for (off = 0; off < 9; off++) {
			uint16_t init = (uint16_t)rnd(&s);

			assert_int_equal(hdlc_fcs16(init, buf + off, len * 7),
			    fcs16_bitwise(init, buf + off, len * 7));
		}
	}
}

/* --- spec/ppp.md 10.3, byte-exact both ways --- */

static void
assert_vector(const char *frame_hex, uint32_t accm, const char *wire_hex)
{
	uint8_t frame[64], wire[128], out[128];
	size_t flen = test_hex(frame_hex, frame, sizeof(frame));
	size_t n = test_hex(wire_hex, wire, sizeof(wire));
	static struct rec r;
	struct hdlc_stats st;

	assert_int_equal(encode(frame, flen, accm, out, sizeof(out)), n);
	assert_memory_equal(out, wire, n);
	st = decode_all(wire, n, MAX_FRAME, accm, &r);
	assert_int_equal(st.frames, 1);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.len, 2 + flen);
	assert_memory_equal(r.data + 2, frame, flen);
}

static void
vector_a_lcp_configure_request(void **state)
{
	(void)state;
	assert_vector(VEC_A, HDLC_ACCM_DEFAULT, VEC_A_FFFFFFFF);
	assert_vector(VEC_A, 0,
	    "7E FF 03 C0 21 01 01 00 14 01 04 05 DC 02 06 00 00 00 00 05 06 "
	    "12 34 56 78 3A DA 7E");
}

static void
vector_b_ipv4_with_flag_and_escape(void **state)
{
	(void)state;
	assert_vector(VEC_B, 0, VEC_B_00000000);
	assert_vector(VEC_B, HDLC_ACCM_DEFAULT, VEC_B_FFFFFFFF);
}

static void
every_accm_bit_escapes_its_byte(void **state)
{
	uint8_t frame[4] = { 0xff, 0x7f, 0, 0x21 }, out[32];
	static struct rec r;
	struct hdlc_stats st;
	unsigned int c;
	size_t n;

	(void)state;
	for (c = 0; c < 32; c++) {
		frame[2] = (uint8_t)c;
		/* Bit c set: escaped; every other bit: sent as it is. */
		n = encode(frame, 4, 1u << c, out, sizeof(out));
		assert_int_equal(out[3], HDLC_ESC);
		assert_int_equal(out[4], c ^ HDLC_TRANS);
		assert_int_equal(out[5], 0x21);
		st = decode_all(out, n, MAX_FRAME, 1u << c, &r);
		assert_int_equal(st.frames, 1);
		assert_memory_equal(r.data + 2, frame, 4);
		n = encode(frame, 4, ~(1u << c), out, sizeof(out));
		assert_int_equal(out[3], c);
		assert_int_equal(out[4], 0x21);
		st = decode_all(out, n, MAX_FRAME, ~(1u << c), &r);
		assert_int_equal(st.frames, 1);
		assert_memory_equal(r.data + 2, frame, 4);
		/* Sent raw to a receiver with the bit set: dropped. */
		st = decode_all(out, n, MAX_FRAME, 1u << c, &r);
		assert_int_equal(st.frames, 0);
		assert_int_equal(st.fcs, 1);
	}
	/* 7D and 7E whatever the map; 20 and above never. */
	frame[2] = HDLC_ESC;
	encode(frame, 4, 0, out, sizeof(out));
	assert_int_equal(out[3], HDLC_ESC);
	assert_int_equal(out[4], 0x5d);
	frame[2] = HDLC_FLAG;
	encode(frame, 4, 0, out, sizeof(out));
	assert_int_equal(out[3], HDLC_ESC);
	assert_int_equal(out[4], 0x5e);
	frame[2] = 0x20;
	encode(frame, 4, HDLC_ACCM_DEFAULT, out, sizeof(out));
	assert_int_equal(out[3], 0x20);
	assert_int_equal(out[4], 0x21);
}

static void
roundtrip_random_frames_and_accms(void **state)
{
	static uint8_t frame[MAX_FRAME], out[HDLC_ENCODED_MAX(MAX_FRAME)];
	static struct rec r;
	uint64_t s = 0x0123456789abcdefull;
	struct hdlc_stats st;
	uint32_t tx, rx;
	size_t len, n;
	int i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		len = 2 + rnd(&s) % (MAX_FRAME - 1);
		if (i % 4 == 0)
			len = 2 + i % 40;
		rnd_bytes(&s, frame, len);
		/* Flags and escapes in bursts, controls often. */
		if (i % 3 == 0)
			memset(frame + len / 2, HDLC_FLAG - i % 2, len / 4);
		tx = i % 5 == 0 ? 0 : i % 5 == 1 ? HDLC_ACCM_DEFAULT : rnd(&s);
		/* The receiver may drop only what the sender escaped. */
		rx = i % 2 ? tx : tx & rnd(&s);
		n = encode(frame, len, tx, out, sizeof(out));
		assert_true(n <= HDLC_ENCODED_MAX(len));
		st = decode_all(out, n, MAX_FRAME, rx, &r);
		assert_int_equal(st.frames, 1);
		assert_int_equal(r.len, 2 + len);
		assert_memory_equal(r.data + 2, frame, len);
	}
}

/* --- the stream --- */

static void
back_to_back_frames_share_one_flag(void **state)
{
	uint8_t a[64], b[64], in[256];
	size_t alen = test_hex(VEC_A, a, sizeof(a));
	size_t blen = test_hex(VEC_B, b, sizeof(b));
	static struct rec r;
	struct hdlc_stats st;
	size_t n;

	(void)state;
	n = test_hex(VEC_A_FFFFFFFF, in, sizeof(in));
	/* Vector B's own opening flag dropped: A's closing flag opens it. */
	n += test_hex(&VEC_B_FFFFFFFF[3], in + n, sizeof(in) - n);
	st = decode_all(in, n, MAX_FRAME, HDLC_ACCM_DEFAULT, &r);
	assert_int_equal(st.frames, 2);
	assert_int_equal(r.len, 2 + alen + 2 + blen);
	assert_memory_equal(r.data + 2, a, alen);
	assert_memory_equal(r.data + 2 + alen + 2, b, blen);
	assert_int_equal(st.fcs + st.runt + st.aborted + st.too_long, 0);
}

/* A stream of good and bad frames, both maps. */
static size_t
mixed_stream(uint8_t *in, size_t cap)
{
	static uint8_t frame[1000];
	uint64_t s = 42;
	size_t n;

	n = test_hex(VEC_A_FFFFFFFF VEC_B_00000000
	    "7E 7E 7E" VEC_B_FFFFFFFF
	    "7E FF 03 00 21 45 00 7D 7E 01 7E 7E FF 03 00 21 45 7E",
	    in, cap);
	rnd_bytes(&s, frame, sizeof(frame));
	n += encode(frame, sizeof(frame), 0, in + n, cap - n);
	n += encode(frame, sizeof(frame), HDLC_ACCM_DEFAULT, in + n, cap - n);
	n += encode(frame, 300, 0, in + n, cap - n);
	in[n - 5] ^= 0x40; /* bad FCS */
	n += encode(frame, 2, 0, in + n, cap - n);
	return n;
}

static void
frame_split_at_every_byte_gives_the_same(void **state)
{
	static uint8_t in[8192], buf[HDLC_RXBUF_LEN(MAX_FRAME)];
	static struct rec whole, split;
	struct hdlc_stats want;
	struct hdlc_decoder d;
	size_t n = mixed_stream(in, sizeof(in)), k, i;

	(void)state;
	/* Receive map 0: the FFFFFFFF frames still decode (all escaped). */
	want = decode_all(in, n, MAX_FRAME, 0, &whole);
	assert_int_equal(want.frames, 6);
	assert_int_equal(want.aborted, 1);
	assert_int_equal(want.runt, 1);
	assert_int_equal(want.fcs, 2);
	for (k = 0; k <= n; k++) {
		memset(&split, 0, sizeof(split));
		hdlc_decoder_init(&d, buf, MAX_FRAME, 0);
		hdlc_decode(&d, in, k, rec_frame, &split);
		hdlc_decode(&d, in + k, n - k, rec_frame, &split);
		assert_int_equal(split.len, whole.len);
		assert_memory_equal(split.data, whole.data, whole.len);
		assert_memory_equal(&d.stats, &want, sizeof(want));
	}
	/* One byte at a time, and in chunks of 3. */
	memset(&split, 0, sizeof(split));
	hdlc_decoder_init(&d, buf, MAX_FRAME, 0);
	for (i = 0; i < n; i++)
		hdlc_decode(&d, in + i, 1, rec_frame, &split);
	assert_int_equal(split.len, whole.len);
	assert_memory_equal(split.data, whole.data, whole.len);
	assert_memory_equal(&d.stats, &want, sizeof(want));
	memset(&split, 0, sizeof(split));
	hdlc_decoder_init(&d, buf, MAX_FRAME, 0);
	for (i = 0; i < n; i += 3)
		hdlc_decode(
		    &d, in + i, n - i < 3 ? n - i : 3, rec_frame, &split);
	assert_memory_equal(split.data, whole.data, whole.len);
	assert_memory_equal(&d.stats, &want, sizeof(want));
}

static void
rec_frame_count(void *arg, const uint8_t *frame, size_t len)
{
	(void)frame;
	(void)len;
	(*(size_t *)arg)++;
}

struct accm_switch {
	struct hdlc_decoder *d;
	size_t count;
};

static void
switch_accm(void *arg, const uint8_t *frame, size_t len)
{
	struct accm_switch *a = arg;

	(void)frame;
	(void)len;
	a->count++;
	hdlc_decoder_set_accm(a->d, 0x000a0000);
}

static void
accm_change_in_callback_applies_next(void **state)
{
	static uint8_t buf[HDLC_RXBUF_LEN(64)];
	struct hdlc_decoder d;
	struct accm_switch a = { &d, 0 };
	uint8_t in[128];
	size_t n;

	(void)state;
	/* Vector B with map 0 (its 11 raw), then with an XON inserted and
	 * its 11 escaped: good only under the map set by the callback. */
	n = test_hex(VEC_B_00000000
	    "7E FF 03 11 00 21 45 00 7D 5E 7D 5D 03 7D 31 09 DF 7E",
	    in, sizeof(in));
	hdlc_decoder_init(&d, buf, 64, 0);
	hdlc_decode(&d, in, n, switch_accm, &a);
	assert_int_equal(a.count, 2);
	assert_int_equal(d.stats.fcs, 0);
	a.count = 0;
	hdlc_decoder_init(&d, buf, 64, 0);
	hdlc_decode(&d, in, n, rec_frame_count, &a.count);
	assert_int_equal(a.count, 1);
	assert_int_equal(d.stats.fcs, 1);
}

/* --- what is sent with which map --- */

static void
lcp_configure_request_uses_the_default_accm(void **state)
{
	uint8_t f[8] = { 0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4 };
	uint8_t frame[64], out[128], want[128];
	size_t flen = test_hex(VEC_A, frame, sizeof(frame));
	size_t n = test_hex(VEC_A_FFFFFFFF, want, sizeof(want));
	unsigned int code;

	(void)state;
	for (code = 0; code < 256; code++) {
		uint32_t want_accm =
		    code >= 1 && code <= 7 ? HDLC_ACCM_DEFAULT : 0x000a0000;

		f[4] = (uint8_t)code;
		assert_int_equal(hdlc_tx_accm(f, 8, 0x000a0000), want_accm);
		/* Without FF 03 (ACFC) too. */
		assert_int_equal(hdlc_tx_accm(f + 2, 6, 0x000a0000), want_accm);
	}
	/* Not LCP, or no code: the negotiated map. */
	f[4] = 1;
	f[3] = 0x23; /* PAP */
	assert_int_equal(hdlc_tx_accm(f, 8, 0), 0);
	f[2] = 0x80; /* IPCP Configure-Request */
	f[3] = 0x21;
	assert_int_equal(hdlc_tx_accm(f, 8, 0), 0);
	f[2] = 0xc0;
	assert_int_equal(hdlc_tx_accm(f, 4, 0), 0);
	assert_int_equal(hdlc_tx_accm(f, 0, 0), 0);
	/* Vector A with map 0 negotiated goes out with FFFFFFFF. */
	assert_int_equal(
	    encode(frame, flen, hdlc_tx_accm(frame, flen, 0), out, sizeof(out)),
	    n);
	assert_memory_equal(out, want, n);
}

/* spec/ppp.md 11 trap 17: FF 03 on every frame sent; received liberally. */
static void
ppp_trap_17_ff03_on_every_frame(void **state)
{
	const uint8_t full[6] = { 0xff, 0x03, 0xc0, 0x21, 0x09, 0x01 };
	const uint8_t acfc[4] = { 0xc0, 0x21, 0x09, 0x01 };
	const uint8_t pfc[4] = { 0xff, 0x03, 0x21, 0x45 };
	const uint8_t pfc_acfc[2] = { 0x21, 0x45 };
	const uint8_t even[4] = { 0xff, 0x03, 0xc0, 0x20 };
	const uint8_t even_acfc[2] = { 0x80, 0x20 };
	const uint8_t only_ff03[2] = { 0xff, 0x03 };
	uint8_t out[8];
	uint16_t proto;
	struct rd info;
	struct wr w;

	(void)state;
	/* Failures first: an even last protocol byte, no protocol. */
	assert_int_equal(ppp_frame_decode(even, sizeof(even), &proto, &info),
	    PPP_E_PROTOCOL);
	assert_int_equal(
	    ppp_frame_decode(even_acfc, sizeof(even_acfc), &proto, &info),
	    PPP_E_PROTOCOL);
	assert_int_equal(
	    ppp_frame_decode(only_ff03, sizeof(only_ff03), &proto, &info),
	    PPP_E_PROTOCOL);
	assert_int_equal(
	    ppp_frame_decode(full, 0, &proto, &info), PPP_E_PROTOCOL);
	/* 0x80 is even: a 2-byte protocol, and one byte is not enough. */
	assert_int_equal(
	    ppp_frame_decode(even_acfc, 1, &proto, &info), PPP_E_PROTOCOL);
	/* Sent: always FF 03 and two protocol bytes, even for 0x0021. */
	wr_init(&w, out, sizeof(out));
	ppp_frame_header(&w, PPP_PROTO_IPV4);
	assert_true(wr_ok(&w));
	assert_int_equal(wr_len(&w), PPP_HDR_LEN);
	assert_memory_equal(out, "\xff\x03\x00\x21", 4);
	wr_init(&w, out, sizeof(out));
	ppp_frame_header(&w, PPP_PROTO_LCP);
	assert_memory_equal(out, "\xff\x03\xc0\x21", 4);
	/* Received: with and without FF 03, 2- and 1-byte protocols. */
	assert_int_equal(
	    ppp_frame_decode(full, sizeof(full), &proto, &info), PPP_OK);
	assert_int_equal(proto, PPP_PROTO_LCP);
	assert_int_equal(rd_left(&info), 2);
	assert_int_equal(rd_ptr(&info)[0], 0x09);
	assert_int_equal(
	    ppp_frame_decode(acfc, sizeof(acfc), &proto, &info), PPP_OK);
	assert_int_equal(proto, PPP_PROTO_LCP);
	assert_int_equal(rd_left(&info), 2);
	assert_int_equal(
	    ppp_frame_decode(pfc, sizeof(pfc), &proto, &info), PPP_OK);
	assert_int_equal(proto, PPP_PROTO_IPV4);
	assert_int_equal(rd_left(&info), 1);
	assert_int_equal(rd_ptr(&info)[0], 0x45);
	assert_int_equal(
	    ppp_frame_decode(pfc_acfc, sizeof(pfc_acfc), &proto, &info),
	    PPP_OK);
	assert_int_equal(proto, PPP_PROTO_IPV4);
	assert_int_equal(rd_left(&info), 1);
	/* What HDLC delivers is what ppp_frame_decode takes. */
	assert_int_equal(hdlc_tx_accm(full, sizeof(full), 0), 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encode_reports_a_full_buffer),
		cmocka_unit_test(encode_fits_the_worst_case_bound),
		cmocka_unit_test(decode_drops_bad_fcs),
		cmocka_unit_test(decode_drops_truncated_frames),
		cmocka_unit_test(decode_drops_too_long_frames),
		cmocka_unit_test(decode_drops_aborted_frames),
		cmocka_unit_test(decode_drops_runts),
		cmocka_unit_test(decode_delivers_the_shortest_frame),
		cmocka_unit_test(decode_drops_control_bytes_in_its_accm),
		cmocka_unit_test(fcs_check_value_and_residue),
		cmocka_unit_test(fcs_tables_match_the_bitwise_crc),
		cmocka_unit_test(vector_a_lcp_configure_request),
		cmocka_unit_test(vector_b_ipv4_with_flag_and_escape),
		cmocka_unit_test(every_accm_bit_escapes_its_byte),
		cmocka_unit_test(roundtrip_random_frames_and_accms),
		cmocka_unit_test(back_to_back_frames_share_one_flag),
		cmocka_unit_test(frame_split_at_every_byte_gives_the_same),
		cmocka_unit_test(accm_change_in_callback_applies_next),
		cmocka_unit_test(lcp_configure_request_uses_the_default_accm),
		cmocka_unit_test(ppp_trap_17_ff03_on_every_frame),
	};

	return test_run(argc, argv, "ppp_hdlc", tests, ARRAY_LEN(tests));
}

/* Hex digits, for the parsers that read them. */
#ifndef OPENSSTP_BASE_HEX_H
#define OPENSSTP_BASE_HEX_H

/* The value of the hex digit c (either case): 0..15, or -1 if it is none. */
static inline int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif

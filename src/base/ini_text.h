/*
 * An INI text parsed by inih, one line at a time from memory, with the
 * refusals the server's config and the client's profiles share and their
 * errors as "NAME:LINE: why".
 */
#ifndef OPENSSTP_BASE_INI_TEXT_H
#define OPENSSTP_BASE_INI_TEXT_H

#include <ini.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * inih reads a line into a fixed buffer of INI_MAX_LINE bytes (with
 * "\r\n\0") and parses the rest of a longer line as a line of its own,
 * which could smuggle a key in; such lines are refused before inih sees
 * them.
 */
#define INI_TEXT_LINE_MAX (INI_MAX_LINE - 3)
#define INI_TEXT_ERR_MAX  384

struct ini_text {
	/* Set by the caller before ini_text_parse(): */
	/* is [name] (len bytes, not NUL-terminated) a known section? */
	bool (*section_ok)(const char *name, size_t len);
	/* appended to "unknown section [x]", e.g. " (only [client])" */
	const char *sections_hint;

	/* Kept by ini_text_parse() and ini_text_fail(): */
	const char *pos; /* the reader's place in the text */
	int line; /* the line inih has just read */
	bool failed;
	int err_line;
	char err[INI_TEXT_ERR_MAX];
};

/* The first failure wins: it is the one reported, at the current line. */
void ini_text_fail(struct ini_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Parse text, calling handler(arg, ...) as inih does; a handler that
 * fails calls ini_text_fail() and returns 0.  false with "NAME:LINE: why"
 * in err.  syntax_hint is the bracket part of the syntax error message,
 * e.g. "[section]".
 */
bool ini_text_parse(struct ini_text *t, const char *text, const char *name,
    ini_handler handler, void *arg, const char *syntax_hint, char *err,
    size_t errlen);

/* A space or a tab. */
bool ini_is_blank(char c);
/* A decimal number of only digits in [min, max]. */
bool ini_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);

#endif

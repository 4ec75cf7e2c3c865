#include "base/ini_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
ini_text_fail(struct ini_text *t, const char *fmt, ...)
{
	va_list ap;

	if (t->failed)
		return;
	t->failed = true;
	t->err_line = t->line;
	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
}

/*
 * inih's line source.  Counting lines here gives the handler its line
 * number (inih does not pass it), and lets lines that inih would
 * misread be refused with a clear reason.
 */
static char *
reader(char *str, int num, void *stream)
{
	struct ini_text *t = stream;
	const char *p = t->pos, *nl, *s, *end;
	size_t len, content;

	if (t->failed || *p == '\0')
		return NULL;
	t->line++;
	nl = strchr(p, '\n');
	len = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
	content = nl != NULL ? len - 1 : len;
	if (content > 0 && p[content - 1] == '\r')
		content--;
	if (content > INI_TEXT_LINE_MAX || len + 1 > (size_t)num) {
		ini_text_fail(
		    t, "line longer than %d bytes", INI_TEXT_LINE_MAX);
		return NULL;
	}
	memcpy(str, p, len);
	str[len] = '\0';
	t->pos += len;

	s = str;
	if (t->line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	if (ini_is_blank(*s)) {
		while (ini_is_blank(*s))
			s++;
		/* inih would take it as more of the value above. */
		if (*s != '\0' && *s != '\r' && *s != '\n' && *s != ';' &&
		    *s != '#') {
			ini_text_fail(t,
			    "indented line (continuation lines are "
			    "not supported)");
			return NULL;
		}
	}
	/* inih calls the handler only for keys: check sections here, so
	 * that an empty misspelt section is an error too. */
	if (*s == '[' && (end = strchr(s, ']')) != NULL &&
	    !t->section_ok(s + 1, (size_t)(end - s - 1))) {
		ini_text_fail(t, "unknown section [%.*s]%s",
		    (int)(end - s - 1) > 64 ? 64 : (int)(end - s - 1), s + 1,
		    t->sections_hint);
		return NULL;
	}
	return str;
}

bool
ini_text_parse(struct ini_text *t, const char *text, const char *name,
    ini_handler handler, void *arg, const char *syntax_hint, char *err,
    size_t errlen)
{
	int r;

	t->pos = text;
	t->line = 0;
	t->failed = false;
	t->err_line = 0;
	t->err[0] = '\0';
	r = ini_parse_stream(reader, t, handler, arg);
	if (r > 0 && (!t->failed || r < t->err_line))
		snprintf(err, errlen,
		    "%s:%d: syntax error (not \"key = value\" or \"%s\")", name,
		    r, syntax_hint);
	else if (t->failed)
		snprintf(err, errlen, "%s:%d: %s", name, t->err_line, t->err);
	else if (r != 0)
		snprintf(err, errlen, "%s: out of memory", name);
	return r == 0 && !t->failed;
}

bool
ini_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool
ini_parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return false;
	}
	if (v < min)
		return false;
	*out = (uint32_t)v;
	return true;
}

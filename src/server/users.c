#include "server/users.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "base/file.h"
#include "base/hex.h"

/* A name, a tab and the longest password, with room for spacing; a
 * longer line is a mistake (or not a users file at all). */
#define USERS_LINE_MAX 1024
/* Far beyond any real users file; stops a wrong path from eating memory. */
#define USERS_FILE_MAX (64u << 20)

struct parse {
	const char *name;
	char *err;
	size_t errlen;
	struct user_entry *v;
	size_t *lines; /* where each entry was, for duplicate errors */
	size_t n, cap;
};

static bool __attribute__((format(printf, 4, 5)))
fail(struct parse *ps, size_t line, bool with_line, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (ps->err == NULL || ps->errlen == 0)
		return false;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (with_line)
		snprintf(
		    ps->err, ps->errlen, "%s:%zu: %s", ps->name, line, why);
	else
		snprintf(ps->err, ps->errlen, "%s: %s", ps->name, why);
	return false;
}

static void
entries_free(struct user_entry *v, size_t cap)
{
	if (v == NULL)
		return;
	OPENSSL_cleanse(v, cap * sizeof(*v));
	free(v);
}

/* Grow by hand, not realloc: the old block holds secrets and must be
 * cleansed before it goes back to the allocator. */
static bool
grow(struct parse *ps)
{
	struct user_entry *nv;
	size_t *nl, ncap = ps->cap ? ps->cap * 2 : 16;

	nv = calloc(ncap, sizeof(*nv));
	nl = calloc(ncap, sizeof(*nl));
	if (nv == NULL || nl == NULL) {
		free(nv);
		free(nl);
		return false;
	}
	if (ps->n > 0) {
		memcpy(nv, ps->v, ps->n * sizeof(*nv));
		memcpy(nl, ps->lines, ps->n * sizeof(*nl));
	}
	entries_free(ps->v, ps->cap);
	free(ps->lines);
	ps->v = nv;
	ps->lines = nl;
	ps->cap = ncap;
	return true;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "nt:" and exactly 32 hex digits. */
static bool
parse_nt_hash(const char *s, size_t len, uint8_t out[16])
{
	size_t i;
	int hi, lo;

	if (len != 3 + 32 || strncmp(s, "nt:", 3) != 0)
		return false;
	for (i = 0; i < 16; i++) {
		hi = hex_digit(s[3 + 2 * i]);
		lo = hex_digit(s[3 + 2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static bool
parse_line(struct parse *ps, size_t lineno, const char *p, size_t len)
{
	struct user_entry *e;
	const char *name, *pw;
	size_t nlen, pwlen;

	if (len > 0 && p[len - 1] == '\r')
		len--;
	if (len > USERS_LINE_MAX)
		return fail(ps, lineno, true, "line longer than %d bytes",
		    USERS_LINE_MAX);
	if (memchr(p, '\0', len) != NULL)
		return fail(ps, lineno, true, "NUL byte in line");
	while (len > 0 && is_blank(*p)) {
		p++;
		len--;
	}
	while (len > 0 && is_blank(p[len - 1]))
		len--;
	if (len == 0 || *p == '#')
		return true;
	name = p;
	for (nlen = 0; nlen < len && !is_blank(name[nlen]); nlen++)
		;
	if (nlen > USERS_NAME_MAX)
		return fail(ps, lineno, true, "name longer than %d bytes",
		    USERS_NAME_MAX);
	pw = name + nlen;
	pwlen = len - nlen;
	while (pwlen > 0 && is_blank(*pw)) {
		pw++;
		pwlen--;
	}
	/* Never quote the line: the rest of it is a secret. */
	if (pwlen == 0)
		return fail(ps, lineno, true, "no password for user \"%.*s\"",
		    (int)nlen, name);
	if (ps->n == ps->cap && !grow(ps))
		return fail(ps, lineno, true, "out of memory");
	e = &ps->v[ps->n];
	memset(e, 0, sizeof(*e));
	memcpy(e->name, name, nlen);
	if (parse_nt_hash(pw, pwlen, e->nt_hash))
		e->has_nt_hash = true;
	else {
		if (pwlen > USERS_PASSWORD_MAX)
			return fail(ps, lineno, true,
			    "password of user \"%.*s\" longer than %d bytes",
			    (int)nlen, name, USERS_PASSWORD_MAX);
		memcpy(e->password, pw, pwlen);
		e->has_password = true;
	}
	ps->lines[ps->n++] = lineno;
	return true;
}

struct sort_key {
	const char *name;
	size_t line;
};

static int
sort_key_cmp(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sorting finds duplicates in n log n; the one reported is the first
 * line, in file order, that repeats an earlier name. */
static bool
check_duplicates(struct parse *ps)
{
	struct sort_key *k;
	size_t i, dup = 0, first = 0;

	if (ps->n < 2)
		return true;
	if ((k = calloc(ps->n, sizeof(*k))) == NULL)
		return fail(ps, 0, false, "out of memory");
	for (i = 0; i < ps->n; i++) {
		k[i].name = ps->v[i].name;
		k[i].line = ps->lines[i];
	}
	qsort(k, ps->n, sizeof(*k), sort_key_cmp);
	for (i = 1; i < ps->n; i++) {
		if (strcasecmp(k[i - 1].name, k[i].name) == 0 &&
		    (dup == 0 || k[i].line < dup)) {
			dup = k[i].line;
			first = k[i - 1].line;
		}
	}
	free(k);
	if (dup != 0)
		return fail(
		    ps, dup, true, "user already defined on line %zu", first);
	return true;
}

bool
users_parse(struct users *u, const char *text, size_t len, const char *name,
    char *err, size_t errlen)
{
	struct parse ps = { .name = name, .err = err, .errlen = errlen };
	const char *p = text, *end = text + len, *nl;
	size_t lineno = 0;
	bool ok = true;

	while (ok && p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		ok = parse_line(&ps, lineno, p, (size_t)(nl - p));
		p = nl + 1;
	}
	if (ok)
		ok = check_duplicates(&ps);
	free(ps.lines);
	if (!ok) {
		entries_free(ps.v, ps.cap);
		return false;
	}
	u->v = ps.v;
	u->n = ps.n;
	return true;
}

bool
users_load(struct users *u, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *buf = file_read_all(path, USERS_FILE_MAX, &len, err, errlen);
	bool ok;

	if (buf == NULL)
		return false;
	ok = users_parse(u, buf, len, path, err, errlen);
	file_free(buf, len);
	return ok;
}

const struct user_entry *
users_find(const struct users *u, const char *name)
{
	const char *bs;
	size_t i;

	for (i = 0; i < u->n; i++)
		if (strcasecmp(u->v[i].name, name) == 0)
			return &u->v[i];
	/* Windows sends "DOMAIN\user"; a file entry for plain "user"
	 * serves every domain. */
	if ((bs = strrchr(name, '\\')) != NULL && bs[1] != '\0')
		return users_find(u, bs + 1);
	return NULL;
}

void
users_free(struct users *u)
{
	entries_free(u->v, u->n);
	u->v = NULL;
	u->n = 0;
}

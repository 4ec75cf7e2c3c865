/*
 * The local users file: one user per line,
 *
 *	# comment
 *	alice   correct horse battery staple	(cleartext, to end of line)
 *	bob     nt:8846F7EAEE8FB117AD06BDD830B7586C
 *
 * The name is the first whitespace-separated word; the rest of the line,
 * trimmed, is the password, unless it is "nt:" and 32 hex digits: the NT
 * hash (MS-CHAPv2 and EAP-MSCHAPv2 only; PAP and CHAP-MD5 need the
 * cleartext).  Names compare case-insensitively, as Windows does, and the
 * file may name a user "DOMAIN\name" or just "name": a lookup of
 * "DOMAIN\name" falls back to "name".  Secrets are cleansed on free.
 */
#ifndef OPENSSTP_SERVER_USERS_H
#define OPENSSTP_SERVER_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USERS_NAME_MAX	   255
#define USERS_PASSWORD_MAX 255

struct user_entry {
	char name[USERS_NAME_MAX + 1];
	bool has_password;
	char password[USERS_PASSWORD_MAX + 1];
	bool has_nt_hash;
	uint8_t nt_hash[16];
};

struct users {
	struct user_entry *v;
	size_t n;
};

/*
 * Load path.  On error returns false and writes "FILE:LINE: why" into
 * err; *u is untouched then, so a reload can keep the old table.
 */
bool users_load(struct users *u, const char *path, char *err, size_t errlen);
/* Same, from a string (tests, fuzzing); name is used in errors. */
bool users_parse(struct users *u, const char *text, size_t len,
    const char *name, char *err, size_t errlen);
const struct user_entry *users_find(const struct users *u, const char *name);
void users_free(struct users *u);

#endif

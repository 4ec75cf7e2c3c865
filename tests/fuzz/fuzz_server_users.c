/*
 * The users file parser: whatever the text, parsing is total; what
 * parses gives entries with a name and exactly one kind of secret, each
 * found again by its own name, and an error always names the file.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/users.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct user_entry *e;
	struct users u;
	char err[256];
	size_t i;

	err[0] = '\0';
	if (!users_parse(&u, (const char *)data, size, "f", err, sizeof(err))) {
		if (strncmp(err, "f:", 2) != 0)
			abort();
		return 0;
	}
	for (i = 0; i < u.n; i++) {
		e = &u.v[i];
		if (e->name[0] == '\0' || strlen(e->name) > USERS_NAME_MAX ||
		    e->has_password == e->has_nt_hash ||
		    (e->has_password && e->password[0] == '\0'))
			abort();
		/* Names are unique, case folded: the lookup finds this one. */
		if (users_find(&u, e->name) != e)
			abort();
	}
	users_free(&u);
	return 0;
}

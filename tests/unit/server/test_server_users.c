#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/users.h"
#include "test_run.h"

static bool
parse(struct users *u, const char *text, char *err, size_t errlen)
{
	return users_parse(u, text, strlen(text), "users", err, errlen);
}

static void
users_good_file(void **state)
{
	const char *text = "# comment\n"
			   "\n"
			   "alice   correct horse battery staple  \r\n"
			   "  # indented comment\n"
			   "bob\tnt:8846F7EAEE8FB117AD06BDD830B7586C\n"
			   "CORP\\carol\tpw\n"
			   "dave nt:short\n"
			   "eve x"; /* no final newline */
	const uint8_t bob_hash[16] = { 0x88, 0x46, 0xf7, 0xea, 0xee, 0x8f, 0xb1,
		0x17, 0xad, 0x06, 0xbd, 0xd8, 0x30, 0xb7, 0x58, 0x6c };
	const struct user_entry *e;
	struct users u;
	char err[256];

	(void)state;
	assert_true(parse(&u, text, err, sizeof(err)));
	assert_int_equal(u.n, 5);
	e = users_find(&u, "alice");
	assert_non_null(e);
	assert_true(e->has_password);
	assert_false(e->has_nt_hash);
	assert_string_equal(e->password, "correct horse battery staple");
	e = users_find(&u, "BOB");
	assert_non_null(e);
	assert_true(e->has_nt_hash);
	assert_false(e->has_password);
	assert_memory_equal(e->nt_hash, bob_hash, 16);
	/* Not 32 hex digits: a cleartext password that starts "nt:". */
	e = users_find(&u, "dave");
	assert_non_null(e);
	assert_true(e->has_password);
	assert_string_equal(e->password, "nt:short");
	e = users_find(&u, "eve");
	assert_non_null(e);
	assert_string_equal(e->password, "x");
	users_free(&u);
	assert_null(u.v);
	assert_int_equal(u.n, 0);
}

static void
users_domain_fallback(void **state)
{
	struct users u;
	char err[256];

	(void)state;
	assert_true(parse(&u, "alice a\nCORP\\carol c\n", err, sizeof(err)));
	assert_non_null(users_find(&u, "ALICE"));
	assert_string_equal(users_find(&u, "WORKGROUP\\alice")->password, "a");
	assert_string_equal(users_find(&u, "corp\\CAROL")->password, "c");
	/* The file's domain is part of the name: no match without it. */
	assert_null(users_find(&u, "carol"));
	assert_null(users_find(&u, "OTHER\\carol"));
	assert_null(users_find(&u, "alice\\"));
	assert_null(users_find(&u, "mallory"));
	users_free(&u);
}

static void
expect_error(const char *text, const char *want)
{
	struct users u = { .v = (void *)&u, .n = 42 };
	char err[256];

	assert_false(parse(&u, text, err, sizeof(err)));
	assert_string_equal(err, want);
	/* Untouched on error. */
	assert_ptr_equal(u.v, (void *)&u);
	assert_int_equal(u.n, 42);
}

static void
users_errors_name_file_and_line(void **state)
{
	char line[2048];

	(void)state;
	expect_error("alice a\nbob\n", "users:2: no password for user \"bob\"");
	expect_error(
	    "alice a\nbob   \t \n", "users:2: no password for user \"bob\"");
	expect_error(
	    "alice a\n\nALICE b\n", "users:3: user already defined on line 1");
	expect_error("a 1\nb 2\nc 3\nb 4\na 5\n",
	    "users:4: user already defined on line 2");
	memset(line, 'n', 256);
	memcpy(line + 256, " pw", 4);
	expect_error(line, "users:1: name longer than 255 bytes");
	memcpy(line, "u ", 2);
	memset(line + 2, 'p', 256);
	line[258] = '\0';
	expect_error(
	    line, "users:1: password of user \"u\" longer than 255 bytes");
	memset(line, 'x', 1500);
	line[1500] = '\0';
	expect_error(line, "users:1: line longer than 1024 bytes");
}

static void
users_nul_and_limits(void **state)
{
	const char text[] = "alice a\0b\n";
	struct users u;
	char line[300], err[64];

	(void)state;
	assert_false(
	    users_parse(&u, text, sizeof(text) - 1, "f", err, sizeof(err)));
	assert_string_equal(err, "f:1: NUL byte in line");
	/* The longest name and password fit. */
	memset(line, 'n', 255);
	line[255] = ' ';
	memset(line + 256, 'p', 40);
	line[296] = '\0';
	assert_true(parse(&u, line, err, sizeof(err)));
	assert_int_equal(strlen(u.v[0].name), 255);
	users_free(&u);
	/* No error buffer: still just false. */
	assert_false(parse(&u, "bob\n", NULL, 0));
	/* Empty: no users, not an error. */
	assert_true(parse(&u, "", err, sizeof(err)));
	assert_int_equal(u.n, 0);
	users_free(&u);
}

static void
users_many_grow(void **state)
{
	char *text, name[32];
	struct users u;
	char err[64];
	size_t i, off = 0;

	(void)state;
	text = malloc(1000 * 32);
	assert_non_null(text);
	for (i = 0; i < 1000; i++)
		off += (size_t)sprintf(text + off, "user%zu pw%zu\n", i, i);
	assert_true(users_parse(&u, text, off, "big", err, sizeof(err)));
	assert_int_equal(u.n, 1000);
	snprintf(name, sizeof(name), "USER%d", 777);
	assert_string_equal(users_find(&u, name)->password, "pw777");
	users_free(&u);
	free(text);
}

static void
users_load_file(void **state)
{
	char path[] = "/tmp/opensstp-users-XXXXXX", err[256], want[300];
	struct users u;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("alice secret\nbob\n", f);
	fclose(f);
	assert_false(users_load(&u, path, err, sizeof(err)));
	snprintf(
	    want, sizeof(want), "%s:2: no password for user \"bob\"", path);
	assert_string_equal(err, want);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("alice secret\n", f);
	fclose(f);
	assert_true(users_load(&u, path, err, sizeof(err)));
	assert_string_equal(users_find(&u, "alice")->password, "secret");
	users_free(&u);
	unlink(path);
	assert_false(users_load(&u, path, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err, want);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(users_good_file),
		cmocka_unit_test(users_domain_fallback),
		cmocka_unit_test(users_errors_name_file_and_line),
		cmocka_unit_test(users_nul_and_limits),
		cmocka_unit_test(users_many_grow),
		cmocka_unit_test(users_load_file),
	};

	return test_run(argc, argv, "server_users", tests, ARRAY_LEN(tests));
}

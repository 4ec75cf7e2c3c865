/*
 * Whole-file reads and the secret prompt: limits and errors first, then
 * that a secret read from standard input leaves no copy in a stdio
 * buffer (the next line is still in the pipe, unread).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "test_run.h"

/* Standard input from a pipe holding text (closed for writing). */
static int
stdin_from(const char *text)
{
	int p[2], saved = dup(STDIN_FILENO);

	assert_true(saved >= 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(
	    write(p[1], text, strlen(text)), (ssize_t)strlen(text));
	close(p[1]);
	assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	return saved;
}

static void
stdin_restore(int saved)
{
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}

static void
secret_line_empty_or_missing_is_false(void **state)
{
	char buf[32];
	int saved;

	(void)state;
	saved = stdin_from("");
	assert_false(read_secret_line("", buf, sizeof(buf)));
	assert_string_equal(buf, "");
	stdin_restore(saved);
	saved = stdin_from("\n");
	assert_false(read_secret_line("", buf, sizeof(buf)));
	stdin_restore(saved);
	saved = stdin_from("x\n");
	assert_false(read_secret_line("", buf, 0));
	stdin_restore(saved);
}

static void
secret_line_one_byte_too_long_is_cut(void **state)
{
	char buf[8], rest[8];
	int saved;

	(void)state;
	saved = stdin_from("12345678\n");
	assert_true(read_secret_line("", buf, sizeof(buf)));
	assert_string_equal(buf, "1234567");
	/* What did not fit is still there, not read into a hidden buffer. */
	assert_int_equal(read(STDIN_FILENO, rest, sizeof(rest)), 2);
	assert_memory_equal(rest, "8\n", 2);
	stdin_restore(saved);
}

static void
secret_line_leaves_the_next_line_unread(void **state)
{
	char buf[64], rest[64];
	ssize_t n;
	int saved;

	(void)state;
	saved = stdin_from("s3cret pass\r\nproxy-pw\n");
	assert_true(read_secret_line("", buf, sizeof(buf)));
	assert_string_equal(buf, "s3cret pass");
	/* stdio would have read the whole pipe into its FILE buffer. */
	n = read(STDIN_FILENO, rest, sizeof(rest));
	assert_int_equal(n, 9);
	assert_memory_equal(rest, "proxy-pw\n", 9);
	stdin_restore(saved);
}

static void
read_all_limits(void **state)
{
	char path[] = "/tmp/opensstp-test-file.XXXXXX", err[256];
	size_t len = 99;
	char *buf;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, "abc\0def", 7), 7);
	close(fd);
	/* One byte over the limit is refused; at the limit it is whole,
	 * NULs and all, with a NUL after. */
	assert_null(file_read_all(path, 6, &len, err, sizeof(err)));
	assert_non_null(strstr(err, "not a regular file under 6 bytes"));
	assert_non_null(buf = file_read_all(path, 7, &len, err, sizeof(err)));
	assert_int_equal(len, 7);
	assert_memory_equal(buf, "abc\0def", 8);
	file_free(buf, len);
	file_free(NULL, 0);
	unlink(path);
	assert_null(file_read_all(path, 7, &len, err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
	assert_null(file_read_all("/tmp", 1 << 20, &len, err, sizeof(err)));
	assert_non_null(strstr(err, "not a regular file"));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(secret_line_empty_or_missing_is_false),
		cmocka_unit_test(secret_line_one_byte_too_long_is_cut),
		cmocka_unit_test(secret_line_leaves_the_next_line_unread),
		cmocka_unit_test(read_all_limits),
	};

	return test_run(argc, argv, "base_file", tests, ARRAY_LEN(tests));
}

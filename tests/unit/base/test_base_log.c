/*
 * base/log: values made safe for key=value lines, and the journal's
 * "<N>" priorities on stderr (syslog itself is an integration case).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "test_run.h"

static void
value_plain_or_quoted(void **state)
{
	char buf[LOG_VALUE_MAX], small[8];
	const char *s = "alice";

	(void)state;
	assert_ptr_equal(log_value(s, buf, sizeof(buf)), s);
	assert_string_equal(log_value("", buf, sizeof(buf)), "-");
	assert_string_equal(log_value(NULL, buf, sizeof(buf)), "-");
	assert_string_equal(log_value("a b", buf, sizeof(buf)), "\"a b\"");
	assert_string_equal(log_value("k=v", buf, sizeof(buf)), "\"k=v\"");
	assert_string_equal(log_value("say \"hi\"\\", buf, sizeof(buf)),
	    "\"say \\\"hi\\\"\\\\\"");
	/* A control byte cannot end the line: a name cannot forge one. */
	assert_string_equal(
	    log_value("a\nb\x7f", buf, sizeof(buf)), "\"a\\x0ab\\x7f\"");
	/* Cut to fit, still one quoted field. */
	assert_string_equal(
	    log_value("abcdefghij klm", small, sizeof(small)), "\"abcd\"");
	assert_string_equal(
	    log_value("\"\"\"\"", small, sizeof(small)), "\"\\\"\\\"\"");
	assert_string_equal(log_quoted("x", buf, sizeof(buf)), "\"x\"");
	assert_string_equal(log_quoted("", buf, sizeof(buf)), "\"\"");
	assert_string_equal(log_quoted(NULL, buf, sizeof(buf)), "-");
}

/* A 255-byte name of quotes fits LOG_VALUE_MAX whole. */
static void
value_max_fits_a_ppp_name(void **state)
{
	char name[256], buf[LOG_VALUE_MAX];

	(void)state;
	memset(name, '"', 255);
	name[255] = '\0';
	assert_int_equal(
	    strlen(log_value(name, buf, sizeof(buf))), 2 + 2 * 255);
}

/* Run fn with stderr going to a file; its contents in out. */
static void
capture(void (*fn)(void), char *out, size_t cap)
{
	char path[] = "/tmp/opensstp-log-XXXXXX";
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	fn();
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	n = pread(fd, out, cap - 1, 0);
	assert_true(n >= 0);
	out[n] = '\0';
	close(fd);
	unlink(path);
}

static void
journal_lines(void)
{
	log_set_journal(true);
	log_error("a=1");
	log_warn("b=2");
	log_info("c=\"3 4\"");
	log_debug("d=5");
	log_set_journal(false);
	log_info("e=6");
}

static void
journal_priorities(void **state)
{
	char out[512];

	(void)state;
	log_set_level(LOG_LVL_INFO);
	log_set_timestamps(true);
	capture(journal_lines, out, sizeof(out));
	log_set_timestamps(false);
	/* No timestamp, no level word: the journal keeps both. */
	assert_memory_equal(out, "<3>a=1\n<4>b=2\n<6>c=\"3 4\"\n",
	    strlen("<3>a=1\n<4>b=2\n<6>c=\"3 4\"\n"));
	/* Back on a plain stderr: timestamp and level word again. */
	assert_non_null(strstr(out, "INFO: e=6\n"));
	assert_null(strstr(out, "d=5"));
}

static bool journal_seen;

static void
check_journal(void)
{
	journal_seen = log_stderr_is_journal();
}

static void
journal_stream_detected(void **state)
{
	char out[64], env[64];
	struct stat st;

	(void)state;
	assert_int_equal(fstat(STDERR_FILENO, &st), 0);
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	assert_int_equal(setenv("JOURNAL_STREAM", env, 1), 0);
	assert_true(log_stderr_is_journal());
	/* stderr moved elsewhere (a file): not the journal any more. */
	capture(check_journal, out, sizeof(out));
	assert_false(journal_seen);
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino + 1);
	setenv("JOURNAL_STREAM", env, 1);
	assert_false(log_stderr_is_journal());
	setenv("JOURNAL_STREAM", "12:34x", 1);
	assert_false(log_stderr_is_journal());
	setenv("JOURNAL_STREAM", "", 1);
	assert_false(log_stderr_is_journal());
	unsetenv("JOURNAL_STREAM");
	assert_false(log_stderr_is_journal());
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(value_plain_or_quoted),
		cmocka_unit_test(value_max_fits_a_ppp_name),
		cmocka_unit_test(journal_priorities),
		cmocka_unit_test(journal_stream_detected),
	};

	return test_run(argc, argv, "base_log", tests, ARRAY_LEN(tests));
}

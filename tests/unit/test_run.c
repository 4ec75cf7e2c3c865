#include "test_run.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
test_run(int argc, char **argv, const char *group,
    const struct CMUnitTest *tests, size_t count)
{
	const char *tap;
	size_t i;

	if (argc > 1 && strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < count; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	if ((tap = getenv("OPENSSTP_TAP")) != NULL && strcmp(tap, "1") == 0)
		cmocka_set_message_output(CM_OUTPUT_TAP);
	return _cmocka_run_group_tests(group, tests, count, NULL, NULL);
}

static int
hex_nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t
test_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *hex != '\0'; hex++) {
		if (isspace((unsigned char)*hex))
			continue;
		if ((v = hex_nibble(*hex)) < 0) {
			fprintf(stderr, "test_hex: bad char '%c'\n", *hex);
			abort();
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap) {
			fprintf(stderr, "test_hex: output too small\n");
			abort();
		}
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0) {
		fprintf(stderr, "test_hex: odd digit count\n");
		abort();
	}
	return n;
}

/*
 * Shared main() for the unit test binaries:
 *   test_x            run every case (TAP when OPENSSTP_TAP=1)
 *   test_x --list     print every case name, one per line
 *   test_x PATTERN    run the cases matching a cmocka filter pattern
 */
#ifndef OPENSSTP_TEST_RUN_H
#define OPENSSTP_TEST_RUN_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka.h needs the headers above included first. */
#include <cmocka.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

int test_run(int argc, char **argv, const char *group,
    const struct CMUnitTest *tests, size_t count);

/* Parse a hex string (spaces allowed) into out; returns the byte count. */
size_t test_hex(const char *hex, uint8_t *out, size_t cap);

#endif

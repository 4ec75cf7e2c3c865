/*
 * Whole small files (configuration, users) and secrets typed at a
 * terminal: the reading every program needs once.
 */
#ifndef OPENSSTP_BASE_FILE_H
#define OPENSSTP_BASE_FILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Read a regular file of at most max bytes into a new buffer with a NUL
 * after its *len bytes (it may hold NULs of its own).  NULL with
 * "PATH: why" in err.  Free with file_free(), which wipes the bytes,
 * since the files read this way may hold secrets.
 */
char *file_read_all(
    const char *path, size_t max, size_t *len, char *err, size_t errlen);
void file_free(char *buf, size_t len);

/*
 * One line from standard input, without its newline; the terminal's echo
 * is off while it is typed (after prompt on stderr).  false on end of
 * input or an empty line.  Read with read(2), not stdio, so no copy is
 * left behind in a FILE buffer and the next line stays in the input.
 */
bool read_secret_line(const char *prompt, char *buf, size_t len);

#endif

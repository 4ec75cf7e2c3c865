/*
 * Whole-file reads and secret prompts (see file.h).
 */
#include "base/file.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

char *
file_read_all(
    const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t size, got = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)max) {
		snprintf(err, errlen, "%s: not a regular file under %zu bytes",
		    path, max);
		goto fail;
	}
	size = (size_t)st.st_size;
	if ((buf = malloc(size + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	while (got < size) {
		n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			file_free(buf, size);
			buf = NULL;
			goto fail;
		}
		if (n == 0)
			break; /* shrank under us: take what is there */
		got += (size_t)n;
	}
	buf[got] = '\0';
	*len = got;
	close(fd);
	return buf;
fail:
	close(fd);
	return NULL;
}

void
file_free(char *buf, size_t len)
{
	if (buf == NULL)
		return;
	/* explicit_bzero: the compiler may not drop it as a dead store. */
	explicit_bzero(buf, len + 1);
	free(buf);
}

/*
 * One line from fd into buf, a byte per read(2): stdio would keep a copy
 * of the secret in its FILE buffer, freed (if ever) without a wipe, and
 * would swallow the lines after it too.
 */
static void
read_line_fd(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;
	char ch;

	while (n + 1 < len) {
		r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || ch == '\n')
			break;
		buf[n++] = ch;
	}
	buf[n] = '\0';
	explicit_bzero(&ch, sizeof(ch));
}

bool
read_secret_line(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	size_t n;

	if (len == 0)
		return false;
	if (tty) {
		fprintf(stderr, "%s", prompt);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	read_line_fd(STDIN_FILENO, buf, len);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return n > 0;
}

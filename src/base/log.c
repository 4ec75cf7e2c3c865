#include "base/log.h"

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/*
 * Longest line written; longer messages are cut and end in "...".  Big
 * enough for any event with its key=value pairs, small enough for the
 * stack and for one atomic write(2) to a pipe (PIPE_BUF is 4096).
 */
#define LOG_LINE_MAX 2048

static enum log_level cur_level = LOG_LVL_INFO;
static bool timestamps;
static bool to_syslog;
static bool to_journal;

static const char *const level_names[] = {
	[LOG_LVL_ERROR] = "error",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

static const char *const level_tags[] = {
	[LOG_LVL_ERROR] = "ERROR",
	[LOG_LVL_WARN] = "WARN",
	[LOG_LVL_INFO] = "INFO",
	[LOG_LVL_DEBUG] = "DEBUG",
};

/* syslog(3) priorities; sd-daemon's "<N>" prefixes use the same N. */
static const int level_prio[] = {
	[LOG_LVL_ERROR] = LOG_ERR,
	[LOG_LVL_WARN] = LOG_WARNING,
	[LOG_LVL_INFO] = LOG_INFO,
	[LOG_LVL_DEBUG] = LOG_DEBUG,
};

void
log_set_level(enum log_level level)
{
	if (level > LOG_LVL_DEBUG)
		level = LOG_LVL_DEBUG;
	cur_level = level;
}

enum log_level
log_get_level(void)
{
	return cur_level;
}

void
log_set_timestamps(bool on)
{
	timestamps = on;
}

void
log_open_syslog(const char *ident)
{
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	to_syslog = true;
}

bool
log_stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	uintmax_t dev, ino;
	struct stat st;
	char tail;

	if (v == NULL || sscanf(v, "%ju:%ju%c", &dev, &ino, &tail) != 2 ||
	    fstat(STDERR_FILENO, &st) != 0)
		return false;
	return (uintmax_t)st.st_dev == dev && (uintmax_t)st.st_ino == ino;
}

void
log_set_journal(bool on)
{
	to_journal = on;
}

bool
log_level_parse(const char *s, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return true;
		}
	}
	return false;
}

static const char *
quote(const char *s, char *buf, size_t len, bool always)
{
	size_t i, o = 0;
	bool plain = !always;

	if (s == NULL || (*s == '\0' && !always))
		return "-";
	for (i = 0; plain && s[i] != '\0'; i++)
		if (s[i] == ' ' || s[i] == '"' || s[i] == '=' || s[i] == '\\' ||
		    (unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			plain = false;
	if (plain)
		return s;
	if (len < 3)
		return "\"\"";
	buf[o++] = '"';
	/*
	 * Room for an escaped byte (\xHH), the closing quote and the NUL.
	 * Control bytes are escaped: a user name with a newline must not
	 * forge a log line.
	 */
	for (i = 0; s[i] != '\0' && o + 4 <= len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			if (o + 6 > len)
				break;
			snprintf(buf + o, 5, "\\x%02x", c);
			o += 4;
			continue;
		}
		if (c == '"' || c == '\\')
			buf[o++] = '\\';
		buf[o++] = (char)c;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

const char *
log_value(const char *s, char *buf, size_t len)
{
	return quote(s, buf, len, false);
}

const char *
log_quoted(const char *s, char *buf, size_t len)
{
	return quote(s, buf, len, true);
}

/* "2024-05-01T12:00:00.123+0200 ": local time, as an operator reads it. */
static size_t
format_time(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	char date[32], zone[8];
	int n;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 ||
	    localtime_r(&ts.tv_sec, &tm) == NULL)
		return 0;
	if (strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) == 0 ||
	    strftime(zone, sizeof(zone), "%z", &tm) == 0)
		return 0;
	n = snprintf(
	    buf, cap, "%s.%03ld%s ", date, ts.tv_nsec / 1000000L, zone);
	if (n < 0 || (size_t)n >= cap)
		return 0;
	return (size_t)n;
}

static void
write_all(const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	size_t len = 0, start, i;
	va_list ap;
	int n, saved_errno = errno;

	if (level > cur_level)
		return;
	if (level > LOG_LVL_DEBUG)
		level = LOG_LVL_DEBUG;
	/* syslog and the journal keep the time and the level themselves. */
	if (to_journal && !to_syslog)
		n = snprintf(line, sizeof(line), "<%d>", level_prio[level]);
	else if (!to_syslog) {
		if (timestamps)
			len = format_time(line, sizeof(line));
		n = snprintf(
		    line + len, sizeof(line) - len, "%s: ", level_tags[level]);
	} else
		n = 0;
	if (n > 0)
		len += (size_t)n;
	start = len;
	va_start(ap, fmt);
	n = vsnprintf(line + len, sizeof(line) - len, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	/* Keep room for the newline; mark a cut so nobody trusts the end. */
	if ((size_t)n >= sizeof(line) - len - 1) {
		len = sizeof(line) - 1 - 3;
		memcpy(line + len, "...", 3);
		len += 3;
	} else
		len += (size_t)n;
	/*
	 * One event, one line: a control character (a peer's name with a
	 * newline in it, say) must not forge a line of its own.
	 */
	for (i = start; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c < 0x20 || c == 0x7f)
			line[i] = '?';
	}
	if (to_syslog) {
		line[len] = '\0';
		syslog(level_prio[level], "%s", line);
		errno = saved_errno;
		return;
	}
	line[len++] = '\n';
	/* One write, so concurrent writers' lines never interleave. */
	write_all(line, len);
	errno = saved_errno;
}

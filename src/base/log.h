/*
 * Logging for both programs: one line per event to stderr, "LEVEL:
 * message", or to syslog, with key=value pairs in the message where a
 * program wants them parsed.  One global level; nothing secret is ever
 * passed here (callers' duty, DESIGN.md Security).
 */
#ifndef OPENSSTP_BASE_LOG_H
#define OPENSSTP_BASE_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_LVL_ERROR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

/* Where lines go: stderr (a terminal, a file, the journal) or syslog. */
enum log_sink {
	LOG_SINK_STDERR,
	LOG_SINK_SYSLOG,
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Prefix every line with a wall-clock timestamp (daemons: yes). */
void log_set_timestamps(bool on);
/*
 * Send lines to syslog(3) from now on: facility LOG_DAEMON, the pid in
 * each, the level as the priority.  The socket is connected at once
 * (LOG_NDELAY), so that it is there after a privilege drop.
 */
void log_open_syslog(const char *ident);
/*
 * Is stderr the journal's stream?  systemd sets JOURNAL_STREAM to its
 * "device:inode" when it connects stderr to journald.
 */
bool log_stderr_is_journal(void);
/*
 * Lines to the journal through stderr: an sd-daemon "<N>" priority
 * instead of our timestamp and level word (the journal keeps both).
 */
void log_set_journal(bool on);
/* "error", "warn", "info", "debug"; false if none of them. */
bool log_level_parse(const char *s, enum log_level *out);

/* Room for any value log_value or log_quoted makes of a PPP user name. */
#define LOG_VALUE_MAX 520
/*
 * s as the value of a key=value field: as it is when it has no space,
 * quote, '=', backslash or control character, else in double quotes with
 * '"' and '\' escaped (cut to fit buf); "-" for NULL or "".
 */
const char *log_value(const char *s, char *buf, size_t len);
/* The same, always in quotes: reason="..." reads the same every time. */
const char *log_quoted(const char *s, char *buf, size_t len);

void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif

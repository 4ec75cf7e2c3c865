/*
 * Logging for both programs: one line per event to stderr (or syslog
 * later), "LEVEL: message", with key=value pairs in the message where a
 * program wants them parsed.  One global level; nothing secret is ever
 * passed here (callers' duty, DESIGN.md Security).
 */
#ifndef OPENSSTP_BASE_LOG_H
#define OPENSSTP_BASE_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_LVL_ERROR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Prefix every line with a wall-clock timestamp (daemons: yes). */
void log_set_timestamps(bool on);
/* "error", "warn", "info", "debug"; false if none of them. */
bool log_level_parse(const char *s, enum log_level *out);

void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif

/*
 * systemd's readiness protocol (sd_notify(3)) without libsystemd: a
 * datagram socket to $NOTIFY_SOCKET, opened and connected while the
 * daemon may still call socket() and connect(), written to afterwards
 * (write() is in the seccomp allow list).  Without NOTIFY_SOCKET every
 * call does nothing.
 */
#ifndef OPENSSTP_SERVER_NOTIFY_H
#define OPENSSTP_SERVER_NOTIFY_H

#include <stdbool.h>

/* Before the privilege drop.  false only when NOTIFY_SOCKET is set and
 * cannot be used (the reason is logged). */
bool notify_open(void);
/* "READY=1\nSTATUS=<status>\nMAINPID=<pid>". */
void notify_ready(const char *status);
/* "STOPPING=1". */
void notify_stopping(void);
void notify_close(void);

#endif

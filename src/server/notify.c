/*
 * sd_notify without libsystemd (see notify.h): NOTIFY_SOCKET is a path,
 * or "@name" for an abstract socket.
 */
#include "server/notify.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"

static int notify_fd = -1;

bool
notify_open(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;
	socklen_t sl;
	size_t len;

	if (path == NULL || path[0] == '\0')
		return true;
	len = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || len < 2 ||
	    len >= sizeof(sun.sun_path)) {
		log_error(
		    "NOTIFY_SOCKET: \"%.64s\" is not a socket path", path);
		return false;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, len);
	if (path[0] == '@')
		sun.sun_path[0] = '\0'; /* abstract: no trailing NUL */
	sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (notify_fd < 0) {
		log_error("NOTIFY_SOCKET: socket: %s", strerror(errno));
		return false;
	}
	if (connect(notify_fd, (struct sockaddr *)&sun, sl) != 0) {
		log_error("NOTIFY_SOCKET %s: %s", path, strerror(errno));
		notify_close();
		return false;
	}
	/* Not passed on to anything this process starts. */
	unsetenv("NOTIFY_SOCKET");
	return true;
}

static void
notify_send(const char *msg, size_t len)
{
	if (notify_fd < 0)
		return;
	/* A connected datagram socket: write(), which the filter allows. */
	if (write(notify_fd, msg, len) < 0)
		log_warn("NOTIFY_SOCKET: %s", strerror(errno));
}

void
notify_ready(const char *status)
{
	char msg[512];
	int n;

	n = snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s\nMAINPID=%ld",
	    status, (long)getpid());
	if (n > 0 && (size_t)n < sizeof(msg))
		notify_send(msg, (size_t)n);
}

void
notify_stopping(void)
{
	notify_send("STOPPING=1", 10);
}

void
notify_close(void)
{
	if (notify_fd >= 0)
		close(notify_fd);
	notify_fd = -1;
}

#include "plugin_msg.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Host byte order, as the plugin and sstpc share one machine. */
static void
put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static size_t
put_attr(uint8_t *p, uint16_t type, const uint8_t key[PLUGIN_KEY_LEN])
{
	put16(p, type);
	put16(p + 2, PLUGIN_KEY_LEN);
	memcpy(p + 4, key, PLUGIN_KEY_LEN);
	return 4 + PLUGIN_KEY_LEN;
}

size_t
plugin_msg_auth(uint8_t out[PLUGIN_MSG_MAX], const uint8_t *send_key,
    const uint8_t *recv_key)
{
	uint32_t magic = PLUGIN_MAGIC;
	size_t len = PLUGIN_HDR_LEN;

	memcpy(out, &magic, sizeof(magic));
	if (send_key != NULL && recv_key != NULL) {
		len += put_attr(out + len, PLUGIN_ATTR_MPPE_SEND, send_key);
		len += put_attr(out + len, PLUGIN_ATTR_MPPE_RECV, recv_key);
	}
	put16(out + 4, (uint16_t)(len - PLUGIN_HDR_LEN));
	put16(out + 6, PLUGIN_MSG_AUTH);
	return len;
}

bool
plugin_msg_is_ack(const uint8_t *msg, size_t len)
{
	uint32_t magic;
	uint16_t type;

	if (len < PLUGIN_HDR_LEN)
		return false;
	memcpy(&magic, msg, sizeof(magic));
	memcpy(&type, msg + 6, sizeof(type));
	return magic == PLUGIN_MAGIC && type == PLUGIN_MSG_ACK;
}

bool
plugin_send_auth(const char *path, const uint8_t *send_key,
    const uint8_t *recv_key, int timeout_ms, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	uint8_t msg[PLUGIN_MSG_MAX], ack[PLUGIN_HDR_LEN];
	size_t len = plugin_msg_auth(msg, send_key, recv_key), got = 0;
	struct pollfd pfd;
	ssize_t n;
	int fd;
	bool ok = false;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "plugin socket path too long");
		return false;
	}
	memcpy(sa.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return false;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		snprintf(err, errlen, "connect %s: %s", path, strerror(errno));
		goto out;
	}
	if (write(fd, msg, len) != (ssize_t)len) {
		snprintf(err, errlen, "write %s: %s", path, strerror(errno));
		goto out;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < sizeof(ack)) {
		if (poll(&pfd, 1, timeout_ms) <= 0) {
			snprintf(err, errlen, "no ACK from sstpc");
			goto out;
		}
		n = read(fd, ack + got, sizeof(ack) - got);
		if (n <= 0) {
			snprintf(err, errlen, "sstpc closed the plugin socket");
			goto out;
		}
		got += (size_t)n;
	}
	ok = plugin_msg_is_ack(ack, got);
	if (!ok)
		snprintf(err, errlen, "sstpc answered no ACK");
out:
	close(fd);
	return ok;
}

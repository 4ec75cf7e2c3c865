#include "tun.h"

#include <sys/ioctl.h>

#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int
tun_open(const char *name, bool multi_queue, char name_out[IFNAMSIZ])
{
	struct ifreq ifr;
	int fd, err;

	memset(&ifr, 0, sizeof(ifr));
	if (name != NULL && name[0] != '\0') {
		if (strlen(name) >= IFNAMSIZ)
			return -ENAMETOOLONG;
		memcpy(ifr.ifr_name, name, strlen(name));
	}
	/* No packet information header: reads and writes are bare IP. */
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (multi_queue)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
		return -errno;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	memcpy(name_out, ifr.ifr_name, IFNAMSIZ);
	name_out[IFNAMSIZ - 1] = '\0';
	return fd;
}

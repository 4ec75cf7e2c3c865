/*
 * A TUN device: IFF_TUN | IFF_NO_PI, so each read or write is one bare
 * IPv4 or IPv6 datagram.  Multi-queue capable (IFF_MULTI_QUEUE): open the
 * same name once per worker.  Needs CAP_NET_ADMIN at open time only.
 */
#ifndef OPENSSTP_IO_TUN_H
#define OPENSSTP_IO_TUN_H

#include <net/if.h>

#include <stdbool.h>

/*
 * Open (creating if needed) the device name, e.g. "sstp0", or a
 * kernel-chosen name when name is NULL or "" ("tun%d").  The actual name
 * goes to name_out.  The fd is non-blocking and close-on-exec.
 * Returns the fd, or -errno.
 */
int tun_open(const char *name, bool multi_queue, char name_out[IFNAMSIZ]);

#endif

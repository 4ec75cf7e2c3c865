/*
 * proxy_open() by hand, for tests/integration/test_proxy_squid.sh:
 *   proxy_probe PROXY_URL HOST PORT [TIMEOUT_MS]
 * opens the tunnel, copies standard input into it and as many bytes as
 * it sent back to standard output (the far end echoes; squid ends a
 * tunnel at a half-close, so there is none).  Prints "status N" (the
 * proxy's last status) and the error, if any, on standard error; exits
 * 0 when the tunnel opened, 1 when it did not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "client/proxy.h"

int
main(int argc, char **argv)
{
	struct proxy_url u;
	char err[PROXY_ERR_MAX], buf[4096];
	int fd, status = 0;
	ssize_t n;
	size_t sent = 0, got = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: proxy_probe URL HOST PORT [MS]\n");
		return 2;
	}
	if (!proxy_url_parse(argv[1], &u, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	fd = proxy_open(&u, argv[2], (uint16_t)atoi(argv[3]),
	    argc > 4 ? (uint32_t)atoi(argv[4]) : 5000, -1, &status, err,
	    sizeof(err));
	fprintf(stderr, "status %d\n", status);
	if (fd < 0) {
		fprintf(stderr, "error: %s\n", err);
		return 1;
	}
	while ((n = read(0, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return 1;
		else
			sent += (size_t)n;
	while (got < sent && (n = read(fd, buf, sizeof(buf))) > 0) {
		if (write(1, buf, (size_t)n) != n)
			return 1;
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

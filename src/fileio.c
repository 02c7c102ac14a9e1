// SPDX-License-Identifier: MIT
/* Reading a whole file descriptor into a caller's buffer, EINTR retried. */
#include <errno.h>
#include <unistd.h>

#include "fileio.h"

int fileio_read_all(int fd, void *buf, size_t cap, size_t *len)
{
	char *p = buf;
	ssize_t n;

	*len = 0;
	while (*len < cap) {
		n = read(fd, p + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return 0;
}

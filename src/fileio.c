// SPDX-License-Identifier: MIT
/* Reading a whole file descriptor into a caller's buffer, EINTR retried. */
#include <errno.h>

#include "fileio.h"
#include "os.h"

int fileio_read_all(int fd, void *buf, size_t cap, size_t *len)
{
	char *p = buf;
	long n;

	*len = 0;
	while (*len < cap) {
		n = os_read(fd, p + *len, cap - *len);
		if (n < 0)
			return (int)n;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return 0;
}

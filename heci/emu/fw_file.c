// SPDX-License-Identifier: MIT
/* What reading the machine file does alike on every system (fw_file_posix.c, _windows.c). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_int.h"

int fw_file_buffer(const char *path, uint64_t size, size_t max, char **buf, char *err,
		   size_t errlen)
{
	*buf = NULL;
	if (size > max) {
		snprintf(err, errlen, "%s: larger than 1 MiB, not a state file", path);
		return -EINVAL;
	}
	*buf = calloc(1, (size_t)size + 1);
	if (!*buf) {
		snprintf(err, errlen, "%s: out of memory (for %llu bytes)", path,
			 (unsigned long long)size);
		return -ENOMEM;
	}
	return 0;
}

int fw_file_loaded(const char *path, char **buf, int read_ret, char **text, char *err,
		   size_t errlen)
{
	if (read_ret < 0) {
		snprintf(err, errlen, "%s: %s", path,
			 read_ret == -EIO ? "short read" : strerror(-read_ret));
		return read_ret;
	}
	*text = *buf;
	*buf = NULL;
	return 0;
}

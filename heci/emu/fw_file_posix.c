// SPDX-License-Identifier: MIT
/* The machine file on POSIX systems: read whole, replace atomically and durably (fw_int.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fw_int.h"

int fw_file_read(const char *path, size_t max, char **text, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	ssize_t got;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	ret = -EISDIR;
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", path);
		goto out;
	}
	ret = fw_file_buffer(path, (uint64_t)st.st_size, max, &buf, err, errlen);
	if (ret < 0)
		goto out;
	got = read(fd, buf, (size_t)st.st_size);
	ret = fw_file_loaded(path, &buf, got == st.st_size ? 0 : got < 0 ? -errno : -EIO, text,
			     err, errlen);
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

static int write_fd(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;
	ssize_t n;

	while (off < len) {
		n = write(fd, s + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		off += (size_t)n;
	}
	return 0;
}

static int sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, ret = -ENOMEM;

	if (!copy)
		return ret;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ret = fd < 0 ? -errno : (fsync(fd) ? -errno : 0);
	if (fd >= 0)
		close(fd);
	free(copy);
	return ret;
}

int fw_file_replace(const char *path, const char *text, char *err, size_t errlen)
{
	char *tmp = NULL;
	int fd = -1, ret = -ENOMEM;

	if (asprintf(&tmp, "%s.tmpXXXXXX", path) < 0) {
		tmp = NULL;
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0 || fchmod(fd, 0600) < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	/* One fsync of the file, then of its folder once the rename is done. */
	ret = write_fd(fd, text);
	if (ret == 0)
		ret = write_fd(fd, "\n");
	if (ret == 0 && fsync(fd) < 0)
		ret = -errno;
	if (ret == 0 && rename(tmp, path) < 0)
		ret = -errno;
	if (ret == 0)
		ret = sync_dir(path);
	if (ret)
		snprintf(err, errlen, "%s: cannot save: %s", path, strerror(-ret));
out:
	if (fd >= 0)
		close(fd);
	if (ret && tmp && fd >= 0)
		unlink(tmp);
	free(tmp);
	return ret;
}

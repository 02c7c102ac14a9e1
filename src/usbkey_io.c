// SPDX-License-Identifier: MIT
/* Files of `amtact usbkey`: reading inputs (secret ones without following links) and
 * writing setup.bin atomically (temporary file, flush, rename, flush the folder). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "usbkey_io.h"

int usbkey_read_file(const char *path, size_t max, bool secret, uint8_t **out, size_t *len,
		     int *loose_mode, struct amt_err *e)
{
	int fd = STDIN_FILENO, ret = -EINVAL;
	uint8_t *buf = NULL;
	struct stat st;

	*out = NULL;
	*len = 0;
	if (loose_mode)
		*loose_mode = 0;
	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (secret ? O_NOFOLLOW : 0));
		if (fd < 0)
			return err_set(e, -errno, "%s: %s%s", path, strerror(errno),
				       errno == ELOOP ? " (a symbolic link is not followed for a "
				       "file holding secrets)" : "");
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			ret = err_set(e, -EINVAL, "%s: not a regular file", path);
			goto out;
		}
		if (loose_mode)
			*loose_mode = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
	}
	buf = malloc(max + 1);
	if (!buf) {
		ret = err_set(e, -ENOMEM, "out of memory");
		goto out;
	}
	ret = fileio_read_all(fd, buf, max + 1, len);
	if (ret == 0 && *len > max)
		ret = err_set(e, -EFBIG, "%s: larger than %zu bytes", path, max);
	else if (ret < 0)
		err_set(e, ret, "%s: %s", path, strerror(-ret));
out:
	if (fd != STDIN_FILENO)
		close(fd);
	if (ret < 0 && buf) {
		secret_cleanse(buf, max + 1);
		free(buf);
		buf = NULL;
		*len = 0;
	}
	*out = buf;
	return ret;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A fresh temporary name next to the target; O_EXCL makes a planted file fail, not win. */
static int open_temp(int dfd, char *tmp, size_t cap)
{
	for (unsigned i = 0; i < 100; i++) {
		int fd;

		snprintf(tmp, cap, ".setup.bin.%ld.%u", (long)getpid(), i);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? -errno : fd;
	}
	return -EEXIST;
}

int usbkey_write_atomic(const char *dir, const char *name, const uint8_t *data, size_t len,
			bool force, struct amt_err *e)
{
	int dfd, fd = -1, ret;
	char tmp[64] = "";
	struct stat st;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return err_set(e, -errno, "%s: %s", dir, strerror(errno));
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && (!force || !S_ISREG(st.st_mode))) {
		ret = err_set(e, -EEXIST, "%s/%s exists%s", dir, name,
			      S_ISREG(st.st_mode) ? " (--force replaces it)" : " and is not a file");
		goto out;
	}
	fd = open_temp(dfd, tmp, sizeof(tmp));
	if (fd < 0) {
		ret = err_set(e, fd, "%s: cannot create a file: %s", dir, strerror(-fd));
		tmp[0] = 0;
		goto out;
	}
	ret = write_all(fd, data, len);
	if (ret == 0 && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	fd = -1;
	if (ret == 0 && renameat(dfd, tmp, dfd, name) < 0)
		ret = -errno;
	if (ret < 0) {
		err_set(e, ret, "%s/%s: writing failed: %s", dir, name, strerror(-ret));
		goto out;
	}
	tmp[0] = 0;
	if (fsync(dfd) < 0)
		ret = err_set(e, -errno, "%s: flushing the folder failed: %s", dir,
			      strerror(errno));
out:
	if (tmp[0])
		unlinkat(dfd, tmp, 0);
	close(dfd);
	return ret;
}

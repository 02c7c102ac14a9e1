// SPDX-License-Identifier: MIT
/* Files of `amtact usbkey`: reading inputs (secret ones without following links) and
 * writing setup.bin atomically (temporary file, flush, rename, flush the folder). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "os.h"
#include "usbkey_io.h"

int usbkey_read_file(const char *path, size_t max, bool secret, uint8_t **out, size_t *len,
		     int *loose_mode, struct amt_err *e)
{
	int fd = os_stdin_fd(), ret = -EINVAL;
	uint8_t *buf = NULL;
	struct os_stat st;

	*out = NULL;
	*len = 0;
	if (loose_mode)
		*loose_mode = 0;
	if (strcmp(path, "-") != 0) {
		fd = os_open(path, OS_RDONLY | (secret ? 0 : OS_FOLLOW));
		if (fd < 0)
			return err_set(e, fd, "%s: %s%s", path, strerror(-fd),
				       fd == -ELOOP ? " (a symbolic link is not followed for a "
				       "file holding secrets)" : "");
		if (os_fstat(fd, &st) < 0 || st.type != OS_TYPE_FILE) {
			ret = err_set(e, -EINVAL, "%s: not a regular file", path);
			goto out;
		}
		if (loose_mode)
			*loose_mode = st.others_read;
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
	if (fd != os_stdin_fd())
		os_close(fd);
	if (ret < 0 && buf) {
		secret_cleanse(buf, max + 1);
		free(buf);
		buf = NULL;
		*len = 0;
	}
	*out = buf;
	return ret;
}

/* A fresh temporary name next to the target; OS_EXCL makes a planted file fail, not win. */
static int open_temp(struct os_dir *d, char *tmp, size_t cap)
{
	for (unsigned i = 0; i < 100; i++) {
		int fd;

		snprintf(tmp, cap, ".setup.bin.%ld.%u", os_getpid(), i);
		fd = os_open_at(d, tmp, OS_WRONLY | OS_CREATE | OS_EXCL);
		if (fd != -EEXIST)
			return fd;
	}
	return -EEXIST;
}

const char *usbkey_dir_sep(const char *dir)
{
	size_t n = strlen(dir);

	return n && strchr("/\\", dir[n - 1]) ? "" : "/";
}

int usbkey_write_atomic(const char *dir, const char *name, const uint8_t *data, size_t len,
			bool force, struct amt_err *e)
{
	struct os_dir *d = NULL;
	struct os_stat st;
	char tmp[64] = "";
	int fd, ret;

	ret = os_dir_open(&d, NULL, dir, 0);
	if (ret < 0)
		return err_set(e, ret, "%s: %s", dir, strerror(-ret));
	if (os_stat_at(d, name, &st) == 0 && (!force || st.type != OS_TYPE_FILE)) {
		ret = err_set(e, -EEXIST, "%s%s%s exists%s", dir, usbkey_dir_sep(dir), name,
			      st.type == OS_TYPE_FILE ? " (--force replaces it)" :
			      " and is not a file");
		goto out;
	}
	fd = open_temp(d, tmp, sizeof(tmp));
	if (fd < 0) {
		ret = err_set(e, fd, "%s: cannot create a file: %s", dir, strerror(-fd));
		tmp[0] = 0;
		goto out;
	}
	ret = os_write_all(fd, data, len);
	if (ret == 0)
		ret = os_fsync(fd);
	if (os_close(fd) < 0 && ret == 0)
		ret = -EIO;
	if (ret == 0)
		ret = os_rename_at(d, tmp, d, name);
	if (ret < 0) {
		err_set(e, ret, "%s%s%s: writing failed: %s", dir, usbkey_dir_sep(dir), name,
			strerror(-ret));
		goto out;
	}
	tmp[0] = 0;
	ret = os_dir_sync(d);
	if (ret < 0)
		err_set(e, ret, "%s: flushing the folder failed: %s", dir, strerror(-ret));
out:
	if (tmp[0])
		os_unlink_at(d, tmp);
	os_dir_close(d);
	return ret;
}

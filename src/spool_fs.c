// SPDX-License-Identifier: MIT
/* The spool's file-system steps: atomic durable writes, locks, private directories, CRC. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spool_fs.h"

/* Test hook: die here, as a power cut or kill -9 would, when AMTACT_CRASH_AT names it. */
void spool_fs_crash_at(int armed, const char *point)
{
	const char *want = getenv("AMTACT_CRASH_AT");

	if (armed && want && strcmp(want, point) == 0)
		raise(SIGKILL);
}

uint32_t spool_fs_crc32(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= b[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

int spool_fs_lock(int dfd, const char *name, int how)
{
	int fd = openat(dfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	while (flock(fd, how) < 0) {
		int e = errno;

		if (e == EINTR)
			continue;
		close(fd);
		return e == EWOULDBLOCK ? -EBUSY : -e;
	}
	return fd;
}

static int write_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len) {
		ssize_t n = write(fd, c, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_tmp(int dfd, const char *tmp, const char *hdr, size_t hlen,
		     const void *body, size_t len, int armed)
{
	int fd, ret;

	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	spool_fs_crash_at(armed, "put-tmp");
	ret = write_all(fd, hdr, hlen);
	if (ret == 0)
		ret = write_all(fd, body, len / 2);
	spool_fs_crash_at(armed, "put-half");
	if (ret == 0)
		ret = write_all(fd, (const char *)body + len / 2, len - len / 2);
	spool_fs_crash_at(armed, "put-written");
	if (ret == 0 && fsync(fd) < 0)
		ret = -errno;
	spool_fs_crash_at(armed, "put-synced");
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	return ret;
}

/*
 * Write `name` in dfd atomically: temp file, fsync, rename, fsync of the directory.
 * A NULL `hdr` writes the body alone (reason files). `armed` enables the put-* crash points.
 */
int spool_fs_write_atomic(int dfd, const char *name, const char *hdr, const void *body,
			  size_t len, int armed)
{
	char tmp[96];
	unsigned int r = 0;
	int ret;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) < 0)
		r = (unsigned int)clock();
	snprintf(tmp, sizeof(tmp), ".tmp-%ld-%08x", (long)getpid(), r);
	ret = write_tmp(dfd, tmp, hdr ? hdr : "", hdr ? strlen(hdr) : 0, body, len,
			armed);
	if (ret == 0 && renameat(dfd, tmp, dfd, name) < 0)
		ret = -errno;
	if (ret < 0) {
		unlinkat(dfd, tmp, 0);
		return ret;
	}
	spool_fs_crash_at(armed, "put-renamed");
	return fsync(dfd) < 0 ? -errno : 0;
}

static int check_dir(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return -EPERM;
	return 0;
}

int spool_fs_open_dir(int parent, const char *name)
{
	int fd, ret;

	if (mkdirat(parent, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? -ENOTDIR : -errno;
	ret = check_dir(fd);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}

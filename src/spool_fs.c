// SPDX-License-Identifier: MIT
/* The spool's file-system steps: atomic durable writes, locks, private directories, CRC. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "os.h"
#include "spool_fs.h"

/*
 * Test hook: die here, as a power cut or kill -9 would, when AMTACT_CRASH_AT names it;
 * "abort:<point>" aborts instead (SIGABRT: a crash that would leave a core file).
 */
void spool_fs_crash_at(int armed, const char *point)
{
	const char *want = getenv("AMTACT_CRASH_AT");

	if (!armed || !want)
		return;
	if (strcmp(want, point) == 0)
		os_kill_self();
	if (strncmp(want, "abort:", 6) == 0 && strcmp(want + 6, point) == 0)
		abort();
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

int spool_fs_lock(struct os_dir *dir, const char *name, unsigned how)
{
	int ret, fd = os_open_at(dir, name, OS_RDWR | OS_CREATE);

	if (fd < 0)
		return fd;
	ret = os_lock(fd, how);
	if (ret < 0) {
		os_close(fd);
		return ret;
	}
	return fd;
}

static int write_tmp(struct os_dir *dir, const char *tmp, const char *hdr, size_t hlen,
		     const void *body, size_t len, int armed)
{
	int fd, ret;

	fd = os_open_at(dir, tmp, OS_WRONLY | OS_CREATE | OS_EXCL);
	if (fd < 0)
		return fd;
	spool_fs_crash_at(armed, "put-tmp");
	ret = os_write_all(fd, hdr, hlen);
	if (ret == 0)
		ret = os_write_all(fd, body, len / 2);
	spool_fs_crash_at(armed, "put-half");
	if (ret == 0)
		ret = os_write_all(fd, (const char *)body + len / 2, len - len / 2);
	spool_fs_crash_at(armed, "put-written");
	if (ret == 0)
		ret = os_fsync(fd);
	spool_fs_crash_at(armed, "put-synced");
	fd = os_close(fd);
	return ret < 0 ? ret : fd;
}

/*
 * Write `name` in dir atomically: temp file, fsync, rename, fsync of the directory.
 * A NULL `hdr` writes the body alone (reason files). `armed` enables the put-* crash points.
 */
int spool_fs_write_atomic(struct os_dir *dir, const char *name, const char *hdr,
			  const void *body, size_t len, int armed)
{
	char tmp[96];
	unsigned int r = 0;
	int ret;

	if (os_random(&r, sizeof(r), OS_RANDOM_NOWAIT) < 0)
		r = (unsigned int)clock();
	snprintf(tmp, sizeof(tmp), ".tmp-%ld-%08x", os_getpid(), r);
	ret = write_tmp(dir, tmp, hdr ? hdr : "", hdr ? strlen(hdr) : 0, body, len, armed);
	if (ret == 0)
		ret = os_rename_at(dir, tmp, dir, name);
	if (ret < 0) {
		os_unlink_at(dir, tmp);
		return ret;
	}
	spool_fs_crash_at(armed, "put-renamed");
	return os_dir_sync(dir);
}

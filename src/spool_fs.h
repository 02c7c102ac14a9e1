/* SPDX-License-Identifier: MIT */
/* Private to the spool: file-system steps (src/spool_fs.c). Return 0 or -errno; no printing. */
#ifndef AMTACT_SPOOL_FS_H
#define AMTACT_SPOOL_FS_H

#include <stddef.h>
#include <stdint.h>

/* Test hook: SIGKILL ourselves when armed and AMTACT_CRASH_AT names `point`. */
void spool_fs_crash_at(int armed, const char *point);

/* CRC-32 (IEEE, as zlib), for torn-file detection. */
uint32_t spool_fs_crc32(const void *p, size_t len);

/* flock() `name` in dfd (created 0600) with `how`; returns the fd, -EBUSY for LOCK_NB. */
int spool_fs_lock(int dfd, const char *name, int how);

/*
 * Write `name` in dfd atomically and durably: temp ".tmp-*" (0600, O_EXCL), fsync, rename,
 * fsync of the directory. `hdr` (may be NULL) is written before the body. `armed` enables
 * the put-* crash points.
 */
int spool_fs_write_atomic(int dfd, const char *name, const char *hdr, const void *body,
			  size_t len, int armed);

/* mkdir 0700 if missing and open `name` under parent; it must be ours, not g/o-writable. */
int spool_fs_open_dir(int parent, const char *name);

#endif

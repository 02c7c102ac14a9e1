/* SPDX-License-Identifier: MIT */
/* Private to the spool: file-system steps (src/spool_fs.c). Return 0 or -errno; no printing. */
#ifndef AMTACT_SPOOL_FS_H
#define AMTACT_SPOOL_FS_H

#include <stddef.h>
#include <stdint.h>

/* Test hook: SIGKILL ourselves when armed and AMTACT_CRASH_AT names `point`
 * (abort() when it says "abort:<point>"). */
void spool_fs_crash_at(int armed, const char *point);

/* CRC-32 (IEEE, as zlib), for torn-file detection. */
uint32_t spool_fs_crc32(const void *p, size_t len);

struct os_dir;

/* Lock `name` in dir (created private) with os_lock `how`; returns the fd (close to
   release), -EBUSY for OS_LOCK_NB when held. */
int spool_fs_lock(struct os_dir *dir, const char *name, unsigned how);

/*
 * Write `name` in dir atomically and durably: temp ".tmp-*" (private, exclusive), fsync,
 * rename, fsync of the directory. `hdr` (may be NULL) is written before the body. `armed`
 * enables the put-* crash points.
 */
int spool_fs_write_atomic(struct os_dir *dir, const char *name, const char *hdr,
			  const void *body, size_t len, int armed);

#endif

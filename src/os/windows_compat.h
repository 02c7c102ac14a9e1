/* SPDX-License-Identifier: MIT */
/*
 * What the Windows build lacks of the C library the sources use, included before every
 * source of `make windows` (-include): the sources themselves never test for the system.
 */
#ifndef AMTACT_WINDOWS_COMPAT_H
#define AMTACT_WINDOWS_COMPAT_H

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Error codes Linux has and the Windows C runtime lacks (windows_err.c's strerror knows
   them). */
#ifndef EKEYREJECTED
#define EKEYREJECTED 1129
#endif
#ifndef EREMOTEIO
#define EREMOTEIO 1121
#endif
#ifndef ESTALE
#define ESTALE 1116
#endif

/* A wipe the compiler may not drop (glibc's explicit_bzero): the barrier makes the
   zeroed memory count as used. No <windows.h> here: its names would clash. */
static inline void explicit_bzero(void *p, size_t len)
{
	memset(p, 0, len);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

/* POSIX strndup: at most n bytes of s, NUL-terminated, malloc'd. */
#define strndup compat_strndup
static inline char *compat_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = (char *)malloc(len + 1);

	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* The POSIX file calls the emulator's USB-key reader uses (heci/emu/fw_usbkey.c). */
#ifndef O_CLOEXEC
#define O_CLOEXEC _O_NOINHERIT
#endif
#define fsync compat_fsync
static inline int compat_fsync(int fd)
{
	return _commit(fd);
}

#define pwrite compat_pwrite
static inline long compat_pwrite(int fd, const void *buf, size_t n, long long off)
{
	if (_lseeki64(fd, off, SEEK_SET) < 0)
		return -1;
	return _write(fd, buf, n > 0x40000000u ? 0x40000000u : (unsigned)n);
}

#define realpath compat_realpath
static inline char *compat_realpath(const char *path, char *resolved)
{
	return _fullpath(resolved, path, resolved ? 260 : 0);
}

/* glibc's timegm: a broken-down UTC time to seconds since 1970. */
static inline time_t timegm(struct tm *tm)
{
	return _mkgmtime(tm);
}

#endif

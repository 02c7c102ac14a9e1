/* SPDX-License-Identifier: MIT */
/*
 * What the Windows build lacks of the C library the sources use, included before every
 * source of `make windows` (-include): the sources themselves never test for the system.
 */
#ifndef AMTACT_WINDOWS_COMPAT_H
#define AMTACT_WINDOWS_COMPAT_H

#include <stddef.h>
#include <string.h>
#include <time.h>

/* A wipe the compiler may not drop (glibc's explicit_bzero): the barrier makes the
   zeroed memory count as used. No <windows.h> here: its names would clash. */
static inline void explicit_bzero(void *p, size_t len)
{
	memset(p, 0, len);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

/* glibc's timegm: a broken-down UTC time to seconds since 1970. */
static inline time_t timegm(struct tm *tm)
{
	return _mkgmtime(tm);
}

#endif

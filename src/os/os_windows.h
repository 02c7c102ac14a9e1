/* SPDX-License-Identifier: MIT */
/* Private to the Windows port layer (src/os/windows*.c): text, errors and ACLs. */
#ifndef AMTACT_OS_WINDOWS_H
#define AMTACT_OS_WINDOWS_H

#include <windows.h>

#include "os.h"

/* Every handle lets others read, write and rename around it, as POSIX files do. */
#define OS_WIN_SHARE (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

/* UTF-8 to UTF-16 and back, malloc'd; NULL for text that is not valid or out of memory. */
wchar_t *os_win_wide(const char *s);
char *os_win_utf8(const wchar_t *w);

/* A Win32 error as a negative errno. */
int os_win_errno(DWORD err);

/*
 * The security descriptor of what the agent creates: protected (nothing inherited from
 * the parent), full control for SYSTEM, Administrators and the creating user, nobody else;
 * for folders inherited by what is created inside. NULL if it cannot be built (then the
 * parent's inheritance applies).
 */
SECURITY_DESCRIPTOR *os_win_private_sd(bool dir);

/* Fill owner, owner_is_us, others_read, others_write and mode of st from h's ACL. */
int os_win_acl_facts(HANDLE h, struct os_stat *st);

/* Is the SID SYSTEM or the Administrators group? */
bool os_win_admin_sid(PSID sid);

#endif

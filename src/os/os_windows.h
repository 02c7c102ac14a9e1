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

/*
 * Who owns h and what its DACL lets everyone else do: `others` is the union of the rights
 * its allow entries give to anyone but the owner, us, SYSTEM, Administrators,
 * TrustedInstaller and OWNER RIGHTS (all rights for a NULL DACL). 0 or -errno.
 */
struct os_win_rights {
	bool owner_is_admin;  /* SYSTEM, Administrators, TrustedInstaller, or us when privileged */
	bool owner_is_me;     /* the current token's user */
	ACCESS_MASK others;
};
int os_win_acl_rights(HANDLE h, struct os_win_rights *r);
/* The same from a security descriptor holding the owner and the DACL (a missing DACL is
   taken as a NULL one: everyone may do everything). */
void os_win_sd_rights(PSECURITY_DESCRIPTOR sd, struct os_win_rights *r);
/* The walk's verdict on one component (windows_walk.c explains the rule): NULL when it
   passes, else why not. `last`: the component the agent uses, not a folder on the way. */
const char *os_win_rights_refusal(const struct os_win_rights *r, bool last);

/* Rights that change a file's contents or a folder's entries, or the object itself. */
#define OS_WIN_WRITE_RIGHTS (FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | DELETE | \
			     WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL | \
			     FILE_DELETE_CHILD)
#define OS_WIN_READ_RIGHTS (FILE_READ_DATA | GENERIC_READ | GENERIC_ALL)
/* Rights that let someone remove, rename or replace a folder's entries (or the folder), or
   give themselves any right (windows_walk.c explains the rule). */
#define OS_WIN_REPLACE_RIGHTS (DELETE | FILE_DELETE_CHILD | WRITE_DAC | WRITE_OWNER | \
			       GENERIC_ALL)

/* Is the SID SYSTEM, the Administrators group or TrustedInstaller? */
bool os_win_admin_sid(PSID sid);

/* An os_dir for the folder handle h (opened for listing, without FILE_SHARE_DELETE) at
   the UTF-8 `path`; takes h (closed on failure). 0 or -ENOMEM. */
int os_win_dir_adopt(struct os_dir **out, HANDLE h, const char *path);

/* The network adapters with their addresses (GetAdaptersAddresses, src/os/windows_sysinfo.c),
 * or NULL; free() the result. */
struct _IP_ADAPTER_ADDRESSES_LH *os_win_adapters(void);

/*
 * A device node's facts (DEVINST), as UTF-8 (src/os/windows_usb.c): its instance id
 * (0 or -ENOENT); a registry property (CM_DRP_*) with a REG_MULTI_SZ's inner NULs kept,
 * returning its length in bytes (0: none); the product string the device reported to its
 * bus ("" none).
 */
int os_win_devnode_id(unsigned long devinst, char *out, size_t cap);
size_t os_win_devnode_prop(unsigned long devinst, unsigned long prop, char *out, size_t cap);
void os_win_devnode_product(unsigned long devinst, char *out, size_t cap);

#endif

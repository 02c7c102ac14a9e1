// SPDX-License-Identifier: MIT
/* The Windows port layer: real paths, folders the agent writes in, process protection. */
#include <windows.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_windows.h"

static char refusal[OS_PATH_MAX];

const char *os_path_refusal(void)
{
	return refusal;
}

int os_real_path(const char *path, char *out, size_t cap)
{
	wchar_t *w = os_win_wide(path), full[OS_PATH_MAX / 2];
	HANDLE h = INVALID_HANDLE_VALUE;
	DWORD n = 0;
	char *s = NULL;
	int ret = -EINVAL;

	if (w)
		h = CreateFileW(w, FILE_READ_ATTRIBUTES, OS_WIN_SHARE, NULL, OPEN_EXISTING,
				FILE_FLAG_BACKUP_SEMANTICS, NULL);
	if (h != INVALID_HANDLE_VALUE)
		n = GetFinalPathNameByHandleW(h, full, OS_PATH_MAX / 2, FILE_NAME_NORMALIZED);
	if (w && h == INVALID_HANDLE_VALUE)
		ret = os_win_errno(GetLastError());
	else if (n > 0 && n < OS_PATH_MAX / 2 && (s = os_win_utf8(full)))
		/* "\\?\C:\x" is the long-path form of "C:\x". */
		ret = (size_t)snprintf(out, cap, "%s", strncmp(s, "\\\\?\\", 4) ? s : s + 4) < cap
		      ? 0 : -ENAMETOOLONG;
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
	free(w);
	free(s);
	return ret;
}

/*
 * Windows, for now: the folder (created with its parents, each private) must itself pass
 * the owner/ACL rule; the component-by-component walk of POSIX is not done yet (Windows
 * has no sticky bit to tell a shared temporary folder from an unsafe one, and wine shows
 * /tmp as writable by everyone).
 */
int os_dir_open_path(struct os_dir **out, const char *path, unsigned flags, char *why,
		     size_t whylen)
{
	int ret = 0;

	*out = NULL;
	refusal[0] = '\0';
	if (flags & OS_DIR_CREATE)
		ret = os_mkdirs(path);
	if (ret == 0)
		ret = os_dir_open(out, NULL, path, flags & OS_DIR_PRIVATE);
	if (ret == -EPERM && !refusal[0])
		snprintf(refusal, sizeof(refusal), "%s: owned by someone else or writable by "
			 "others", path);
	if (why)
		snprintf(why, whylen, "%s", refusal);
	return ret;
}

/* Windows writes no core file; a crash report (WER) of a SYSTEM process holds no memory
   unless an administrator configured full dumps. Errors never raise a dialog box. */
int os_process_protect(void)
{
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
	return 0;
}

void os_memory_lock(void *p, size_t len)
{
	VirtualLock(p, len);
}

int os_exe_dir(char *buf, size_t cap)
{
	int ret = os_self_path(buf, cap);
	char *slash = ret == 0 ? strrchr(buf, '\\') : NULL;

	if (slash)
		*slash = '\0';
	return ret;
}

/* The Windows build links its HTTPS transport in: there is no module to load. */
void *os_module_symbol(const char *path, const char *symbol, char *why, size_t whylen)
{
	snprintf(why, whylen, "%s: %s: modules are not loaded on Windows", path, symbol);
	return NULL;
}

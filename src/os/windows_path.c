// SPDX-License-Identifier: MIT
/* The Windows port layer: real paths, process protection, the program's folder. */
#include <windows.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_windows.h"

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

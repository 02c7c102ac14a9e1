// SPDX-License-Identifier: MIT
/* The machine file on Windows: read whole, replace atomically and durably (fw_int.h). */
#include <windows.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_int.h"

static wchar_t *wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	wchar_t *w = n > 0 ? malloc((size_t)n * sizeof(*w)) : NULL;

	if (w)
		MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
	return w;
}

static int win_errno(DWORD e)
{
	switch (e) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
		return -ENOENT;
	case ERROR_ACCESS_DENIED:
		return -EACCES;
	case ERROR_SHARING_VIOLATION:
		return -EBUSY;
	default:
		return -EIO;
	}
}

int fw_file_read(const char *path, size_t max, char **text, char *err, size_t errlen)
{
	wchar_t *w = wide(path);
	HANDLE h = INVALID_HANDLE_VALUE;
	LARGE_INTEGER size = { 0 };
	DWORD got = 0;
	char *buf = NULL;
	int ret = -ENOMEM;

	if (!w) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
			NULL, OPEN_EXISTING, 0, NULL);
	free(w);
	if (h == INVALID_HANDLE_VALUE || !GetFileSizeEx(h, &size)) {
		ret = win_errno(GetLastError());
		snprintf(err, errlen, "%s: %s", path, ret == -EACCES &&
			 (GetFileAttributesA(path) & FILE_ATTRIBUTE_DIRECTORY) ? "is a directory"
			 : strerror(-ret));
		goto out;
	}
	ret = fw_file_buffer(path, (uint64_t)size.QuadPart, max, &buf, err, errlen);
	if (ret < 0)
		goto out;
	if (!ReadFile(h, buf, (DWORD)size.QuadPart, &got, NULL) || got != (DWORD)size.QuadPart)
		ret = -EIO;
	ret = fw_file_loaded(path, &buf, ret, text, err, errlen);
out:
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
	free(buf);
	return ret;
}

static int write_tmp(const wchar_t *w, const char *text)
{
	HANDLE h = CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
	DWORD len = (DWORD)strlen(text), put = 0;
	int ret = 0;

	if (h == INVALID_HANDLE_VALUE)
		return win_errno(GetLastError());
	if (!WriteFile(h, text, len, &put, NULL) || put != len ||
	    !WriteFile(h, "\n", 1, &put, NULL) || put != 1 || !FlushFileBuffers(h))
		ret = -EIO;
	CloseHandle(h);
	return ret;
}

int fw_file_replace(const char *path, const char *text, char *err, size_t errlen)
{
	char tmp[4096];
	wchar_t *wt = NULL, *wp = NULL;
	int ret = -ENOMEM;

	snprintf(tmp, sizeof(tmp), "%s.tmp%lu", path, (unsigned long)GetCurrentProcessId());
	wt = wide(tmp);
	wp = wide(path);
	if (wt && wp) {
		DeleteFileW(wt);
		ret = write_tmp(wt, text);
	}
	if (ret == 0 && !MoveFileExW(wt, wp, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
		ret = win_errno(GetLastError());
	if (ret) {
		snprintf(err, errlen, "%s: cannot save: %s", path, strerror(-ret));
		if (wt)
			DeleteFileW(wt);
	}
	free(wt);
	free(wp);
	return ret;
}

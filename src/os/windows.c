// SPDX-License-Identifier: MIT
/* The port layer on Windows: files, directories, locks and atomic replace (include/os.h). */
#include <windows.h>
#include <aclapi.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_int.h"
#include "os_windows.h"

struct os_dir {
	char *path;     /* UTF-8, as opened */
	HANDLE h;       /* held open so the folder cannot be renamed away under us */
};

/* "dir\name", or name alone when d is NULL (relative to the current folder). */
static wchar_t *join(const struct os_dir *d, const char *name)
{
	char buf[OS_PATH_MAX];

	if (!d)
		return os_win_wide(name);
	if ((size_t)snprintf(buf, sizeof(buf), "%s\\%s", d->path, name) >= sizeof(buf))
		return NULL;
	return os_win_wide(buf);
}

static DWORD access_of(unsigned flags)
{
	if (flags & OS_APPEND)
		return FILE_APPEND_DATA | FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE;
	if (flags & OS_RDWR)
		return GENERIC_READ | GENERIC_WRITE | READ_CONTROL;
	if (flags & OS_WRONLY)
		return GENERIC_WRITE | FILE_READ_ATTRIBUTES | READ_CONTROL;
	return GENERIC_READ | READ_CONTROL;
}

static DWORD disposition_of(unsigned flags)
{
	if ((flags & OS_CREATE) && (flags & OS_EXCL))
		return CREATE_NEW;
	return (flags & OS_CREATE) ? OPEN_ALWAYS : OPEN_EXISTING;
}

static int crt_flags(unsigned flags)
{
	int f = _O_BINARY | _O_NOINHERIT;

	if (flags & OS_APPEND)
		f |= _O_WRONLY | _O_APPEND;
	else if (flags & OS_RDWR)
		f |= _O_RDWR;
	else if (flags & OS_WRONLY)
		f |= _O_WRONLY;
	else
		f |= _O_RDONLY;
	return f;
}

static bool is_link(HANDLE h)
{
	BY_HANDLE_FILE_INFORMATION fi;

	return GetFileInformationByHandle(h, &fi) &&
	       (fi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT);
}

/* A folder opened as a file: open it the way folders open, so fstat can say what it is. */
static HANDLE open_dir_as_file(const wchar_t *w, unsigned flags)
{
	DWORD attr = GetFileAttributesW(w);

	if (attr == INVALID_FILE_ATTRIBUTES || !(attr & FILE_ATTRIBUTE_DIRECTORY) ||
	    (flags & (OS_WRONLY | OS_RDWR | OS_APPEND)))
		return INVALID_HANDLE_VALUE;
	return CreateFileW(w, GENERIC_READ | READ_CONTROL, OS_WIN_SHARE, NULL, OPEN_EXISTING,
			   FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
}

int os_open_at(struct os_dir *d, const char *name, unsigned flags)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, FALSE };
	DWORD fl = FILE_ATTRIBUTE_NORMAL;
	wchar_t *w = join(d, name);
	HANDLE h;
	int fd, ret;

	if (!w)
		return -ENAMETOOLONG;
	if (!(flags & OS_FOLLOW))
		fl |= FILE_FLAG_OPEN_REPARSE_POINT;
	sa.lpSecurityDescriptor = (flags & OS_CREATE) ? os_win_private_sd(false) : NULL;
	h = CreateFileW(w, access_of(flags), OS_WIN_SHARE, &sa, disposition_of(flags), fl, NULL);
	ret = h == INVALID_HANDLE_VALUE ? os_win_errno(GetLastError()) : 0;
	if (ret == -EACCES && (h = open_dir_as_file(w, flags)) != INVALID_HANDLE_VALUE)
		ret = 0;
	free(w);
	if (ret < 0)
		return ret;
	if (!(flags & OS_FOLLOW) && is_link(h)) {
		CloseHandle(h);
		return -ELOOP;
	}
	fd = _open_osfhandle((intptr_t)h, crt_flags(flags));
	if (fd < 0) {
		CloseHandle(h);
		return -EMFILE;
	}
	return fd;
}

static HANDLE handle_of(int fd)
{
	return (HANDLE)_get_osfhandle(fd);
}

static int64_t unix_seconds(FILETIME ft)
{
	ULARGE_INTEGER u = { .LowPart = ft.dwLowDateTime, .HighPart = ft.dwHighDateTime };

	return (int64_t)(u.QuadPart / 10000000ull) - 11644473600ll;
}

static int stat_handle(HANDLE h, struct os_stat *st)
{
	BY_HANDLE_FILE_INFORMATION fi;
	DWORD type = GetFileType(h);

	memset(st, 0, sizeof(*st));
	if (type != FILE_TYPE_DISK) {
		st->type = OS_TYPE_OTHER;
		st->owner_is_us = true;
		st->mode = 0600;
		return 0;
	}
	if (!GetFileInformationByHandle(h, &fi))
		return os_win_errno(GetLastError());
	if (fi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
		st->type = OS_TYPE_OTHER;
	else
		st->type = (fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ? OS_TYPE_DIR
									       : OS_TYPE_FILE;
	st->size = ((uint64_t)fi.nFileSizeHigh << 32) | fi.nFileSizeLow;
	st->mtime = unix_seconds(fi.ftLastWriteTime);
	return os_win_acl_facts(h, st);
}

int os_fstat(int fd, struct os_stat *st)
{
	HANDLE h = handle_of(fd);

	return h == INVALID_HANDLE_VALUE ? -EBADF : stat_handle(h, st);
}

static int stat_wide(const wchar_t *w, bool follow, struct os_stat *st)
{
	DWORD fl = FILE_FLAG_BACKUP_SEMANTICS | (follow ? 0 : FILE_FLAG_OPEN_REPARSE_POINT);
	HANDLE h = CreateFileW(w, FILE_READ_ATTRIBUTES | READ_CONTROL, OS_WIN_SHARE, NULL,
			       OPEN_EXISTING, fl, NULL);
	int ret;

	if (h == INVALID_HANDLE_VALUE)
		return os_win_errno(GetLastError());
	ret = stat_handle(h, st);
	CloseHandle(h);
	return ret;
}

int os_stat_at(struct os_dir *d, const char *name, struct os_stat *st)
{
	wchar_t *w = join(d, name);
	int ret = w ? stat_wide(w, false, st) : -ENAMETOOLONG;

	free(w);
	return ret;
}

int os_stat(const char *path, struct os_stat *st)
{
	wchar_t *w = os_win_wide(path);
	int ret = w ? stat_wide(w, true, st) : -EINVAL;

	free(w);
	return ret;
}

static int check_dir_handle(HANDLE h, unsigned flags)
{
	struct os_stat st;
	int ret = stat_handle(h, &st);

	return ret < 0 ? ret : os_dir_verdict(&st, flags);
}

static int make_dir(const wchar_t *w)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), os_win_private_sd(true), FALSE };

	if (CreateDirectoryW(w, &sa) || GetLastError() == ERROR_ALREADY_EXISTS)
		return 0;
	return os_win_errno(GetLastError());
}

int os_dir_open(struct os_dir **out, struct os_dir *parent, const char *name,
		unsigned flags)
{
	char buf[OS_PATH_MAX];
	wchar_t *w = join(parent, name);
	struct os_dir *d = NULL;
	HANDLE h = INVALID_HANDLE_VALUE;
	int ret = w ? 0 : -ENAMETOOLONG;

	*out = NULL;
	if (ret == 0 && (flags & OS_DIR_CREATE))
		ret = make_dir(w);
	if (ret == 0) {
		h = CreateFileW(w, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | READ_CONTROL,
				OS_WIN_SHARE & ~FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
				FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, NULL);
		ret = h == INVALID_HANDLE_VALUE ? os_win_errno(GetLastError()) : 0;
	}
	if (ret == 0 && is_link(h))
		ret = -ENOTDIR;
	if (ret == 0)
		ret = check_dir_handle(h, flags);
	if (ret == 0 && parent)
		snprintf(buf, sizeof(buf), "%s\\%s", parent->path, name);
	else if (ret == 0)
		snprintf(buf, sizeof(buf), "%s", name);
	if (ret == 0 && (!(d = calloc(1, sizeof(*d))) || !(d->path = strdup(buf))))
		ret = -ENOMEM;
	free(w);
	if (ret < 0) {
		if (h != INVALID_HANDLE_VALUE)
			CloseHandle(h);
		if (d)
			free(d);
		return ret;
	}
	d->h = h;
	*out = d;
	return 0;
}

int os_win_dir_adopt(struct os_dir **out, HANDLE h, const char *path)
{
	struct os_dir *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d || !(d->path = strdup(path))) {
		free(d);
		CloseHandle(h);
		return -ENOMEM;
	}
	d->h = h;
	*out = d;
	return 0;
}

void os_dir_close(struct os_dir *d)
{
	if (d) {
		CloseHandle(d->h);
		free(d->path);
		free(d);
	}
}

static bool is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* Where the folders to create start: after "C:\", "\\server\share\" or a leading "\". */
static size_t first_component(const char *p)
{
	size_t i = 0;

	if (is_sep(p[0]) && is_sep(p[1])) {
		i = 2;
		for (int parts = 0; parts < 2 && p[i]; parts++) {
			while (p[i] && !is_sep(p[i]))
				i++;
			while (is_sep(p[i]))
				i++;
		}
		return i;
	}
	if (p[0] && p[1] == ':')
		i = 2;
	while (is_sep(p[i]))
		i++;
	return i;
}

int os_mkdirs(const char *dir)
{
	char path[OS_PATH_MAX];
	size_t len = strlen(dir);
	wchar_t *w;
	int ret = 0;

	if (len == 0 || len >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, len + 1);
	for (size_t i = first_component(path); ret == 0; i++) {
		char c = path[i];

		if (c && !is_sep(c))
			continue;
		path[i] = '\0';
		w = os_win_wide(path);
		ret = w ? make_dir(w) : -EINVAL;
		free(w);
		path[i] = c;
		if (!c)
			break;
	}
	return ret;
}

int os_dir_list(struct os_dir *d, int (*fn)(const char *name, void *arg), void *arg)
{
	WIN32_FIND_DATAW fd;
	wchar_t *w = join(d, "*");
	HANDLE h;
	int ret = 0;

	if (!w)
		return -ENAMETOOLONG;
	h = FindFirstFileW(w, &fd);
	free(w);
	if (h == INVALID_HANDLE_VALUE)
		return GetLastError() == ERROR_FILE_NOT_FOUND ? 0 : os_win_errno(GetLastError());
	do {
		char *name = os_win_utf8(fd.cFileName);

		if (!name) {
			ret = -ENOMEM;
			break;
		}
		if (strcmp(name, ".") && strcmp(name, ".."))
			ret = fn(name, arg);
		free(name);
	} while (ret == 0 && FindNextFileW(h, &fd));
	FindClose(h);
	return ret < 0 ? ret : 0;
}

/* The renames are written through (MoveFileExW); the folder itself has nothing to flush. */
int os_dir_sync(struct os_dir *d)
{
	(void)d;
	return 0;
}

int os_rename_at(struct os_dir *d1, const char *from, struct os_dir *d2, const char *to)
{
	wchar_t *a = join(d1, from), *b = join(d2, to);
	int ret = -ENAMETOOLONG;

	if (a && b)
		ret = MoveFileExW(a, b, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)
			? 0 : os_win_errno(GetLastError());
	free(a);
	free(b);
	return ret;
}

int os_unlink_at(struct os_dir *d, const char *name)
{
	wchar_t *w = join(d, name);
	int ret = -ENAMETOOLONG;

	if (w)
		ret = DeleteFileW(w) ? 0 : os_win_errno(GetLastError());
	free(w);
	return ret;
}

long os_read(int fd, void *buf, size_t cap)
{
	int n = _read(fd, buf, cap > 0x40000000 ? 0x40000000 : (unsigned)cap);

	return n < 0 ? -errno : n;
}

int os_write_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len) {
		int n = _write(fd, c, len > 0x40000000 ? 0x40000000 : (unsigned)len);

		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

int os_fsync(int fd)
{
	return FlushFileBuffers(handle_of(fd)) ? 0 : os_win_errno(GetLastError());
}

int os_close(int fd)
{
	return _close(fd) < 0 ? -errno : 0;
}

int os_stdin_fd(void)
{
	return 0;
}

/* Far past any data, so the lock (mandatory on Windows) never blocks reading the file. */
static OVERLAPPED lock_range(void)
{
	OVERLAPPED ov = { 0 };

	ov.Offset = 0xfffffffeu;
	ov.OffsetHigh = 0x7fffffffu;
	return ov;
}

int os_lock(int fd, unsigned how)
{
	HANDLE h = handle_of(fd);
	OVERLAPPED ov = lock_range();
	DWORD fl = 0;

	if (how & OS_LOCK_EX)
		fl |= LOCKFILE_EXCLUSIVE_LOCK;
	if (how & OS_LOCK_NB)
		fl |= LOCKFILE_FAIL_IMMEDIATELY;
	/* flock converts a held lock; LockFileEx would stack a second one. */
	UnlockFileEx(h, 0, 1, 0, &ov);
	ov = lock_range();
	if (LockFileEx(h, fl, 0, 1, 0, &ov))
		return 0;
	return GetLastError() == ERROR_LOCK_VIOLATION || GetLastError() == ERROR_IO_PENDING
	       ? -EBUSY : os_win_errno(GetLastError());
}

int os_unlock(int fd)
{
	OVERLAPPED ov = lock_range();

	return UnlockFileEx(handle_of(fd), 0, 1, 0, &ov) ? 0 : os_win_errno(GetLastError());
}

// SPDX-License-Identifier: MIT
/* The Windows port layer's path rule: every folder from the volume root down (os.h). */
#include <windows.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_windows.h"

/*
 * The rule, for a privileged (SYSTEM / elevated) run. Each component of the full path
 * (GetFullPathNameW: the name Windows itself opens), from the volume root down, is opened
 * without following a reparse point (FILE_FLAG_OPEN_REPARSE_POINT) and held open without
 * FILE_SHARE_DELETE until the next one is checked, and:
 *  - is no reparse point (symbolic link, junction, mount point), the volume root aside;
 *  - is owned by SYSTEM, Administrators or TrustedInstaller (or by us);
 *  - in its DACL, no allow entry for anyone but those and us (Users, Authenticated Users,
 *    Everyone, another user) that applies to the object itself grants
 *      on the way (every folder above the last): DELETE (but on the volume root, which
 *        cannot be renamed), FILE_DELETE_CHILD, WRITE_DAC, WRITE_OWNER or GENERIC_ALL;
 *      the last component: any of those or FILE_WRITE_DATA (add file), FILE_APPEND_DATA
 *        (add subfolder), FILE_WRITE_EA, GENERIC_WRITE;
 *  - is reached where its parent is: its final path (GetFinalPathNameByHandleW) lies
 *    directly in the parent's, so a junction set on the way is noticed.
 * Why adding entries to a folder on the way is allowed: removing or renaming an entry takes
 * DELETE on the entry or FILE_DELETE_CHILD on the folder, a folder's name cannot be taken
 * while it exists, and WRITE_DAC / WRITE_OWNER would let someone grant themselves the rest
 * (Microsoft, "File Access Rights Constants" and "Standard Access Rights",
 * learn.microsoft.com/windows/win32/fileio/file-access-rights-constants,
 * learn.microsoft.com/windows/win32/secauthz/standard-access-rights); a reparse point
 * cannot be set on a folder that is not empty (FSCTL_SET_REPARSE_POINT,
 * STATUS_DIRECTORY_NOT_EMPTY, learn.microsoft.com/windows-hardware/drivers/ifs/
 * fsctl-set-reparse-point), and every folder on the way holds the next component. This is
 * what lets a stock C:\ (Authenticated Users may create folders in it) and C:\ProgramData
 * (Users may create files and folders in it) be crossed, as POSIX crosses a sticky /tmp,
 * while a folder users may modify (a new folder under C:\ inherits Modify for
 * Authenticated Users) is refused. A folder someone else created (a squatted
 * C:\ProgramData\amtact) is refused by its owner.
 */

static char refusal[OS_PATH_MAX];

const char *os_path_refusal(void)
{
	return refusal;
}

struct walk {
	wchar_t *full;             /* the full path, split in place at each component */
	HANDLE parent, cur;
	wchar_t parent_final[OS_PATH_MAX / 2];
};

/* Where the first folder below the volume root starts: "C:\", "\\server\share\",
   "\\?\C:\", "\\?\UNC\server\share\". */
static size_t root_len(const wchar_t *p)
{
	size_t i = 0, parts = 2;

	if (wcsncmp(p, L"\\\\?\\", 4) == 0) {
		i = 4;
		if (wcsncmp(p + 4, L"UNC\\", 4) != 0)
			return p[i] && p[i + 1] == L':' ? i + 3 : i;
		i = 8;
	} else if (p[0] == L'\\' && p[1] == L'\\') {
		i = 2;
	} else {
		return p[0] && p[1] == L':' ? 3 : 1;
	}
	while (parts-- && p[i]) {
		while (p[i] && p[i] != L'\\')
			i++;
		if (p[i])
			i++;
	}
	return i;
}

static void refuse(const wchar_t *shown, const char *why)
{
	char *s = os_win_utf8(shown);

	snprintf(refusal, sizeof(refusal), "%s: %s", s ? s : "?", why);
	free(s);
}

/* The final path of h ("\\?\C:\x"), without a trailing '\\'. */
static bool final_path(HANDLE h, wchar_t *out, DWORD cap)
{
	DWORD n = GetFinalPathNameByHandleW(h, out, cap, FILE_NAME_NORMALIZED);

	if (n == 0 || n >= cap)
		return false;
	if (n > 1 && out[n - 1] == L'\\')
		out[--n] = 0;
	return true;
}

/* The last component of p. */
static const wchar_t *last_name(const wchar_t *p)
{
	const wchar_t *s = wcsrchr(p, L'\\');

	return s ? s + 1 : p;
}

/* Is `final`'s last name the one asked for (a short 8.3 name taken as its long one)? */
static bool same_name(const wchar_t *final, const wchar_t *asked)
{
	wchar_t *long_name;
	DWORD n;
	bool same;

	if (CompareStringOrdinal(last_name(final), -1, last_name(asked), -1, TRUE) == CSTR_EQUAL)
		return true;
	n = GetLongPathNameW(asked, NULL, 0);
	long_name = n ? calloc(n + 1, sizeof(wchar_t)) : NULL;
	same = long_name && GetLongPathNameW(asked, long_name, n + 1) > 0 &&
	       CompareStringOrdinal(last_name(final), -1, last_name(long_name), -1, TRUE) ==
	       CSTR_EQUAL;
	free(long_name);
	return same;
}

/* Is h's final path the asked name directly inside the parent's (no link or junction
   crossed on the way)? */
static int in_parent(struct walk *w, HANDLE h, bool root)
{
	wchar_t mine[OS_PATH_MAX / 2];
	size_t n = wcslen(w->parent_final);

	if (!final_path(h, mine, OS_PATH_MAX / 2)) {
		refuse(w->full, "its final path cannot be read (GetFinalPathNameByHandle)");
		return -EPERM;
	}
	if (!root && (wcslen(mine) <= n + 1 || mine[n] != L'\\' || wcschr(mine + n + 1, L'\\') ||
		      CompareStringOrdinal(mine, (int)n, w->parent_final, (int)n, TRUE) !=
		      CSTR_EQUAL || !same_name(mine, w->full))) {
		refuse(w->full, "reached through a link or junction");
		return -ELOOP;
	}
	memcpy(w->parent_final, mine, sizeof(mine));
	return 0;
}

/* Owner and DACL of one component (see the rule above). A volume root cannot be deleted
   or renamed: DELETE on it (Windows gives Authenticated Users Modify on a new volume's
   root) is no danger; FILE_DELETE_CHILD still is. */
static int judge(HANDLE h, bool root, bool last, const wchar_t *shown)
{
	struct os_win_rights r;
	int ret = os_win_acl_rights(h, &r);
	const char *bad;

	if (root)
		r.others &= ~(ACCESS_MASK)DELETE;
	bad = ret < 0 ? strerror(-ret) : os_win_rights_refusal(&r, last);

	if (bad)
		refuse(shown, bad);
	return ret < 0 ? ret : bad ? -EPERM : 0;
}

/* Open the component w->full (cut after it) as a folder or a file, and check it. */
static int step(struct walk *w, bool root, bool last, bool want_dir, bool create)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), os_win_private_sd(true), FALSE };
	BY_HANDLE_FILE_INFORMATION fi;
	DWORD attr, access = FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE;
	int ret;

	if (create && !root && want_dir && !CreateDirectoryW(w->full, &sa) &&
	    GetLastError() != ERROR_ALREADY_EXISTS) {
		ret = os_win_errno(GetLastError());
		refuse(w->full, strerror(-ret));
		return ret;
	}
	w->cur = CreateFileW(w->full, access | (want_dir ? FILE_LIST_DIRECTORY : 0),
			     want_dir ? FILE_SHARE_READ | FILE_SHARE_WRITE : OS_WIN_SHARE, NULL,
			     OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS |
			     FILE_FLAG_OPEN_REPARSE_POINT, NULL);
	if (w->cur == INVALID_HANDLE_VALUE || !GetFileInformationByHandle(w->cur, &fi)) {
		ret = os_win_errno(GetLastError());
		refuse(w->full, strerror(-ret));
		return ret;
	}
	/* The attributes by name too: wine shows a Unix link as a reparse point only there. */
	attr = GetFileAttributesW(w->full);
	if (attr != INVALID_FILE_ATTRIBUTES)
		fi.dwFileAttributes |= attr & FILE_ATTRIBUTE_REPARSE_POINT;
	if (!root && (fi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
		refuse(w->full, "a link or junction (reparse point)");
		return -ELOOP;
	}
	if (want_dir != !!(fi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
	    GetFileType(w->cur) != FILE_TYPE_DISK) {
		refuse(w->full, want_dir ? strerror(ENOTDIR) : "not a regular file");
		return want_dir ? -ENOTDIR : -EINVAL;
	}
	ret = in_parent(w, w->cur, root);
	return ret < 0 ? ret : judge(w->cur, root, last, w->full);
}

/* Cut the full path at `end`, step there, and hold that component as the next parent. */
static int component(struct walk *w, size_t end, bool root, bool last, unsigned flags,
		     bool create)
{
	wchar_t c = w->full[end];
	int ret;

	w->full[end] = 0;
	ret = step(w, root, last, !last || (flags & OS_PATH_DIR), create);
	w->full[end] = c;
	if (w->parent != INVALID_HANDLE_VALUE)
		CloseHandle(w->parent);
	w->parent = w->cur;
	w->cur = INVALID_HANDLE_VALUE;
	return ret;
}

/* The full path Windows opens for `path` ('/' as '\\', "." and ".." resolved), in w. */
static int full_path(struct walk *w, const char *path)
{
	wchar_t *in = os_win_wide(path);
	DWORD n = in ? GetFullPathNameW(in, 0, NULL, NULL) : 0;
	int ret = -EINVAL;

	if (n > 0 && n < OS_PATH_MAX / 2 && (w->full = calloc(n + 1, sizeof(wchar_t))) &&
	    GetFullPathNameW(in, n + 1, w->full, NULL) > 0)
		ret = 0;
	else if (n >= OS_PATH_MAX / 2)
		ret = -ENAMETOOLONG;
	if (ret < 0)
		snprintf(refusal, sizeof(refusal), "%s: %s", path, strerror(-ret));
	free(in);
	return ret;
}

/* Walk the full path of `path` (see the rule above); with `create`, missing folders are
   made private on the way; with OS_PATH_DIR the last folder is returned in *dir. */
static int walk(const char *path, unsigned flags, bool create, struct os_dir **dir)
{
	struct walk w = { NULL, INVALID_HANDLE_VALUE, INVALID_HANDLE_VALUE, { 0 } };
	size_t len, root, start;
	char *shown = NULL;
	int ret;

	refusal[0] = '\0';
	ret = full_path(&w, path);
	if (ret < 0)
		return ret;
	len = wcslen(w.full);
	while (len > 3 && w.full[len - 1] == L'\\')
		w.full[--len] = 0;
	root = root_len(w.full);
	root = root < len ? root : len;
	ret = component(&w, root, true, root >= len, flags, create);
	for (size_t i = start = root; ret == 0 && i <= len; i++) {
		if (i < len && w.full[i] != L'\\')
			continue;
		if (i > start)
			ret = component(&w, i, false, i == len, flags, create);
		start = i + 1;
	}
	if (ret == 0 && dir && (flags & OS_PATH_DIR)) {
		shown = os_win_utf8(w.full);
		ret = shown ? os_win_dir_adopt(dir, w.parent, shown) : -ENOMEM;
		w.parent = INVALID_HANDLE_VALUE;
	}
	if (w.parent != INVALID_HANDLE_VALUE)
		CloseHandle(w.parent);
	free(shown);
	free(w.full);
	return ret;
}

int os_path_safe(const char *path, unsigned flags, struct os_dir **dir, char *why,
		 size_t whylen)
{
	int ret;

	if (dir)
		*dir = NULL;
	ret = walk(path, flags, false, dir);
	if (why)
		snprintf(why, whylen, "%s", refusal);
	return ret;
}

/* Privileged: the walk, creating what is missing. Unprivileged: the folder alone, as the
   user's own (os_dir_open's OS_DIR_PRIVATE). */
int os_dir_open_path(struct os_dir **out, const char *path, unsigned flags, char *why,
		     size_t whylen)
{
	int ret = 0;

	*out = NULL;
	refusal[0] = '\0';
	if (os_privileged()) {
		ret = walk(path, OS_PATH_DIR, flags & OS_DIR_CREATE, out);
	} else {
		if (flags & OS_DIR_CREATE)
			ret = os_mkdirs(path);
		if (ret == 0)
			ret = os_dir_open(out, NULL, path, flags & OS_DIR_PRIVATE);
		if (ret < 0)
			snprintf(refusal, sizeof(refusal), "%s: %s", path, ret == -EPERM ?
				 "owned by another user or writable by others" : strerror(-ret));
	}
	if (why)
		snprintf(why, whylen, "%s", refusal);
	return ret;
}

/*
 * The fixes name the accounts by SID (icacls "*SID"), which every language's Windows
 * understands: S-1-5-18 SYSTEM, S-1-5-32-544 Administrators, S-1-5-32-545 Users.
 */
const char *os_hint(enum os_hint which)
{
	switch (which) {
	case OS_HINT_PATH:
		return "every folder on the way must be owned by SYSTEM, Administrators or "
		       "TrustedInstaller, give no other user the right to delete, rename or change "
		       "permissions, and not be a link or junction";
	case OS_HINT_LOG:
		return "not the administrators' alone (it must be a file owned by SYSTEM or "
		       "Administrators that no other user may write)";
	case OS_HINT_SECRET:
		return "readable by users other than SYSTEM and Administrators (icacls FILE "
		       "/inheritance:r /grant:r *S-1-5-18:F *S-1-5-32-544:F)";
	case OS_HINT_PRIVATE:
		return "readable by SYSTEM, Administrators and its creator only";
	case OS_HINT_CHECKED:
	default:
		return "owner, permissions and the files it names checked as an administrator";
	}
}

const char *os_unsafe_text(enum os_unsafe what, const char *path, const struct os_stat *st,
			   unsigned long want_owner, char *buf, size_t cap)
{
	/* A folder's grants are inherited by what is made in it. */
	const char *inherit = st->type == OS_TYPE_DIR ? "(OI)(CI)" : "";

	(void)want_owner;
	if (what == OS_UNSAFE_OWNER)
		snprintf(buf, cap, "owned by someone other than SYSTEM, Administrators or "
			 "TrustedInstaller (icacls \"%s\" /setowner *S-1-5-32-544)", path);
	else if (what == OS_UNSAFE_WRITABLE)
		snprintf(buf, cap, "writable by users other than SYSTEM and Administrators "
			 "(icacls \"%s\" /inheritance:r /grant:r *S-1-5-18:%sF *S-1-5-32-544:%sF "
			 "*S-1-5-32-545:%sRX)", path, inherit, inherit, inherit);
	else
		snprintf(buf, cap, "a secret readable by users other than SYSTEM and Administrators "
			 "(icacls \"%s\" /inheritance:r /grant:r *S-1-5-18:F *S-1-5-32-544:F)", path);
	return buf;
}

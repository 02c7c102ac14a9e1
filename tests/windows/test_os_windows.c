// SPDX-License-Identifier: MIT
/*
 * The Windows port layer (src/os/windows*.c) under wine or Windows: exclusive private
 * creation, replace over an open file, listing, LockFileEx locks, ACL rules for private
 * folders, the administrator's walk from the volume root (owner and ACL of every folder on
 * the way), links refused, UTF-8 names, defaults. Where wine does not model a Windows rule
 * the test says so and skips that part: wine 8 makes no symbolic link (CreateSymbolicLinkW
 * succeeds and leaves nothing) and shows Unix links as plain files, so the refusal of links
 * is tested on Linux (tests/unit/test_os.c) and only on a real Windows here.
 */
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "os.h"
#include "os_windows.h"

static char tmpdir[MAX_PATH];

static const char *at(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s\\%s", tmpdir, name);
	return buf;
}

static int setup(void **state)
{
	char base[MAX_PATH];
	DWORD n = GetTempPathA(sizeof(base), base);

	(void)state;
	if (n == 0 || n >= sizeof(base))
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "%samtact-os-%lu-%lu", base,
		 (unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount());
	return os_mkdirs(tmpdir) == 0 ? 0 : -1;
}

static void write_text(const char *path, const char *text, unsigned flags)
{
	int fd = os_open(path, OS_WRONLY | OS_CREATE | flags);

	assert_true(fd >= 0);
	assert_int_equal(os_write_all(fd, text, strlen(text)), 0);
	assert_int_equal(os_fsync(fd), 0);
	assert_int_equal(os_close(fd), 0);
}

static void read_text(int fd, char *buf, size_t cap)
{
	long n = os_read(fd, buf, cap - 1);

	assert_true(n >= 0);
	buf[n] = '\0';
}

static void test_create_exclusive(void **state)
{
	char path[MAX_PATH];
	struct os_stat st;
	int fd;

	(void)state;
	at(path, sizeof(path), "new");
	fd = os_open(path, OS_WRONLY | OS_CREATE | OS_EXCL);
	assert_true(fd >= 0);
	assert_int_equal(os_fstat(fd, &st), 0);
	assert_int_equal(st.type, OS_TYPE_FILE);
	assert_true(st.owner_is_us);
	assert_false(st.others_write);
	assert_false(st.others_read);
	os_close(fd);
	assert_int_equal(os_open(path, OS_WRONLY | OS_CREATE | OS_EXCL), -EEXIST);
	assert_int_equal(os_open(at(path, sizeof(path), "missing"), OS_RDONLY), -ENOENT);
}

/*
 * Atomic replace: the new file takes the old name in one step. Unlike POSIX, Windows
 * refuses to replace a file someone holds open (the agent replaces its state and spool
 * files only under its own lock, with nobody reading them).
 */
static void test_replace(void **state)
{
	char path[MAX_PATH], tmp[MAX_PATH], buf[64];
	int old, fd;

	(void)state;
	write_text(at(path, sizeof(path), "state.json"), "old\n", 0);
	write_text(at(tmp, sizeof(tmp), ".state.tmp"), "new contents\n", OS_EXCL);
	old = os_open(path, OS_RDONLY);
	assert_true(old >= 0);
	assert_int_equal(os_rename_at(NULL, tmp, NULL, path), -EACCES);
	read_text(old, buf, sizeof(buf));
	assert_string_equal(buf, "old\n");
	os_close(old);
	assert_int_equal(os_rename_at(NULL, tmp, NULL, path), 0);
	fd = os_open(path, OS_RDONLY);
	assert_true(fd >= 0);
	read_text(fd, buf, sizeof(buf));
	assert_string_equal(buf, "new contents\n");
	os_close(fd);
	assert_int_equal(os_open(tmp, OS_RDONLY), -ENOENT);
	assert_int_equal(os_unlink_at(NULL, path), 0);
	assert_int_equal(os_unlink_at(NULL, path), -ENOENT);
}

struct seen {
	int count;
	int utf8;
};

static int see(const char *name, void *arg)
{
	struct seen *s = arg;

	assert_true(strcmp(name, ".") && strcmp(name, ".."));
	s->count++;
	s->utf8 += strcmp(name, "pr\xc3\xbc" "fung-\xe9\x85\x8d\xe7\xbd\xae.json") == 0;
	return 0;
}

static int stop_at_two(const char *name, void *arg)
{
	(void)name;
	return ++*(int *)arg == 2 ? -ECANCELED : 0;
}

static void test_list_utf8(void **state)
{
	char path[MAX_PATH];
	struct os_dir *d;
	struct seen s = { 0 };
	int n = 0;

	(void)state;
	assert_int_equal(os_dir_open(&d, NULL, at(path, sizeof(path), "list"),
				     OS_DIR_CREATE | OS_DIR_PRIVATE), 0);
	for (const char *name = "a\0b\0c\0"; *name; name += strlen(name) + 1) {
		int fd = os_open_at(d, name, OS_WRONLY | OS_CREATE | OS_EXCL);

		assert_true(fd >= 0);
		os_close(fd);
	}
	write_text(at(path, sizeof(path), "list\\pr\xc3\xbc" "fung-\xe9\x85\x8d\xe7\xbd\xae.json"),
		   "{}", OS_EXCL);
	assert_int_equal(os_dir_list(d, see, &s), 0);
	assert_int_equal(s.count, 4);
	assert_int_equal(s.utf8, 1);
	assert_int_equal(os_dir_list(d, stop_at_two, &n), -ECANCELED);
	assert_int_equal(n, 2);
	os_dir_close(d);
}

static void test_locks(void **state)
{
	char path[MAX_PATH], buf[16];
	int a, b;

	(void)state;
	write_text(at(path, sizeof(path), "run.lock"), "x", 0);
	a = os_open(path, OS_RDWR | OS_CREATE);
	b = os_open(path, OS_RDWR | OS_CREATE);
	assert_true(a >= 0 && b >= 0);
	assert_int_equal(os_lock(a, OS_LOCK_SH), 0);
	assert_int_equal(os_lock(b, OS_LOCK_SH | OS_LOCK_NB), 0);
	assert_int_equal(os_unlock(b), 0);
	/* Taking it exclusive converts the shared lock, as flock does. */
	assert_int_equal(os_lock(a, OS_LOCK_EX), 0);
	assert_int_equal(os_lock(b, OS_LOCK_SH | OS_LOCK_NB), -EBUSY);
	assert_int_equal(os_lock(b, OS_LOCK_EX | OS_LOCK_NB), -EBUSY);
	/* Windows locks are mandatory: the range is past the data, so reading still works. */
	read_text(b, buf, sizeof(buf));
	assert_string_equal(buf, "x");
	assert_int_equal(os_unlock(a), 0);
	assert_int_equal(os_lock(b, OS_LOCK_EX | OS_LOCK_NB), 0);
	os_close(b);
	assert_int_equal(os_lock(a, OS_LOCK_EX | OS_LOCK_NB), 0);
	os_close(a);
}

/* Grant Everyone `rights` on path; false when the system keeps no such ACL. */
static bool grant_everyone(const char *path, DWORD rights)
{
	EXPLICIT_ACCESS_A ea = { 0 };
	ACL *old = NULL, *acl = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	bool done = false;

	if (GetNamedSecurityInfoA(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL,
				  &old, NULL, &sd) != ERROR_SUCCESS)
		return false;
	ea.grfAccessPermissions = rights;
	ea.grfAccessMode = GRANT_ACCESS;
	ea.Trustee.TrusteeForm = TRUSTEE_IS_NAME;
	ea.Trustee.ptstrName = (char *)"EVERYONE";
	if (SetEntriesInAclA(1, &ea, old, &acl) == ERROR_SUCCESS &&
	    SetNamedSecurityInfoA((char *)path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL,
				  NULL, acl, NULL) == ERROR_SUCCESS)
		done = true;
	LocalFree(acl);
	LocalFree(sd);
	return done;
}

static void test_private_dir_acl(void **state)
{
	char path[MAX_PATH];
	struct os_dir *d = NULL;
	struct os_stat st;

	(void)state;
	at(path, sizeof(path), "state");
	assert_int_equal(os_dir_open(&d, NULL, path, OS_DIR_CREATE | OS_DIR_PRIVATE), 0);
	os_dir_close(d);
	assert_int_equal(os_stat(path, &st), 0);
	assert_int_equal(st.type, OS_TYPE_DIR);
	assert_true(st.owner_is_us);
	assert_false(st.others_write);
	if (!grant_everyone(path, FILE_GENERIC_WRITE)) {
		print_message("wine does not model: ACLs set on folders (SetNamedSecurityInfo)\n");
		skip();
	}
	assert_int_equal(os_stat(path, &st), 0);
	if (!st.others_write) {
		print_message("wine does not model: a folder's ACL as GetSecurityInfo reads it back\n");
		skip();
	}
	assert_int_equal(os_dir_open(&d, NULL, path, OS_DIR_PRIVATE), -EPERM);
	assert_null(d);
	assert_int_equal(os_dir_open(&d, NULL, path, 0), 0);
	os_dir_close(d);
	assert_int_equal(os_path_safe(path, OS_PATH_DIR, NULL, NULL, 0), -EPERM);
}

/* Making DIR\state the administrator's way is refused for `reason`; nothing is created. */
static void expect_refused_below(const char *dir, const char *reason)
{
	char below[MAX_PATH + 16], why[600] = "";
	struct os_dir *d = NULL;
	struct os_stat st;

	snprintf(below, sizeof(below), "%s\\state", dir);
	assert_int_equal(os_dir_open_path(&d, below, OS_DIR_CREATE | OS_DIR_PRIVATE, why,
					  sizeof(why)), -EPERM);
	assert_null(d);
	assert_non_null(strstr(why, reason));
	assert_string_equal(os_path_refusal(), why);
	assert_int_equal(os_stat(below, &st), -ENOENT);
	assert_int_equal(os_path_safe(below, OS_PATH_DIR, NULL, why, sizeof(why)), -EPERM);
}

/*
 * A folder in the middle of the path that Everyone may modify (write, delete entries) is
 * refused, and nothing is created in it; a clean one beside it is crossed.
 */
static void test_walk_everyone(void **state)
{
	char open_dir[MAX_PATH], clean[MAX_PATH], below[MAX_PATH + 16], why[600] = "";
	struct os_dir *d = NULL;

	(void)state;
	at(open_dir, sizeof(open_dir), "open");
	at(clean, sizeof(clean), "clean");
	assert_int_equal(os_mkdirs(open_dir), 0);
	assert_int_equal(os_mkdirs(clean), 0);
	if (!grant_everyone(open_dir, FILE_GENERIC_WRITE | DELETE | FILE_DELETE_CHILD)) {
		print_message("wine does not model: ACLs set on folders (SetNamedSecurityInfo)\n");
		skip();
	}
	expect_refused_below(open_dir, "open: users other than SYSTEM and Administrators may "
			     "delete or rename what is in it");
	snprintf(below, sizeof(below), "%s\\state", clean);
	assert_int_equal(os_dir_open_path(&d, below, OS_DIR_CREATE | OS_DIR_PRIVATE, why,
					  sizeof(why)), 0);
	assert_non_null(d);
	os_dir_close(d);
	assert_int_equal(os_path_safe(below, OS_PATH_DIR, &d, why, sizeof(why)), 0);
	assert_non_null(d);
	os_dir_close(d);
}

/* Give folder `path` exactly the DACL of `sddl` (protected: nothing inherited). */
static bool set_dacl(const char *path, const char *sddl)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	BOOL present = FALSE, defaulted = FALSE;
	ACL *dacl = NULL;
	bool done;

	if (!ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, &sd,
								   NULL))
		return false;
	done = GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted) && present &&
	       SetNamedSecurityInfoA((char *)path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION |
				     PROTECTED_DACL_SECURITY_INFORMATION, NULL, NULL, dacl,
				     NULL) == ERROR_SUCCESS;
	LocalFree(sd);
	return done;
}

/* Does path's DACL hold the entries of `sddl`, as asked? (Wine keeps a folder's ACL as
   Unix permission bits: only the owner's and Everyone's entries survive.) */
static bool dacl_kept(const char *path, const char *sddl)
{
	PSECURITY_DESCRIPTOR want = NULL, got = NULL;
	BOOL present = FALSE, defaulted = FALSE;
	ACL *a = NULL, *b = NULL;
	bool same = false;

	if (ConvertStringSecurityDescriptorToSecurityDescriptorA(sddl, SDDL_REVISION_1, &want,
								  NULL) &&
	    GetSecurityDescriptorDacl(want, &present, &a, &defaulted) && a &&
	    GetNamedSecurityInfoA(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL,
				  &b, NULL, &got) == ERROR_SUCCESS && b &&
	    a->AceCount == b->AceCount) {
		same = true;
		for (WORD i = 0; same && i < a->AceCount; i++) {
			ACCESS_ALLOWED_ACE *x, *y;

			same = GetAce(a, i, (void **)&x) && GetAce(b, i, (void **)&y) &&
			       x->Header.AceType == y->Header.AceType && x->Mask == y->Mask &&
			       (x->Header.AceFlags & ~INHERITED_ACE) ==
			       (y->Header.AceFlags & ~INHERITED_ACE) &&
			       EqualSid((PSID)&x->SidStart, (PSID)&y->SidStart);
		}
	}
	LocalFree(want);
	LocalFree(got);
	return same;
}

/*
 * One folder in the middle of the path with a given DACL (its owner: us): may the walk
 * cross it to a private folder below, and may it be the last folder itself? The stock
 * ACLs of C:\ and C:\ProgramData let users create entries (crossed, as POSIX crosses a
 * sticky /tmp) but not delete, rename or re-permission them.
 */
static const struct {
	const char *what, *sddl;
	bool crossed, last;
	const char *why;
} acl_cases[] = {
	{ "SYSTEM and Administrators only", "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;OW)",
	  true, true, NULL },
	{ "as C:\\ProgramData: Users read and create", "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"
	  "(A;OICIIO;FA;;;CO)(A;OICI;0x1200a9;;;BU)(A;CI;0x116;;;BU)", true, false,
	  "writable by users other than SYSTEM and Administrators" },
	{ "as C:\\: Authenticated Users create folders", "D:P(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)"
	  "(A;OICI;0x1200a9;;;BU)(A;OICIIO;0x1301bf;;;AU)(A;;0x4;;;AU)", true, false,
	  "writable by users other than SYSTEM and Administrators" },
	{ "Everyone may modify", "D:P(A;OICI;FA;;;SY)(A;OICI;0x1301bf;;;WD)", false, false,
	  "may delete or rename what is in it" },
	{ "Users may delete entries", "D:P(A;OICI;FA;;;SY)(A;;0x100040;;;BU)", false, false,
	  "may delete or rename what is in it" },
	{ "Authenticated Users may change the ACL", "D:P(A;OICI;FA;;;SY)(A;;0x40000;;;AU)",
	  false, false, "change its permissions" },
	{ "Everyone may take ownership", "D:P(A;OICI;FA;;;SY)(A;;0x80000;;;WD)", false, false,
	  "change its permissions" },
	{ "Users may delete the folder", "D:P(A;OICI;FA;;;SY)(A;;0x10000;;;BU)", false, false,
	  "may delete or rename" },
	{ "a new folder under C:\\: inherited Modify for Authenticated Users",
	  "D:AI(A;OICIID;FA;;;BA)(A;OICIID;FA;;;SY)(A;OICIID;0x1200a9;;;BU)"
	  "(A;OICIID;0x1301bf;;;AU)", false, false, "may delete or rename" },
	{ "GENERIC_ALL for Users", "D:P(A;OICI;FA;;;SY)(A;;GA;;;BU)", false, false,
	  "may delete or rename" },
	{ "deny entries for Users only", "D:P(A;OICI;FA;;;SY)(D;;FA;;;BU)", true, true, NULL },
};

/*
 * The rule itself, on security descriptors in memory (wine models these): each DACL above
 * under an owner that passes (Administrators, TrustedInstaller), and owners that do not.
 */
static void test_walk_rule(void **state)
{
	static const char *const owners_ok[] = {
		"O:BA", "O:SY", "O:S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
	};
	static const char *const owners_bad[] = { "O:BU", "O:AU", "O:WD", "O:S-1-5-21-1-2-3-1001" };
	char sddl[512];
	struct os_win_rights r;
	const char *why;

	(void)state;
	for (size_t o = 0; o < sizeof(owners_ok) / sizeof(owners_ok[0]); o++) {
		for (size_t i = 0; i < sizeof(acl_cases) / sizeof(acl_cases[0]); i++) {
			PSECURITY_DESCRIPTOR sd = NULL;

			snprintf(sddl, sizeof(sddl), "%s%s", owners_ok[o], acl_cases[i].sddl);
			assert_true(ConvertStringSecurityDescriptorToSecurityDescriptorA(
				sddl, SDDL_REVISION_1, &sd, NULL));
			os_win_sd_rights(sd, &r);
			LocalFree(sd);
			print_message("%s, %s\n", owners_ok[o], acl_cases[i].what);
			assert_true(r.owner_is_admin);
			why = os_win_rights_refusal(&r, false);
			assert_true(acl_cases[i].crossed ? why == NULL : why != NULL);
			if (why && !acl_cases[i].crossed)
				assert_non_null(strstr(why, acl_cases[i].why));
			/* The folder the agent uses: no one else may write at all. */
			why = os_win_rights_refusal(&r, true);
			assert_true(acl_cases[i].last ? why == NULL : why != NULL);
			if (why)
				assert_non_null(strstr(why, "writable by users other than SYSTEM "
						       "and Administrators"));
		}
	}
	/* A NULL DACL (no DACL at all) lets everyone do everything. */
	{
		SECURITY_DESCRIPTOR null_dacl;
		BYTE admins[SECURITY_MAX_SID_SIZE];
		DWORD n = sizeof(admins);

		assert_true(CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, admins, &n));
		assert_true(InitializeSecurityDescriptor(&null_dacl, SECURITY_DESCRIPTOR_REVISION));
		assert_true(SetSecurityDescriptorOwner(&null_dacl, admins, FALSE));
		assert_true(SetSecurityDescriptorDacl(&null_dacl, TRUE, NULL, FALSE));
		os_win_sd_rights(&null_dacl, &r);
		assert_true(r.owner_is_admin);
		assert_non_null(os_win_rights_refusal(&r, false));
	}
	for (size_t o = 0; o < sizeof(owners_bad) / sizeof(owners_bad[0]); o++) {
		PSECURITY_DESCRIPTOR sd = NULL;

		snprintf(sddl, sizeof(sddl), "%s%s", owners_bad[o], acl_cases[0].sddl);
		assert_true(ConvertStringSecurityDescriptorToSecurityDescriptorA(
			sddl, SDDL_REVISION_1, &sd, NULL));
		os_win_sd_rights(sd, &r);
		LocalFree(sd);
		assert_false(r.owner_is_admin);
		assert_false(r.owner_is_me);
		why = os_win_rights_refusal(&r, false);
		assert_non_null(why);
		assert_non_null(strstr(why, "owned by someone other than SYSTEM, Administrators "
				       "or TrustedInstaller"));
	}
}

static void test_walk_acl(void **state)
{
	char mid[MAX_PATH], below[MAX_PATH + 16], why[600];
	struct os_dir *d = NULL;
	struct os_stat st;
	size_t modelled = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(acl_cases) / sizeof(acl_cases[0]); i++) {
		char name[32];

		snprintf(name, sizeof(name), "walk%zu", i);
		at(mid, sizeof(mid), name);
		assert_int_equal(os_mkdirs(mid), 0);
		if (!set_dacl(mid, acl_cases[i].sddl) || !dacl_kept(mid, acl_cases[i].sddl)) {
			print_message("not modelled here (wine keeps ACLs as Unix modes): %s\n",
				      acl_cases[i].what);
			continue;
		}
		modelled++;
		snprintf(below, sizeof(below), "%s\\state", mid);
		why[0] = '\0';
		assert_int_equal(os_dir_open_path(&d, below, OS_DIR_CREATE | OS_DIR_PRIVATE, why,
						  sizeof(why)), acl_cases[i].crossed ? 0 : -EPERM);
		os_dir_close(d);
		d = NULL;
		/* A refused folder gets nothing created in it. */
		assert_int_equal(os_stat(below, &st), acl_cases[i].crossed ? 0 : -ENOENT);
		if (!acl_cases[i].crossed) {
			assert_non_null(strstr(why, name));
			assert_non_null(strstr(why, acl_cases[i].why));
			assert_string_equal(os_path_refusal(), why);
		}
		assert_int_equal(os_path_safe(mid, OS_PATH_DIR, NULL, why, sizeof(why)),
				 acl_cases[i].last ? 0 : -EPERM);
		if (!acl_cases[i].last)
			assert_non_null(strstr(why, "writable by users other than SYSTEM and "
					       "Administrators"));
	}
	if (!modelled) {
		print_message("not modelled here (wine keeps a folder's ACL as Unix modes): ACL "
			      "entries for anyone but the owner and Everyone\n");
		skip();
	}
}

/* A folder on the way owned by a user (Users here) is refused, whatever its ACL. */
static void test_walk_owner(void **state)
{
	char mid[MAX_PATH];
	BYTE users[SECURITY_MAX_SID_SIZE];
	DWORD n = sizeof(users);
	PSECURITY_DESCRIPTOR sd = NULL;
	PSID owner = NULL;
	bool kept;

	(void)state;
	at(mid, sizeof(mid), "foreign");
	assert_int_equal(os_mkdirs(mid), 0);
	assert_true(CreateWellKnownSid(WinBuiltinUsersSid, NULL, users, &n));
	if (SetNamedSecurityInfoA(mid, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, users, NULL,
				  NULL, NULL) != ERROR_SUCCESS) {
		print_message("not allowed here: giving a folder to Users (SeRestorePrivilege)\n");
		skip();
	}
	kept = GetNamedSecurityInfoA(mid, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner,
				     NULL, NULL, NULL, &sd) == ERROR_SUCCESS && owner &&
	       EqualSid(owner, users);
	LocalFree(sd);
	if (!kept) {
		print_message("not modelled here (wine): a folder's owner other than its Unix "
			      "owner\n");
		skip();
	}
	expect_refused_below(mid, "foreign: owned by someone other than SYSTEM, "
			     "Administrators or TrustedInstaller");
}

/*
 * The default folders' parents pass: %ProgramData% is crossed, so a missing folder below
 * it is the first refusal (ENOENT, named), and the walk of a relative path starts at the
 * volume root of the full path.
 */
static void test_walk_defaults(void **state)
{
	char base[MAX_PATH], path[MAX_PATH + 64], why[600] = "";
	struct os_dir *d = NULL;
	DWORD n;

	(void)state;
	n = GetEnvironmentVariableA("ProgramData", base, sizeof(base));
	assert_true(n > 0 && n < sizeof(base));
	snprintf(path, sizeof(path), "%s\\amtact-missing-%lu\\state", base,
		 (unsigned long)GetCurrentProcessId());
	assert_int_equal(os_path_safe(path, OS_PATH_DIR, NULL, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "amtact-missing-"));
	assert_null(strstr(why, "\\state"));
	assert_true(SetCurrentDirectoryA(tmpdir));
	assert_int_equal(os_dir_open_path(&d, "rel\\state", OS_DIR_CREATE | OS_DIR_PRIVATE, why,
					  sizeof(why)), 0);
	os_dir_close(d);
	assert_int_equal(os_path_safe(at(path, sizeof(path), "rel\\state"), OS_PATH_DIR, NULL,
				      why, sizeof(why)), 0);
}

static void test_links_refused(void **state)
{
	char target[MAX_PATH], link[MAX_PATH], dlink[MAX_PATH], why[600] = "";
	struct os_dir *d = NULL;
	struct os_stat st;
	wchar_t wt[MAX_PATH], wl[MAX_PATH];

	(void)state;
	write_text(at(target, sizeof(target), "target.json"), "{}", 0);
	at(link, sizeof(link), "link.json");
	MultiByteToWideChar(CP_UTF8, 0, target, -1, wt, MAX_PATH);
	MultiByteToWideChar(CP_UTF8, 0, link, -1, wl, MAX_PATH);
	if (!CreateSymbolicLinkW(wl, wt, 0) ||
	    !(GetFileAttributesW(wl) & FILE_ATTRIBUTE_REPARSE_POINT) ||
	    GetFileAttributesW(wl) == INVALID_FILE_ATTRIBUTES) {
		print_message("not modelled here (wine): symbolic links as reparse points\n");
		skip();
	}
	assert_int_equal(os_open(link, OS_RDONLY), -ELOOP);
	assert_true(os_open(link, OS_RDONLY | OS_FOLLOW) >= 0);
	assert_int_equal(os_path_safe(link, 0, NULL, why, sizeof(why)), -ELOOP);
	assert_non_null(strstr(why, "link.json: a link"));
	at(dlink, sizeof(dlink), "dirlink");
	MultiByteToWideChar(CP_UTF8, 0, dlink, -1, wl, MAX_PATH);
	MultiByteToWideChar(CP_UTF8, 0, tmpdir, -1, wt, MAX_PATH);
	assert_true(CreateSymbolicLinkW(wl, wt, SYMBOLIC_LINK_FLAG_DIRECTORY));
	assert_int_equal(os_dir_open(&d, NULL, dlink, 0), -ENOTDIR);
	assert_null(d);
	/* A folder link in the middle of the walk: refused, nothing created behind it. */
	at(target, sizeof(target), "dirlink\\vialink");
	assert_int_equal(os_dir_open_path(&d, target, OS_DIR_CREATE | OS_DIR_PRIVATE, why,
					  sizeof(why)), -ELOOP);
	assert_null(d);
	assert_non_null(strstr(why, "dirlink: a link or junction"));
	assert_int_equal(os_stat(at(target, sizeof(target), "vialink"), &st), -ENOENT);
}

static void test_system_facts(void **state)
{
	unsigned char a[32] = { 0 }, b[32] = { 0 };
	uint64_t t0 = os_mono_ms();
	char base[MAX_PATH], want[MAX_PATH + 16];
	DWORD n;

	(void)state;
	assert_int_equal(os_random(a, sizeof(a), 0), 0);
	assert_int_equal(os_random(b, sizeof(b), OS_RANDOM_NOWAIT), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	os_sleep_ms(120);
	/* GetTickCount64 moves in steps of 10-16 ms. */
	assert_true(os_mono_ms() - t0 >= 100);
	assert_true(os_time_us() > 1600000000ull * 1000000ull);
	assert_int_equal(os_getpid(), (long)GetCurrentProcessId());
	assert_string_equal(os_platform(), "windows");
	n = GetEnvironmentVariableA("ProgramData", base, sizeof(base));
	assert_true(n > 0 && n < sizeof(base));
	snprintf(want, sizeof(want), "%s\\amtact\\spool", base);
	assert_string_equal(os_default_dir(OS_DIR_SPOOL), want);
	assert_true(os_path_has_dir("C:corp.json"));
	assert_true(os_path_has_dir("profiles\\corp.json"));
	assert_false(os_path_has_dir("corp"));
	assert_string_equal(strerror(ETIMEDOUT), "Connection timed out");
	assert_string_equal(strerror(EKEYREJECTED), "Key was rejected by service");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_exclusive),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_list_utf8),
		cmocka_unit_test(test_locks),
		cmocka_unit_test(test_private_dir_acl),
		cmocka_unit_test(test_walk_rule),
		cmocka_unit_test(test_walk_everyone),
		cmocka_unit_test(test_walk_acl),
		cmocka_unit_test(test_walk_owner),
		cmocka_unit_test(test_walk_defaults),
		cmocka_unit_test(test_links_refused),
		cmocka_unit_test(test_system_facts),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * The Windows port layer (src/os/windows*.c) under wine or Windows: exclusive private
 * creation, replace over an open file, listing, LockFileEx locks, ACL rules for private
 * folders, links refused, UTF-8 names, defaults. Where wine does not model a Windows rule
 * the test says so and skips that part: wine 8 makes no symbolic link (CreateSymbolicLinkW
 * succeeds and leaves nothing) and shows Unix links as plain files, so the refusal of links
 * is tested on Linux (tests/unit/test_os.c) and only on a real Windows here.
 */
#include <windows.h>
#include <aclapi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "os.h"

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

/* Grant Everyone write access on path; false when the system keeps no such ACL. */
static bool grant_everyone_write(const char *path)
{
	EXPLICIT_ACCESS_A ea = { 0 };
	ACL *old = NULL, *acl = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	bool done = false;

	if (GetNamedSecurityInfoA(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL,
				  &old, NULL, &sd) != ERROR_SUCCESS)
		return false;
	ea.grfAccessPermissions = FILE_GENERIC_WRITE;
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
	if (!grant_everyone_write(path)) {
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

static void test_links_refused(void **state)
{
	char target[MAX_PATH], link[MAX_PATH], dlink[MAX_PATH], why[256] = "";
	struct os_dir *d = NULL;
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
		cmocka_unit_test(test_links_refused),
		cmocka_unit_test(test_system_facts),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

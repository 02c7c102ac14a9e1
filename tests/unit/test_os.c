// SPDX-License-Identifier: MIT
/* The port layer (include/os.h) on this system: atomic replace, locks, private directories,
   listing and the privileged-path check. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "os.h"
#include "testlib.h"

static void write_file_at(struct os_dir *d, const char *name, const char *text)
{
	int fd = os_open_at(d, name, OS_WRONLY | OS_CREATE | OS_EXCL);

	assert_true(fd >= 0);
	assert_int_equal(os_write_all(fd, text, strlen(text)), 0);
	assert_int_equal(os_fsync(fd), 0);
	assert_int_equal(os_close(fd), 0);
}

static void test_create_exclusive_private(void **state)
{
	char path[512];
	struct os_stat st;
	int fd;

	(void)state;
	testlib_tmp_path(path, sizeof(path), "new");
	fd = os_open(path, OS_WRONLY | OS_CREATE | OS_EXCL);
	assert_true(fd >= 0);
	assert_int_equal(os_fstat(fd, &st), 0);
	assert_int_equal(st.type, OS_TYPE_FILE);
	assert_int_equal(st.mode & 077, 0);
	assert_true(st.owner_is_us);
	assert_false(st.others_write);
	assert_false(st.others_read);
	os_close(fd);
	assert_int_equal(os_open(path, OS_WRONLY | OS_CREATE | OS_EXCL), -EEXIST);
}

static void test_replace_and_list(void **state)
{
	struct os_dir *d;
	char buf[64];
	long n;
	int fd;

	(void)state;
	assert_int_equal(os_dir_open(&d, NULL, testlib_tmpdir(), 0), 0);
	write_file_at(d, "target", "old\n");
	write_file_at(d, ".tmp", "new contents\n");
	assert_int_equal(os_rename_at(d, ".tmp", d, "target"), 0);
	assert_int_equal(os_dir_sync(d), 0);
	fd = os_open_at(d, "target", OS_RDONLY);
	assert_true(fd >= 0);
	n = os_read(fd, buf, sizeof(buf) - 1);
	assert_int_equal(n, 13);
	buf[n] = '\0';
	assert_string_equal(buf, "new contents\n");
	os_close(fd);
	assert_int_equal(os_open_at(d, ".tmp", OS_RDONLY), -ENOENT);
	assert_int_equal(os_unlink_at(d, "target"), 0);
	assert_int_equal(os_unlink_at(d, "target"), -ENOENT);
	os_dir_close(d);
}

static int count_entry(const char *name, void *arg)
{
	int *n = arg;

	assert_true(strcmp(name, ".") && strcmp(name, ".."));
	return ++*n == 2 ? -ECANCELED : 0;
}

static void test_dir_list_stops(void **state)
{
	struct os_dir *d;
	int n = 0;

	(void)state;
	assert_int_equal(os_dir_open(&d, NULL, testlib_tmpdir(), 0), 0);
	write_file_at(d, "a", "1");
	write_file_at(d, "b", "2");
	write_file_at(d, "c", "3");
	assert_int_equal(os_dir_list(d, count_entry, &n), -ECANCELED);
	assert_int_equal(n, 2);
	os_dir_close(d);
}

static void test_locks(void **state)
{
	char path[512];
	int a, b;

	(void)state;
	testlib_tmp_path(path, sizeof(path), "lock");
	a = os_open(path, OS_RDWR | OS_CREATE);
	b = os_open(path, OS_RDWR | OS_CREATE);
	assert_true(a >= 0 && b >= 0);
	assert_int_equal(os_lock(a, OS_LOCK_SH), 0);
	assert_int_equal(os_lock(b, OS_LOCK_SH | OS_LOCK_NB), 0);
	assert_int_equal(os_unlock(b), 0);
	assert_int_equal(os_lock(a, OS_LOCK_EX), 0);
	assert_int_equal(os_lock(b, OS_LOCK_SH | OS_LOCK_NB), -EBUSY);
	assert_int_equal(os_lock(b, OS_LOCK_EX | OS_LOCK_NB), -EBUSY);
	assert_int_equal(os_unlock(a), 0);
	assert_int_equal(os_lock(b, OS_LOCK_EX | OS_LOCK_NB), 0);
	os_close(a);
	os_close(b);
}

static void test_private_dirs(void **state)
{
	char path[512], link[512];
	struct os_dir *d = NULL;

	(void)state;
	testlib_tmp_path(path, sizeof(path), "priv");
	assert_int_equal(os_dir_open(&d, NULL, path, OS_DIR_CREATE | OS_DIR_PRIVATE), 0);
	os_dir_close(d);
	assert_int_equal(chmod(path, 0770), 0);
	assert_int_equal(os_dir_open(&d, NULL, path, OS_DIR_PRIVATE), -EPERM);
	assert_null(d);
	assert_int_equal(os_dir_open(&d, NULL, path, 0), 0);
	os_dir_close(d);
	testlib_tmp_path(link, sizeof(link), "priv-link");
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(os_dir_open(&d, NULL, link, 0), -ENOTDIR);
	assert_int_equal(os_open(link, OS_RDONLY), -ELOOP);
	assert_int_equal(os_mkdirs(testlib_tmp_path(path, sizeof(path), "x/y/z")), 0);
	assert_int_equal(os_dir_open(&d, NULL, path, OS_DIR_PRIVATE), 0);
	os_dir_close(d);
}

static void test_path_safe(void **state)
{
	char dir[512], file[512], link[512], why[256] = "";
	struct os_dir *d = NULL;

	(void)state;
	testlib_tmp_path(dir, sizeof(dir), "safe");
	assert_int_equal(os_mkdirs(dir), 0);
	testlib_tmp_path(file, sizeof(file), "safe/profile.json");
	testlib_write_file(file, "{}", 0600);
	/* The temporary folder's parents are root's (a sticky /tmp may be crossed). */
	assert_int_equal(os_path_safe(file, 0, NULL, why, sizeof(why)), 0);
	assert_int_equal(os_path_safe(dir, OS_PATH_DIR, &d, why, sizeof(why)), 0);
	assert_non_null(d);
	os_dir_close(d);
	assert_int_equal(os_path_safe(file, OS_PATH_DIR, NULL, why, sizeof(why)), -ENOTDIR);

	assert_int_equal(chmod(file, 0620), 0);
	assert_int_equal(os_path_safe(file, 0, NULL, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "profile.json: writable by group or others"));
	assert_int_equal(chmod(file, 0600), 0);

	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(os_path_safe(file, 0, NULL, why, sizeof(why)), -EPERM);
	assert_non_null(strstr(why, "/safe: writable by group or others"));
	assert_null(strstr(why, "profile.json"));
	assert_int_equal(chmod(dir, 0700), 0);

	testlib_tmp_path(link, sizeof(link), "safe/link.json");
	assert_int_equal(symlink(file, link), 0);
	assert_int_equal(os_path_safe(link, 0, NULL, why, sizeof(why)), -ELOOP);
	assert_non_null(strstr(why, "link.json: a symbolic link"));
	testlib_tmp_path(link, sizeof(link), "safe-link");
	assert_int_equal(symlink(dir, link), 0);
	assert_int_equal(os_path_safe(testlib_tmp_path(file, sizeof(file),
						       "safe-link/profile.json"), 0, NULL, why,
				      sizeof(why)), -ELOOP);
	assert_non_null(strstr(why, "safe-link: a symbolic link"));
}

static void test_random_and_clocks(void **state)
{
	unsigned char a[32] = { 0 }, b[32] = { 0 };
	uint64_t t0 = os_mono_ms();

	(void)state;
	assert_int_equal(os_random(a, sizeof(a), 0), 0);
	assert_int_equal(os_random(b, sizeof(b), OS_RANDOM_NOWAIT), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	os_sleep_ms(30);
	assert_true(os_mono_ms() - t0 >= 30);
	assert_true(os_time_us() > 1600000000ull * 1000000ull);
	assert_int_equal(os_getpid(), (long)getpid());
	assert_string_equal(os_platform(), "linux");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_exclusive_private,
						testlib_tmpdir_setup, testlib_tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_replace_and_list, testlib_tmpdir_setup,
						testlib_tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_dir_list_stops, testlib_tmpdir_setup,
						testlib_tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_locks, testlib_tmpdir_setup,
						testlib_tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_private_dirs, testlib_tmpdir_setup,
						testlib_tmpdir_teardown),
		cmocka_unit_test_setup_teardown(test_path_safe, testlib_tmpdir_setup,
						testlib_tmpdir_teardown),
		cmocka_unit_test(test_random_and_clocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

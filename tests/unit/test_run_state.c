// SPDX-License-Identifier: MIT
/* Unit tests for run_state.c: the state file and the run lock in a directory only we own. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "run_state.h"
#include "testlib.h"

static int dir_n;

static void new_dir(char *dir, size_t cap, mode_t mode)
{
	snprintf(dir, cap, "%s/st%d", testlib_tmpdir(), dir_n++);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, mode), 0);
}

static void test_save_load_roundtrip(void **state)
{
	struct run_state st = { 0 }, back;
	char dir[200], path[300], err[300] = "";
	struct stat sb;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/new/sub", testlib_tmpdir());
	snprintf(st.reported_id, sizeof(st.reported_id), "abc");
	st.hello_starts = 2;
	assert_int_equal(run_state_save(&st, dir), 0);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/state.json", dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(run_state_load(&back, dir, err, sizeof(err)), 0);
	assert_true(back.present);
	assert_string_equal(back.reported_id, "abc");
	assert_int_equal(back.hello_starts, 2);
}

/* The facts of the last report come back as they were; a file without them has none. */
static void test_facts_roundtrip(void **state)
{
	struct run_state st = { 0 }, back;
	char dir[200], err[300] = "";

	(void)state;
	new_dir(dir, sizeof(dir), 0700);
	assert_int_equal(run_state_save(&st, dir), 0);
	assert_int_equal(run_state_load(&back, dir, err, sizeof(err)), 0);
	assert_false(back.reported.known);
	st.reported.known = true;
	snprintf(st.reported.v[RUN_FACT_HOSTNAME], RUN_FACT_LEN, "pc-one");
	snprintf(st.reported.v[RUN_FACT_AMT_IP], RUN_FACT_LEN, "10.1.4.142");
	assert_int_equal(run_state_save(&st, dir), 0);
	assert_int_equal(run_state_load(&back, dir, err, sizeof(err)), 0);
	assert_true(back.reported.known);
	for (int k = 0; k < RUN_FACT_COUNT; k++)
		assert_string_equal(back.reported.v[k], st.reported.v[k]);
}

/* A "reported_facts" that is not an object, or holds a non-string: a corrupt file. */
static void test_facts_corrupt(void **state)
{
	static const char *const bad[] = { "{\"reported_facts\": []}",
					   "{\"reported_facts\": {\"hostname\": 7}}" };
	struct run_state st;
	char dir[200], path[300], err[300];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		new_dir(dir, sizeof(dir), 0700);
		snprintf(path, sizeof(path), "%s/state.json", dir);
		testlib_write_file(path, bad[i], 0600);
		err[0] = '\0';
		assert_int_equal(run_state_load(&st, dir, err, sizeof(err)), -EINVAL);
		assert_false(st.present);
		assert_non_null(strstr(err, i ? "\"hostname\"" : "\"reported_facts\""));
	}
}

/* A directory others may write to: nothing is read, written or locked there. */
static void test_unsafe_dir_refused(void **state)
{
	struct run_state st = { 0 };
	char dir[200], path[300], err[300] = "";
	int fd;

	(void)state;
	new_dir(dir, sizeof(dir), 0777);
	snprintf(path, sizeof(path), "%s/state.json", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"reported_fingerprint\":\"planted\"}", 34), 34);
	close(fd);
	assert_int_equal(run_state_load(&st, dir, err, sizeof(err)), -EPERM);
	assert_false(st.present);
	assert_non_null(strstr(err, "writable by group or others"));
	assert_int_equal(run_state_save(&st, dir), -EPERM);
	assert_int_equal(run_lock_take(dir, 0), -EPERM);
	snprintf(path, sizeof(path), "%s/run.lock", dir);
	assert_int_equal(access(path, F_OK), -1);
}

/* A temp file planted at the name a save uses is not written through. */
static void test_planted_temp_not_used(void **state)
{
	struct run_state st = { 0 };
	char dir[200], tmp[300], buf[32] = "";
	int fd;

	(void)state;
	new_dir(dir, sizeof(dir), 0700);
	snprintf(tmp, sizeof(tmp), "%s/.state.json.%ld", dir, (long)getpid());
	assert_int_equal(symlink("/nonexistent/target", tmp), 0);
	assert_int_equal(run_state_save(&st, dir), 0);
	snprintf(tmp, sizeof(tmp), "%s/state.json", dir);
	fd = open(tmp, O_RDONLY | O_NOFOLLOW);
	assert_true(fd >= 0);
	assert_true(read(fd, buf, sizeof(buf) - 1) > 0);
	close(fd);
	assert_int_equal(buf[0], '{');
}

/* A FIFO (or any non-regular file) as state.json must not block the boot-time run. */
static void test_fifo_state_file(void **state)
{
	struct run_state st;
	char dir[200], path[300], err[300] = "";

	(void)state;
	new_dir(dir, sizeof(dir), 0700);
	snprintf(path, sizeof(path), "%s/state.json", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(run_state_load(&st, dir, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
}

/* Every failure to read it names the file: too large, unreadable, a directory. */
static void test_errors_name_the_file(void **state)
{
	struct run_state st;
	char dir[200], path[300], err[300];
	char *big = malloc(70 * 1024);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', 70 * 1024 - 1);
	big[70 * 1024 - 1] = '\0';
	new_dir(dir, sizeof(dir), 0700);
	snprintf(path, sizeof(path), "%s/state.json", dir);
	testlib_write_file(path, big, 0600);
	free(big);
	err[0] = '\0';
	assert_int_equal(run_state_load(&st, dir, err, sizeof(err)), -EFBIG);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "larger than"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	err[0] = '\0';
	assert_true(run_state_load(&st, dir, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, path));
}

static void test_lock_busy(void **state)
{
	char dir[200];
	int a, b;

	(void)state;
	new_dir(dir, sizeof(dir), 0700);
	a = run_lock_take(dir, 0);
	assert_true(a >= 0);
	b = run_lock_take(dir, 0);
	assert_int_equal(b, -EBUSY);
	run_lock_release(a);
	b = run_lock_take(dir, 0);
	assert_true(b >= 0);
	run_lock_release(b);
}

static int setup(void **state)
{
	(void)state;
	alarm(20); /* a blocking open of a FIFO would hang the test otherwise */
	return testlib_tmpdir_make();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_save_load_roundtrip),
		cmocka_unit_test(test_facts_roundtrip),
		cmocka_unit_test(test_facts_corrupt),
		cmocka_unit_test(test_unsafe_dir_refused),
		cmocka_unit_test(test_planted_temp_not_used),
		cmocka_unit_test(test_fifo_state_file),
		cmocka_unit_test(test_errors_name_the_file),
		cmocka_unit_test(test_lock_busy),
	};

	return cmocka_run_group_tests(tests, setup, testlib_tmpdir_teardown);
}

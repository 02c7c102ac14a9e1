// SPDX-License-Identifier: MIT
/* Unit tests for otp_pending.c: the OTP write-ahead record in a directory only we own. */
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

#include "otp_pending.h"
#include "testlib.h"

#define ID "3f2a9c1e-8b4d-4e7a-9c2b-1d5e6f708192"

static int dir_n;

static void new_dir(char *dir, size_t cap)
{
	snprintf(dir, cap, "%s/pd%d", testlib_tmpdir(), dir_n++);
	assert_int_equal(mkdir(dir, 0700), 0);
}

static int parse(const char *text, struct otp_pending *p)
{
	return otp_pending_parse(text, strlen(text), p);
}

static void test_parse_valid(void **state)
{
	struct otp_pending p;

	(void)state;
	assert_int_equal(parse("AMTACT-OTP 1 " ID " intent clear\nQ7p-x2Kd9LmN4rTs", &p), 0);
	assert_string_equal(p.report_id, ID);
	assert_false(p.set);
	assert_false(p.sealed);
	assert_string_equal(p.value.buf, "Q7p-x2Kd9LmN4rTs");
	assert_int_equal(parse("AMTACT-OTP 1 " ID " set cms\n-----BEGIN CMS-----\nx\n", &p), 0);
	assert_true(p.set);
	assert_true(p.sealed);
	assert_string_equal(p.value.buf, "-----BEGIN CMS-----\nx\n");
	otp_pending_wipe(&p);
}

static void test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"",
		"AMTACT-OTP 2 " ID " set clear\nabc",      /* another version */
		"AMTACT-OTP 1 " ID " set clear\n",         /* no value */
		"AMTACT-OTP 1 " ID " set clear",           /* no newline */
		"AMTACT-OTP 1 " ID " sent clear\nabc",     /* unknown phase */
		"AMTACT-OTP 1 " ID " set plain\nabc",      /* unknown form */
		"AMTACT-OTP 1 " ID "  set clear\nabc",     /* two blanks */
		"AMTACT-OTP 1 ../x set clear\nabc",        /* not a report id */
		"AMTACT-OTP 1  set clear\nabc",            /* empty id */
		"AMTACT-OTP 1 " ID ID ID " set clear\nabc", /* id too long */
	};
	struct otp_pending p;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &p), -EBADMSG);
		assert_int_equal(p.value.len, 0);
		assert_string_equal(p.report_id, "");
	}
	/* A NUL in the value is refused: the value is used as a C string. */
	assert_int_equal(otp_pending_parse("AMTACT-OTP 1 " ID " set clear\nab\0cd",
					   strlen("AMTACT-OTP 1 " ID " set clear\nab") + 3, &p),
			 -EBADMSG);
}

static void test_save_load_remove(void **state)
{
	struct otp_pending p = { .set = true }, back;
	char dir[200], path[300];
	struct stat st;

	(void)state;
	new_dir(dir, sizeof(dir));
	snprintf(p.report_id, sizeof(p.report_id), "%s", ID);
	secret_init(&p.value);
	assert_int_equal(secret_set(&p.value, "Q7p-x2Kd9LmN4rTs", 16), 0);
	assert_int_equal(otp_pending_load(dir, &back), -ENOENT);
	assert_int_equal(otp_pending_save(dir, &p), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, OTP_PENDING_FILE);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* A save killed half way left a temp copy: loading removes it. */
	snprintf(path, sizeof(path), "%s/.%s.12345", dir, OTP_PENDING_FILE);
	testlib_write_file(path, "AMTACT-OTP 1 " ID " intent clear\nsecret", 0600);
	assert_int_equal(otp_pending_load(dir, &back), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_string_equal(back.report_id, ID);
	assert_true(back.set);
	assert_false(back.sealed);
	assert_string_equal(back.value.buf, "Q7p-x2Kd9LmN4rTs");
	/* When it was written: the file's time (the next run dates a hello restart by it). */
	snprintf(path, sizeof(path), "%s/%s", dir, OTP_PENDING_FILE);
	assert_int_equal(utimensat(AT_FDCWD, path, (struct timespec[2]){ { 1700000000, 0 },
		{ 1700000000, 0 } }, 0), 0);
	assert_int_equal(otp_pending_load(dir, &back), 0);
	assert_int_equal(back.saved_at, 1700000000);
	otp_pending_wipe(&back);
	assert_int_equal(back.saved_at, 0);
	assert_int_equal(otp_pending_remove(dir), 0);
	assert_int_equal(otp_pending_load(dir, &back), -ENOENT);
	assert_int_equal(otp_pending_remove(dir), 0);
	otp_pending_wipe(&p);
}

/* A FIFO or a symlink in its place is refused at once, never opened in a blocking way. */
static void test_not_regular(void **state)
{
	struct otp_pending p;
	char dir[200], path[300], aside[320];

	(void)state;
	new_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, OTP_PENDING_FILE);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(otp_pending_load(dir, &p), -EINVAL);
	assert_int_equal(otp_pending_set_aside(dir), 0);
	snprintf(aside, sizeof(aside), "%s.bad", path);
	assert_int_equal(access(aside, F_OK), 0);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(otp_pending_load(dir, &p), -EINVAL);
}

/* A directory that is not ours alone is refused. */
static void test_unsafe_dir(void **state)
{
	struct otp_pending p;
	char dir[200];

	(void)state;
	new_dir(dir, sizeof(dir));
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(otp_pending_load(dir, &p), -EPERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_save_load_remove),
		cmocka_unit_test(test_not_regular),
		cmocka_unit_test(test_unsafe_dir),
	};

	return cmocka_run_group_tests(tests, testlib_tmpdir_setup, testlib_tmpdir_teardown);
}

// SPDX-License-Identifier: MIT
/* Unit tests for msg.c's log file: private, appended, never a FIFO or a device. */
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

#include "msg.h"
#include "testlib.h"


static void test_log_file_private(void **state)
{
	char path[200], buf[256] = "";
	struct stat st;
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/amtact.log", testlib_tmpdir());
	assert_int_equal(msg_open_log_file(path, MSG_INFO), 0);
	msg_info("hello %d", 42);
	msg_close_logs();
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_true(read(fd, buf, sizeof(buf) - 1) > 0);
	close(fd);
	assert_non_null(strstr(buf, "hello 42"));
}

/* A FIFO (no reader) or a directory named as the log: refused at once, no hang. */
static void test_log_file_not_regular(void **state)
{
	char path[200];

	(void)state;
	snprintf(path, sizeof(path), "%s/fifo.log", testlib_tmpdir());
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(msg_open_log_file(path, MSG_INFO), -EINVAL);
	assert_int_equal(msg_open_log_file("/dev/null", MSG_INFO), -EINVAL);
	/* In a private directory: as root, a log directly in a directory others may write
	 * (such as /tmp itself) is refused before anything is opened. */
	snprintf(path, sizeof(path), "%s/dir.log", testlib_tmpdir());
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(msg_open_log_file(path, MSG_INFO), -EISDIR);
	snprintf(path, sizeof(path), "%s/link.log", testlib_tmpdir());
	assert_int_equal(symlink("amtact.log", path), 0);
	assert_int_equal(msg_open_log_file(path, MSG_INFO), -ELOOP);
}

static int setup(void **state)
{
	(void)state;
	alarm(20); /* a blocking open of the FIFO would hang here otherwise */
	return testlib_tmpdir_make();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_file_private),
		cmocka_unit_test(test_log_file_not_regular),
	};

	return cmocka_run_group_tests(tests, setup, testlib_tmpdir_teardown);
}

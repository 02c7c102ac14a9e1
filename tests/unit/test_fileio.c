// SPDX-License-Identifier: MIT
/* fileio_read_all: a whole descriptor, stopping at the cap, errors passed up. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fileio.h"

/* A pipe holding `text`, its write end closed (so the reader sees end of file). */
static int pipe_with(const char *text)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
	close(p[1]);
	return p[0];
}

static void test_whole(void **state)
{
	char buf[32];
	size_t len = 99;
	int fd = pipe_with("hello, world");

	(void)state;
	assert_int_equal(fileio_read_all(fd, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 12);
	assert_memory_equal(buf, "hello, world", 12);
	close(fd);
}

static void test_stops_at_cap(void **state)
{
	char buf[8] = { 0 };
	size_t len = 0;
	int fd = pipe_with("0123456789");

	(void)state;
	assert_int_equal(fileio_read_all(fd, buf, 5, &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(buf, "01234", 5);
	assert_int_equal(buf[5], 0); /* nothing past the cap was written */
	close(fd);
}

static void test_empty_and_error(void **state)
{
	char buf[4];
	size_t len = 7;
	int fd = pipe_with("");

	(void)state;
	assert_int_equal(fileio_read_all(fd, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 0);
	close(fd);
	assert_int_equal(fileio_read_all(fd, buf, sizeof(buf), &len), -EBADF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_stops_at_cap),
		cmocka_unit_test(test_empty_and_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

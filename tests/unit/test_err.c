// SPDX-License-Identifier: MIT
/* The error context: formatting, the code kept apart from the firmware status, cut marks. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"

static void test_set_formats_and_keeps_code(void **state)
{
	struct amt_err e;

	(void)state;
	err_clear(&e);
	assert_false(err_is_set(&e));
	assert_string_equal(err_text(&e), "");
	assert_int_equal(err_set(&e, -ETIMEDOUT, "%s: no answer in %d ms", "GET_UUID", 5000),
			 -ETIMEDOUT);
	assert_true(err_is_set(&e));
	assert_int_equal(e.code, -ETIMEDOUT);
	assert_false(e.have_fw_status);
	assert_string_equal(e.msg, "GET_UUID: no answer in 5000 ms");
	assert_string_equal(err_text(&e), "GET_UUID: no answer in 5000 ms");
	/* A new failure replaces the old one whole. */
	err_set(&e, -EIO, "short");
	assert_string_equal(e.msg, "short");
	assert_int_equal(e.code, -EIO);
}

static void test_text_falls_back_to_errno(void **state)
{
	struct amt_err e;

	(void)state;
	err_clear(&e);
	e.code = -EBUSY;
	assert_true(err_is_set(&e));
	assert_string_equal(err_text(&e), strerror(EBUSY));
}

static void test_fw_status_apart_from_code(void **state)
{
	struct amt_err e;

	(void)state;
	err_clear(&e);
	err_set_fw_status(&e, 0x24);
	assert_true(e.have_fw_status);
	assert_int_equal(e.fw_status, 0x24);
	assert_int_equal(e.code, 0);
	assert_false(err_is_set(&e)); /* an answer is not a local failure */
	err_set(&e, -EPROTO, "refused");
	assert_int_equal(e.fw_status, 0x24);
	err_clear(&e);
	assert_false(e.have_fw_status);
	assert_int_equal(e.fw_status, 0);
}

static void test_prefix_adds_where_once(void **state)
{
	struct amt_err e;

	(void)state;
	err_clear(&e);
	err_set(&e, -EBADMSG, "reply to GET_UUID: %u bytes", 3u);
	assert_int_equal(err_prefix(&e, "reading %s", "the UUID"), -EBADMSG);
	assert_string_equal(e.msg, "reading the UUID: reply to GET_UUID: 3 bytes");
	assert_int_equal(e.code, -EBADMSG);
	/* Nothing to prefix: the words alone, no dangling ": ". */
	err_clear(&e);
	e.code = -ENODEV;
	err_prefix(&e, "opening %s", "/dev/mei0");
	assert_string_equal(e.msg, "opening /dev/mei0");
	assert_int_equal(e.code, -ENODEV);
}

/* A cut message fills the buffer and ends in the mark; a message that fits has none. */
static void assert_cut(const struct amt_err *e, char fill)
{
	size_t len = strlen(e->msg), mark = strlen(AMT_ERR_CUT);

	assert_int_equal(len, AMT_ERR_MSG_MAX - 1);
	assert_string_equal(e->msg + len - mark, AMT_ERR_CUT);
	assert_int_equal(e->msg[len - mark - 1], fill);
}

static void test_long_messages_are_marked_cut(void **state)
{
	char long_text[AMT_ERR_MSG_MAX * 2];
	struct amt_err e;

	(void)state;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	err_clear(&e);
	assert_int_equal(err_set(&e, -E2BIG, "%s", long_text), -E2BIG);
	assert_cut(&e, 'x');
	assert_int_equal(e.code, -E2BIG);

	/* Exactly the room there is: whole, unmarked. */
	long_text[AMT_ERR_MSG_MAX - 1] = '\0';
	err_set(&e, -E2BIG, "%s", long_text);
	assert_int_equal(strlen(e.msg), AMT_ERR_MSG_MAX - 1);
	assert_int_equal(e.msg[AMT_ERR_MSG_MAX - 2], 'x');

	/* A prefix that pushes the message over is cut at the end, the prefix kept. */
	long_text[AMT_ERR_MSG_MAX - 4] = '\0';
	err_set(&e, -EIO, "%s", long_text);
	err_prefix(&e, "where");
	assert_int_equal(strncmp(e.msg, "where: xxx", 10), 0);
	assert_cut(&e, 'x');
	assert_int_equal(e.code, -EIO);

	/* A prefix alone too long for the buffer. */
	memset(long_text, 'y', AMT_ERR_MSG_MAX + 5);
	long_text[AMT_ERR_MSG_MAX + 5] = '\0';
	err_set(&e, -EIO, "old");
	err_prefix(&e, "%s", long_text);
	assert_cut(&e, 'y');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_formats_and_keeps_code),
		cmocka_unit_test(test_text_falls_back_to_errno),
		cmocka_unit_test(test_fw_status_apart_from_code),
		cmocka_unit_test(test_prefix_adds_where_once),
		cmocka_unit_test(test_long_messages_are_marked_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

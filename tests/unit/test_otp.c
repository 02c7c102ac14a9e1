// SPDX-License-Identifier: MIT
/* Unit tests for otp.c: generation from the default and from a profile's alphabet. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "otp.h"

static void only_from(const struct secret *s, const char *alphabet)
{
	for (size_t i = 0; i < s->len; i++)
		assert_non_null(strchr(alphabet, s->buf[i]));
	assert_int_equal(s->buf[s->len], '\0');
}

static void test_default_alphabet(void **state)
{
	struct secret s;

	(void)state;
	assert_int_equal(otp_generate(&s, 32), 0);
	assert_int_equal(s.len, 32);
	only_from(&s, OTP_ALPHABET);
	assert_null(otp_invalid(&s));
	secret_wipe(&s);
}

/* Every character comes from the given alphabet, and each of them turns up. */
static void test_given_alphabet(void **state)
{
	struct secret s;
	int seen_x = 0, seen_y = 0;

	(void)state;
	for (int round = 0; round < 4; round++) {
		assert_int_equal(otp_generate_from(&s, 32, "XY"), 0);
		assert_int_equal(s.len, 32);
		only_from(&s, "XY");
		seen_x += strchr(s.buf, 'X') != NULL;
		seen_y += strchr(s.buf, 'Y') != NULL;
	}
	assert_true(seen_x > 0 && seen_y > 0);
	assert_int_equal(otp_generate_from(&s, 8, "\"\\"), 0);
	only_from(&s, "\"\\");
	assert_null(otp_invalid(&s));
	secret_wipe(&s);
}

static void test_bad_arguments(void **state)
{
	struct secret s;

	(void)state;
	assert_int_equal(otp_generate_from(&s, 16, "X"), -EINVAL);
	assert_int_equal(s.len, 0);
	assert_int_equal(otp_generate_from(&s, 16, ""), -EINVAL);
	assert_int_equal(otp_generate_from(&s, 16, NULL), -EINVAL);
	assert_int_equal(otp_generate_from(&s, 7, "XY"), -EINVAL);
	assert_int_equal(otp_generate_from(&s, 33, "XY"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_alphabet),
		cmocka_unit_test(test_given_alphabet),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/* The exit-code table is the same in include/exitcodes.h, man/amtact.8 and README.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exitcodes.h"
#include "testlib.h"

#define LAST_CODE EXIT_BLOCKED

/* A file of the source tree, which must exist and not be empty. */
static char *slurp(const char *rel)
{
	char path[4096];
	size_t len = 0;
	char *buf = testlib_read_file(testlib_top_path(path, sizeof(path), rel), &len);

	assert_non_null(buf);
	assert_true(len > 0);
	return buf;
}

static void test_codes_below_256_and_named(void **state)
{
	(void)state;
	for (int c = 0; c <= LAST_CODE; c++) {
		assert_non_null(amtact_exit_name(c));
		assert_non_null(amtact_exit_meaning(c));
		assert_true(c < 256);
		for (int d = 0; d < c; d++)
			assert_string_not_equal(amtact_exit_name(c), amtact_exit_name(d));
	}
	assert_null(amtact_exit_name(LAST_CODE + 1));
}

/*
 * Undo the wrapping of text lines (man pages keep lines under 80 bytes): a newline inside a
 * sentence of running text, between two text lines, becomes a space.
 */
static void join_wrapped(char *s)
{
	char *line = s;

	for (char *p = s; *p; p++) {
		if (*p != '\n')
			continue;
		if (*line != '.' && p > line && p[-1] != '.' && p[1] && p[1] != '.' && p[1] != '\n')
			*p = ' ';
		else
			line = p + 1;
	}
}

static void test_man_page_matches(void **state)
{
	char *man = slurp("man/amtact.8");
	char want[256];

	(void)state;
	join_wrapped(man);
	for (int c = 0; c <= LAST_CODE; c++) {
		snprintf(want, sizeof(want), ".TP\n.B %d\n%s: %s.\n", c, amtact_exit_name(c),
			 amtact_exit_meaning(c));
		if (!strstr(man, want))
			fail_msg("man/amtact.8 lacks or differs for exit code %d:\n%s", c, want);
	}
	snprintf(want, sizeof(want), ".B %d\n", LAST_CODE + 1);
	assert_null(strstr(strstr(man, ".SH EXIT STATUS"), want));
	free(man);
}

static void test_readme_matches(void **state)
{
	char *readme = slurp("README.md");
	char want[256];

	(void)state;
	for (int c = 0; c <= LAST_CODE; c++) {
		snprintf(want, sizeof(want), "| %d | `%s` | %s |\n", c, amtact_exit_name(c),
			 amtact_exit_meaning(c));
		if (!strstr(readme, want))
			fail_msg("README.md lacks or differs for exit code %d:\n%s", c, want);
	}
	snprintf(want, sizeof(want), "| %d | `", LAST_CODE + 1);
	assert_null(strstr(readme, want));
	free(readme);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes_below_256_and_named),
		cmocka_unit_test(test_man_page_matches),
		cmocka_unit_test(test_readme_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

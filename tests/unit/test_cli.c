// SPDX-License-Identifier: MIT
/* Global options after the command name (src/cli.c) and which exit codes are failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "exitcodes.h"

#define ARGV(...) { __VA_ARGS__, NULL }

static void assert_argv(char **argv, int argc, const char *const *want, int want_argc)
{
	assert_int_equal(argc, want_argc);
	for (int i = 0; i < argc; i++)
		assert_string_equal(argv[i], want[i]);
	assert_null(argv[argc]);
}

static void test_globals_taken_rest_kept(void **state)
{
	char *argv[] = ARGV("run", "--profile", "p", "--device", "sim", "--json", "-v",
			    "--timeout=2500", "--dry-run");
	const char *want[] = { "run", "--profile", "p", "--dry-run" };
	struct cmd_ctx ctx = { 0 };
	int argc = 9;

	(void)state;
	assert_int_equal(cli_take_globals(&argc, argv, &ctx, false), 0);
	assert_argv(argv, argc, want, 4);
	assert_string_equal(ctx.device, "sim");
	assert_true(ctx.json);
	assert_int_equal(ctx.verbose, 1);
	assert_int_equal(ctx.timeout_ms, 2500);
}

static void test_stops_at_double_dash_and_own_timeout(void **state)
{
	char *argv[] = ARGV("report", "--timeout", "9", "--device=", "-vv", "--", "--json");
	const char *want[] = { "report", "--timeout", "9", "--", "--json" };
	struct cmd_ctx ctx = { .device = "x" };
	int argc = 7;

	(void)state;
	assert_int_equal(cli_take_globals(&argc, argv, &ctx, true), 0);
	assert_argv(argv, argc, want, 5);
	assert_null(ctx.device); /* an empty value counts as not given */
	assert_false(ctx.json);
	assert_int_equal(ctx.verbose, 2);
	assert_int_equal(ctx.timeout_ms, 0);
}

static void test_bad_values_refused(void **state)
{
	char *a1[] = ARGV("info", "--device");
	char *a2[] = ARGV("info", "--timeout", "0");
	char *a3[] = ARGV("info", "--timeout=600001");
	struct cmd_ctx ctx = { 0 };
	int argc = 2;

	(void)state;
	assert_int_equal(cli_take_globals(&argc, a1, &ctx, false), EXIT_USAGE);
	argc = 3;
	assert_int_equal(cli_take_globals(&argc, a2, &ctx, false), EXIT_USAGE);
	argc = 2;
	assert_int_equal(cli_take_globals(&argc, a3, &ctx, false), EXIT_USAGE);
}

static void test_wants_help(void **state)
{
	char *a1[] = ARGV("run", "--profile", "x", "-h");
	char *a2[] = ARGV("run", "--", "--help");
	char *a3[] = ARGV("run", "--helpful");

	(void)state;
	assert_true(cli_wants_help(4, a1));
	assert_false(cli_wants_help(3, a2));
	assert_false(cli_wants_help(2, a3));
}

static void test_which_codes_are_failures(void **state)
{
	(void)state;
	for (int c = 0; c <= EXIT_NOT_DELIVERED; c++) {
		bool result = c == EXIT_OK || c == EXIT_NOT_PROVISIONED ||
			      c == EXIT_IN_PROVISIONING || c == EXIT_QUEUED ||
			      c == EXIT_NOTHING_TO_DO;

		assert_int_equal(amtact_exit_is_error(c), !result);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_globals_taken_rest_kept),
		cmocka_unit_test(test_stops_at_double_dash_and_own_timeout),
		cmocka_unit_test(test_bad_values_refused),
		cmocka_unit_test(test_wants_help),
		cmocka_unit_test(test_which_codes_are_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

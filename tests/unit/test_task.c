// SPDX-License-Identifier: MIT
/* Unit tests for task.c: the boot-time scheduled task's name, definition and schtasks line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "task.h"

static void test_name(void **state)
{
	char out[80];

	(void)state;
	assert_int_equal(task_name("corp", out, sizeof(out)), 0);
	assert_string_equal(out, "amtact\\corp");
	assert_int_equal(task_name("corp-2.lab_x", out, sizeof(out)), 0);
	assert_int_equal(task_name("a b", out, sizeof(out)), -EINVAL);
	assert_int_equal(task_name("..\\x", out, sizeof(out)), -EINVAL);
	assert_int_equal(task_name("", out, sizeof(out)), -EINVAL);
	assert_int_equal(task_name("corp", out, 8), -ENAMETOOLONG);
}

static void test_xml(void **state)
{
	char *x = task_xml("C:\\Program Files\\A&B <amtact>\\amtact.exe", "corp");

	(void)state;
	assert_non_null(x);
	assert_non_null(strstr(x, "<Command>C:\\Program Files\\A&amp;B &lt;amtact&gt;\\amtact.exe"
				  "</Command>"));
	assert_non_null(strstr(x, "<Arguments>run --profile corp</Arguments>"));
	assert_non_null(strstr(x, "<UserId>S-1-5-18</UserId>"));
	assert_non_null(strstr(x, "<RunLevel>HighestAvailable</RunLevel>"));
	assert_non_null(strstr(x, "<BootTrigger>"));
	assert_non_null(strstr(x, "<Delay>PT1M</Delay>"));
	assert_non_null(strstr(x, "<RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>"));
	assert_non_null(strstr(x, "<StartWhenAvailable>true</StartWhenAvailable>"));
	assert_non_null(strstr(x, "<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>"));
	assert_non_null(strstr(x, "<DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>"));
	assert_null(strstr(x, "A&B"));
	assert_string_equal(x + strlen(x) - 8, "</Task>\n");
	free(x);
}

static void test_schtasks_line(void **state)
{
	char out[512];

	(void)state;
	assert_int_equal(task_schtasks_line("C:\\Program Files\\amtact\\amtact.exe", "corp", out,
					    sizeof(out)), 0);
	assert_string_equal(out, "schtasks /Create /TN \"amtact\\corp\" /SC ONSTART /DELAY 0001:00 "
			    "/RU SYSTEM /RL HIGHEST /F /TR \"\\\"C:\\Program Files\\amtact\\"
			    "amtact.exe\\\" run --profile corp\"");
	assert_int_equal(task_schtasks_line("C:\\amtact.exe", "corp", out, 40), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_schtasks_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

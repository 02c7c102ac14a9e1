// SPDX-License-Identifier: MIT
/* Unit tests for task.c: the scheduled tasks' names, definitions and schtasks lines. */
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
	assert_int_equal(task_name(TASK_BOOT, "corp", out, sizeof(out)), 0);
	assert_string_equal(out, "amtact\\corp");
	assert_int_equal(task_name(TASK_BOOT, "corp-2.lab_x", out, sizeof(out)), 0);
	assert_int_equal(task_name(TASK_BOOT, "a b", out, sizeof(out)), -EINVAL);
	assert_int_equal(task_name(TASK_BOOT, "..\\x", out, sizeof(out)), -EINVAL);
	assert_int_equal(task_name(TASK_BOOT, "", out, sizeof(out)), -EINVAL);
	assert_int_equal(task_name(TASK_BOOT, "corp", out, 8), -ENAMETOOLONG);
	assert_int_equal(task_name(TASK_FLUSH, "corp", out, sizeof(out)), 0);
	assert_string_equal(out, "amtact\\corp flush");
	assert_int_equal(task_name(TASK_FLUSH, "a b", out, sizeof(out)), -EINVAL);
	assert_int_equal(task_name(TASK_FLUSH, "corp", out, 12), -ENAMETOOLONG);
}

/* The retry task: five minutes after boot, then every five, ten minutes at most. */
static void test_flush_xml(void **state)
{
	char *x = task_xml(TASK_FLUSH, "C:\\amtact\\amtact.exe", "corp");
	const char *trigger;

	(void)state;
	assert_non_null(x);
	assert_non_null(strstr(x, "<Description>Retry the queued Intel AMT activation reports: "
				  "amtact report --flush --profile corp</Description>"));
	assert_non_null(strstr(x, "<Arguments>report --flush --profile corp</Arguments>"));
	assert_non_null(strstr(x, "<Command>C:\\amtact\\amtact.exe</Command>"));
	trigger = strstr(x, "<BootTrigger>");
	assert_non_null(trigger);
	assert_non_null(strstr(trigger, "<Delay>PT5M</Delay>"));
	assert_non_null(strstr(trigger, "<Repetition>\n        <Interval>PT5M</Interval>\n"
					"      </Repetition>\n    </BootTrigger>"));
	assert_non_null(strstr(x, "<ExecutionTimeLimit>PT10M</ExecutionTimeLimit>"));
	assert_non_null(strstr(x, "<UserId>S-1-5-18</UserId>"));
	assert_non_null(strstr(x, "<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>"));
	assert_null(strstr(x, "run --profile"));
	free(x);
}

static void test_xml(void **state)
{
	char *x = task_xml(TASK_BOOT, "C:\\Program Files\\A&B <amtact>\\amtact.exe", "corp");

	(void)state;
	assert_non_null(x);
	assert_non_null(strstr(x, "<Command>C:\\Program Files\\A&amp;B &lt;amtact&gt;\\amtact.exe"
				  "</Command>"));
	assert_non_null(strstr(x, "<Arguments>run --profile corp</Arguments>"));
	assert_non_null(strstr(x, "<UserId>S-1-5-18</UserId>"));
	assert_non_null(strstr(x, "<RunLevel>HighestAvailable</RunLevel>"));
	assert_non_null(strstr(x, "<BootTrigger>"));
	assert_non_null(strstr(x, "<Delay>PT1M</Delay>"));
	assert_non_null(strstr(x, "<ExecutionTimeLimit>PT1H</ExecutionTimeLimit>"));
	assert_null(strstr(x, "<Repetition>"));
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
	assert_int_equal(task_schtasks_line(TASK_BOOT, "C:\\Program Files\\amtact\\amtact.exe", "corp", out,
					    sizeof(out)), 0);
	assert_string_equal(out, "schtasks /Create /TN \"amtact\\corp\" /SC ONSTART /DELAY 0001:00 "
			    "/RU SYSTEM /RL HIGHEST /F /TR \"\\\"C:\\Program Files\\amtact\\"
			    "amtact.exe\\\" run --profile corp\"");
	assert_int_equal(task_schtasks_line(TASK_BOOT, "C:\\amtact.exe", "corp", out, 40),
			 -ENAMETOOLONG);
	assert_int_equal(task_schtasks_line(TASK_FLUSH, "C:\\amtact.exe", "corp", out,
					    sizeof(out)), 0);
	assert_string_equal(out, "schtasks /Create /TN \"amtact\\corp flush\" /SC MINUTE /MO 5 "
			    "/RU SYSTEM /RL HIGHEST /F /TR \"\\\"C:\\amtact.exe\\\" report --flush "
			    "--profile corp\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_xml),
		cmocka_unit_test(test_flush_xml),
		cmocka_unit_test(test_schtasks_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/* Unit tests for run_deliver.c: the report file (it may carry the OTP) is private. */
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

#include "cmds.h"
#include "exitcodes.h"
#include "run.h"
#include "run_deliver.h"
#include "testlib.h"

static struct run *new_run(const char *report_file)
{
	struct run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	secret_init(&r->otp);
	r->first = r->info = calloc(1, sizeof(*r->info));
	assert_non_null(r->info);
	snprintf(r->id, sizeof(r->id), "0f0e0d0c-0b0a-4908-8706-050403020100");
	r->prof.name = strdup("test");
	r->prof.report_file = strdup(report_file);
	r->prof.spool_dir = strdup("/nonexistent-spool");
	r->prof.state_dir = strdup("/nonexistent-state");
	return r;
}

static void free_run(struct run *r)
{
	secret_wipe(&r->otp);
	free(r->info);
	run_errors_free(r);
	profile_free(&r->prof);
	free(r);
}

/*
 * Someone who can write to the report file's directory creates the temporary name the
 * agent will use, world-readable: the OTP must not land in that file, and the report must
 * still be written, mode 0600.
 */
static void test_report_file_precreated_temp(void **state)
{
	char path[300], tmp[340];
	struct run_delivery d = { 0 };
	struct run *r;
	struct stat st;
	char *text;
	int fd, code;

	(void)state;
	snprintf(path, sizeof(path), "%s/report.json", testlib_tmpdir());
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "planted\n", 8), 8);
	fchmod(fd, 0644);
	close(fd);

	r = new_run(path);
	assert_int_equal(secret_set(&r->otp, "Sekr3tOTPvalue42", 16), 0);
	r->otp_sent = true;
	code = run_deliver(r, &d);
	assert_int_equal(code, EXIT_OK);
	assert_int_equal(d.outcome, RUN_WRITTEN);

	text = testlib_read_file(tmp, NULL);
	assert_non_null(text);
	assert_string_equal(text, "planted\n");
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = testlib_read_file(path, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"otp\":\"Sekr3tOTPvalue42\""));
	free(text);
	unlink(tmp);
	unlink(path);
	free_run(r);
}

/* The typed actions and errors reach the report as the documented JSON (REPORT FORMAT). */
static void test_report_actions_errors(void **state)
{
	char path[300];
	struct run_delivery d = { 0 };
	struct run_action *a;
	struct run *r;
	char *text;

	(void)state;
	snprintf(path, sizeof(path), "%s/typed.json", testlib_tmpdir());
	r = new_run(path);
	a = &r->actions[r->action_count++];
	a->skipped = true;
	a->req.op = OP_START_CONFIG;
	a->reason = RUN_REASON_HELLO_WINDOW_OPEN;
	a->window_until = 86400;
	a = &r->actions[r->action_count++];
	a->req.op = OP_SET_SUFFIX;
	a->req.suffix = "corp.example.com";
	a->out.kind = OP_NO_CHANGE;
	a->out.command = "SET_DNS_SUFFIX";
	a->out.rule = (struct rule_result){ RULE_NO_CHANGE, "already", "", "", 0 };
	run_error(r, "state", "saving %s failed: %s", "/x/state.json", "No space left");
	run_error(r, "report", "second");
	assert_int_equal(run_deliver(r, &d), EXIT_OK);
	text = testlib_read_file(path, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"actions\":[{\"operation\":\"start-config\","
				     "\"outcome\":\"skipped\",\"sent\":false,\"reason\":\"the hello "
				     "window this agent opened is open until 1970-01-02T00:00:00Z\"},"
				     "{\"schema_version\":1,\"operation\":\"set-suffix\","
				     "\"command\":\"SET_DNS_SUFFIX\",\"outcome\":\"no_change\","
				     "\"sent\":false,\"firmware_status\":null,"));
	assert_non_null(strstr(text, "\"errors\":[{\"what\":\"state\",\"message\":\"saving "
				     "/x/state.json failed: No space left\"},{\"what\":\"report\","
				     "\"message\":\"second\"}]"));
	assert_null(strstr(text, "\"otp\""));
	free(text);
	unlink(path);
	free_run(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_file_precreated_temp),
		cmocka_unit_test(test_report_actions_errors),
	};

	return cmocka_run_group_tests(tests, testlib_tmpdir_setup, testlib_tmpdir_teardown);
}

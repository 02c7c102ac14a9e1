// SPDX-License-Identifier: MIT
/* Write operations end to end on the in-process emulator: every command x generation x state. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "amt_status.h"
#include "exitcodes.h"
#include "sim.h"
#include "me.h"
#include "op.h"
#include "op_render.h"
#include "testlib.h"
#include "testlib_facts.h"

#define KNOWN_OTP "Kq7mZ3pR9xWt2vLc"
#define OLD_SUFFIX "old.example.com"
#define NEW_SUFFIX "new.example.org"

static const char *const *const gens = testlib_generations;
static const char *const *const state_names = testlib_pstate_names;

static char path[128];
static int cases_run;

/* ---- expectations: from the table of firmware facts (testlib_facts.c) ------------------ */

/* The agent's write operations as the facts name them. */
static const enum testlib_write fact_of[OP_COUNT] = {
	[OP_SET_OTP] = TESTLIB_SET_OTP,
	[OP_START_CONFIG] = TESTLIB_START_CONFIG,
	[OP_STOP_CONFIG] = TESTLIB_STOP_CONFIG,
	[OP_SET_SUFFIX] = TESTLIB_SET_SUFFIX,
	[OP_ZERO_TOUCH_ENABLE] = TESTLIB_ZT_ENABLE,
	[OP_ZERO_TOUCH_DISABLE] = TESTLIB_ZT_DISABLE,
	[OP_ENABLE_AMT] = TESTLIB_ENABLE_AMT,
	[OP_UNPROVISION] = TESTLIB_UNPROVISION,
};

/* What the firmware answers when the command is sent (make_state prepares every state so
 * that the command asks for a change: zero touch off for enable, on for disable, another
 * suffix), from the table of facts. */
static uint32_t expect_fw(enum op op, size_t g, enum testlib_pstate s)
{
	return testlib_fact(fact_of[op], g, s)->status;
}

/*
 * What the agent should predict from what the host can read: no change where the box
 * already is as asked; otherwise the firmware's answer when every state the host cannot
 * tell from this one (the hello window; before 6.0 the control mode) gets the same answer,
 * and MAYBE when they differ.
 */
static enum rule_verdict expect_verdict(enum op op, size_t g, enum testlib_pstate s)
{
	const struct testlib_fact *f = testlib_fact(fact_of[op], g, s);

	if (f->already)
		return RULE_NO_CHANGE;
	for (int t = 0; t < TESTLIB_PSTATE_COUNT; t++)
		if (!testlib_pstate_distinguishable(g, s, (enum testlib_pstate)t) &&
		    testlib_fact(fact_of[op], g, (enum testlib_pstate)t)->status != f->status)
			return RULE_MAYBE;
	return f->status ? RULE_REFUSE : RULE_ALLOW;
}

/* ---- state files ------------------------------------------------------------------------ */

/* A state file for generation g in state s, prepared so that `op` asks for a change. */
static void make_state(size_t g, enum testlib_pstate s, enum op op, const char *extra)
{
	static const int prov[TESTLIB_PSTATE_COUNT] = { 0, 1, 1, 2, 2 };
	static const int cm[TESTLIB_PSTATE_COUNT] = { 0, 0, 0, 1, 2 };
	long now = (long)time(NULL);
	long started = s == TESTLIB_IN_OPEN ? now - 60 : s == TESTLIB_IN_ELAPSED ? now - 90000 : 0;
	long until = s == TESTLIB_IN_OPEN ? now + 20000 : s == TESTLIB_IN_ELAPSED ? now - 3600 : 0;
	char text[1024];

	snprintf(text, sizeof(text),
		 "{\"generation\":\"%s\",\"key_generation_s\":0,\"provisioning_state\":%d,"
		 "\"provisioning_mode\":1,"
		 "\"control_mode\":%d,\"zero_touch_enabled\":%s,\"pki_dns_suffix\":\"" OLD_SUFFIX
		 "\",\"hello\":{\"started_at\":%ld,\"until\":%ld,\"starts\":%d}%s%s}",
		 gens[g], prov[s], cm[s], op == OP_ZERO_TOUCH_ENABLE ? "false" : "true", started,
		 until, started ? 1 : 0, extra ? "," : "", extra ? extra : "");
	testlib_write_file(path, text, 0644);
}

/* ---- running one operation -------------------------------------------------------------- */

struct run {
	struct op_outcome out;
	int rc;
	char *before_file, *after_file;
	size_t before_len, after_len;
};

static const char *const heci_names[OP_COUNT] = {
	"SET_PROVISIONING_SERVER_OTP", "START_CONFIGURATION", "STOP_CONFIGURATION",
	"SET_DNS_SUFFIX", "SET_ZERO_TOUCH_ENABLED", "SET_ZERO_TOUCH_ENABLED",
	"SET_AMT_OPERATIONAL_STATE", "UNPROVISION",
};

static struct secret the_otp;

/*
 * Run op on the state file. With `trap_send` the write command's reply is made malformed
 * first, so if the agent sends it anyway the outcome becomes OP_FAILED: proof of "nothing
 * sent" that does not trust the agent's own account.
 */
static void run_op(struct run *r, enum op op, const char *suffix, bool force, bool dry,
		   int wait_s, bool trap_send, const char *control)
{
	struct op_request req = { .op = op, .suffix = suffix, .otp = &the_otp, .force = force,
				  .dry_run = dry, .wait_s = wait_s };
	char dev[160], line[96], msg[256];
	struct me me;

	memset(r, 0, sizeof(*r));
	snprintf(dev, sizeof(dev), "sim:%s", path);
	assert_int_equal(me_open(&me, dev, 2000), 0);
	if (control)
		assert_int_equal(sim_control(path, control, msg, sizeof(msg)), 0);
	if (trap_send) {
		snprintf(line, sizeof(line), "malformed %s %s", heci_names[op],
			 op == OP_ENABLE_AMT ? "command" : "empty");
		if (sim_control(path, line, msg, sizeof(msg)) != 0)
			fail_msg("control \"%s\": %s", line, msg);
	}
	r->before_file = testlib_read_file(path, &r->before_len);
	assert_non_null(r->before_file);
	r->rc = op_run(&me, &req, &r->out);
	me_close(&me);
	r->after_file = testlib_read_file(path, &r->after_len);
	assert_non_null(r->after_file);
}

static bool file_unchanged(const struct run *r)
{
	return r->before_len == r->after_len &&
	       memcmp(r->before_file, r->after_file, r->before_len) == 0;
}

static void run_free(struct run *r)
{
	op_outcome_free(&r->out);
	free(r->before_file);
	free(r->after_file);
}

static bool has_change(const struct op_outcome *o, const char *item, const char *before,
		       const char *after)
{
	for (size_t i = 0; i < o->change_count; i++)
		if (strcmp(o->changes[i].item, item) == 0 &&
		    strcmp(o->changes[i].before, before) == 0 &&
		    strcmp(o->changes[i].after, after) == 0)
			return true;
	return false;
}

/* The JSON result agrees with the outcome and never carries the OTP. */
static void check_json(enum op op, const struct op_outcome *o, const char *what)
{
	static const char *const kinds[] = { "done", "no_change", "predicted_refusal",
					     "refused", "dry_run", "failed" };
	struct op_request req = { .op = op, .suffix = NEW_SUFFIX, .otp = &the_otp };
	cJSON *doc = op_json(&req, o);
	char *text = cJSON_PrintUnformatted(doc);

	if (strcmp(testlib_json_str(doc, "outcome", NULL), kinds[o->kind]) != 0 ||
	    (int)testlib_json_num(doc, "exit_code", NULL) != op_exit_code(o) ||
	    strstr(text, KNOWN_OTP))
		fail_msg("%s: JSON disagrees with the outcome: %s", what, text);
	free(text);
	cJSON_Delete(doc);
}

/* The state after an accepted write, re-read from the emulator's file. */
static void check_after_done(enum op op, size_t g, enum testlib_pstate s, const struct run *r,
			     const char *what)
{
	cJSON *st = testlib_json_load(path);
	char digest[65];
	long span;

	switch (op) {
	case OP_SET_OTP:
		testlib_sha256_hex(KNOWN_OTP, strlen(KNOWN_OTP), digest);
		if ((int)testlib_json_num(st, "otp", "length") != (int)strlen(KNOWN_OTP) ||
		    strcmp(testlib_json_str(st, "otp", "sha256"), digest) != 0)
			fail_msg("%s: the firmware does not hold the OTP's hash", what);
		assert_null(strstr(r->after_file, KNOWN_OTP));
		break;
	case OP_START_CONFIG:
		span = (long)(testlib_json_num(st, "hello", "until") -
			      testlib_json_num(st, "hello", "started_at"));
		if ((int)testlib_json_num(st, "provisioning_state", NULL) != 1 ||
		    span != testlib_window_s(testlib_gen_psk(g), s == TESTLIB_PRE))
			fail_msg("%s: state %d window %ld s", what,
				 (int)testlib_json_num(st, "provisioning_state", NULL), span);
		if (s == TESTLIB_PRE && !has_change(&r->out, "provisioning.state", "pre", "in"))
			fail_msg("%s: pre -> in not reported", what);
		break;
	case OP_STOP_CONFIG:
		assert_int_equal((int)testlib_json_num(st, "provisioning_state", NULL), 0);
		if (!has_change(&r->out, "provisioning.state", "in", "pre"))
			fail_msg("%s: in -> pre not reported", what);
		break;
	case OP_SET_SUFFIX:
		assert_string_equal(testlib_json_str(st, "pki_dns_suffix", NULL), NEW_SUFFIX);
		if (!has_change(&r->out, "remote_configuration.pki_dns_suffix", OLD_SUFFIX,
				NEW_SUFFIX))
			fail_msg("%s: suffix change not reported", what);
		break;
	case OP_ZERO_TOUCH_ENABLE:
	case OP_ZERO_TOUCH_DISABLE:
		assert_int_equal(testlib_json_bool(st, "zero_touch_enabled", NULL),
				 op == OP_ZERO_TOUCH_ENABLE);
		if (!has_change(&r->out, "remote_configuration.zero_touch_enabled",
				op == OP_ZERO_TOUCH_ENABLE ? "false" : "true",
				op == OP_ZERO_TOUCH_ENABLE ? "true" : "false"))
			fail_msg("%s: zero-touch change not reported", what);
		break;
	case OP_UNPROVISION:
		assert_int_equal((int)testlib_json_num(st, "provisioning_state", NULL), 0);
		assert_int_equal((int)testlib_json_num(st, "control_mode", NULL), 0);
		assert_string_equal(testlib_json_str(st, "pki_dns_suffix", NULL), "");
		if (!has_change(&r->out, "provisioning.state", "post", "pre"))
			fail_msg("%s: post -> pre not reported", what);
		break;
	default:
		break;
	}
	cJSON_Delete(st);
}


/* One cell of the matrix: the plain run, the forced run and the dry runs. */
static void matrix_cell(enum op op, size_t g, enum testlib_pstate s)
{
	enum rule_verdict v = expect_verdict(op, g, s);
	uint32_t fw = expect_fw(op, g, s);
	char what[96];
	struct run r;

	snprintf(what, sizeof(what), "%s on %s %s", rules_op_name(op), gens[g], state_names[s]);
	/* 1. as asked, no --force */
	make_state(g, s, op, NULL);
	run_op(&r, op, NEW_SUFFIX, false, false, 0, v == RULE_NO_CHANGE || v == RULE_REFUSE,
	       NULL);
	if (r.rc != 0)
		fail_msg("%s: op_run %d", what, r.rc);
	if (r.out.rule.verdict != v)
		fail_msg("%s: verdict %d, expected %d (%s)", what, r.out.rule.verdict, v,
			 r.out.rule.rule);
	check_json(op, &r.out, what);
	if (v == RULE_NO_CHANGE || v == RULE_REFUSE) {
		enum op_kind k = v == RULE_REFUSE ? OP_PREDICTED_REFUSAL : OP_NO_CHANGE;

		if (r.out.kind != k || !file_unchanged(&r))
			fail_msg("%s: kind %d (expected %d), file %s", what, r.out.kind, k,
				 file_unchanged(&r) ? "unchanged" : "CHANGED");
		assert_int_equal(op_exit_code(&r.out), v == RULE_REFUSE ? EXIT_REFUSED : EXIT_OK);
		if (v == RULE_REFUSE && (r.out.rule.expected_status != fw || !r.out.rule.rule[0] ||
					 !r.out.rule.source[0]))
			fail_msg("%s: predicted %s, firmware answers %s", what,
				 amt_status_name(r.out.rule.expected_status), amt_status_name(fw));
	} else if (r.out.kind != (fw ? OP_REFUSED : OP_DONE) || r.out.fw_status != fw) {
		fail_msg("%s: kind %d status %s, expected %s", what, r.out.kind,
			 amt_status_name(r.out.fw_status), amt_status_name(fw));
	} else if (fw) {
		assert_int_equal(op_exit_code(&r.out), EXIT_REFUSED);
		if (!file_unchanged(&r))
			fail_msg("%s: a refused write changed the state", what);
	} else {
		assert_int_equal(op_exit_code(&r.out), EXIT_OK);
		check_after_done(op, g, s, &r, what);
	}
	run_free(&r);
	/* 2. a predicted refusal, sent with --force: the firmware refuses too */
	if (v == RULE_REFUSE) {
		make_state(g, s, op, NULL);
		run_op(&r, op, NEW_SUFFIX, true, false, 0, false, NULL);
		if (r.out.kind != OP_REFUSED || r.out.fw_status != fw || !file_unchanged(&r))
			fail_msg("%s --force: kind %d status %s, expected refused %s", what,
				 r.out.kind, amt_status_name(r.out.fw_status), amt_status_name(fw));
		assert_int_equal(op_exit_code(&r.out), EXIT_REFUSED);
		run_free(&r);
	}
	/* 3. --dry-run (and --dry-run --force) send nothing and leave the file alone */
	for (int force = 0; force < 2; force++) {
		enum op_kind k = v == RULE_NO_CHANGE ? OP_NO_CHANGE :
				 v == RULE_REFUSE && !force ? OP_PREDICTED_REFUSAL : OP_DRY_RUN;

		make_state(g, s, op, NULL);
		run_op(&r, op, NEW_SUFFIX, force, true, 0, true, NULL);
		if (r.out.kind != k || !file_unchanged(&r))
			fail_msg("%s --dry-run%s: kind %d (expected %d), file %s", what,
				 force ? " --force" : "", r.out.kind, k,
				 file_unchanged(&r) ? "unchanged" : "CHANGED");
		run_free(&r);
	}
	cases_run++;
}

static void matrix(enum op op)
{
	for (size_t g = 0; g < TESTLIB_GEN_COUNT; g++)
		for (int s = 0; s < TESTLIB_PSTATE_COUNT; s++)
			matrix_cell(op, g, (enum testlib_pstate)s);
}

static void test_matrix_set_otp(void **state) { (void)state; matrix(OP_SET_OTP); }
static void test_matrix_start_config(void **state) { (void)state; matrix(OP_START_CONFIG); }
static void test_matrix_stop_config(void **state) { (void)state; matrix(OP_STOP_CONFIG); }
static void test_matrix_set_suffix(void **state) { (void)state; matrix(OP_SET_SUFFIX); }
static void test_matrix_zt_enable(void **state) { (void)state; matrix(OP_ZERO_TOUCH_ENABLE); }
static void test_matrix_zt_disable(void **state) { (void)state; matrix(OP_ZERO_TOUCH_DISABLE); }
static void test_matrix_enable_amt(void **state) { (void)state; matrix(OP_ENABLE_AMT); }
static void test_matrix_unprovision(void **state) { (void)state; matrix(OP_UNPROVISION); }

/* ---- idempotency --------------------------------------------------------------------- */

/* Do it, then ask again: the second time nothing is sent and nothing changes. */
static void twice(enum op op, size_t g, enum testlib_pstate s)
{
	struct run r;

	make_state(g, s, op, NULL);
	run_op(&r, op, NEW_SUFFIX, false, false, 0, false, NULL);
	if (r.out.kind != OP_DONE)
		fail_msg("%s on %s: first run kind %d", rules_op_name(op), gens[g], r.out.kind);
	run_free(&r);
	run_op(&r, op, NEW_SUFFIX, false, false, 0, true, NULL);
	if (r.out.kind != OP_NO_CHANGE || r.out.rule.verdict != RULE_NO_CHANGE ||
	    !file_unchanged(&r) || r.out.change_count != 0 || op_exit_code(&r.out) != EXIT_OK)
		fail_msg("%s on %s: second run kind %d, %zu changes", rules_op_name(op), gens[g],
			 r.out.kind, r.out.change_count);
	run_free(&r);
}

static void test_idempotent(void **state)
{
	(void)state;
	for (size_t g = 0; g < TESTLIB_GEN_COUNT; g++) {
		twice(OP_SET_SUFFIX, g, TESTLIB_PRE);
		twice(OP_SET_SUFFIX, g, TESTLIB_IN_ELAPSED);
		/* the host may switch zero touch only from ME 12 (SDK CFG_SetZeroTouchEnabled) */
		if (expect_fw(OP_ZERO_TOUCH_DISABLE, g, TESTLIB_PRE) == 0)
			twice(OP_ZERO_TOUCH_DISABLE, g, TESTLIB_PRE);
		twice(OP_UNPROVISION, g, TESTLIB_POST_CCM);
		if (expect_fw(OP_ZERO_TOUCH_ENABLE, g, TESTLIB_POST_CCM) == 0)
			twice(OP_ZERO_TOUCH_ENABLE, g, TESTLIB_POST_CCM);
	}
}

/* Already in the asked-for state, on every generation and state: no change, nothing sent,
 * even where the firmware would refuse the write (zero touch on 12+, suffix once provisioned). */
static void test_already_there(void **state)
{
	static const enum op ops[] = { OP_SET_SUFFIX, OP_ZERO_TOUCH_ENABLE,
				       OP_ZERO_TOUCH_DISABLE, OP_ENABLE_AMT };
	struct run r;

	(void)state;
	for (size_t g = 0; g < TESTLIB_GEN_COUNT; g++)
		for (int s = 0; s < TESTLIB_PSTATE_COUNT; s++)
			for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
				/* the opposite preparation: zero touch already as asked */
				enum op prep = ops[i] == OP_ZERO_TOUCH_ENABLE ?
					       OP_ZERO_TOUCH_DISABLE : OP_ZERO_TOUCH_ENABLE;

				make_state(g, (enum testlib_pstate)s, prep, NULL);
				run_op(&r, ops[i], OLD_SUFFIX, true, false, 0, true, NULL);
				if (r.out.kind != OP_NO_CHANGE || !file_unchanged(&r))
					fail_msg("%s on %s %s: kind %d", rules_op_name(ops[i]),
						 gens[g], state_names[s], r.out.kind);
				run_free(&r);
			}
}

/* ---- start-config and the key --------------------------------------------------------- */

static void test_slow_key(void **state)
{
	struct timespec t0;
	struct run r;
	size_t g16 = 5;

	(void)state;
	/* No wait: CERTIFICATE_NOT_READY counts as started. */
	make_state(g16, TESTLIB_PRE, OP_START_CONFIG, NULL);
	run_op(&r, OP_START_CONFIG, NULL, false, false, 0, false, "slow-key 60");
	assert_int_equal(r.out.kind, OP_DONE);
	assert_int_equal(r.out.fw_status, TESTLIB_ST_CERT_NOT_READY);
	assert_true(r.out.key_pending);
	assert_false(r.out.key_ready);
	assert_int_equal(op_exit_code(&r.out), EXIT_OK);
	assert_true(has_change(&r.out, "provisioning.state", "pre", "in"));
	run_free(&r);
	/* Waiting: ends as soon as the key is ready. */
	make_state(g16, TESTLIB_PRE, OP_START_CONFIG, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_op(&r, OP_START_CONFIG, NULL, false, false, 20, false, "slow-key 3");
	assert_int_equal(r.out.kind, OP_DONE);
	assert_true(r.out.key_pending);
	assert_true(r.out.key_ready);
	if (testlib_elapsed_s(&t0) < 2.0 || testlib_elapsed_s(&t0) > 10.0)
		fail_msg("waited %.1f s for a key ready after 3 s", testlib_elapsed_s(&t0));
	assert_int_equal((int)r.out.after->tls_mode != 0, 1);
	run_free(&r);
	/* Waiting, but the key takes longer than we wait. */
	make_state(g16, TESTLIB_PRE, OP_START_CONFIG, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_op(&r, OP_START_CONFIG, NULL, false, false, 1, false, "slow-key 120");
	assert_int_equal(r.out.kind, OP_DONE);
	assert_true(r.out.key_pending);
	assert_false(r.out.key_ready);
	if (testlib_elapsed_s(&t0) > 6.0)
		fail_msg("wait_s 1 took %.1f s", testlib_elapsed_s(&t0));
	run_free(&r);
}

/* The window elapses (emulated clock): STOP then refused, START then allowed for 6 h. */
static void test_window_advance(void **state)
{
	struct run r;

	(void)state;
	make_state(6, TESTLIB_IN_OPEN, OP_STOP_CONFIG, NULL);
	run_op(&r, OP_STOP_CONFIG, NULL, false, false, 0, false, "advance 86400");
	assert_int_equal(r.out.kind, OP_REFUSED);
	assert_int_equal(r.out.fw_status, TESTLIB_ST_INVALID_AMT_MODE);
	run_free(&r);
	run_op(&r, OP_START_CONFIG, NULL, false, false, 0, false, NULL);
	assert_int_equal(r.out.kind, OP_DONE);
	run_free(&r);
	run_op(&r, OP_STOP_CONFIG, NULL, false, false, 0, false, NULL);
	assert_int_equal(r.out.kind, OP_DONE);
	assert_true(has_change(&r.out, "provisioning.state", "in", "pre"));
	run_free(&r);
}

/* ---- enable-amt -------------------------------------------------------------------------- */

static void test_enable_amt(void **state)
{
	struct run r;
	cJSON *st;

	(void)state;
	/* 16.1, AMT off, change allowed: sent on the WD client, AMT on afterwards. */
	make_state(5, TESTLIB_PRE, OP_ENABLE_AMT,
		   "\"amt_enabled\":false,\"amt_change_allowed\":true");
	run_op(&r, OP_ENABLE_AMT, NULL, false, false, 0, false, NULL);
	assert_int_equal(r.out.rule.verdict, RULE_ALLOW);
	assert_int_equal(r.out.kind, OP_DONE);
	assert_int_equal(r.out.fw_status, 0);
	assert_true(has_change(&r.out, "amt.enabled", "false", "true"));
	st = testlib_json_load(path);
	assert_true(testlib_json_bool(st, "amt_enabled", NULL));
	cJSON_Delete(st);
	run_free(&r);
	/* ... again: already enabled. */
	run_op(&r, OP_ENABLE_AMT, NULL, false, false, 0, true, NULL);
	assert_int_equal(r.out.kind, OP_NO_CHANGE);
	assert_true(file_unchanged(&r));
	run_free(&r);
	/* 16.1, AMT off, change locked: predicted, and the firmware agrees. */
	make_state(5, TESTLIB_PRE, OP_ENABLE_AMT,
		   "\"amt_enabled\":false,\"amt_change_allowed\":false");
	run_op(&r, OP_ENABLE_AMT, NULL, false, false, 0, true, NULL);
	assert_int_equal(r.out.kind, OP_PREDICTED_REFUSAL);
	assert_true(file_unchanged(&r));
	run_free(&r);
	run_op(&r, OP_ENABLE_AMT, NULL, true, false, 0, false, NULL);
	assert_int_equal(r.out.kind, OP_REFUSED);
	assert_int_equal(r.out.fw_status, r.out.rule.expected_status);
	assert_true(file_unchanged(&r));
	run_free(&r);
	/* 12.0 with AMT off: no host interface to switch it (WD client absent before 16.1). */
	make_state(4, TESTLIB_PRE, OP_ENABLE_AMT,
		   "\"amt_enabled\":false,\"amt_change_allowed\":true");
	run_op(&r, OP_ENABLE_AMT, NULL, false, false, 0, false, NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.out.rule.verdict, RULE_REFUSE);
	assert_int_equal(r.out.kind, OP_PREDICTED_REFUSAL);
	assert_int_equal(op_exit_code(&r.out), EXIT_REFUSED);
	assert_non_null(strstr(r.out.rule.rule, "16.1"));
	assert_true(file_unchanged(&r));
	run_free(&r);
	/* Other write commands on a box with AMT off cannot even read the state. */
	make_state(5, TESTLIB_PRE, OP_SET_SUFFIX, "\"amt_enabled\":false");
	run_op(&r, OP_SET_SUFFIX, NEW_SUFFIX, false, false, 0, false, NULL);
	assert_int_equal(r.rc, -ENODATA);
	assert_true(file_unchanged(&r));
	run_free(&r);
}

/* ---- inputs the agent rejects before the firmware sees them ------------------------------ */

static void test_bad_suffix(void **state)
{
	static const char *const bad[] = { "-lead.example.com", "a..b", "under_score.com",
					   "trail-.example.com" };
	struct run r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make_state(5, TESTLIB_PRE, OP_SET_SUFFIX, NULL);
		run_op(&r, OP_SET_SUFFIX, bad[i], false, false, 0, true, NULL);
		if (r.out.kind != OP_PREDICTED_REFUSAL || !file_unchanged(&r))
			fail_msg("suffix \"%s\": kind %d", bad[i], r.out.kind);
		run_free(&r);
	}
	/* Small-business mode: predicted and refused. */
	make_state(5, TESTLIB_PRE, OP_SET_SUFFIX, "\"provisioning_mode\":2");
	run_op(&r, OP_SET_SUFFIX, NEW_SUFFIX, false, false, 0, true, NULL);
	assert_int_equal(r.out.kind, OP_PREDICTED_REFUSAL);
	run_free(&r);
	run_op(&r, OP_SET_SUFFIX, NEW_SUFFIX, true, false, 0, false, NULL);
	assert_int_equal(r.out.kind, OP_REFUSED);
	assert_int_equal(r.out.fw_status, TESTLIB_ST_INVALID_AMT_MODE);
	run_free(&r);
}

/* A write the firmware applied but answered badly: failed (exit 6) with a reason, and the
 * state is still re-read so the change is reported ("it said error but it is done"). */
static void test_failed_reply_rereads(void **state)
{
	static const char *const kinds[] = { "empty", "length" };
	struct run r;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char line[64];

		snprintf(line, sizeof(line), "malformed SET_DNS_SUFFIX %s", kinds[i]);
		make_state(5, TESTLIB_PRE, OP_SET_SUFFIX, NULL);
		run_op(&r, OP_SET_SUFFIX, NEW_SUFFIX, false, false, 0, false, line);
		assert_int_equal(r.out.kind, OP_FAILED);
		assert_int_equal(op_exit_code(&r.out), EXIT_FIRMWARE);
		if (!r.out.err.msg[0] || !strstr(r.out.err.msg, "SET_DNS_SUFFIX"))
			fail_msg("%s reply: message \"%s\" does not say what failed", kinds[i],
				 r.out.err.msg);
		assert_int_equal(r.out.err.code, i == 0 ? -ENODATA : -EBADMSG);
		assert_non_null(r.out.after);
		if (!has_change(&r.out, "remote_configuration.pki_dns_suffix", OLD_SUFFIX,
				NEW_SUFFIX))
			fail_msg("%s reply: the applied change is not reported", kinds[i]);
		run_free(&r);
	}
}

static int setup(void **state)
{
	(void)state;
	if (testlib_tmpdir_make() < 0)
		return -1;
	testlib_tmp_path(path, sizeof(path), "state.json");
	secret_init(&the_otp);
	return secret_set(&the_otp, KNOWN_OTP, strlen(KNOWN_OTP));
}

static int teardown(void **state)
{
	(void)state;
	fprintf(stderr, "matrix cells run: %d\n", cases_run);
	secret_wipe(&the_otp);
	return testlib_tmpdir_remove();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_set_otp),
		cmocka_unit_test(test_matrix_start_config),
		cmocka_unit_test(test_matrix_stop_config),
		cmocka_unit_test(test_matrix_set_suffix),
		cmocka_unit_test(test_matrix_zt_enable),
		cmocka_unit_test(test_matrix_zt_disable),
		cmocka_unit_test(test_matrix_enable_amt),
		cmocka_unit_test(test_matrix_unprovision),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_already_there),
		cmocka_unit_test(test_slow_key),
		cmocka_unit_test(test_window_advance),
		cmocka_unit_test(test_enable_amt),
		cmocka_unit_test(test_bad_suffix),
		cmocka_unit_test(test_failed_reply_rereads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

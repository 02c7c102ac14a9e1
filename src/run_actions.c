// SPDX-License-Identifier: MIT
/* What `amtact run` does to the firmware, decided from the profile and the state read. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "amt_status.h"
#include "msg.h"
#include "op.h"
#include "otp.h"
#include "run.h"

void run_error(struct run *r, const char *what, const char *fmt, ...)
{
	char text[512];
	cJSON *e = cJSON_CreateObject();
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(e, "what", what);
	cJSON_AddStringToObject(e, "message", text);
	cJSON_AddItemToArray(r->errors, e);
	msg_error("%s: %s", what, text);
}

static void record_skip(struct run *r, enum op op, const char *why)
{
	cJSON *a = cJSON_CreateObject();

	cJSON_AddStringToObject(a, "operation", rules_op_name(op));
	cJSON_AddStringToObject(a, "outcome", "skipped");
	cJSON_AddBoolToObject(a, "sent", false);
	cJSON_AddStringToObject(a, "reason", why);
	cJSON_AddItemToArray(r->actions, a);
	msg_info("%s: skipped: %s", rules_op_name(op), why);
}

static bool window_open(const struct run *r);

/* START_CONFIGURATION refused in provisioning: the window someone opened has not elapsed. */
static bool window_still_open(const struct run *r, const struct op_request *req,
			      const struct op_outcome *out)
{
	return req->op == OP_START_CONFIG && out->kind == OP_REFUSED &&
	       out->fw_status == AMT_STATUS_INVALID_AMT_MODE &&
	       r->first->prov_state == AMT_PROV_STATE_IN;
}

/* Run one operation; returns false when the run should stop (refusal or failure). */
static bool act(struct run *r, struct op_request *req)
{
	struct op_outcome out;
	cJSON *entry;
	int rc;

	req->dry_run = r->dry_run;
	/* Each write re-reads the state after it; the next one checks against that. */
	req->state = r->cur ? r->cur : r->first;
	rc = op_run(&r->me, req, &out);
	if (rc < 0) {
		run_error(r, rules_op_name(req->op), "reading the state failed: %s", r->me.err);
		r->failed = true;
		return false;
	}
	entry = op_json(req, &out);
	cJSON_AddItemToArray(r->actions, entry);
	if (window_still_open(r, req, &out)) {
		cJSON_AddStringToObject(entry, "reason", "the firmware says the hello window is "
					"still open: the hellos are running");
		/* The firmware refuses a restart only while a window is open (rcfg.md 2.5): the
		 * hellos are running, which is what the profile wants. Not an error. */
		msg_info("start-config: the firmware says the hello window is still open");
	} else if (out.kind == OP_DONE) {
		r->acted = true;
		msg_info("%s: done%s", rules_op_name(req->op),
			 out.key_pending ? " (the firmware is still generating its key)" : "");
	} else if (out.kind == OP_PREDICTED_REFUSAL || out.kind == OP_REFUSED) {
		r->refused = true;
		run_error(r, rules_op_name(req->op), "%s: %s%s%s",
			  out.kind == OP_REFUSED ? "refused by the firmware" : "not sent",
			  out.rule.rule, out.rule.hint[0] ? " (" : "", out.rule.hint[0] ?
			  out.rule.hint : "");
		if (out.rule.hint[0])
			msg_debug("rule source: %s", out.rule.source);
	} else if (out.kind == OP_FAILED) {
		r->failed = true;
		run_error(r, rules_op_name(req->op), "%s", out.detail);
	}
	if (req->op == OP_START_CONFIG && out.kind == OP_DONE) {
		r->st.hello_started_at = r->now;
		r->st.hello_starts++;
		/*
		 * Only a box's first window is 24 h (rcfg.md 2.5). One found in provisioning had
		 * a window already (elapsed, or this start would have been refused), and so had
		 * one unprovisioned since: the firmware opens 6 h, whatever this agent counted.
		 */
		if ((r->first->prov_state == AMT_PROV_STATE_IN || r->unprovisioned_since) &&
		    r->st.hello_starts < 2)
			r->st.hello_starts = 2;
	}
	if (req->op == OP_SET_OTP && out.kind == OP_DONE)
		r->otp_sent = true;
	if (out.after) {
		free(r->cur);
		r->cur = out.after;
		out.after = NULL;
	}
	op_outcome_free(&out);
	if (out.kind == OP_FAILED)
		return false;
	return !r->refused || r->prof.ignore_intermediate_errors;
}

/* The hello window this agent opened, if it is known to be open now. */
static bool window_open(const struct run *r)
{
	return r->first->prov_state == AMT_PROV_STATE_IN && run_state_hello_until(&r->st) > r->now;
}

static bool do_otp(struct run *r)
{
	struct op_request req = { .op = OP_SET_OTP };
	int loose = 0, rc;

	if (r->prof.otp.policy == PROFILE_OTP_NONE)
		return true;
	if (window_open(r)) {
		record_skip(r, OP_SET_OTP, "in provisioning with the hello window open (started by "
			    "this agent); the firmware accepts a new OTP only after the window "
			    "elapses (rcfg.md 7)");
		return true;
	}
	if (r->prof.otp.policy == PROFILE_OTP_RANDOM)
		rc = otp_generate_from(&r->otp, r->prof.otp.length, r->prof.otp.alphabet);
	else
		rc = secret_read_file(&r->otp, r->prof.otp.file, &loose);
	if (rc < 0) {
		run_error(r, "set-otp", "getting the OTP from %s failed: %s",
			  r->prof.otp.policy == PROFILE_OTP_RANDOM ? "the CSPRNG" : r->prof.otp.file,
			  strerror(-rc));
		r->failed = true;
		return r->prof.ignore_intermediate_errors;
	}
	if (otp_invalid(&r->otp)) {
		run_error(r, "set-otp", "the OTP from %s is unusable: %s", r->prof.otp.file,
			  otp_invalid(&r->otp));
		secret_wipe(&r->otp);
		r->refused = true;
		return r->prof.ignore_intermediate_errors;
	}
	req.otp = &r->otp;
	return act(r, &req);
}

static bool do_hello(struct run *r)
{
	struct op_request req = { .op = OP_START_CONFIG };
	char why[160];

	if (r->prof.hello == PROFILE_HELLO_NEVER)
		return true;
	if (r->prof.hello == PROFILE_HELLO_WHEN_NOT_OPEN && window_open(r)) {
		time_t until = (time_t)run_state_hello_until(&r->st);
		struct tm tm;
		char stamp[32];

		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&until, &tm));
		snprintf(why, sizeof(why), "the hello window this agent opened is open until %s",
			 stamp);
		record_skip(r, OP_START_CONFIG, why);
		return true;
	}
	return act(r, &req);
}

static bool do_setup(struct run *r)
{
	const struct profile *p = &r->prof;
	struct op_request req = { 0 };

	if (p->zero_touch != PROFILE_ZERO_TOUCH_LEAVE) {
		req.op = p->zero_touch == PROFILE_ZERO_TOUCH_ENABLE ? OP_ZERO_TOUCH_ENABLE :
								      OP_ZERO_TOUCH_DISABLE;
		if (!act(r, &req))
			return false;
	}
	if (p->pki_dns_suffix) {
		memset(&req, 0, sizeof(req));
		req.op = OP_SET_SUFFIX;
		req.suffix = p->pki_dns_suffix;
		if (window_open(r))
			record_skip(r, OP_SET_SUFFIX, "in provisioning with the hello window open; "
				    "the firmware accepts the suffix only after it elapses");
		else if (!act(r, &req))
			return false;
	}
	if (!do_otp(r))
		return false;
	return do_hello(r);
}

void run_actions(struct run *r)
{
	struct op_request req = { .op = OP_ENABLE_AMT };

	if (r->first->amt_disabled) {
		if (!r->prof.enable_amt || !act(r, &req) || r->dry_run)
			return;
		/* AMT answers now: carry on with what the profile asks, on the new state. */
		free(r->cur);
		r->cur = NULL;
		if (me_read(&r->me, r->first, ME_READ_FULL) < 0 || r->first->amt_disabled)
			return;
		/* From here on the ME is readable: report it as it is, not as it was found. */
		r->me_rc = 0;
		r->me_error[0] = '\0';
	}
	if (r->prof.method == PROFILE_METHOD_REPORT_ONLY || r->first->prov_state == AMT_PROV_STATE_POST)
		return;
	if (r->first->prov_state_item.state != ME_ITEM_OK) {
		run_error(r, "run", "the provisioning state could not be read; nothing changed");
		return;
	}
	do_setup(r);
}

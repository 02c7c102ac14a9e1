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
#include "spool_fs.h"
#include "run_otp.h"

void run_error(struct run *r, const char *what, const char *fmt, ...)
{
	struct run_error *grown;
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	msg_error("%s: %s", what, text);
	grown = realloc(r->errors, (r->error_count + 1) * sizeof(*r->errors));
	if (!grown)
		return;
	r->errors = grown;
	grown[r->error_count].what = what;
	grown[r->error_count].message = strdup(text);
	if (grown[r->error_count].message)
		r->error_count++;
}

void run_errors_free(struct run *r)
{
	for (size_t i = 0; i < r->error_count; i++)
		free(r->errors[i].message);
	free(r->errors);
	r->errors = NULL;
	r->error_count = 0;
}

const char *run_action_outcome(const struct run_action *a)
{
	return a->skipped ? "skipped" : op_kind_name(a->out.kind);
}

const char *run_reason_text(const struct run_action *a, char *buf, size_t cap)
{
	time_t until = (time_t)a->window_until;
	char stamp[32];
	struct tm tm;

	switch (a->reason) {
	case RUN_REASON_OTP_WINDOW_OPEN:
		snprintf(buf, cap, "in provisioning with the hello window open (started by this "
			 "agent); the firmware accepts a new OTP only after the window elapses "
			 "(Intel AMT SDK, CFG_SetProvisioningServerOTP)");
		return buf;
	case RUN_REASON_SUFFIX_WINDOW_OPEN:
		snprintf(buf, cap, "in provisioning with the hello window open; the firmware "
			 "accepts the suffix only after it elapses");
		return buf;
	case RUN_REASON_HELLO_WINDOW_OPEN:
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&until, &tm));
		snprintf(buf, cap, "the hello window this agent opened is open until %s", stamp);
		return buf;
	case RUN_REASON_WINDOW_STILL_OPEN:
		snprintf(buf, cap, "the firmware says the hello window is still open: the hellos "
			 "are running");
		return buf;
	case RUN_REASON_HELLOS_RUNNING:
		snprintf(buf, cap, "the firmware says a hello window is open (opened by the "
			 "firmware, another tool or an earlier run): the hellos are running, and "
			 "it takes this only after the window elapses");
		return buf;
	case RUN_REASON_PREREQ_BLOCKED:
		snprintf(buf, cap, "not sent: a prerequisite blocks provisioning (see the "
			 "prerequisites)");
		return buf;
	default:
		return NULL;
	}
}

/* A new entry in r->actions for op; NULL (never expected: each op runs once) when full. */
static struct run_action *new_action(struct run *r, enum op op)
{
	struct run_action *a;

	if (r->action_count >= OP_COUNT) {
		msg_error("%s: more actions than operations; not recorded", rules_op_name(op));
		return NULL;
	}
	a = &r->actions[r->action_count++];
	memset(a, 0, sizeof(*a));
	a->req.op = op;
	return a;
}

static void record_skip(struct run *r, enum op op, enum run_reason reason)
{
	struct run_action *a = new_action(r, op);
	char why[200];

	if (!a)
		return;
	a->skipped = true;
	a->reason = reason;
	a->window_until = run_state_hello_until(&r->st);
	msg_info("%s: skipped: %s", rules_op_name(op), run_reason_text(a, why, sizeof(why)));
}

/* Keep what op_run said (not the states before and after: r->cur keeps the latest). */
static struct run_action *record(struct run *r, const struct op_request *req,
				 const struct op_outcome *out)
{
	struct run_action *a = new_action(r, req->op);

	if (!a)
		return NULL;
	a->req = *req;
	a->req.state = NULL;
	a->req.otp = NULL; /* the results never point at the secret */
	a->out = *out;
	a->out.before = a->out.after = NULL;
	return a;
}

static bool window_open(const struct run *r);

/*
 * OTP, suffix or START_CONFIGURATION refused with INVALID_AMT_MODE in provisioning: the
 * firmware takes them there only once the window has elapsed (doc/remote-config.md 2.5, 7),
 * so the window someone opened (the firmware itself, another tool, an earlier boot) is
 * open and the hellos are running. A healthy box, not an error.
 */
static enum run_reason window_still_open(const struct run *r, const struct op_request *req,
					 const struct op_outcome *out)
{
	if (out->kind != OP_REFUSED || out->fw_status != AMT_STATUS_INVALID_AMT_MODE ||
	    r->first->prov_state != AMT_PROV_STATE_IN)
		return RUN_REASON_NONE;
	if (req->op == OP_START_CONFIG)
		return RUN_REASON_WINDOW_STILL_OPEN;
	if (req->op == OP_SET_OTP || req->op == OP_SET_SUFFIX)
		return RUN_REASON_HELLOS_RUNNING;
	return RUN_REASON_NONE;
}

/* What the outcome means for the run: acted, refused, failed; logged. */
static void judge(struct run *r, const struct op_request *req, const struct op_outcome *out,
		  struct run_action *a)
{
	const char *name = rules_op_name(req->op);
	enum run_reason open = window_still_open(r, req, out);

	if (open) {
		if (a)
			a->reason = open;
		/* The hellos are running, which is what the profile wants. Not an error. */
		msg_info("%s: the firmware says the hello window is still open", name);
	} else if (out->kind == OP_DONE) {
		r->acted = true;
		msg_info("%s: done%s", name,
			 out->key_pending ? " (the firmware is still generating its key)" : "");
	} else if (out->kind == OP_PREDICTED_REFUSAL || out->kind == OP_REFUSED) {
		r->refused = true;
		run_error(r, name, "%s: %s%s%s",
			  out->kind == OP_REFUSED ? "refused by the firmware" : "not sent",
			  out->rule.rule, out->rule.hint[0] ? " (" : "", out->rule.hint[0] ?
			  out->rule.hint : "");
		if (out->rule.hint[0])
			msg_debug("rule source: %s", out->rule.source);
	} else if (out->kind == OP_FAILED) {
		r->failed = true;
		run_error(r, name, "%s", out->err.msg);
	}
}

/* A hello restart the firmware accepted: remember it for the next runs. */
static void note_hello_started(struct run *r)
{
	r->st.hello_started_at = r->now;
	r->st.hello_starts++;
	/*
	 * Only a box's first window is 24 h (doc/remote-config.md 2.5). One found in provisioning
	 * had a window already (elapsed, or this start would have been refused): the firmware
	 * opens 6 h, whatever this agent counted. One unprovisioned since the last run is back
	 * at its first window (note_unprovisioned forgot the earlier starts).
	 */
	if (r->first->prov_state == AMT_PROV_STATE_IN && r->st.hello_starts < 2)
		r->st.hello_starts = 2;
}

void run_me_complete(struct run *r)
{
	int rc;

	if (r->me_complete)
		return;
	r->me_complete = true;
	if (r->me_rc != 0)
		return;
	rc = me_read_more(&r->me, r->first, ME_READ_FULL, 0);
	if (rc < 0)
		msg_warn("reading the rest of the ME's state failed: %s",
			 me_error_text(&r->me, rc));
}

/* Run one operation; returns false when the run should stop (refusal or failure). */
static bool act(struct run *r, struct op_request *req)
{
	struct op_outcome out;
	int rc;

	run_me_complete(r);
	req->dry_run = r->dry_run;
	/* Each write re-reads the state after it; the next one checks against that. */
	req->state = r->cur ? r->cur : r->first;
	rc = op_run(&r->me, req, &out);
	if (rc < 0) {
		run_error(r, rules_op_name(req->op), "reading the state failed: %s", r->me.err.msg);
		r->failed = true;
		return false;
	}
	judge(r, req, &out, record(r, req, &out));
	if (req->op == OP_START_CONFIG && out.kind == OP_DONE) {
		note_hello_started(r);
		spool_fs_crash_at(1, "hello-started");
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
	bool go_on;

	if (r->prof.otp.policy == PROFILE_OTP_NONE)
		return true;
	if (window_open(r)) {
		record_skip(r, OP_SET_OTP, RUN_REASON_OTP_WINDOW_OPEN);
		return true;
	}
	if (r->prof.otp.policy == PROFILE_OTP_RANDOM)
		rc = otp_generate_from(&r->otp, r->prof.otp.length, r->prof.otp.alphabet);
	else if (r->prof.otp.policy == PROFILE_OTP_FILE)
		rc = secret_read_file(&r->otp, r->prof.otp.file, &loose);
	else
		rc = r->otp.len ? 0 : -ENODATA; /* fetched before anything was sent */
	if (rc < 0) {
		run_error(r, "set-otp", "getting the OTP from %s failed: %s",
			  r->prof.otp.policy == PROFILE_OTP_RANDOM ? "the CSPRNG" :
			  r->prof.otp.policy == PROFILE_OTP_FILE ? r->prof.otp.file :
			  "the interim server", strerror(-rc));
		r->failed = true;
		return r->prof.ignore_intermediate_errors;
	}
	if (otp_invalid(&r->otp)) {
		run_error(r, "set-otp", "the OTP from %s is unusable: %s",
			  r->prof.otp.policy == PROFILE_OTP_SERVER ? "the interim server" :
			  r->prof.otp.file, otp_invalid(&r->otp));
		secret_wipe(&r->otp);
		r->refused = true;
		return r->prof.ignore_intermediate_errors;
	}
	req.otp = &r->otp;
	if (run_otp_begin(r) < 0)
		return r->prof.ignore_intermediate_errors;
	go_on = act(r, &req);
	/* Not recorded: the state could not be read first, so nothing was sent. */
	run_otp_answered(r, r->action_count && r->actions[r->action_count - 1].req.op ==
			 OP_SET_OTP ? r->actions[r->action_count - 1].out.kind : OP_PREDICTED_REFUSAL);
	return go_on;
}

static bool do_hello(struct run *r)
{
	struct op_request req = { .op = OP_START_CONFIG, .wait_s = (int)r->prof.key_wait_s };

	if (r->prof.hello == PROFILE_HELLO_NEVER)
		return true;
	if (r->prof.hello == PROFILE_HELLO_WHEN_NOT_OPEN && window_open(r)) {
		record_skip(r, OP_START_CONFIG, RUN_REASON_HELLO_WINDOW_OPEN);
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
			record_skip(r, OP_SET_SUFFIX, RUN_REASON_SUFFIX_WINDOW_OPEN);
		else if (!act(r, &req))
			return false;
	}
	if (!do_otp(r))
		return false;
	return do_hello(r);
}

/* A prerequisite blocks: say what the profile would have done, and send none of it. */
static void skip_blocked(struct run *r)
{
	const struct profile *p = &r->prof;

	if (p->zero_touch != PROFILE_ZERO_TOUCH_LEAVE)
		record_skip(r, p->zero_touch == PROFILE_ZERO_TOUCH_ENABLE ? OP_ZERO_TOUCH_ENABLE :
			    OP_ZERO_TOUCH_DISABLE, RUN_REASON_PREREQ_BLOCKED);
	if (p->pki_dns_suffix)
		record_skip(r, OP_SET_SUFFIX, RUN_REASON_PREREQ_BLOCKED);
	if (p->otp.policy != PROFILE_OTP_NONE)
		record_skip(r, OP_SET_OTP, RUN_REASON_PREREQ_BLOCKED);
	if (p->hello != PROFILE_HELLO_NEVER)
		record_skip(r, OP_START_CONFIG, RUN_REASON_PREREQ_BLOCKED);
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
		err_clear(&r->me_err);
	}
	if (r->prof.method == PROFILE_METHOD_REPORT_ONLY ||
	    r->first->prov_state == AMT_PROV_STATE_POST) {
		run_prereqs(r, false);
		return;
	}
	if (r->first->prov_state_item.state != ME_ITEM_OK) {
		run_prereqs(r, false);
		run_error(r, "run", "the provisioning state could not be read; nothing changed");
		return;
	}
	run_prereqs(r, true);
	if (!r->blocked && r->prof.otp.policy == PROFILE_OTP_SERVER && !window_open(r))
		run_fetch_otp(r);
	if (r->blocked) {
		skip_blocked(r);
		return;
	}
	do_setup(r);
}

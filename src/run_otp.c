// SPDX-License-Identifier: MIT
/*
 * `run`'s OTP write-ahead (otp_pending.h): the OTP is on disk before the firmware gets it,
 * and an OTP a killed run left behind reaches the server under that run's report id.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amt.h"
#include "amthi.h"
#include "module.h"
#include "msg.h"
#include "os.h"
#include "otp_pending.h"
#include "run_facts.h"
#include "run_otp.h"
#include "run_report.h"
#include "seal.h"
#include "spool.h"
#include "spool_fs.h"

/* The record of r's OTP as the report will carry it: sealed when the profile says so. */
static int record_of(const struct run *r, bool set, struct otp_pending *p)
{
	snprintf(p->report_id, sizeof(p->report_id), "%s", r->id);
	p->set = set;
	p->sealed = r->otp_cms != NULL;
	if (p->sealed)
		return secret_set(&p->value, r->otp_cms, r->otp_cms_len);
	return secret_set(&p->value, r->otp.buf, r->otp.len);
}

static int save(const struct run *r, bool set)
{
	struct otp_pending p;
	int rc;

	secret_init(&p.value);
	rc = record_of(r, set, &p);
	if (rc == 0)
		rc = otp_pending_save(r->prof.state_dir, &p);
	otp_pending_wipe(&p);
	return rc;
}

int run_otp_begin(struct run *r)
{
	const char *step = "sealing it to server.report_cert";
	int rc = 0;

	/* A dry run sends nothing; an OTP the interim server assigned, the server knows. */
	if (r->dry_run || r->prof.otp.policy == PROFILE_OTP_SERVER)
		return 0;
	if (r->prof.server.report_cert) {
		uint64_t t0 = os_time_us();

		rc = seal_to_cert_file(r->prof.server.report_cert, r->otp.buf, r->otp.len,
				       &r->otp_cms, &r->otp_cms_len);
		msg_debug("sealing the OTP: %.1f ms", (double)(os_time_us() - t0) / 1000.0);
	}
	if (rc == 0) {
		step = "keeping it in " OTP_PENDING_FILE;
		rc = save(r, false);
	}
	if (rc < 0) {
		/* Never give the firmware an OTP that nothing on disk remembers. */
		const char *why = crypto_module_error();

		run_error(r, "set-otp", "%s failed: %s; the OTP was not sent", step,
			  why ? why : strerror(-rc));
		r->failed = true;
		return rc;
	}
	r->otp_pending = true;
	spool_fs_crash_at(1, "otp-pending");
	return 0;
}

void run_otp_answered(struct run *r, enum op_kind kind)
{
	int rc;

	if (!r->otp_pending)
		return;
	if (kind == OP_DONE || kind == OP_FAILED) {
		/* Taken, or maybe taken (no answer): the report must carry it either way. */
		r->otp_sent = true;
		spool_fs_crash_at(1, "otp-set");
		rc = kind == OP_DONE ? save(r, true) : 0;
	} else {
		/* Refused, or never sent: the firmware provably does not hold it. */
		rc = otp_pending_remove(r->prof.state_dir);
		r->otp_pending = rc < 0;
	}
	if (rc < 0)
		msg_warn("%s/%s: %s", r->prof.state_dir, OTP_PENDING_FILE, strerror(-rc));
}

void run_otp_saved(struct run *r)
{
	int rc;

	if (!r->otp_pending || !r->otp_sent)
		return;
	spool_fs_crash_at(1, "otp-report-saved");
	rc = otp_pending_remove(r->prof.state_dir);
	if (rc < 0)
		msg_warn("%s/%s: %s (the next run reports this OTP again under report id %s)",
			 r->prof.state_dir, OTP_PENDING_FILE, strerror(-rc), r->id);
	r->otp_pending = false;
}

struct find {
	const char *id;
	bool found;
};

static int is_id(const char *name, const char *report_id, void *arg)
{
	struct find *f = arg;

	(void)name;
	f->found = strcmp(report_id, f->id) == 0;
	return f->found;
}

/* The interrupted run's report, if it reached the spool, carries the OTP already. */
static bool in_spool(struct spool *sp, const char *id)
{
	struct find f = { id, false };

	spool_foreach(sp, 0, is_id, &f);
	if (!f.found)
		spool_foreach(sp, 1, is_id, &f);
	return f.found;
}

/* A report under the interrupted run's id: the box as read now, and the OTP it left. */
static char *recovery_body(const struct run *r, const struct otp_pending *p, size_t *len,
			   int *secret)
{
	struct run_action a = { 0 };
	struct run_error e = { "set-otp", NULL };
	struct run_report_in in = { 0 };
	struct run_facts facts;
	char why[400];

	a.req.op = OP_SET_OTP;
	a.out.kind = p->set ? OP_DONE : OP_FAILED;
	a.out.command = amthi_cmd_name(AMTHI_SET_PROVISIONING_SERVER_OTP);
	if (!p->set)
		err_set(&a.out.err, -EINTR, "the run was stopped before the firmware answered");
	snprintf(why, sizeof(why), "recovered by run %s: run %s was stopped after %s and before "
		 "its report was saved; this report carries that OTP", r->id, p->report_id,
		 p->set ? "the firmware took this OTP" : "sending this OTP to the firmware "
		 "(it may hold it)");
	e.message = why;
	in.report_id = p->report_id;
	in.profile = r->prof.name;
	in.system_name = r->system_name;
	in.info = r->me_rc == 0 || r->me_rc == -ENODATA ? r->first : NULL;
	in.actions = &a;
	in.action_count = 1;
	in.errors = &e;
	in.error_count = 1;
	in.me_error = r->me_err.msg[0] ? r->me_err.msg : NULL;
	run_facts_collect(&facts, r->me_rc, in.info);
	in.facts = &facts;
	in.identity = run_facts_identity(&facts, in.info);
	return run_report_body(&in, p->sealed ? NULL : &p->value, p->sealed ? p->value.buf : NULL,
			       len, secret);
}

static int queue_recovered(struct run *r, const struct otp_pending *p)
{
	struct spool sp;
	char *body = NULL;
	size_t len = 0;
	int secret = 0, rc;

	rc = spool_open(&sp, r->prof.spool_dir, NULL);
	if (rc < 0)
		return rc;
	if (!in_spool(&sp, p->report_id)) {
		body = recovery_body(r, p, &len, &secret);
		rc = body ? spool_put(&sp, p->report_id, body, len) : -ENOMEM;
		if (rc == -EEXIST)
			rc = 0;
	}
	spool_close(&sp);
	if (body && secret)
		secret_cleanse(body, len);
	free(body);
	return rc;
}

/*
 * The interrupted run had the firmware take this OTP, and the box, not in provisioning when
 * that run began, is in provisioning now: that run got as far as the hello restart (or the
 * firmware started the hellos itself), so the firmware holds this OTP and sends hellos. The
 * memory that run would have saved is taken as it would have been: its report (the one
 * just queued, describing the box as it is now) and its hello restart, made about when the
 * record was last written (just after the firmware took the OTP). This run then has nothing
 * new to say: it delivers that report instead of sending an OTP the firmware refuses while
 * the window is open and reporting the box a second time.
 */
static void adopt(struct run *r, const struct otp_pending *p)
{
	const struct me_info *in = r->first;

	if (!p->set || r->me_rc != 0 || in->prov_state_item.state != ME_ITEM_OK ||
	    in->prov_state != AMT_PROV_STATE_IN ||
	    strcmp(r->st.last_prov_state, amt_prov_state_name(AMT_PROV_STATE_IN)) == 0)
		return;
	r->st.present = true;
	run_facts_collect(&r->st.reported, r->me_rc, in);
	snprintf(r->st.reported_id, sizeof(r->st.reported_id), "%s", p->report_id);
	run_report_fingerprint(in, r->st.reported_fingerprint);
	r->st.hello_started_at = p->saved_at > 0 && p->saved_at <= r->now ? p->saved_at : r->now;
	r->st.hello_starts++;
	msg_info("the firmware holds the OTP of run %s and is in provisioning: its hello "
		 "restart is taken as done", p->report_id);
}

void run_otp_recover(struct run *r)
{
	const char *dir = r->prof.state_dir;
	struct otp_pending p;
	int rc;

	rc = otp_pending_load(dir, &p);
	if (rc == -ENOENT)
		return;
	if (rc == -EBADMSG || rc == -EINVAL) {
		rc = otp_pending_set_aside(dir);
		run_error(r, "set-otp", "%s/%s is not an OTP record%s%s", dir, OTP_PENDING_FILE,
			  rc < 0 ? "; setting it aside failed: " : " (kept as " OTP_PENDING_FILE
			  ".bad for a person to look at)", rc < 0 ? strerror(-rc) : "");
		return;
	}
	if (rc < 0) {
		run_error(r, "set-otp", "reading %s/%s: %s", dir, OTP_PENDING_FILE, strerror(-rc));
		return;
	}
	if (r->dry_run) {
		msg_warn("the OTP of interrupted run %s waits to be reported (a real run "
			 "reports it)", p.report_id);
	} else if ((rc = queue_recovered(r, &p)) < 0) {
		run_error(r, "set-otp", "reporting the OTP of interrupted run %s: spool %s: %s "
			  "(kept in %s/%s for the next run)", p.report_id, r->prof.spool_dir,
			  strerror(-rc), dir, OTP_PENDING_FILE);
	} else {
		msg_warn("run %s was stopped before its report was saved: its OTP is reported "
			 "now under report id %s", p.report_id, p.report_id);
		adopt(r, &p);
		rc = otp_pending_remove(dir);
		if (rc < 0)
			msg_warn("%s/%s: %s", dir, OTP_PENDING_FILE, strerror(-rc));
	}
	otp_pending_wipe(&p);
}

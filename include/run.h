/* SPDX-License-Identifier: MIT */
/*
 * `amtact run`: the boot-time job. Shared between its parts (cmd_run.c, run_actions.c,
 * run_deliver.c, the renderers). What it did is data (struct run_action, struct
 * run_error), turned into JSON or text only by the renderers.
 */
#ifndef AMTACT_RUN_H
#define AMTACT_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "me.h"
#include "medev.h"
#include "op.h"
#include "profile.h"
#include "run_facts.h"
#include "run_state.h"
#include "secret.h"

/* A note on an action: why it was left out, or what a refusal means for the run. */
enum run_reason {
	RUN_REASON_NONE = 0,
	RUN_REASON_OTP_WINDOW_OPEN,    /* OTP skipped: the hello window this agent opened */
	RUN_REASON_SUFFIX_WINDOW_OPEN, /* suffix skipped: a hello window is open */
	RUN_REASON_HELLO_WINDOW_OPEN,  /* restart skipped: open until window_until */
	RUN_REASON_WINDOW_STILL_OPEN,  /* START_CONFIGURATION refused: the hellos are running */
	RUN_REASON_HELLOS_RUNNING,     /* OTP or suffix refused in provisioning: the same */
	RUN_REASON_PREREQ_BLOCKED,     /* not sent: a prerequisite blocks provisioning */
};

/* One operation run decided on: sent or not, refused, or left out. */
struct run_action {
	bool skipped;              /* left out (outcome "skipped"): only op and reason count */
	enum run_reason reason;
	int64_t window_until;      /* RUN_REASON_HELLO_WINDOW_OPEN: UNIX seconds */
	struct op_request req;     /* as given to op_run (op is set when skipped too); suffix
				      points into the profile; otp and state are NULL */
	struct op_outcome out;     /* as op_run left it, without the before/after states */
};

/* Something that went wrong, for the report's "errors": what failed and why. */
struct run_error {
	const char *what;          /* the operation or step ("set-otp", "state"...); static */
	char *message;             /* owned */
};

struct diag_ctx; /* names and prerequisite checks (prereq.h) */

struct run {
	struct profile prof;
	struct run_state st;
	char id[37];               /* run id = report id = log correlation id */
	char system_name[256];
	bool dry_run;
	struct me me;
	int me_rc;                 /* result of opening/reading the ME (0 ok, -errno) */
	bool found_disabled;       /* AMT was disabled when the run started */
	/* There was no ME device to open (not the emulator's file): why, as far as the
	 * system can tell. Reported once, like a box without AMT; later boots are quiet. */
	bool no_device;
	struct medev_probe medev;
	/* Why the ME could not be used when the run started (what the report's "me_error"
	 * says): kept apart from me.err, which the writes after it reuse. */
	struct amt_err me_err;
	struct me_info *info;      /* the state the report describes (after actions) */
	struct me_info *first;     /* the state found at start (the facts only, until
				      run_me_complete) */
	bool me_complete;          /* first holds everything, not only the facts */
	struct me_info *cur;       /* the latest state read (first, or after the last write) */
	struct secret otp;         /* set when an OTP was given to the firmware */
	char *otp_cms;             /* the OTP sealed to server.report_cert (owned), or NULL */
	size_t otp_cms_len;
	bool otp_sent;             /* the firmware took the OTP, or may have: it is reported */
	bool otp_pending;          /* its write-ahead record is on disk (run_otp.h) */
	bool acted;                /* any write was sent */
	bool refused;              /* a write was refused (predicted or by the firmware) */
	bool failed;               /* a write failed in transport */
	bool unprovisioned_since;  /* provisioned at the last run, not now */
	struct run_facts facts;    /* what decides "something new", as reported now */
	size_t change_count;       /* facts that differ from the last report's */
	struct run_fact_change changes[RUN_FACT_COUNT]; /* pointing into st.reported, facts */
	int64_t now;
	/* The names side by side and the prerequisite checks (prereq.h), NULL when the ME
	 * could not be read; checked when the run meant to act on it, blocked when a check
	 * failed (then nothing was sent). */
	struct diag_ctx *pre;
	bool checked;
	bool blocked;
	size_t action_count;
	struct run_action actions[OP_COUNT]; /* each operation at most once, in order */
	size_t error_count;
	struct run_error *errors;  /* error_count entries, owned */
};

/* Add an entry to r->errors (and log it as an error). Out of memory: only logged. */
void run_error(struct run *r, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Free what r->errors owns (the rest of struct run is the caller's). */
void run_errors_free(struct run *r);

/* "done", "no_change", ... (op_kind_name) or "skipped". */
const char *run_action_outcome(const struct run_action *a);

/*
 * The words of a->reason, written into buf (the same words for the report, --json, the
 * text and the logs). Returns buf, or NULL when the action has no reason.
 */
const char *run_reason_text(const struct run_action *a, char *buf, size_t cap);

/*
 * Decide and carry out the profile's actions for the state in r->first: enable AMT,
 * zero touch, PKI DNS suffix, OTP, hello restart, in that order, stopping after the first
 * refusal unless the profile says ignore_intermediate_errors. Records each in r->actions.
 */
void run_actions(struct run *r);

/*
 * The names and, when the run is about to configure the box (checked), the prerequisites
 * for r->first and the profile, into r->pre; sets r->blocked (run_prereq.c).
 */
void run_prereqs(struct run *r, bool acting);

/*
 * otp.policy "server": fetch this box's OTP into r->otp before anything is sent; when it
 * cannot be had, a blocking check says why (r->blocked). A dry run asks nothing of the
 * server: a random stand-in shows the request (run_fetch.c).
 */
void run_fetch_otp(struct run *r);

/* The first blocking check's id and message, or NULL when nothing blocks. */
const char *run_blocker(const struct run *r, const char **message);

/*
 * The run starts by reading only the facts that decide "something new" (a quiet boot
 * asks no more); what it acts on and what it reports needs the rest of the state, read
 * here, once, into r->first. Does nothing when that is done or the ME is unreadable.
 */
void run_me_complete(struct run *r);

#endif

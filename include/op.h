/* SPDX-License-Identifier: MIT */
/* Write operations: read the state, check the rules, send (or not), re-read, say what changed. */
#ifndef AMTACT_OP_H
#define AMTACT_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "me.h"
#include "rules.h"
#include "secret.h"

struct op_request {
	enum op op;
	const char *suffix;         /* OP_SET_SUFFIX */
	const struct secret *otp;   /* OP_SET_OTP; only read, never copied out */
	bool show_otp;              /* OP_SET_OTP: the result shows the OTP once it is set */
	const char *otp_file;       /* OP_SET_OTP: the file the OTP was recorded in, shown */
	bool dry_run;               /* read and check, print what would be sent, send nothing */
	bool force;                 /* send even when the rules predict a refusal */
	int wait_s;                 /* OP_START_CONFIG: wait up to this long for the key */
	/* The state just read (at least ME_READ_STATE), to check against instead of asking
	 * the firmware again; copied. NULL: op_run reads it. */
	const struct me_info *state;
};

enum op_kind {
	OP_DONE = 0,          /* sent and accepted */
	OP_NO_CHANGE,         /* already in the asked-for state: nothing sent */
	OP_PREDICTED_REFUSAL, /* the rules say the firmware would refuse: nothing sent */
	OP_REFUSED,           /* sent; the firmware answered a non-zero status */
	OP_DRY_RUN,           /* --dry-run: nothing sent */
	OP_FAILED,            /* transport failure or malformed reply */
};

#define OP_MAX_CHANGES 8

struct op_change {
	const char *item;     /* JSON key, e.g. "provisioning.state" */
	char before[80];
	char after[80];
};

struct op_outcome {
	enum op_kind kind;
	struct rule_result rule;
	uint32_t fw_status;        /* what the firmware answered (OP_DONE / OP_REFUSED) */
	bool key_pending;          /* START_CONFIGURATION answered CERTIFICATE_NOT_READY */
	bool key_ready;            /* ... and the key was ready before wait_s ran out */
	const char *command;       /* the HECI command sent or that would be sent */
	size_t change_count;
	struct op_change changes[OP_MAX_CHANGES];
	struct amt_err err;        /* OP_FAILED: the errno and what failed where, as the
				      session recorded it (the session's context is reused) */
	char would_send[320];      /* OP_DRY_RUN: the request in words, from its codec */
	struct me_info *before;    /* owned; freed by op_outcome_free */
	struct me_info *after;
};

/*
 * Run one write operation on an open session. Returns 0 when *out describes what happened
 * (any kind), or a negative errno when the state could not even be read beforehand (no
 * device, no AMT, AMT disabled for an operation that needs AMTHI...): me->err says why.
 */
int op_run(struct me *me, const struct op_request *req, struct op_outcome *out);
void op_outcome_free(struct op_outcome *out);

/* The exit code of an outcome (exitcodes.h). */
int op_exit_code(const struct op_outcome *out);

/* Stable outcome names: "done", "no_change", "predicted_refusal", "refused", "dry_run",
 * "failed"; "unknown" out of range. */
const char *op_kind_name(enum op_kind kind);

/* What a successful operation is expected to change, in words, for --dry-run. */
const char *op_expected_change(enum op op);

#endif

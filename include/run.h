/* SPDX-License-Identifier: MIT */
/* `amtact run`: the boot-time job. Shared between its parts (cmd_run.c, run_actions.c). */
#ifndef AMTACT_RUN_H
#define AMTACT_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "me.h"
#include "profile.h"
#include "run_state.h"
#include "secret.h"

struct run {
	struct profile prof;
	struct run_state st;
	char id[37];               /* run id = report id = log correlation id */
	char system_name[256];
	bool dry_run;
	struct me me;
	int me_rc;                 /* result of opening/reading the ME (0 ok, -errno) */
	bool found_disabled;       /* AMT was disabled when the run started */
	char me_error[256];
	struct me_info *info;      /* the state the report describes (after actions) */
	struct me_info *first;     /* the state found at start */
	struct me_info *cur;       /* the latest state read (first, or after the last write) */
	struct secret otp;         /* set when an OTP was given to the firmware */
	bool otp_sent;
	bool acted;                /* any write was sent */
	bool refused;              /* a write was refused (predicted or by the firmware) */
	bool failed;               /* a write failed in transport */
	bool unprovisioned_since;  /* provisioned at the last run, not now */
	int64_t now;
	cJSON *actions;            /* [{operation, outcome, ...}] */
	cJSON *errors;             /* [{what, message}] */
};

/* Add an entry to run->errors (and log it as an error). */
void run_error(struct run *r, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Decide and carry out the profile's actions for the state in r->first: enable AMT,
 * zero touch, PKI DNS suffix, OTP, hello restart, in that order, stopping after the first
 * refusal unless the profile says ignore_intermediate_errors. Records each in r->actions.
 */
void run_actions(struct run *r);

#endif

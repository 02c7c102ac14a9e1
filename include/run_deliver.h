/* SPDX-License-Identifier: MIT */
/* The end of `amtact run`: deliver (or keep) the report, and tell people what happened. */
#ifndef AMTACT_RUN_DELIVER_H
#define AMTACT_RUN_DELIVER_H

#include <stdbool.h>

#include "report.h"
#include "run.h"

enum run_delivery_outcome {
	RUN_QUIET = 0,       /* nothing new since the last report: nothing sent */
	RUN_DELIVERED,       /* the interim server has it */
	RUN_QUEUED,          /* waiting in the spool for the next run */
	RUN_DEAD,            /* the server refused it: kept in the dead-letter area */
	RUN_NOT_SAVED,       /* neither delivered nor saved (spool full, server down) */
	RUN_WRITTEN,         /* written to the profile's report_file (no server) */
	RUN_DRY_RUN,         /* --dry-run: built, not sent */
};

struct run_delivery {
	enum run_delivery_outcome outcome;
	bool saved;              /* delivered, queued, dead-lettered or written */
	unsigned waiting;        /* reports left in the spool for the server afterwards */
	char fingerprint[17];
	char message[600];
};

/* "quiet", "delivered", "queued", "dead_letter", "not_saved", "written", "dry_run". */
const char *run_delivery_outcome_name(enum run_delivery_outcome o);

/*
 * The transport settings of a profile's server (`pins`, of `pins_cap` bytes, holds the pin
 * list `s` points to). No first delay: the caller picks one if it wants one.
 */
void run_deliver_server(const struct profile_server *p, struct report_server *s, char *pins,
			size_t pins_cap);

/* What the people and scripts can do next (the Next: line, "next" in --json). */
enum run_next {
	RUN_NEXT_NONE = 0,             /* a dry run: nothing */
	RUN_NEXT_NO_ME,                /* no usable ME: nothing amtact can do */
	RUN_NEXT_ENABLE_AMT,           /* AMT is disabled */
	RUN_NEXT_FIX_REFUSED,          /* something was refused or failed */
	RUN_NEXT_PROVISIONED,          /* nothing: the box is provisioned */
	RUN_NEXT_BLOCKED,              /* a prerequisite blocks provisioning */
	RUN_NEXT_READY,                /* hellos running, the server has the report (and OTP) */
	RUN_NEXT_OTP_NOT_SET,          /* hellos running, but the profile's OTP could not be set */
	RUN_NEXT_REPORT_WAITING,       /* hellos running, the report waits in the spool */
	RUN_NEXT_REPORT_NOT_DELIVERED, /* hellos running, the report did not reach the server */
	RUN_NEXT_REPORT_FILE,          /* hellos running, the report was written to a file */
	RUN_NEXT_WAIT,                 /* nothing until the next run */
};

/* Decided from the run, its delivery and its exit code (run_prereq.c). */
enum run_next run_next(const struct run *r, const struct run_delivery *d, int code);
/* "ready", "blocked", ... (stable, for --json). */
const char *run_next_name(enum run_next n);
/* The words of the Next: line (continuation lines start with 6 spaces). */
void run_next_text(const struct run *r, enum run_next n, char *buf, size_t cap);

/* Build and deliver the report; returns the exit code the delivery alone calls for. */
int run_deliver(struct run *r, struct run_delivery *d);

/*
 * What was found, done and what comes next: text on stdout (run_print.c), or with json
 * one JSON document (run_print_json, run_json.c).
 */
void run_print(const struct run *r, const struct run_delivery *d, int code, int json);
void run_print_json(const struct run *r, const struct run_delivery *d, int code);

#endif

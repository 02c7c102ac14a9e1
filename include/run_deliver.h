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

/* Build and deliver the report; returns the exit code the delivery alone calls for. */
int run_deliver(struct run *r, struct run_delivery *d);

/*
 * What was found, done and what comes next: text on stdout (run_print.c), or with json
 * one JSON document (run_print_json, run_json.c).
 */
void run_print(const struct run *r, const struct run_delivery *d, int code, int json);
void run_print_json(const struct run *r, const struct run_delivery *d, int code);

#endif

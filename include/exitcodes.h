/* SPDX-License-Identifier: MIT */
/* The exit-code table: small, stable, < 256, the same in man/amtact.8, README and tests. */
#ifndef AMTACT_EXITCODES_H
#define AMTACT_EXITCODES_H

#include <stdbool.h>

/*
 * Never renumber or reuse a code; add new ones at the end. tests/unit/test_exitcodes.c
 * checks this table against man/amtact.8 and README.md.
 */
enum amtact_exit {
	EXIT_OK = 0,              /* done; `status`: AMT is provisioned */
	EXIT_FAILURE_INTERNAL = 1, /* unexpected local failure (out of memory, I/O on stdout) */
	EXIT_USAGE = 2,           /* bad command line */
	EXIT_NO_DEVICE = 3,       /* no MEI/HECI device or driver */
	EXIT_PERMISSION = 4,      /* the device or a file exists but access is denied */
	EXIT_BUSY = 5,            /* the ME client (or another amtact run) is busy */
	EXIT_FIRMWARE = 6,        /* firmware did not answer, answered malformed, or kept resetting */
	EXIT_NO_AMT = 7,          /* this ME has no AMT, or AMT is disabled */
	EXIT_BAD_INPUT = 8,       /* a file we were given is unusable (state file, profile, OTP file) */
	EXIT_REFUSED = 9,         /* the firmware refused, or would refuse, the operation */
	EXIT_NOT_PROVISIONED = 10, /* `status`: AMT present, not provisioned (pre-provisioning) */
	EXIT_IN_PROVISIONING = 11, /* `status`: AMT in provisioning */
	EXIT_QUEUED = 12,         /* done, but the report waits in the spool for the next run */
	EXIT_NOTHING_TO_DO = 13,  /* `run`: nothing needed doing (already reported, quiet) */
	EXIT_REPORT_REJECTED = 14, /* the interim server refused the report (kept as dead letter) */
	EXIT_NOT_DELIVERED = 15,  /* "delivery": "must": the report did not reach the server */
	EXIT_DELIVERY_CONFIG = 16, /* the server cannot be used as configured (certificate, pin,
				      host name, 401/403, redirect): the report waits; fix it */
	EXIT_BLOCKED = 17,        /* `run`: a prerequisite blocks provisioning; nothing was sent */
};

/* The stable name of a code ("no-device"), or NULL. */
const char *amtact_exit_name(int code);
/*
 * Whether a code says something failed: every one but 0 and the results 10, 11 (status),
 * 12 (queued) and 13 (nothing to do). With --json such an exit always comes with an
 * "error" object on stdout.
 */
bool amtact_exit_is_error(int code);
/* One line of meaning for a code, or NULL. */
const char *amtact_exit_meaning(int code);

#endif

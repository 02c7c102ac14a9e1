/* SPDX-License-Identifier: MIT */
/* Write operations: read the state, check the rules, send (or not), re-read, say what changed. */
#ifndef AMTACT_OP_H
#define AMTACT_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "me.h"
#include "rules.h"
#include "secret.h"

#include <cjson/cJSON.h>
#include <getopt.h>

struct op_request {
	enum op op;
	const char *suffix;         /* OP_SET_SUFFIX */
	const struct secret *otp;   /* OP_SET_OTP; only read, never copied out */
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
	int err;                   /* negative errno (OP_FAILED) */
	bool key_pending;          /* START_CONFIGURATION answered CERTIFICATE_NOT_READY */
	bool key_ready;            /* ... and the key was ready before wait_s ran out */
	const char *command;       /* the HECI command sent or that would be sent */
	size_t change_count;
	struct op_change changes[OP_MAX_CHANGES];
	char detail[256];          /* transport error detail, for messages */
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

/* The outcome as a JSON document (never the OTP). Caller frees. */
cJSON *op_json(const struct op_request *req, const struct op_outcome *out);

/* Print the outcome for people on stdout (never the OTP); refusals and failures also get
 * one message on stderr. */
void op_print_text(const struct op_request *req, const struct op_outcome *out);

/* What a command adds to the shared front end. Every member may be NULL/0. */
struct op_cli {
	const struct option *options; /* extra long options (terminated), vals >= 256 */
	/* One of the extra options; returns 0, or an exit code to stop with. */
	int (*on_option)(void *ctx, int val, const char *arg);
	/* Positional arguments; returns 0 or an exit code. */
	int (*on_args)(void *ctx, int argc, char **argv, struct op_request *req);
	/* After parsing, before the ME is opened (e.g. read the OTP); 0 or an exit code. */
	int (*prepare)(void *ctx, struct op_request *req);
	/* Add members to the JSON result (e.g. the OTP when explicitly asked for). */
	void (*decorate)(void *ctx, cJSON *doc, const struct op_outcome *out);
	/* Print more text after the result. */
	void (*print_text)(void *ctx, const struct op_outcome *out);
	/* Called on every path at the end (wipe secrets). */
	void (*cleanup)(void *ctx);
	void *ctx;
};

/*
 * The shared front end of every write command: parses --dry-run, --force, --json, --help,
 * --wait=SECONDS (start-config) and the command's own options, opens the ME, runs,
 * prints, returns the exit code.
 */
struct cmd_ctx;
int op_command(const struct cmd_ctx *ctx, int argc, char **argv, struct op_request *req,
	       const char *usage, const struct op_cli *cli);

#endif

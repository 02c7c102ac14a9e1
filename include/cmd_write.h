/* SPDX-License-Identifier: MIT */
/* What the write commands share: their options, and open-run-print of one operation. */
#ifndef AMTACT_CMD_WRITE_H
#define AMTACT_CMD_WRITE_H

#include <getopt.h>

#include "cmds.h"
#include "op.h"

enum {
	CMD_WRITE_OPT_DRY_RUN = 1,
	CMD_WRITE_OPT_FORCE,
	CMD_WRITE_OPT_JSON,
	CMD_WRITE_OPT_HELP,
	CMD_WRITE_OPT_LAST = CMD_WRITE_OPT_HELP, /* a command's own options start above */
};

/* The long options every write command takes, for a command's own option table. */
#define CMD_WRITE_OPTIONS \
	{ "dry-run", no_argument, NULL, CMD_WRITE_OPT_DRY_RUN }, \
	{ "force", no_argument, NULL, CMD_WRITE_OPT_FORCE }, \
	{ "json", no_argument, NULL, CMD_WRITE_OPT_JSON }, \
	{ "help", no_argument, NULL, CMD_WRITE_OPT_HELP }

/*
 * One getopt_long() result that is none of the command's own options: a shared option sets
 * req->dry_run, req->force or *json and gives 0; --help prints the usage on stdout and gives
 * -1; anything else prints the usage on stderr and gives EXIT_USAGE.
 */
int cmd_write_option(int c, struct op_request *req, int *json, const char *usage);

/*
 * Parse a command line of only the shared options (*json starts from ctx->json). With
 * takes_args the arguments are left at argv[optind..] for the command, else one is a usage
 * error. 0 to go on, -1 after --help, else the exit code.
 */
int cmd_write_parse(const struct cmd_ctx *ctx, int argc, char **argv, const char *usage,
		    bool takes_args, struct op_request *req, int *json);

/* For commands without arguments: EXIT_USAGE (said on stderr) if argv[optind..] has one. */
int cmd_write_no_args(int argc, char **argv, const char *usage);

/*
 * Open the ME on ctx->device, run the operation and print its outcome (JSON with json, else
 * text; refusals and failures also on stderr); closes everything. Returns the exit code.
 */
int cmd_write(const struct cmd_ctx *ctx, const struct op_request *req, int json);

#endif

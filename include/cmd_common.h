/* SPDX-License-Identifier: MIT */
/* What the commands share: opening the ME, errno -> exit code, option parsing. */
#ifndef AMTACT_CMD_COMMON_H
#define AMTACT_CMD_COMMON_H

#include <stdbool.h>

#include "cmds.h"
#include "me.h"
#include "medev.h"

/* The exit code for a negative errno from opening or talking to the ME. */
int cmd_exit_for(const char *device, int rc);

/*
 * Open the session on ctx->device. On failure prints the message (and, with json, an
 * error document on stdout), closes *me and returns the exit code; 0 on success.
 */
int cmd_open_me(const struct cmd_ctx *ctx, struct me *me, int json);

/*
 * Whether rc, from opening the ME, says there is no ME device at all (not the emulator's
 * file missing): then p says why, as far as the system can tell (AMTACT_SYSROOT: a faked
 * system root, for tests).
 */
bool cmd_no_device(const struct cmd_ctx *ctx, int rc, struct medev_probe *p);

/* Say why talking to the ME failed (stderr) and return the exit code. */
int cmd_me_failed(const struct cmd_ctx *ctx, struct me *me, int rc, const char *what);

/*
 * Shared per-command option parsing for commands whose only options are --json/--help;
 * *json starts from ctx->json. Returns 0 to go on, -1 after --help, else the exit code.
 */
int cmd_parse_simple(const struct cmd_ctx *ctx, int argc, char **argv, const char *usage,
		     int *json);
/* The same with exactly `positional` arguments, left at argv[optind..]. */
int cmd_parse_simple_args(const struct cmd_ctx *ctx, int argc, char **argv, const char *usage,
			  int *json, int positional);

#endif

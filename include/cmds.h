/* SPDX-License-Identifier: MIT */
/* The subcommands and the options every command shares. */
#ifndef AMTACT_CMDS_H
#define AMTACT_CMDS_H

#include <stdbool.h>

/* The global options, parsed by main before the command name; read-only for commands. */
struct cmd_ctx {
	const char *device;  /* --device / AMTACT_DEVICE; NULL: platform default */
	int timeout_ms;      /* --timeout; per firmware exchange; 0: the transport's default */
	bool json;           /* --json given before the command name */
	int verbose;         /* -v count (main has set the log level from it) */
};

/*
 * Each command gets the context, argv[0] = its name (getopt re-initialised) and returns an
 * exit code (exitcodes.h). It writes no global state besides stdout/stderr.
 */
int cmd_info(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_status(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_report(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_run(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_profile_check(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_set_otp(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_set_suffix(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_start_config(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_stop_config(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_zero_touch(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_enable_amt(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_unprovision(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_diagnose(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_usbkey(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_install_task(const struct cmd_ctx *ctx, int argc, char **argv);
int cmd_uninstall_task(const struct cmd_ctx *ctx, int argc, char **argv);

#endif

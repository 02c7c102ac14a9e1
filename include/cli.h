/* SPDX-License-Identifier: MIT */
/* The command line around a command: global options after its name, --help. */
#ifndef AMTACT_CLI_H
#define AMTACT_CLI_H

#include <stdbool.h>

#include "cmds.h"

/* --timeout's value: 1..600000 ms into *out; 0, or -EINVAL when it is not that. */
int cli_parse_timeout(const char *s, int *out);

/*
 * Take the global options given after the command name out of argv[1..*argc) (argv[0] is
 * the command) into ctx: --device DEV, --device=DEV, --timeout MS (unless own_timeout: the
 * command has a --timeout of its own), --json, -j, --verbose, -v, -vv. Stops at "--".
 * Returns 0, or EXIT_USAGE after saying what is wrong (a missing or bad value).
 */
int cli_take_globals(int *argc, char **argv, struct cmd_ctx *ctx, bool own_timeout);

/* Whether argv[1..argc) asks for help (--help or -h before any "--"). */
bool cli_wants_help(int argc, char **argv);

#endif

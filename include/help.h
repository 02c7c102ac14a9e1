/* SPDX-License-Identifier: MIT */
/* Per-command help: one table of usage, options with defaults and examples. */
#ifndef AMTACT_HELP_H
#define AMTACT_HELP_H

#include <stddef.h>
#include <stdio.h>

/*
 * One command's help. `options` is one option per line, "--name ARG  what it does
 * (default ...)"; tests/integration/cli_help.sh checks each against the command's option
 * table and man/amtact.8, so the three cannot drift apart.
 */
struct help_entry {
	const char *name;
	const char *usage;    /* the synopsis, one or more lines, without "usage: " */
	const char *what;     /* one paragraph: what the command does */
	const char *options;  /* NULL: none besides the global ones */
	const char *examples; /* one example per line */
};

/* The entry for a command name, or NULL. */
const struct help_entry *help_find(const char *name);

/* Print the whole help of one command (usage, what, options, global options, examples). */
void help_print(FILE *f, const struct help_entry *h);

#endif

// SPDX-License-Identifier: MIT
/* Global options after the command name, so `amtact run --device sim` works like before it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcodes.h"
#include "msg.h"

int cli_parse_timeout(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 600000)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* "--name VALUE" or "--name=VALUE" at argv[*i]: the value (and *i past it), else NULL. */
static const char *value_of(const char *name, int argc, char **argv, int *i, bool *matched)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	*matched = false;
	if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
		return NULL;
	*matched = true;
	if (a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

/* Whether a flag-only global option was taken from `a` into ctx. */
static bool take_flag(const char *a, struct cmd_ctx *ctx)
{
	if (strcmp(a, "--json") == 0 || strcmp(a, "-j") == 0) {
		ctx->json = true;
		return true;
	}
	if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
		ctx->verbose++;
		return true;
	}
	if (strcmp(a, "-vv") == 0) {
		ctx->verbose += 2;
		return true;
	}
	return false;
}

/* A global option with a value at argv[*i]: 1 taken, 0 not one, -1 bad (said). */
static int take_valued(int argc, char **argv, int *i, struct cmd_ctx *ctx, bool own_timeout)
{
	bool matched;
	const char *v = value_of("--device", argc, argv, i, &matched);

	if (matched) {
		if (!v) {
			msg_error("--device needs a value: /dev/meiN, sim or sim:FILE");
			return -1;
		}
		ctx->device = v[0] ? v : NULL;
		return 1;
	}
	if (own_timeout)
		return 0;
	v = value_of("--timeout", argc, argv, i, &matched);
	if (!matched)
		return 0;
	if (!v || cli_parse_timeout(v, &ctx->timeout_ms)) {
		msg_error("--timeout: \"%s\" is not a number of milliseconds (1..600000)",
			  v ? v : "");
		return -1;
	}
	return 1;
}

int cli_take_globals(int *argc, char **argv, struct cmd_ctx *ctx, bool own_timeout)
{
	int out = 1, i;

	for (i = 1; i < *argc; i++) {
		int r;

		if (strcmp(argv[i], "--") == 0)
			break;
		if (take_flag(argv[i], ctx))
			continue;
		r = take_valued(*argc, argv, &i, ctx, own_timeout);
		if (r < 0)
			return EXIT_USAGE;
		if (r == 0)
			argv[out++] = argv[i];
	}
	while (i < *argc)
		argv[out++] = argv[i++];
	argv[out] = NULL;
	*argc = out;
	return 0;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

// SPDX-License-Identifier: MIT
/* amtact's entry point: global options, then exact-name dispatch through the command table. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "exitcodes.h"
#include "heci.h"
#include "help.h"
#include "json_out.h"
#include "msg.h"
#include "os.h"
#include "secret.h"

/*
 * What main checks for a command before calling it. Whether a command needs root or the
 * network is not a flag: the device and the server refuse with their own clear errors.
 */
enum cmd_flags {
	CMD_JSON = 1 << 0, /* has a JSON output: a global --json is refused for the others */
	CMD_OWN_TIMEOUT = 1 << 1, /* its --timeout is its own: the global one goes before it */
};

struct command {
	const char *name;
	int (*fn)(const struct cmd_ctx *ctx, int argc, char **argv);
	unsigned flags;
	const char *summary;
};

static int cmd_help(const struct cmd_ctx *ctx, int argc, char **argv);
static int cmd_version(const struct cmd_ctx *ctx, int argc, char **argv);

static const struct command commands[] = {
	{ "info", cmd_info, CMD_JSON, "show everything the ME tells about AMT" },
	{ "status", cmd_status, CMD_JSON, "provisioning state as an exit code" },
	{ "run", cmd_run, CMD_JSON, "the boot-time job: act as the profile says and report" },
	{ "profile-check", cmd_profile_check, CMD_JSON,
	  "validate a profile and show it as run will use it" },
	{ "set-otp", cmd_set_otp, CMD_JSON, "set the provisioning-server one-time password" },
	{ "set-suffix", cmd_set_suffix, CMD_JSON, "set the PKI DNS suffix" },
	{ "start-config", cmd_start_config, CMD_JSON,
	  "restart the remote-configuration hello packets" },
	{ "stop-config", cmd_stop_config, CMD_JSON, "stop a remote configuration in progress" },
	{ "zero-touch", cmd_zero_touch, CMD_JSON, "enable or disable remote configuration" },
	{ "enable-amt", cmd_enable_amt, CMD_JSON, "switch AMT's operational state on (ME 16.1+, or before 9.0)" },
	{ "unprovision", cmd_unprovision, CMD_JSON, "unprovision a client-control-mode box" },
	{ "report", cmd_report, CMD_JSON | CMD_OWN_TIMEOUT, "send spooled reports (--flush)" },
	{ "diagnose", cmd_diagnose, CMD_JSON, "explain why this box can or cannot be provisioned" },
	{ "usbkey", cmd_usbkey, CMD_JSON, "write and read USB provisioning keys (setup.bin)" },
	{ "install-task", cmd_install_task, CMD_JSON,
	  "Windows: run a profile at every boot as SYSTEM (scheduled task)" },
	{ "uninstall-task", cmd_uninstall_task, CMD_JSON, "Windows: remove that task" },
	{ "help", cmd_help, 0, "show this help" },
	{ "version", cmd_version, 0, "show the version" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: amtact [--device DEV] [--timeout MS] [--json] [-v] COMMAND [ARGS]\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nDevices: /dev/meiN (default /dev/mei0), \"sim\" (built-in emulated laptop),\n"
		   "\"sim:FILE\" (emulated machine from a state file). Global options may also\n"
		   "follow the command. amtact help COMMAND (or COMMAND --help) shows a command's\n"
		   "options, defaults and examples; see amtact(8).\n");
}

static int cmd_help(const struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct help_entry *h;

	(void)ctx;
	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	h = help_find(argv[1]);
	if (!h || argc > 2) {
		msg_error("\"%s\" is not a command (amtact help lists them)", argv[argc > 2 ? 2 : 1]);
		return EXIT_USAGE;
	}
	help_print(stdout, h);
	return EXIT_OK;
}

static int cmd_version(const struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("amtact %s (%s)\n", AMTACT_VERSION, os_platform());
	return EXIT_OK;
}

/*
 * Parses options up to the command name; returns argv index of the command, -1 when there
 * is none, -2 after a bad option (said).
 */
static int parse_global(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	ctx->device = heci_device_from_env();
	while ((c = getopt_long(argc, argv, "+d:t:jvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctx->device = optarg;
			break;
		case 't':
			if (cli_parse_timeout(optarg, &ctx->timeout_ms)) {
				msg_error("--timeout: \"%s\" is not a number of milliseconds (1..600000)",
					  optarg);
				return -2;
			}
			break;
		case 'j':
			ctx->json = true;
			break;
		case 'v':
			ctx->verbose++;
			break;
		case 'h':
			exit(cmd_help(ctx, 0, NULL));
		case 'V':
			exit(cmd_version(ctx, 0, NULL));
		default:
			return -2;
		}
	}
	if (ctx->device && !ctx->device[0])
		ctx->device = NULL;
	return optind < argc ? optind : -1;
}

/*
 * The JSON contract: with --json a failure always leaves an "error" object on stdout, in
 * the command's document or, when it printed none (a usage error, a check before any
 * result), alone; its message is the first error the command gave.
 */
static int finish(const struct cmd_ctx *ctx, const char *name, int ret)
{
	char text[256];
	const char *m = msg_first_error();

	if (!m[0] && ret == EXIT_USAGE) {
		snprintf(text, sizeof(text), "bad command line (amtact help%s%s shows the options)",
			 name ? " " : "", name ? name : "");
		m = text;
	}
	json_out_finish(ctx->json, ret, m[0] ? m : amtact_exit_meaning(ret));
	if (fflush(stdout) != 0 || ferror(stdout)) {
		msg_error("writing the output failed: %s", strerror(errno));
		return ret == EXIT_OK ? EXIT_FAILURE_INTERNAL : ret;
	}
	return ret;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Whether --json or -j is anywhere on the line (for the error of a line not understood). */
static bool json_anywhere(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
			return true;
	return false;
}

/* The command's part of the line: trailing global options taken, --help answered. */
static int command_line(const struct command *cmd, struct cmd_ctx *ctx, int *argc,
			char **argv)
{
	if (cli_take_globals(argc, argv, ctx, cmd->flags & CMD_OWN_TIMEOUT)) {
		ctx->json = ctx->json || json_anywhere(*argc, argv);
		return EXIT_USAGE;
	}
	if (cmd->fn != cmd_help && cli_wants_help(*argc, argv)) {
		help_print(stdout, help_find(cmd->name));
		return -1;
	}
	if (ctx->json && !(cmd->flags & CMD_JSON)) {
		msg_error("--json: this command has no JSON output");
		return EXIT_USAGE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* getopt's own messages ("unrecognized option") then say who speaks. */
	static char prog[] = "amtact";
	char cmd_prog[64];
	struct cmd_ctx ctx = { 0 };
	const struct command *cmd;
	int idx = secret_process_protect(), ret;

	/* Before anything is read: OTPs, tokens and keys never end up in a core dump. */
	if (idx < 0)
		msg_warn("could not turn core dumps off: %s", strerror(-idx));
	argv[0] = prog;
	idx = parse_global(argc, argv, &ctx);
	if (idx < 0) {
		if (idx == -1) {
			usage(stderr);
			msg_error("no command given");
		}
		ctx.json = ctx.json || json_anywhere(argc, argv);
		return finish(&ctx, NULL, EXIT_USAGE);
	}
	msg_set_level(ctx.verbose >= 2 ? MSG_DEBUG : ctx.verbose == 1 ? MSG_INFO : MSG_WARN);
	cmd = find_command(argv[idx]);
	if (!cmd) {
		msg_error("\"%s\" is not a command (amtact help lists them)", argv[idx]);
		ctx.json = ctx.json || json_anywhere(argc - idx, argv + idx);
		return finish(&ctx, NULL, EXIT_USAGE);
	}
	msg_set_command(cmd->name);
	argc -= idx;
	argv += idx;
	ret = command_line(cmd, &ctx, &argc, argv);
	if (ret)
		return finish(&ctx, cmd->name, ret < 0 ? EXIT_OK : ret);
	msg_set_level(ctx.verbose >= 2 ? MSG_DEBUG : ctx.verbose == 1 ? MSG_INFO : MSG_WARN);
	snprintf(cmd_prog, sizeof(cmd_prog), "amtact: %s", cmd->name);
	argv[0] = cmd_prog;
	optind = 0; /* glibc: 0 re-initialises getopt (the "+" mode of the global parse) */
	return finish(&ctx, cmd->name, cmd->fn(&ctx, argc, argv));
}

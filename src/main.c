// SPDX-License-Identifier: MIT
/* amtact's entry point: global options, then exact-name dispatch through the command table. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "exitcodes.h"
#include "msg.h"

struct amtact_opts amtact_opts;

enum cmd_needs {
	NEEDS_DEVICE = 1 << 0,  /* talks to the ME */
	NEEDS_ROOT = 1 << 1,    /* must run as root/SYSTEM on real hardware */
	NEEDS_NETWORK = 1 << 2, /* talks to the interim server */
};

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	unsigned needs;
	const char *summary;
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct command commands[] = {
	{ "info", cmd_info, NEEDS_DEVICE, "show everything the ME tells about AMT" },
	{ "status", cmd_status, NEEDS_DEVICE, "provisioning state as an exit code" },
	{ "run", cmd_run, NEEDS_DEVICE | NEEDS_ROOT | NEEDS_NETWORK,
	  "the boot-time job: act as the profile says and report" },
	{ "profile-check", cmd_profile_check, 0,
	  "validate a profile and show it as run will use it" },
	{ "set-otp", cmd_set_otp, NEEDS_DEVICE | NEEDS_ROOT,
	  "set the provisioning-server one-time password" },
	{ "set-suffix", cmd_set_suffix, NEEDS_DEVICE | NEEDS_ROOT, "set the PKI DNS suffix" },
	{ "start-config", cmd_start_config, NEEDS_DEVICE | NEEDS_ROOT,
	  "restart the remote-configuration hello packets" },
	{ "stop-config", cmd_stop_config, NEEDS_DEVICE | NEEDS_ROOT,
	  "stop a remote configuration in progress" },
	{ "zero-touch", cmd_zero_touch, NEEDS_DEVICE | NEEDS_ROOT,
	  "enable or disable remote configuration" },
	{ "enable-amt", cmd_enable_amt, NEEDS_DEVICE | NEEDS_ROOT,
	  "switch AMT's operational state on (ME 16.1+)" },
	{ "unprovision", cmd_unprovision, NEEDS_DEVICE | NEEDS_ROOT,
	  "unprovision a client-control-mode box" },
	{ "report", cmd_report, NEEDS_NETWORK, "send spooled reports (--flush)" },
	{ "diagnose", cmd_diagnose, NEEDS_DEVICE, "explain why this box can or cannot be provisioned" },
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
		   "\"sim:FILE\" (emulated machine from a state file). See amtact(8).\n");
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("amtact %s\n", AMTACT_VERSION);
	return EXIT_OK;
}

static int parse_timeout(const char *s, int *out)
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

/* Parses options up to the command name; returns argv index of the command or -1. */
static int parse_global(int argc, char **argv)
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

	amtact_opts.device = getenv("AMTACT_DEVICE");
	while ((c = getopt_long(argc, argv, "+d:t:jvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			amtact_opts.device = optarg;
			break;
		case 't':
			if (parse_timeout(optarg, &amtact_opts.timeout_ms)) {
				msg_error("--timeout: \"%s\" is not a number of milliseconds (1..600000)",
					  optarg);
				return -1;
			}
			break;
		case 'j':
			amtact_opts.json = 1;
			break;
		case 'v':
			amtact_opts.verbose++;
			break;
		case 'h':
			exit(cmd_help(0, NULL));
		case 'V':
			exit(cmd_version(0, NULL));
		default:
			return -1;
		}
	}
	if (amtact_opts.device && !amtact_opts.device[0])
		amtact_opts.device = NULL;
	return optind < argc ? optind : -1;
}

static int finish(int ret)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		msg_error("writing the output failed: %s", strerror(errno));
		return ret == EXIT_OK ? EXIT_FAILURE_INTERNAL : ret;
	}
	return ret;
}

int main(int argc, char **argv)
{
	int idx = parse_global(argc, argv);
	const char *name;

	if (idx < 0) {
		if (optind >= argc)
			usage(stderr);
		return EXIT_USAGE;
	}
	msg_set_level(amtact_opts.verbose >= 2 ? MSG_DEBUG :
		      amtact_opts.verbose == 1 ? MSG_INFO : MSG_WARN);
	name = argv[idx];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) == 0) {
			msg_set_command(name);
			optind = 0; /* glibc: 0 re-initialises getopt (the "+" mode of the global parse) */
			return finish(commands[i].fn(argc - idx, argv + idx));
		}
	}
	msg_error("\"%s\" is not a command (see amtact help)", name);
	return EXIT_USAGE;
}

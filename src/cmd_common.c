// SPDX-License-Identifier: MIT
/* Shared command plumbing: opening the ME, mapping errors to exit codes, option parsing. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_common.h"
#include "cmds.h"
#include "exitcodes.h"
#include "heci.h"
#include "info.h"
#include "json_out.h"
#include "msg.h"

int cmd_exit_for(const char *device, int rc)
{
	switch (rc) {
	case 0:
		return EXIT_OK;
	case -EACCES:
	case -EPERM:
		return EXIT_PERMISSION;
	case -EBUSY:
		return EXIT_BUSY;
	case -ENOTTY:
	case -ENODATA:
		return EXIT_NO_AMT;
	case -ENOMEM:
		return EXIT_FAILURE_INTERNAL;
	case -ENOENT:
	case -EISDIR:
	case -ENXIO:
	case -EINVAL:
		return heci_device_is_sim(device) ? EXIT_BAD_INPUT : EXIT_NO_DEVICE;
	default:
		return EXIT_FIRMWARE;
	}
}

bool cmd_no_device(const struct cmd_ctx *ctx, int rc, struct medev_probe *p)
{
	const char *root = getenv("AMTACT_SYSROOT");

	if (rc != -ENOENT || heci_device_is_sim(ctx->device))
		return false;
	medev_probe(root ? root : "", p);
	return true;
}

/* The transports' own messages already say what a denied open needs (root, Administrator). */
static const char *open_hint(int rc)
{
	switch (rc) {
	case -ENOENT:
		return "--device sim tries amtact on the emulator";
	case -EISDIR:
		return "--device takes a MEI character device such as /dev/mei0";
	default:
		return "";
	}
}

int cmd_open_me(const struct cmd_ctx *ctx, struct me *me, int json)
{
	char text[900], why[300] = "";
	struct medev_probe p;
	const char *hint;
	int rc = me_open(me, ctx->device, ctx->timeout_ms), code;

	if (rc == 0)
		return 0;
	code = cmd_exit_for(ctx->device, rc);
	hint = heci_device_is_sim(ctx->device) ? "" : open_hint(rc);
	/* No device at all: say whether the machine has no ME or the ME no driver. */
	if (cmd_no_device(ctx, rc, &p))
		medev_text(&p, why, sizeof(why));
	snprintf(text, sizeof(text), "cannot open the ME device: %s%s%s%s%s%s",
		 me_error_text(me, rc), why[0] ? "; " : "", why, hint[0] ? " (" : "", hint,
		 hint[0] ? ")" : "");
	msg_error("%s", text);
	if (json)
		json_out_error(code, text);
	me_close(me);
	return code;
}

static const char *talk_hint(int rc)
{
	switch (rc) {
	case -EBUSY:
		/* The transport's message already names who may hold it (LMS, another agent). */
		return "stop it or try again later";
	case -ENODEV:
		return "the firmware kept resetting; try again after a reboot";
	case -ETIMEDOUT:
		return "the firmware did not answer in time; --timeout sets the wait";
	case -EBADMSG:
		return "the firmware's reply does not follow the protocol; -vv shows the bytes";
	case -ENOTTY:
		return "this ME has no AMT host interface";
	case -ENODATA:
		return "enable Intel AMT in the BIOS/MEBx, or with amtact enable-amt on ME 16.1+";
	default:
		return "";
	}
}

/* The device as given, else the one the transport opened by default (/dev/mei0). */
static const char *device_name(const struct me *me)
{
	if (me->device)
		return me->device;
	for (size_t i = 0; i < sizeof(me->h) / sizeof(me->h[0]); i++)
		if (me->h[i])
			return heci_device_name(me->h[i]);
	return "the default device";
}

int cmd_me_failed(const struct cmd_ctx *ctx, struct me *me, int rc, const char *what)
{
	const char *hint = talk_hint(rc);
	const char *reason = rc == -ENODATA ? "AMT is disabled (the firmware answers nothing)" :
			     rc == -ENOTTY  ? "no AMT on this machine" :
			     me_error_text(me, rc);

	msg_error("%s on %s: %s%s%s%s", what, device_name(me), reason, hint[0] ? " (" : "",
		  hint, hint[0] ? ")" : "");
	return cmd_exit_for(ctx->device, rc);
}

int cmd_parse_simple(const struct cmd_ctx *ctx, int argc, char **argv, const char *usage,
		     int *json)
{
	return cmd_parse_simple_args(ctx, argc, argv, usage, json, 0);
}

int cmd_parse_simple_args(const struct cmd_ctx *ctx, int argc, char **argv, const char *usage,
			  int *json, int positional)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*json = ctx->json;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		if (c == 'j') {
			*json = 1;
		} else if (c == 'h') {
			printf("usage: %s\n", usage);
			return -1;
		} else {
			fprintf(stderr, "usage: %s\n", usage);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > positional) {
		msg_error("unexpected argument \"%s\" (usage: %s)", argv[optind + positional],
			  usage);
		return EXIT_USAGE;
	}
	if (argc - optind < positional) {
		msg_error("missing argument (usage: %s)", usage);
		return EXIT_USAGE;
	}
	return 0;
}

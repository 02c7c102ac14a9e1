// SPDX-License-Identifier: MIT
/* `amtact start-config` and `stop-config`: restart or stop the remote-configuration hellos. */
#include <stdlib.h>

#include "cmd_write.h"
#include "exitcodes.h"
#include "msg.h"

#define START_USAGE "amtact start-config [--wait[=SECONDS]] [--dry-run] [--force] [--json]"
#define STOP_USAGE "amtact stop-config [--dry-run] [--force] [--json]"

enum { OPT_WAIT = CMD_WRITE_OPT_LAST + 1 };

/* --wait alone waits 10 minutes; the firmware's key generation takes minutes, not hours. */
static int parse_wait(const char *arg, int *wait_s)
{
	char *end;
	long v;

	if (!arg) {
		*wait_s = 600;
		return 0;
	}
	v = strtol(arg, &end, 10);
	if (end == arg || *end || v < 0 || v > 3600) {
		msg_error("--wait: \"%s\" is not a number of seconds (0..3600)", arg);
		return EXIT_USAGE;
	}
	*wait_s = (int)v;
	return 0;
}

static int parse_start(const struct cmd_ctx *ctx, int argc, char **argv,
		       struct op_request *req, int *json)
{
	static const struct option opts[] = {
		CMD_WRITE_OPTIONS,
		{ "wait", optional_argument, NULL, OPT_WAIT },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret;

	*json = ctx->json;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == OPT_WAIT)
			ret = parse_wait(optarg, &req->wait_s);
		else
			ret = cmd_write_option(c, req, json, START_USAGE);
		if (ret)
			return ret;
	}
	return cmd_write_no_args(argc, argv, START_USAGE);
}

int cmd_start_config(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_START_CONFIG };
	int json, ret;

	ret = parse_start(ctx, argc, argv, &req, &json);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	return cmd_write(ctx, &req, json);
}

int cmd_stop_config(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_STOP_CONFIG };
	int json, ret;

	ret = cmd_write_parse(ctx, argc, argv, STOP_USAGE, false, &req, &json);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	return cmd_write(ctx, &req, json);
}

// SPDX-License-Identifier: MIT
/* `amtact zero-touch enable|disable`: remote configuration mode, within the firmware's rules. */
#include <string.h>

#include "cmds.h"
#include "exitcodes.h"
#include "msg.h"
#include "op.h"

#define USAGE "amtact zero-touch enable|disable [--dry-run] [--force] [--json]"

static int on_args(void *p, int argc, char **argv, struct op_request *req)
{
	(void)p;
	if (argc == 1 && strcmp(argv[0], "enable") == 0) {
		req->op = OP_ZERO_TOUCH_ENABLE;
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], "disable") == 0) {
		req->op = OP_ZERO_TOUCH_DISABLE;
		return 0;
	}
	msg_error("say enable or disable (usage: %s)", USAGE);
	return EXIT_USAGE;
}

int cmd_zero_touch(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_ZERO_TOUCH_DISABLE };
	struct op_cli cli = { .on_args = on_args };

	return op_command(ctx, argc, argv, &req, USAGE, &cli);
}

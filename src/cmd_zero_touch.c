// SPDX-License-Identifier: MIT
/* `amtact zero-touch enable|disable`: remote configuration mode, within the firmware's rules. */
#include <string.h>

#include "cmd_write.h"
#include "exitcodes.h"
#include "msg.h"

#define USAGE "amtact zero-touch enable|disable [--dry-run] [--force] [--json]"

static int parse_mode(int argc, char **argv, enum op *op)
{
	if (argc == 1 && strcmp(argv[0], "enable") == 0) {
		*op = OP_ZERO_TOUCH_ENABLE;
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], "disable") == 0) {
		*op = OP_ZERO_TOUCH_DISABLE;
		return 0;
	}
	msg_error("say enable or disable (usage: %s)", USAGE);
	return EXIT_USAGE;
}

int cmd_zero_touch(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_ZERO_TOUCH_DISABLE };
	int json, ret;

	ret = cmd_write_parse(ctx, argc, argv, USAGE, true, &req, &json);
	if (ret == 0)
		ret = parse_mode(argc - optind, argv + optind, &req.op);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	return cmd_write(ctx, &req, json);
}

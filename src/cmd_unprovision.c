// SPDX-License-Identifier: MIT
/* `amtact unprovision`: return a client-control-mode box to pre-provisioning. */
#include "cmd_write.h"
#include "exitcodes.h"

#define USAGE "amtact unprovision [--dry-run] [--force] [--json]"

int cmd_unprovision(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_UNPROVISION };
	int json, ret;

	ret = cmd_write_parse(ctx, argc, argv, USAGE, false, &req, &json);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	return cmd_write(ctx, &req, json);
}

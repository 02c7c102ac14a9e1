// SPDX-License-Identifier: MIT
/* `amtact start-config` and `stop-config`: restart or stop the remote-configuration hellos. */
#include "cmds.h"
#include "op.h"

int cmd_start_config(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_START_CONFIG };

	return op_command(ctx, argc, argv, &req,
			  "amtact start-config [--wait[=SECONDS]] [--dry-run] [--force] [--json]",
			  NULL);
}

int cmd_stop_config(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_STOP_CONFIG };

	return op_command(ctx, argc, argv, &req, "amtact stop-config [--dry-run] [--force] [--json]",
			  NULL);
}

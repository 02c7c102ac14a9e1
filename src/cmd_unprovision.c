// SPDX-License-Identifier: MIT
/* `amtact unprovision`: return a client-control-mode box to pre-provisioning. */
#include "cmds.h"
#include "op.h"

int cmd_unprovision(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_UNPROVISION };

	return op_command(ctx, argc, argv, &req, "amtact unprovision [--dry-run] [--force] [--json]",
			  NULL);
}

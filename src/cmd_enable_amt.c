// SPDX-License-Identifier: MIT
/* `amtact enable-amt`: switch AMT's operational state on (ME 16.1+, the old "switch to AMT"). */
#include "cmds.h"
#include "op.h"

int cmd_enable_amt(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_ENABLE_AMT };

	return op_command(ctx, argc, argv, &req, "amtact enable-amt [--dry-run] [--force] [--json]",
			  NULL);
}

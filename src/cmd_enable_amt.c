// SPDX-License-Identifier: MIT
/* `amtact enable-amt`: switch AMT's operational state on (the old "switch to AMT"; op.c picks the
 * generation's command). */
#include "cmd_write.h"
#include "exitcodes.h"

#define USAGE "amtact enable-amt [--dry-run] [--force] [--json]"

int cmd_enable_amt(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_ENABLE_AMT };
	int json, ret;

	ret = cmd_write_parse(ctx, argc, argv, USAGE, false, &req, &json);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	return cmd_write(ctx, &req, json);
}

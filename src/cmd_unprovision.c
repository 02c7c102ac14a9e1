// SPDX-License-Identifier: MIT
/* `amtact unprovision`: return a client-control-mode box to pre-provisioning. */
#include "cmds.h"
#include "op.h"

int cmd_unprovision(int argc, char **argv)
{
	struct op_request req = { .op = OP_UNPROVISION };

	return op_command(argc, argv, &req, "amtact unprovision [--dry-run] [--force] [--json]",
			  NULL);
}

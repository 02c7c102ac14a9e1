// SPDX-License-Identifier: MIT
/* `amtact set-suffix`: set the PKI DNS suffix the firmware matches the server certificate to. */
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "exitcodes.h"
#include "msg.h"
#include "op.h"

#define USAGE "amtact set-suffix SUFFIX [--dry-run] [--force] [--json]"

struct suffix_ctx {
	char suffix[256];
};

static int on_args(void *p, int argc, char **argv, struct op_request *req)
{
	struct suffix_ctx *c = p;
	size_t len;

	if (argc != 1) {
		msg_error("give exactly one suffix (usage: %s)", USAGE);
		return EXIT_USAGE;
	}
	len = strlen(argv[0]);
	if (len >= sizeof(c->suffix)) {
		msg_error("the suffix is longer than 223 bytes");
		return EXIT_USAGE;
	}
	memcpy(c->suffix, argv[0], len + 1);
	/* A fully qualified form ends in a dot; the firmware holds the name without it. */
	if (len > 1 && c->suffix[len - 1] == '.')
		c->suffix[len - 1] = '\0';
	/* A mistyped name is the caller's error, not the firmware's: say so before any I/O. */
	if (rules_dns_suffix_invalid(c->suffix)) {
		msg_error("\"%s\" is not a DNS suffix: %s", c->suffix,
			  rules_dns_suffix_invalid(c->suffix));
		return EXIT_USAGE;
	}
	req->suffix = c->suffix;
	return 0;
}

int cmd_set_suffix(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct suffix_ctx c = { "" };
	struct op_request req = { .op = OP_SET_SUFFIX };
	struct op_cli cli = { .on_args = on_args, .ctx = &c };

	return op_command(ctx, argc, argv, &req, USAGE, &cli);
}

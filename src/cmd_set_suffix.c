// SPDX-License-Identifier: MIT
/* `amtact set-suffix`: set the PKI DNS suffix the firmware matches the server certificate to. */
#include <string.h>

#include "cmd_write.h"
#include "exitcodes.h"
#include "msg.h"

#define USAGE "amtact set-suffix SUFFIX [--dry-run] [--force] [--json]"

/* The one argument, checked and without a trailing dot, into suffix[cap]. */
static int take_suffix(int argc, char **argv, char *suffix, size_t cap)
{
	size_t len;

	if (argc != 1) {
		msg_error("give exactly one suffix (usage: %s)", USAGE);
		return EXIT_USAGE;
	}
	len = strlen(argv[0]);
	if (len >= cap) {
		msg_error("the suffix is longer than 223 bytes");
		return EXIT_USAGE;
	}
	memcpy(suffix, argv[0], len + 1);
	/* A fully qualified form ends in a dot; the firmware holds the name without it. */
	if (len > 1 && suffix[len - 1] == '.')
		suffix[len - 1] = '\0';
	/* A mistyped name is the caller's error, not the firmware's: say so before any I/O. */
	if (rules_dns_suffix_invalid(suffix)) {
		msg_error("\"%s\" is not a DNS suffix: %s", suffix, rules_dns_suffix_invalid(suffix));
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_set_suffix(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct op_request req = { .op = OP_SET_SUFFIX };
	char suffix[256] = "";
	int json, ret;

	ret = cmd_write_parse(ctx, argc, argv, USAGE, true, &req, &json);
	if (ret == 0)
		ret = take_suffix(argc - optind, argv + optind, suffix, sizeof(suffix));
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	req.suffix = suffix;
	return cmd_write(ctx, &req, json);
}

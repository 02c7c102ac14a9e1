// SPDX-License-Identifier: MIT
/* What the write commands share: their options, and open-run-print of one operation. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd_common.h"
#include "json_out.h"
#include "cmd_write.h"
#include "exitcodes.h"
#include "msg.h"
#include "op_render.h"

int cmd_write_option(int c, struct op_request *req, int *json, const char *usage)
{
	switch (c) {
	case CMD_WRITE_OPT_DRY_RUN:
		req->dry_run = true;
		return 0;
	case CMD_WRITE_OPT_FORCE:
		req->force = true;
		return 0;
	case CMD_WRITE_OPT_JSON:
		*json = 1;
		return 0;
	case CMD_WRITE_OPT_HELP:
		printf("usage: %s\n", usage);
		return -1;
	default:
		fprintf(stderr, "usage: %s\n", usage);
		return EXIT_USAGE;
	}
}

int cmd_write_parse(const struct cmd_ctx *ctx, int argc, char **argv, const char *usage,
		    bool takes_args, struct op_request *req, int *json)
{
	static const struct option opts[] = { CMD_WRITE_OPTIONS, { NULL, 0, NULL, 0 } };
	int c, ret;

	*json = ctx->json;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		ret = cmd_write_option(c, req, json, usage);
		if (ret)
			return ret;
	}
	return takes_args ? 0 : cmd_write_no_args(argc, argv, usage);
}

int cmd_write_no_args(int argc, char **argv, const char *usage)
{
	if (optind >= argc)
		return 0;
	msg_error("unexpected argument \"%s\"", argv[optind]);
	fprintf(stderr, "usage: %s\n", usage);
	return EXIT_USAGE;
}

static int print_outcome(const struct op_request *req, const struct op_outcome *out, int json)
{
	if (json) {
		json_out_print(op_json(req, out));
		op_print_message(out);
	} else {
		op_print_text(req, out);
	}
	return op_exit_code(out);
}

int cmd_write(const struct cmd_ctx *ctx, const struct op_request *req, int json)
{
	struct op_outcome out;
	struct me me;
	int ret, rc;

	ret = cmd_open_me(ctx, &me, json);
	if (ret)
		return ret;
	rc = op_run(&me, req, &out);
	if (rc < 0) {
		ret = cmd_me_failed(ctx, &me, rc, "reading the state before the change");
		if (json)
			json_out_error(ret, me_error_text(&me, rc));
	} else {
		ret = print_outcome(req, &out, json);
	}
	op_outcome_free(&out);
	me_close(&me);
	return ret;
}

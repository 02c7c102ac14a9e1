// SPDX-License-Identifier: MIT
/* `amtact info`: everything the ME tells about AMT, as text or JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd_common.h"
#include "json_out.h"
#include "cmds.h"
#include "exitcodes.h"
#include "info_json.h"
#include "msg.h"

int cmd_info(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct me_info *info = NULL;
	struct me me;
	int json, ret, rc;

	ret = cmd_parse_simple(ctx, argc, argv, "amtact info [--json]", &json);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = cmd_open_me(ctx, &me, json);
	if (ret)
		return ret;
	ret = EXIT_FAILURE_INTERNAL;
	info = calloc(1, sizeof(*info));
	if (!info) {
		msg_error("out of memory");
		goto out;
	}
	/* The text shows no remote access status: it is not asked for. */
	rc = me_read_more(&me, info, ME_READ_FULL, json ? 0 : ME_READ_NO_REMOTE_ACCESS);
	if (rc < 0 && rc != -ENOTTY && rc != -ENODATA) {
		ret = cmd_me_failed(ctx, &me, rc, "reading the ME");
		if (json)
			json_out_error(ret, me.err.msg[0] ? me.err.msg : "reading the ME failed");
		goto out;
	}
	if (json)
		json_out_print(info_json(info));
	else
		info_print_text(stdout, info);
	if (rc < 0)
		ret = cmd_me_failed(ctx, &me, rc, "AMT");
	else if (info_error_count(info))
		ret = cmd_me_failed(ctx, &me, -EBADMSG, "some answers could not be read");
	else
		ret = EXIT_OK;
out:
	free(info);
	me_close(&me);
	return ret;
}

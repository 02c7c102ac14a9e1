// SPDX-License-Identifier: MIT
/* `amtact status`: the provisioning state as a distinct exit code, for scripts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "amt.h"
#include "cmd_common.h"
#include "json_out.h"
#include "cmds.h"
#include "exitcodes.h"
#include "info.h"
#include "msg.h"

static const char *status_word(int code)
{
	switch (code) {
	case EXIT_OK:
		return "provisioned";
	case EXIT_IN_PROVISIONING:
		return "in_provisioning";
	case EXIT_NOT_PROVISIONED:
		return "not_provisioned";
	default:
		return NULL;
	}
}

static int code_for_state(enum amt_prov_state state)
{
	return state == AMT_PROV_STATE_POST ? EXIT_OK :
	       state == AMT_PROV_STATE_IN   ? EXIT_IN_PROVISIONING : EXIT_NOT_PROVISIONED;
}

static void print_status(int json, int code, const struct me_info *in, int rc)
{
	const char *word = status_word(code);
	bool ctl = in->control_mode_item.state == ME_ITEM_OK;

	if (!word)
		word = rc == -ENOTTY ? "no_amt" : rc == -ENODATA ? "amt_disabled" : "error";
	if (json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddNumberToObject(doc, "schema_version", INFO_SCHEMA_VERSION);
		cJSON_AddStringToObject(doc, "status", word);
		if (status_word(code))
			cJSON_AddStringToObject(doc, "provisioning_state",
						amt_prov_state_name(in->prov_state));
		else
			cJSON_AddNullToObject(doc, "provisioning_state");
		if (ctl)
			cJSON_AddStringToObject(doc, "control_mode",
						amt_control_mode_name(in->control_mode));
		else
			cJSON_AddNullToObject(doc, "control_mode");
		cJSON_AddNumberToObject(doc, "exit_code", code);
		json_out_print(doc);
		return;
	}
	if (strcmp(word, "error") == 0)
		return;
	printf("%s", word);
	if (ctl && in->prov_state == AMT_PROV_STATE_POST)
		printf(" (%s)", amt_control_mode_name(in->control_mode));
	printf("\n");
}

int cmd_status(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct me_info info;
	struct me me;
	int json, ret, rc;

	ret = cmd_parse_simple(ctx, argc, argv, "amtact status [--json]", &json);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = cmd_open_me(ctx, &me, json);
	if (ret)
		return ret;
	rc = me_read_status(&me, &info);
	if (rc == 0 && info.prov_state_item.state != ME_ITEM_OK)
		rc = info.prov_state_item.state == ME_ITEM_ERROR ? info.prov_state_item.err.code :
								    -EBADMSG;
	if (rc == 0) {
		ret = code_for_state(info.prov_state);
	} else if (rc == -ENOTTY || rc == -ENODATA) {
		/* Not an error for `status`: it is the answer (no_amt / amt_disabled). */
		ret = EXIT_NO_AMT;
	} else {
		ret = cmd_me_failed(ctx, &me, rc, "reading the provisioning state");
		if (json && ret != EXIT_NO_AMT) {
			json_out_error(ret, me_error_text(&me, rc));
			goto out;
		}
	}
	print_status(json, ret, &info, rc);
out:
	me_close(&me);
	return ret;
}

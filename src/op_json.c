// SPDX-License-Identifier: MIT
/* The outcome of a write operation as JSON: the document of the write commands and of run. */
#include "amt_status.h"
#include "info.h"
#include "op.h"
#include "op_render.h"

static const char *const verdict_names[] = { "allow", "maybe", "no_change", "refuse" };

static void add_status(cJSON *o, bool have, uint32_t status)
{
	if (!have) {
		cJSON_AddNullToObject(o, "firmware_status");
		cJSON_AddNullToObject(o, "status_name");
		return;
	}
	cJSON_AddNumberToObject(o, "firmware_status", status);
	cJSON_AddStringToObject(o, "status_name", amt_status_name(status));
}

cJSON *op_json(const struct op_request *req, const struct op_outcome *out)
{
	cJSON *o = cJSON_CreateObject(), *rule, *arr;
	bool sent = out->kind == OP_DONE || out->kind == OP_REFUSED;

	cJSON_AddNumberToObject(o, "schema_version", INFO_SCHEMA_VERSION);
	cJSON_AddStringToObject(o, "operation", rules_op_name(req->op));
	cJSON_AddStringToObject(o, "command", out->command);
	cJSON_AddStringToObject(o, "outcome", op_kind_name(out->kind));
	cJSON_AddBoolToObject(o, "sent", sent);
	add_status(o, sent || out->kind == OP_PREDICTED_REFUSAL, out->fw_status);
	rule = cJSON_AddObjectToObject(o, "rule");
	cJSON_AddStringToObject(rule, "verdict", verdict_names[out->rule.verdict]);
	cJSON_AddStringToObject(rule, "text", out->rule.rule);
	cJSON_AddStringToObject(rule, "source", out->rule.source);
	cJSON_AddStringToObject(rule, "hint", out->rule.hint);
	if (req->op == OP_START_CONFIG) {
		cJSON_AddBoolToObject(o, "key_pending", out->key_pending);
		cJSON_AddBoolToObject(o, "key_ready", out->key_ready);
	}
	arr = cJSON_AddArrayToObject(o, "changes");
	for (size_t i = 0; i < out->change_count; i++) {
		cJSON *c = cJSON_CreateObject();

		cJSON_AddStringToObject(c, "item", out->changes[i].item);
		cJSON_AddStringToObject(c, "before", out->changes[i].before);
		cJSON_AddStringToObject(c, "after", out->changes[i].after);
		cJSON_AddItemToArray(arr, c);
	}
	if (out->kind == OP_DRY_RUN) {
		cJSON_AddStringToObject(o, "would_send", out->would_send);
		cJSON_AddStringToObject(o, "expected", op_expected_change(req->op));
	}
	if (out->kind == OP_FAILED)
		cJSON_AddStringToObject(o, "message", out->err.msg);
	cJSON_AddNumberToObject(o, "exit_code", op_exit_code(out));
	if (req->show_otp && req->otp && out->kind == OP_DONE)
		cJSON_AddStringToObject(o, "otp", req->otp->buf);
	if (req->otp_file && out->kind == OP_DONE)
		cJSON_AddStringToObject(o, "otp_file", req->otp_file);
	return o;
}

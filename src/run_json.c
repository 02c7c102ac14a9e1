// SPDX-License-Identifier: MIT
/* The run's results as JSON: the actions and errors arrays and the `run --json` document. */
#include <errno.h>
#include <stdbool.h>

#include "amt.h"
#include "cmd_common.h"
#include "json_out.h"
#include "exitcodes.h"
#include "info.h"
#include "op_render.h"
#include "prereq_json.h"
#include "run_deliver.h"
#include "run_json.h"

static cJSON *action_json(const struct run_action *a)
{
	char why[200];
	const char *reason = run_reason_text(a, why, sizeof(why));
	cJSON *o;

	if (!a->skipped) {
		o = op_json(&a->req, &a->out);
	} else {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "operation", rules_op_name(a->req.op));
		cJSON_AddStringToObject(o, "outcome", run_action_outcome(a));
		cJSON_AddBoolToObject(o, "sent", false);
	}
	if (o && reason)
		cJSON_AddStringToObject(o, "reason", reason);
	return o;
}

cJSON *run_actions_json(const struct run_action *actions, size_t count)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < count; i++)
		cJSON_AddItemToArray(arr, action_json(&actions[i]));
	return arr;
}

cJSON *run_errors_json(const struct run_error *errors, size_t count)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < count; i++) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "what", errors[i].what);
		cJSON_AddStringToObject(e, "message", errors[i].message);
		cJSON_AddItemToArray(arr, e);
	}
	return arr;
}

static void add_text_or_null(cJSON *o, const char *key, const char *v)
{
	if (v[0])
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

cJSON *run_me_device_json(const struct medev_probe *p)
{
	char text[300];
	cJSON *o;

	if (!p)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "absence", medev_absence_name(p->absence));
	add_text_or_null(o, "pci", p->pci);
	add_text_or_null(o, "driver", p->driver);
	cJSON_AddStringToObject(o, "message", medev_text(p, text, sizeof(text)));
	return o;
}

cJSON *run_changes_json(const struct run_fact_change *changes, size_t count)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < count; i++) {
		cJSON *c = cJSON_CreateObject();

		cJSON_AddStringToObject(c, "fact", run_fact_key(changes[i].fact));
		cJSON_AddStringToObject(c, "old", changes[i].old);
		cJSON_AddStringToObject(c, "new", changes[i].now);
		cJSON_AddItemToArray(arr, c);
	}
	return arr;
}

static void add_str_or_null(cJSON *o, const char *key, const char *v)
{
	if (v && v[0])
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

cJSON *run_identity_json(const struct run_facts *facts, enum run_identity id)
{
	cJSON *o = cJSON_CreateObject();

	add_str_or_null(o, "smbios_uuid", facts->v[RUN_FACT_SMBIOS_UUID]);
	add_str_or_null(o, "me_uuid", facts->v[RUN_FACT_ME_UUID]);
	add_str_or_null(o, "flag", run_identity_flag(id));
	add_str_or_null(o, "problem", run_identity_text(id));
	return o;
}

void run_checks_json(cJSON *doc, const struct diag_ctx *pre, bool checked, bool blocked)
{
	if (pre) {
		cJSON_AddItemToObject(doc, "names", prereq_names_json(pre));
		cJSON_AddItemToObject(doc, "prerequisites", prereq_checks_json(pre, checked));
	} else {
		cJSON_AddNullToObject(doc, "names");
		cJSON_AddArrayToObject(doc, "prerequisites");
	}
	cJSON_AddBoolToObject(doc, "blocked", blocked);
}

/* The text's continuation lines ("\n" and indent) as one space. */
static void one_line(char *s)
{
	char *out = s;

	for (const char *p = s; *p; p++) {
		if (*p == '\n') {
			*out++ = ' ';
			while (p[1] == ' ')
				p++;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
}

/* "next": what can happen now, and "ready": the provisioning server can configure it. */
static void next_json(cJSON *doc, const struct run *r, const struct run_delivery *d, int code)
{
	enum run_next n = run_next(r, d, code);
	char text[1200];
	cJSON *o = cJSON_AddObjectToObject(doc, "next");

	run_next_text(r, n, text, sizeof(text));
	one_line(text);
	cJSON_AddStringToObject(o, "code", run_next_name(n));
	cJSON_AddStringToObject(o, "message", text);
	cJSON_AddBoolToObject(doc, "ready", n == RUN_NEXT_READY);
}

static void summary_json(cJSON *o, const struct me_info *in, bool ok)
{
	if (!ok) {
		cJSON_AddNullToObject(o, "provisioning_state");
		cJSON_AddNullToObject(o, "control_mode");
		return;
	}
	cJSON_AddStringToObject(o, "provisioning_state", in->prov_state_item.state == ME_ITEM_OK ?
				amt_prov_state_name(in->prov_state) : "unknown");
	cJSON_AddStringToObject(o, "control_mode", in->control_mode_item.state == ME_ITEM_OK ?
				amt_control_mode_name(in->control_mode) : "unknown");
}

/* Why a failed run failed, in one message: its first error, the ME's, the delivery's. */
static const char *failure_message(const struct run *r, const struct run_delivery *d,
				   int code)
{
	if (r->error_count && r->errors[0].message)
		return r->errors[0].message;
	if (r->me_rc != 0 && r->me_err.msg[0])
		return r->me_err.msg;
	if (d->message[0])
		return d->message;
	return amtact_exit_meaning(code);
}

void run_print_json(const struct run *r, const struct run_delivery *d, int code)
{
	cJSON *doc = cJSON_CreateObject(), *rep, *errors;
	bool ok = r->me_rc == 0;

	cJSON_AddNumberToObject(doc, "schema_version", INFO_SCHEMA_VERSION);
	cJSON_AddStringToObject(doc, "run_id", r->id);
	cJSON_AddStringToObject(doc, "profile", r->prof.name);
	cJSON_AddStringToObject(doc, "system_name", r->system_name);
	summary_json(cJSON_AddObjectToObject(doc, "found"), r->first, ok);
	summary_json(cJSON_AddObjectToObject(doc, "now"), r->info, ok);
	cJSON_AddBoolToObject(doc, "amt_disabled", r->me_rc == -ENODATA);
	cJSON_AddItemToObject(doc, "me_device", run_me_device_json(r->no_device ? &r->medev :
								   NULL));
	cJSON_AddItemToObject(doc, "identity",
			      run_identity_json(&r->facts, run_facts_identity(&r->facts, r->info)));
	cJSON_AddItemToObject(doc, "changes", run_changes_json(r->changes, r->change_count));
	cJSON_AddItemToObject(doc, "actions", run_actions_json(r->actions, r->action_count));
	errors = run_errors_json(r->errors, r->error_count);
	if (!ok && errors && r->me_err.msg[0]) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "what", "read the ME");
		cJSON_AddStringToObject(e, "message", r->me_err.msg);
		cJSON_AddItemToArray(errors, e);
	}
	cJSON_AddItemToObject(doc, "errors", errors);
	run_checks_json(doc, r->pre, r->checked, r->blocked);
	rep = cJSON_AddObjectToObject(doc, "report");
	cJSON_AddStringToObject(rep, "id", r->id);
	cJSON_AddStringToObject(rep, "outcome", run_delivery_outcome_name(d->outcome));
	cJSON_AddStringToObject(rep, "message", d->message);
	next_json(doc, r, d, code);
	cJSON_AddNumberToObject(doc, "exit_code", code);
	cJSON_AddStringToObject(doc, "exit_name", amtact_exit_name(code));
	if (amtact_exit_is_error(code))
		json_out_add_error(doc, code, failure_message(r, d, code));
	json_out_print(doc);
}

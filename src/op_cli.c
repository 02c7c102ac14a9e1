// SPDX-License-Identifier: MIT
/* The front end of write commands: shared options, the ME session, text and JSON results. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amt_status.h"
#include "cmd_common.h"
#include "cmds.h"
#include "exitcodes.h"
#include "info.h"
#include "msg.h"
#include "op.h"

static const char *const verdict_names[] = { "allow", "maybe", "no_change", "refuse" };

/* What a successful operation is expected to change, for --dry-run. */
static const char *expected_change(enum op op)
{
	switch (op) {
	case OP_SET_OTP:
		return "nothing visible: the firmware never reports the OTP";
	case OP_START_CONFIG:
		return "provisioning.state pre -> in; the hello window opens (24 h the first "
		       "time, 6 h on later starts)";
	case OP_STOP_CONFIG:
		return "provisioning.state in -> pre; the hello packets stop";
	case OP_SET_SUFFIX:
		return "remote_configuration.pki_dns_suffix -> the new suffix";
	case OP_ZERO_TOUCH_ENABLE:
		return "remote_configuration.zero_touch_enabled false -> true";
	case OP_ZERO_TOUCH_DISABLE:
		return "remote_configuration.zero_touch_enabled true -> false";
	case OP_ENABLE_AMT:
		return "amt.enabled false -> true";
	case OP_UNPROVISION:
		return "provisioning.state -> pre; control_mode ccm -> none";
	default:
		return "";
	}
}

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
		cJSON_AddStringToObject(o, "expected", expected_change(req->op));
	}
	if (out->kind == OP_FAILED)
		cJSON_AddStringToObject(o, "message", out->detail);
	cJSON_AddNumberToObject(o, "exit_code", op_exit_code(out));
	return o;
}

static void print_rule(const struct op_outcome *out, bool force_hint)
{
	printf("  rule: %s\n", out->rule.rule);
	if (out->rule.source[0])
		printf("  source: %s\n", out->rule.source);
	if (out->rule.hint[0] || force_hint)
		printf("  hint: %s%s%s\n", out->rule.hint, out->rule.hint[0] && force_hint ? "; " : "",
		       force_hint ? "--force sends it anyway" : "");
}

static void print_done(const struct op_request *req, const struct op_outcome *out)
{
	const char *name = rules_op_name(req->op);

	if (out->key_pending)
		printf("%s: started; the firmware is still generating its key (it may take "
		       "minutes)%s\n", name, out->key_ready ? " - now ready" : "");
	else
		printf("%s: done: the firmware accepted %s\n", name, out->command);
	if (req->op == OP_SET_OTP)
		printf("  the firmware does not report the OTP, so it cannot be read back\n");
	if (out->change_count == 0 && req->op != OP_SET_OTP)
		printf("  no change seen when reading the state again\n");
}

/* The one stderr message of a refusal or failure, in text and JSON mode alike. */
static void print_message(const struct op_outcome *out)
{
	switch (out->kind) {
	case OP_PREDICTED_REFUSAL:
		msg_error("refused before sending: %s (%s)", out->rule.rule,
			  out->rule.hint[0] ? out->rule.hint : "--force sends it anyway");
		break;
	case OP_REFUSED:
		msg_error("%s: the firmware answered %s: %s (%s)", out->command,
			  amt_status_name(out->fw_status), out->rule.rule,
			  amt_status_lookup(out->fw_status)->hint);
		break;
	case OP_FAILED:
		msg_error("%s: %s", out->command, out->detail);
		break;
	default:
		break;
	}
}

void op_print_text(const struct op_request *req, const struct op_outcome *out)
{
	const char *name = rules_op_name(req->op);

	switch (out->kind) {
	case OP_DONE:
		print_done(req, out);
		break;
	case OP_NO_CHANGE:
		printf("%s: nothing to do: %s\n", name, out->rule.rule);
		break;
	case OP_PREDICTED_REFUSAL:
		printf("%s: not sent: the firmware would refuse it (%s)\n", name,
		       amt_status_name(out->fw_status));
		print_rule(out, true);
		break;
	case OP_REFUSED:
		printf("%s: refused by the firmware: %s (%s)\n", name,
		       amt_status_name(out->fw_status), amt_status_lookup(out->fw_status)->meaning);
		print_rule(out, false);
		break;
	case OP_DRY_RUN:
		printf("%s: dry run, nothing sent\n  would send: %s\n  expected: %s\n", name,
		       out->would_send,
		       expected_change(req->op));
		if (out->rule.verdict == RULE_MAYBE)
			print_rule(out, false);
		break;
	case OP_FAILED:
		printf("%s: failed: %s\n", name, out->detail);
		break;
	}
	print_message(out);
	for (size_t i = 0; i < out->change_count; i++)
		printf("  %s: %s -> %s\n", out->changes[i].item,
		       out->changes[i].before[0] ? out->changes[i].before : "(none)",
		       out->changes[i].after[0] ? out->changes[i].after : "(none)");
}

enum { OPT_DRY_RUN = 1, OPT_FORCE, OPT_JSON, OPT_HELP, OPT_WAIT };

static int parse(const struct cmd_ctx *ctx, int argc, char **argv, struct op_request *req,
		 const char *usage, const struct op_cli *cli, int *json)
{
	static const struct option common[] = {
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "wait", optional_argument, NULL, OPT_WAIT },
	};
	struct option opts[32];
	size_t n = sizeof(common) / sizeof(common[0]), k = 0;
	int c, rc;

	memcpy(opts, common, sizeof(common));
	for (; cli && cli->options && cli->options[k].name && n + k < 31; k++)
		opts[n + k] = cli->options[k];
	memset(&opts[n + k], 0, sizeof(opts[0]));
	*json = ctx->json;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case OPT_DRY_RUN: req->dry_run = true; break;
		case OPT_FORCE: req->force = true; break;
		case OPT_JSON: *json = 1; break;
		case OPT_HELP: printf("usage: %s\n", usage); return -1;
		case OPT_WAIT:
			if (req->op != OP_START_CONFIG)
				goto bad;
			req->wait_s = optarg ? (int)strtol(optarg, &end, 10) : 600;
			if (optarg && (*end || req->wait_s < 0 || req->wait_s > 3600)) {
				msg_error("--wait: \"%s\" is not a number of seconds (0..3600)", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			if (c >= 256 && cli && cli->on_option) {
				rc = cli->on_option(cli->ctx, c, optarg);
				if (rc)
					return rc;
				break;
			}
			goto bad;
		}
	}
	if (cli && cli->on_args)
		return cli->on_args(cli->ctx, argc - optind, argv + optind, req);
	if (optind < argc) {
		msg_error("unexpected argument \"%s\"", argv[optind]);
		goto bad;
	}
	return 0;
bad:
	fprintf(stderr, "usage: %s\n", usage);
	return EXIT_USAGE;
}

int op_command(const struct cmd_ctx *ctx, int argc, char **argv, struct op_request *req,
	       const char *usage, const struct op_cli *cli)
{
	struct op_outcome out = { 0 };
	struct me me;
	int json = 0, ret, rc;

	ret = parse(ctx, argc, argv, req, usage, cli, &json);
	if (ret == 0 && cli && cli->prepare)
		ret = cli->prepare(cli->ctx, req);
	if (ret)
		goto done;
	ret = cmd_open_me(ctx, &me, json);
	if (ret)
		goto done;
	rc = op_run(&me, req, &out);
	if (rc < 0) {
		ret = cmd_me_failed(ctx, &me, rc, "reading the state before the change");
		if (json)
			cmd_print_json_error(ret, me.err[0] ? me.err : strerror(-rc));
	} else if (json) {
		cJSON *doc = op_json(req, &out);

		if (cli && cli->decorate)
			cli->decorate(cli->ctx, doc, &out);
		cmd_print_json(doc);
		print_message(&out);
		ret = op_exit_code(&out);
	} else {
		op_print_text(req, &out);
		if (cli && cli->print_text)
			cli->print_text(cli->ctx, &out);
		ret = op_exit_code(&out);
	}
	op_outcome_free(&out);
	me_close(&me);
done:
	if (cli && cli->cleanup)
		cli->cleanup(cli->ctx);
	return ret < 0 ? EXIT_OK : ret;
}

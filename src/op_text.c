// SPDX-License-Identifier: MIT
/* The outcome of a write operation for people: stdout, and one message on stderr. */
#include <stdio.h>
#include <string.h>

#include "amt.h"
#include "amt_status.h"
#include "msg.h"
#include "op.h"
#include "op_render.h"
#include "os.h"

static void print_rule(const struct op_outcome *out, bool force_hint)
{
	printf("  rule: %s\n", out->rule.rule);
	if (out->rule.source[0])
		printf("  source: %s\n", out->rule.source);
	if (out->rule.hint[0] || force_hint)
		printf("  hint: %s%s%s\n", out->rule.hint, out->rule.hint[0] && force_hint ? "; " : "",
		       force_hint ? "--force sends it anyway" : "");
}

/* The TLS mode query answers "not ready" after the write: the firmware has no key pair. */
static bool key_gone(const struct op_outcome *out)
{
	for (size_t i = 0; i < out->change_count; i++)
		if (strcmp(out->changes[i].item, "provisioning.tls_mode") == 0 &&
		    strcmp(out->changes[i].after, amt_tls_mode_name(AMT_TLS_MODE_NOT_READY)) == 0)
			return true;
	return false;
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
	if (req->op == OP_UNPROVISION && key_gone(out))
		printf("  the firmware has no key pair now: it makes a new one at the next start "
		       "of the hellos, which may take minutes (start-config --wait, or the "
		       "profile's \"key_wait_s\", waits for it)\n");
}

void op_print_message(const struct op_outcome *out)
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
		msg_error("%s: %s", out->command, out->err.msg);
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
		       out->would_send, op_expected_change(req->op));
		if (out->rule.verdict == RULE_MAYBE)
			print_rule(out, false);
		break;
	case OP_FAILED:
		printf("%s: failed: %s\n", name, out->err.msg);
		break;
	}
	op_print_message(out);
	for (size_t i = 0; i < out->change_count; i++)
		printf("  %s: %s -> %s\n", out->changes[i].item,
		       out->changes[i].before[0] ? out->changes[i].before : "(none)",
		       out->changes[i].after[0] ? out->changes[i].after : "(none)");
	if (req->show_otp && req->otp && out->kind == OP_DONE)
		printf("  otp: %s\n", req->otp->buf);
	if (req->otp_file && out->kind == OP_DONE)
		printf("  otp written to %s (%s)\n", req->otp_file, os_hint(OS_HINT_PRIVATE));
}

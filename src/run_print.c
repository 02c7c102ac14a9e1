// SPDX-License-Identifier: MIT
/* `amtact run` for people: what was found, what was done, where the report went, what next. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "amt.h"
#include "amt_status.h"
#include "diag_int.h"
#include "exitcodes.h"
#include "msg.h"
#include "run_deliver.h"

static const char *shown(const char *s)
{
	return s[0] ? s : "(none)";
}

/* Whether op_run gave a firmware status (answered, or predicted by the rules). */
static bool has_status(const struct run_action *a)
{
	return !a->skipped && (a->out.kind == OP_DONE || a->out.kind == OP_REFUSED ||
			       a->out.kind == OP_PREDICTED_REFUSAL);
}

static void print_action(const struct run_action *a)
{
	const char *status = amt_status_name(a->out.fw_status);
	char why[200];
	const char *reason = run_reason_text(a, why, sizeof(why));

	msg_out("  %-18s %s", rules_op_name(a->req.op), run_action_outcome(a));
	if (has_status(a) && strcmp(status, "SUCCESS") != 0)
		msg_out(" (%s)", status);
	if (reason)
		msg_out(": %s", reason);
	msg_out("\n");
	if (!a->skipped && a->out.kind == OP_DRY_RUN)
		msg_out("  %-18s   would send: %s\n", "", a->out.would_send);
	for (size_t i = 0; !a->skipped && i < a->out.change_count; i++) {
		const struct op_change *c = &a->out.changes[i];

		msg_out("  %-18s   %s: %s -> %s\n", "", c->item, c->before[0] ? c->before : "(none)",
		       c->after[0] ? c->after : "(none)");
	}
}

/* The state in the "Found:" line: anything but in provisioning or provisioned reads "not
 * provisioned", as the line always said (also when the state could not be read). */
static const char *prov_state_words(enum amt_prov_state v)
{
	if (v != AMT_PROV_STATE_IN && v != AMT_PROV_STATE_POST)
		v = AMT_PROV_STATE_PRE;
	return amt_prov_state_text(v);
}

static void print_found(const struct run *r)
{
	const struct me_info *in = r->first;
	const char *version = "(version unknown)";
	char uuid[37];

	if (r->found_disabled)
		msg_out("Found: Intel AMT is disabled\n");
	if (r->me_rc == -ENODATA)
		return;
	if (r->me_rc < 0) {
		msg_out("Found: no usable ME: %s\n", r->me_err.msg);
		return;
	}
	amt_uuid_str(in->uuid, uuid);
	for (uint32_t i = 0; i < in->versions.count && i < AMT_VERSIONS_MAX; i++)
		if (strcmp(in->versions.v[i].desc, "AMT") == 0)
			version = in->versions.v[i].ver;
	/* An empty value reads "(none)", as in info, diagnose and the changes below. */
	msg_out("%s AMT %s, %s, control mode %s, zero touch %s, PKI DNS suffix %s%s%s\n",
		r->found_disabled ? "Enabled:" : "Found:", version,
		prov_state_words(in->prov_state), amt_control_mode_name(in->control_mode),
		in->zero_touch ? "enabled" : "disabled", in->pki_suffix[0] ? "\"" : "",
		in->pki_suffix[0] ? in->pki_suffix : "(none)", in->pki_suffix[0] ? "\"" : "");
	msg_out("       UUID %s%s\n", uuid, amt_uuid_invalid(in->uuid) ? " (INVALID)" : "");
}

/* The SMBIOS system UUID identifies the box when the ME cannot (no AMT, a placeholder). */
static void print_identity(const struct run *r)
{
	const char *smbios = r->facts.v[RUN_FACT_SMBIOS_UUID];
	const char *problem = run_identity_text(run_facts_identity(&r->facts, r->info));

	msg_out("       SMBIOS system UUID %s\n", smbios[0] ? smbios : "unknown");
	if (problem)
		msg_out("       %s\n", problem);
}

static void print_changes(const struct run *r)
{
	if (!r->change_count)
		return;
	msg_out("Changed since report %s:\n", r->st.reported_id);
	for (size_t i = 0; i < r->change_count; i++) {
		const struct run_fact_change *c = &r->changes[i];

		msg_out("  %-18s %s -> %s\n", run_fact_key(c->fact), c->old[0] ? c->old : "(none)",
		       c->now[0] ? c->now : "(none)");
	}
}

/* The names side by side, then each check that is not ok. */
static void print_checks(const struct run *r)
{
	const struct diag_ctx *d = r->pre;

	if (!d)
		return;
	if (d->used[0])
		msg_out("Names: the firmware uses \"%s\" (%s): it looks up ProvisionServer.%s\n",
		       d->used, d->src == DIAG_SUFFIX_DHCP ? "DHCP option 15" : d->pki_set[0] ?
		       "the PKI DNS suffix the profile sets" : "its PKI DNS suffix", d->used);
	else
		msg_out("Names: the firmware has no DNS suffix: it looks up a bare "
		       "ProvisionServer\n");
	msg_out("       OS host %s, FQDN %s, DNS suffix %s; AMT FQDN %s; PKI DNS suffix %s; "
	       "DHCP option 15 %s\n", shown(d->os_host), shown(d->os_fqdn), shown(d->os),
	       shown(d->amt_fqdn), shown(d->pki), shown(d->dhcp));
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_check *c = &d->c[i];

		if (c->result == DIAG_OK)
			continue;
		msg_out("%s %s: %s", c->result == DIAG_WARN ? "Check:" : r->checked ? "Blocked:" :
		       "Fails:", c->id, c->message);
		if (c->hint[0])
			msg_out(" (%s)", c->hint);
		msg_out("\n");
	}
}

/* A hello restart while the firmware still makes its key: what happens without us. */
static void print_key_next(const struct run *r)
{
	for (size_t i = 0; i < r->action_count; i++) {
		const struct run_action *a = &r->actions[i];

		if (a->skipped || a->req.op != OP_START_CONFIG || !a->out.key_pending)
			continue;
		if (a->out.key_ready)
			msg_out("      the firmware's key is ready: the hello packets are going out\n");
		else
			msg_out("      the firmware is still generating its key (usually minutes); it\n"
				"      starts the hello packets by itself once the key is made, with\n"
				"      nothing more to run (\"key_wait_s\" in the profile waits for "
				"it)\n");
	}
}

/* What happens next, in one or two lines for the person who reads the console. */
static void print_next(const struct run *r, const struct run_delivery *d, int code)
{
	enum run_next n = run_next(r, d, code);
	char text[1200];

	run_next_text(r, n, text, sizeof(text));
	msg_out("Next: %s\n", text);
	print_key_next(r);
	/* These say where the report stands themselves. */
	if (n >= RUN_NEXT_READY && n <= RUN_NEXT_REPORT_FILE && n != RUN_NEXT_OTP_NOT_SET)
		return;
	if (d->outcome == RUN_QUEUED)
		msg_out("      the report is sent at the next run (or: amtact report --flush "
		       "--profile %s)\n", r->prof.path);
	else if (d->outcome == RUN_DEAD || d->outcome == RUN_NOT_SAVED)
		msg_out("      the report did not reach the server: see the message above\n");
}

/* "Report: delivered to ...": the outcome's name only when the message does not say it. */
static void print_report(const struct run_delivery *d)
{
	const char *name = run_delivery_outcome_name(d->outcome);
	size_t n = strlen(name), i;

	for (i = 0; i < n && d->message[i]; i++)
		if (d->message[i] != (name[i] == '_' ? ' ' : name[i]))
			break;
	if (i == n && (d->message[n] == ' ' || d->message[n] == ':' || !d->message[n]))
		msg_out("Report: %s\n", d->message);
	else
		msg_out("Report: %s: %s\n", name, d->message);
}

void run_print(const struct run *r, const struct run_delivery *d, int code, int json)
{
	if (json) {
		run_print_json(r, d, code);
		return;
	}
	msg_out("amtact run: profile %s, run %s%s\n", r->prof.name, r->id,
	       r->dry_run ? " (dry run)" : "");
	print_found(r);
	print_identity(r);
	print_changes(r);
	print_checks(r);
	msg_out("Did:%s\n", r->action_count ? "" : " nothing");
	for (size_t i = 0; i < r->action_count; i++)
		print_action(&r->actions[i]);
	print_report(d);
	if (!r->dry_run)
		print_next(r, d, code);
	msg_out("Result: %s (exit %d)\n", code == EXIT_OK ? "done" : amtact_exit_meaning(code),
	       code);
}

// SPDX-License-Identifier: MIT
/* `amtact run`: the prerequisites before acting, and what comes next, told truthfully. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "amt.h"
#include "diag_int.h"
#include "exitcodes.h"
#include "prereq.h"
#include "run_deliver.h"

/*
 * The checks look at two things beyond the facts the run read first: the TLS mode, and
 * the wireless LAN when the wired link is not up. Only those are asked (a quiet boot of a
 * box in provisioning stays near the floor); everything is there once the run acted.
 */
static void read_for_checks(struct run *r)
{
	const struct me_info *in = r->first;

	if (r->me_complete || r->me_rc != 0)
		return;
	me_read_item(&r->me, r->first, ME_INFO_TLS_MODE);
	if (in->lan_item[0].state != ME_ITEM_OK || !in->lan[0].link_up)
		me_read_item(&r->me, r->first, ME_INFO_LAN_WIRELESS);
}

void run_prereqs(struct run *r, bool acting)
{
	struct prereq_want want = { r->prof.method, r->prof.zero_touch, r->prof.pki_dns_suffix };

	if (acting)
		read_for_checks(r);
	r->pre = prereq_ctx_new();
	if (!r->pre)
		return;
	prereq_names(r->pre, r->first, acting ? r->prof.pki_dns_suffix : NULL);
	if (acting)
		prereq_check(r->pre, r->first, &want);
	diag_check_suffixes(r->pre);
	/* Opt-in: a boot should not wait for DNS unless the profile wants this evidence. */
	if (acting && r->prof.check_provision_server)
		diag_check_provision_server(r->pre, DIAG_RESOLVE_TIMEOUT_MS);
	r->checked = acting;
	r->blocked = acting && prereq_first_blocking(r->pre) >= 0;
}

const char *run_blocker(const struct run *r, const char **message)
{
	int i = r->blocked && r->pre ? prereq_first_blocking(r->pre) : -1;

	if (i < 0)
		return NULL;
	if (message)
		*message = r->pre->c[i].message;
	return r->pre->c[i].id;
}

const char *run_next_name(enum run_next n)
{
	static const char *const names[] = {
		[RUN_NEXT_NONE] = "none",
		[RUN_NEXT_NO_ME] = "no_me",
		[RUN_NEXT_ENABLE_AMT] = "enable_amt",
		[RUN_NEXT_FIX_REFUSED] = "fix_refused",
		[RUN_NEXT_PROVISIONED] = "provisioned",
		[RUN_NEXT_BLOCKED] = "blocked",
		[RUN_NEXT_READY] = "ready",
		[RUN_NEXT_OTP_NOT_SET] = "otp_not_set",
		[RUN_NEXT_REPORT_WAITING] = "report_waiting",
		[RUN_NEXT_REPORT_NOT_DELIVERED] = "report_not_delivered",
		[RUN_NEXT_REPORT_FILE] = "report_file",
		[RUN_NEXT_WAIT] = "wait",
	};

	return (unsigned)n < sizeof(names) / sizeof(names[0]) ? names[n] : "unknown";
}

/* The hellos run now: in provisioning, in a window this run or an earlier one saw open. */
static bool hellos_running(const struct run *r)
{
	if (r->info->prov_state != AMT_PROV_STATE_IN)
		return false;
	if (run_state_hello_until(&r->st) > r->now)
		return true;
	for (size_t i = 0; i < r->action_count; i++)
		if (r->actions[i].reason == RUN_REASON_WINDOW_STILL_OPEN ||
		    r->actions[i].reason == RUN_REASON_HELLOS_RUNNING ||
		    r->actions[i].reason == RUN_REASON_HELLO_WINDOW_OPEN)
			return true;
	return false;
}

/*
 * The firmware holds the OTP the profile asks for: set now, or skipped because this agent
 * set it when it opened the window that is still open (or the profile sets none).
 */
static bool otp_in_place(const struct run *r)
{
	if (r->prof.otp.policy == PROFILE_OTP_NONE || r->otp_sent)
		return true;
	for (size_t i = 0; i < r->action_count; i++)
		if (r->actions[i].req.op == OP_SET_OTP &&
		    r->actions[i].reason == RUN_REASON_OTP_WINDOW_OPEN)
			return true;
	return false;
}

/* Where the report stands once the hellos run: only a server that has it can act. */
static enum run_next report_next(const struct run *r, const struct run_delivery *d)
{
	switch (d->outcome) {
	case RUN_DELIVERED:
		return RUN_NEXT_READY;
	case RUN_QUIET:
		if (r->prof.server.present)
			return d->waiting ? RUN_NEXT_REPORT_WAITING : RUN_NEXT_READY;
		return r->prof.report_file ? RUN_NEXT_REPORT_FILE : RUN_NEXT_REPORT_WAITING;
	case RUN_QUEUED:
		return RUN_NEXT_REPORT_WAITING;
	case RUN_WRITTEN:
		return RUN_NEXT_REPORT_FILE;
	default:
		return RUN_NEXT_REPORT_NOT_DELIVERED;
	}
}

enum run_next run_next(const struct run *r, const struct run_delivery *d, int code)
{
	const struct me_info *in = r->info;

	if (r->dry_run)
		return RUN_NEXT_NONE;
	if (r->me_rc < 0 && r->me_rc != -ENODATA)
		return RUN_NEXT_NO_ME;
	if (r->me_rc == -ENODATA || in->amt_disabled)
		return RUN_NEXT_ENABLE_AMT;
	if (code == EXIT_REFUSED || code == EXIT_FIRMWARE)
		return RUN_NEXT_FIX_REFUSED;
	if (in->prov_state == AMT_PROV_STATE_POST)
		return RUN_NEXT_PROVISIONED;
	if (r->blocked)
		return RUN_NEXT_BLOCKED;
	if (hellos_running(r))
		return otp_in_place(r) ? report_next(r, d) : RUN_NEXT_OTP_NOT_SET;
	return RUN_NEXT_WAIT;
}

/* "ProvisionServer.<the suffix the firmware uses>". */
static void hello_target(const struct run *r, char *buf, size_t cap)
{
	const char *suffix = r->pre && r->pre->used[0] ? r->pre->used : r->info->pki_suffix;

	snprintf(buf, cap, "ProvisionServer.%s", suffix[0] ? suffix : "<DHCP option 15 domain>");
}

static void hellos_text(const struct run *r, char *buf, size_t cap)
{
	time_t until = (time_t)run_state_hello_until(&r->st);
	char target[300], stamp[32];
	struct tm tm;

	hello_target(r, target, sizeof(target));
	if (until > r->now) {
		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M UTC", gmtime_r(&until, &tm));
		snprintf(buf, cap, "the box sends hello packets to %s until about %s", target,
			 stamp);
	} else {
		snprintf(buf, cap, "the box sends hello packets to %s until its window closes",
			 target);
	}
}

void run_next_text(const struct run *r, enum run_next n, char *buf, size_t cap)
{
	const char *what = r->otp_sent || r->prof.otp.policy != PROFILE_OTP_NONE ?
			   "the OTP" : "this box's report";
	const char *why = "";
	char hellos[400];

	buf[0] = '\0';
	if (n >= RUN_NEXT_READY && n <= RUN_NEXT_REPORT_FILE)
		hellos_text(r, hellos, sizeof(hellos));
	switch (n) {
	case RUN_NEXT_NO_ME:
		if (r->no_device)
			snprintf(buf, cap, "nothing amtact can do on this machine: %s",
				 medev_text(&r->medev, hellos, sizeof(hellos)));
		else
			snprintf(buf, cap, "nothing amtact can do on this machine: %s",
				 r->me_err.msg);
		break;
	case RUN_NEXT_ENABLE_AMT:
		snprintf(buf, cap, "enable Intel AMT in the BIOS/MEBx%s", r->prof.enable_amt ? "" :
			 ", or set \"enable_amt\": true in the profile");
		break;
	case RUN_NEXT_FIX_REFUSED:
		snprintf(buf, cap, "see what was refused above; fix the profile or the box and "
			 "run again");
		break;
	case RUN_NEXT_PROVISIONED:
		snprintf(buf, cap, "nothing: the box is provisioned (control mode %s)",
			 amt_control_mode_name(r->info->control_mode));
		break;
	case RUN_NEXT_BLOCKED:
		run_blocker(r, &why);
		snprintf(buf, cap, "nothing can provision this box until this is fixed: %s", why);
		break;
	case RUN_NEXT_READY:
		snprintf(buf, cap, "%s;\n      the provisioning server can now configure it",
			 hellos);
		break;
	case RUN_NEXT_OTP_NOT_SET:
		snprintf(buf, cap, "%s (opened elsewhere);\n      but this run could not give the "
			 "firmware the profile's OTP while that window is open: the provisioning "
			 "server can configure it only if it knows the OTP the firmware holds, if "
			 "any", hellos);
		break;
	case RUN_NEXT_REPORT_WAITING:
		snprintf(buf, cap, "%s;\n      but the server does not have %s yet: the report "
			 "waits in the spool (sent at the next run, or: amtact report --flush)",
			 hellos, what);
		break;
	case RUN_NEXT_REPORT_NOT_DELIVERED:
		snprintf(buf, cap, "%s;\n      but the server does not have %s: the report did "
			 "not reach it (see the message above)", hellos, what);
		break;
	case RUN_NEXT_REPORT_FILE:
		snprintf(buf, cap, "%s;\n      hand the report (%s) to the provisioning side",
			 hellos, r->prof.report_file ? r->prof.report_file : "the spool");
		break;
	case RUN_NEXT_WAIT:
		snprintf(buf, cap, "nothing until the next run");
		break;
	default:
		break;
	}
}

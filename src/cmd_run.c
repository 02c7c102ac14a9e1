// SPDX-License-Identifier: MIT
/* `amtact run --profile NAME`: the boot-time job: read, decide, act, re-read, report. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "amt.h"
#include "cmd_common.h"
#include "json_out.h"
#include "cmds.h"
#include "exitcodes.h"
#include "msg.h"
#include "os.h"
#include "run.h"
#include "run_deliver.h"
#include "run_otp.h"
#include "run_report.h"
#include "sysinfo.h"

#define USAGE "amtact run --profile NAME|FILE [--system-name NAME] [--dry-run] [--json]"

struct run_args {
	const struct cmd_ctx *ctx;
	const char *profile;
	const char *system_name;
	int json;
};

static int parse_args(int argc, char **argv, struct run_args *a, struct run *r)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "system-name", required_argument, NULL, 'n' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	a->json = a->ctx->json;
	while ((c = getopt_long(argc, argv, "p:n:djh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': a->profile = optarg; break;
		case 'n': a->system_name = optarg; break;
		case 'd': r->dry_run = true; break;
		case 'j': a->json = 1; break;
		case 'h': printf("usage: %s\n", USAGE); return -1;
		default: goto usage;
		}
	}
	if (optind < argc) {
		msg_error("unexpected argument \"%s\"", argv[optind]);
		goto usage;
	}
	if (!a->profile) {
		msg_error("--profile is missing: which profile to run");
		goto usage;
	}
	return 0;
usage:
	fprintf(stderr, "usage: %s\n", USAGE);
	return EXIT_USAGE;
}

static int load_profile(struct run *r, const char *name, int json)
{
	struct profile_load_opts opts = { os_privileged(), 0 };
	char err[512];
	int rc = profile_load(&r->prof, name, err, sizeof(err));

	if (rc == 0) {
		rc = profile_check_files(&r->prof, &opts, err, sizeof(err));
		/* A rehearsal on another machine need not have the server's files: say so. */
		if (rc < 0 && r->dry_run) {
			msg_warn("profile: %s (a real run would stop here)", err);
			rc = 0;
		}
	}
	if (rc == 0)
		return 0;
	msg_error("profile: %s", err);
	rc = rc == -EACCES ? EXIT_PERMISSION : EXIT_BAD_INPUT;
	if (json)
		json_out_error(rc, err);
	return rc;
}

/* The technician types the name only when the profile says so and stdin is a terminal. */
static int ask_name(struct run *r)
{
	char line[256], why[160];
	size_t len;

	if (!os_stdin_is_console()) {
		msg_error("the profile asks the technician for the system name, but standard input "
			  "is not a terminal (give --system-name NAME, or use another profile)");
		return EXIT_BAD_INPUT;
	}
	for (int tries = 0; tries < 3; tries++) {
		fprintf(stderr, "System name: ");
		fflush(stderr);
		if (!fgets(line, sizeof(line), stdin))
			break;
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (profile_check_dns_name(line, 63, why, sizeof(why)) == 0) {
			snprintf(r->system_name, sizeof(r->system_name), "%s", line);
			return 0;
		}
		fprintf(stderr, "amtact: run: \"%s\" is not a usable name: %s\n", line, why);
	}
	msg_error("no usable system name was typed");
	return EXIT_BAD_INPUT;
}

static int system_name(struct run *r, const char *given)
{
	struct sysinfo_names n;
	char why[160];

	if (given) {
		if (profile_check_dns_name(given, 63, why, sizeof(why)) != 0) {
			msg_error("--system-name \"%s\": %s", given, why);
			return EXIT_USAGE;
		}
		snprintf(r->system_name, sizeof(r->system_name), "%s", given);
		return 0;
	}
	sysinfo_names(&n);
	switch (r->prof.system_name.source) {
	case PROFILE_NAME_FIXED:
		snprintf(r->system_name, sizeof(r->system_name), "%s", r->prof.system_name.value);
		return 0;
	case PROFILE_NAME_HOSTNAME_SHORT:
		snprintf(r->system_name, sizeof(r->system_name), "%s", n.short_name);
		return 0;
	case PROFILE_NAME_ASK:
		return ask_name(r);
	default:
		snprintf(r->system_name, sizeof(r->system_name), "%s", n.hostname);
		return 0;
	}
}

static void open_logs(struct run *r)
{
	int rc;

	msg_set_run_id(r->id);
	if (r->prof.log.file) {
		rc = msg_open_log_file(r->prof.log.file, r->prof.log.level);
		if (rc < 0)
			msg_warn("log file %s: %s (logging to stderr only)", r->prof.log.file,
				 rc == -EINVAL ? "not a regular file" : rc == -EPERM &&
				 !os_path_refusal()[0] ? os_hint(OS_HINT_LOG) : rc == -EPERM ||
				 rc == -ELOOP ? os_path_refusal() : strerror(-rc));
	}
	if (r->prof.log.syslog)
		msg_open_syslog(r->prof.log.level);
}

/*
 * No ME device at all (no /dev/mei0, no HECI device; a --device path that is not there):
 * look at the system's PCI devices to tell whether the machine has no ME, or an ME without
 * its driver.
 */
static void note_no_device(struct run *r, const struct cmd_ctx *ctx)
{
	char text[300];

	if (!cmd_no_device(ctx, r->me_rc, &r->medev))
		return;
	r->no_device = true;
	msg_info("why there is no ME device: %s", medev_text(&r->medev, text, sizeof(text)));
}

/* Read the ME; on failure keep going so the report still says what happened. */
static void read_me(struct run *r, const struct cmd_ctx *ctx)
{
	r->first = calloc(1, sizeof(*r->first));
	if (!r->first) {
		r->me_rc = -ENOMEM;
		return;
	}
	r->me_rc = me_open(&r->me, ctx->device, ctx->timeout_ms);
	/*
	 * The facts first: a boot where none changed and nothing is to be done asks no more.
	 * An older agent's state file decides by a digest of the whole state: read it all.
	 */
	r->me_complete = !r->st.reported.known;
	if (r->me_rc == 0)
		r->me_rc = r->me_complete ? me_read(&r->me, r->first, ME_READ_FULL) :
					    me_read_facts(&r->me, r->first);
	if (r->me_rc == -ENOTTY)
		err_set(&r->me_err, r->me_rc, "this ME has no AMT host interface");
	else if (r->me_rc == -ENODATA)
		err_set(&r->me_err, r->me_rc, "AMT is disabled");
	else if (r->me_rc < 0 && r->me.err.msg[0])
		r->me_err = r->me.err;
	else if (r->me_rc < 0)
		err_set(&r->me_err, r->me_rc, "%s", strerror(-r->me_rc));
	r->me_err.code = r->me_rc;
	r->found_disabled = r->me_rc == -ENODATA;
	note_no_device(r, ctx);
}

static void reread_me(struct run *r)
{
	r->info = r->first;
	if (!r->acted || r->dry_run)
		return;
	r->info = calloc(1, sizeof(*r->info));
	/*
	 * Each write was followed by a read of the state it can change (r->cur); the rest
	 * (UUID, LAN, hashes...) no write of run touches, so it is not asked for again.
	 */
	if (r->info && r->cur) {
		memcpy(r->info, r->first, sizeof(*r->info));
		me_info_merge_state(r->info, r->cur);
		return;
	}
	if (!r->info || me_read(&r->me, r->info, ME_READ_FULL) < 0) {
		msg_warn("re-reading the ME after the changes failed: %s", r->me.err.msg);
		free(r->info);
		r->info = r->first;
	}
}

static void note_unprovisioned(struct run *r)
{
	const struct me_info *in = r->first;

	if (r->me_rc != 0 || in->prov_state_item.state != ME_ITEM_OK)
		return;
	if (strcmp(r->st.last_prov_state, amt_prov_state_name(AMT_PROV_STATE_POST)) == 0 &&
	    in->prov_state != AMT_PROV_STATE_POST) {
		r->unprovisioned_since = true;
		/* A full unprovision restores the factory setting: the next start opens the
		 * firmware's first window, 24 h (doc/remote-config.md 2.5). What this agent
		 * remembers of its earlier starts no longer says anything. */
		r->st.hello_started_at = 0;
		r->st.hello_starts = 0;
		msg_warn("AMT was provisioned at the last run and is not now: acting again");
	}
}

/*
 * A box without AMT, or with AMT off, exits 7 when it is reported, and one without an ME
 * device at all (no ME, or no driver) exits 3; both exit quietly (13, or what flushing the
 * spool gave) once that report is sent: on a mixed fleet the boot job must not fail at
 * every boot of a box that cannot do otherwise.
 */
static int exit_code(const struct run *r, const struct cmd_ctx *ctx,
		     const struct run_delivery *d, int deliver_code)
{
	if (r->me_rc == -ENOTTY || r->me_rc == -ENODATA)
		return r->acted || d->outcome == RUN_QUIET ? deliver_code : EXIT_NO_AMT;
	if (r->no_device)
		return d->outcome == RUN_QUIET ? deliver_code : EXIT_NO_DEVICE;
	if (r->me_rc < 0)
		return cmd_exit_for(ctx->device, r->me_rc);
	if (r->failed)
		return EXIT_FIRMWARE;
	if (r->refused)
		return EXIT_REFUSED;
	/* Blocked says more than "done" or "queued"; a report that cannot be kept says more. */
	if (r->blocked && (deliver_code == EXIT_OK || deliver_code == EXIT_QUEUED ||
			   deliver_code == EXIT_NOTHING_TO_DO))
		return EXIT_BLOCKED;
	return deliver_code;
}

/*
 * Save what this run leaves for the next one. The new memory is a copy: the output still
 * shows what changed since the last report (r->changes points into r->st) and which one.
 */
static void finish_state(struct run *r, const struct run_delivery *d)
{
	const struct me_info *in = r->info;
	struct run_state *st;
	int rc;

	if (r->dry_run)
		return;
	st = malloc(sizeof(*st));
	if (!st) {
		run_error(r, "state", "saving %s/state.json failed: out of memory", r->prof.state_dir);
		return;
	}
	*st = r->st;
	st->last_run = r->now;
	if (r->me_rc == 0 && in->prov_state_item.state == ME_ITEM_OK)
		snprintf(st->last_prov_state, sizeof(st->last_prov_state), "%s",
			 amt_prov_state_name(in->prov_state));
	if (d->saved) {
		snprintf(st->reported_fingerprint, sizeof(st->reported_fingerprint), "%s",
			 d->fingerprint);
		snprintf(st->reported_id, sizeof(st->reported_id), "%s", r->id);
	}
	/* An older agent's file has no facts: keep today's, or no change would be seen. */
	if (d->saved || !st->reported.known)
		st->reported = r->facts;
	rc = run_state_save(st, r->prof.state_dir);
	free(st);
	if (rc < 0)
		run_error(r, "state", "saving %s/state.json failed: %s", r->prof.state_dir,
			  strerror(-rc));
}

static int run_locked(struct run *r, const struct run_args *a)
{
	struct run_delivery d = { 0 };
	char err[512] = "";
	int rc, code;

	rc = run_state_load(&r->st, r->prof.state_dir, err, sizeof(err));
	if (rc < 0)
		msg_warn("%s: starting with no memory of earlier runs", err[0] ? err :
			 strerror(-rc));
	read_me(r, a->ctx);
	note_unprovisioned(r);
	run_otp_recover(r);
	if (r->me_rc == 0 || r->me_rc == -ENODATA)
		run_actions(r);
	r->info = r->first;
	if (r->me_rc == 0 || r->acted)
		reread_me(r);
	code = run_deliver(r, &d);
	finish_state(r, &d);
	code = exit_code(r, a->ctx, &d, code);
	run_print(r, &d, code, a->json);
	return code;
}

static const char *lock_error(int rc)
{
	static char text[700];

	if (rc == -EBUSY)
		return "another amtact run is still working (try again later)";
	if (rc == -EPERM || rc == -ELOOP) {
		snprintf(text, sizeof(text), "the state directory is not safe: %s (%s)",
			 os_path_refusal(), os_hint(OS_HINT_PATH));
		return text;
	}
	return strerror(-rc);
}

/* One line in the logs per run, whatever their level: how it ended and, if badly, why. */
static void log_result(const struct run *r, int code)
{
	bool failed = amtact_exit_is_error(code);
	const char *why = msg_first_error();

	if (!why[0] && r->me_rc < 0)
		why = r->me_err.msg;
	msg_log_result(failed, "result: %s (exit %d)%s%s", code == EXIT_OK ? "done" :
		       amtact_exit_meaning(code), code, failed && why[0] ? ": " : "",
		       failed ? why : "");
}

int cmd_run(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct run *r = calloc(1, sizeof(*r));
	struct run_args a = { .ctx = ctx };
	int ret = EXIT_FAILURE_INTERNAL, lock = -1;

	if (!r)
		return ret;
	secret_init(&r->otp);
	r->now = (int64_t)time(NULL);
	ret = parse_args(argc, argv, &a, r);
	if (ret)
		goto out;
	ret = load_profile(r, a.profile, a.json);
	if (ret)
		goto out;
	ret = EXIT_FAILURE_INTERNAL;
	if (run_report_new_id(r->id) < 0) {
		msg_error("making the run id: no random bytes from the kernel: %s",
			  strerror(errno));
		goto out;
	}
	open_logs(r);
	ret = system_name(r, a.system_name);
	if (ret)
		goto out;
	/* A dry run changes nothing and saves nothing: it needs no lock (nor the directory). */
	lock = r->dry_run ? -ENOLCK : run_lock_take(r->prof.state_dir, r->prof.lock_timeout_ms);
	if (lock < 0 && lock != -ENOLCK) {
		ret = lock == -EBUSY ? EXIT_BUSY : EXIT_PERMISSION;
		msg_error("%s/run.lock: %s", r->prof.state_dir, lock_error(lock));
		if (a.json)
			json_out_error(ret, lock_error(lock));
		goto out;
	}
	msg_info("run %s with profile %s", r->id, r->prof.name);
	ret = run_locked(r, &a);
out:
	run_lock_release(lock);
	me_close(&r->me);
	secret_wipe(&r->otp);
	free(r->otp_cms);
	if (r->info != r->first)
		free(r->info);
	free(r->cur);
	free(r->first);
	free(r->pre);
	run_errors_free(r);
	profile_free(&r->prof);
	log_result(r, ret < 0 ? EXIT_OK : ret);
	msg_close_logs();
	free(r);
	return ret < 0 ? EXIT_OK : ret;
}

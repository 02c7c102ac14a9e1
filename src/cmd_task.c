// SPDX-License-Identifier: MIT
/*
 * `amtact install-task` / `uninstall-task`: the boot-time run as a SYSTEM scheduled task, and
 * the task that retries the reports it left queued (include/task.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmds.h"
#include "exitcodes.h"
#include "json_out.h"
#include "msg.h"
#include "os.h"
#include "profile.h"
#include "task.h"

#define USAGE_INSTALL "amtact install-task --profile NAME [--print] [--json]"
#define USAGE_UNINSTALL "amtact uninstall-task --profile NAME [--print] [--json]"

struct task_args {
	const char *profile;
	int print;
	int json;
	char name[PROFILE_NAME_MAX + 16];
	char flush_name[PROFILE_NAME_MAX + 16];
	char exe[OS_PATH_MAX];
};

static int parse_args(const struct cmd_ctx *ctx, int argc, char **argv, const char *usage,
		      struct task_args *a)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "print", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	a->json = ctx->json;
	while ((c = getopt_long(argc, argv, "p:Pjh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': a->profile = optarg; break;
		case 'P': a->print = 1; break;
		case 'j': a->json = 1; break;
		case 'h': printf("usage: %s\n", usage); return -1;
		default: goto usage;
		}
	}
	if (optind < argc || !a->profile)
		goto usage;
	if (task_name(TASK_BOOT, a->profile, a->name, sizeof(a->name)) < 0 ||
	    task_name(TASK_FLUSH, a->profile, a->flush_name, sizeof(a->flush_name)) < 0) {
		msg_error("\"%s\" is not a profile name (letters, digits, '.', '_', '-'): the task "
			  "runs a profile from the profile folder by its name", a->profile);
		return EXIT_USAGE;
	}
	if (os_self_path(a->exe, sizeof(a->exe)) < 0) {
		msg_error("cannot tell where this program is");
		return EXIT_FAILURE_INTERNAL;
	}
	return 0;
usage:
	fprintf(stderr, "usage: %s\n", usage);
	return EXIT_USAGE;
}

/* lines: the two schtasks lines (boot, flush). */
static void print_result(const struct task_args *a, char lines[][OS_PATH_MAX + 256],
			 int installed)
{
	if (a->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "task", a->name);
		cJSON_AddStringToObject(doc, "flush_task", a->flush_name);
		cJSON_AddStringToObject(doc, "profile", a->profile);
		cJSON_AddStringToObject(doc, "program", a->exe);
		cJSON_AddStringToObject(doc, "schtasks", lines[TASK_BOOT]);
		cJSON_AddStringToObject(doc, "flush_schtasks", lines[TASK_FLUSH]);
		cJSON_AddBoolToObject(doc, "installed", installed);
		cJSON_AddNumberToObject(doc, "exit_code", EXIT_OK);
		json_out_print(doc);
	} else if (installed) {
		printf("scheduled task %s: at every boot as SYSTEM, once a network is up:\n"
		       "  \"%s\" run --profile %s\n"
		       "scheduled task %s: every 5 minutes, sends the reports that wait in the "
		       "spool:\n  \"%s\" report --flush --profile %s\n", a->name, a->exe,
		       a->profile, a->flush_name, a->exe, a->profile);
	} else {
		printf("scheduled tasks %s and %s removed\n", a->name, a->flush_name);
	}
}

/* Not on this system: say what does the same job here. */
static int unsupported(void)
{
	if (os_tasks_supported())
		return 0;
	msg_error("scheduled tasks are a Windows feature; on Linux enable the systemd unit "
		  "amtact@NAME.service to run amtact at every boot (see amtact(8))");
	return EXIT_USAGE;
}

/* The profile must load as the boot-time run will load it, before a task depends on it. */
static int check_profile(const char *name)
{
	struct profile p;
	char err[512];
	int rc = profile_load(&p, name, err, sizeof(err));

	if (rc == 0) {
		profile_free(&p);
		return EXIT_OK;
	}
	msg_error("%s", err);
	return rc == -EACCES ? EXIT_PERMISSION : EXIT_BAD_INPUT;
}

static int task_failed(const char *what, int rc, int tool_rc)
{
	if (rc == -EACCES)
		msg_error("%s: access denied (run it as an administrator)", what);
	else if (tool_rc > 0)
		msg_error("%s: schtasks exited with %d (see its message above)", what, tool_rc);
	else
		msg_error("%s: %s", what, strerror(-rc));
	return rc == -EACCES ? EXIT_PERMISSION : EXIT_FAILURE_INTERNAL;
}

/* Both tasks' definitions and schtasks lines; 0, or -ENOMEM. */
static int task_texts(const struct task_args *a, char *xml[2], char lines[][OS_PATH_MAX + 256])
{
	for (int t = TASK_BOOT; t <= TASK_FLUSH; t++) {
		xml[t] = task_xml(t, a->exe, a->profile);
		if (!xml[t] || task_schtasks_line(t, a->exe, a->profile, lines[t],
						  sizeof(lines[t])) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* Both tasks, or neither: a boot task without its retries would leave reports behind. */
static int register_both(const struct task_args *a, char *xml[2])
{
	int rc, tool_rc = 0;

	rc = os_task_register(a->name, xml[TASK_BOOT], &tool_rc);
	if (rc < 0)
		return task_failed("registering the scheduled task", rc, tool_rc);
	rc = os_task_register(a->flush_name, xml[TASK_FLUSH], &tool_rc);
	if (rc < 0) {
		int ignored;

		os_task_unregister(a->name, &ignored);
		return task_failed("registering the task that retries queued reports", rc,
				   tool_rc);
	}
	return EXIT_OK;
}

int cmd_install_task(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct task_args a = { 0 };
	char lines[2][OS_PATH_MAX + 256], *xml[2] = { NULL, NULL };
	int ret;

	ret = parse_args(ctx, argc, argv, USAGE_INSTALL, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = EXIT_FAILURE_INTERNAL;
	if (task_texts(&a, xml, lines) < 0)
		goto out;
	if (a.print) {
		printf("%s\n\n%s\n%s\n\n%s", lines[TASK_BOOT], xml[TASK_BOOT], lines[TASK_FLUSH],
		       xml[TASK_FLUSH]);
		ret = EXIT_OK;
		goto out;
	}
	ret = unsupported();
	if (!ret)
		ret = check_profile(a.profile);
	if (!ret)
		ret = register_both(&a, xml);
	if (!ret)
		print_result(&a, lines, 1);
out:
	free(xml[TASK_BOOT]);
	free(xml[TASK_FLUSH]);
	return ret;
}

int cmd_uninstall_task(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct task_args a = { 0 };
	char lines[2][OS_PATH_MAX + 256];
	int ret, rc, tool_rc = 0;

	ret = parse_args(ctx, argc, argv, USAGE_UNINSTALL, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	snprintf(lines[TASK_BOOT], sizeof(lines[TASK_BOOT]), "schtasks /Delete /TN \"%s\" /F",
		 a.name);
	snprintf(lines[TASK_FLUSH], sizeof(lines[TASK_FLUSH]), "schtasks /Delete /TN \"%s\" /F",
		 a.flush_name);
	if (a.print) {
		printf("%s\n%s\n", lines[TASK_BOOT], lines[TASK_FLUSH]);
		return EXIT_OK;
	}
	ret = unsupported();
	if (ret)
		return ret;
	rc = os_task_unregister(a.name, &tool_rc);
	if (rc < 0)
		return task_failed("removing the scheduled task", rc, tool_rc);
	/* An installation from before the retry task has none to remove. */
	if (os_task_unregister(a.flush_name, &tool_rc) < 0)
		msg_warn("no task %s to remove", a.flush_name);
	print_result(&a, lines, 0);
	return EXIT_OK;
}

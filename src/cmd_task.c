// SPDX-License-Identifier: MIT
/* `amtact install-task` / `uninstall-task`: the boot-time run as a SYSTEM scheduled task. */
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
	if (task_name(a->profile, a->name, sizeof(a->name)) < 0) {
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

static void print_result(const struct task_args *a, const char *line, int installed)
{
	if (a->json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddStringToObject(doc, "task", a->name);
		cJSON_AddStringToObject(doc, "profile", a->profile);
		cJSON_AddStringToObject(doc, "program", a->exe);
		cJSON_AddStringToObject(doc, "schtasks", line);
		cJSON_AddBoolToObject(doc, "installed", installed);
		cJSON_AddNumberToObject(doc, "exit_code", EXIT_OK);
		json_out_print(doc);
	} else if (installed) {
		printf("scheduled task %s: at every boot as SYSTEM, once a network is up:\n"
		       "  \"%s\" run --profile %s\n", a->name, a->exe, a->profile);
	} else {
		printf("scheduled task %s removed\n", a->name);
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

int cmd_install_task(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct task_args a = { 0 };
	char line[OS_PATH_MAX + 256], *xml = NULL;
	int ret, rc, tool_rc = 0;

	ret = parse_args(ctx, argc, argv, USAGE_INSTALL, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	ret = EXIT_FAILURE_INTERNAL;
	xml = task_xml(a.exe, a.profile);
	if (!xml || task_schtasks_line(a.exe, a.profile, line, sizeof(line)) < 0)
		goto out;
	if (a.print) {
		printf("%s\n\n%s", line, xml);
		ret = EXIT_OK;
		goto out;
	}
	ret = unsupported();
	if (!ret)
		ret = check_profile(a.profile);
	if (ret)
		goto out;
	rc = os_task_register(a.name, xml, &tool_rc);
	if (rc < 0) {
		ret = task_failed("registering the scheduled task", rc, tool_rc);
		goto out;
	}
	print_result(&a, line, 1);
	ret = EXIT_OK;
out:
	free(xml);
	return ret;
}

int cmd_uninstall_task(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct task_args a = { 0 };
	char line[sizeof(a.name) + 32];
	int ret, rc, tool_rc = 0;

	ret = parse_args(ctx, argc, argv, USAGE_UNINSTALL, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	snprintf(line, sizeof(line), "schtasks /Delete /TN \"%s\" /F", a.name);
	if (a.print) {
		printf("%s\n", line);
		return EXIT_OK;
	}
	ret = unsupported();
	if (ret)
		return ret;
	rc = os_task_unregister(a.name, &tool_rc);
	if (rc < 0)
		return task_failed("removing the scheduled task", rc, tool_rc);
	print_result(&a, line, 0);
	return EXIT_OK;
}

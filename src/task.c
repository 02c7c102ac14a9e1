// SPDX-License-Identifier: MIT
/* The scheduled tasks' names, definitions and schtasks lines (include/task.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "task.h"

/* What tells the two tasks of a profile apart. */
struct task_kind {
	const char *suffix;	 /* after "amtact\NAME" */
	const char *what;	 /* the description, before the command */
	const char *arguments;	 /* before the profile's name */
	const char *trigger;	 /* the <Triggers> content */
	const char *time_limit;	 /* ExecutionTimeLimit */
	const char *schedule;	 /* schtasks's options for the same trigger */
};

static const struct task_kind kinds[] = {
	[TASK_BOOT] = {
		"", "Intel AMT activation at boot", "run",
		"    <BootTrigger>\n"
		"      <Enabled>true</Enabled>\n"
		"      <Delay>PT1M</Delay>\n"
		"    </BootTrigger>\n",
		"PT1H", "/SC ONSTART /DELAY 0001:00",
	},
	[TASK_FLUSH] = {
		TASK_FLUSH_SUFFIX, "Retry the queued Intel AMT activation reports", "report --flush",
		"    <BootTrigger>\n"
		"      <Enabled>true</Enabled>\n"
		"      <Delay>PT5M</Delay>\n"
		"      <Repetition>\n"
		"        <Interval>PT5M</Interval>\n"
		"      </Repetition>\n"
		"    </BootTrigger>\n",
		"PT10M", "/SC MINUTE /MO 5",
	},
};

int task_name(enum task_type type, const char *profile, char *out, size_t cap)
{
	if (profile_check_name(profile))
		return -EINVAL;
	if ((size_t)snprintf(out, cap, TASK_FOLDER "\\%s%s", profile, kinds[type].suffix) >= cap)
		return -ENAMETOOLONG;
	return 0;
}

/* exe with &, <, >, " and ' as XML entities; malloc'd. */
static char *xml_escape(const char *s)
{
	char *out = malloc(strlen(s) * 6 + 1), *p = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
				: *s == '"' ? "&quot;" : *s == '\'' ? "&apos;" : NULL;

		if (e) {
			memcpy(p, e, strlen(e));
			p += strlen(e);
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return out;
}

/* Arguments in order: what, arguments, profile; trigger; time limit; exe, arguments, profile. */
static const char xml_format[] =
	"<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
	"<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n"
	"  <RegistrationInfo>\n"
	"    <Description>%s: amtact %s --profile %s</Description>\n"
	"  </RegistrationInfo>\n"
	"  <Triggers>\n"
	"%s"
	"  </Triggers>\n"
	"  <Principals>\n"
	"    <Principal id=\"Author\">\n"
	"      <UserId>S-1-5-18</UserId>\n"
	"      <RunLevel>HighestAvailable</RunLevel>\n"
	"    </Principal>\n"
	"  </Principals>\n"
	"  <Settings>\n"
	"    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>\n"
	"    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>\n"
	"    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>\n"
	"    <StartWhenAvailable>true</StartWhenAvailable>\n"
	"    <RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>\n"
	"    <ExecutionTimeLimit>%s</ExecutionTimeLimit>\n"
	"    <Enabled>true</Enabled>\n"
	"  </Settings>\n"
	"  <Actions Context=\"Author\">\n"
	"    <Exec>\n"
	"      <Command>%s</Command>\n"
	"      <Arguments>%s --profile %s</Arguments>\n"
	"    </Exec>\n"
	"  </Actions>\n"
	"</Task>\n";

char *task_xml(enum task_type type, const char *exe, const char *profile)
{
	const struct task_kind *k = &kinds[type];
	char *esc = xml_escape(exe), *out = NULL;
	size_t cap;

	if (!esc)
		return NULL;
	cap = sizeof(xml_format) + strlen(k->what) + 2 * strlen(k->arguments) +
	      strlen(k->trigger) + strlen(k->time_limit) + strlen(esc) + 2 * strlen(profile);
	out = malloc(cap);
	if (out)
		snprintf(out, cap, xml_format, k->what, k->arguments, profile, k->trigger,
			 k->time_limit, esc, k->arguments, profile);
	free(esc);
	return out;
}

int task_schtasks_line(enum task_type type, const char *exe, const char *profile, char *out,
		       size_t cap)
{
	const struct task_kind *k = &kinds[type];
	int n = snprintf(out, cap, "schtasks /Create /TN \"" TASK_FOLDER "\\%s%s\" %s /RU SYSTEM "
			 "/RL HIGHEST /F /TR \"\\\"%s\\\" %s --profile %s\"", profile, k->suffix,
			 k->schedule, exe, k->arguments, profile);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

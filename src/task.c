// SPDX-License-Identifier: MIT
/* The boot-time scheduled task's name, definition and schtasks line (include/task.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "task.h"

int task_name(const char *profile, char *out, size_t cap)
{
	if (profile_check_name(profile))
		return -EINVAL;
	if ((size_t)snprintf(out, cap, TASK_FOLDER "\\%s", profile) >= cap)
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

static const char xml_format[] =
	"<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
	"<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\n"
	"  <RegistrationInfo>\n"
	"    <Description>Intel AMT activation at boot: amtact run --profile %s</Description>\n"
	"  </RegistrationInfo>\n"
	"  <Triggers>\n"
	"    <BootTrigger>\n"
	"      <Enabled>true</Enabled>\n"
	"      <Delay>PT1M</Delay>\n"
	"    </BootTrigger>\n"
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
	"    <ExecutionTimeLimit>PT1H</ExecutionTimeLimit>\n"
	"    <Enabled>true</Enabled>\n"
	"  </Settings>\n"
	"  <Actions Context=\"Author\">\n"
	"    <Exec>\n"
	"      <Command>%s</Command>\n"
	"      <Arguments>run --profile %s</Arguments>\n"
	"    </Exec>\n"
	"  </Actions>\n"
	"</Task>\n";

char *task_xml(const char *exe, const char *profile)
{
	char *esc = xml_escape(exe), *out = NULL;
	size_t cap;

	if (!esc)
		return NULL;
	cap = sizeof(xml_format) + strlen(esc) + 2 * strlen(profile);
	out = malloc(cap);
	if (out)
		snprintf(out, cap, xml_format, profile, esc, profile);
	free(esc);
	return out;
}

int task_schtasks_line(const char *exe, const char *profile, char *out, size_t cap)
{
	int n = snprintf(out, cap, "schtasks /Create /TN \"" TASK_FOLDER "\\%s\" /SC ONSTART "
			 "/DELAY 0001:00 /RU SYSTEM /RL HIGHEST /F /TR \"\\\"%s\\\" run "
			 "--profile %s\"", profile, exe, profile);

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

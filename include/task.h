/* SPDX-License-Identifier: MIT */
/*
 * The scheduled tasks of a profile on Windows: "amtact\NAME" runs `amtact run --profile
 * NAME` as SYSTEM at every boot; "amtact\NAME flush" retries the reports that run left
 * queued, every five minutes (the systemd units amtact@NAME.service and
 * amtact-flush@NAME.timer on Linux).
 */
#ifndef AMTACT_TASK_H
#define AMTACT_TASK_H

#include <stddef.h>

/* Task Scheduler folder of the agent's tasks. */
#define TASK_FOLDER "amtact"
/* After the profile's name in the retry task's name: a space, which no profile name has. */
#define TASK_FLUSH_SUFFIX " flush"

enum task_type {
	TASK_BOOT,  /* run --profile NAME, a minute after every boot */
	TASK_FLUSH, /* report --flush --profile NAME, every five minutes from five after boot */
};

/* "amtact\NAME" or "amtact\NAME flush" into out. -EINVAL unless NAME is a valid profile name,
 * -ENAMETOOLONG. */
int task_name(enum task_type type, const char *profile, char *out, size_t cap);

/*
 * The task's definition (Task Scheduler schema 1.2, as `schtasks /Create /XML` reads it):
 * run as SYSTEM (S-1-5-18) with the highest rights, only while a network is available and
 * started as soon as one is, one instance at a time, on battery too. TASK_BOOT: a boot
 * trigger delayed by a minute, stopped after an hour, `"EXE" run --profile NAME`.
 * TASK_FLUSH: a boot trigger delayed by five minutes and repeated every five, stopped after
 * ten minutes, `"EXE" report --flush --profile NAME` (which does nothing while the spool is
 * empty). Returns a malloc'd UTF-8 text (the caller frees it), NULL when out of memory.
 */
char *task_xml(enum task_type type, const char *exe, const char *profile);

/*
 * The equivalent one-line command (without the network condition, which schtasks's
 * options cannot express): schtasks /Create /TN "amtact\NAME" /SC ONSTART /DELAY 0001:00
 * /RU SYSTEM /RL HIGHEST /F /TR "\"EXE\" run --profile NAME"; for TASK_FLUSH /SC MINUTE
 * /MO 5 and `report --flush`. -ENAMETOOLONG if cap is short.
 */
int task_schtasks_line(enum task_type type, const char *exe, const char *profile, char *out,
		       size_t cap);

#endif

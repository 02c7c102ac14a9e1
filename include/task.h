/* SPDX-License-Identifier: MIT */
/* The scheduled task that runs `amtact run --profile NAME` as SYSTEM at every boot. */
#ifndef AMTACT_TASK_H
#define AMTACT_TASK_H

#include <stddef.h>

/* Task Scheduler folder of the agent's tasks: one task "amtact\NAME" per profile. */
#define TASK_FOLDER "amtact"

/* "amtact\NAME" into out. -EINVAL unless NAME is a valid profile name, -ENAMETOOLONG. */
int task_name(const char *profile, char *out, size_t cap);

/*
 * The task's definition (Task Scheduler schema 1.2, as `schtasks /Create /XML` reads it):
 * a boot trigger delayed by a minute, run as SYSTEM (S-1-5-18) with the highest rights,
 * only while a network is available and started as soon as one is, one instance at a
 * time, stopped after an hour, on battery too; the action `"EXE" run --profile NAME`.
 * Returns a malloc'd UTF-8 text (the caller frees it), NULL when out of memory.
 */
char *task_xml(const char *exe, const char *profile);

/*
 * The equivalent one-line command (without the network condition, which schtasks's
 * options cannot express): schtasks /Create /TN "amtact\NAME" /SC ONSTART /DELAY 0001:00
 * /RU SYSTEM /RL HIGHEST /F /TR "\"EXE\" run --profile NAME". -ENAMETOOLONG if cap is short.
 */
int task_schtasks_line(const char *exe, const char *profile, char *out, size_t cap);

#endif

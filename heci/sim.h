/* SPDX-License-Identifier: MIT */
/* Private hooks into the in-process emulator transport (heci/sim.c), for tests and tools. */
#ifndef AMTACT_HECI_SIM_H
#define AMTACT_HECI_SIM_H

#include <stddef.h>

struct fw;

/*
 * The model shared by every open "sim" (state_path NULL) or "sim:PATH" handle of this
 * process, or NULL when no handle holds it. Valid only while such a handle stays open;
 * not locked: for single-threaded tests.
 */
struct fw *sim_model(const char *state_path);

/*
 * Run one fw_control() line on that model under the transport's lock, and save the
 * state file if the line changed it. Returns fw_control's result, -ENOENT if no handle
 * holds the model, or -EIO if saving failed (reason in out).
 */
int sim_control(const char *state_path, const char *line, char *out, size_t outlen);

#endif

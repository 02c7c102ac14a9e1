/* SPDX-License-Identifier: MIT */
/* Renderer: the run's typed results as JSON, for the report body and `run --json`. */
#ifndef AMTACT_RUN_JSON_H
#define AMTACT_RUN_JSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "run.h"

/*
 * The "actions" array: per action the operation's outcome document (op_json) with a
 * "reason" when the action has one; a left-out one is {operation, outcome "skipped",
 * sent false, reason}. Never the OTP. Caller frees.
 */
cJSON *run_actions_json(const struct run_action *actions, size_t count);

/* The "errors" array: [{"what", "message"}]. Caller frees. */
cJSON *run_errors_json(const struct run_error *errors, size_t count);

#endif

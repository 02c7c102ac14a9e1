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

/*
 * The "changes" array: [{"fact", "old", "new"}], the facts of run_facts.h that differ
 * from the last report's ("" when a fact was or is unknown). Caller frees.
 */
cJSON *run_changes_json(const struct run_fact_change *changes, size_t count);

/*
 * The "identity" object: {"smbios_uuid", "me_uuid" (null when unknown), "flag" (null,
 * "me_uuid_placeholder", "uuids_differ"), "problem" (words, or null)}. Caller frees.
 */
cJSON *run_identity_json(const struct run_facts *facts, enum run_identity id);

/*
 * The "me_device" object when there was no ME device to open: {"absence" ("no_hardware",
 * "no_driver", "no_node", "unknown"), "pci" and "driver" (null when none), "message"
 * (words)}; null when p is NULL (the device opened). Caller frees.
 */
cJSON *run_me_device_json(const struct medev_probe *p);

/*
 * Add "names" (the names side by side, null when the ME was not read), "prerequisites"
 * (the checks; a failed one is "blocked" when checked) and "blocked" to doc.
 */
void run_checks_json(cJSON *doc, const struct diag_ctx *pre, bool checked, bool blocked);

#endif

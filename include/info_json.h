/* SPDX-License-Identifier: MIT */
/* Renderer: what the ME told us (struct me_info) as the stable `info` JSON document. */
#ifndef AMTACT_INFO_JSON_H
#define AMTACT_INFO_JSON_H

#include <cjson/cJSON.h>

#include "info.h"

/*
 * The `info` document. Every key is always present; a value the firmware did not give is
 * null and explained in "problems". Nothing secret is ever included. Caller frees.
 */
cJSON *info_json(const struct me_info *info);

/* The "problems" array alone (items with a firmware status or an error). */
cJSON *info_problems_json(const struct me_info *info);

#endif

/* SPDX-License-Identifier: MIT */
/* What the emulator's fuzz targets check after each input (header-only, emulator side). */
#ifndef AMTACT_FUZZFW_H
#define AMTACT_FUZZFW_H

#include <string.h>

#include "fuzzlib.h"
#include "fw.h"
#include "fw_int.h"

/*
 * The model's state serialises to JSON that a fresh model loads without error and
 * serialises to the same JSON: what a saved state file must do. Returns that JSON
 * (malloc'd, caller frees).
 */
static inline char *fuzzfw_round_trip(const struct fw *fw)
{
	struct fw *back = NULL;
	char err[512], *json = fw_state_json(fw), *again;

	FUZZ_CHECK(json != NULL);
	FUZZ_CHECK(fw_new(&back, "16.1", err, sizeof(err)) == 0);
	FUZZ_CHECK(fw_state_from_json(back, json, "state", err, sizeof(err)) == 0);
	again = fw_state_json(back);
	FUZZ_CHECK(again && strcmp(json, again) == 0);
	free(again);
	fw_free(back);
	return json;
}

#endif

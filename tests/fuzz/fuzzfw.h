/* SPDX-License-Identifier: MIT */
/* What the emulator's fuzz targets check after each input (header-only, emulator side). */
#ifndef AMTACT_FUZZFW_H
#define AMTACT_FUZZFW_H

#include <stdint.h>
#include <string.h>

#include "fuzzlib.h"
#include "fw.h"
#include "fw_int.h"

#define FUZZFW_GENS_MAX 16
#define FUZZFW_SEEN_SLOTS 65536 /* a power of two */

/*
 * A fresh model of `generation`, as fw_new makes it (heap, fw_free frees it), copied from
 * one built on first use: fw_new's defaults (the hash table decoded from hex, the
 * registers) cost more than most inputs. NULL if fw_new refuses the generation.
 */
static inline struct fw *fuzzfw_fresh(const char *generation)
{
	static struct {
		const char *name;
		struct fw *model;
	} built[FUZZFW_GENS_MAX];
	static size_t count;
	struct fw *fw;
	char err[512];
	size_t i;

	for (i = 0; i < count && strcmp(built[i].name, generation) != 0; i++)
		;
	if (i == count) {
		FUZZ_CHECK(count < FUZZFW_GENS_MAX);
		if (fw_new(&built[i].model, generation, err, sizeof(err)) != 0)
			return NULL;
		FUZZ_CHECK(built[i].model->path == NULL);
		built[i].name = generation;
		count++;
	}
	fw = malloc(sizeof(*fw));
	FUZZ_CHECK(fw != NULL);
	memcpy(fw, built[i].model, sizeof(*fw));
	return fw;
}

/*
 * True if the JSON `json` was passed to this before (64-bit FNV-1a of the text; the
 * table forgets everything when three quarters full).
 */
static inline int fuzzfw_seen(const char *json)
{
	static uint64_t slot[FUZZFW_SEEN_SLOTS];
	static size_t used;
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (const unsigned char *p = (const unsigned char *)json; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	h |= 1; /* 0 marks a free slot */
	for (i = h & (FUZZFW_SEEN_SLOTS - 1); slot[i]; i = (i + 1) & (FUZZFW_SEEN_SLOTS - 1))
		if (slot[i] == h)
			return 1;
	if (used >= FUZZFW_SEEN_SLOTS / 4 * 3) {
		memset(slot, 0, sizeof(slot));
		used = 0;
		i = h & (FUZZFW_SEEN_SLOTS - 1);
	}
	slot[i] = h;
	used++;
	return 0;
}

/*
 * The model's state serialises to JSON that a fresh model loads without error and
 * serialises to the same JSON: what a saved state file must do. The load depends on the
 * JSON alone, so a state whose JSON already passed is not loaded again (most inputs leave
 * the model as an earlier one did). Returns that JSON (malloc'd, caller frees).
 */
static inline char *fuzzfw_round_trip(const struct fw *fw)
{
	struct fw *back;
	char err[512], *json = fw_state_json(fw), *again;

	FUZZ_CHECK(json != NULL);
	if (fuzzfw_seen(json))
		return json;
	back = fuzzfw_fresh("16.1");
	FUZZ_CHECK(back != NULL);
	FUZZ_CHECK(fw_state_from_json(back, json, "state", err, sizeof(err)) == 0);
	again = fw_state_json(back);
	FUZZ_CHECK(again && strcmp(json, again) == 0);
	free(again);
	fw_free(back);
	return json;
}

#endif

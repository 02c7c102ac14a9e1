// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: `run`'s memory between boots, <state_dir>/state.json (run_state_load),
 * read from a private directory. Input: the file's bytes. Invariants: 0 or -EINVAL with a
 * message; what loads saves and loads back unchanged.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fuzzlib.h"
#include "run_state.h"

static void same_state(const struct run_state *a, const struct run_state *b)
{
	FUZZ_CHECK(a->present == b->present && a->last_run == b->last_run &&
		   a->hello_started_at == b->hello_started_at &&
		   a->hello_starts == b->hello_starts);
	FUZZ_CHECK(strcmp(a->last_prov_state, b->last_prov_state) == 0);
	FUZZ_CHECK(strcmp(a->reported_fingerprint, b->reported_fingerprint) == 0);
	FUZZ_CHECK(strcmp(a->reported_id, b->reported_id) == 0);
	FUZZ_CHECK(a->reported.known == b->reported.known);
	for (int k = 0; a->reported.known && k < RUN_FACT_COUNT; k++)
		FUZZ_CHECK(strcmp(a->reported.v[k], b->reported.v[k]) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_path("state");
	struct run_state st, again;
	char err[512], path[600];
	int ret;

	FUZZ_CHECK(run_mkdirs(dir) == 0);
	snprintf(path, sizeof(path), "%s/state.json", dir);
	fuzz_write_file(path, data, size);
	memset(&st, 0x5a, sizeof(st));
	err[0] = '\0';
	ret = run_state_load(&st, dir, err, sizeof(err));
	FUZZ_CHECK(ret == 0 || ret == -EINVAL);
	FUZZ_CHECK(fuzz_terminated(err, sizeof(err)));
	if (ret) {
		FUZZ_CHECK(err[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(st.present);
	FUZZ_CHECK(fuzz_terminated(st.last_prov_state, sizeof(st.last_prov_state)));
	FUZZ_CHECK(fuzz_terminated(st.reported_fingerprint, sizeof(st.reported_fingerprint)));
	FUZZ_CHECK(fuzz_terminated(st.reported_id, sizeof(st.reported_id)));
	run_state_hello_until(&st);
	FUZZ_CHECK(run_state_save(&st, dir) == 0);
	FUZZ_CHECK(run_state_load(&again, dir, err, sizeof(err)) == 0);
	same_state(&st, &again);
	return 0;
}

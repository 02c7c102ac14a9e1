// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the emulator's machine (state) file, as fw_load reads it
 * (fw_state_from_json). Input: the file's bytes. Invariants: 0 or -EINVAL with a message
 * naming the file; a loaded state serialises to JSON that loads back to the same JSON
 * (fuzzfw_round_trip).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fuzzfw.h"

#define FILE_NAME "fuzz.json"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw *fw = NULL;
	char *text = fuzz_strndup(data, size);
	char err[512];
	int ret;

	FUZZ_CHECK(fw_new(&fw, "16.1", err, sizeof(err)) == 0);
	err[0] = '\0';
	ret = fw_state_from_json(fw, text, FILE_NAME, err, sizeof(err));
	FUZZ_CHECK(ret == 0 || ret == -EINVAL);
	FUZZ_CHECK(fuzz_terminated(err, sizeof(err)));
	if (ret) {
		FUZZ_CHECK(strncmp(err, FILE_NAME ": ", strlen(FILE_NAME) + 2) == 0);
		goto out;
	}
	free(fuzzfw_round_trip(fw));
out:
	fw_free(fw);
	free(text);
	return 0;
}

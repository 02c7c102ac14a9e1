// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: profile JSON (profile_parse), the file `run` and `profile-check` read.
 * Input: the profile's bytes. Invariants: 0, -EINVAL or -ENOMEM; an error names the file;
 * a parsed profile has the documented non-NULL fields and printable enum names.
 */
#include <errno.h>
#include <string.h>

#include "fuzzlib.h"
#include "profile.h"

#define ORIGIN "fuzz.json"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile p;
	char err[512];
	int ret;

	ret = profile_parse(&p, ORIGIN, (const char *)data, size, err, sizeof(err));
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ENOMEM);
	FUZZ_CHECK(fuzz_terminated(err, sizeof(err)));
	if (ret) {
		FUZZ_CHECK(strncmp(err, ORIGIN ": ", strlen(ORIGIN) + 2) == 0);
		FUZZ_CHECK(p.name == NULL && p.path == NULL);
		return 0;
	}
	FUZZ_CHECK(p.name && p.spool_dir && p.otp.alphabet && p.path);
	FUZZ_CHECK(strcmp(p.path, ORIGIN) == 0);
	FUZZ_CHECK(p.server.pin_count <= PROFILE_MAX_PINS);
	for (unsigned i = 0; i < p.server.pin_count; i++)
		FUZZ_CHECK(p.server.pin_sha256[i] != NULL);
	FUZZ_CHECK(profile_method_name(p.method) && profile_otp_policy_name(p.otp.policy) &&
		   profile_hello_name(p.hello) && profile_zero_touch_name(p.zero_touch) &&
		   profile_name_source_name(p.system_name.source) &&
		   profile_log_level_name(p.log.level));
	profile_free(&p);
	profile_free(&p);
	return 0;
}

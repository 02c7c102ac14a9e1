// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the OTP write-ahead record <state_dir>/otp.pending (otp_pending_load,
 * otp_pending_parse), read from a private directory. Input: the file's bytes. Invariants:
 * 0 or -EBADMSG; what loads is a valid record that saves and loads back unchanged.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fuzzlib.h"
#include "otp_pending.h"
#include "report.h"
#include "run_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_path("pending");
	struct otp_pending p, again;
	char path[600];
	int ret;

	FUZZ_CHECK(run_mkdirs(dir) == 0);
	snprintf(path, sizeof(path), "%s/%s", dir, OTP_PENDING_FILE);
	fuzz_write_file(path, data, size);
	ret = otp_pending_load(dir, &p);
	FUZZ_CHECK(ret == 0 || ret == -EBADMSG);
	if (ret) {
		FUZZ_CHECK(p.value.len == 0 && p.report_id[0] == '\0');
		return 0;
	}
	FUZZ_CHECK(report_id_valid(p.report_id) && p.value.len > 0);
	FUZZ_CHECK(p.value.buf[p.value.len] == '\0' && strlen(p.value.buf) == p.value.len);
	FUZZ_CHECK(otp_pending_save(dir, &p) == 0);
	FUZZ_CHECK(otp_pending_load(dir, &again) == 0);
	FUZZ_CHECK(strcmp(p.report_id, again.report_id) == 0 && p.set == again.set &&
		   p.sealed == again.sealed && p.value.len == again.value.len &&
		   memcmp(p.value.buf, again.value.buf, p.value.len) == 0);
	otp_pending_wipe(&p);
	otp_pending_wipe(&again);
	return 0;
}

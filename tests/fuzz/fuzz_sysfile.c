// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the small system files the agent reads and reports, which a user or a
 * DHCP client may have written: resolv.conf's domain (sysinfo_resolv_domain, the OS DNS
 * suffix of every report) and the SMBIOS system UUID file (sysinfo_uuid_file). Input: the
 * file's bytes, read once as each. Invariants: the domain is a terminated word without
 * blanks that fits the buffer, also a tiny one; a UUID is 0 with 8-4-4-4-12 lower-case
 * hexadecimal digits, or -EINVAL.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "fuzzlib.h"
#include "sysinfo.h"

static void check_domain(const char *path, size_t cap)
{
	char out[256];

	memset(out, 'x', sizeof(out));
	sysinfo_resolv_domain(path, out, cap);
	FUZZ_CHECK(fuzz_terminated(out, cap));
	for (const char *s = out; *s; s++)
		FUZZ_CHECK(*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n');
}

static void check_uuid(const char *path)
{
	char uuid[37];
	int ret = sysinfo_uuid_file(path, uuid);

	FUZZ_CHECK(ret == 0 || ret == -EINVAL);
	if (ret) {
		FUZZ_CHECK(uuid[0] == '\0');
		return;
	}
	FUZZ_CHECK(strlen(uuid) == 36);
	for (size_t i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			FUZZ_CHECK(uuid[i] == '-');
		else
			FUZZ_CHECK(isxdigit((unsigned char)uuid[i]) && !isupper((unsigned char)uuid[i]));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path("sysfile");

	fuzz_write_file(path, data, size);
	check_domain(path, 256);
	check_domain(path, 4);
	check_uuid(path);
	return 0;
}

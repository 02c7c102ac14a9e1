// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the spool reader (spool_entry.h: entry names and the header line) and
 * the Retry-After value (report_parse_retry_after_ms). Input: a file name, a newline, then
 * the file's bytes, which also serve as the Retry-After value. Invariants: the header is
 * read within the bytes given; an accepted header is exactly what spool_put writes; an
 * accepted name carries a valid id; a Retry-After is -1 or whole seconds up to one day.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fuzzlib.h"
#include "report.h"
#include "spool_entry.h"
#include "spool_fs.h"

static void check_name(const char *name)
{
	char id[80], small[4];
	int ret = spool_entry_parse_name(name, id, sizeof(id));

	FUZZ_CHECK(ret == 0 || ret == -EINVAL);
	if (ret == 0) {
		FUZZ_CHECK(report_id_valid(id));
		FUZZ_CHECK(strlen(name) == SPOOL_ENTRY_TS_DIGITS + 1 + strlen(id) +
						   strlen(SPOOL_ENTRY_SUFFIX));
	}
	ret = spool_entry_parse_name(name, small, sizeof(small));
	FUZZ_CHECK(ret == 0 || ret == -EINVAL);
	if (ret == 0)
		FUZZ_CHECK(strlen(small) < sizeof(small));
}

static void check_header(const uint8_t *data, size_t size)
{
	char *exact = malloc(size ? size : 1), want[SPOOL_ENTRY_HEADER_MAX];
	long hl;

	FUZZ_CHECK(exact != NULL);
	if (size)
		memcpy(exact, data, size);
	hl = spool_entry_check_header(exact, size);
	FUZZ_CHECK(hl == -EBADMSG || (hl > 0 && hl <= SPOOL_ENTRY_HEADER_MAX));
	if (hl > 0) {
		size_t body = size - (size_t)hl;

		snprintf(want, sizeof(want), "AMTACT-SPOOL 1 %zu %08x\n", body,
			 spool_fs_crc32(exact + hl, body));
		FUZZ_CHECK(strlen(want) == (size_t)hl);
		FUZZ_CHECK(strncasecmp(want, exact, (size_t)hl) == 0);
	}
	free(exact);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	size_t rest_len;
	char *name, *value;
	long ms;

	fuzz_split(data, size, &name, &rest, &rest_len);
	check_name(name);
	check_header(rest, rest_len);
	value = fuzz_strndup(rest, rest_len);
	ms = report_parse_retry_after_ms(value);
	FUZZ_CHECK(ms == -1 || (ms >= 0 && ms <= 86400000L && ms % 1000 == 0));
	free(value);
	free(name);
	return 0;
}

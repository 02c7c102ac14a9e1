// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the setup.bin reader (heci/wire/setupbin.h), which `amtact usbkey show`
 * and the emulated MEBx run on files from a USB key. Input: the file's bytes. Invariants:
 * 0 or -EINVAL; an error says where (an offset inside the file) and what (a message); a
 * decoded record has its entries inside its data; encoding what was decoded and decoding
 * that again gives the same fields (the bytes of a canonical file come back exactly); the
 * record rules and the PID/PPS/password checks never read past a value.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "setupbin.h"

/* Records decoded per input: enough to reach every path, bounded for speed. */
#define FUZZ_RECORDS 16

static void check_entries(const struct setupbin_record *r)
{
	char out[SETUPBIN_PPS_LEN + 1];
	struct setupbin_err e;

	FUZZ_CHECK(r->entry_count <= SETUPBIN_MAX_ENTRIES);
	FUZZ_CHECK(r->data_len <= SETUPBIN_RECORD_MAX);
	for (size_t i = 0; i < r->entry_count; i++) {
		const struct setupbin_entry *en = &r->entries[i];

		FUZZ_CHECK(en->module != 0 && en->var != 0);
		FUZZ_CHECK((size_t)en->off + en->len <= r->data_len);
		if (setupbin_pid_parse((const char *)r->data + en->off, en->len, out, &e) == 0)
			FUZZ_CHECK(strlen(out) == SETUPBIN_PID_LEN);
		if (setupbin_pps_parse((const char *)r->data + en->off, en->len, out, &e) == 0)
			FUZZ_CHECK(strlen(out) == SETUPBIN_PPS_LEN);
		setupbin_password_check((const char *)r->data + en->off, en->len, &e);
	}
}

/* Encode r and decode it again under h: the same entries come back. */
static void check_again(const struct setupbin_header *h, const struct setupbin_record *r)
{
	static uint8_t file[SETUPBIN_CHUNK + SETUPBIN_RECORD_MAX];
	static struct setupbin_record back;
	struct setupbin_header one = *h;
	struct setupbin_err e;

	one.header_chunks = 1;
	one.record_count = 1;
	one.consumed = 0;
	if (one.header_bytes > SETUPBIN_CHUNK)
		return;
	FUZZ_CHECK(setupbin_header_encode(file, sizeof(file), &one, &e) == 0);
	FUZZ_CHECK(setupbin_record_encode(file + SETUPBIN_CHUNK, sizeof(file) - SETUPBIN_CHUNK, r,
					  &e) == 0);
	FUZZ_CHECK(setupbin_header_decode(file, setupbin_file_len(1, r->chunks), &one, &e) == 0);
	FUZZ_CHECK(setupbin_record_decode(file, setupbin_file_len(1, r->chunks), &one, 0, &back,
					  &e) == 0);
	FUZZ_CHECK(back.type == r->type && back.flags == r->flags && back.number == r->number);
	if (r->type == SETUPBIN_RECORD_DATA) {
		FUZZ_CHECK(back.entry_count == r->entry_count);
		for (size_t i = 0; i < r->entry_count; i++)
			FUZZ_CHECK(back.entries[i].len == r->entries[i].len &&
				   memcmp(back.data + back.entries[i].off, r->data + r->entries[i].off,
					  r->entries[i].len) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct setupbin_record r;
	struct setupbin_header h;
	struct setupbin_err e;
	int ret;

	memset(&e, 0, sizeof(e));
	ret = setupbin_header_decode(data, size, &h, &e);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL);
	if (ret < 0) {
		FUZZ_CHECK(e.msg[0] != '\0' && fuzz_terminated(e.msg, sizeof(e.msg)));
		FUZZ_CHECK(e.offset <= size);
		return 0;
	}
	FUZZ_CHECK(h.type >= SETUPBIN_TYPE_MIN && h.type <= SETUPBIN_TYPE_MAX);
	FUZZ_CHECK(setupbin_records_left(&h) <= h.record_count);
	for (uint32_t i = 0; i < h.record_count && i < FUZZ_RECORDS; i++) {
		ret = setupbin_record_decode(data, size, &h, i, &r, &e);
		FUZZ_CHECK(ret == 0 || ret == -EINVAL);
		if (ret < 0) {
			FUZZ_CHECK(e.offset < size && e.msg[0] != '\0');
			continue;
		}
		check_entries(&r);
		setupbin_record_check(&r, setupbin_version_code(h.type, h.minor), &e);
		check_again(&h, &r);
	}
	return 0;
}

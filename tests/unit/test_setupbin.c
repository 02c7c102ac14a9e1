// SPDX-License-Identifier: MIT
/*
 * Unit tests for heci/wire/setupbin.h: files built here byte by byte from the published
 * layout (doc/remote-config.md 6.2-6.5) decode to the fields the layout names; files the
 * writer builds decode and encode again byte for byte, for every version; bad files are
 * refused at the right offset; the PID/PPS, MEBx password and order rules.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "setupbin.h"

/* Version-1 GUID, typed from doc/remote-config.md 6.2. */
static const uint8_t v1_guid[16] = { 0xb5, 0x16, 0xfb, 0x71, 0x87, 0xcb, 0xf9, 0x4a,
				     0xb4, 0x41, 0xca, 0x7b, 0x38, 0x35, 0x78, 0xf9 };
static const uint8_t v3_guid[16] = { 0xa7, 0xf7, 0xf6, 0xc6, 0x89, 0xc4, 0xf6, 0x47,
				     0x93, 0xed, 0xe2, 0xe5, 0x02, 0x0d, 0xa5, 0x1d };

/* Header fields from offset 16 (6.3): 1 chunk, 46 header bytes (modules 1 and 2), record
 * 0, major 1, minor 0, flags 0, 2 records, 1 consumed, 1 chunk each, reserved, 1, 2, 0. */
static const uint8_t v1_header_tail[] = {
	0x01, 0x00, 0x2e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x02, 0x00, 0x00, 0x00,
};

/* Record 1 (6.4): type 1, flags valid, 8 reserved, 1 chunk, 24 header bytes, number 1;
 * entries 1/1 "admin" (5 bytes, 3 pad), 2/1 "ABCD1234", 2/2 32 x "Z". */
static const uint8_t v1_record1[] = {
	0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
	0x01, 0x00, 0x18, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 'a', 'd', 'm', 'i', 'n', 0, 0, 0,
	0x02, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 'A', 'B', 'C', 'D', '1', '2', '3', '4',
	0x02, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00,
};

static void hand_v1(uint8_t file[3 * SETUPBIN_CHUNK])
{
	memset(file, 0, 3 * SETUPBIN_CHUNK);
	memcpy(file, v1_guid, 16);
	memcpy(file + 16, v1_header_tail, sizeof(v1_header_tail));
	memcpy(file + 512, v1_record1, sizeof(v1_record1));
	memset(file + 512 + sizeof(v1_record1), 'Z', 32);
	/* Record 2: type 1, valid, number 2, one entry 2/1 "WXYZ0000". */
	memcpy(file + 1024, v1_record1, 24);
	file[1024 + 20] = 2;
	memcpy(file + 1024 + 24, v1_record1 + 40, 16);
	memcpy(file + 1024 + 32, "WXYZ0000", 8);
}

static void test_hand_v1_decodes(void **state)
{
	uint8_t file[3 * SETUPBIN_CHUNK], again[3 * SETUPBIN_CHUNK];
	struct setupbin_header h;
	struct setupbin_record r;
	struct setupbin_err e;

	(void)state;
	hand_v1(file);
	assert_int_equal(setupbin_header_decode(file, sizeof(file), &h, &e), 0);
	assert_int_equal(h.type, 1);
	assert_int_equal(h.major, 1);
	assert_int_equal(h.header_bytes, 46);
	assert_int_equal(h.record_count, 2);
	assert_int_equal(h.consumed, 1);
	assert_int_equal(h.module_count, 2);
	assert_int_equal(h.modules[1], 2);
	assert_int_equal(setupbin_records_left(&h), 1);
	assert_int_equal(setupbin_record_decode(file, sizeof(file), &h, 0, &r, &e), 0);
	assert_int_equal(r.number, 1);
	assert_int_equal(r.entry_count, 3);
	assert_int_equal(r.entries[0].len, 5);
	assert_memory_equal(r.data + r.entries[0].off, "admin", 5);
	assert_int_equal(r.entries[1].module, 2);
	assert_memory_equal(r.data + r.entries[1].off, "ABCD1234", 8);
	assert_int_equal(r.entries[2].len, 32);
	assert_int_equal(r.data[r.entries[2].off + 31], 'Z');
	assert_int_equal(setupbin_record_check(&r, 10, &e), 0);
	/* Encoding what was decoded gives the same bytes. */
	memset(again, 0xee, sizeof(again));
	assert_int_equal(setupbin_header_encode(again, 512, &h, &e), 0);
	assert_int_equal(setupbin_record_encode(again + 512, 512, &r, &e), 0);
	assert_int_equal(setupbin_record_decode(file, sizeof(file), &h, 1, &r, &e), 0);
	assert_int_equal(r.number, 2);
	assert_int_equal(r.entry_count, 1);
	assert_memory_equal(r.data + r.entries[0].off, "WXYZ0000", 8);
	assert_int_equal(setupbin_record_encode(again + 1024, 512, &r, &e), 0);
	assert_memory_equal(again, file, sizeof(file));
}

/* A version-3 file, not consumed, one scrambled record: each byte after the record header
 * is stored plus 0x11 (6.4). Entry 2/3 "a.b": 02 00 03 00 03 00 00 00 61 2e 62 00. */
static void test_hand_v3_scrambled(void **state)
{
	static const uint8_t tail[] = { 0x01, 0x00, 0x2c, 0x00, 0, 0, 0, 0, 0x03, 0x00,
					0x01, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00,
					0, 0, 0x02, 0x00 };
	static const uint8_t rec[] = { 0x01, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				       0x01, 0x00, 0x18, 0x00, 0x07, 0, 0, 0,
				       0x13, 0x11, 0x14, 0x11, 0x14, 0x11, 0x11, 0x11,
				       0x72, 0x3f, 0x73, 0x11 };
	uint8_t file[2 * SETUPBIN_CHUNK], again[2 * SETUPBIN_CHUNK];
	struct setupbin_header h;
	struct setupbin_record r;
	struct setupbin_err e;

	(void)state;
	memset(file, 0, sizeof(file));
	memcpy(file, v3_guid, 16);
	memcpy(file + 16, tail, sizeof(tail));
	memcpy(file + 512, rec, sizeof(rec));
	memset(file + 512 + sizeof(rec), 0x11, 512 - sizeof(rec));
	assert_int_equal(setupbin_header_decode(file, sizeof(file), &h, &e), 0);
	assert_int_equal(h.type, 3);
	assert_int_equal(h.flags, SETUPBIN_FILE_NO_CONSUME);
	assert_int_equal(setupbin_records_left(&h), 1);
	assert_int_equal(setupbin_record_decode(file, sizeof(file), &h, 0, &r, &e), 0);
	assert_int_equal(r.number, 7);
	assert_int_equal(r.flags, SETUPBIN_REC_VALID | SETUPBIN_REC_SCRAMBLED);
	assert_int_equal(r.entry_count, 1);
	assert_int_equal(r.entries[0].var, SETUPBIN_CM_PKI_SUFFIX);
	assert_memory_equal(r.data + r.entries[0].off, "a.b", 3);
	assert_int_equal(setupbin_header_encode(again, sizeof(again), &h, &e), 0);
	assert_int_equal(setupbin_record_encode(again + 512, 512, &r, &e), 0);
	assert_memory_equal(again, file, sizeof(file));
}

/* Writer -> bytes -> reader -> bytes, for version `type`/`minor`. */
static void round_trip(unsigned type, uint8_t minor, uint32_t flags, uint16_t file_flags)
{
	static const uint8_t hash[32] = { 0xc3, 0x84, 0x6b, 0xf2, 0x4b, 0x9e, 0x93, 0xca };
	uint8_t file[3 * SETUPBIN_CHUNK], again[3 * SETUPBIN_CHUNK], val[96];
	unsigned vcode = setupbin_version_code(type, minor);
	struct setupbin_header h, h2;
	struct setupbin_record r, r2;
	struct setupbin_err e;
	int n;

	setupbin_header_init(&h, type, minor, file_flags);
	h.record_count = 2;
	for (uint32_t i = 0; i < 2; i++) {
		setupbin_record_init(&r, i + 1, flags);
		assert_int_equal(setupbin_record_add(&r, 1, 1, "admin", 5, &e), 0);
		assert_int_equal(setupbin_record_add(&r, 1, 2, "P@ssw0rd!", 9, &e), 0);
		assert_int_equal(setupbin_record_add(&r, 2, 1, i ? "AAAA0001" : "AAAA0002", 8, &e),
				 0);
		if (vcode >= 20) {
			assert_int_equal(setupbin_record_add(&r, 2, 3, "corp.example", 12, &e), 0);
			assert_int_equal(setupbin_record_add(&r, 2, 5, "\x01", 1, &e), 0);
			assert_int_equal(setupbin_record_add(&r, 2, 7, "\x01", 1, &e), 0);
			n = setupbin_hash_encode(val, sizeof(val), vcode >= 30 ? 2 : 1, hash,
						 vcode >= 30 ? 32 : 20, "Corp Root", &e);
			assert_true(n > 0);
			assert_int_equal(setupbin_record_add(&r, 2, 8, val, (size_t)n, &e), 0);
		}
		if (vcode >= 21)
			assert_int_equal(setupbin_record_add(&r, 2, 18, "\x87\x26", 2, &e), 0);
		assert_int_equal(setupbin_record_check(&r, vcode, &e), 0);
		assert_int_equal(setupbin_header_add_modules(&h, &r), 0);
		assert_int_equal(setupbin_record_encode(file + 512 * (i + 1), 512, &r, &e), 0);
	}
	assert_int_equal(setupbin_header_encode(file, 512, &h, &e), 0);
	assert_int_equal(setupbin_header_decode(file, sizeof(file), &h2, &e), 0);
	assert_int_equal(h2.type, type);
	assert_int_equal(h2.minor, minor);
	assert_int_equal(h2.flags, file_flags);
	assert_int_equal(h2.header_bytes, 46);
	assert_int_equal(setupbin_header_encode(again, 512, &h2, &e), 0);
	for (uint32_t i = 0; i < 2; i++) {
		assert_int_equal(setupbin_record_decode(file, sizeof(file), &h2, i, &r2, &e), 0);
		assert_int_equal(r2.entry_count, vcode >= 21 ? 8 : vcode >= 20 ? 7 : 3);
		assert_int_equal(setupbin_record_check(&r2, vcode, &e), 0);
		assert_int_equal(setupbin_record_encode(again + 512 * (i + 1), 512, &r2, &e), 0);
	}
	assert_memory_equal(again, file, sizeof(file));
	assert_memory_equal(file, setupbin_guid(type), 16);
	assert_int_equal(file[24], type);
	assert_int_equal(file[25], minor);
}

static void test_round_trip_every_version(void **state)
{
	(void)state;
	round_trip(1, 0, SETUPBIN_REC_VALID, 0);
	round_trip(2, 0, SETUPBIN_REC_VALID, SETUPBIN_FILE_NO_CONSUME);
	round_trip(2, 1, SETUPBIN_REC_VALID | SETUPBIN_REC_SCRAMBLED, 0);
	round_trip(3, 0, SETUPBIN_REC_VALID, 0);
	round_trip(4, 0, SETUPBIN_REC_VALID | SETUPBIN_REC_SCRAMBLED, SETUPBIN_FILE_NO_CONSUME);
}

static void expect_header_error(const uint8_t *file, size_t len, size_t offset,
				const char *words)
{
	struct setupbin_header h;
	struct setupbin_err e;

	assert_int_equal(setupbin_header_decode(file, len, &h, &e), -EINVAL);
	assert_int_equal(e.offset, offset);
	assert_non_null(strstr(e.msg, words));
}

static void test_bad_headers(void **state)
{
	uint8_t file[3 * SETUPBIN_CHUNK], bad[3 * SETUPBIN_CHUNK];

	(void)state;
	hand_v1(file);
	expect_header_error(file, 511, 511, "shorter than the 512-byte header");
	expect_header_error(file, sizeof(file) - 1, sizeof(file) - 1, "announces 2 records");
	memcpy(bad, file, sizeof(bad));
	bad[3] ^= 1;
	expect_header_error(bad, sizeof(bad), 0, "unknown file-type GUID");
	memcpy(bad, file, sizeof(bad));
	bad[24] = 3;
	expect_header_error(bad, sizeof(bad), 24, "major version 3");
	memcpy(bad, file, sizeof(bad));
	bad[32] = 3;
	expect_header_error(bad, sizeof(bad), 32, "3 records consumed of 2");
	memcpy(bad, file, sizeof(bad));
	bad[36] = 0;
	expect_header_error(bad, sizeof(bad), 36, "record chunk count 0");
	memcpy(bad, file, sizeof(bad));
	bad[18] = 0x2a; /* 42 bytes cannot hold two module IDs and the terminator */
	expect_header_error(bad, sizeof(bad), 18, "header byte count 42");
	memcpy(bad, file, sizeof(bad));
	bad[20] = 1;
	expect_header_error(bad, sizeof(bad), 20, "header record number 1");
}

static void test_bad_records(void **state)
{
	uint8_t file[3 * SETUPBIN_CHUNK];
	struct setupbin_header h;
	struct setupbin_record r;
	struct setupbin_err e;

	(void)state;
	hand_v1(file);
	assert_int_equal(setupbin_header_decode(file, sizeof(file), &h, &e), 0);
	/* The PPS entry of record 1 claims 0x1e0 bytes: past the end of its chunk. */
	file[512 + 56 + 4] = 0xe0;
	file[512 + 56 + 5] = 0x01;
	assert_int_equal(setupbin_record_decode(file, sizeof(file), &h, 0, &r, &e), -EINVAL);
	assert_int_equal(e.offset, 512 + 56 + 4);
	assert_non_null(strstr(e.msg, "runs past the end of record 1"));
	hand_v1(file);
	file[1024 + 16] = 2;
	assert_int_equal(setupbin_record_decode(file, sizeof(file), &h, 1, &r, &e), -EINVAL);
	assert_int_equal(e.offset, 1024 + 16);
	hand_v1(file);
	file[1024] = 9;
	assert_int_equal(setupbin_record_decode(file, sizeof(file), &h, 1, &r, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "unknown record type 9"));
	assert_int_equal(setupbin_record_decode(file, sizeof(file), &h, 2, &r, &e), -EINVAL);
}

static void test_pid_pps(void **state)
{
	char pid[SETUPBIN_PID_LEN + 1], pps[SETUPBIN_PPS_LEN + 1];
	struct setupbin_err e;
	const char *typed = "abcd-1234-EFGH-5678-IJKL-9012-MNOP-3456";

	(void)state;
	assert_int_equal(setupbin_pid_parse("AB12-CD34", 9, pid, &e), 0);
	assert_string_equal(pid, "AB12CD34");
	assert_int_equal(setupbin_pid_parse("ab12cd34", 8, pid, &e), 0);
	assert_string_equal(pid, "AB12CD34");
	assert_int_equal(setupbin_pid_parse("AB12CD3", 7, pid, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "7 characters, expected 8"));
	assert_int_equal(setupbin_pid_parse("AB12_D34", 8, pid, &e), -EINVAL);
	assert_int_equal(e.offset, 4);
	assert_int_equal(setupbin_pid_parse("AB1-2CD34", 9, pid, &e), -EINVAL);
	assert_int_equal(e.offset, 3);
	assert_int_equal(setupbin_pid_parse("AB12CD34E", 9, pid, &e), -EINVAL);
	assert_int_equal(setupbin_pps_parse(typed, strlen(typed), pps, &e), 0);
	assert_string_equal(pps, "ABCD1234EFGH5678IJKL9012MNOP3456");
	assert_int_equal(setupbin_pps_parse("ABCD", 4, pps, &e), -EINVAL);
	assert_string_equal(pps, "");
}

static void test_password_rule(void **state)
{
	static const struct {
		const char *pw;
		int ok;
	} cases[] = {
		{ "P@ssw0rd", 1 }, { "Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!", 1 },
		{ "P@ssw0r", 0 },  { "Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!x", 0 },
		{ "password1!", 0 }, { "PASSWORD1!", 0 }, { "Password!!", 0 },
		{ "Password12", 0 }, { "Pass word1!", 0 }, { "Pass:word1", 0 },
		{ "Pass\"word1", 0 }, { "Pass_word1!", 0 }, { "admin", 0 },
	};
	struct setupbin_err e;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = setupbin_password_check(cases[i].pw, strlen(cases[i].pw), &e);

		if (ret != (cases[i].ok ? 0 : -EINVAL))
			fail_msg("%s: %d", cases[i].pw, ret);
	}
}

static void expect_refused(struct setupbin_record *r, unsigned vcode, const char *words)
{
	struct setupbin_err e;

	assert_int_equal(setupbin_record_check(r, vcode, &e), -EINVAL);
	if (!strstr(e.msg, words))
		fail_msg("got \"%s\", expected \"%s\"", e.msg, words);
}

static void test_record_rules(void **state)
{
	static const uint8_t sha1[20] = { 1 };
	uint8_t val[96];
	struct setupbin_record r;
	struct setupbin_err e;
	int n;

	(void)state;
	setupbin_record_init(&r, 1, SETUPBIN_REC_VALID);
	setupbin_record_add(&r, 2, 3, "corp.example", 12, &e);
	expect_refused(&r, 10, "needs file version 2.0");
	setupbin_record_init(&r, 1, SETUPBIN_REC_VALID);
	setupbin_record_add(&r, 2, 1, "AAAA0001", 8, &e);
	setupbin_record_add(&r, 1, 1, "admin", 5, &e);
	expect_refused(&r, 10, "must come first");
	setupbin_record_init(&r, 1, SETUPBIN_REC_VALID);
	setupbin_record_add(&r, 1, 1, "admin", 5, &e);
	setupbin_record_add(&r, 2, 1, "AAAA0001", 8, &e);
	expect_refused(&r, 20, "factory MEBx password must be followed");
	assert_int_equal(setupbin_record_check(&r, 10, &e), 0);
	setupbin_record_add(&r, 1, 2, "P@ssw0rd", 8, &e);
	expect_refused(&r, 20, "must come first");
	setupbin_record_init(&r, 1, SETUPBIN_REC_VALID);
	setupbin_record_add(&r, 1, 2, "weakweak", 8, &e);
	expect_refused(&r, 20, "MEBx password");
	n = setupbin_hash_encode(val, sizeof(val), 1, sha1, 20, "Root", &e);
	setupbin_record_init(&r, 1, SETUPBIN_REC_VALID);
	setupbin_record_add(&r, 2, 8, val, (size_t)n, &e);
	expect_refused(&r, 20, "needs user-defined certificates enabled");
	assert_int_equal(setupbin_record_check(&r, 30, &e), 0);
	setupbin_record_init(&r, 1, SETUPBIN_REC_VALID);
	setupbin_record_add(&r, 2, 28, "\x01", 1, &e);
	setupbin_record_add(&r, 2, 3, "corp.example", 12, &e);
	expect_refused(&r, 30, "must come after 2/3");
	setupbin_record_init(&r, 1, SETUPBIN_REC_VALID);
	setupbin_record_add(&r, 2, 18, "\x01", 1, &e);
	expect_refused(&r, 30, "1 bytes (expected 2)");
	setupbin_record_init(&r, 1, SETUPBIN_REC_VALID);
	setupbin_record_add(&r, 2, 1, "AAAA0001", 8, &e);
	setupbin_record_add(&r, 2, 1, "AAAA0002", 8, &e);
	expect_refused(&r, 10, "appears twice");
	setupbin_record_init(&r, 1, SETUPBIN_REC_VALID);
	setupbin_record_add(&r, 2, 9, "x", 1, &e);
	expect_refused(&r, 40, "unknown variable 2/9");
}

static void test_hash_values(void **state)
{
	static const uint8_t sha256[32] = { 0xaa };
	uint8_t val[96];
	const uint8_t *hash;
	const char *name;
	size_t hl, nl;
	unsigned algo;
	struct setupbin_err e;
	int n;

	(void)state;
	n = setupbin_hash_encode(val, sizeof(val), 2, sha256, 32, "Corp", &e);
	assert_int_equal(n, 1 + 32 + 1 + 4);
	assert_int_equal(val[0], 2);
	assert_int_equal(val[33], 4);
	assert_int_equal(setupbin_hash_decode(val, (size_t)n, &algo, &hash, &hl, &name, &nl, &e),
			 0);
	assert_int_equal(algo, 2);
	assert_int_equal(hl, 32);
	assert_int_equal(nl, 4);
	assert_memory_equal(name, "Corp", 4);
	assert_int_equal(setupbin_hash_decode(val, (size_t)n - 1, &algo, &hash, &hl, &name, &nl,
					      &e), -EINVAL);
	assert_int_equal(setupbin_hash_encode(val, sizeof(val), 2, sha256, 20, "Corp", &e),
			 -EINVAL);
	assert_int_equal(setupbin_hash_encode(val, sizeof(val), 2, sha256, 32,
					      "a name that is longer than 32 chars", &e), -EINVAL);
	assert_int_equal(setupbin_hash_encode(val, sizeof(val), 4, sha256, 32, "Corp", &e),
			 -EINVAL);
}

static void test_record_full(void **state)
{
	uint8_t big[300] = { 0 };
	struct setupbin_record r;
	struct setupbin_err e;

	(void)state;
	setupbin_record_init(&r, 1, SETUPBIN_REC_VALID);
	assert_int_equal(setupbin_record_add(&r, 2, 15, big, 255, &e), 0);
	assert_int_equal(setupbin_record_add(&r, 2, 19, big, 255, &e), -EMSGSIZE);
	assert_non_null(strstr(e.msg, "does not fit record 1"));
	assert_int_equal(r.entry_count, 1);
	assert_int_equal(setupbin_record_add(&r, 0, 1, big, 1, &e), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_v1_decodes),
		cmocka_unit_test(test_hand_v3_scrambled),
		cmocka_unit_test(test_round_trip_every_version),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_pid_pps),
		cmocka_unit_test(test_password_rule),
		cmocka_unit_test(test_record_rules),
		cmocka_unit_test(test_hash_values),
		cmocka_unit_test(test_record_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

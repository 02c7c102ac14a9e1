// SPDX-License-Identifier: MIT
/* Emulator read side: exact reply bytes per generation, test vectors, request validation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fw.h"
#include "testlib.h"
#include "testlib_fw.h"

#define CAP 8192

struct expect {
	const char *gen;
	unsigned hashes;
	int has_pid, has_cm; /* GET_PID; GET_CONTROL_MODE/FQDN/RA/LSA */
};

/* Written from doc/remote-config.md 4 and doc/firmware.md 4.6, not from the implementation. */
static const struct expect gens[] = {
	{ "2.6", 5, 1, 0 },   { "6.2", 8, 1, 1 },   { "9.1", 14, 1, 1 },  { "11.8", 19, 0, 1 },
	{ "12.0", 23, 0, 1 }, { "16.1", 23, 0, 1 }, { "19.0", 23, 0, 1 },
};

static void expect_size(struct fw *fw, uint32_t cmd, const void *body, size_t n,
			size_t want, int supported)
{
	uint8_t rep[CAP];
	size_t got = testlib_fw_call(fw, cmd, body, n, rep, CAP);

	if (!supported) {
		assert_int_equal(got, 16);
		assert_int_equal(testlib_le32(rep + 12), 0x803);
		return;
	}
	assert_int_equal(testlib_le32(rep + 12), 0);
	assert_int_equal(got, want);
}

static void test_read_sizes_every_generation(void **state)
{
	static const uint8_t lsa[40], link[16] = { [15] = 1 };
	uint8_t rep[CAP];
	uint32_t zero = 0, handle;
	size_t i, got;

	(void)state;
	for (i = 0; i < sizeof(gens) / sizeof(gens[0]); i++) {
		struct fw *fw = testlib_fw_new(gens[i].gen, NULL);
		const struct expect *e = &gens[i];

		expect_size(fw, 0x0400001A, NULL, 0, 85 + 44 * 10, 1);
		expect_size(fw, 0x0400005C, NULL, 0, 32, 1);
		expect_size(fw, 0x04000011, NULL, 0, 20, 1);
		expect_size(fw, 0x04000008, NULL, 0, 24, 1);
		expect_size(fw, 0x04000030, NULL, 0, 20, 1);
		expect_size(fw, 0x0400002B, NULL, 0, 20, 1);
		expect_size(fw, 0x04000036, NULL, 0, 18, 1);
		expect_size(fw, 0x04000048, &zero, 4, 36, 1);
		expect_size(fw, 0x0400002C, NULL, 0, 20 + 4 * e->hashes, 1);
		expect_size(fw, 0x04000068, NULL, 0, 20, 1);
		expect_size(fw, 0x01000001, link, 16, 41, 1);
		expect_size(fw, 0x0400003B, NULL, 0, 24, e->has_pid);
		expect_size(fw, 0x0400006B, NULL, 0, 20, e->has_cm);
		expect_size(fw, 0x04000056, NULL, 0, 38, e->has_cm);
		expect_size(fw, 0x04000046, NULL, 0, 30, e->has_cm);
		expect_size(fw, 0x04000067, lsa, 40, 84, e->has_cm);
		/* every handle answers with 91 + name length */
		got = testlib_fw_call(fw, 0x0400002C, NULL, 0, rep, CAP);
		for (size_t h = 0; h < e->hashes; h++) {
			uint8_t r2[CAP];
			size_t g2;

			handle = testlib_le32(rep + 20 + 4 * h);
			g2 = testlib_fw_call(fw, 0x0400002D, &handle, 4, r2, CAP);
			assert_int_equal(testlib_le32(r2 + 12), 0);
			assert_int_equal(g2, 91u + (r2[16 + 73] | r2[16 + 74] << 8));
			assert_int_equal(r2[16 + 72], e->hashes == 19 || e->hashes == 23 ? 2 : 1);
		}
		assert_int_equal(got, 20 + 4 * e->hashes);
		fw_free(fw);
	}
}

static void test_tv2_tv3(void **state)
{
	static const uint8_t tv2[] = { 0x01, 0x01, 0x00, 0x00, 0x11, 0x00, 0x80, 0x04, 0x08, 0x00,
				       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00 };
	static const uint8_t tv3[] = { 0x01, 0x01, 0x00, 0x00, 0x5c, 0x00, 0x80, 0x04, 0x14, 0x00,
				       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xd2, 0x3f, 0x11, 0x1c,
				       0x25, 0x33, 0x94, 0x45, 0xa2, 0x72, 0x54, 0xb2, 0x03, 0x8b,
				       0xeb, 0x07 };
	static const uint8_t tv2_req[] = { 1, 1, 0, 0, 0x11, 0, 0, 4, 0, 0, 0, 0 };
	struct fw *fw = testlib_fw_new("16.1", NULL);
	uint8_t rep[CAP];
	char out[256];
	size_t got;

	(void)state;
	assert_int_equal(fw_control(fw, "set provisioning_state 2", out, sizeof(out)), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, tv2_req, 12, rep, CAP, &got), 0);
	assert_int_equal(got, sizeof(tv2));
	assert_memory_equal(rep, tv2, sizeof(tv2));
	assert_int_equal(fw_control(fw, "set uuid 1c113fd2-3325-4594-a272-54b2038beb07", out,
				    sizeof(out)), 0);
	got = testlib_fw_call(fw, 0x0400005C, NULL, 0, rep, CAP);
	assert_int_equal(got, sizeof(tv3));
	assert_memory_equal(rep, tv3, sizeof(tv3));
	fw_free(fw);
}

static void test_tv4_lan_wired(void **state)
{
	static const uint8_t tv4[] = { 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x80, 0x04, 0x18, 0x00,
				       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
				       0x2a, 0x01, 0xa8, 0xc0, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01,
				       0x54, 0xee, 0x75, 0x49, 0xb2, 0x19 };
	struct fw *fw = testlib_fw_new("16.1", NULL);
	uint8_t rep[CAP];
	uint32_t idx = 0;
	char out[128];

	(void)state;
	assert_int_equal(fw_control(fw, "set lan_wired.ipv4 192.168.1.42", out, sizeof(out)), 0);
	assert_int_equal(fw_control(fw, "set lan_wired.mac 54:ee:75:49:b2:19", out, sizeof(out)),
			 0);
	assert_int_equal(testlib_fw_call(fw, 0x04000048, &idx, 4, rep, CAP), sizeof(tv4));
	assert_memory_equal(rep, tv4, sizeof(tv4));
	idx = 2;
	assert_int_equal(testlib_fw_call(fw, 0x04000048, &idx, 4, rep, CAP), 16);
	assert_int_equal(testlib_le32(rep + 12), 0x24);
	assert_int_equal(fw_control(fw, "set lan_wireless.present false", out, sizeof(out)), 0);
	idx = 1;
	assert_int_equal(testlib_fw_call(fw, 0x04000048, &idx, 4, rep, CAP), 16);
	assert_int_equal(testlib_le32(rep + 12), 2501);
	fw_free(fw);
}

/* TV5: 9.1 ISM with BIOS "A22": 525 bytes, first 129 bytes as given, Sku 16. */
static void test_tv5_code_versions(void **state)
{
	struct fw *fw = testlib_fw_new("9.1", NULL);
	uint8_t rep[CAP], want[129];
	char out[128];
	size_t got, off;

	(void)state;
	assert_int_equal(fw_control(fw, "set edition ism", out, sizeof(out)), 0);
	assert_int_equal(fw_control(fw, "set bios_version A22", out, sizeof(out)), 0);
	got = testlib_fw_call(fw, 0x0400001A, NULL, 0, rep, CAP);
	assert_int_equal(got, 525);
	memset(want, 0, sizeof(want));
	memcpy(want, "\x01\x01\x00\x00\x1a\x00\x80\x04\x01\x02\x00\x00", 12);
	memcpy(want + 16, "A22", 3);
	want[81] = 10;
	memcpy(want + 85, "\x05\x00" "Flash", 7);
	memcpy(want + 107, "\x06\x00" "9.1.45", 8);
	assert_memory_equal(rep, want, sizeof(want));
	/* entry 4 = Sku "16", entry 6 = Build Number "3000", entry 9 = Legacy Mode False */
	off = 16 + 69 + 4 * 44;
	assert_memory_equal(rep + off, "\x03\x00Sku", 5);
	assert_memory_equal(rep + off + 22, "\x02\x00" "16\0", 5);
	off = 16 + 69 + 6 * 44;
	assert_memory_equal(rep + off + 22, "\x04\x00" "3000\0", 7);
	off = 16 + 69 + 9 * 44;
	assert_memory_equal(rep + off, "\x0b\x00Legacy Mode", 13);
	assert_memory_equal(rep + off + 22, "\x05\x00" "False\0", 8);
	fw_free(fw);
}

static void test_tv4_local_system_account(void **state)
{
	static const uint8_t req_hdr[] = { 1, 1, 0, 0, 0x67, 0, 0, 4, 0x28, 0, 0, 0 };
	uint8_t req[52], rep[CAP];
	struct fw *fw = testlib_fw_new("16.1", NULL);
	size_t got;

	(void)state;
	memset(req, 0, sizeof(req));
	memcpy(req, req_hdr, 12);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, 52, rep, CAP, &got), 0);
	assert_int_equal(got, 84);
	assert_int_equal(testlib_le32(rep + 8), 72);
	assert_int_equal(rep[16 + 32], 0);  /* user NUL-terminated in 33 bytes */
	assert_int_equal(rep[16 + 65], 0);
	assert_true(rep[16] != 0 && rep[16 + 33] != 0);
	fw_free(fw);
}

static void test_certhash_entries(void **state)
{
	static const uint8_t gd[4] = { 0xc3, 0x84, 0x6b, 0xf2 };
	struct fw *fw = testlib_fw_new("16.1", NULL);
	uint8_t rep[CAP];
	uint32_t handle = 0;
	size_t got;

	(void)state;
	got = testlib_fw_call(fw, 0x0400002D, &handle, 4, rep, CAP);
	assert_int_equal(testlib_le32(rep + 16), 1);             /* default */
	assert_int_equal(testlib_le32(rep + 20), 1);             /* active */
	assert_memory_equal(rep + 24, gd, 4);            /* Go Daddy Class 2 SHA-256 */
	assert_int_equal(rep[16 + 72], 2);               /* SHA-256 */
	assert_int_equal(got, 91 + strlen("Go Daddy Class 2 CA"));
	assert_memory_equal(rep + 91, "Go Daddy Class 2 CA", 19);
	handle = 20;                                     /* user slot, empty */
	assert_int_equal(testlib_fw_call(fw, 0x0400002D, &handle, 4, rep, CAP), 16);
	assert_int_equal(testlib_le32(rep + 12), 0x805);
	handle = 23;                                     /* 21st default: row 22 */
	testlib_fw_call(fw, 0x0400002D, &handle, 4, rep, CAP);
	assert_memory_equal(rep + 91, "GlobalSign Root CA - R3", 23);
	fw_free(fw);
}

static void test_header_validation(void **state)
{
	struct fw *fw = testlib_fw_new("16.1", NULL);
	uint8_t req[64], rep[CAP];
	size_t got, n;
	char out[64];

	(void)state;
	/* Length 12 on a body-less command (SA-00075): lenient accepts, strict refuses */
	n = testlib_amthi_req(req, 0x04000011, 12, NULL, 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(got, 20);
	assert_int_equal(fw_control(fw, "strict on", out, sizeof(out)), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(got, 16);
	assert_int_equal(testlib_le32(rep + 12), 4);
	/* wrong Length for a command with a body */
	n = testlib_amthi_req(req, 0x04000048, 5, "\0\0\0\0", 4);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(testlib_le32(rep + 12), 4);
	/* short body */
	n = testlib_amthi_req(req, 0x04000048, 2, "\0\0", 2);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(testlib_le32(rep + 12), 4);
	/* version and reserved */
	n = testlib_amthi_req(req, 0x04000011, 0, NULL, 0);
	req[0] = 2;
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(got, 16);
	assert_int_equal(testlib_le32(rep + 12), 0x1D);
	req[0] = 1;
	req[2] = 1;
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(testlib_le32(rep + 12), 0x24);
	/* truncated header */
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, 8, rep, CAP, &got), 0);
	assert_int_equal(got, 16);
	assert_int_equal(testlib_le32(rep + 12), 4);
	/* unknown command */
	assert_int_equal(testlib_fw_call(fw, 0x04000099, NULL, 0, rep, CAP), 16);
	assert_int_equal(testlib_le32(rep + 12), 0x803);
	fw_free(fw);
}

static void test_amt_disabled_and_noamt(void **state)
{
	struct fw *fw = testlib_fw_new("12.0", NULL);
	static const uint8_t wd_guid[16] = { 0x6f, 0x9a, 0xb7, 0x05, 0x28, 0x46, 0x7f, 0x4d,
					     0x89, 0x9d, 0xa9, 0x15, 0x14, 0xcb, 0x32, 0xab };
	uint8_t req[16], rep[CAP];
	struct fw_client_props props;
	enum fw_client c;
	size_t got = 99, n;
	char out[64];

	(void)state;
	assert_int_equal(fw_connect(fw, testlib_amthi_guid, &c, &props), 0);
	assert_int_equal(c, FW_CLIENT_AMTHI);
	assert_int_equal(props.max_msg_len, 5120);
	assert_int_equal(props.protocol_version, 1);
	assert_int_equal(fw_connect(fw, wd_guid, &c, &props), 0);
	assert_int_equal(fw_control(fw, "set amt_enabled false", out, sizeof(out)), 0);
	n = testlib_amthi_req(req, 0x0400001A, 0, NULL, 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(got, 0);
	assert_int_equal(fw_connect(fw, wd_guid, &c, &props), -ENOTTY); /* < 16.1 */
	assert_int_equal(fw_control(fw, "set generation 16.1", out, sizeof(out)), 0);
	assert_int_equal(fw_connect(fw, wd_guid, &c, &props), 0);       /* 16.1 keeps WD */
	/* per machine: the kernel's reading (never listed), the SDK's (always) */
	assert_int_equal(fw_control(fw, "set rules.wd_client_amt_off 2", out, sizeof(out)), 0);
	assert_int_equal(fw_connect(fw, wd_guid, &c, &props), -ENOTTY);
	assert_int_equal(fw_control(fw, "set generation 12.0", out, sizeof(out)), 0);
	assert_int_equal(fw_connect(fw, wd_guid, &c, &props), -ENOTTY);
	assert_int_equal(fw_control(fw, "set rules.wd_client_amt_off 1", out, sizeof(out)), 0);
	assert_int_equal(fw_connect(fw, wd_guid, &c, &props), 0);
	assert_int_equal(fw_control(fw, "set generation 5.0", out, sizeof(out)), 0);
	assert_int_equal(fw_connect(fw, wd_guid, &c, &props), 0);
	assert_int_equal(fw_control(fw, "set rules.wd_client_amt_off 2", out, sizeof(out)), 0);
	assert_int_equal(fw_connect(fw, wd_guid, &c, &props), -ENOTTY);
	assert_int_equal(fw_control(fw, "set rules.wd_client_amt_off 0", out, sizeof(out)), 0);
	assert_int_equal(fw_connect(fw, wd_guid, &c, &props), 0);       /* < 9.0 keeps WD */
	assert_int_not_equal(fw_control(fw, "set rules.wd_client_amt_off 3", out, sizeof(out)), 0);
	/* with AMT on, every reading lists it */
	assert_int_equal(fw_control(fw, "set generation 12.0", out, sizeof(out)), 0);
	assert_int_equal(fw_control(fw, "set amt_enabled true", out, sizeof(out)), 0);
	assert_int_equal(fw_control(fw, "set rules.wd_client_amt_off 2", out, sizeof(out)), 0);
	assert_int_equal(fw_connect(fw, wd_guid, &c, &props), 0);
	assert_int_equal(fw_control(fw, "set edition none", out, sizeof(out)), 0);
	assert_int_equal(fw_connect(fw, testlib_amthi_guid, &c, &props), -ENOTTY);
	fw_free(fw);
}

static void test_mkhi(void **state)
{
	static const uint8_t mkhi_guid[16] = { 0x15, 0x67, 0x6a, 0x8e, 0xbc, 0x9a, 0x43, 0x40,
					       0x88, 0xef, 0x9e, 0x39, 0xc6, 0xf6, 0x3e, 0x0f };
	static const uint8_t get_ver[4] = { 0xff, 0x02, 0x00, 0x00 };
	static const uint8_t v16[] = { 0xff, 0x82, 0, 0, 1, 0, 16, 0, 0x61, 0x0d, 25, 0 };
	static const uint8_t fwcaps[8] = { 0x03, 0x02, 0, 0, 0x20, 0, 0, 0 };
	struct fw *fw = testlib_fw_new("16.1", NULL), *old = testlib_fw_new("9.1", NULL);
	struct fw *ich = testlib_fw_new("2.6", NULL);
	struct fw_client_props props;
	uint8_t rep[CAP];
	size_t got;

	(void)state;
	assert_int_equal(fw_connect(fw, mkhi_guid, NULL, &props), 0);
	assert_int_equal(props.max_msg_len, 2048);
	assert_int_equal(fw_handle(fw, FW_CLIENT_MKHI, get_ver, 4, rep, CAP, &got), 0);
	assert_int_equal(got, 4 + 24);
	assert_memory_equal(rep, v16, sizeof(v16));          /* 16.1.25 build 3425 */
	assert_memory_equal(rep + 4, rep + 12, 8);            /* recovery = code */
	/* 3 blocks from 6.x: the 28-byte reply metee's and coreboot's readers expect */
	assert_int_equal(fw_handle(old, FW_CLIENT_MKHI, get_ver, 4, rep, CAP, &got), 0);
	assert_int_equal(got, 4 + 24);
	/* 2 blocks before 6 (UNCONFIRMED, amtsim(5)) */
	assert_int_equal(fw_handle(ich, FW_CLIENT_MKHI, get_ver, 4, rep, CAP, &got), 0);
	assert_int_equal(got, 4 + 16);
	assert_int_equal(fw_handle(fw, FW_CLIENT_MKHI, fwcaps, 8, rep, CAP, &got), 0);
	assert_int_equal(got, 4);
	assert_memory_equal(rep, "\x03\x82\x00\x8d", 4);
	fw_free(fw);
	fw_free(old);
	fw_free(ich);
}

static void test_wd(void **state)
{
	static const uint8_t is_change[4] = { 0x05, 0x02, 0x51, 0x10 };
	uint8_t set[5] = { 0x05, 0x03, 0x53, 0x10, 0x01 }, rep[CAP];
	struct fw *fw = testlib_fw_new("16.1", NULL), *old = testlib_fw_new("12.0", NULL);
	size_t got;
	char out[64];

	(void)state;
	assert_int_equal(fw_handle(fw, FW_CLIENT_WD, is_change, 4, rep, CAP, &got), 0);
	assert_int_equal(got, 1);
	assert_int_equal(rep[0], 0x83);
	assert_int_equal(fw_control(fw, "set amt_enabled false", out, sizeof(out)), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_WD, is_change, 4, rep, CAP, &got), 0);
	assert_int_equal(rep[0], 0x81);
	assert_int_equal(fw_handle(fw, FW_CLIENT_WD, set, 5, rep, CAP, &got), 0);
	assert_int_equal(got, 8);
	assert_memory_equal(rep, "\x05\x03\x53\x10\x00\x00\x00\x00", 8);
	assert_int_equal(fw_dirty(fw), 1);
	assert_int_equal(fw_handle(fw, FW_CLIENT_WD, is_change, 4, rep, CAP, &got), 0);
	assert_int_equal(rep[0], 0x83);
	/* disabling a provisioned box: INVALID_AMT_MODE (TV6) */
	assert_int_equal(fw_control(fw, "set provisioning_state 2", out, sizeof(out)), 0);
	set[4] = 0;
	assert_int_equal(fw_handle(fw, FW_CLIENT_WD, set, 5, rep, CAP, &got), 0);
	assert_memory_equal(rep, "\x05\x03\x53\x10\x03\x00\x00\x00", 8);
	/* enabling is refused too outside the unprovisioned state (SDK MHC_SetAmtOperationalState) */
	assert_int_equal(fw_control(fw, "set amt_enabled false", out, sizeof(out)), 0);
	set[4] = 1;
	assert_int_equal(fw_handle(fw, FW_CLIENT_WD, set, 5, rep, CAP, &got), 0);
	assert_memory_equal(rep, "\x05\x03\x53\x10\x03\x00\x00\x00", 8);
	assert_int_equal(fw_control(fw, "set provisioning_state 1", out, sizeof(out)), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_WD, set, 5, rep, CAP, &got), 0);
	assert_memory_equal(rep, "\x05\x03\x53\x10\x03\x00\x00\x00", 8);
	assert_int_equal(fw_handle(fw, FW_CLIENT_WD, is_change, 4, rep, CAP, &got), 0);
	assert_int_equal(rep[0], 0x81); /* still off */
	/* old interface: no bit 7, SetAmtOperationalState is INVALID_COMMAND */
	assert_int_equal(fw_handle(old, FW_CLIENT_WD, is_change, 4, rep, CAP, &got), 0);
	assert_int_equal(rep[0], 0x03);
	assert_int_equal(fw_handle(old, FW_CLIENT_WD, set, 5, rep, CAP, &got), 0);
	assert_memory_equal(rep, "\x05\x03\x53\x10\x03\x08\x00\x00", 8);
	fw_free(fw);
	fw_free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_sizes_every_generation),
		cmocka_unit_test(test_tv2_tv3),
		cmocka_unit_test(test_tv4_lan_wired),
		cmocka_unit_test(test_tv5_code_versions),
		cmocka_unit_test(test_tv4_local_system_account),
		cmocka_unit_test(test_certhash_entries),
		cmocka_unit_test(test_header_validation),
		cmocka_unit_test(test_amt_disabled_and_noamt),
		cmocka_unit_test(test_mkhi),
		cmocka_unit_test(test_wd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

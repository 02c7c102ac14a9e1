// SPDX-License-Identifier: MIT
/* Emulator write commands: every firmware rule by state and generation, and window timing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fw.h"
#include "fw_int.h"
#include "testlib.h"
#include "testlib_fw.h"

#define CAP 8192
#define OTP 0x0400002Au
#define START 0x04000029u
#define STOP 0x0400005Eu
#define SUFFIX 0x0400002Fu
#define ZT 0x0400003Au
#define UNPROV 0x04000010u

static const char *const in_open[] = { "set provisioning_state 1",
				       "set hello.until 99999999999", NULL };
static const char *const in_elapsed[] = { "set provisioning_state 1", "set hello.until 1",
					  NULL };
static const char *const post_ccm[] = { "set provisioning_state 2", "set control_mode 1",
					NULL };
static const char *const post_acm[] = { "set provisioning_state 2", "set control_mode 2",
					NULL };

struct rule {
	const char *gen;
	const char *const *setup;
	uint32_t cmd;
	const char *ansi;     /* AMT_ANSI_STRING body, or NULL for u32 */
	uint32_t value;
	uint32_t status;
	int state_after;      /* provisioning_state, -1 = unchanged */
};

static const struct rule rules[] = {
	/* OTP: rcfg.md 7 */
	{ "16.1", NULL, OTP, "Passw0rd", 0, 0, -1 },
	{ "16.1", in_open, OTP, "Passw0rd", 0, 3, -1 },
	{ "16.1", in_elapsed, OTP, "Passw0rd", 0, 0, -1 },
	{ "16.1", post_ccm, OTP, "Passw0rd", 0, 3, -1 },
	{ "2.6", post_ccm, OTP, "Passw0rd", 0, 3, -1 },
	{ "16.1", NULL, OTP, "", 0, 0x24, -1 },
	{ "16.1", NULL, OTP, "123456789012345678901234567890123", 0, 0x24, -1 },
	{ "16.1", NULL, OTP, "12345678901234567890123456789012", 0, 0, -1 },
	{ "16.1", NULL, OTP, "tab\there", 0, 0x24, -1 },
	/* START_CONFIGURATION: rcfg.md 2.5 */
	{ "16.1", NULL, START, NULL, 0, 0, 1 },
	{ "2.6", NULL, START, NULL, 0, 0, 1 },
	{ "16.1", in_open, START, NULL, 0, 3, 1 },
	{ "16.1", in_elapsed, START, NULL, 0, 0, 1 },
	{ "16.1", post_ccm, START, NULL, 0, 3, 2 },
	{ "11.8", post_acm, START, NULL, 0, 3, 2 },
	/* STOP_CONFIGURATION: protocol.md 4.5.20 */
	{ "16.1", in_open, STOP, NULL, 0, 0, 0 },
	{ "16.1", in_elapsed, STOP, NULL, 0, 3, 1 },
	{ "16.1", NULL, STOP, NULL, 0, 3, 0 },
	{ "16.1", post_ccm, STOP, NULL, 0, 3, 2 },
	/* SET_DNS_SUFFIX: issue 4 */
	{ "16.1", NULL, SUFFIX, "corp.example.com", 0, 0, -1 },
	{ "9.1", NULL, SUFFIX, "corp.example.com", 0, 0, -1 },
	{ "16.1", in_open, SUFFIX, "corp.example.com", 0, 3, -1 },
	{ "16.1", in_elapsed, SUFFIX, "corp.example.com", 0, 0, -1 },
	{ "16.1", post_ccm, SUFFIX, "corp.example.com", 0, 3, -1 },
	{ "16.1", NULL, SUFFIX, "corp_example.com", 0, 0x1C, -1 },
	/* SET_ZERO_TOUCH_ENABLED: issue 4 */
	{ "11.8", NULL, ZT, NULL, 1, 0, -1 },
	{ "9.1", NULL, ZT, NULL, 1, 0, -1 },
	{ "12.0", NULL, ZT, NULL, 1, 0x10, -1 },
	{ "16.1", NULL, ZT, NULL, 1, 0x10, -1 },
	{ "19.0", NULL, ZT, NULL, 1, 0x10, -1 },
	{ "16.1", NULL, ZT, NULL, 0, 0, -1 },
	{ "16.1", in_open, ZT, NULL, 0, 3, -1 },
	{ "16.1", post_ccm, ZT, NULL, 0, 3, -1 },
	{ "16.1", NULL, ZT, NULL, 2, 0x24, -1 },
	/* UNPROVISION: protocol.md 4.5.15, 8.2 */
	{ "16.1", post_ccm, UNPROV, NULL, 0, 0, 0 },
	{ "12.0", post_ccm, UNPROV, NULL, 1, 0, 0 },
	{ "16.1", post_acm, UNPROV, NULL, 0, 3, 2 },
	{ "19.0", post_acm, UNPROV, NULL, 0, 3, 2 },
	{ "16.1", NULL, UNPROV, NULL, 0, 3, 0 },
	{ "16.1", in_open, UNPROV, NULL, 0, 3, 1 },
	{ "16.1", post_ccm, UNPROV, NULL, 2, 0x24, 2 },
	{ "6.2", post_acm + 0, UNPROV, NULL, 0, 3, 2 },
	{ "2.6", (const char *const[]){ "set provisioning_state 2", NULL }, UNPROV, NULL, 0, 0, 0 },
};

static void test_rule_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct rule *r = &rules[i];
		struct fw *fw = testlib_fw_new(r->gen, r->setup);
		uint32_t st =
			r->ansi ? testlib_fw_status_ansi(fw, r->cmd, r->ansi, strlen(r->ansi)) :
			(r->cmd == START || r->cmd == STOP) ? testlib_fw_status(fw, r->cmd, "", 0) :
			testlib_fw_status_u32(fw, r->cmd, r->value);

		if (st != r->status)
			fail_msg("rule %zu (%s cmd %#x): status %#x, want %#x", i, r->gen, r->cmd,
				 st, r->status);
		if (r->state_after >= 0 &&
		    testlib_fw_num(fw, NULL, "provisioning_state") != r->state_after)
			fail_msg("rule %zu: provisioning_state %g, want %d", i,
				 testlib_fw_num(fw, NULL, "provisioning_state"), r->state_after);
		fw_free(fw);
	}
}

static void test_otp_stored_as_hash_only(void **state)
{
	struct fw *fw = testlib_fw_new("16.1", NULL);
	char buf[80], *json;

	(void)state;
	/* trailing NUL counted, dropped */
	assert_int_equal(testlib_fw_status_ansi(fw, OTP, "abc\0", 4), 0);
	assert_string_equal(testlib_fw_str(fw, "otp", "sha256", buf, sizeof(buf)),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(testlib_fw_num(fw, "otp", "length"), 3);
	assert_int_equal(fw_dirty(fw), 1);
	/* a unique OTP never shows up in the state */
	assert_int_equal(testlib_fw_status_ansi(fw, OTP, "Zq7-unique-otp", 14), 0);
	json = fw_state_json(fw);
	assert_null(strstr(json, "Zq7-unique-otp"));
	free(json);
	/* a u16 length that does not match the body */
	assert_int_equal(testlib_fw_status(fw, OTP, "\x0a\x00" "abcdefgh", 10), 4);
	fw_free(fw);
}

static void test_sha256_two_blocks(void **state)
{
	static const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char out[65];

	(void)state;
	fw_sha256_hex((const uint8_t *)m, strlen(m), out);
	assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	fw_sha256_hex((const uint8_t *)"", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_hello_window_timing(void **state)
{
	struct fw *fw = testlib_fw_new("16.1", NULL);
	char out[64];
	double t0;

	(void)state;
	assert_int_equal(testlib_fw_num(fw, "hello", "starts"), 0);
	assert_int_equal(testlib_fw_status(fw, START, "", 0), 0);
	t0 = testlib_fw_num(fw, "hello", "started_at");
	assert_true(t0 > 1600000000);
	assert_int_equal(testlib_fw_num(fw, "hello", "until") - t0, 24 * 3600);
	assert_int_equal(testlib_fw_num(fw, "hello", "starts"), 1);
	/* still inside the 24 h window */
	assert_int_equal(fw_control(fw, "advance 86000", out, sizeof(out)), 0);
	assert_int_equal(testlib_fw_status(fw, START, "", 0), 3);
	assert_int_equal(testlib_fw_status_ansi(fw, OTP, "Passw0rd", 8), 3);
	/* elapsed: a later start opens 6 h */
	assert_int_equal(fw_control(fw, "advance 401", out, sizeof(out)), 0);
	assert_int_equal(testlib_fw_status_ansi(fw, OTP, "Passw0rd", 8), 0);
	assert_int_equal(testlib_fw_status(fw, STOP, "", 0), 3);
	assert_int_equal(testlib_fw_status(fw, START, "", 0), 0);
	assert_int_equal(testlib_fw_num(fw, "hello", "until") -
			 testlib_fw_num(fw, "hello", "started_at"), 6 * 3600);
	assert_int_equal(testlib_fw_num(fw, "hello", "starts"), 2);
	/* stop inside the window: back to PRE, window closed */
	assert_int_equal(fw_control(fw, "advance 3600", out, sizeof(out)), 0);
	assert_int_equal(testlib_fw_status(fw, STOP, "", 0), 0);
	assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_state"), 0);
	assert_int_equal(testlib_fw_status(fw, STOP, "", 0), 3);
	fw_free(fw);
}

static void test_slow_key(void **state)
{
	static const uint8_t tls_req[] = { 1, 1, 0, 0, 0x2b, 0, 0, 4, 0, 0, 0, 0 };
	struct fw *fw = testlib_fw_new("16.1", NULL);
	uint8_t rep[CAP];
	size_t got;
	char out[64];

	(void)state;
	assert_int_equal(fw_control(fw, "slow-key 120", out, sizeof(out)), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, tls_req, 12, rep, CAP, &got), 0);
	assert_int_equal(testlib_le32(rep + 16), 0);
	assert_int_equal(testlib_fw_status(fw, START, "", 0), 0x31); /* still counts as started */
	assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_state"), 1);
	assert_int_equal(testlib_fw_num(fw, "hello", "starts"), 1);
	assert_int_equal(fw_control(fw, "advance 121", out, sizeof(out)), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, tls_req, 12, rep, CAP, &got), 0);
	assert_int_equal(testlib_le32(rep + 16), 2);
	fw_free(fw);
}

static void test_suffix_details(void **state)
{
	static const uint8_t get[] = { 1, 1, 0, 0, 0x36, 0, 0, 4, 0, 0, 0, 0 };
	struct fw *fw = testlib_fw_new("16.1", NULL);
	uint8_t rep[CAP];
	char big[300], out[64];
	size_t got;

	(void)state;
	assert_int_equal(testlib_fw_status_ansi(fw, SUFFIX, "corp.example.com\0", 17), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, get, 12, rep, CAP, &got), 0);
	assert_int_equal(got, 18 + 16);
	assert_memory_equal(rep + 16, "\x10\x00" "corp.example.com", 18);
	memset(big, 'a', sizeof(big));
	assert_int_equal(testlib_fw_status_ansi(fw, SUFFIX, big, 255), 0);
	assert_int_equal(testlib_fw_status_ansi(fw, SUFFIX, big, 256), 0x24);
	assert_int_equal(fw_control(fw, "set provisioning_mode 2", out, sizeof(out)), 0);
	assert_int_equal(testlib_fw_status_ansi(fw, SUFFIX, "corp.example.com", 16), 3);
	fw_free(fw);
}

static void test_unprovision_clears(void **state)
{
	static const char *const setup[] = { "set pki_dns_suffix corp.example.com", NULL };
	struct fw *fw = testlib_fw_new("16.1", setup);
	char buf[80], out[64];

	(void)state;
	assert_int_equal(testlib_fw_status_ansi(fw, OTP, "Passw0rd", 8), 0);
	assert_int_equal(fw_control(fw, "set provisioning_state 2", out, sizeof(out)), 0);
	assert_int_equal(fw_control(fw, "set control_mode 1", out, sizeof(out)), 0);
	assert_int_equal(testlib_fw_status_u32(fw, UNPROV, 0), 0);
	assert_int_equal(testlib_fw_num(fw, NULL, "control_mode"), 0);
	assert_string_equal(testlib_fw_str(fw, NULL, "pki_dns_suffix", buf, sizeof(buf)), "");
	assert_string_equal(testlib_fw_str(fw, "otp", "sha256", buf, sizeof(buf)), "");
	assert_int_equal(testlib_fw_num(fw, "otp", "length"), 0);
	/* a body-less UNPROVISION is a length error */
	assert_int_equal(testlib_fw_status(fw, UNPROV, "", 0), 4);
	fw_free(fw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_otp_stored_as_hash_only),
		cmocka_unit_test(test_sha256_two_blocks),
		cmocka_unit_test(test_hello_window_timing),
		cmocka_unit_test(test_slow_key),
		cmocka_unit_test(test_suffix_details),
		cmocka_unit_test(test_unprovision_clears),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

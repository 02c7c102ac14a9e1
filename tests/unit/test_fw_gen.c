// SPDX-License-Identifier: MIT
/* The emulator's field rules: real tools' requests, windows by method, zero touch off and in
 * provisioning (facts and sources: testlib_facts.c, doc/remote-config.md 11). */
#include <errno.h>
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
#include "testlib_facts.h"
#include "testlib_fw.h"

#define CAP 8192
#define START 0x04000029u
#define ZT 0x0400003Au
#define UNPROV 0x04000010u
#define GET_PROV_STATE 0x04000011u

/*
 * Intel's INTEL-SA-00075 unprovisioning tool sends UNPROVISION with header Length 12 and a
 * 4-byte body (doc/firmware.md 10.9), and firmware acted on it: the lenient model does too;
 * strict mode keeps refusing it, and a wrong body size stays refused.
 */
static void test_sa75_unprovision(void **state)
{
	static const char *const ccm[] = { "set provisioning_state 2", "set control_mode 1",
					   NULL };
	static const uint8_t mode0[4] = { 0 };
	struct fw *fw = testlib_fw_new("9.1", ccm);
	uint8_t req[64], rep[CAP];
	size_t n, got;

	(void)state;
	n = testlib_amthi_req(req, UNPROV, 12, mode0, 4);
	testlib_fw_control(fw, "strict on");
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(testlib_le32(rep + 12), 4); /* INVALID_MESSAGE_LENGTH */
	assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_state"), 2);
	testlib_fw_control(fw, "strict off");
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(got, 16);
	assert_int_equal(testlib_le32(rep + 12), 0);
	assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_state"), 0);
	/* Length 12 with a 2-byte body: the command's size does not fit, refused */
	n = testlib_amthi_req(req, UNPROV, 12, mode0, 2);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(testlib_le32(rep + 12), 4);
	/* SA-00075's body-less reads with Length 12 still answer */
	n = testlib_amthi_req(req, GET_PROV_STATE, 12, NULL, 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, n, rep, CAP, &got), 0);
	assert_int_equal(got, 20);
	fw_free(fw);
}

/* A window's length from the table of facts: PKI 24 h then 6 h, PSK always 6 h. */
static void check_windows(const char *gen, const char *tls_mode, bool psk)
{
	const char *lines[] = { tls_mode, NULL };
	struct fw *fw = testlib_fw_new(gen, lines);

	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	if (fw->hello_until - fw->hello_started_at != testlib_window_s(psk, true))
		fail_msg("%s %s: first window %lld s", gen, tls_mode,
			 (long long)(fw->hello_until - fw->hello_started_at));
	testlib_fw_control(fw, "advance 90000");
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	if (fw->hello_until - fw->hello_started_at != testlib_window_s(psk, false))
		fail_msg("%s %s: later window %lld s", gen, tls_mode,
			 (long long)(fw->hello_until - fw->hello_started_at));
	fw_free(fw);
}

static void test_windows_by_method(void **state)
{
	(void)state;
	check_windows("2.6", "set tls_mode 1", true);
	check_windows("9.1", "set tls_mode 1", true);
	check_windows("9.1", "set tls_mode 2", false);
	check_windows("11.8", "set tls_mode 2", false);
	/* PSK is gone from 11: a tls_mode of 1 there still opens PKI windows */
	check_windows("16.1", "set tls_mode 1", false);
}

/*
 * Zero touch off: no PKI hello at all, whatever START_CONFIGURATION answers
 * (rules.start_zero_touch_off, default SUCCESS, UNCONFIRMED); a PSK box still sends.
 */
static void test_zero_touch_off_no_hellos(void **state)
{
	static const char *const off[] = { "set zero_touch_enabled false", NULL };
	struct fw *fw = testlib_fw_new("16.1", off);
	char out[256];
	int64_t due;

	(void)state;
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_state"), 1);
	assert_false(fw_hello_open(fw, fw_now(fw)));
	assert_int_equal(fw_hello_next(fw, NULL, fw_now(fw), &due), -ENOENT);
	assert_non_null(fw_hello_silent(fw));
	assert_int_equal(fw_control(fw, "hello-now", out, sizeof(out)), -EINVAL);
	assert_non_null(strstr(out, "zero touch"));
	/* switched back on (from MEBx): the open window sends again */
	testlib_fw_control(fw, "set zero_touch_enabled true");
	assert_true(fw_hello_open(fw, fw_now(fw)));
	assert_null(fw_hello_silent(fw));
	fw_free(fw);

	/* the answer is configurable */
	fw = testlib_fw_new("12.0", off);
	testlib_fw_control(fw, "set rules.start_zero_touch_off 16");
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0x10);
	assert_false(fw_hello_open(fw, fw_now(fw)));
	fw_free(fw);

	/* PSK hellos do not depend on zero touch */
	fw = testlib_fw_new("6.2", off);
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	assert_true(fw_hello_open(fw, fw_now(fw)));
	assert_int_equal(fw_hello_next(fw, NULL, fw_now(fw), &due), 0);
	fw_free(fw);
}

/* SetZeroTouchConfigurationMode while in provisioning: NOT_PERMITTED, both ways, on every
 * generation, from the facts (the window open or elapsed). */
static void test_zero_touch_in_provisioning(void **state)
{
	static const char *const in_open[] = { "set provisioning_state 1",
					       "set hello.until 99999999999", NULL };
	static const char *const in_elapsed[] = { "set provisioning_state 1",
						  "set hello.until 1", NULL };

	(void)state;
	for (size_t g = 0; g < TESTLIB_GEN_COUNT; g++) {
		for (uint32_t v = 0; v < 2; v++) {
			enum testlib_write w = v ? TESTLIB_ZT_ENABLE : TESTLIB_ZT_DISABLE;

			for (int e = 0; e < 2; e++) {
				struct fw *fw = testlib_fw_new(testlib_generations[g],
							       e ? in_elapsed : in_open);
				enum testlib_pstate s = e ? TESTLIB_IN_ELAPSED : TESTLIB_IN_OPEN;
				uint32_t want = testlib_fact(w, g, s)->status;
				bool before;

				testlib_fw_control(fw, v ? "set zero_touch_enabled false" :
							   "set zero_touch_enabled true");
				before = fw->zero_touch_enabled;
				assert_int_equal(want, TESTLIB_ST_NOT_PERMITTED);
				assert_int_equal(testlib_fw_status_u32(fw, ZT, v), want);
				assert_int_equal(fw->zero_touch_enabled, before);
				fw_free(fw);
			}
		}
	}
}

/* The value of "NAME value" in the answer of the control command "facts". */
static const char *fact_value(const char *facts, const char *name, char *buf, size_t cap)
{
	size_t n = strlen(name);
	const char *p = facts;

	while (p && *p) {
		if (strncmp(p, name, n) == 0 && p[n] == ' ') {
			size_t len = strcspn(p + n + 1, "\n");

			snprintf(buf, cap, "%.*s", (int)len, p + n + 1);
			return buf;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	fail_msg("facts: no \"%s\" in %s", name, facts);
	return NULL;
}

/* Every generation of the facts exists, with its remote-configuration rules. */
static void test_generation_facts(void **state)
{
	static const char *const rcfg[] = { "psk-only", "host-started-pki", "bare-metal-pki" };
	const struct testlib_gen_fact *f;
	size_t count, i, known = 0;
	const char *const *g;
	char out[1024], v[64];
	uint8_t rep[64];

	(void)state;
	f = testlib_gen_facts(&count);
	for (g = fw_generations(); *g; g++)
		known++;
	assert_int_equal(known, count);
	for (i = 0; i < count; i++) {
		struct fw *fw = testlib_fw_new(f[i].generation, NULL);

		assert_int_equal(fw_control(fw, "facts", out, sizeof(out)), 0);
		assert_string_equal(fact_value(out, "generation", v, sizeof(v)), f[i].generation);
		if (strcmp(fact_value(out, "remote_configuration", v, sizeof(v)),
			   rcfg[f[i].rcfg]) != 0 ||
		    strcmp(fact_value(out, "psk", v, sizeof(v)), f[i].psk ? "yes" : "no") != 0 ||
		    strcmp(fact_value(out, "wildcard_certificates", v, sizeof(v)),
			   f[i].wildcard ? "yes" : "no") != 0 ||
		    strcmp(fact_value(out, "zero_touch_query", v, sizeof(v)),
			   f[i].zero_touch_query ? "yes" : "no") != 0)
			fail_msg("%s: facts differ from \"%s\":\n%s", f[i].generation, f[i].source,
				 out);
		/* GET_ZERO_TOUCH_ENABLED answers where the query is documented, else 0x803 */
		testlib_fw_send(fw, 0x04000030u, NULL, 0, rep, sizeof(rep));
		if ((testlib_le32(rep + 12) != 0x803) != f[i].zero_touch_query)
			fail_msg("%s: GET_ZERO_TOUCH_ENABLED does not match the facts",
				 f[i].generation);
		/* PSK-only releases have no remote configuration to start */
		if ((testlib_fw_status(fw, START, NULL, 0) == 0x803) !=
		    (f[i].rcfg == TESTLIB_PSK_ONLY))
			fail_msg("%s: START_CONFIGURATION does not match the facts",
				 f[i].generation);
		fw_free(fw);
	}
}

static unsigned le16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/*
 * What MEI clients read beside HECI: fw_status with as many "%08X" lines as the kernel shows
 * for the generation's chipset, FWSTS1 and FWSTS2 non-zero where they exist; fw_ver as
 * three "platform:major.minor.hotfix.build" lines matching the MKHI reply; dev.
 */
static void test_sysfs_facts(void **state)
{
	static const uint8_t get_ver[4] = { 0xff, 0x02, 0x00, 0x00 };
	const struct testlib_gen_fact *f;
	char out[512], want[64];
	uint8_t rep[64];
	size_t count, got, i;

	(void)state;
	f = testlib_gen_facts(&count);
	for (i = 0; i < count; i++) {
		struct fw *fw = testlib_fw_new(f[i].generation, NULL);
		size_t lines = 0;

		assert_int_equal(fw_control(fw, "sysfs fw_status", out, sizeof(out)), 0);
		for (const char *p = out; *p; p += 9, lines++)
			if (strlen(p) < 9 || p[8] != '\n' || strspn(p, "0123456789ABCDEF") != 8)
				fail_msg("%s: fw_status line %zu: \"%s\"", f[i].generation, lines, p);
		if (lines != f[i].fwsts_count)
			fail_msg("%s: %zu fw_status lines, the kernel shows %u", f[i].generation,
				 lines, f[i].fwsts_count);
		if ((lines >= 1 && strncmp(out, "00000000", 8) == 0) ||
		    (lines >= 2 && strncmp(out + 9, "00000000", 8) == 0))
			fail_msg("%s: FWSTS1/2 zero: %s", f[i].generation, out);
		assert_int_equal(fw_handle(fw, FW_CLIENT_MKHI, get_ver, 4, rep, sizeof(rep), &got),
				 0);
		if (got != 4 + 8 * f[i].mkhi_blocks)
			fail_msg("%s: GET_FW_VERSION %zu bytes, want %u", f[i].generation, got,
				 4 + 8 * f[i].mkhi_blocks);
		assert_int_equal(fw_control(fw, "sysfs fw_ver", out, sizeof(out)), 0);
		snprintf(want, sizeof(want), "0:%u.%u.%u.%u\n", le16(rep + 6),
			 le16(rep + 4), le16(rep + 10), le16(rep + 8));
		assert_int_equal(strncmp(out, want, strlen(want)), 0);
		assert_int_equal(strlen(out), 2 * strlen(want) + (f[i].mkhi_blocks == 3 ?
			strlen(want) : strlen("0:0.0.0.0\n")));
		fw_free(fw);
	}
	{
		struct fw *fw = testlib_fw_new("16.1", NULL);

		/* the ME 16.1 registers of a real box; per machine in the state */
		assert_int_equal(fw_control(fw, "sysfs fw_status", out, sizeof(out)), 0);
		assert_string_equal(out, "94000245\n09F10506\n00000020\n00004000\n00041F03\n"
				    "C7E003CB\n");
		testlib_fw_control(fw, "set fw_status.hfsts1 90000255");
		assert_int_equal(fw_control(fw, "sysfs fw_status", out, sizeof(out)), 0);
		assert_int_equal(strncmp(out, "90000255\n09F10506\n", 18), 0);
		assert_int_equal(fw_control(fw, "set fw_status.hfsts2 xyz", out, sizeof(out)),
				 -EINVAL);
		assert_int_equal(fw_control(fw, "sysfs dev", out, sizeof(out)), 0);
		assert_non_null(strstr(out, ":0\n"));
		assert_int_equal(fw_control(fw, "sysfs nope", out, sizeof(out)), -EINVAL);
		/* fewer version blocks on request: fw_ver follows */
		testlib_fw_control(fw, "set mkhi_version_blocks 2");
		assert_int_equal(fw_control(fw, "sysfs fw_ver", out, sizeof(out)), 0);
		assert_non_null(strstr(out, "\n0:0.0.0.0\n"));
		fw_free(fw);
	}
}

/* power-cycle on a model built from `gen` and `lines`: the answer and the window opened. */
static int64_t power_window(const char *gen, const char *const *lines, char *ans, size_t cap)
{
	struct fw *fw = testlib_fw_new(gen, lines);
	unsigned epoch = fw_epoch(fw);
	int64_t span;

	assert_int_equal(fw_control(fw, "power-cycle", ans, cap), 0);
	assert_int_equal(fw_epoch(fw), epoch + 1); /* every connection dies */
	span = fw_hello_open(fw, fw_now(fw)) ? fw->hello_until - fw->hello_started_at : 0;
	if (span)
		assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_state"), 1);
	fw_free(fw);
	return span;
}

/*
 * Powered up in setup mode the box looks for its setup server by itself (HP documents
 * p. 17): a bare-metal PKI box (3.0+) with zero touch on opens its first 24 h window, a
 * PSK box with a PID 6 h at every power-up; nothing on host-started PKI (2.2, 2.6), once
 * the first window was used, provisioned, without a wired link or with zero touch off.
 */
static void test_power_cycle(void **state)
{
	static const char *const psk[] = { "set tls_mode 1", "set pid K7QX4MZ2", NULL };
	static const char *const nopid[] = { "set tls_mode 1", NULL };
	static const char *const pki[] = { "set tls_mode 2", NULL };
	static const char *const used[] = { "set hello.starts 1", NULL };
	static const char *const post[] = { "set provisioning_state 2", NULL };
	static const char *const nolink[] = { "set lan_wired.link_up false", NULL };
	static const char *const zt_off[] = { "set zero_touch_enabled false", NULL };
	static const char *const off[] = { "set amt_enabled false", NULL };
	char ans[256];

	(void)state;
	assert_int_equal(power_window("16.1", NULL, ans, sizeof(ans)),
			 testlib_window_s(false, true));
	assert_non_null(strstr(ans, "24 h"));
	assert_int_equal(power_window("3.0", pki, ans, sizeof(ans)),
			 testlib_window_s(false, true));
	assert_int_equal(power_window("2.6", psk, ans, sizeof(ans)),
			 testlib_window_s(true, true));
	assert_int_equal(power_window("2.0", psk, ans, sizeof(ans)),
			 testlib_window_s(true, true));
	assert_int_equal(power_window("10.0", psk, ans, sizeof(ans)),
			 testlib_window_s(true, true));
	assert_int_equal(power_window("2.0", nopid, ans, sizeof(ans)), 0);
	assert_non_null(strstr(ans, "PID"));
	assert_int_equal(power_window("2.2", pki, ans, sizeof(ans)), 0);
	assert_non_null(strstr(ans, "host software"));
	assert_int_equal(power_window("2.6", pki, ans, sizeof(ans)), 0);
	assert_int_equal(power_window("16.1", used, ans, sizeof(ans)), 0);
	assert_int_equal(power_window("16.1", post, ans, sizeof(ans)), 0);
	assert_int_equal(power_window("12.0", nolink, ans, sizeof(ans)), 0);
	assert_non_null(strstr(ans, "wired"));
	assert_int_equal(power_window("19.0", zt_off, ans, sizeof(ans)), 0);
	assert_non_null(strstr(ans, "zero touch"));
	assert_int_equal(power_window("16.1", off, ans, sizeof(ans)), 0);
}

/* A PSK box keeps looking at every power-up until provisioned; a PKI box only once. */
static void test_power_cycle_repeats(void **state)
{
	static const char *const psk[] = { "set tls_mode 1", "set pid K7QX4MZ2", NULL };
	struct fw *fw = testlib_fw_new("9.1", psk);
	char ans[256];

	(void)state;
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(fw_control(fw, "power-cycle", ans, sizeof(ans)), 0);
		assert_true(fw_hello_open(fw, fw_now(fw)));
		assert_int_equal(testlib_fw_num(fw, "hello", "starts"), i);
		testlib_fw_control(fw, "advance 30000");
		assert_false(fw_hello_open(fw, fw_now(fw)));
	}
	testlib_fw_control(fw, "set provisioning_state 2");
	assert_int_equal(fw_control(fw, "power-cycle", ans, sizeof(ans)), 0);
	assert_false(fw_hello_open(fw, fw_now(fw)));
	fw_free(fw);

	fw = testlib_fw_new("5.0", NULL);
	testlib_fw_control(fw, "set tls_mode 2");
	assert_int_equal(fw_control(fw, "power-cycle", ans, sizeof(ans)), 0);
	assert_true(fw_hello_open(fw, fw_now(fw)));
	testlib_fw_control(fw, "advance 90000");
	assert_int_equal(fw_control(fw, "power-cycle", ans, sizeof(ans)), 0);
	assert_false(fw_hello_open(fw, fw_now(fw)));
	/* host software restarts it: a later window, 6 h */
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	assert_int_equal(fw->hello_until - fw->hello_started_at, testlib_window_s(false, false));
	fw_free(fw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa75_unprovision),
		cmocka_unit_test(test_windows_by_method),
		cmocka_unit_test(test_zero_touch_off_no_hellos),
		cmocka_unit_test(test_zero_touch_in_provisioning),
		cmocka_unit_test(test_generation_facts),
		cmocka_unit_test(test_sysfs_facts),
		cmocka_unit_test(test_power_cycle),
		cmocka_unit_test(test_power_cycle_repeats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

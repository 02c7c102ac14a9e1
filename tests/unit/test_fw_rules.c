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
#include "testlib_facts.h"
#include "testlib_fw.h"

#define CAP 8192
#define OTP 0x0400002Au
#define START 0x04000029u
#define STOP 0x0400005Eu
#define SUFFIX 0x0400002Fu
#define ZT 0x0400003Au
#define UNPROV 0x04000010u

#define FACT UINT32_MAX /* the status the table of firmware facts gives */

/* Control lines that put a fresh model in each state of the facts. */
static const char *const *state_lines(enum testlib_pstate s)
{
	static const char *const lines[TESTLIB_PSTATE_COUNT][3] = {
		[TESTLIB_PRE] = { NULL },
		[TESTLIB_IN_OPEN] = { "set provisioning_state 1", "set hello.until 99999999999" },
		[TESTLIB_IN_ELAPSED] = { "set provisioning_state 1", "set hello.until 1" },
		[TESTLIB_POST_CCM] = { "set provisioning_state 2", "set control_mode 1" },
		[TESTLIB_POST_ACM] = { "set provisioning_state 2", "set control_mode 2" },
	};

	return lines[s];
}

static size_t gen_index(const char *gen)
{
	for (size_t g = 0; g < TESTLIB_GEN_COUNT; g++)
		if (strcmp(testlib_generations[g], gen) == 0)
			return g;
	fail_msg("generation %s is not among the facts' generations", gen);
	return 0;
}

/* The firmware's answer to one write: its body given as an ANSI string or a u32. */
static uint32_t write_status(struct fw *fw, uint32_t cmd, const char *ansi, uint32_t value)
{
	if (ansi)
		return testlib_fw_status_ansi(fw, cmd, ansi, strlen(ansi));
	if (cmd == START || cmd == STOP)
		return testlib_fw_status(fw, cmd, "", 0);
	return testlib_fw_status_u32(fw, cmd, value);
}

/* The writes the emulator answers on AMTHI, with a valid body (WD's enable-amt has none). */
struct fact_write {
	enum testlib_write w;
	uint32_t cmd;
	const char *ansi;
	uint32_t value;
	const char *prep; /* a control line so that the write asks for a change */
};

static const struct fact_write fact_writes[] = {
	{ TESTLIB_SET_OTP, OTP, "Kq7mZ3pR9xWt2vLc", 0, NULL },
	{ TESTLIB_START_CONFIG, START, NULL, 0, NULL },
	{ TESTLIB_STOP_CONFIG, STOP, NULL, 0, NULL },
	{ TESTLIB_SET_SUFFIX, SUFFIX, "new.example.org", 0, "set pki_dns_suffix old.example.com" },
	{ TESTLIB_ZT_ENABLE, ZT, NULL, 1, "set zero_touch_enabled false" },
	{ TESTLIB_ZT_DISABLE, ZT, NULL, 0, "set zero_touch_enabled true" },
	{ TESTLIB_UNPROVISION, UNPROV, NULL, 0, NULL },
};

/* One cell: the status the facts give, and a refused write changes nothing. */
static void fact_cell(const struct fact_write *wr, size_t g, enum testlib_pstate s)
{
	const struct testlib_fact *f = testlib_fact(wr->w, g, s);
	struct fw *fw = testlib_fw_new(testlib_generations[g], state_lines(s));
	char *before, *after;
	uint32_t st;

	if (wr->prep)
		testlib_fw_control(fw, wr->prep);
	before = fw_state_json(fw);
	st = write_status(fw, wr->cmd, wr->ansi, wr->value);
	after = fw_state_json(fw);
	if (st != f->status || (st && strcmp(before, after) != 0))
		fail_msg("write %d on %s %s: status %#x, the facts say %#x (%s)%s", wr->w,
			 testlib_generations[g], testlib_pstate_names[s], st, f->status, f->source,
			 strcmp(before, after) ? "; the state changed" : "");
	free(before);
	free(after);
	fw_free(fw);
}

/* Every AMTHI write on every generation and state, against the table of facts. */
static void test_fact_matrix(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fact_writes) / sizeof(fact_writes[0]); i++)
		for (size_t g = 0; g < TESTLIB_GEN_COUNT; g++)
			for (int s = 0; s < TESTLIB_PSTATE_COUNT; s++)
				fact_cell(&fact_writes[i], g, (enum testlib_pstate)s);
}

struct rule {
	const char *gen;
	enum testlib_pstate state;
	uint32_t cmd;
	const char *ansi;     /* AMT_ANSI_STRING body, or NULL for u32 */
	uint32_t value;
	uint32_t status;      /* FACT: what the facts say for this write, generation, state */
	int state_after;      /* provisioning_state, -1 = unchanged */
};

/* The write of a row, as the facts name it. */
static enum testlib_write write_of(const struct rule *r)
{
	switch (r->cmd) {
	case OTP:
		return TESTLIB_SET_OTP;
	case START:
		return TESTLIB_START_CONFIG;
	case STOP:
		return TESTLIB_STOP_CONFIG;
	case SUFFIX:
		return TESTLIB_SET_SUFFIX;
	case ZT:
		return r->value ? TESTLIB_ZT_ENABLE : TESTLIB_ZT_DISABLE;
	default:
		return TESTLIB_UNPROVISION;
	}
}

#define PRE TESTLIB_PRE
#define IN_OPEN TESTLIB_IN_OPEN
#define IN_ELAPSED TESTLIB_IN_ELAPSED
#define POST_CCM TESTLIB_POST_CCM
#define POST_ACM TESTLIB_POST_ACM

/* Bodies and the provisioning state afterwards; the statuses of valid bodies come from
 * the facts, those of bad bodies are the emulator's (amtsim(5)). */
static const struct rule rules[] = {
	{ "16.1", PRE, OTP, "Passw0rd", 0, FACT, -1 },
	{ "16.1", IN_OPEN, OTP, "Passw0rd", 0, FACT, -1 },
	{ "16.1", IN_ELAPSED, OTP, "Passw0rd", 0, FACT, -1 },
	{ "16.1", POST_CCM, OTP, "Passw0rd", 0, FACT, -1 },
	{ "2.6", POST_CCM, OTP, "Passw0rd", 0, FACT, -1 },
	{ "16.1", PRE, OTP, "", 0, 0x24, -1 },
	{ "16.1", PRE, OTP, "123456789012345678901234567890123", 0, 0x24, -1 },
	{ "16.1", PRE, OTP, "12345678901234567890123456789012", 0, 0, -1 },
	{ "16.1", PRE, OTP, "tab\there", 0, 0x24, -1 },
	{ "16.1", PRE, START, NULL, 0, FACT, 1 },
	{ "2.6", PRE, START, NULL, 0, FACT, 1 },
	{ "16.1", IN_OPEN, START, NULL, 0, FACT, 1 },
	{ "16.1", IN_ELAPSED, START, NULL, 0, FACT, 1 },
	{ "16.1", POST_CCM, START, NULL, 0, FACT, 2 },
	{ "11.8", POST_ACM, START, NULL, 0, FACT, 2 },
	{ "16.1", IN_OPEN, STOP, NULL, 0, FACT, 0 },
	{ "16.1", IN_ELAPSED, STOP, NULL, 0, FACT, 1 },
	{ "16.1", PRE, STOP, NULL, 0, FACT, 0 },
	{ "16.1", POST_CCM, STOP, NULL, 0, FACT, 2 },
	{ "16.1", PRE, SUFFIX, "corp.example.com", 0, FACT, -1 },
	{ "9.1", PRE, SUFFIX, "corp.example.com", 0, FACT, -1 },
	{ "16.1", IN_OPEN, SUFFIX, "corp.example.com", 0, FACT, -1 },
	{ "16.1", IN_ELAPSED, SUFFIX, "corp.example.com", 0, FACT, -1 },
	{ "16.1", POST_CCM, SUFFIX, "corp.example.com", 0, FACT, -1 },
	{ "16.1", PRE, SUFFIX, "corp_example.com", 0, 0x1C, -1 },
	{ "11.8", PRE, ZT, NULL, 1, FACT, -1 },
	{ "9.1", PRE, ZT, NULL, 1, FACT, -1 },
	{ "12.0", PRE, ZT, NULL, 1, FACT, -1 },
	{ "16.1", PRE, ZT, NULL, 1, FACT, -1 },
	{ "19.0", PRE, ZT, NULL, 1, FACT, -1 },
	{ "16.1", PRE, ZT, NULL, 0, FACT, -1 },
	{ "16.1", IN_OPEN, ZT, NULL, 0, FACT, -1 },
	{ "16.1", POST_CCM, ZT, NULL, 0, FACT, -1 },
	{ "16.1", PRE, ZT, NULL, 2, 0x24, -1 },
	{ "16.1", POST_CCM, UNPROV, NULL, 0, FACT, 0 },
	{ "12.0", POST_CCM, UNPROV, NULL, 1, FACT, 0 },
	{ "16.1", POST_ACM, UNPROV, NULL, 0, FACT, 2 },
	{ "19.0", POST_ACM, UNPROV, NULL, 0, FACT, 2 },
	{ "16.1", PRE, UNPROV, NULL, 0, FACT, 0 },
	{ "16.1", IN_OPEN, UNPROV, NULL, 0, FACT, 1 },
	{ "16.1", POST_CCM, UNPROV, NULL, 2, 0, 0 }, /* Mode ignored: SDK CFG_Unprovision */
	{ "6.2", POST_ACM, UNPROV, NULL, 0, FACT, 2 },
};

static void test_rule_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct rule *r = &rules[i];
		struct fw *fw = testlib_fw_new(r->gen, state_lines(r->state));
		uint32_t want = r->status != FACT ? r->status :
				testlib_fact(write_of(r), gen_index(r->gen), r->state)->status;
		uint32_t st = write_status(fw, r->cmd, r->ansi, r->value);

		if (st != want)
			fail_msg("rule %zu (%s cmd %#x): status %#x, want %#x", i, r->gen, r->cmd,
				 st, want);
		if (r->state_after >= 0 &&
		    testlib_fw_num(fw, NULL, "provisioning_state") != r->state_after)
			fail_msg("rule %zu: provisioning_state %g, want %d", i,
				 testlib_fw_num(fw, NULL, "provisioning_state"), r->state_after);
		fw_free(fw);
	}
}

/* Before 6.2 there are no control modes: the emulator unprovisions any provisioned box not
 * marked ACM (amtsim(5); UNCONFIRMED, a project decision). */
static void test_unprovision_without_control_mode(void **state)
{
	static const char *const post[] = { "set provisioning_state 2", NULL };
	struct fw *fw = testlib_fw_new("2.6", post);

	(void)state;
	assert_int_equal(testlib_fw_status_u32(fw, UNPROV, 0), 0);
	assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_state"), 0);
	fw_free(fw);
}

/* Control modes exist from AMT 6.2 (Intel SCS guide): a 6.2 box provisioned but in no
 * control mode is not in client control mode, so host unprovision is refused. */
static void test_unprovision_ccm_from_62(void **state)
{
	static const char *const post[] = { "set provisioning_state 2", NULL };
	struct fw *fw = testlib_fw_new("6.2", post);

	(void)state;
	assert_int_equal(testlib_fw_status_u32(fw, UNPROV, 0), 3);
	assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_state"), 2);
	testlib_fw_control(fw, "set control_mode 1");
	assert_int_equal(testlib_fw_status_u32(fw, UNPROV, 0), 0);
	assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_state"), 0);
	fw_free(fw);
}

/* The Mode field is ignored (SDK CFG_Unprovision): any value unprovisions, the provisioning
 * mode stays; a refused box is refused for its state, not for the Mode. */
static void test_unprovision_mode_ignored(void **state)
{
	static const char *const ccm[] = { "set provisioning_state 2", "set control_mode 1",
					   "set provisioning_mode 2", NULL };
	static const uint32_t modes[] = { 1, 2, 3, 0xFFFFFFFFu };

	(void)state;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct fw *fw = testlib_fw_new("16.1", ccm);

		assert_int_equal(testlib_fw_status_u32(fw, UNPROV, modes[i]), 0);
		assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_state"), 0);
		assert_int_equal(testlib_fw_num(fw, NULL, "provisioning_mode"), 2);
		fw_free(fw);
		fw = testlib_fw_new("16.1", NULL);
		assert_int_equal(testlib_fw_status_u32(fw, UNPROV, modes[i]), 3);
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
	assert_int_equal(testlib_fw_num(fw, "hello", "until") - t0, TESTLIB_FIRST_WINDOW_S);
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
			 testlib_fw_num(fw, "hello", "started_at"), TESTLIB_LATER_WINDOW_S);
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
	/* at most 223 bytes (SDK CFG_SetPkiFQDNSuffix) */
	assert_int_equal(testlib_fw_status_ansi(fw, SUFFIX, big, 223), 0);
	assert_int_equal(testlib_fw_status_ansi(fw, SUFFIX, big, 224), 0x24);
	assert_int_equal(testlib_fw_status_ansi(fw, SUFFIX, big, 256), 0x24);
	assert_int_equal(testlib_fw_status_ansi(fw, SUFFIX, big, 255), 0x24);
	assert_int_equal(fw_control(fw, "set provisioning_mode 2", out, sizeof(out)), 0);
	assert_int_equal(testlib_fw_status_ansi(fw, SUFFIX, "corp.example.com", 16), 3);
	fw_free(fw);
}

static void test_unprovision_clears(void **state)
{
	/* The box keeps its key pair here, so START answers SUCCESS; what the default does
	 * with the key (made again at its first use) is test_fw_hello's. */
	static const char *const setup[] = { "set pki_dns_suffix corp.example.com",
					     "set rules.unprovision_key 1", NULL };
	struct fw *fw = testlib_fw_new("16.1", setup);
	char buf[80], out[64];

	(void)state;
	assert_int_equal(testlib_fw_status_ansi(fw, OTP, "Passw0rd", 8), 0);
	assert_int_equal(testlib_fw_status(fw, START, "", 0), 0); /* the first window, used */
	assert_int_equal(fw_control(fw, "set provisioning_state 2", out, sizeof(out)), 0);
	assert_int_equal(fw_control(fw, "set control_mode 1", out, sizeof(out)), 0);
	assert_int_equal(testlib_fw_status_u32(fw, UNPROV, 0), 0);
	assert_int_equal(testlib_fw_num(fw, NULL, "control_mode"), 0);
	assert_string_equal(testlib_fw_str(fw, NULL, "pki_dns_suffix", buf, sizeof(buf)), "");
	assert_string_equal(testlib_fw_str(fw, "otp", "sha256", buf, sizeof(buf)), "");
	assert_int_equal(testlib_fw_num(fw, "otp", "length"), 0);
	/* a full unprovision restores the first window: the next start opens 24 h, not 6 h */
	assert_int_equal(testlib_fw_num(fw, "hello", "starts"), 0);
	assert_int_equal(testlib_fw_status(fw, START, "", 0), 0);
	assert_int_equal(testlib_fw_num(fw, "hello", "until") -
			 testlib_fw_num(fw, "hello", "started_at"), 24 * 3600);
	/* a body-less UNPROVISION is a length error */
	assert_int_equal(testlib_fw_status(fw, UNPROV, "", 0), 4);
	fw_free(fw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fact_matrix),
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_unprovision_without_control_mode),
		cmocka_unit_test(test_unprovision_ccm_from_62),
		cmocka_unit_test(test_unprovision_mode_ignored),
		cmocka_unit_test(test_otp_stored_as_hash_only),
		cmocka_unit_test(test_sha256_two_blocks),
		cmocka_unit_test(test_hello_window_timing),
		cmocka_unit_test(test_slow_key),
		cmocka_unit_test(test_suffix_details),
		cmocka_unit_test(test_unprovision_clears),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/* The emulator's hello: doc/remote-config.md 2.6 vectors A and C rebuilt byte-exact, PSK, schedule. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fw_int.h"
#include "testlib.h"
#include "testlib_facts.h"
#include "testlib_fw.h"

#define CAP 8192
#define START 0x04000029u
#define STOP 0x0400005Eu
#define UNPROVISION 0x04000010u

/* doc/remote-config.md 4.2 rows 1-24, in table order (row 20 is the unidentified a267c480...). */
static const char *const rows[24] = {
	"c3846bf24b9e93ca64274c0ec67c1ecc5e024ffcacd2d74019350e81fe546ae4",
	"45140b3247eb9cc8c5b4f0d7b53091f73292089e6e5a63e2749dd3aca9198eda",
	"d7a7a0fb5d7e2731d771e9484ebcdef71d5f0c3e0a2948782bc83ee0ea699ef4",
	"1465fa205397b876faa6f0a9958e5590e40fcc7faa4fb7c2c8677521fb5fb658",
	"2ce1cb0bf9d2f9e102993fbe215152c3b2dd0cabde1c68e5319b839154dbb7f5",
	"9acfab7e43c8d880d06b262a94deeee4b4659989c3d0caf19baf6405e41ab7df",
	"16af57a9f676b0ab126095aa5ebadef22ab31119d644ac95cd4b93dbf3f26aeb",
	"960adf0063e96356750c2965dd0a0867da0b9cbd6e77714aeafb2349ab393da3",
	"68ad50909b04363c605ef13581a939ff2c96372e3f12325b0a6861e1d59f6603",
	"6dc47172e01cbcb0bf62580d895fe2b8ac9ad4f873801e0c10b9c837d21eb177",
	"73c176434f1bc6d5adf45b0e76e727287c8de57616c1e6e6141a2b2cbc7d8e4c",
	"43df5774b03e7fef5fe40d931a7bedf1bb2e6b42738c4e6d3841103d3aa7f339",
	"2399561127a57125de8cefea610ddf2fa078b5c8067f4e828290bfb860e84b3c",
	"70a73f7f376b60074248904534b11482d5bf0e698ecc498df52577ebf2e93b9a",
	"4348a0e9444c78cb265e058d5e8944b4d84f9662bd26db257f8934a443c70161",
	"cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f",
	"31ad6648f8104138c738f39ea4320133393e3a18cc02296ef97c2ac9ef6731d0",
	"552f7bdcf1a7af9e6ce672017f4f12abf77240c78e761ac203d1d9d20ac89988",
	"67540a47aa5b9f34570a99723cfefa96a96ee3f0d9b8bf4def9440b8065d665d",
	"a267c480b0b29056eb5e8aa7c93add804f5a7df516e969e77bcacafe8d456079",
	"7224395222cd588c4f2683716922addb41e39b581ac34fa87b39efa896fbb39e",
	"cbb522d7b7f127ad6a0113865bdf1cd4102e7d0759af635a7cf4720dc963c53b",
	"179fbc148a3dd00fd24ea13458cc43bfa7f59c8182d783a513f6ebec100c8924",
	"2cabeafe37d06ca22aba7391c0033d25982952c453647349763a3ab5ad6ccf69",
};

/* doc/remote-config.md 2.6: SHA-256 of the whole captured packets. */
static const char vector_a_sha[] =
	"9dfc7f5ec76c72bafce8b3e2a3a4ee846085aa539e42dbfc501923c503383a26";
static const char vector_c_sha[] =
	"88bff00cf5be4abb1ec933a9381bb041d3d34ad4e718af66a683e5748ade0931";

/* Replace the hash table by rows of doc/remote-config.md 4.2 (1-based; `skip` left out, 0 = none). */
static void set_rows(struct fw *fw, unsigned skip)
{
	unsigned r;
	size_t len;

	fw->hash_count = 0;
	for (r = 1; r <= 24; r++) {
		struct fw_hash *h = &fw->hashes[fw->hash_count];

		if (r == skip)
			continue;
		memset(h, 0, sizeof(*h));
		h->handle = (uint32_t)fw->hash_count;
		h->algorithm = 2;
		assert_int_equal(fw_hex_decode(rows[r - 1], h->hash, 32, &len), 0);
		h->is_default = true;
		h->active = true;
		fw->hash_count++;
	}
}

static void test_vector_a(void **state)
{
	struct fw *fw = testlib_fw_new("16.1", NULL);
	uint8_t pkt[FW_HELLO_MAX];
	char sha[65];
	size_t len = 0;

	(void)state;
	/* MeshCentral's text */
	testlib_fw_control(fw, "set uuid 939b524b-13d4-1d18-e487-1c697a6b7a2b");
	set_rows(fw, 20);
	assert_int_equal(fw_hello_build(fw, 0, pkt, sizeof(pkt), &len), 0);
	assert_int_equal(len, 807);
	testlib_sha256_hex(pkt, len, sha);
	assert_string_equal(sha, vector_a_sha);
	/* the default 16.1 table is the same 23 rows: only the header depends on the box */
	fw_hashes_default(fw);
	assert_int_equal(fw_hello_build(fw, 0, pkt, sizeof(pkt), &len), 0);
	testlib_sha256_hex(pkt, len, sha);
	assert_string_equal(sha, vector_a_sha);
	fw_free(fw);
}

static void test_vector_c(void **state)
{
	static const uint8_t uuid_c[16] = { 0x3e, 0xc2, 0xff, 0xd2, 0xd1, 0x9d, 0x2d, 0x41,
					    0x86, 0x0a, 0x54, 0xb2, 0x03, 0x9b, 0x72, 0xff };
	struct fw *fw = testlib_fw_new("19.0", NULL);
	uint8_t pkt[FW_HELLO_MAX];
	char sha[65];
	size_t len = 0;

	(void)state;
	memcpy(fw->uuid, uuid_c, 16);
	set_rows(fw, 0);
	assert_int_equal(fw_hello_build(fw, 1, pkt, sizeof(pkt), &len), 0);
	assert_int_equal(len, 841);
	assert_int_equal(pkt[24], 24);
	testlib_sha256_hex(pkt, len, sha);
	assert_string_equal(sha, vector_c_sha);
	/* one byte short of the packet: refused, nothing claimed written */
	assert_int_equal(fw_hello_build(fw, 1, pkt, 840, &len), -ENOSPC);
	assert_int_equal(len, 0);
	fw_free(fw);
}

/* Inactive entries stay out; order is table order; SHA-1 tables go in as type 1. */
static void test_active_only_and_sha1(void **state)
{
	struct fw *fw = testlib_fw_new("16.1", NULL);
	uint8_t pkt[FW_HELLO_MAX], h[32];
	size_t len = 0, hl;

	(void)state;
	set_rows(fw, 0);
	fw->hashes[0].active = false;
	fw->hashes[19].active = false; /* row 20 */
	assert_int_equal(fw_hello_build(fw, 7, pkt, sizeof(pkt), &len), 0);
	assert_int_equal(len, 25 + 22 * 34);
	assert_int_equal(testlib_le32(pkt + 4), 7);
	assert_int_equal(pkt[24], 22);
	assert_int_equal(fw_hex_decode(rows[1], h, 32, &hl), 0); /* row 2 comes first now */
	assert_int_equal(pkt[25], 2);
	assert_int_equal(pkt[26], 32);
	assert_memory_equal(pkt + 27, h, 32);
	fw_free(fw);

	fw = testlib_fw_new("9.1", NULL); /* 14 default SHA-1 hashes; PKI mode */
	testlib_fw_control(fw, "set tls_mode 2");
	assert_int_equal(fw_hello_build(fw, 0, pkt, sizeof(pkt), &len), 0);
	assert_int_equal(len, 25 + 14 * 22);
	assert_int_equal(pkt[2], 3);
	assert_int_equal(pkt[24], 14);
	assert_int_equal(pkt[25], 1);
	assert_int_equal(pkt[26], 20);
	assert_memory_equal(pkt + 27, fw->hashes[0].hash, 20);
	fw_free(fw);
}

static void test_psk_v2(void **state)
{
	struct fw *fw = testlib_fw_new("2.6", NULL);
	uint8_t pkt[FW_HELLO_MAX];
	size_t len = 0;

	(void)state;
	testlib_fw_control(fw, "set pid ABCD1234");
	assert_int_equal(fw_hello_build(fw, 3, pkt, sizeof(pkt), &len), 0);
	assert_int_equal(len, 32);
	assert_int_equal(pkt[0] | pkt[1] << 8, 1);
	assert_int_equal(pkt[2] | pkt[3] << 8, 2);
	assert_int_equal(testlib_le32(pkt + 4), 3);
	assert_memory_equal(pkt + 8, fw->uuid, 16);
	assert_memory_equal(pkt + 24, "ABCD1234", 8);
	testlib_fw_control(fw, "set pid \"\"");
	assert_int_equal(fw_hello_build(fw, 0, pkt, sizeof(pkt), &len), 0);
	assert_int_equal(len, 32);
	assert_memory_equal(pkt + 24, "\0\0\0\0\0\0\0\0", 8);
	/* the same box in PKI mode sends version 3 */
	testlib_fw_control(fw, "set tls_mode 2");
	assert_int_equal(fw_hello_build(fw, 0, pkt, sizeof(pkt), &len), 0);
	assert_int_equal(pkt[2], 3);
	assert_int_equal(len, 25 + 5 * 22);
	fw_free(fw);
}

static void test_sched_parse(void **state)
{
	static const char *const bad[] = { "", "0x1", "1x", "1x1,", "x1", "1y1", "1001x1",
					   "1x86401", "1x1,,2x2", "-1x1", "1x1 ", NULL };
	struct fw_hello_sched s;
	char err[256], out[256];
	size_t i;

	(void)state;
	assert_int_equal(fw_hello_sched_parse("1x1,3x2", &s, err, sizeof(err)), 0);
	assert_int_equal(s.steps, 2);
	assert_int_equal(s.step[1].count, 3);
	assert_int_equal(s.step[1].delay_s, 2);
	fw_hello_sched_format(&s, out, sizeof(out));
	assert_string_equal(out, "1x1,3x2");
	fw_hello_sched_format(fw_hello_sched_default(), out, sizeof(out));
	assert_string_equal(out, "5x12,5x120,5x1200,25x2160");
	for (i = 0; bad[i]; i++)
		if (fw_hello_sched_parse(bad[i], &s, err, sizeof(err)) != -EINVAL)
			fail_msg("schedule \"%s\" accepted", bad[i]);
	assert_int_equal(fw_hello_sched_parse("1x0,1x0,1x0,1x0,1x0,1x0,1x0,1x0,1x0,1x0,1x0,"
					      "1x0,1x0,1x0,1x0,1x0,1x0", &s, err, sizeof(err)),
			 -EINVAL);
}

/* Walk a window attempt by attempt with the "advance" clock; returns the attempt count. */
static unsigned walk_window(struct fw *fw, const unsigned *want_delays, unsigned nwant)
{
	uint8_t pkt[FW_HELLO_MAX];
	char line[64];
	int64_t due, prev = fw->hello_started_at;
	size_t len;
	unsigned n = 0;

	while (fw_hello_next(fw, NULL, fw_now(fw), &due) == 0) {
		if (n < nwant)
			assert_int_equal(due - prev, want_delays[n]);
		snprintf(line, sizeof(line), "advance %lld", (long long)(due - fw_now(fw)));
		testlib_fw_control(fw, line);
		assert_true(fw_now(fw) >= due);
		assert_int_equal(fw_hello_retry(fw), n);
		assert_int_equal(fw_hello_build(fw, fw_hello_retry(fw), pkt, sizeof(pkt), &len), 0);
		assert_int_equal(testlib_le32(pkt + 4), n); /* the retry field counts attempts */
		fw_hello_mark(fw, fw_hello_window(fw), fw_now(fw), n % 2);
		prev = fw_now(fw);
		n++;
		assert_true(n <= 40);
	}
	return n;
}

static void test_schedule_default(void **state)
{
	static const unsigned delays[16] = { 12, 12, 12, 12, 12, 120, 120, 120, 120, 120,
					     1200, 1200, 1200, 1200, 1200, 2160 };
	struct fw *fw = testlib_fw_new("16.1", NULL);
	int64_t due;

	(void)state;
	assert_int_equal(fw_hello_next(fw, NULL, fw_now(fw), &due), -ENOENT); /* never opened */
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	assert_int_equal(fw->hello_until - fw->hello_started_at, TESTLIB_FIRST_WINDOW_S);
	assert_int_equal(fw_hello_next(fw, NULL, fw_now(fw), &due), 0);
	assert_int_equal(due, fw->hello_started_at + 12);
	/* 24 h hold the whole Realtek DASH table: 40 attempts (60660 s) */
	assert_int_equal(walk_window(fw, delays, 16), 40);
	assert_int_equal(fw->hello_attempts, 40);
	assert_int_equal(fw->hello_delivered, 20);
	assert_int_equal(fw->hello_failed, 20);
	assert_true(fw_hello_open(fw, fw_now(fw)));

	/* a later start opens 6 h: 15 attempts in 6660 s, then 36 min steps until the end
	 * clamps the schedule: 6660 + 6 x 2160 = 19620 < 21600 <= 21780 */
	testlib_fw_control(fw, "advance 86400");
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	assert_int_equal(fw->hello_until - fw->hello_started_at, TESTLIB_LATER_WINDOW_S);
	assert_int_equal(fw_hello_retry(fw), 0);
	assert_int_equal(walk_window(fw, delays, 16), 21);
	assert_true(fw_hello_open(fw, fw_now(fw)));
	testlib_fw_control(fw, "advance 2000");
	assert_false(fw_hello_open(fw, fw_now(fw)));
	fw_free(fw);
}

static void test_schedule_custom_late_stop(void **state)
{
	struct fw *fw = testlib_fw_new("16.1", NULL);
	struct fw_hello_sched s;
	char err[128];
	int64_t due, win;

	(void)state;
	assert_int_equal(fw_hello_sched_parse("1x1,3x2", &s, err, sizeof(err)), 0);
	testlib_fw_control(fw, "slow-key 30");
	/* CERTIFICATE_NOT_READY, still started */
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0x31);
	assert_int_equal(fw_hello_next(fw, &s, fw_now(fw), &due), 0);
	assert_int_equal(due, fw->cert_ready_at); /* no hello before the key pair */
	testlib_fw_control(fw, "advance 100");
	/* overdue: due in the past, and after the attempt the next is a delay later */
	assert_int_equal(fw_hello_next(fw, &s, fw_now(fw), &due), 0);
	assert_true(due < fw_now(fw));
	win = fw_hello_window(fw);
	fw_hello_mark(fw, win, fw_now(fw), 1);
	assert_int_equal(fw_hello_next(fw, &s, fw_now(fw), &due), 0);
	assert_int_equal(due, fw_now(fw) + 2);
	/* an attempt that finishes after a new window began counts only in the totals */
	assert_int_equal(testlib_fw_status(fw, STOP, NULL, 0), 0);
	assert_int_equal(fw_hello_next(fw, &s, fw_now(fw), &due), -ENOENT); /* closed */
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	fw_hello_mark(fw, win, fw_now(fw), 0);
	assert_int_equal(fw_hello_retry(fw), 0);
	assert_int_equal(fw->hello_failed, 1);
	assert_int_equal(fw->hello_delivered, 1);
	fw_free(fw);
}

/* The TLS mode query: 0 "not ready" while the key pair is being made. */
static uint32_t tls_mode(struct fw *fw)
{
	uint8_t rep[CAP];

	assert_int_equal(testlib_fw_send(fw, FW_GET_PROVISIONING_TLS_MODE, NULL, 0, rep, CAP), 20);
	return testlib_le32(rep + 16);
}

/*
 * A factory-fresh box makes its key pair at its first power-up (loading a machine file that
 * has no cert_ready_at): the generation's time, within the field documents' seven minutes;
 * meanwhile CERTIFICATE_NOT_READY, TLS mode 0 and no hello. Boxes past PRE, with AMT off,
 * or told key_generation_s 0 have their key.
 */
static void test_key_generation(void **state)
{
	struct fw *fw = testlib_fw_load("amt16-factory.json");
	const char *const *g;
	int64_t now = fw_now(fw);

	(void)state;
	assert_int_equal(testlib_fw_num(fw, NULL, "key_generation_s"), 90);
	assert_true(fw->cert_ready_at > now && fw->cert_ready_at <= now + 90);
	assert_int_equal(fw_dirty(fw), 0); /* a session that writes nothing saves nothing */
	assert_int_equal(tls_mode(fw), 0);
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0x31); /* started all the same */
	assert_true(fw_hello_open(fw, now));
	testlib_fw_control(fw, "advance 90");
	assert_int_equal(tls_mode(fw), 2);
	fw_free(fw);
	fw = testlib_fw_load("amt12-acm.json");
	assert_int_equal(fw->cert_ready_at, 0);
	fw_free(fw);
	fw = testlib_fw_load("amt16-disabled.json");
	assert_int_equal(fw->cert_ready_at, 0);
	fw_free(fw);
	for (g = fw_generations(); *g; g++) {
		const struct fw_gen *gen = fw_gen_find(*g);

		assert_true(gen->key_gen_s <= 7 * 60);
		assert_true((gen->key_gen_s == 0) == (gen->rcfg == FW_RCFG_PSK_ONLY));
	}
	/* a new generation brings its own default */
	fw = testlib_fw_new("16.1", NULL);
	testlib_fw_control(fw, "set generation 3.0");
	assert_int_equal(testlib_fw_num(fw, NULL, "key_generation_s"), 360);
	fw_free(fw);
}

/*
 * A full unprovision discards the key pair, and the box makes a new one at its first use
 * (rules.unprovision_key 0, UNCONFIRMED): TLS mode 0 until then, however long it waits;
 * START_CONFIGURATION answers CERTIFICATE_NOT_READY (started all the same) for
 * key_generation_s, and no hello goes out before the key exists. Told to keep it (1), the
 * box starts at once; told to make it at once (2), it is ready key_generation_s after the
 * unprovision. A PSK-only generation has no key to make.
 */
static void test_key_after_unprovision(void **state)
{
	struct fw *fw = testlib_fw_load("amt11-ccm.json");
	uint32_t mode;
	int64_t due;

	(void)state;
	mode = tls_mode(fw);
	assert_int_not_equal(mode, 0); /* a provisioned box has its key */
	assert_int_equal(testlib_fw_num(fw, "rules", "unprovision_key"), 0);
	assert_int_equal(testlib_fw_status_u32(fw, UNPROVISION, 0), 0);
	assert_true(fw->key_discarded);
	assert_int_equal(tls_mode(fw), 0);
	testlib_fw_control(fw, "advance 3600"); /* not made before it is needed */
	assert_int_equal(tls_mode(fw), 0);
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0x31);
	assert_false(fw->key_discarded);
	assert_int_equal(fw->cert_ready_at, fw_now(fw) + 120); /* 11.8's default */
	assert_int_equal(fw_hello_next(fw, NULL, fw_now(fw), &due), 0);
	assert_int_equal(due, fw->cert_ready_at);
	testlib_fw_control(fw, "advance 120");
	assert_int_equal(tls_mode(fw), mode);
	fw_free(fw);

	fw = testlib_fw_load("amt11-ccm.json");
	testlib_fw_control(fw, "set rules.unprovision_key 1");
	assert_int_equal(testlib_fw_status_u32(fw, UNPROVISION, 0), 0);
	assert_false(fw->key_discarded);
	assert_int_equal(tls_mode(fw), mode);
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	fw_free(fw);

	fw = testlib_fw_load("amt11-ccm.json");
	testlib_fw_control(fw, "set rules.unprovision_key 2");
	assert_int_equal(testlib_fw_status_u32(fw, UNPROVISION, 0), 0);
	assert_int_equal(tls_mode(fw), 0);
	assert_int_equal(fw->cert_ready_at, fw_now(fw) + 120);
	testlib_fw_control(fw, "advance 120");
	assert_int_equal(tls_mode(fw), mode);
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	assert_int_not_equal(fw_control(fw, "set rules.unprovision_key 3", (char[256]){ 0 }, 256),
			     0);
	fw_free(fw);

	fw = testlib_fw_new("2.5", (const char *const[]){ "set provisioning_state 2", NULL });
	assert_int_equal(testlib_fw_status_u32(fw, UNPROVISION, 0), 0);
	assert_false(fw->key_discarded);
	fw_free(fw);
}

/* The core's "hello-now": refusals only (amtsim does the sending); counters in "show". */
static void test_control(void **state)
{
	struct fw *fw = testlib_fw_new("16.1", NULL);
	char out[8192];

	(void)state;
	assert_int_equal(fw_control(fw, "hello-now", out, sizeof(out)), -EINVAL);
	assert_non_null(strstr(out, "window is closed"));
	assert_int_equal(testlib_fw_status(fw, START, NULL, 0), 0);
	assert_int_equal(fw_control(fw, "hello-now", out, sizeof(out)), -EINVAL);
	assert_non_null(strstr(out, "no hello sender"));
	fw_hello_mark(fw, fw_hello_window(fw), fw_now(fw), 1);
	assert_int_equal(fw_control(fw, "show", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "\"attempts\":\t1"));
	assert_non_null(strstr(out, "\"delivered\":\t1"));
	assert_non_null(strstr(out, "\"failed\":\t0"));
	testlib_fw_control(fw, "set hello.failed 5");
	assert_int_equal(fw->hello_failed, 5);
	fw_free(fw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vector_a),
		cmocka_unit_test(test_vector_c),
		cmocka_unit_test(test_active_only_and_sha1),
		cmocka_unit_test(test_psk_v2),
		cmocka_unit_test(test_sched_parse),
		cmocka_unit_test(test_schedule_default),
		cmocka_unit_test(test_schedule_custom_late_stop),
		cmocka_unit_test(test_key_after_unprovision),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_key_generation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

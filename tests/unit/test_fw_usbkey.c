// SPDX-License-Identifier: MIT
/*
 * The emulated MEBx consuming a USB key at power-on (doc/setup-bin.md 6): the next record
 * applies while the MEBx password is the factory one, the header's consumed count goes up
 * on the key unless the file says "do not consume", a provisioned box, a changed password, a
 * newer file version and a record without the factory password are refused, and the box
 * then starts hellos (PSK with the new PID; PKI with the suffix, the hash and the server).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "setupbin.h"
#include "testlib_fw.h"

static char dir[64];
static char key[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/amtact-usbkey.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(key, sizeof(key), "%s/setup.bin", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(key);
	return rmdir(dir);
}

/* One record: 1/1 current password, 1/2 new password, then `extra` (module, var, value). */
struct ent {
	uint16_t module, var;
	const char *val;
	size_t len;
};

static void put_key(unsigned type, uint8_t minor, uint16_t flags, const char *current,
		    const struct ent *extra, size_t nextra, unsigned records, uint32_t consumed)
{
	static uint8_t file[4 * SETUPBIN_CHUNK];
	struct setupbin_record r;
	struct setupbin_header h;
	FILE *f;

	assert_true(records <= 3);
	setupbin_header_init(&h, type, minor, flags);
	h.record_count = records;
	h.consumed = consumed;
	for (unsigned i = 0; i < records; i++) {
		char pid[9];

		setupbin_record_init(&r, i + 1, SETUPBIN_REC_VALID);
		assert_int_equal(setupbin_record_add(&r, 1, 1, current, strlen(current), NULL), 0);
		assert_int_equal(setupbin_record_add(&r, 1, 2, "N3w!Passw0rd", 12, NULL), 0);
		for (size_t k = 0; k < nextra; k++) {
			const char *v = extra[k].val;

			/* record i gets PID AB12CD3<i> */
			if (extra[k].module == 2 && extra[k].var == 1) {
				assert_true(i < 10);
				snprintf(pid, sizeof(pid), "AB12CD3%c", (char)('0' + i));
				v = pid;
			}
			assert_int_equal(setupbin_record_add(&r, extra[k].module, extra[k].var, v,
							     extra[k].len, NULL), 0);
		}
		setupbin_header_add_modules(&h, &r);
		assert_int_equal(setupbin_record_encode(file + 512 * (i + 1), 512, &r, NULL), 0);
	}
	assert_int_equal(setupbin_header_encode(file, 512, &h, NULL), 0);
	f = fopen(key, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(file, 1, 512 * (records + 1), f), 512 * (records + 1));
	assert_int_equal(fclose(f), 0);
}

static const struct ent psk[] = {
	{ 2, 1, "AB12CD30", 8 },
	{ 2, 2, "ABCD1234EFGH5678IJKL9012MNOP3456", 32 },
};

/* The consumed count at header offset 32, read from the key's bytes. */
static uint32_t consumed_on_key(void)
{
	uint8_t b[36];
	FILE *f = fopen(key, "rb");

	assert_non_null(f);
	assert_int_equal(fread(b, 1, sizeof(b), f), sizeof(b));
	fclose(f);
	return (uint32_t)(b[32] | b[33] << 8 | b[34] << 16 | (uint32_t)b[35] << 24);
}

static void power_cycle(struct fw *fw, char *out, size_t cap)
{
	char line[200];

	snprintf(line, sizeof(line), "usb-key %s", key);
	testlib_fw_control(fw, line);
	assert_int_equal(fw_control(fw, "power-cycle", out, cap), 0);
}

static void test_psk_consumed(void **state)
{
	struct fw *fw = testlib_fw_load("amt2.6-psk.json");
	char out[512], buf[64];

	(void)state;
	put_key(1, 0, 0, "admin", psk, 2, 2, 0);
	power_cycle(fw, out, sizeof(out));
	assert_non_null(strstr(out, "record 1 of 2 applied (PSK, PID AB12CD30), 1 left"));
	assert_string_equal(testlib_fw_str(fw, NULL, "pid", buf, sizeof(buf)), "AB12CD30");
	assert_int_equal(testlib_fw_num(fw, NULL, "tls_mode"), 1);
	assert_true(strstr(out, "PSK hellos for 6 h") != NULL);
	assert_int_equal(testlib_fw_num(fw, "hello", "until") -
			 testlib_fw_num(fw, "hello", "started_at"), 6 * 3600);
	assert_int_equal(consumed_on_key(), 1);
	/* The password is no longer "admin": the next power-on refuses the key (2209). */
	power_cycle(fw, out, sizeof(out));
	assert_non_null(strstr(out, "usb key refused: 2209"));
	assert_int_equal(consumed_on_key(), 1);
	fw_free(fw);
	/* Another factory box takes the second record. */
	fw = testlib_fw_load("amt2.6-psk.json");
	power_cycle(fw, out, sizeof(out));
	assert_non_null(strstr(out, "record 2 of 2 applied (PSK, PID AB12CD31), 0 left"));
	assert_int_equal(consumed_on_key(), 2);
	fw_free(fw);
	/* A third one finds nothing left and keeps its own PID. */
	fw = testlib_fw_load("amt2.6-psk.json");
	power_cycle(fw, out, sizeof(out));
	assert_non_null(strstr(out, "no records left (2 of 2 used)"));
	assert_string_equal(testlib_fw_str(fw, NULL, "pid", buf, sizeof(buf)), "K7QX4MZ2");
	fw_free(fw);
}

static void test_not_consumed(void **state)
{
	char out[512], buf[64];

	(void)state;
	put_key(1, 0, SETUPBIN_FILE_NO_CONSUME, "admin", psk, 2, 2, 0);
	for (int i = 0; i < 2; i++) {
		struct fw *fw = testlib_fw_load("amt2.6-psk.json");

		power_cycle(fw, out, sizeof(out));
		assert_non_null(strstr(out, "record 1 of 2 applied"));
		assert_string_equal(testlib_fw_str(fw, NULL, "pid", buf, sizeof(buf)), "AB12CD30");
		assert_int_equal(consumed_on_key(), 0);
		fw_free(fw);
	}
}

static void expect_refusal(struct fw *fw, const char *words)
{
	char out[512], buf[64];

	power_cycle(fw, out, sizeof(out));
	if (!strstr(out, words))
		fail_msg("got \"%s\", expected \"%s\"", out, words);
	assert_int_equal(consumed_on_key(), 0);
	assert_string_not_equal(testlib_fw_str(fw, NULL, "pid", buf, sizeof(buf)), "AB12CD30");
	fw_free(fw);
}

static void test_refusals(void **state)
{
	static const struct ent bad_order[] = { { 2, 1, "AB12CD30", 8 }, { 1, 3, "\x01", 1 } };
	struct fw *fw;

	(void)state;
	put_key(1, 0, 0, "admin", psk, 2, 1, 0);
	fw = testlib_fw_load("amt2.6-psk.json");
	testlib_fw_control(fw, "set provisioning_state 2");
	expect_refusal(fw, "already provisioned");
	fw = testlib_fw_load("amt2.6-psk.json");
	testlib_fw_control(fw, "set mebx_password_changed true");
	expect_refusal(fw, "2209 - USB provisioning error: the MEBx password");
	expect_refusal(testlib_fw_load("noamt.json"), "no AMT");
	put_key(2, 0, 0, "admin", psk, 2, 1, 0);
	expect_refusal(testlib_fw_load("amt2.6-psk.json"), "file version 2.0 is newer than AMT 2.6");
	put_key(1, 0, 0, "Other!Pw1", psk, 2, 1, 0);
	expect_refusal(testlib_fw_load("amt2.6-psk.json"), "current MEBx password is not the factory");
	put_key(1, 0, 0, "admin", bad_order, 2, 1, 0);
	expect_refusal(testlib_fw_load("amt2.6-psk.json"), "breaks the file rules: entry 4");
}

static void test_pki_record(void **state)
{
	static const uint8_t sha1[20] = { 0x5a, 0x5a };
	uint8_t hashval[64];
	struct ent pki[] = {
		{ 2, 3, "corp.example", 12 }, { 2, 4, "scs.corp.example", 16 }, { 2, 5, "\x01", 1 },
		{ 2, 7, "\x01", 1 }, { 2, 8, (const char *)hashval, 0 },
	};
	struct fw *fw = testlib_fw_load("amt3.0-factory.json");
	uint8_t hello[FW_HELLO_MAX];
	size_t len, hashes_before;
	char out[512], buf[300];
	int n;

	(void)state;
	n = setupbin_hash_encode(hashval, sizeof(hashval), 1, sha1, 20, "Corp Root", NULL);
	assert_true(n > 0);
	pki[4].len = (size_t)n;
	put_key(2, 0, 0, "admin", pki, 5, 1, 0);
	/* The hello lists the active hashes after its 24-byte header (doc/remote-config.md 2.2). */
	assert_int_equal(fw_hello_build(fw, 0, hello, sizeof(hello), &len), 0);
	hashes_before = hello[24];
	power_cycle(fw, out, sizeof(out));
	assert_non_null(strstr(out, "record 1 of 1 applied (PKI, suffix corp.example)"));
	assert_non_null(strstr(out, "PKI hellos for 24 h"));
	assert_string_equal(testlib_fw_str(fw, NULL, "pki_dns_suffix", buf, sizeof(buf)),
			    "corp.example");
	assert_int_equal(testlib_fw_num(fw, NULL, "tls_mode"), 2);
	assert_int_equal(fw_hello_build(fw, 0, hello, sizeof(hello), &len), 0);
	assert_int_equal(hello[24], hashes_before + 1);
	assert_non_null(memmem(hello, len, sha1, sizeof(sha1)));
	fw_hello_server_name(fw, buf, sizeof(buf));
	assert_string_equal(buf, "scs.corp.example");
	assert_int_equal(consumed_on_key(), 1);
	fw_free(fw);
}

/* Version 3: 2/17 address (stored reversed), 2/18 port, 2/28 = 1 opens the window at once. */
static void test_pki_start(void **state)
{
	struct ent pki[] = {
		{ 2, 3, "corp.example", 12 }, { 2, 5, "\x01", 1 }, { 2, 17, "\x05\x04\x00\x0a", 4 },
		{ 2, 18, "\xf3\x26", 2 }, { 2, 28, "\x01", 1 },
	};
	struct fw *fw = testlib_fw_new("7.0", NULL);
	char out[512], buf[300];

	(void)state;
	testlib_fw_control(fw, "set hello.starts 1"); /* its own first window was used */
	put_key(3, 0, 0, "admin", pki, 5, 1, 0);
	power_cycle(fw, out, sizeof(out));
	assert_non_null(strstr(out, "applied (PKI"));
	fw_hello_server_name(fw, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.4.5");
	assert_int_equal(testlib_fw_num(fw, "provisioning_server", "port"), 9971);
	assert_int_equal(testlib_fw_num(fw, "hello", "starts"), 2);
	assert_true(fw_hello_open(fw, fw_now(fw)));
	fw_free(fw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_psk_consumed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_consumed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pki_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pki_start, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/* Emulator state files, example machines, faults and the control language. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fw.h"
#include "fw_int.h"
#include "testlib.h"
#include "testlib_fw.h"

#define CAP 8192

static const uint8_t get_uuid[12] = { 1, 1, 0, 0, 0x5c, 0, 0, 4, 0, 0, 0, 0 };

static void expect_load_error(const char *text, int want, const char *msg)
{
	char err[512];
	struct fw *fw = (struct fw *)1;
	const char *path = testlib_tmp_file("bad.json", text, 0644);

	assert_int_equal(fw_load(&fw, path, err, sizeof(err)), want);
	assert_null(fw);
	if (!strstr(err, msg) || !strstr(err, path))
		fail_msg("for %s: error \"%s\" lacks \"%s\"", text, err, msg);
}

static void test_bad_state_files(void **state)
{
	char err[512], path[128];
	struct fw *fw = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/missing.json", testlib_tmpdir());
	assert_int_equal(fw_load(&fw, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
	assert_int_equal(fw_load(&fw, testlib_tmpdir(), err, sizeof(err)), -EISDIR);
	expect_load_error("{\"generation\": \"16.1\",", -EINVAL, "corrupt or truncated JSON");
	expect_load_error("", -EINVAL, "corrupt or truncated JSON");
	expect_load_error("[1]", -EINVAL, "expected a JSON object");
	expect_load_error("{\"generation\": \"7.5\"}", -EINVAL,
			  "field \"generation\": unknown generation \"7.5\" (known: 2.0, 2.1, 2.2, "
			  "2.5, 2.6, 3.0, 3.2, 4.0, 5.0, 6.2, 7.0, 9.1, 10.0, 11.8, 12.0, 16.1, 19.0)");
	expect_load_error("{\"generation\": 16}", -EINVAL, "field \"generation\": expected a string");
	expect_load_error("{\"provisioning_state\": \"2\"}", -EINVAL,
			  "field \"provisioning_state\": expected an integer");
	expect_load_error("{\"provisioning_state\": 3}", -EINVAL,
			  "field \"provisioning_state\": out of range");
	expect_load_error("{\"control_mode\": -1}", -EINVAL, "field \"control_mode\": out of range");
	expect_load_error("{\"tls_mode\": 1.5}", -EINVAL, "field \"tls_mode\": expected an integer");
	/* beyond int64_t: refused before any conversion (was undefined behaviour) */
	expect_load_error("{\"provisioning_state\": 1e300}", -EINVAL,
			  "field \"provisioning_state\": out of range");
	expect_load_error("{\"clock_offset\": -1e300}", -EINVAL,
			  "field \"clock_offset\": out of range");
	expect_load_error("{\"cert_ready_at\": 9223372036854775808}", -EINVAL,
			  "field \"cert_ready_at\": out of range");
	expect_load_error("{\"edition\": \"pro\"}", -EINVAL, "field \"edition\": expected");
	expect_load_error("{\"amt_enabled\": 1}", -EINVAL, "field \"amt_enabled\": expected true");
	expect_load_error("{\"provisoning_state\": 1}", -EINVAL,
			  "field \"provisoning_state\": unknown field");
	expect_load_error("{\"uuid\": \"1c113fd2-3325-4594-a272\"}", -EINVAL, "field \"uuid\"");
	expect_load_error("{\"lan_wired\": 5}", -EINVAL, "field \"lan_wired\": expected an object");
	expect_load_error("{\"lan_wired\": {\"mac\": \"54:ee:75:49:b2\"}}", -EINVAL,
			  "field \"lan_wired.mac\"");
	expect_load_error("{\"lan_wired\": {\"ipv4\": \"10.0.0.256\"}}", -EINVAL,
			  "field \"lan_wired.ipv4\"");
	expect_load_error("{\"pid\": \"TOOLONGPID\"}", -EINVAL, "field \"pid\": string too long");
	expect_load_error("{\"faults\": {\"malformed\": \"bogus\"}}", -EINVAL,
			  "field \"faults.malformed\"");
	expect_load_error("{\"faults\": {\"noreply\": \"GET_NOTHING\"}}", -EINVAL,
			  "field \"faults.noreply\": unknown command name");
	expect_load_error("{\"otp\": {\"sha256\": \"abc\"}}", -EINVAL, "field \"otp.sha256\"");
	expect_load_error("{\"cert_hashes\": [{\"handle\": 0, \"name\": \"x\", \"algorithm\": 2,"
			  "\"hash\": \"abcd\", \"default\": true, \"active\": true}]}",
			  -EINVAL, "field \"cert_hashes[0]\": hash must be hex");
	expect_load_error("{\"cert_hashes\": {}}", -EINVAL, "field \"cert_hashes\"");
}

/* Reading the machine file: too large, out of memory and a failed read each say so. */
static void test_file_read_errors(void **state)
{
	char err[256], *buf = (char *)1, *text = NULL;

	(void)state;
	assert_int_equal(fw_file_buffer("m.json", 2u << 20, 1u << 20, &buf, err, sizeof(err)),
			 -EINVAL);
	assert_null(buf);
	assert_non_null(strstr(err, "m.json: larger than 1 MiB"));
#ifndef __SANITIZE_ADDRESS__
	/* No allocator gives 2^60 bytes (ASan's stops the program instead of failing). */
	assert_int_equal(fw_file_buffer("m.json", 1ull << 60, SIZE_MAX, &buf, err, sizeof(err)),
			 -ENOMEM);
	assert_null(buf);
	assert_non_null(strstr(err, "m.json: out of memory"));
#endif
	assert_int_equal(fw_file_buffer("m.json", 4, 1u << 20, &buf, err, sizeof(err)), 0);
	assert_non_null(buf);
	assert_int_equal(fw_file_loaded("m.json", &buf, -EIO, &text, err, sizeof(err)), -EIO);
	assert_null(text);
	assert_non_null(strstr(err, "m.json: short read"));
	assert_int_equal(fw_file_loaded("m.json", &buf, -EACCES, &text, err, sizeof(err)),
			 -EACCES);
	assert_non_null(strstr(err, strerror(EACCES)));
	memcpy(buf, "{}\n", 3);
	assert_int_equal(fw_file_loaded("m.json", &buf, 0, &text, err, sizeof(err)), 0);
	assert_null(buf);
	assert_string_equal(text, "{}\n");
	free(text);
}

static void test_builtin_default(void **state)
{
	char err[256], *json;
	struct fw *fw = NULL;
	const char *const *g = fw_generations();

	(void)state;
	assert_int_equal(fw_load(&fw, NULL, err, sizeof(err)), 0);
	json = fw_state_json(fw);
	assert_non_null(strstr(json, "\"generation\":\t\"16.1\""));
	assert_non_null(strstr(json, "\"provisioning_state\":\t0"));
	assert_non_null(strstr(json, "\"zero_touch_enabled\":\ttrue"));
	assert_non_null(strstr(json, "\"tls_mode\":\t2"));
	assert_non_null(strstr(json, "\"starts\":\t0"));
	free(json);
	assert_int_equal(fw_save(fw, err, sizeof(err)), 0); /* no path: no-op */
	fw_free(fw);
	assert_string_equal(g[0], "2.0");
	assert_string_equal(g[4], "2.6");
	assert_string_equal(g[16], "19.0");
	assert_null(g[17]);
	assert_int_equal(fw_new(&fw, "7.5", err, sizeof(err)), -EINVAL);
}

static void test_round_trip_and_save(void **state)
{
	const char *const *g;
	char err[256], out[128], *a, *b;
	struct fw *fw, *again;
	const char *path;
	struct stat st;

	(void)state;
	for (g = fw_generations(); *g; g++) {
		assert_int_equal(fw_new(&fw, *g, err, sizeof(err)), 0);
		assert_int_equal(fw_control(fw, "set pki_dns_suffix corp.example.com", out,
					    sizeof(out)), 0);
		assert_int_equal(fw_control(fw, "busy 3", out, sizeof(out)), 0);
		a = fw_state_json(fw);
		path = testlib_tmp_file("rt.json", a, 0644);
		assert_int_equal(fw_load(&again, path, err, sizeof(err)), 0);
		b = fw_state_json(again);
		assert_string_equal(a, b);
		free(b);
		/* save after a change, reload, same JSON; file is 0600 */
		assert_int_equal(fw_control(again, "advance 3600", out, sizeof(out)), 0);
		assert_int_equal(fw_dirty(again), 1);
		assert_int_equal(fw_save(again, err, sizeof(err)), 0);
		assert_int_equal(fw_dirty(again), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		b = fw_state_json(again);
		fw_free(again);
		assert_int_equal(fw_load(&again, path, err, sizeof(err)), 0);
		free(a);
		a = fw_state_json(again);
		assert_string_equal(a, b);
		free(a);
		free(b);
		fw_free(again);
		fw_free(fw);
	}
}

static void test_example_machines(void **state)
{
	static const char *const all[] = { "amt16-factory.json", "amt2.6-psk.json",
					   "amt12-acm.json", "amt11-ccm.json", "ism9.json",
					   "amt16-disabled.json", "noamt.json",
					   "amt19-inprov.json", "amt2.0-psk.json",
					   "amt2.1-fresh.json", "amt2.2-pki.json",
					   "amt2.5-psk.json", "amt3.0-factory.json",
					   "amt3.2-factory.json", "amt4.0-post.json",
					   "amt5.0-factory.json", "amt7-ccm.json",
					   "amt10-psk.json" };
	struct fw_client_props props;
	uint8_t rep[CAP];
	struct fw *fw;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		fw_free(testlib_fw_load(all[i]));
	fw = testlib_fw_load("noamt.json");
	assert_int_equal(fw_connect(fw, testlib_amthi_guid, NULL, &props), -ENOTTY);
	fw_free(fw);
	fw = testlib_fw_load("amt16-disabled.json");
	assert_int_equal(testlib_fw_send(fw, 0x0400001A, NULL, 0, rep, CAP), 0);
	fw_free(fw);
	fw = testlib_fw_load("amt2.6-psk.json");
	testlib_fw_control(fw, "slow-key 0"); /* its key pair made at the first power-up */
	assert_int_equal(testlib_fw_send(fw, 0x0400003B, NULL, 0, rep, CAP), 24);
	assert_memory_equal(rep + 16, "K7QX4MZ2", 8);
	testlib_fw_send(fw, 0x0400002B, NULL, 0, rep, CAP);
	assert_int_equal(testlib_le32(rep + 16), 1);
	fw_free(fw);
	fw = testlib_fw_load("amt19-inprov.json");
	testlib_fw_send(fw, 0x04000029, NULL, 0, rep, CAP);
	assert_int_equal(testlib_le32(rep + 12), 3); /* window open */
	fw_free(fw);
	fw = testlib_fw_load("amt12-acm.json");
	testlib_fw_send(fw, 0x0400006B, NULL, 0, rep, CAP);
	assert_int_equal(testlib_le32(rep + 16), 2);
	fw_free(fw);
	fw = testlib_fw_load("ism9.json");
	assert_int_equal(testlib_fw_send(fw, 0x0400001A, NULL, 0, rep, CAP), 525);
	assert_memory_equal(rep + 16 + 69 + 4 * 44 + 22, "\x02\x00" "16", 4);
	fw_free(fw);
}

static void test_faults(void **state)
{
	struct fw *fw;
	char err[256], out[256], *big;
	uint8_t rep[CAP];
	size_t got;
	unsigned epoch;
	struct timespec ts = { 0, 80 * 1000000L };

	(void)state;
	assert_int_equal(fw_new(&fw, "16.1", err, sizeof(err)), 0);
	assert_int_equal(fw_control(fw, "busy 2", out, sizeof(out)), 0);
	assert_int_equal(fw_connect(fw, testlib_amthi_guid, NULL, NULL), -EBUSY);
	assert_int_equal(fw_connect(fw, testlib_amthi_guid, NULL, NULL), -EBUSY);
	assert_int_equal(fw_connect(fw, testlib_amthi_guid, NULL, NULL), 0);
	assert_int_equal(fw_control(fw, "reset-after 2 50", out, sizeof(out)), 0);
	epoch = fw_epoch(fw);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, get_uuid, 12, rep, CAP, &got), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, get_uuid, 12, rep, CAP, &got), -ENODEV);
	assert_int_equal(fw_epoch(fw), epoch + 1);
	assert_int_equal(fw_ready(fw), -ENODEV);
	assert_int_equal(fw_connect(fw, testlib_amthi_guid, NULL, NULL), -ENODEV);
	nanosleep(&ts, NULL);
	assert_int_equal(fw_ready(fw), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, get_uuid, 12, rep, CAP, &got), 0);
	assert_int_equal(fw_control(fw, "noreply GET_UUID", out, sizeof(out)), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, get_uuid, 12, rep, CAP, &got),
			 FW_NO_REPLY);
	assert_int_equal(testlib_fw_send(fw, 0x04000011, NULL, 0, rep, CAP), 20);
	assert_int_equal(fw_control(fw, "noreply all", out, sizeof(out)), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, get_uuid, 12, rep, CAP, &got),
			 FW_NO_REPLY);
	assert_int_equal(fw_control(fw, "latency 15", out, sizeof(out)), 0);
	big = malloc(65536);
	assert_non_null(big);
	assert_int_equal(fw_control(fw, "show", big, 65536), 0);
	assert_non_null(strstr(big, "\"noreply\":\t\"all\""));
	assert_non_null(strstr(big, "\"latency_ms\":\t15"));
	free(big);
	assert_int_equal(fw_control(fw, "clear", out, sizeof(out)), 0);
	assert_int_equal(testlib_fw_send(fw, 0x0400005C, NULL, 0, rep, CAP), 32);
	assert_int_equal(fw_latency_ms(fw), 0);
	assert_int_equal(fw_control(fw, "latency 15", out, sizeof(out)), 0);
	testlib_fw_send(fw, 0x0400005C, NULL, 0, rep, CAP);
	assert_int_equal(fw_latency_ms(fw), 15);
	fw_free(fw);
}

struct mal {
	const char *kind;
	size_t len;
	uint32_t length_field;
};

static void test_malformed_kinds(void **state)
{
	static const struct mal kinds[] = {
		{ "empty", 0, 0 },   { "short", 28, 20 },   { "length", 32, 21 },
		{ "command", 32, 20 }, { "reserved", 32, 20 }, { "version", 32, 20 },
		{ "size", 36, 24 },  { "trailing", 33, 20 },
	};
	static const uint8_t mkhi_req[4] = { 0xff, 0x02, 0, 0 };
	char err[256], line[64], out[256];
	uint8_t rep[CAP];
	struct fw *fw;
	size_t i, got;

	(void)state;
	assert_int_equal(fw_new(&fw, "16.1", err, sizeof(err)), 0);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		snprintf(line, sizeof(line), "malformed GET_UUID %s", kinds[i].kind);
		assert_int_equal(fw_control(fw, line, out, sizeof(out)), 0);
		assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, get_uuid, 12, rep, CAP, &got), 0);
		assert_int_equal(got, kinds[i].len);
		if (got)
			assert_int_equal(testlib_le32(rep + 8), kinds[i].length_field);
		if (strcmp(kinds[i].kind, "command") == 0)
			assert_int_equal(testlib_le32(rep + 4), 0x0400005C);
		if (strcmp(kinds[i].kind, "reserved") == 0)
			assert_int_equal(rep[2], 1);
		if (strcmp(kinds[i].kind, "version") == 0)
			assert_int_equal(rep[0], 2);
		/* other commands are untouched */
		assert_int_equal(testlib_fw_send(fw, 0x04000011, NULL, 0, rep, CAP), 20);
	}
	assert_int_equal(fw_control(fw, "malformed GET_FW_VERSION command", out, sizeof(out)), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_MKHI, mkhi_req, 4, rep, CAP, &got), 0);
	assert_int_equal(rep[1], 0x02);
	fw_free(fw);
}

static void test_control_errors(void **state)
{
	static const char *const bad[] = {
		"", "bogus", "busy", "busy x", "busy 1 2", "reset-after", "noreply NOPE",
		"malformed GET_UUID bogus", "malformed NOPE empty", "latency -1", "strict maybe",
		"set nope 1", "set provisioning_state 7", "set generation 7.5", "advance soon",
		"show extra",
	};
	char err[256], out[256], *before, *after;
	struct fw *fw;
	size_t i;

	(void)state;
	assert_int_equal(fw_new(&fw, "16.1", err, sizeof(err)), 0);
	before = fw_state_json(fw);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (fw_control(fw, bad[i], out, sizeof(out)) != -EINVAL || !out[0])
			fail_msg("\"%s\" was accepted", bad[i]);
	}
	after = fw_state_json(fw);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(fw_control(fw, "set provisioning_state 7", out, sizeof(out)), -EINVAL);
	assert_non_null(strstr(out, "provisioning_state"));
	fw_free(fw);
}

static void test_faults_from_state_file(void **state)
{
	char err[256];
	struct fw *fw;
	const char *path = testlib_tmp_file("f.json", "{\"generation\": \"11.8\", \"faults\": "
					    "{\"busy\": 1, \"noreply\": \"GET_UUID\"}}", 0644);
	uint8_t rep[CAP];
	size_t got;

	(void)state;
	assert_int_equal(fw_load(&fw, path, err, sizeof(err)), 0);
	assert_int_equal(fw_connect(fw, testlib_amthi_guid, NULL, NULL), -EBUSY);
	assert_int_equal(fw_connect(fw, testlib_amthi_guid, NULL, NULL), 0);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, get_uuid, 12, rep, CAP, &got),
			 FW_NO_REPLY);
	fw_free(fw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_state_files),
		cmocka_unit_test(test_file_read_errors),
		cmocka_unit_test(test_builtin_default),
		cmocka_unit_test(test_round_trip_and_save),
		cmocka_unit_test(test_example_machines),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_malformed_kinds),
		cmocka_unit_test(test_control_errors),
		cmocka_unit_test(test_faults_from_state_file),
	};

	return cmocka_run_group_tests(tests, testlib_tmpdir_setup, testlib_tmpdir_teardown);
}

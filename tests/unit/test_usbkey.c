// SPDX-License-Identifier: MIT
/*
 * Unit tests for include/usbkey.h: the PID/PPS file, certificate-hash and address options,
 * the file version per target generation (doc/setup-bin.md 1), the records usbkey_build
 * writes (doc/setup-bin.md 4, read back with the codec) and the JSON spec.
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

#include "usbkey.h"

static const char pairs[] =
	"# PID       PPS\n"
	"AB12-CD34  ABCD-1234-EFGH-5678-IJKL-9012-MNOP-3456\r\n"
	"\n"
	"  xy12cd34,abcd1234efgh5678ijkl9012mnop3457  \n";

static void test_psk_file(void **state)
{
	struct usbkey_spec s;
	struct amt_err e;

	(void)state;
	usbkey_spec_init(&s);
	assert_int_equal(usbkey_psk_parse(&s, pairs, strlen(pairs), &e), 0);
	assert_int_equal(s.psk_count, 2);
	assert_string_equal(s.psk[0].pid, "AB12CD34");
	assert_string_equal(s.psk[1].pps, "ABCD1234EFGH5678IJKL9012MNOP3457");
	usbkey_spec_clear(&s);
	assert_null(s.psk);
	/* The error names the line and the problem, never the PPS. */
	usbkey_spec_init(&s);
	err_clear(&e);
	assert_int_equal(usbkey_psk_parse(&s, "AB12CD34 SECRET0SECRET1\n", 24, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "line 1: PPS: 14 characters, expected 32"));
	assert_null(strstr(e.msg, "SECRET"));
	assert_int_equal(usbkey_psk_parse(&s, "\nAB12CD34\n", 10, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "line 2: expected a PID and a PPS"));
	assert_int_equal(usbkey_psk_parse(&s, "AB1?CD34 X\n", 11, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "PID: character 4"));
	usbkey_spec_clear(&s);
}

/* Many pairs: the list grows without losing any. */
static void test_psk_many(void **state)
{
	struct usbkey_spec s;
	struct amt_err e;
	char line[80];

	(void)state;
	usbkey_spec_init(&s);
	for (unsigned i = 0; i < 100; i++) {
		int n = snprintf(line, sizeof(line), "AB%06u ABCD1234EFGH5678IJKL9012MN%06u\n", i, i);

		assert_int_equal(usbkey_psk_parse(&s, line, (size_t)n, &e), 0);
	}
	assert_int_equal(s.psk_count, 100);
	assert_string_equal(s.psk[0].pid, "AB000000");
	assert_string_equal(s.psk[99].pps, "ABCD1234EFGH5678IJKL9012MN000099");
	usbkey_spec_clear(&s);
}

static void test_options(void **state)
{
	struct usbkey_hash h;
	struct amt_err e;
	uint8_t a[4];
	unsigned type;
	uint8_t minor;

	(void)state;
	assert_int_equal(usbkey_hash_parse("sha1:000102030405060708090a0b0c0d0e0f10111213:Corp",
					   &h, &e), 0);
	assert_int_equal(h.algo, 1);
	assert_int_equal(h.len, 20);
	assert_int_equal(h.hash[19], 0x13);
	assert_string_equal(h.name, "Corp");
	assert_int_equal(usbkey_hash_parse("sha256:0001:Corp", &h, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "4 hex digits, sha256 needs 64"));
	assert_int_equal(usbkey_hash_parse("md5:00:Corp", &h, &e), -EINVAL);
	assert_int_equal(usbkey_hash_parse("sha1:000102030405060708090a0b0c0d0e0f1011121z:C",
					   &h, &e), -EINVAL);
	assert_int_equal(usbkey_ipv4_parse("10.0.4.5", a), 0);
	assert_int_equal(a[0], 10);
	assert_int_equal(a[3], 5);
	assert_int_equal(usbkey_ipv4_parse("10.0.4", a), -EINVAL);
	assert_int_equal(usbkey_ipv4_parse("10.0.4.256", a), -EINVAL);
	assert_int_equal(usbkey_ipv4_parse("10.0.4.5.6", a), -EINVAL);
	assert_int_equal(usbkey_ipv4_parse("scs.corp", a), -EINVAL);
	/* doc/setup-bin.md 1 */
	assert_int_equal(usbkey_version_for_amt(2, &type, &minor), 0);
	assert_int_equal(type * 10 + minor, 10);
	assert_int_equal(usbkey_version_for_amt(3, &type, &minor), 0);
	assert_int_equal(type * 10 + minor, 20);
	assert_int_equal(usbkey_version_for_amt(5, &type, &minor), 0);
	assert_int_equal(type * 10 + minor, 21);
	assert_int_equal(usbkey_version_for_amt(11, &type, &minor), 0);
	assert_int_equal(type * 10 + minor, 30);
	assert_int_equal(usbkey_version_for_amt(1, &type, &minor), -EINVAL);
	assert_int_equal(usbkey_version_parse("2.1", &type, &minor), 0);
	assert_int_equal(type * 10 + minor, 21);
	assert_int_equal(usbkey_version_parse("5", &type, &minor), -EINVAL);
}

static void spec_with_password(struct usbkey_spec *s)
{
	usbkey_spec_init(s);
	assert_int_equal(secret_set(&s->password, "N3w!Passw0rd", 12), 0);
}

static void test_build_psk(void **state)
{
	struct usbkey_spec s;
	struct setupbin_header h;
	struct setupbin_record r;
	struct amt_err e;
	uint8_t *file;
	size_t len;

	(void)state;
	spec_with_password(&s);
	s.amt_major = 2;
	assert_int_equal(usbkey_psk_parse(&s, pairs, strlen(pairs), &e), 0);
	assert_int_equal(usbkey_build(&s, &file, &len, &e), 0);
	assert_int_equal(len, 3 * 512);
	assert_int_equal(setupbin_header_decode(file, len, &h, NULL), 0);
	assert_int_equal(h.type, 1);
	assert_int_equal(h.flags, 0);
	assert_int_equal(h.record_count, 2);
	assert_int_equal(setupbin_record_decode(file, len, &h, 1, &r, NULL), 0);
	assert_int_equal(r.number, 2);
	assert_int_equal(r.entry_count, 4);
	assert_memory_equal(r.data + r.entries[0].off, "admin", 5);
	assert_memory_equal(r.data + r.entries[1].off, "N3w!Passw0rd", 12);
	assert_memory_equal(r.data + r.entries[2].off, "XY12CD34", 8);
	assert_memory_equal(r.data + r.entries[3].off, "ABCD1234EFGH5678IJKL9012MNOP3457", 32);
	free(file);
	/* A PKI record cannot go into version 1. */
	s.pki = true;
	assert_int_equal(usbkey_build(&s, &file, &len, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "needs file version 2.0"));
	assert_null(file);
	usbkey_spec_clear(&s);
}

static void test_build_pki(void **state)
{
	struct usbkey_spec s;
	struct setupbin_header h;
	struct setupbin_record r;
	const struct setupbin_entry *en;
	struct amt_err e;
	uint8_t *file;
	size_t len;

	(void)state;
	spec_with_password(&s);
	s.amt_major = 4;
	s.pki = s.no_consume = s.scramble = true;
	memcpy(s.suffix, "corp.example", 13);
	s.have_address = true;
	assert_int_equal(usbkey_ipv4_parse("10.0.4.5", s.address), 0);
	s.port = 9971;
	assert_int_equal(usbkey_hash_parse("sha1:000102030405060708090a0b0c0d0e0f10111213:Corp",
					   &s.hashes[0], &e), 0);
	s.hash_count = 1;
	assert_int_equal(usbkey_build(&s, &file, &len, &e), 0);
	assert_int_equal(setupbin_header_decode(file, len, &h, NULL), 0);
	assert_int_equal(h.type * 10 + h.minor, 21);
	assert_int_equal(h.flags, SETUPBIN_FILE_NO_CONSUME);
	/* Scrambled on the key: the suffix is not there in clear. */
	assert_null(memmem(file, len, "corp.example", 12));
	assert_int_equal(setupbin_record_decode(file, len, &h, 0, &r, NULL), 0);
	en = setupbin_record_find(&r, 2, 17);
	assert_non_null(en);
	assert_memory_equal(r.data + en->off, "\x05\x04\x00\x0a", 4);
	en = setupbin_record_find(&r, 2, 18);
	assert_memory_equal(r.data + en->off, "\xf3\x26", 2);
	assert_non_null(setupbin_record_find(&r, 2, 7));
	assert_null(setupbin_record_find(&r, 2, 28)); /* version 3 and later only */
	assert_int_equal(setupbin_record_check(&r, 21, NULL), 0);
	free(file);
	/* SHA-256 needs version 3. */
	s.hashes[0].algo = 2;
	s.hashes[0].len = 32;
	assert_int_equal(usbkey_build(&s, &file, &len, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "need file version 3"));
	/* No new MEBx password: refused. */
	secret_wipe(&s.password);
	s.hashes[0].algo = 1;
	assert_int_equal(usbkey_build(&s, &file, &len, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "new MEBx password is required"));
	usbkey_spec_clear(&s);
}

static void write_spec(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_spec_json(void **state)
{
	char path[] = "/tmp/amtact-usbkey-spec.XXXXXX";
	struct usbkey_spec s;
	struct amt_err e;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_spec(path, "{\"amt\": \"3.2\", \"consume\": false, \"scramble\": true, "
		   "\"psk_file\": \"pairs.txt\", \"pki\": {\"suffix\": \"corp.example\", "
		   "\"server\": \"scs.corp.example\", \"port\": 9971, \"hashes\": [{\"algorithm\": "
		   "\"sha1\", \"hash\": \"000102030405060708090a0b0c0d0e0f10111213\", \"name\": "
		   "\"Corp\"}]}}");
	usbkey_spec_init(&s);
	assert_int_equal(usbkey_spec_load(path, &s, &e), 0);
	assert_int_equal(s.amt_major, 3);
	assert_true(s.no_consume && s.scramble && s.pki);
	assert_string_equal(s.psk_file, "pairs.txt");
	assert_string_equal(s.server_fqdn, "scs.corp.example");
	assert_int_equal(s.port, 9971);
	assert_int_equal(s.hash_count, 1);
	usbkey_spec_clear(&s);
	write_spec(path, "{\"amt\": \"3\", \"pps\": \"ABCD\"}");
	usbkey_spec_init(&s);
	assert_int_equal(usbkey_spec_load(path, &s, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "\"pps\": unknown key"));
	write_spec(path, "{\"pki\": {\"port\": 70000}}");
	assert_int_equal(usbkey_spec_load(path, &s, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "\"port\": expected 1 to 65535"));
	write_spec(path, "{\"amt\": ");
	assert_int_equal(usbkey_spec_load(path, &s, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "not JSON"));
	usbkey_spec_clear(&s);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psk_file),  cmocka_unit_test(test_psk_many),
		cmocka_unit_test(test_options),   cmocka_unit_test(test_build_psk),
		cmocka_unit_test(test_build_pki), cmocka_unit_test(test_spec_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

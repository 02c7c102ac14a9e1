// SPDX-License-Identifier: MIT
/* Unit tests for seal.c (CMS round trips with certificates made here) and secret.c. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "seal.h"
#include "secret.h"
#include "testlib.h"
#include "testlib_tls.h"

static void paths(const char *name, char *kp, char *cp, size_t cap)
{
	snprintf(kp, cap, "%s/%s.key", testlib_tmpdir(), name);
	snprintf(cp, cap, "%s/%s.crt", testlib_tmpdir(), name);
}

/* Make a recipient (key + cert files) called `name`. */
static int make_recipient(int rsa, const char *name, long from, long to)
{
	char kp[300], cp[300];
	EVP_PKEY *k;
	X509 *c;
	int ret;

	paths(name, kp, cp, sizeof(kp));
	ret = testlib_tls_make_cert(rsa, name, NULL, from, to, &k, &c);
	if (ret == 0)
		ret = testlib_tls_write_pem(kp, k, NULL) | testlib_tls_write_pem(cp, NULL, c);
	EVP_PKEY_free(k);
	X509_free(c);
	return ret;
}

static void round_trip(const char *name)
{
	static const char otp[] = "Zx9-otp-Secret!";
	char kp[300], cp[300], *pem = NULL;
	struct secret out;
	size_t pem_len = 0;

	paths(name, kp, cp, sizeof(kp));
	assert_int_equal(seal_to_cert_file(cp, otp, strlen(otp), &pem, &pem_len), 0);
	assert_non_null(pem);
	assert_int_equal(strlen(pem), pem_len);
	assert_non_null(strstr(pem, "-----BEGIN CMS-----"));
	/* The plaintext must not appear in the sealed form. */
	assert_null(strstr(pem, otp));
	assert_int_equal(seal_open(kp, cp, pem, pem_len, &out), 0);
	assert_int_equal(out.len, strlen(otp));
	assert_memory_equal(out.buf, otp, out.len);
	secret_wipe(&out);
	assert_int_equal(out.len, 0);
	assert_int_equal(out.buf[0], 0);
	free(pem);
}

static void test_round_trip_rsa(void **state)
{
	(void)state;
	round_trip("rsa");
}

static void test_round_trip_ec(void **state)
{
	(void)state;
	round_trip("ec");
}

static void test_wrong_key_cannot_open(void **state)
{
	char kp[300], cp[300], okp[300], ocp[300], *pem = NULL;
	struct secret out;
	size_t pem_len;

	(void)state;
	paths("rsa", kp, cp, sizeof(kp));
	paths("rsa2", okp, ocp, sizeof(okp));
	assert_int_equal(seal_to_cert_file(cp, "otp", 3, &pem, &pem_len), 0);
	assert_true(seal_open(okp, ocp, pem, pem_len, &out) < 0);
	assert_int_equal(out.len, 0);
	free(pem);
}

static void test_expired_and_garbage_refused(void **state)
{
	char kp[300], cp[300], *pem = (char *)1;
	size_t pem_len = 1;

	(void)state;
	paths("expired", kp, cp, sizeof(kp));
	assert_int_equal(seal_to_cert_file(cp, "otp", 3, &pem, &pem_len), -EKEYREJECTED);
	assert_null(pem);
	assert_int_equal(seal_to_cert_pem("not a cert", 10, "otp", 3, &pem, &pem_len), -EBADMSG);
	paths("missing", kp, cp, sizeof(kp));
	assert_int_equal(seal_to_cert_file(cp, "otp", 3, &pem, &pem_len), -ENOENT);
}

static void test_seal_from_memory(void **state)
{
	char kp[300], cp[300], buf[8192], *pem = NULL;
	struct secret out;
	size_t pem_len, n;
	FILE *f;

	(void)state;
	paths("rsa", kp, cp, sizeof(kp));
	f = fopen(cp, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(seal_to_cert_pem(buf, n, "123456", 6, &pem, &pem_len), 0);
	assert_int_equal(seal_open(kp, cp, pem, pem_len, &out), 0);
	assert_string_equal(out.buf, "123456");
	secret_wipe(&out);
	free(pem);
}

static void test_secret_file(void **state)
{
	char p[300], link[300];
	struct secret s;
	int loose = -1;

	(void)state;
	snprintf(p, sizeof(p), "%s/otp", testlib_tmpdir());
	testlib_write_file(p, "hunter2\r\n", 0600);
	assert_int_equal(secret_read_file(&s, p, &loose), 0);
	assert_string_equal(s.buf, "hunter2");
	assert_int_equal(s.len, 7);
	assert_int_equal(loose, 0);
	chmod(p, 0644);
	assert_int_equal(secret_read_file(&s, p, &loose), 0);
	assert_int_equal(loose, 1);
	snprintf(link, sizeof(link), "%s/otp-link", testlib_tmpdir());
	assert_int_equal(symlink(p, link), 0);
	assert_int_equal(secret_read_file(&s, link, &loose), -ELOOP);
	assert_int_equal(s.len, 0);
	testlib_write_file(p, "\n", 0600);
	assert_int_equal(secret_read_file(&s, p, NULL), -ENODATA);
	assert_int_equal(secret_read_file(&s, testlib_tmpdir(), NULL), -EINVAL);
}

static void test_secret_too_long(void **state)
{
	char p[300];
	char *big = malloc(SECRET_MAX + 2);
	struct secret s;

	(void)state;
	assert_non_null(big);
	memset(big, 'a', SECRET_MAX + 1);
	big[SECRET_MAX + 1] = 0;
	snprintf(p, sizeof(p), "%s/big", testlib_tmpdir());
	testlib_write_file(p, big, 0600);
	assert_int_equal(secret_read_file(&s, p, NULL), -EMSGSIZE);
	assert_int_equal(s.len, 0);
	big[SECRET_MAX] = 0;
	testlib_write_file(p, big, 0600);
	assert_int_equal(secret_read_file(&s, p, NULL), 0);
	assert_int_equal(s.len, SECRET_MAX);
	assert_int_equal(secret_set(&s, big, SECRET_MAX + 1), -EMSGSIZE);
	free(big);
}

static void test_secret_env(void **state)
{
	struct secret s;

	(void)state;
	setenv("AMTACT_TEST_OTP", "envsecret", 1);
	assert_int_equal(secret_read_env(&s, "AMTACT_TEST_OTP", 1), 0);
	assert_string_equal(s.buf, "envsecret");
	assert_null(getenv("AMTACT_TEST_OTP"));
	assert_int_equal(secret_read_env(&s, "AMTACT_TEST_OTP", 0), -ENOENT);
	setenv("AMTACT_TEST_OTP", "", 1);
	assert_int_equal(secret_read_env(&s, "AMTACT_TEST_OTP", 0), -ENODATA);
	unsetenv("AMTACT_TEST_OTP");
}

static int setup(void **state)
{
	(void)state;
	if (testlib_tmpdir_make() < 0)
		return -1;
	return make_recipient(1, "rsa", -1, 30) | make_recipient(1, "rsa2", -1, 30) |
	       make_recipient(0, "ec", -1, 30) | make_recipient(0, "expired", -30, -1);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_rsa),
		cmocka_unit_test(test_round_trip_ec),
		cmocka_unit_test(test_wrong_key_cannot_open),
		cmocka_unit_test(test_expired_and_garbage_refused),
		cmocka_unit_test(test_seal_from_memory),
		cmocka_unit_test(test_secret_file),
		cmocka_unit_test(test_secret_too_long),
		cmocka_unit_test(test_secret_env),
	};

	return cmocka_run_group_tests(tests, setup, testlib_tmpdir_teardown);
}

// SPDX-License-Identifier: MIT
/* Unit tests for sysinfo.c: the resolver's domain, the interfaces as typed data, the SMBIOS UUID. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sysinfo.h"
#include "testlib.h"

static void test_resolv_domain(void **state)
{
	char out[SYSINFO_NAME_MAX];

	(void)state;
	sysinfo_resolv_domain(testlib_tmp_file("r1", "nameserver 192.0.2.53\nsearch a.example "
					       "b.example\ndomain corp.example\n", 0600),
			      out, sizeof(out));
	assert_string_equal(out, "corp.example");
	sysinfo_resolv_domain(testlib_tmp_file("r2", "search a.example b.example\n"
					       "search c.example\n", 0600), out, sizeof(out));
	assert_string_equal(out, "a.example");
	sysinfo_resolv_domain(testlib_tmp_file("r3", "nameserver ::1\noptions ndots:2\n", 0600),
			      out, sizeof(out));
	assert_string_equal(out, "");
	sysinfo_resolv_domain("/nonexistent/resolv.conf", out, sizeof(out));
	assert_string_equal(out, "");
}

static int smbios_from(const char *text, char out[37])
{
	const char *path = testlib_tmp_file("product_uuid", text, 0600);

	assert_int_equal(setenv(SYSINFO_SMBIOS_UUID_ENV, path, 1), 0);
	return sysinfo_smbios_uuid(out);
}

/* product_uuid as Linux prints it (upper or lower case, newline); anything else refused. */
static void test_smbios_uuid(void **state)
{
	char out[37];

	(void)state;
	assert_int_equal(smbios_from("4C4C4544-0051-4810-8039-B4C04F4B3733\n", out), 0);
	assert_string_equal(out, "4c4c4544-0051-4810-8039-b4c04f4b3733");
	assert_int_equal(smbios_from("4c4c4544-0051-4810-8039-b4c04f4b3733", out), 0);
	assert_string_equal(out, "4c4c4544-0051-4810-8039-b4c04f4b3733");
	assert_int_equal(smbios_from("4c4c4544-0051-4810-8039-b4c04f4b37\n", out), -EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(smbios_from("4c4c4544-0051-4810-8039-b4c04f4b3733x\n", out), -EINVAL);
	assert_int_equal(smbios_from("4c4c4544_0051-4810-8039-b4c04f4b3733\n", out), -EINVAL);
	assert_int_equal(smbios_from("4c4c4544-0051-4810-8039-b4c04f4b37zz\n", out), -EINVAL);
	assert_int_equal(smbios_from("", out), -EINVAL);
	assert_int_equal(setenv(SYSINFO_SMBIOS_UUID_ENV, "/nonexistent/product_uuid", 1), 0);
	assert_int_equal(sysinfo_smbios_uuid(out), -ENOENT);
	assert_string_equal(out, "");
	unsetenv(SYSINFO_SMBIOS_UUID_ENV);
}

/* Whatever this machine has: no loopback, one entry per name, addresses that parse. */
static void test_interfaces(void **state)
{
	struct sysinfo_ifaces l;
	unsigned char bin[16];

	(void)state;
	assert_int_equal(sysinfo_interfaces(&l), 0);
	for (size_t i = 0; i < l.count; i++) {
		const struct sysinfo_iface *f = &l.v[i];

		assert_true(f->name[0] != '\0');
		assert_string_not_equal(f->name, "lo");
		for (size_t j = i + 1; j < l.count; j++)
			assert_string_not_equal(f->name, l.v[j].name);
		assert_true(f->mac[0] == '\0' || strlen(f->mac) == 17);
		for (size_t j = 0; j < f->ipv4.count; j++) {
			assert_int_equal(inet_pton(AF_INET, f->ipv4.v[j], bin), 1);
			assert_string_not_equal(f->ipv4.v[j], "127.0.0.1");
		}
		for (size_t j = 0; j < f->ipv6.count; j++)
			assert_int_equal(inet_pton(AF_INET6, f->ipv6.v[j], bin), 1);
	}
	sysinfo_ifaces_free(&l);
	assert_int_equal(l.count, 0);
	assert_null(l.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolv_domain),
		cmocka_unit_test(test_interfaces),
		cmocka_unit_test(test_smbios_uuid),
	};

	return cmocka_run_group_tests(tests, testlib_tmpdir_setup, testlib_tmpdir_teardown);
}

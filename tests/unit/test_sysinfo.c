// SPDX-License-Identifier: MIT
/* Unit tests for sysinfo.c: the resolver's domain, and the interfaces as typed data. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
	};

	return cmocka_run_group_tests(tests, testlib_tmpdir_setup, testlib_tmpdir_teardown);
}

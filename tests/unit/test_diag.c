// SPDX-License-Identifier: MIT
/* Unit tests for diag_dns.c: suffix choice, DHCP lease files, domain rules, lookups. */
#include <errno.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "testlib.h"

#define DATA "tests/data/dhcp/"

static void test_pick_suffix(void **state)
{
	char out[DIAG_NAME_MAX];

	(void)state;
	assert_int_equal(diag_pick_suffix("corp.example.com", "dhcp.example.com", out,
					  sizeof(out)), DIAG_SUFFIX_PKI);
	assert_string_equal(out, "corp.example.com");
	assert_int_equal(diag_pick_suffix("", "dhcp.example.com", out, sizeof(out)),
			 DIAG_SUFFIX_DHCP);
	assert_string_equal(out, "dhcp.example.com");
	assert_int_equal(diag_pick_suffix(NULL, "Dhcp.Example.COM.", out, sizeof(out)),
			 DIAG_SUFFIX_DHCP);
	assert_string_equal(out, "dhcp.example.com");
	/* A suffix of blanks or a lone dot is no suffix: DHCP counts. */
	assert_int_equal(diag_pick_suffix(" . ", "x.example", out, sizeof(out)), DIAG_SUFFIX_DHCP);
	assert_int_equal(diag_pick_suffix("", "", out, sizeof(out)), DIAG_SUFFIX_NONE);
	assert_string_equal(out, "");
	assert_int_equal(diag_pick_suffix(NULL, NULL, out, sizeof(out)), DIAG_SUFFIX_NONE);
	assert_string_equal(diag_suffix_source_name(DIAG_SUFFIX_PKI), "pki_dns_suffix");
	assert_string_equal(diag_suffix_source_name(DIAG_SUFFIX_DHCP), "dhcp_option_15");
	assert_string_equal(diag_suffix_source_name(DIAG_SUFFIX_NONE), "none");
}

static void test_lease_formats(void **state)
{
	char out[DIAG_NAME_MAX];

	(void)state;
	/* dhclient: the last lease in the file wins; domain-name-servers/search are not it. */
	assert_int_equal(diag_lease_domain(DATA "dhclient.eth0.leases", out, sizeof(out)), 0);
	assert_string_equal(out, "corp.example.com");
	assert_int_equal(diag_lease_domain(DATA "networkd.2", out, sizeof(out)), 0);
	assert_string_equal(out, "site.example.org");
	assert_int_equal(diag_lease_domain(DATA "internal-3b1c2f9e-eth0.lease", out, sizeof(out)),
			 0);
	assert_string_equal(out, "branch.example.co.uk");
	assert_int_equal(diag_lease_domain(DATA "nodomain.leases", out, sizeof(out)), -ENODATA);
	assert_string_equal(out, "");
	/* Leases come from the network: control characters and shell text never get through;
	 * of a list, the first name counts. */
	assert_int_equal(diag_lease_domain(DATA "hostile.leases", out, sizeof(out)), 0);
	assert_string_equal(out, "good.example.com");
	assert_int_equal(diag_lease_domain(DATA "no-such-file", out, sizeof(out)), -ENOENT);
}

/* A lease file in the temporary folder, last modified at mtime. */
static void write_lease(const char *name, const char *text, time_t mtime)
{
	struct timeval tv[2] = { { mtime, 0 }, { mtime, 0 } };

	assert_int_equal(utimes(testlib_tmp_file(name, text, 0644), tv), 0);
}

static void test_dhcp_scan(void **state)
{
	struct diag_leases l;
	char pat[256];

	(void)state;
	assert_int_equal(testlib_tmpdir_make(), 0);
	write_lease("a.leases", "lease {\n  option domain-name \"older.example\";\n}\n", 1000);
	write_lease("b.lease", "DOMAINNAME=newer.example\n", 2000);
	write_lease("c.leases", "lease {\n  fixed-address 10.0.0.9;\n}\n", 3000);
	/* Two patterns, one matching nothing; the newest lease with a domain is chosen. */
	snprintf(pat, sizeof(pat), "%s/*.leases:/nonexistent/*.lease:%s/*.lease", testlib_tmpdir(),
		 testlib_tmpdir());
	diag_dhcp_scan(pat, &l);
	assert_int_equal(l.count, 3);
	assert_true(l.newest >= 0);
	assert_string_equal(l.lease[l.newest].domain, "newer.example");
	assert_true(l.differ);
	/* The environment variable replaces the default list. */
	snprintf(pat, sizeof(pat), "%s/a.leases", testlib_tmpdir());
	setenv(DIAG_DHCP_LEASES_ENV, pat, 1);
	diag_dhcp_scan(NULL, &l);
	unsetenv(DIAG_DHCP_LEASES_ENV);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.lease[l.newest].domain, "older.example");
	assert_false(l.differ);
	/* Only a lease without option 15. */
	snprintf(pat, sizeof(pat), "%s/c.leases", testlib_tmpdir());
	diag_dhcp_scan(pat, &l);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.newest, -1);
	diag_dhcp_scan("/nonexistent/*", &l);
	assert_int_equal(l.count, 0);
	assert_int_equal(l.newest, -1);
	assert_int_equal(testlib_tmpdir_remove(), 0);
}

static void test_name_under(void **state)
{
	(void)state;
	assert_true(diag_name_under("ProvisionServer.corp.com", "corp.com"));
	assert_true(diag_name_under("corp.com", "corp.com"));
	assert_true(diag_name_under("a.b.CORP.com.", "corp.COM"));
	/* Label boundaries: evilcorp.com is not under corp.com, nor the other way round. */
	assert_false(diag_name_under("evilcorp.com", "corp.com"));
	assert_false(diag_name_under("x.evilcorp.com", "corp.com"));
	assert_false(diag_name_under("corp.com", "evilcorp.com"));
	assert_false(diag_name_under("corp.com", "x.corp.com"));
	assert_false(diag_name_under("corp.com", ""));
}

static void test_tld_depth(void **state)
{
	(void)state;
	assert_int_equal(diag_tld_depth("intel.com"), 2);
	assert_int_equal(diag_tld_depth("a.b.NET"), 2);
	assert_int_equal(diag_tld_depth("x.de"), 2);
	assert_int_equal(diag_tld_depth("corp.co.uk"), 3);
	assert_int_equal(diag_tld_depth("a.fr"), 3);
	assert_int_equal(diag_tld_depth("corp.local"), 0);
	assert_int_equal(diag_tld_depth("corp.corp"), 0);
	assert_int_equal(diag_tld_depth("com"), 2);
}

static void test_domain_match(void **state)
{
	(void)state;
	/* Rule 4: the suffix is a whole-label suffix of the CN or SAN. */
	assert_int_equal(diag_domain_match("corp.com", "prov.corp.com"), DIAG_DOMAIN_SUFFIX);
	assert_int_equal(diag_domain_match("prov.corp.com", "prov.corp.com"), DIAG_DOMAIN_SUFFIX);
	assert_int_equal(diag_domain_match("Corp.Com.", "PROV.corp.com"), DIAG_DOMAIN_SUFFIX);
	assert_int_equal(diag_domain_match("corp.local", "prov.corp.local"), DIAG_DOMAIN_SUFFIX);
	/* Label boundaries, and no TLD rule across registered domains. */
	assert_int_equal(diag_domain_match("corp.com", "prov.evilcorp.com"), DIAG_DOMAIN_NONE);
	assert_int_equal(diag_domain_match("evilcorp.com", "prov.corp.com"), DIAG_DOMAIN_NONE);
	/* Rule 4a: wildcard. */
	assert_int_equal(diag_domain_match("corp.com", "*.corp.com"), DIAG_DOMAIN_WILDCARD);
	assert_int_equal(diag_domain_match("corp.com", "*.evilcorp.com"), DIAG_DOMAIN_NONE);
	assert_int_equal(diag_domain_match("corp.com", "*"), DIAG_DOMAIN_NONE);
	assert_int_equal(diag_domain_match("corp.com", "a.*.corp.com"), DIAG_DOMAIN_NONE);
	/* Rule 4b: .com/.net share the second-level domain (csa.ftl.intel.com -> dev.intel.com). */
	assert_int_equal(diag_domain_match("dev.intel.com", "csa.ftl.intel.com"),
			 DIAG_DOMAIN_TLD_RULE);
	assert_int_equal(diag_domain_match("dev.intel.net", "csa.ftl.intel.net"),
			 DIAG_DOMAIN_TLD_RULE);
	assert_int_equal(diag_domain_match("dev.intel.com", "csa.intel.net"), DIAG_DOMAIN_NONE);
	assert_int_equal(diag_domain_match("dev.amd.com", "csa.ftl.intel.com"), DIAG_DOMAIN_NONE);
	assert_int_equal(diag_domain_match("dev.evilintel.com", "csa.intel.com"), DIAG_DOMAIN_NONE);
	/* TLD depth: co.uk keeps three labels. */
	assert_int_equal(diag_domain_match("dev.corp.co.uk", "prov.corp.co.uk"),
			 DIAG_DOMAIN_TLD_RULE);
	assert_int_equal(diag_domain_match("dev.other.co.uk", "prov.corp.co.uk"), DIAG_DOMAIN_NONE);
	assert_int_equal(diag_domain_match("corp.co.uk", "prov.evil.co.uk"), DIAG_DOMAIN_NONE);
	/* Unlisted TLDs (.local, .corp) get no extension. */
	assert_int_equal(diag_domain_match("b.corp.local", "prov.a.corp.local"), DIAG_DOMAIN_NONE);
	assert_int_equal(diag_domain_match("", "prov.corp.com"), DIAG_DOMAIN_NONE);
	assert_int_equal(diag_domain_match("corp.com", ""), DIAG_DOMAIN_NONE);
}

static void test_resolve(void **state)
{
	struct diag_resolve r;

	(void)state;
	/* localhost comes from /etc/hosts (or nss-myhostname) without any network. */
	assert_int_equal(diag_resolve("localhost", 3000, &r), 0);
	assert_int_equal(r.rc, 0);
	assert_true(r.addr_count >= 1);
	assert_true(strcmp(r.addr[0], "127.0.0.1") == 0 || strcmp(r.addr[0], "::1") == 0);
	/* A name that cannot exist ends in an error within the bound, never in success. */
	assert_int_equal(diag_resolve("provisionserver.amtact-test.invalid", 1500, &r), 0);
	assert_int_not_equal(r.rc, 0);
	assert_int_equal(r.addr_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pick_suffix),
		cmocka_unit_test(test_lease_formats),
		cmocka_unit_test(test_dhcp_scan),
		cmocka_unit_test(test_name_under),
		cmocka_unit_test(test_tld_depth),
		cmocka_unit_test(test_domain_match),
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

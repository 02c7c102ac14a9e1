// SPDX-License-Identifier: MIT
/* Unit tests for run_facts.c: which facts decide "something new", their diff, the UUIDs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "run_facts.h"
#include "sysinfo.h"
#include "testlib.h"

/* The keys are the state file's and the report's: every fact has one, each its own. */
static void test_keys(void **state)
{
	(void)state;
	for (int k = 0; k < RUN_FACT_COUNT; k++) {
		assert_non_null(run_fact_key((enum run_fact)k));
		for (int j = k + 1; j < RUN_FACT_COUNT; j++)
			assert_string_not_equal(run_fact_key((enum run_fact)k),
						run_fact_key((enum run_fact)j));
	}
	assert_null(run_fact_key(RUN_FACT_COUNT));
	assert_string_equal(run_fact_key(RUN_FACT_HOSTNAME), "hostname");
	assert_string_equal(run_fact_key(RUN_FACT_AMT_FQDN), "amt_fqdn");
	assert_true(run_fact_from_me(RUN_FACT_AMT_IP));
	assert_false(run_fact_from_me(RUN_FACT_IPV4));
}

static void test_diff(void **state)
{
	struct run_facts *a = calloc(2, sizeof(*a)), *b = a + 1;
	struct run_fact_change c[RUN_FACT_COUNT];

	(void)state;
	assert_non_null(a);
	b->known = true;
	snprintf(b->v[RUN_FACT_HOSTNAME], RUN_FACT_LEN, "pc-two");
	/* nothing known before (a first run, an older state file): no changes */
	assert_int_equal(run_facts_diff(a, b, c), 0);
	*a = *b;
	assert_int_equal(run_facts_diff(a, b, c), 0);
	snprintf(a->v[RUN_FACT_HOSTNAME], RUN_FACT_LEN, "pc-one");
	snprintf(a->v[RUN_FACT_AMT_IP], RUN_FACT_LEN, "10.1.4.142");
	assert_int_equal(run_facts_diff(a, b, c), 2);
	assert_int_equal(c[0].fact, RUN_FACT_AMT_IP); /* in the list's order */
	assert_string_equal(c[0].old, "10.1.4.142");
	assert_string_equal(c[0].now, "");
	assert_int_equal(c[1].fact, RUN_FACT_HOSTNAME);
	assert_string_equal(c[1].old, "pc-one");
	assert_string_equal(c[1].now, "pc-two");
	free(a);
}

static void set_uuid(struct me_info *in, uint8_t first)
{
	for (int i = 0; i < 16; i++)
		in->uuid[i] = (uint8_t)(first + i);
	in->uuid_item.state = ME_ITEM_OK;
}

/* The ME's facts as read; the "amt" fact from how reading went. */
static void test_collect_me(void **state)
{
	struct run_facts *f = calloc(1, sizeof(*f));
	struct me_info *in = calloc(1, sizeof(*in));

	(void)state;
	assert_non_null(f);
	assert_non_null(in);
	assert_int_equal(setenv(SYSINFO_SMBIOS_UUID_ENV, "/nonexistent/product_uuid", 1), 0);
	set_uuid(in, 0x10);
	in->prov_state_item.state = ME_ITEM_OK;
	in->prov_state = AMT_PROV_STATE_IN;
	in->fqdn_item.state = ME_ITEM_OK;
	snprintf(in->fqdn.fqdn, sizeof(in->fqdn.fqdn), "ws-1.corp.example");
	in->lan_item[0].state = ME_ITEM_OK;
	in->lan[0].ipv4 = 0x0a01048e;
	run_facts_collect(f, 0, in);
	assert_true(f->known);
	assert_string_equal(f->v[RUN_FACT_AMT], "enabled");
	assert_string_equal(f->v[RUN_FACT_ME_UUID], "13121110-1514-1716-1819-1a1b1c1d1e1f");
	assert_string_equal(f->v[RUN_FACT_PROV_STATE], "in");
	assert_string_equal(f->v[RUN_FACT_CONTROL_MODE], ""); /* not read: unknown */
	assert_string_equal(f->v[RUN_FACT_AMT_FQDN], "ws-1.corp.example");
	assert_string_equal(f->v[RUN_FACT_AMT_IP], "10.1.4.142");
	assert_string_equal(f->v[RUN_FACT_SMBIOS_UUID], "");
	run_facts_collect(f, -ENODATA, in);
	assert_string_equal(f->v[RUN_FACT_AMT], "disabled");
	assert_string_equal(f->v[RUN_FACT_ME_UUID], "");
	run_facts_collect(f, -ENOTTY, NULL);
	assert_string_equal(f->v[RUN_FACT_AMT], "absent");
	run_facts_collect(f, -EIO, NULL);
	assert_string_equal(f->v[RUN_FACT_AMT], "unreadable");
	/* No ME device: why, so a machine whose ME or driver appears is reported again. */
	run_facts_collect(f, -ENOENT, NULL);
	run_facts_no_device(f, MEDEV_NO_HARDWARE);
	assert_string_equal(f->v[RUN_FACT_AMT], "no_me");
	run_facts_no_device(f, MEDEV_NO_DRIVER);
	assert_string_equal(f->v[RUN_FACT_AMT], "no_me_driver");
	run_facts_no_device(f, MEDEV_NO_NODE);
	assert_string_equal(f->v[RUN_FACT_AMT], "no_me_device");
	run_facts_no_device(f, MEDEV_UNKNOWN);
	assert_string_equal(f->v[RUN_FACT_AMT], "no_me_device");
	unsetenv(SYSINFO_SMBIOS_UUID_ENV);
	free(in);
	free(f);
}

static void test_identity(void **state)
{
	struct run_facts *f = calloc(1, sizeof(*f));
	struct me_info *in = calloc(1, sizeof(*in));

	(void)state;
	assert_non_null(f);
	assert_non_null(in);
	/* no ME UUID (no AMT): nothing to compare, the SMBIOS UUID stands alone */
	snprintf(f->v[RUN_FACT_SMBIOS_UUID], RUN_FACT_LEN, "13121110-1514-1716-1819-1a1b1c1d1e1f");
	assert_int_equal(run_facts_identity(f, in), RUN_IDENTITY_OK);
	assert_null(run_identity_flag(RUN_IDENTITY_OK));
	assert_null(run_identity_text(RUN_IDENTITY_OK));
	set_uuid(in, 0x10);
	snprintf(f->v[RUN_FACT_ME_UUID], RUN_FACT_LEN, "13121110-1514-1716-1819-1a1b1c1d1e1f");
	assert_int_equal(run_facts_identity(f, in), RUN_IDENTITY_OK);
	f->v[RUN_FACT_SMBIOS_UUID][35] = '0';
	assert_int_equal(run_facts_identity(f, in), RUN_IDENTITY_DIFFER);
	assert_string_equal(run_identity_flag(RUN_IDENTITY_DIFFER), "uuids_differ");
	/* the SMBIOS UUID unknown: nothing to compare with */
	f->v[RUN_FACT_SMBIOS_UUID][0] = '\0';
	assert_int_equal(run_facts_identity(f, in), RUN_IDENTITY_OK);
	memset(in->uuid, 0, sizeof(in->uuid));
	snprintf(f->v[RUN_FACT_ME_UUID], RUN_FACT_LEN, "00000000-0000-0000-0000-000000000000");
	assert_int_equal(run_facts_identity(f, in), RUN_IDENTITY_PLACEHOLDER);
	assert_string_equal(run_identity_flag(RUN_IDENTITY_PLACEHOLDER), "me_uuid_placeholder");
	assert_non_null(strstr(run_identity_text(RUN_IDENTITY_PLACEHOLDER), "placeholder"));
	free(in);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_collect_me),
		cmocka_unit_test(test_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

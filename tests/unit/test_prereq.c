// SPDX-License-Identifier: MIT
/*
 * prereq_check: each prerequisite against a firmware state built item by item. The rules
 * come from the public sources doc/remote-config.md names: zero touch off sends no hello
 * (SDK CFG_SetZeroTouchEnabled), PSK removed in AMT 11.0 (SDK Setup Mode Hello Messages),
 * PSK only on 2.0/2.1/2.5 (11.5), hellos only on the wired LAN with DHCP (2.1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag_int.h"
#include "prereq.h"

static void ok_item(struct me_item *it)
{
	it->state = ME_ITEM_OK;
}

/* A factory-fresh AMT box of version "MAJOR.MINOR.1": zero touch on, wired LAN up, DHCP. */
static void box(struct me_info *in, const char *version)
{
	memset(in, 0, sizeof(*in));
	ok_item(&in->versions_item);
	in->versions.count = 1;
	snprintf(in->versions.v[0].desc, sizeof(in->versions.v[0].desc), "AMT");
	snprintf(in->versions.v[0].ver, sizeof(in->versions.v[0].ver), "%s", version);
	ok_item(&in->prov_state_item);
	in->prov_state = AMT_PROV_STATE_PRE;
	ok_item(&in->zero_touch_item);
	in->zero_touch = 1;
	ok_item(&in->tls_mode_item);
	in->tls_mode = AMT_TLS_MODE_PKI;
	ok_item(&in->lan_item[0]);
	in->lan[0].link_up = 1;
	in->lan[0].dhcp_enabled = true;
	ok_item(&in->lan_item[1]);
}

/* The checks for in and w, in a fresh context the caller frees. */
static struct diag_ctx *check(const struct me_info *in, enum profile_method method,
			      enum profile_zero_touch zt)
{
	struct prereq_want w = { method, zt, NULL };
	struct diag_ctx *d = prereq_ctx_new();

	assert_non_null(d);
	prereq_check(d, in, &w);
	return d;
}

/* The result of the check with this id, or -1. */
static int result_of(const struct diag_ctx *d, const char *id)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->c[i].id, id) == 0)
			return (int)d->c[i].result;
	return -1;
}

static void test_fresh_box_passes(void **state)
{
	struct me_info in;
	struct diag_ctx *d;

	(void)state;
	box(&in, "16.1.25");
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(prereq_first_blocking(d), -1);
	assert_int_equal(result_of(d, "remote_configuration"), DIAG_OK);
	assert_int_equal(result_of(d, "provisioning_method"), DIAG_OK);
	assert_int_equal(result_of(d, "wired_lan"), DIAG_OK);
	free(d);
}

static void test_zero_touch_off_blocks(void **state)
{
	struct me_info in;
	struct diag_ctx *d;

	(void)state;
	box(&in, "16.1.25");
	in.zero_touch = 0;
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(result_of(d, "zero_touch_disabled"), DIAG_FAIL);
	assert_int_equal(prereq_first_blocking(d), 0);
	assert_non_null(strstr(d->c[0].message, "no hello will ever go out"));
	free(d);
	/* A profile that turns it off blocks itself. */
	box(&in, "16.1.25");
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_DISABLE);
	assert_int_equal(result_of(d, "zero_touch_disabled"), DIAG_FAIL);
	free(d);
	/* Before ME 12 host software may not switch it at all (SDK CFG_SetZeroTouchEnabled):
	 * a warning, the step itself is refused. */
	box(&in, "11.8.50");
	in.zero_touch = 0;
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_ENABLE);
	assert_int_equal(result_of(d, "zero_touch_disabled"), DIAG_WARN);
	assert_int_equal(prereq_first_blocking(d), -1);
	free(d);
	/* From ME 12 the host cannot enable it: a warning, the step itself is refused. */
	box(&in, "16.1.25");
	in.zero_touch = 0;
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_ENABLE);
	assert_int_equal(result_of(d, "zero_touch_disabled"), DIAG_WARN);
	assert_int_equal(prereq_first_blocking(d), -1);
	free(d);
	/* PSK hellos do not depend on it (the emulator's reading; doc/remote-config.md 10). */
	box(&in, "9.1.45");
	in.zero_touch = 0;
	d = check(&in, PROFILE_METHOD_PSK, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(result_of(d, "zero_touch_disabled"), -1);
	free(d);
}

static void test_method_by_generation(void **state)
{
	static const char *const psk_only[] = { "2.0.10", "2.1.20", "2.5.10" };
	struct me_info in;
	struct diag_ctx *d;

	(void)state;
	box(&in, "11.0.0");
	d = check(&in, PROFILE_METHOD_PSK, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(result_of(d, "psk_not_supported"), DIAG_FAIL);
	free(d);
	box(&in, "10.0.55");
	d = check(&in, PROFILE_METHOD_PSK, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(result_of(d, "provisioning_method"), DIAG_OK);
	free(d);
	for (size_t i = 0; i < sizeof(psk_only) / sizeof(psk_only[0]); i++) {
		box(&in, psk_only[i]);
		in.zero_touch_item.state = ME_ITEM_STATUS;
		d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_LEAVE);
		assert_int_equal(result_of(d, "pki_not_supported"), DIAG_FAIL);
		free(d);
	}
	box(&in, "2.6.3");
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(result_of(d, "provisioning_method"), DIAG_OK);
	free(d);
	box(&in, "9.1.45");
	in.tls_mode = AMT_TLS_MODE_PSK;
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(result_of(d, "psk_mode"), DIAG_WARN);
	free(d);
}

static void test_wired_lan(void **state)
{
	struct me_info in;
	struct diag_ctx *d;

	(void)state;
	box(&in, "16.1.25");
	in.lan[0].link_up = 0;
	in.lan[1].link_up = 1;
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(result_of(d, "wireless_only"), DIAG_FAIL);
	free(d);
	box(&in, "16.1.25");
	in.lan[0].link_up = 0;
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(result_of(d, "wired_link_down"), DIAG_FAIL);
	free(d);
	box(&in, "16.1.25");
	in.lan[0].dhcp_enabled = false;
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(result_of(d, "wired_no_dhcp"), DIAG_FAIL);
	free(d);
	/* No wired interface described and no wireless one up: unknown, not blocking. */
	box(&in, "16.1.25");
	in.lan_item[0].state = ME_ITEM_STATUS;
	d = check(&in, PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_ZERO_TOUCH_LEAVE);
	assert_int_equal(result_of(d, "wired_lan_unknown"), DIAG_WARN);
	assert_int_equal(prereq_first_blocking(d), -1);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_box_passes),
		cmocka_unit_test(test_zero_touch_off_blocks),
		cmocka_unit_test(test_method_by_generation),
		cmocka_unit_test(test_wired_lan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

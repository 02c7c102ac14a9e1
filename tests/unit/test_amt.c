// SPDX-License-Identifier: MIT
/* Unit tests for amt.c: SKU decoding, UUID display form and validity, enum names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "amt.h"

static void test_sku_edition(void **state)
{
	(void)state;
	/* rpc-go fixtures: 16392 = 0x4008 = AMT + corporate */
	assert_int_equal(amt_sku_edition(16392), AMT_EDITION_AMT);
	/* TV5: Sku 16 = Standard Manageability */
	assert_int_equal(amt_sku_edition(16), AMT_EDITION_ISM);
	/* both bits: AMT wins */
	assert_int_equal(amt_sku_edition(0x18), AMT_EDITION_AMT);
	assert_int_equal(amt_sku_edition(0), AMT_EDITION_NONE);
	assert_int_equal(amt_sku_edition(AMT_SKU_QST | AMT_SKU_ASF | AMT_SKU_CORPORATE),
			 AMT_EDITION_NONE);
	assert_string_equal(amt_edition_name(AMT_EDITION_AMT), "amt");
	assert_string_equal(amt_edition_name(AMT_EDITION_ISM), "standard_manageability");
	assert_string_equal(amt_edition_name(AMT_EDITION_NONE), "none");
	assert_string_equal(amt_edition_name((enum amt_edition)7), "unknown");
}

static void test_sku_features(void **state)
{
	const char *names[32];
	char unknown[32][8];
	size_t n;

	(void)state;
	n = amt_sku_features(16392, names, 32, unknown);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "amt");
	assert_string_equal(names[1], "corporate");
	n = amt_sku_features(0x1a106, names, 32, unknown);
	assert_int_equal(n, 6);
	assert_string_equal(names[0], "qst");
	assert_string_equal(names[1], "asf");
	assert_string_equal(names[2], "rpat");
	assert_string_equal(names[3], "anti_theft");
	assert_string_equal(names[4], "l3_upgrade");
	assert_string_equal(names[5], "small_business");
	n = amt_sku_features(AMT_SKU_ISM, names, 32, unknown);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "standard_manageability");
	assert_int_equal(amt_sku_features(0, names, 32, unknown), 0);
}

static void test_sku_unknown_bits(void **state)
{
	const char *names[4];
	char unknown[4][8];
	size_t n;

	(void)state;
	n = amt_sku_features((1u << 0) | AMT_SKU_AMT | (1u << 5) | (1u << 31), names, 4,
			     unknown);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "bit0");
	assert_string_equal(names[1], "amt");
	assert_string_equal(names[2], "bit5");
	assert_string_equal(names[3], "bit31");
	/* cap limits the output */
	n = amt_sku_features(0xffffffff, names, 2, unknown);
	assert_int_equal(n, 2);
	/* without room for unknown names they are skipped */
	n = amt_sku_features((1u << 5) | AMT_SKU_CORPORATE, names, 4, NULL);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "corporate");
}

static void test_uuid_str(void **state)
{
	static const uint8_t tv3[16] = { 0xd2, 0x3f, 0x11, 0x1c, 0x25, 0x33, 0x94, 0x45,
					 0xa2, 0x72, 0x54, 0xb2, 0x03, 0x8b, 0xeb, 0x07 };
	static const uint8_t seq[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
					 15 };
	char s[37];

	(void)state;
	amt_uuid_str(tv3, s);
	assert_string_equal(s, "1c113fd2-3325-4594-a272-54b2038beb07");
	amt_uuid_str(seq, s);
	assert_string_equal(s, "03020100-0504-0706-0809-0a0b0c0d0e0f");
	assert_null(amt_uuid_invalid(tv3));
}

static void test_uuid_invalid(void **state)
{
	/* the wire bytes whose display form is 03000200-0400-0500-0006-000700080009 */
	static const uint8_t placeholder[16] = { 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00,
						 0x05, 0x00, 0x06, 0x00, 0x07, 0x00, 0x08,
						 0x00, 0x09 };
	/* the display string's hex read as raw bytes: a different, usable UUID */
	static const uint8_t naive[16] = { 0x03, 0x00, 0x02, 0x00, 0x04, 0x00, 0x05, 0x00,
					   0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0x00, 0x09 };
	uint8_t u[16];
	char s[37];

	(void)state;
	amt_uuid_str(placeholder, s);
	assert_string_equal(s, "03000200-0400-0500-0006-000700080009");
	assert_non_null(amt_uuid_invalid(placeholder));
	assert_non_null(strstr(amt_uuid_invalid(placeholder), "placeholder"));
	assert_null(amt_uuid_invalid(naive));
	memset(u, 0, 16);
	assert_string_equal(amt_uuid_invalid(u), "all zeros");
	memset(u, 0xff, 16);
	assert_string_equal(amt_uuid_invalid(u), "all ff");
	u[15] = 0xfe;
	assert_null(amt_uuid_invalid(u));
	memset(u, 0, 16);
	u[0] = 1;
	assert_null(amt_uuid_invalid(u));
}

static void test_enum_names(void **state)
{
	(void)state;
	assert_string_equal(amt_prov_state_name(0), "pre");
	assert_string_equal(amt_prov_state_name(1), "in");
	assert_string_equal(amt_prov_state_name(2), "post");
	assert_string_equal(amt_prov_state_name(3), "unknown");
	assert_string_equal(amt_prov_mode_name(0), "none");
	assert_string_equal(amt_prov_mode_name(1), "enterprise");
	assert_string_equal(amt_prov_mode_name(2), "small_business");
	assert_string_equal(amt_prov_mode_name(3), "remote_assistance");
	assert_string_equal(amt_prov_mode_name(4), "unknown");
	assert_string_equal(amt_control_mode_name(0), "none");
	assert_string_equal(amt_control_mode_name(1), "ccm");
	assert_string_equal(amt_control_mode_name(2), "acm");
	assert_string_equal(amt_control_mode_name(3), "remote_assistance");
	assert_string_equal(amt_control_mode_name(0xffffffff), "unknown");
	assert_string_equal(amt_tls_mode_name(0), "not_ready");
	assert_string_equal(amt_tls_mode_name(1), "psk");
	assert_string_equal(amt_tls_mode_name(2), "pki");
	assert_string_equal(amt_tls_mode_name(3), "unknown");
	assert_string_equal(amt_unprov_state_name(0), "none");
	assert_string_equal(amt_unprov_state_name(1), "in_progress");
	assert_string_equal(amt_unprov_state_name(2), "unknown");
	assert_string_equal(amt_dhcp_mode_name(0), "unknown");
	assert_string_equal(amt_dhcp_mode_name(1), "active");
	assert_string_equal(amt_dhcp_mode_name(2), "passive");
	assert_string_equal(amt_dhcp_mode_name(3), "unknown");
}

/* The enums are numbered as the firmware sends them; names come from the same tables. */
static void test_enum_constants(void **state)
{
	(void)state;
	assert_int_equal(AMT_PROV_STATE_IN, 1);
	assert_int_equal(AMT_CONTROL_MODE_ADMIN, 2);
	assert_int_equal(AMT_TLS_MODE_PKI, 2);
	assert_int_equal(AMT_PROV_MODE_SMALL_BUSINESS, 2);
	assert_string_equal(amt_prov_state_name(AMT_PROV_STATE_POST), "post");
	assert_string_equal(amt_control_mode_name(AMT_CONTROL_MODE_CLIENT), "ccm");
	assert_string_equal(amt_tls_mode_name(AMT_TLS_MODE_PSK), "psk");
	assert_string_equal(amt_prov_state_text(AMT_PROV_STATE_PRE), "not provisioned");
	assert_string_equal(amt_prov_state_text(AMT_PROV_STATE_IN), "in provisioning");
	assert_string_equal(amt_prov_state_text(AMT_PROV_STATE_POST), "provisioned");
	assert_string_equal(amt_prov_state_text((enum amt_prov_state)7), "unknown");
	assert_string_equal(amt_ras_network_name(0), "direct");
	assert_string_equal(amt_ras_network_name(AMT_RAS_NETWORK_OUTSIDE_ENTERPRISE),
			    "outside_enterprise");
	assert_string_equal(amt_ras_network_name(3), "unknown");
	assert_string_equal(amt_ras_network_name(9), "unknown");
	assert_string_equal(amt_ras_connection_name(0), "not_connected");
	assert_string_equal(amt_ras_connection_name(2), "connected");
	assert_string_equal(amt_ras_connection_name(3), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sku_edition),
		cmocka_unit_test(test_sku_features),
		cmocka_unit_test(test_sku_unknown_bits),
		cmocka_unit_test(test_uuid_str),
		cmocka_unit_test(test_uuid_invalid),
		cmocka_unit_test(test_enum_names),
		cmocka_unit_test(test_enum_constants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

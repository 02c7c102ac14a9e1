// SPDX-License-Identifier: MIT
/* Unit tests for the AMT status table: every code of doc/firmware.md section 5, names, hints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "amt_status.h"

/* doc/firmware.md section 5, transcribed: names without the AMT_STATUS_ / PT_STATUS_ prefix;
 * 0x003 goes by its newer name INVALID_AMT_MODE (alias INVALID_PT_MODE). */
static const struct {
	uint32_t code;
	const char *name;
} spec[] = {
	{ 0x000, "SUCCESS" },
	{ 0x001, "INTERNAL_ERROR" },
	{ 0x002, "NOT_READY" },
	{ 0x003, "INVALID_AMT_MODE" },
	{ 0x004, "INVALID_MESSAGE_LENGTH" },
	{ 0x005, "TABLE_FINGERPRINT_NOT_AVAILABLE" },
	{ 0x006, "INTEGRITY_CHECK_FAILED" },
	{ 0x007, "UNSUPPORTED_ISVS_VERSION" },
	{ 0x008, "APPLICATION_NOT_REGISTERED" },
	{ 0x009, "INVALID_REGISTRATION_DATA" },
	{ 0x00A, "APPLICATION_DOES_NOT_EXIST" },
	{ 0x00B, "NOT_ENOUGH_STORAGE" },
	{ 0x00C, "INVALID_NAME" },
	{ 0x00D, "BLOCK_DOES_NOT_EXIST" },
	{ 0x00E, "INVALID_BYTE_OFFSET" },
	{ 0x00F, "INVALID_BYTE_COUNT" },
	{ 0x010, "NOT_PERMITTED" },
	{ 0x011, "NOT_OWNER" },
	{ 0x012, "BLOCK_LOCKED_BY_OTHER" },
	{ 0x013, "BLOCK_NOT_LOCKED" },
	{ 0x014, "INVALID_GROUP_PERMISSIONS" },
	{ 0x015, "GROUP_DOES_NOT_EXIST" },
	{ 0x016, "INVALID_MEMBER_COUNT" },
	{ 0x017, "MAX_LIMIT_REACHED" },
	{ 0x018, "INVALID_AUTH_TYPE" },
	{ 0x019, "AUTHENTICATION_FAILED" },
	{ 0x01A, "INVALID_DHCP_MODE" },
	{ 0x01B, "INVALID_IP_ADDRESS" },
	{ 0x01C, "INVALID_DOMAIN_NAME" },
	{ 0x01D, "UNSUPPORTED_VERSION" },
	{ 0x01E, "REQUEST_UNEXPECTED" },
	{ 0x01F, "INVALID_TABLE_TYPE" },
	{ 0x020, "INVALID_PROVISIONING_STATE" },
	{ 0x021, "UNSUPPORTED_OBJECT" },
	{ 0x022, "INVALID_TIME" },
	{ 0x023, "INVALID_INDEX" },
	{ 0x024, "INVALID_PARAMETER" },
	{ 0x025, "INVALID_NETMASK" },
	{ 0x026, "FLASH_WRITE_LIMIT_EXCEEDED" },
	{ 0x027, "INVALID_IMAGE_LENGTH" },
	{ 0x028, "INVALID_IMAGE_SIGNATURE" },
	{ 0x029, "PROPOSE_ANOTHER_VERSION" },
	{ 0x02A, "INVALID_PID_FORMAT" },
	{ 0x02B, "INVALID_PPS_FORMAT" },
	{ 0x02C, "BIST_COMMAND_BLOCKED" },
	{ 0x02D, "CONNECTION_FAILED" },
	{ 0x02E, "CONNECTION_TOO_MANY" },
	{ 0x02F, "RNG_GENERATION_IN_PROGRESS" },
	{ 0x030, "RNG_NOT_READY" },
	{ 0x031, "CERTIFICATE_NOT_READY" },
	{ 0x200, "REMOTE_ACCESS_NOT_GRANTED" },
	{ 0x201, "REMOTE_ACCESS_HOST_VPN_IS_DISABLED" },
	{ 0x202, "REMOTE_ACCESS_GRANTED_WITHOUT_DDNS" },
	{ 0x203, "REMOTE_ACCESS_GRANTED_WITH_DDNS" },
	{ 0x400, "DISABLED_BY_POLICY" },
	{ 0x800, "NETWORK_IF_ERROR_BASE" },
	{ 0x801, "UNSUPPORTED_OEM_NUMBER" },
	{ 0x802, "UNSUPPORTED_BOOT_OPTION" },
	{ 0x803, "INVALID_COMMAND" },
	{ 0x804, "INVALID_SPECIAL_COMMAND" },
	{ 0x805, "INVALID_HANDLE" },
	{ 0x806, "INVALID_PASSWORD" },
	{ 0x807, "INVALID_REALM" },
	{ 0x808, "STORAGE_ACL_ENTRY_IN_USE" },
	{ 0x809, "DATA_MISSING" },
	{ 0x80A, "DUPLICATE" },
	{ 0x80B, "EVENTLOG_FROZEN" },
	{ 0x80C, "PKI_MISSING_KEYS" },
	{ 0x80D, "PKI_GENERATING_KEYS" },
	{ 0x80E, "INVALID_KEY" },
	{ 0x80F, "INVALID_CERT" },
	{ 0x810, "CERT_KEY_NOT_MATCH" },
	{ 0x811, "MAX_KERB_DOMAIN_REACHED" },
	{ 0x812, "UNSUPPORTED" },
	{ 0x813, "INVALID_PRIORITY" },
	{ 0x814, "NOT_FOUND" },
	{ 0x815, "INVALID_CREDENTIALS" },
	{ 0x816, "INVALID_PASSPHRASE" },
	{ 0x818, "NO_ASSOCIATION" },
	{ 0x81B, "AUDIT_FAIL" },
	{ 0x81C, "BLOCKING_COMPONENT" },
	/* beyond doc/firmware.md 5: LMS's INTERFACE_DOES_NOT_EXIST (2501) */
	{ 0x9C5, "INTERFACE_DOES_NOT_EXIST" },
};

#define SPEC_COUNT (sizeof(spec) / sizeof(spec[0]))

static void test_every_spec_code(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(SPEC_COUNT, 82);
	for (i = 0; i < SPEC_COUNT; i++) {
		const struct amt_status_info *s = amt_status_lookup(spec[i].code);

		assert_non_null(s);
		assert_int_equal(s->code, spec[i].code);
		assert_string_equal(s->name, spec[i].name);
		assert_string_equal(amt_status_name(spec[i].code), spec[i].name);
		assert_non_null(s->meaning);
		assert_true(strlen(s->meaning) > 0);
		assert_non_null(s->hint);
	}
}

static void test_table_matches_spec(void **state)
{
	const struct amt_status_info *t = amt_status_table();
	size_t n;

	(void)state;
	for (n = 0; t[n].name; n++) {
		/* strictly ascending (lookup bisects) and each one from the spec */
		if (n > 0)
			assert_true(t[n].code > t[n - 1].code);
		assert_int_equal(t[n].code, spec[n].code);
		assert_string_equal(t[n].name, spec[n].name);
	}
	assert_int_equal(n, SPEC_COUNT);
}

static void test_unknown_code(void **state)
{
	static const uint32_t codes[] = { 0x032, 0x1ff, 0x817, 0x81D, 0x4000, 0xffffffff };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		assert_string_equal(amt_status_name(codes[i]), "UNKNOWN");
		assert_non_null(amt_status_lookup(codes[i])->meaning);
		assert_non_null(amt_status_lookup(codes[i])->hint);
	}
}

static void test_activation_hints(void **state)
{
	static const uint32_t need_hint[] = {
		AMT_STATUS_INTERNAL_ERROR, AMT_STATUS_NOT_READY, AMT_STATUS_INVALID_AMT_MODE,
		AMT_STATUS_INVALID_MESSAGE_LENGTH, AMT_STATUS_NOT_PERMITTED,
		AMT_STATUS_INVALID_DOMAIN_NAME, AMT_STATUS_INVALID_PROVISIONING_STATE,
		AMT_STATUS_INVALID_PARAMETER, AMT_STATUS_RNG_NOT_READY,
		AMT_STATUS_CERTIFICATE_NOT_READY, AMT_STATUS_DISABLED_BY_POLICY,
		AMT_STATUS_INVALID_COMMAND, AMT_STATUS_INVALID_HANDLE, AMT_STATUS_DATA_MISSING,
		AMT_STATUS_UNSUPPORTED, AMT_STATUS_BLOCKING_COMPONENT,
	};
	const struct amt_status_info *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(need_hint) / sizeof(need_hint[0]); i++)
		assert_true(strlen(amt_status_lookup(need_hint[i])->hint) > 0);
	s = amt_status_lookup(AMT_STATUS_INVALID_AMT_MODE);
	assert_string_equal(s->meaning, "not permitted in the current provisioning state");
	s = amt_status_lookup(AMT_STATUS_CERTIFICATE_NOT_READY);
	assert_non_null(strstr(s->meaning, "still generating its key"));
	assert_non_null(strstr(s->meaning, "counts as started"));
	assert_non_null(strstr(s->meaning, "may take minutes"));
}

static void test_header_enum_names(void **state)
{
	(void)state;
	/* the enum in amt_status.h and the table agree */
	assert_string_equal(amt_status_name(AMT_STATUS_SUCCESS), "SUCCESS");
	assert_string_equal(amt_status_name(AMT_STATUS_MAX_LIMIT_REACHED), "MAX_LIMIT_REACHED");
	assert_string_equal(amt_status_name(AMT_STATUS_UNSUPPORTED_VERSION),
			    "UNSUPPORTED_VERSION");
	assert_string_equal(amt_status_name(AMT_STATUS_REQUEST_UNEXPECTED),
			    "REQUEST_UNEXPECTED");
	assert_string_equal(amt_status_name(AMT_STATUS_INVALID_INDEX), "INVALID_INDEX");
	assert_string_equal(amt_status_name(AMT_STATUS_NOT_FOUND), "NOT_FOUND");
	assert_string_equal(amt_status_name(AMT_STATUS_BLOCKING_COMPONENT),
			    "BLOCKING_COMPONENT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_spec_code),
		cmocka_unit_test(test_table_matches_spec),
		cmocka_unit_test(test_unknown_code),
		cmocka_unit_test(test_activation_hints),
		cmocka_unit_test(test_header_enum_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

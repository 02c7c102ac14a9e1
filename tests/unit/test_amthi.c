// SPDX-License-Identifier: MIT
/* Unit tests for the AMTHI codec: header validation, request building, command names. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "amthi.h"
#include "buf.h"
#include "testlib_amthi.h"

/* The reply the testlib builders write. */
static uint8_t *const msgbuf = testlib_amthi_msg;

/* ---- amthi_parse ---- */

static void test_parse_ok(void **state)
{
	static const uint8_t uuid[16] = { 1, 2, 3 };
	struct amthi_reply r;
	size_t len = testlib_amthi_reply(AMTHI_GET_UUID, 0, uuid, sizeof(uuid));

	(void)state;
	assert_int_equal(amthi_parse(msgbuf, len, AMTHI_GET_UUID, &r), 0);
	assert_int_equal(r.fault, AMTHI_FAULT_NONE);
	assert_int_equal(r.cmd, AMTHI_GET_UUID);
	assert_ptr_equal(r.payload, msgbuf + 16);
	assert_int_equal(r.payload_len, 16);
}

static void test_parse_empty(void **state)
{
	struct amthi_reply r;

	(void)state;
	assert_int_equal(amthi_parse(msgbuf, 0, AMTHI_GET_UUID, &r), -ENODATA);
	assert_int_equal(r.fault, AMTHI_FAULT_EMPTY);
	assert_non_null(strstr(r.err.msg, "GET_UUID"));
	assert_int_equal(amthi_parse(NULL, 0, AMTHI_GET_UUID, &r), -ENODATA);
}

static void test_parse_short(void **state)
{
	struct amthi_reply r;
	size_t len = testlib_amthi_reply(AMTHI_START_CONFIGURATION, 0, NULL, 0);

	(void)state;
	assert_int_equal(len, 16);
	assert_int_equal(amthi_parse(msgbuf, 16, AMTHI_START_CONFIGURATION, &r), 0);
	testlib_amthi_expect_fault(amthi_parse(msgbuf, 15, AMTHI_START_CONFIGURATION, &r), &r,
		     AMTHI_FAULT_SHORT, "START_CONFIGURATION: 15 bytes");
	testlib_amthi_expect_fault(amthi_parse(msgbuf, 1, AMTHI_START_CONFIGURATION, &r), &r,
		     AMTHI_FAULT_SHORT, NULL);
}

static void test_parse_length(void **state)
{
	static const uint8_t uuid[16];
	struct amthi_reply r;
	size_t len = testlib_amthi_raw(1, 1, 0, AMTHI_GET_UUID | AMTHI_RESP_BIT, 8, 0, uuid, 16);

	(void)state;
	testlib_amthi_expect_fault(
		amthi_parse(msgbuf, len, AMTHI_GET_UUID, &r), &r, AMTHI_FAULT_LENGTH,
		"reply to GET_UUID: header Length 8 does not match 32 bytes received");
	assert_non_null(strstr(r.err.msg, "expected 20 + 12"));
	/* Length counting the header too (SA-00075 tools style) is still wrong for a reply */
	len = testlib_amthi_raw(1, 1, 0, AMTHI_GET_UUID | AMTHI_RESP_BIT, 32, 0, uuid, 16);
	testlib_amthi_expect_fault(amthi_parse(msgbuf, len, AMTHI_GET_UUID, &r), &r,
				   AMTHI_FAULT_LENGTH, NULL);
}

static void test_parse_command(void **state)
{
	struct amthi_reply r;
	size_t len;

	(void)state;
	/* the request code echoed without the response bit */
	len = testlib_amthi_raw(1, 1, 0, AMTHI_GET_UUID, TESTLIB_AUTO_LEN, 0, NULL, 0);
	testlib_amthi_expect_fault(amthi_parse(msgbuf, len, AMTHI_GET_UUID, &r), &r,
				   AMTHI_FAULT_COMMAND, "0x0400005C");
	/* a reply to another command */
	len = testlib_amthi_reply(AMTHI_GET_CONTROL_MODE, 0, "\0\0\0\0", 4);
	testlib_amthi_expect_fault(amthi_parse(msgbuf, len, AMTHI_GET_PROVISIONING_STATE, &r), &r,
		     AMTHI_FAULT_COMMAND, "0x0480006B");
}

static void test_parse_reserved(void **state)
{
	struct amthi_reply r;
	size_t len = testlib_amthi_raw(1, 1, 0x0100, AMTHI_GET_PID | AMTHI_RESP_BIT,
				       TESTLIB_AUTO_LEN, 0, NULL, 0);

	(void)state;
	testlib_amthi_expect_fault(amthi_parse(msgbuf, len, AMTHI_GET_PID, &r), &r,
				   AMTHI_FAULT_RESERVED, "0x0100");
}

static void test_parse_version(void **state)
{
	struct amthi_reply r;
	size_t len;

	(void)state;
	len = testlib_amthi_raw(2, 1, 0, AMTHI_GET_PID | AMTHI_RESP_BIT, TESTLIB_AUTO_LEN, 0, NULL,
				0);
	testlib_amthi_expect_fault(amthi_parse(msgbuf, len, AMTHI_GET_PID, &r), &r,
				   AMTHI_FAULT_VERSION, "2.1");
	len = testlib_amthi_raw(1, 0, 0, AMTHI_GET_PID | AMTHI_RESP_BIT, TESTLIB_AUTO_LEN, 0, NULL,
				0);
	testlib_amthi_expect_fault(amthi_parse(msgbuf, len, AMTHI_GET_PID, &r), &r,
				   AMTHI_FAULT_VERSION, "1.0");
	len = testlib_amthi_raw(0, 1, 0, AMTHI_GET_PID | AMTHI_RESP_BIT, TESTLIB_AUTO_LEN, 0, NULL,
				0);
	testlib_amthi_expect_fault(amthi_parse(msgbuf, len, AMTHI_GET_PID, &r), &r,
				   AMTHI_FAULT_VERSION, NULL);
	/* peers accept any minor >= 1 */
	len = testlib_amthi_raw(1, 7, 0, AMTHI_GET_PID | AMTHI_RESP_BIT, TESTLIB_AUTO_LEN, 0, NULL,
				0);
	assert_int_equal(amthi_parse(msgbuf, len, AMTHI_GET_PID, &r), 0);
}

static void test_parse_order(void **state)
{
	struct amthi_reply r;
	size_t len;

	(void)state;
	/* wrong Length, command, reserved and version: Length is reported first */
	len = testlib_amthi_raw(3, 0, 9, 0x01020304, 99, 0, NULL, 0);
	testlib_amthi_expect_fault(amthi_parse(msgbuf, len, AMTHI_GET_UUID, &r), &r,
				   AMTHI_FAULT_LENGTH, NULL);
	len = testlib_amthi_raw(3, 0, 9, 0x01020304, TESTLIB_AUTO_LEN, 0, NULL, 0);
	testlib_amthi_expect_fault(amthi_parse(msgbuf, len, AMTHI_GET_UUID, &r), &r,
				   AMTHI_FAULT_COMMAND, NULL);
	len = testlib_amthi_raw(3, 0, 9, AMTHI_GET_UUID | AMTHI_RESP_BIT, TESTLIB_AUTO_LEN, 0, NULL,
				0);
	testlib_amthi_expect_fault(amthi_parse(msgbuf, len, AMTHI_GET_UUID, &r), &r,
				   AMTHI_FAULT_RESERVED, NULL);
}

static void test_parse_status(void **state)
{
	struct amthi_reply r;
	size_t len;

	(void)state;
	len = testlib_amthi_reply(AMTHI_UNPROVISION, 0x003, NULL, 0);
	assert_int_equal(amthi_parse(msgbuf, len, AMTHI_UNPROVISION, &r), 0);
	assert_int_equal(r.status, 3);
	assert_int_equal(r.fault, AMTHI_FAULT_NONE);
	/* a non-zero status with a body is accepted too; decoders then refuse it */
	len = testlib_amthi_reply(AMTHI_GET_UUID, 0x002, "0123456789abcdef", 16);
	assert_int_equal(amthi_parse(msgbuf, len, AMTHI_GET_UUID, &r), 0);
	assert_int_equal(r.status, 2);
	{
		uint8_t uuid[16];

		assert_int_equal(amthi_dec_uuid(&r, uuid), -EINVAL);
	}
}

static void test_parse_unknown_command_name(void **state)
{
	struct amthi_reply r;

	(void)state;
	assert_int_equal(amthi_parse(msgbuf, 3, 0x04000099, &r), -EBADMSG);
	assert_non_null(strstr(r.err.msg, "reply to command 0x04000099:"));
}

/* ---- build and names ---- */

static void test_build(void **state)
{
	static const uint8_t want[] = { 1, 1, 0, 0, 0x48, 0, 0, 4, 4, 0, 0, 0, 1, 0, 0, 0 };
	static const uint8_t idx[4] = { 1, 0, 0, 0 };
	uint8_t buf[16];

	(void)state;
	assert_int_equal(amthi_build(buf, sizeof(buf), AMTHI_GET_LAN_INTERFACE_SETTINGS, idx,
				     4), 16);
	assert_memory_equal(buf, want, 16);
	assert_int_equal(amthi_build(buf, 15, AMTHI_GET_LAN_INTERFACE_SETTINGS, idx, 4), 0);
	assert_int_equal(amthi_build(buf, 11, AMTHI_GET_UUID, NULL, 0), 0);
	assert_int_equal(amthi_build(buf, 12, AMTHI_GET_UUID, NULL, 0), 12);
	assert_int_equal(amthi_build(buf, 16, AMTHI_GET_UUID, NULL, 4), 0);
}

/* ---- write requests: bodies and their --dry-run descriptions ---- */

static void expect_request(const struct amthi_request *rq, uint32_t cmd, const void *body,
			   size_t len, const char *words)
{
	char text[320];

	assert_int_equal(rq->cmd, cmd);
	assert_int_equal(rq->len, len);
	if (len)
		assert_memory_equal(rq->body, body, len);
	amthi_req_describe(rq, text, sizeof(text));
	assert_string_equal(text, words);
}

static void test_write_requests(void **state)
{
	struct amthi_request rq;

	(void)state;
	assert_int_equal(amthi_req_set_dns_suffix(&rq, "example.com"), 0);
	expect_request(&rq, 0x0400002F, "\x0b\0example.com", 13,
		       "SET_DNS_SUFFIX (0x0400002F), payload u16 11 + \"example.com\"");
	assert_int_equal(rq.secret_from, rq.len);
	assert_int_equal(amthi_req_set_zero_touch(&rq, true), 0);
	expect_request(&rq, 0x0400003A, "\1\0\0\0", 4,
		       "SET_ZERO_TOUCH_ENABLED (0x0400003A), payload u32 1");
	assert_int_equal(amthi_req_set_zero_touch(&rq, false), 0);
	expect_request(&rq, 0x0400003A, "\0\0\0\0", 4,
		       "SET_ZERO_TOUCH_ENABLED (0x0400003A), payload u32 0");
	assert_int_equal(amthi_req_unprovision(&rq), 0);
	expect_request(&rq, 0x04000010, "\0\0\0\0", 4, "UNPROVISION (0x04000010), payload u32 0");
	assert_int_equal(amthi_req_start_configuration(&rq), 0);
	expect_request(&rq, 0x04000029, NULL, 0, "START_CONFIGURATION (0x04000029), no payload");
	assert_int_equal(amthi_req_stop_configuration(&rq), 0);
	expect_request(&rq, 0x0400005E, NULL, 0, "STOP_CONFIGURATION (0x0400005E), no payload");
}

static void test_write_request_secret(void **state)
{
	static const uint8_t zeros[AMTHI_REQ_BODY_MAX];
	struct amthi_request rq;
	char text[320];

	(void)state;
	assert_int_equal(amthi_req_set_otp(&rq, "Secret#12", 9), 0);
	expect_request(&rq, 0x0400002A, "\x09\0Secret#12", 11,
		       "SET_PROVISIONING_SERVER_OTP (0x0400002A), payload u16 9 + "
		       "<redacted 9 bytes>");
	assert_int_equal(rq.secret_from, 0);
	/* cut short, the description is still a string and still without the secret */
	amthi_req_describe(&rq, text, 20);
	assert_string_equal(text, "SET_PROVISIONING_SE");
	amthi_req_wipe(&rq);
	assert_int_equal(rq.len, 0);
	assert_memory_equal(rq.body, zeros, sizeof(zeros));
}

static void test_write_request_too_long(void **state)
{
	static const uint8_t zeros[AMTHI_REQ_BODY_MAX];
	char suffix[AMTHI_REQ_BODY_MAX];
	struct amthi_request rq;

	(void)state;
	memset(suffix, 'a', sizeof(suffix) - 1);
	suffix[sizeof(suffix) - 1] = '\0';
	assert_int_equal(amthi_req_set_dns_suffix(&rq, suffix), -EMSGSIZE);
	assert_int_equal(rq.cmd, 0x0400002F);
	assert_int_equal(rq.len, 0);
	assert_memory_equal(rq.body, zeros, sizeof(zeros));
	suffix[AMTHI_REQ_BODY_MAX - 3] = '\0'; /* u16 + 297 bytes: just fits */
	assert_int_equal(amthi_req_set_dns_suffix(&rq, suffix), 0);
	assert_int_equal(rq.len, AMTHI_REQ_BODY_MAX - 1);
}

static const struct {
	uint32_t code;
	const char *name;
} names[] = {
	{ 0x04000008, "GET_PROVISIONING_MODE" },
	{ 0x04000010, "UNPROVISION" },
	{ 0x04000011, "GET_PROVISIONING_STATE" },
	{ 0x0400001A, "GET_CODE_VERSIONS" },
	{ 0x04000029, "START_CONFIGURATION" },
	{ 0x0400002A, "SET_PROVISIONING_SERVER_OTP" },
	{ 0x0400002B, "GET_PROVISIONING_TLS_MODE" },
	{ 0x0400002C, "ENUMERATE_HASH_HANDLES" },
	{ 0x0400002D, "GET_CERTHASH_ENTRY" },
	{ 0x0400002F, "SET_DNS_SUFFIX" },
	{ 0x04000030, "GET_ZERO_TOUCH_ENABLED" },
	{ 0x04000036, "GET_PKI_FQDN_SUFFIX" },
	{ 0x0400003A, "SET_ZERO_TOUCH_ENABLED" },
	{ 0x0400003B, "GET_PID" },
	{ 0x04000046, "GET_REMOTE_ACCESS_CONNECTION_STATUS" },
	{ 0x04000048, "GET_LAN_INTERFACE_SETTINGS" },
	{ 0x04000056, "GET_FQDN" },
	{ 0x0400005C, "GET_UUID" },
	{ 0x0400005E, "STOP_CONFIGURATION" },
	{ 0x04000068, "GET_UNPROVISIONING_STATE" },
	{ 0x0400006B, "GET_CONTROL_MODE" },
};

static void test_cmd_names(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_non_null(amthi_cmd_name(names[i].code));
		assert_string_equal(amthi_cmd_name(names[i].code), names[i].name);
		assert_int_equal(amthi_cmd_by_name(names[i].name), names[i].code);
	}
	assert_null(amthi_cmd_name(0x04000099));
	assert_null(amthi_cmd_name(AMTHI_GET_UUID | AMTHI_RESP_BIT));
	assert_int_equal(amthi_cmd_by_name("AMT_GET_UUID"), 0);
	assert_int_equal(amthi_cmd_by_name("get_uuid"), 0);
	assert_int_equal(amthi_cmd_by_name(NULL), 0);
}

static void test_fault_names(void **state)
{
	(void)state;
	assert_string_equal(amthi_fault_name(AMTHI_FAULT_NONE), "none");
	assert_string_equal(amthi_fault_name(AMTHI_FAULT_EMPTY), "empty");
	assert_string_equal(amthi_fault_name(AMTHI_FAULT_LENGTH), "length");
	assert_string_equal(amthi_fault_name(AMTHI_FAULT_TRAILING), "trailing");
	assert_string_equal(amthi_fault_name(AMTHI_FAULT_FIELD), "field");
	assert_string_equal(amthi_fault_name((enum amthi_fault)99), "unknown");
}

static void test_hash_algorithms(void **state)
{
	(void)state;
	assert_int_equal(amthi_hash_len(0), 16);
	assert_int_equal(amthi_hash_len(1), 20);
	assert_int_equal(amthi_hash_len(2), 32);
	assert_int_equal(amthi_hash_len(3), 64);
	assert_int_equal(amthi_hash_len(4), 0);
	assert_string_equal(amthi_hash_name(2), "sha256");
	assert_string_equal(amthi_hash_name(3), "sha512");
	assert_null(amthi_hash_name(4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_short),
		cmocka_unit_test(test_parse_length),
		cmocka_unit_test(test_parse_command),
		cmocka_unit_test(test_parse_reserved),
		cmocka_unit_test(test_parse_version),
		cmocka_unit_test(test_parse_order),
		cmocka_unit_test(test_parse_status),
		cmocka_unit_test(test_parse_unknown_command_name),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_write_requests),
		cmocka_unit_test(test_write_request_secret),
		cmocka_unit_test(test_write_request_too_long),
		cmocka_unit_test(test_cmd_names),
		cmocka_unit_test(test_fault_names),
		cmocka_unit_test(test_hash_algorithms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * The pure half of the OTP fetch (otp.policy "server"): the URL next to the reports URL,
 * the OTP out of the interim server's {"uuid", "otp"} answer (amtact-interim(8), GET
 * /otp/UUID: json.dumps of printable ASCII, so \" \\ and \/ are the only escapes), and the
 * meaning of its refusals (404 unknown box, 410 expired, 401/403, 5xx temporary).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

#define UUID "4c4c4544-0051-4810-8039-b4c04f4b3733"

static void url_is(const char *reports, const char *want)
{
	char out[256];

	assert_int_equal(report_otp_url(reports, UUID, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

static void test_url(void **state)
{
	char small[40];

	(void)state;
	url_is("https://127.0.0.1:8443/reports", "https://127.0.0.1:8443/otp/" UUID);
	url_is("https://interim.example.com/amtact/v1/reports",
	       "https://interim.example.com/amtact/v1/otp/" UUID);
	url_is("https://interim.example.com/amtact/", "https://interim.example.com/amtact/otp/" UUID);
	url_is("https://interim.example.com", "https://interim.example.com/otp/" UUID);
	url_is("https://interim.example.com/r?x=1/2", "https://interim.example.com/otp/" UUID);
	assert_int_equal(report_otp_url("https://interim.example.com/reports", UUID, small,
					sizeof(small)), -ENAMETOOLONG);
}

static int parse(const char *text, struct secret *otp)
{
	struct secret body;
	int rc;

	assert_int_equal(secret_set(&body, text, strlen(text)), 0);
	rc = report_otp_parse(&body, otp);
	secret_wipe(&body);
	return rc;
}

static void test_parse(void **state)
{
	struct secret otp;

	(void)state;
	secret_init(&otp);
	assert_int_equal(parse("{\"uuid\": \"" UUID "\", \"otp\": \"Kd7pQ2xW9mRt4vZe\"}", &otp), 0);
	assert_string_equal(otp.buf, "Kd7pQ2xW9mRt4vZe");
	assert_int_equal(otp.len, 16);
	assert_int_equal(parse("{\"otp\":\"a\\\"b\\\\c\\/d!~\"}", &otp), 0);
	assert_string_equal(otp.buf, "a\"b\\c/d!~");
	/* No OTP, an empty one, a non-string, an unknown escape, a space, no end: refused. */
	assert_int_equal(parse("{\"uuid\": \"" UUID "\"}", &otp), -EBADMSG);
	assert_int_equal(otp.len, 0);
	assert_int_equal(parse("{\"otp\": \"\"}", &otp), -EBADMSG);
	assert_int_equal(parse("{\"otp\": 12345678}", &otp), -EBADMSG);
	assert_int_equal(parse("{\"otp\": \"abc\\u0041def\"}", &otp), -EBADMSG);
	assert_int_equal(parse("{\"otp\": \"abc def\"}", &otp), -EBADMSG);
	assert_int_equal(parse("{\"otp\": \"abcdefgh", &otp), -EBADMSG);
	assert_int_equal(otp.len, 0);
	assert_string_equal(otp.buf, "");
}

static void test_status(void **state)
{
	static const char why[] = "{\"error\": \"no OTP is assigned to device " UUID "\"}";
	struct report_result res;
	struct secret body;

	(void)state;
	assert_int_equal(secret_set(&body, why, strlen(why)), 0);
	memset(&res, 0, sizeof(res));
	assert_int_equal(report_otp_status(404, &body, &res), -ENOENT);
	assert_int_equal(res.cls, REPORT_PERMANENT);
	assert_non_null(strstr(res.message, "HTTP 404"));
	assert_non_null(strstr(res.message, "no OTP is assigned"));
	assert_int_equal(report_otp_status(410, &body, &res), -ESTALE);
	assert_int_equal(report_otp_status(403, &body, &res), -EACCES);
	assert_int_equal(report_otp_status(401, &body, &res), -EACCES);
	assert_int_equal(report_otp_status(400, &body, &res), -EREMOTEIO);
	assert_int_equal(report_otp_status(503, &body, &res), -EAGAIN);
	assert_int_equal(res.cls, REPORT_TEMPORARY);
	assert_int_equal(report_otp_status(204, &body, &res), -EBADMSG);
	secret_wipe(&body);
}

/* An answer that may hold the OTP is never repeated in the message (it is shown and logged). */
static void test_status_no_otp_echo(void **state)
{
	static const char with_otp[] = "{\"uuid\": \"" UUID "\", \"otp\": \"Echo-0tp-Kq7Wz\"}";
	static const long statuses[] = { 201, 204, 400, 404, 410, 500, 503 };
	struct report_result res;
	struct secret body;

	(void)state;
	assert_int_equal(secret_set(&body, with_otp, strlen(with_otp)), 0);
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		memset(&res, 0, sizeof(res));
		assert_true(report_otp_status(statuses[i], &body, &res) < 0);
		assert_non_null(strstr(res.message, "server answered HTTP"));
		assert_null(strstr(res.message, "Echo-0tp-Kq7Wz"));
		assert_null(strstr(res.message, "Echo"));
	}
	secret_wipe(&body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_no_otp_echo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

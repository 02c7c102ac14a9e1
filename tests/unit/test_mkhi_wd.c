// SPDX-License-Identifier: MIT
/* Unit tests for the MKHI (GET_FW_VERSION) and watchdog-client (AMT state) codecs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "mkhi.h"
#include "wd.h"

/* ff 82 00 <result> + blocks of {minor, major, build, hotfix} */
static size_t fw_reply(uint8_t *buf, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t result,
		       size_t blocks)
{
	struct wbuf w;
	size_t i;

	wbuf_init(&w, buf, 64);
	wbuf_u8(&w, b0);
	wbuf_u8(&w, b1);
	wbuf_u8(&w, b2);
	wbuf_u8(&w, result);
	for (i = 0; i < blocks; i++) {
		wbuf_u16(&w, (uint16_t)(1 + i));     /* minor */
		wbuf_u16(&w, (uint16_t)(16 + i));    /* major */
		wbuf_u16(&w, (uint16_t)(2049 + i));  /* build */
		wbuf_u16(&w, (uint16_t)(25 + i));    /* hotfix */
	}
	assert_true(wbuf_ok(&w));
	return w.len;
}

static void test_mkhi_build(void **state)
{
	uint8_t buf[4];

	(void)state;
	assert_int_equal(mkhi_build(buf, 4, 0x03, 0x02), 4);
	assert_int_equal(buf[0], 0x03);
	assert_int_equal(buf[1], 0x02);
	assert_int_equal(buf[2] | buf[3], 0);
	assert_int_equal(mkhi_build(buf, 3, 0xff, 0x02), 0);
}

static void test_mkhi_fw_two_and_three_blocks(void **state)
{
	struct mkhi_fw_version fw;
	uint8_t msg[64], result = 0x55;
	struct amt_err why;
	char s[32];
	size_t n;

	(void)state;
	n = fw_reply(msg, 0xff, 0x82, 0, 0, 2);
	assert_int_equal(n, 20);
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, &result, &why), 0);
	assert_int_equal(result, 0);
	assert_int_equal(fw.code.major, 16);
	assert_int_equal(fw.code.minor, 1);
	assert_int_equal(fw.code.build, 2049);
	assert_int_equal(fw.code.hotfix, 25);
	assert_int_equal(fw.recovery.major, 17);
	assert_false(fw.has_fitc);
	mkhi_block_str(&fw.recovery, s, sizeof(s));
	assert_string_equal(s, "17.2.26.2050");
	n = fw_reply(msg, 0xff, 0x82, 0, 0, 3);
	assert_int_equal(n, 28);
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, NULL, NULL), 0);
	assert_true(fw.has_fitc);
	assert_int_equal(fw.fitc.major, 18);
	mkhi_block_str(&fw.fitc, s, 5);
	assert_string_equal(s, "18.3");
}

static void test_mkhi_fw_bad(void **state)
{
	struct mkhi_fw_version fw;
	uint8_t msg[64] = { 0 }, result = 0;
	struct amt_err why;
	size_t n;

	(void)state;
	assert_int_equal(mkhi_dec_fw_version(msg, 0, &fw, &result, &why),
			 -ENODATA);
	n = fw_reply(msg, 0xff, 0x82, 0, 0, 2);
	assert_int_equal(mkhi_dec_fw_version(msg, 3, &fw, &result, &why),
			 -EBADMSG);
	assert_int_equal(mkhi_dec_fw_version(msg, 4, &fw, &result, &why),
			 -EBADMSG);
	assert_non_null(strstr(why.msg, "0 bytes after the header"));
	assert_int_equal(mkhi_dec_fw_version(msg, n - 1, &fw, &result, &why),
			 -EBADMSG);
	n = fw_reply(msg, 0xff, 0x82, 0, 0, 1);
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, &result, &why),
			 -EBADMSG);
	n = fw_reply(msg, 0xff, 0x82, 0, 0, 4);
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, &result, &why),
			 -EBADMSG);
	assert_non_null(strstr(why.msg, "32 bytes"));
	n = fw_reply(msg, 0x03, 0x82, 0, 0, 2); /* wrong group */
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, &result, &why),
			 -EBADMSG);
	n = fw_reply(msg, 0xff, 0x02, 0, 0, 2); /* response bit missing */
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, &result, &why),
			 -EBADMSG);
	assert_non_null(strstr(why.msg, "expected FF 82"));
	n = fw_reply(msg, 0xff, 0x83, 0, 0, 2); /* another command */
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, &result, &why),
			 -EBADMSG);
	n = fw_reply(msg, 0xff, 0x82, 1, 0, 2); /* reserved */
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, &result, &why),
			 -EBADMSG);
	assert_non_null(strstr(why.msg, "reserved"));
	assert_int_equal(why.code, -EBADMSG);
	assert_false(why.have_fw_status);
}

static void test_mkhi_result(void **state)
{
	struct mkhi_fw_version fw;
	uint8_t msg[64], result = 0;
	struct amt_err why;
	size_t n;

	(void)state;
	/* a non-zero result is the firmware's answer, whatever follows the header */
	n = fw_reply(msg, 0xff, 0x82, 0, 0x88, 0);
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, &result, &why),
			 -EPROTO);
	assert_int_equal(result, 0x88);
	assert_non_null(strstr(why.msg, "0x88"));
	/* the firmware's answer travels apart from the local code */
	assert_int_equal(why.code, -EPROTO);
	assert_true(why.have_fw_status);
	assert_int_equal(why.fw_status, 0x88);
	n = fw_reply(msg, 0xff, 0x82, 0, 0x89, 2);
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, &result, &why),
			 -EPROTO);
	assert_int_equal(result, 0x89);
	assert_int_equal(mkhi_check_hdr(msg, n, 0xff, 0x02, NULL, NULL), -EPROTO);
	n = fw_reply(msg, 0x03, 0x82, 0, 0, 1);
	assert_int_equal(mkhi_check_hdr(msg, n, 0x03, 0x02, &result, &why), 0);
	assert_int_equal(result, 0);
	assert_false(err_is_set(&why)); /* cleared on success */
	assert_false(why.have_fw_status);
}

static void test_wd_requests(void **state)
{
	static const uint8_t on[] = { 0x05, 0x03, 0x53, 0x10, 0x01 };
	uint8_t buf[8];

	(void)state;
	assert_int_equal(wd_build_set_operational_state(buf, sizeof(buf), true), 5);
	assert_memory_equal(buf, on, 5);
	assert_int_equal(wd_build_set_operational_state(buf, 4, true), 0);
	assert_int_equal(wd_build_is_change_enabled(buf, 3), 0);
}

static void test_wd_request_words(void **state)
{
	static const uint8_t ask[] = { 0x05, 0x02, 0x51, 0x10 };
	uint8_t buf[8];
	char text[80];
	size_t n;

	(void)state;
	n = wd_build_set_operational_state(buf, sizeof(buf), true);
	assert_string_equal(wd_request_name(buf, n), "WD SetAmtOperationalState");
	wd_request_describe(buf, n, text, sizeof(text));
	assert_string_equal(text, "WD client SetAmtOperationalState: 05 03 53 10 01");
	wd_request_describe(buf, n, text, 40);
	assert_string_equal(text, "WD client SetAmtOperationalState: 05 03");
	assert_string_equal(wd_request_name(ask, sizeof(ask)), "WD IsChangeToAMTEnabled");
	wd_request_describe(ask, sizeof(ask), text, sizeof(text));
	assert_string_equal(text, "WD client IsChangeToAMTEnabled: 05 02 51 10");
	assert_string_equal(wd_request_name(buf, 2), "WD request");
}

/* ChangeToAMT: 05 02 52 10; the reply a u32 status alone, 0 or 0x9E (doc/firmware.md 6). */
static void test_wd_change_to_amt(void **state)
{
	static const uint8_t want[] = { 0x05, 0x02, 0x52, 0x10 };
	static const uint8_t ok[] = { 0, 0, 0, 0 }, refused[] = { 0x9E, 0, 0, 0 };
	struct amt_err e;
	uint32_t status = 7;
	uint8_t buf[8];
	char text[80];
	size_t n;

	(void)state;
	n = wd_build_change_to_amt(buf, sizeof(buf));
	assert_int_equal(n, 4);
	assert_memory_equal(buf, want, 4);
	assert_int_equal(wd_build_change_to_amt(buf, 3), 0);
	assert_string_equal(wd_request_name(want, 4), "WD ChangeToAMT");
	wd_request_describe(want, 4, text, sizeof(text));
	assert_string_equal(text, "WD client ChangeToAMT: 05 02 52 10");
	assert_int_equal(wd_dec_change_to_amt(ok, 4, &status, &e), 0);
	assert_int_equal(status, 0);
	assert_int_equal(wd_dec_change_to_amt(refused, 4, &status, &e), 0);
	assert_int_equal(status, WD_STATUS_CHANGE_FAILED);
	assert_int_equal(wd_dec_change_to_amt(ok, 0, &status, &e), -ENODATA);
	assert_int_equal(wd_dec_change_to_amt(ok, 3, &status, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "expected exactly 4"));
	assert_int_equal(wd_dec_change_to_amt(buf, sizeof(buf), &status, &e), -EBADMSG);
}

static void flags(uint8_t f, bool allowed, bool newif, bool enabled, bool tls)
{
	struct wd_amt_state st;
	uint8_t msg[4] = { f, 0xaa, 0xbb, 0xcc };

	assert_int_equal(wd_dec_is_change_enabled(msg, sizeof(msg), &st, NULL), 0);
	assert_int_equal(st.raw, f);
	assert_int_equal(st.change_allowed, allowed);
	assert_int_equal(st.new_interface, newif);
	assert_int_equal(st.amt_enabled, enabled);
	assert_int_equal(st.tls_local_ports, tls);
}

static void test_wd_flags(void **state)
{
	struct wd_amt_state st;
	struct amt_err why;

	(void)state;
	flags(0x83, true, true, true, false);
	flags(0x82, false, true, true, false);
	flags(0x80, false, true, false, false);
	/* without bit 7 the bits 1 and 6 carry no meaning */
	flags(0x02, false, false, false, false);
	flags(0x43, true, false, false, false);
	flags(0x00, false, false, false, false);
	flags(0xC3, true, true, true, true);
	assert_int_equal(wd_dec_is_change_enabled((const uint8_t *)"", 0, &st, &why),
			 -ENODATA);
}

static void test_wd_set_state_reply(void **state)
{
	uint8_t msg[9] = { 0x05, 0x03, 0x53, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00 };
	uint32_t status = 77;
	struct amt_err why;
	size_t i;

	(void)state;
	assert_int_equal(wd_dec_set_operational_state(msg, 8, &status, &why), 0);
	assert_int_equal(status, 0);
	le32_store(msg + 4, 0x81c);
	assert_int_equal(wd_dec_set_operational_state(msg, 8, &status, &why), 0);
	assert_int_equal(status, 0x81c);
	assert_int_equal(wd_dec_set_operational_state(msg, 7, &status, &why),
			 -EBADMSG);
	assert_int_equal(wd_dec_set_operational_state(msg, 9, &status, &why),
			 -EBADMSG);
	assert_non_null(strstr(why.msg, "9 bytes"));
	assert_int_equal(wd_dec_set_operational_state(msg, 0, &status, &why),
			 -ENODATA);
	for (i = 0; i < 4; i++) {
		uint8_t keep = msg[i];

		msg[i] ^= 0x40;
		assert_int_equal(wd_dec_set_operational_state(msg, 8, &status, &why),
				 -EBADMSG);
		assert_non_null(strstr(why.msg, "expected 05 03 53 10"));
		msg[i] = keep;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mkhi_build),
		cmocka_unit_test(test_mkhi_fw_two_and_three_blocks),
		cmocka_unit_test(test_mkhi_fw_bad),
		cmocka_unit_test(test_mkhi_result),
		cmocka_unit_test(test_wd_requests),
		cmocka_unit_test(test_wd_request_words),
		cmocka_unit_test(test_wd_change_to_amt),
		cmocka_unit_test(test_wd_flags),
		cmocka_unit_test(test_wd_set_state_reply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

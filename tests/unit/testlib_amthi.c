// SPDX-License-Identifier: MIT
/* Shared helpers for the AMTHI codec tests: replies with every header field under control. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "testlib_amthi.h"

uint8_t testlib_amthi_msg[8192];

size_t testlib_amthi_raw(uint8_t major, uint8_t minor, uint16_t reserved, uint32_t cmd,
			 uint32_t length, uint32_t status, const void *p, size_t n)
{
	struct wbuf w;

	wbuf_init(&w, testlib_amthi_msg, sizeof(testlib_amthi_msg));
	wbuf_u8(&w, major);
	wbuf_u8(&w, minor);
	wbuf_u16(&w, reserved);
	wbuf_u32(&w, cmd);
	wbuf_u32(&w, length == TESTLIB_AUTO_LEN ? (uint32_t)(4 + n) : length);
	wbuf_u32(&w, status);
	wbuf_bytes(&w, p, n);
	assert_true(wbuf_ok(&w));
	return w.len;
}

size_t testlib_amthi_reply(uint32_t cmd, uint32_t status, const void *p, size_t n)
{
	return testlib_amthi_raw(1, 1, 0, cmd | AMTHI_RESP_BIT, TESTLIB_AUTO_LEN, status, p, n);
}

void testlib_amthi_parsed(uint32_t cmd, const void *p, size_t n, struct amthi_reply *r)
{
	size_t len = testlib_amthi_reply(cmd, 0, p, n);

	assert_int_equal(amthi_parse(testlib_amthi_msg, len, cmd, r), 0);
	assert_int_equal(r->status, 0);
	assert_int_equal(r->payload_len, n);
}

void testlib_amthi_expect_fault(int ret, const struct amthi_reply *r, enum amthi_fault f,
				const char *in_why)
{
	assert_int_equal(ret, -EBADMSG);
	assert_int_equal(r->fault, f);
	if (in_why)
		assert_non_null(strstr(r->err.msg, in_why));
}

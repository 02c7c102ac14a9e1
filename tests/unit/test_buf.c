// SPDX-License-Identifier: MIT
/* Unit tests for heci/wire/buf.h: little-endian reads and writes, sticky overrun/overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

static void test_rbuf_reads_le(void **state)
{
	static const uint8_t d[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xaa, 0xbb };
	struct rbuf r;
	uint8_t two[2];

	(void)state;
	rbuf_init(&r, d, sizeof(d));
	assert_int_equal(rbuf_u8(&r), 0x01);
	assert_int_equal(rbuf_u16(&r), 0x0302);
	assert_int_equal(rbuf_u32(&r), 0x07060504);
	assert_int_equal(rbuf_left(&r), 2);
	assert_false(rbuf_done(&r));
	rbuf_bytes(&r, two, 2);
	assert_int_equal(two[0], 0xaa);
	assert_int_equal(two[1], 0xbb);
	assert_true(rbuf_ok(&r));
	assert_true(rbuf_done(&r));
}

static void test_rbuf_overrun_is_sticky(void **state)
{
	static const uint8_t d[] = { 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct rbuf r;
	uint8_t out[4] = { 0xee, 0xee, 0xee, 0xee };

	(void)state;
	rbuf_init(&r, d, sizeof(d));
	assert_int_equal(rbuf_u32(&r), 0x44332211);
	/* 1 byte left: a u32 overruns and reads as 0 */
	assert_int_equal(rbuf_u32(&r), 0);
	assert_false(rbuf_ok(&r));
	/* sticky: even the byte that was left is no longer handed out */
	assert_int_equal(rbuf_u8(&r), 0);
	assert_null(rbuf_ptr(&r, 0));
	rbuf_bytes(&r, out, sizeof(out));
	assert_int_equal(out[0], 0);
	assert_int_equal(out[3], 0);
	assert_false(rbuf_done(&r));
	assert_int_equal(rbuf_left(&r), 0);
}

static void test_rbuf_ptr_exact_and_huge(void **state)
{
	static const uint8_t d[] = { 1, 2, 3 };
	struct rbuf r;

	(void)state;
	rbuf_init(&r, d, sizeof(d));
	assert_ptr_equal(rbuf_ptr(&r, 3), d);
	assert_true(rbuf_done(&r));
	rbuf_init(&r, d, sizeof(d));
	/* a length that would wrap an unchecked pointer addition */
	assert_null(rbuf_ptr(&r, SIZE_MAX));
	assert_false(rbuf_ok(&r));
}

static void test_rbuf_null_is_empty(void **state)
{
	struct rbuf r;

	(void)state;
	rbuf_init(&r, NULL, 10);
	assert_int_equal(rbuf_left(&r), 0);
	assert_int_equal(rbuf_u8(&r), 0);
	assert_false(rbuf_ok(&r));
}

static void test_wbuf_writes_le(void **state)
{
	static const uint8_t want[] = { 0x7f, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12, 0xde, 0xad,
					0, 0 };
	uint8_t buf[16];
	struct wbuf w;

	(void)state;
	wbuf_init(&w, buf, sizeof(buf));
	wbuf_u8(&w, 0x7f);
	wbuf_u16(&w, 0x1234);
	wbuf_u32(&w, 0x12345678);
	wbuf_bytes(&w, "\xde\xad", 2);
	wbuf_zeros(&w, 2);
	assert_true(wbuf_ok(&w));
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	wbuf_put_u32_at(&w, 3, 0xa1b2c3d4);
	assert_true(wbuf_ok(&w));
	assert_int_equal(buf[3], 0xd4);
	assert_int_equal(buf[6], 0xa1);
}

static void test_wbuf_overflow_is_sticky(void **state)
{
	uint8_t buf[8];
	struct wbuf w;

	(void)state;
	memset(buf, 0xcc, sizeof(buf));
	wbuf_init(&w, buf, 5);
	wbuf_u32(&w, 0x01010101);
	wbuf_u16(&w, 0x0202); /* does not fit: nothing of it is written */
	assert_false(wbuf_ok(&w));
	assert_int_equal(buf[4], 0xcc);
	wbuf_u8(&w, 0x03); /* would fit, but overflow is sticky */
	assert_int_equal(buf[4], 0xcc);
	assert_int_equal(w.len, 4);
	assert_false(wbuf_ok(&w));
}

static void test_wbuf_put_at_bounds(void **state)
{
	uint8_t buf[8];
	struct wbuf w;

	(void)state;
	wbuf_init(&w, buf, sizeof(buf));
	wbuf_u32(&w, 0);
	wbuf_u16(&w, 0);
	wbuf_put_u32_at(&w, 3, 1); /* 3..6 is past the 6 bytes written */
	assert_false(wbuf_ok(&w));
}

static void test_le_helpers(void **state)
{
	uint8_t b[4];

	(void)state;
	le32_store(b, 0xc0a8012a);
	assert_int_equal(b[0], 0x2a);
	assert_int_equal(b[3], 0xc0);
	assert_int_equal(le32_load(b), 0xc0a8012a);
	le16_store(b, 0xbeef);
	assert_int_equal(b[0], 0xef);
	assert_int_equal(le16_load(b), 0xbeef);
}

static void test_hex_nibble(void **state)
{
	(void)state;
	assert_int_equal(hex_nibble('0'), 0);
	assert_int_equal(hex_nibble('9'), 9);
	assert_int_equal(hex_nibble('a'), 10);
	assert_int_equal(hex_nibble('F'), 15);
	assert_int_equal(hex_nibble('g'), -1);
	assert_int_equal(hex_nibble('/'), -1);
	assert_int_equal(hex_nibble(':'), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rbuf_reads_le),
		cmocka_unit_test(test_rbuf_overrun_is_sticky),
		cmocka_unit_test(test_rbuf_ptr_exact_and_huge),
		cmocka_unit_test(test_rbuf_null_is_empty),
		cmocka_unit_test(test_wbuf_writes_le),
		cmocka_unit_test(test_wbuf_overflow_is_sticky),
		cmocka_unit_test(test_wbuf_put_at_bounds),
		cmocka_unit_test(test_le_helpers),
		cmocka_unit_test(test_hex_nibble),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

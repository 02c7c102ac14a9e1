// SPDX-License-Identifier: MIT
/* The test vectors of doc/firmware.md section 11 (TV1-TV7), and GET_CODE_VERSIONS decoding. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "amt.h"
#include "amt_status.h"
#include "amthi.h"
#include "buf.h"
#include "mkhi.h"
#include "wd.h"

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "01 01 00 00 ..." as written in doc/firmware.md into bytes; returns the count. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		int hi, lo;

		if (*s == ' ') {
			s++;
			continue;
		}
		hi = nibble(s[0]);
		lo = nibble(s[1]);
		assert_true(hi >= 0 && lo >= 0);
		assert_true(n < cap);
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n;
}

static void expect_bytes(const uint8_t *got, size_t got_len, const char *hex)
{
	uint8_t want[600];
	size_t n = unhex(hex, want, sizeof(want));

	assert_int_equal(got_len, n);
	assert_memory_equal(got, want, n);
}

static void test_tv1_code_versions_request(void **state)
{
	uint8_t buf[64];
	size_t n;

	(void)state;
	n = amthi_build(buf, sizeof(buf), AMTHI_GET_CODE_VERSIONS, NULL, 0);
	expect_bytes(buf, n, "01 01 00 00 1a 00 00 04 00 00 00 00");
}

static void test_tv2_provisioning_state(void **state)
{
	uint8_t buf[64], msg[64];
	struct amthi_reply r;
	uint32_t v = 0;
	size_t n;

	(void)state;
	n = amthi_build(buf, sizeof(buf), AMTHI_GET_PROVISIONING_STATE, NULL, 0);
	expect_bytes(buf, n, "01 01 00 00 11 00 00 04 00 00 00 00");
	n = unhex("01 01 00 00 11 00 80 04 08 00 00 00 00 00 00 00 02 00 00 00", msg,
		  sizeof(msg));
	assert_int_equal(n, 20);
	assert_int_equal(amthi_parse(msg, n, AMTHI_GET_PROVISIONING_STATE, &r), 0);
	assert_int_equal(r.status, 0);
	assert_int_equal(amthi_dec_u32(&r, &v), 0);
	assert_int_equal(v, 2);
	assert_string_equal(amt_prov_state_name(v), "post");
}

static void test_tv3_uuid(void **state)
{
	uint8_t buf[64], msg[64], uuid[16];
	struct amthi_reply r;
	char s[37];
	size_t n;

	(void)state;
	n = amthi_build(buf, sizeof(buf), AMTHI_GET_UUID, NULL, 0);
	expect_bytes(buf, n, "01 01 00 00 5c 00 00 04 00 00 00 00");
	n = unhex("01 01 00 00 5c 00 80 04 14 00 00 00 00 00 00 00 d2 3f 11 1c 25 33 94 45 "
		  "a2 72 54 b2 03 8b eb 07", msg, sizeof(msg));
	assert_int_equal(n, 32);
	assert_int_equal(amthi_parse(msg, n, AMTHI_GET_UUID, &r), 0);
	assert_int_equal(amthi_dec_uuid(&r, uuid), 0);
	amt_uuid_str(uuid, s);
	assert_string_equal(s, "1c113fd2-3325-4594-a272-54b2038beb07");
	assert_null(amt_uuid_invalid(uuid));
}

static void test_tv4_requests(void **state)
{
	uint8_t buf[64], idx[4], zeros[40] = { 0 };
	size_t n;

	(void)state;
	le32_store(idx, 1);
	n = amthi_build(buf, sizeof(buf), AMTHI_GET_LAN_INTERFACE_SETTINGS, idx, 4);
	expect_bytes(buf, n, "01 01 00 00 48 00 00 04 04 00 00 00 01 00 00 00");
	/* GET_LOCAL_SYSTEM_ACCOUNT 0x04000067: header Length 40 + 40 zero bytes */
	n = amthi_build(buf, sizeof(buf), 0x04000067, zeros, sizeof(zeros));
	assert_int_equal(n, 52);
	expect_bytes(buf, 12, "01 01 00 00 67 00 00 04 28 00 00 00");
	assert_memory_equal(buf + 12, zeros, 40);
}

static void test_tv4_lan_reply(void **state)
{
	static const uint8_t mac[6] = { 0x54, 0xee, 0x75, 0x49, 0xb2, 0x19 };
	struct amthi_reply r;
	struct amt_lan lan;
	uint8_t msg[64];
	size_t n;

	(void)state;
	n = unhex("01 01 00 00 48 00 80 04 18 00 00 00 00 00 00 00 01 00 00 00 2a 01 a8 c0 "
		  "01 00 00 00 01 01 54 ee 75 49 b2 19", msg, sizeof(msg));
	assert_int_equal(n, 36);
	assert_int_equal(amthi_parse(msg, n, AMTHI_GET_LAN_INTERFACE_SETTINGS, &r), 0);
	assert_int_equal(amthi_dec_lan(&r, &lan), 0);
	assert_true(lan.enabled);
	assert_int_equal(lan.ipv4, 0xc0a8012a); /* 192.168.1.42 */
	assert_int_equal(lan.ipv4 >> 24, 192);
	assert_int_equal(lan.ipv4 & 0xff, 42);
	assert_true(lan.dhcp_enabled);
	assert_int_equal(lan.dhcp_mode, 1);
	assert_string_equal(amt_dhcp_mode_name(lan.dhcp_mode), "active");
	assert_int_equal(lan.link_up, 1);
	assert_memory_equal(lan.mac, mac, 6);
}

static const char *const tv5_values[10][2] = {
	{ "Flash", "9.1.45" },
	{ "Netstack", "9.1.45" },
	{ "AMTApps", "9.1.45" },
	{ "AMT", "9.1.45" },
	{ "Sku", "16" },
	{ "VendorID", "8086" },
	{ "Build Number", "3000" },
	{ "Recovery Version", "9.1.45" },
	{ "Recovery Build Num", "3000" },
	{ "Legacy Mode", "False" },
};

/* {u16 len, char[20]} with the string NUL-padded */
static void vstr(struct wbuf *w, uint16_t len, const char *s)
{
	size_t n = strlen(s);

	wbuf_u16(w, len);
	wbuf_bytes(w, s, n < 20 ? n : 20);
	if (n < 20)
		wbuf_zeros(w, 20 - n);
}

/* A GET_CODE_VERSIONS reply: header, status 0, BIOS, count, entries. */
static size_t code_versions(uint8_t *buf, size_t cap, const char *bios, uint32_t count,
			    const char *const (*v)[2], size_t entries)
{
	struct wbuf w;
	size_t i, bl = strlen(bios);

	wbuf_init(&w, buf, cap);
	wbuf_bytes(&w, "\x01\x01\x00\x00\x1a\x00\x80\x04", 8);
	wbuf_u32(&w, 0); /* Length, patched below */
	wbuf_u32(&w, 0);
	wbuf_bytes(&w, bios, bl);
	wbuf_zeros(&w, 65 - bl);
	wbuf_u32(&w, count);
	for (i = 0; i < entries; i++) {
		vstr(&w, (uint16_t)strlen(v[i][0]), v[i][0]);
		vstr(&w, (uint16_t)strlen(v[i][1]), v[i][1]);
	}
	wbuf_put_u32_at(&w, 8, (uint32_t)(w.len - 12));
	assert_true(wbuf_ok(&w));
	return w.len;
}

static void test_tv5_code_versions(void **state)
{
	static const char prefix[] =
		"01 01 00 00 1a 00 80 04 01 02 00 00 00 00 00 00 41 32 32";
	struct amt_code_versions cv;
	struct amthi_reply r;
	uint8_t msg[1024], want[200];
	size_t n, i, sku_at = 99;

	(void)state;
	n = code_versions(msg, sizeof(msg), "A22", 10, tv5_values, 10);
	assert_int_equal(n, 525);
	assert_int_equal(le32_load(msg + 8), 513);
	/* the 129 bytes listed in doc/firmware.md: header, status, BIOS, count, entry 0 */
	i = unhex(prefix, want, sizeof(want));
	memset(want + i, 0, 62);
	i += 62;
	i += unhex("0a 00 00 00 05 00 46 6c 61 73 68", want + i, sizeof(want) - i);
	memset(want + i, 0, 15);
	i += 15;
	i += unhex("06 00 39 2e 31 2e 34 35", want + i, sizeof(want) - i);
	memset(want + i, 0, 14);
	i += 14;
	assert_int_equal(i, 129);
	assert_memory_equal(msg, want, 129);

	assert_int_equal(amthi_parse(msg, n, AMTHI_GET_CODE_VERSIONS, &r), 0);
	assert_int_equal(amthi_dec_code_versions(&r, &cv), 0);
	assert_string_equal(cv.bios, "A22");
	assert_int_equal(cv.count, 10);
	assert_string_equal(cv.v[0].desc, "Flash");
	assert_string_equal(cv.v[0].ver, "9.1.45");
	for (i = 0; i < cv.count; i++) {
		assert_string_equal(cv.v[i].desc, tv5_values[i][0]);
		assert_string_equal(cv.v[i].ver, tv5_values[i][1]);
		if (strcmp(cv.v[i].desc, "Sku") == 0)
			sku_at = i;
	}
	assert_int_equal(sku_at, 4);
	assert_int_equal(strtoul(cv.v[sku_at].ver, NULL, 10), 16);
	assert_int_equal(amt_sku_edition(16), AMT_EDITION_ISM);
}

static void test_tv6_watchdog(void **state)
{
	struct wd_amt_state st;
	uint8_t buf[16], msg[16];
	uint32_t status = 0;
	struct amt_err why;
	size_t n;

	(void)state;
	n = wd_build_is_change_enabled(buf, sizeof(buf));
	expect_bytes(buf, n, "05 02 51 10");
	msg[0] = 0x82;
	assert_int_equal(wd_dec_is_change_enabled(msg, 1, &st, &why), 0);
	assert_int_equal(st.raw, 0x82);
	assert_true(st.new_interface);
	assert_true(st.amt_enabled);
	assert_false(st.change_allowed);
	n = wd_build_set_operational_state(buf, sizeof(buf), false);
	expect_bytes(buf, n, "05 03 53 10 00");
	n = unhex("05 03 53 10 03 00 00 00", msg, sizeof(msg));
	assert_int_equal(wd_dec_set_operational_state(msg, n, &status, &why), 0);
	assert_int_equal(status, 3);
	assert_string_equal(amt_status_name(status), "INVALID_AMT_MODE");
}

static void test_tv7_mkhi(void **state)
{
	struct mkhi_fw_version fw;
	uint8_t buf[16], msg[32], result = 0xee;
	struct wbuf w;
	struct amt_err why;
	char s[32];
	size_t n;

	(void)state;
	n = mkhi_build(buf, sizeof(buf), MKHI_GROUP_GEN, MKHI_GEN_GET_FW_VERSION);
	expect_bytes(buf, n, "ff 02 00 00");
	/* FWCAPS GET_RULE "features enabled": header + u32 rule id 0x20 */
	wbuf_init(&w, buf, sizeof(buf));
	w.len = mkhi_build(buf, sizeof(buf), 0x03, 0x02);
	wbuf_u32(&w, 0x20);
	expect_bytes(buf, w.len, "03 02 00 00 20 00 00 00");
	/* reply: ff 82 00 00 + code 16.1.25.2049 + recovery 16.1.25.2049 */
	n = unhex("ff 82 00 00 01 00 10 00 01 08 19 00 01 00 10 00 01 08 19 00", msg,
		  sizeof(msg));
	assert_int_equal(mkhi_dec_fw_version(msg, n, &fw, &result, &why), 0);
	assert_int_equal(result, 0);
	assert_false(fw.has_fitc);
	mkhi_block_str(&fw.code, s, sizeof(s));
	assert_string_equal(s, "16.1.25.2049");
}

/* ---- GET_CODE_VERSIONS decoder faults ---- */

static void dec_cv(const uint8_t *msg, size_t n, int want, enum amthi_fault f,
		   const char *in_why)
{
	struct amt_code_versions cv;
	struct amthi_reply r;

	assert_int_equal(amthi_parse(msg, n, AMTHI_GET_CODE_VERSIONS, &r), 0);
	assert_int_equal(amthi_dec_code_versions(&r, &cv), want);
	assert_int_equal(r.fault, f);
	if (in_why)
		assert_non_null(strstr(r.err.msg, in_why));
}

static void test_cv_counts(void **state)
{
	static const char *const one[50][2] = { [0 ... 49] = { "Flash", "1.2.3" } };
	uint8_t msg[4096];
	size_t n;

	(void)state;
	n = code_versions(msg, sizeof(msg), "", 0, one, 0);
	dec_cv(msg, n, 0, AMTHI_FAULT_NONE, NULL);
	n = code_versions(msg, sizeof(msg), "BIOS", 50, one, 50);
	dec_cv(msg, n, 0, AMTHI_FAULT_NONE, NULL);
	n = code_versions(msg, sizeof(msg), "BIOS", 51, one, 50);
	dec_cv(msg, n, -EBADMSG, AMTHI_FAULT_FIELD, "VersionsCount 51 exceeds 50");
	n = code_versions(msg, sizeof(msg), "BIOS", 3, one, 2);
	dec_cv(msg, n, -EBADMSG, AMTHI_FAULT_SIZE, NULL);
	n = code_versions(msg, sizeof(msg), "BIOS", 1, one, 2);
	dec_cv(msg, n, -EBADMSG, AMTHI_FAULT_TRAILING, "44 trailing bytes");
	/* payload shorter than BIOS + count: keep the header consistent */
	n = code_versions(msg, sizeof(msg), "", 0, one, 0);
	le32_store(msg + 8, 4 + 60);
	dec_cv(msg, 12 + 4 + 60, -EBADMSG, AMTHI_FAULT_SIZE, "fewer than the 69");
}

static void test_cv_strings(void **state)
{
	static const char *const good[1][2] = { { "Build Number", "3000" } };
	static const char *const longver[1][2] = { { "AMT", "12345678901234567890" } };
	uint8_t msg[512];
	size_t n, e = 12 + 4 + 65 + 4; /* first entry */

	(void)state;
	n = code_versions(msg, sizeof(msg), "A22", 1, good, 1);
	dec_cv(msg, n, 0, AMTHI_FAULT_NONE, NULL);
	le16_store(msg + e, 21); /* DescLen */
	dec_cv(msg, n, -EBADMSG, AMTHI_FAULT_FIELD, "DescLen 21");
	le16_store(msg + e, 20); /* covers the padding NULs: embedded NUL */
	dec_cv(msg, n, -EBADMSG, AMTHI_FAULT_FIELD, "NUL");
	le16_store(msg + e, 12);
	le16_store(msg + e + 22, 5); /* VerLen != strlen("3000") */
	dec_cv(msg, n, -EBADMSG, AMTHI_FAULT_FIELD, "VerLen 5");
	le16_store(msg + e + 22, 4);
	msg[e + 24 + 1] = 0x01; /* "3\x0100" */
	dec_cv(msg, n, -EBADMSG, AMTHI_FAULT_FIELD, "non-printable");
	/* 20 characters leave no room for the NUL */
	n = code_versions(msg, sizeof(msg), "A22", 1, longver, 1);
	dec_cv(msg, n, -EBADMSG, AMTHI_FAULT_FIELD, "not NUL-terminated");
	n = code_versions(msg, sizeof(msg), "A\x7f", 1, good, 1);
	dec_cv(msg, n, -EBADMSG, AMTHI_FAULT_FIELD, "BiosVersion");
}

static void test_cv_bios_full_width(void **state)
{
	static const char *const none[1][2] = { { "", "" } };
	struct amt_code_versions cv;
	struct amthi_reply r;
	uint8_t msg[256];
	size_t n;

	(void)state;
	n = code_versions(msg, sizeof(msg), "", 0, none, 0);
	memset(msg + 16, 'B', 65); /* 65 characters, no NUL */
	assert_int_equal(amthi_parse(msg, n, AMTHI_GET_CODE_VERSIONS, &r), 0);
	assert_int_equal(amthi_dec_code_versions(&r, &cv), 0);
	assert_int_equal(strlen(cv.bios), 65);
	/* padding after the first NUL is not inspected */
	msg[16 + 3] = 0;
	msg[16 + 10] = 0x01;
	assert_int_equal(amthi_dec_code_versions(&r, &cv), 0);
	assert_string_equal(cv.bios, "BBB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tv1_code_versions_request),
		cmocka_unit_test(test_tv2_provisioning_state),
		cmocka_unit_test(test_tv3_uuid),
		cmocka_unit_test(test_tv4_requests),
		cmocka_unit_test(test_tv4_lan_reply),
		cmocka_unit_test(test_tv5_code_versions),
		cmocka_unit_test(test_tv6_watchdog),
		cmocka_unit_test(test_tv7_mkhi),
		cmocka_unit_test(test_cv_counts),
		cmocka_unit_test(test_cv_strings),
		cmocka_unit_test(test_cv_bios_full_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

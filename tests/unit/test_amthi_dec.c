// SPDX-License-Identifier: MIT
/* Unit tests for the AMTHI payload decoders: exact sizes, trailing bytes, field ranges. */
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

/* ---- fixed-size decoders ---- */

static void test_dec_empty(void **state)
{
	struct amthi_reply r;

	(void)state;
	testlib_amthi_parsed(AMTHI_START_CONFIGURATION, NULL, 0, &r);
	assert_int_equal(amthi_dec_empty(&r), 0);
	testlib_amthi_parsed(AMTHI_UNPROVISION, "\0\0\0\0", 4, &r);
	testlib_amthi_expect_fault(amthi_dec_empty(&r), &r, AMTHI_FAULT_SIZE, "4 bytes of payload");
}

static void test_dec_uuid(void **state)
{
	static const uint8_t want[17] = { 0xd2, 0x3f, 0x11, 0x1c, 5, 6, 7, 8, 9, 10, 11, 12,
					  13, 14, 15, 16, 17 };
	struct amthi_reply r;
	uint8_t uuid[16];

	(void)state;
	testlib_amthi_parsed(AMTHI_GET_UUID, want, 16, &r);
	assert_int_equal(amthi_dec_uuid(&r, uuid), 0);
	assert_memory_equal(uuid, want, 16);
	testlib_amthi_parsed(AMTHI_GET_UUID, want, 15, &r);
	testlib_amthi_expect_fault(amthi_dec_uuid(&r, uuid), &r, AMTHI_FAULT_SIZE,
				   "expected exactly 16");
	testlib_amthi_parsed(AMTHI_GET_UUID, want, 17, &r);
	testlib_amthi_expect_fault(amthi_dec_uuid(&r, uuid), &r, AMTHI_FAULT_SIZE,
				   "GET_UUID: 17 bytes");
}

static void test_dec_u32(void **state)
{
	struct amthi_reply r;
	uint32_t v = 0;

	(void)state;
	testlib_amthi_parsed(AMTHI_GET_CONTROL_MODE, "\x02\x00\x00\x00", 4, &r);
	assert_int_equal(amthi_dec_u32(&r, &v), 0);
	assert_int_equal(v, 2);
	testlib_amthi_parsed(AMTHI_GET_CONTROL_MODE, "\x02\x00\x00\x00\x00\x00\x00\x00", 8, &r);
	testlib_amthi_expect_fault(amthi_dec_u32(&r, &v), &r, AMTHI_FAULT_SIZE, NULL);
	testlib_amthi_parsed(AMTHI_GET_CONTROL_MODE, "\x02\x00", 2, &r);
	testlib_amthi_expect_fault(amthi_dec_u32(&r, &v), &r, AMTHI_FAULT_SIZE, NULL);
}

static void test_dec_bool(void **state)
{
	struct amthi_reply r;
	bool b = false;

	(void)state;
	testlib_amthi_parsed(AMTHI_GET_ZERO_TOUCH_ENABLED, "\x01\x00\x00\x00", 4, &r);
	assert_int_equal(amthi_dec_bool(&r, &b), 0);
	assert_true(b);
	testlib_amthi_parsed(AMTHI_GET_ZERO_TOUCH_ENABLED, "\x00\x00\x00\x00", 4, &r);
	assert_int_equal(amthi_dec_bool(&r, &b), 0);
	assert_false(b);
	testlib_amthi_parsed(AMTHI_GET_ZERO_TOUCH_ENABLED, "\x00\x01\x00\x00", 4, &r);
	testlib_amthi_expect_fault(amthi_dec_bool(&r, &b), &r, AMTHI_FAULT_FIELD, "256");
	testlib_amthi_parsed(AMTHI_GET_ZERO_TOUCH_ENABLED, "\x01\x00\x00", 3, &r);
	testlib_amthi_expect_fault(amthi_dec_bool(&r, &b), &r, AMTHI_FAULT_SIZE, NULL);
}

static void test_dec_prov_mode(void **state)
{
	struct amthi_reply r;
	uint32_t mode = 9;
	bool legacy = true;

	(void)state;
	testlib_amthi_parsed(AMTHI_GET_PROVISIONING_MODE, "\x01\0\0\0\0\0\0\0", 8, &r);
	assert_int_equal(amthi_dec_prov_mode(&r, &mode, &legacy), 0);
	assert_int_equal(mode, 1);
	assert_false(legacy);
	testlib_amthi_parsed(AMTHI_GET_PROVISIONING_MODE, "\x01\0\0\0\x02\0\0\0", 8, &r);
	testlib_amthi_expect_fault(amthi_dec_prov_mode(&r, &mode, &legacy), &r, AMTHI_FAULT_FIELD,
		     "LegacyMode is 2");
	testlib_amthi_parsed(AMTHI_GET_PROVISIONING_MODE, "\x01\0\0\0", 4, &r);
	testlib_amthi_expect_fault(amthi_dec_prov_mode(&r, &mode, &legacy), &r, AMTHI_FAULT_SIZE,
				   NULL);
}

static void test_dec_pid(void **state)
{
	struct amthi_reply r;
	char pid[9];

	(void)state;
	testlib_amthi_parsed(AMTHI_GET_PID, "ABCD1234", 8, &r);
	assert_int_equal(amthi_dec_pid(&r, pid), 0);
	assert_string_equal(pid, "ABCD1234");
	testlib_amthi_parsed(AMTHI_GET_PID, "ABC\0\0\0\0\0", 8, &r);
	assert_int_equal(amthi_dec_pid(&r, pid), 0);
	assert_string_equal(pid, "ABC");
	testlib_amthi_parsed(AMTHI_GET_PID, "AB\0C1234", 8, &r);
	testlib_amthi_expect_fault(amthi_dec_pid(&r, pid), &r, AMTHI_FAULT_FIELD, "NUL");
	testlib_amthi_parsed(AMTHI_GET_PID, "ABCD\x01" "234", 8, &r);
	testlib_amthi_expect_fault(amthi_dec_pid(&r, pid), &r, AMTHI_FAULT_FIELD, "non-printable");
	testlib_amthi_parsed(AMTHI_GET_PID, "ABCD123", 7, &r);
	testlib_amthi_expect_fault(amthi_dec_pid(&r, pid), &r, AMTHI_FAULT_SIZE, NULL);
	testlib_amthi_parsed(AMTHI_GET_PID, "ABCD12345", 9, &r);
	testlib_amthi_expect_fault(amthi_dec_pid(&r, pid), &r, AMTHI_FAULT_SIZE, NULL);
}

static size_t lan_payload(uint8_t *p, uint32_t enabled, uint32_t dhcp)
{
	struct wbuf w;

	wbuf_init(&w, p, 32);
	wbuf_u32(&w, enabled);
	wbuf_u32(&w, 0x0a000001);
	wbuf_u32(&w, dhcp);
	wbuf_u8(&w, 2);
	wbuf_u8(&w, 0);
	wbuf_bytes(&w, "\x00\x11\x22\x33\x44\x55", 6);
	return w.len;
}

static void test_dec_lan(void **state)
{
	struct amthi_reply r;
	struct amt_lan lan;
	uint8_t p[32];
	size_t n;

	(void)state;
	n = lan_payload(p, 0, 0);
	testlib_amthi_parsed(AMTHI_GET_LAN_INTERFACE_SETTINGS, p, n, &r);
	assert_int_equal(amthi_dec_lan(&r, &lan), 0);
	assert_false(lan.enabled);
	assert_int_equal(lan.ipv4, 0x0a000001);
	assert_int_equal(lan.dhcp_mode, 2);
	assert_int_equal(lan.link_up, 0);
	assert_int_equal(lan.mac[5], 0x55);
	n = lan_payload(p, 2, 0);
	testlib_amthi_parsed(AMTHI_GET_LAN_INTERFACE_SETTINGS, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_lan(&r, &lan), &r, AMTHI_FAULT_FIELD, "Enabled");
	n = lan_payload(p, 1, 0xffffffff);
	testlib_amthi_parsed(AMTHI_GET_LAN_INTERFACE_SETTINGS, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_lan(&r, &lan), &r, AMTHI_FAULT_FIELD, "DhcpEnabled");
	n = lan_payload(p, 1, 1);
	testlib_amthi_parsed(AMTHI_GET_LAN_INTERFACE_SETTINGS, p, n - 1, &r);
	testlib_amthi_expect_fault(amthi_dec_lan(&r, &lan), &r, AMTHI_FAULT_SIZE, NULL);
	p[n] = 0;
	testlib_amthi_parsed(AMTHI_GET_LAN_INTERFACE_SETTINGS, p, n + 1, &r);
	testlib_amthi_expect_fault(amthi_dec_lan(&r, &lan), &r, AMTHI_FAULT_SIZE, NULL);
}

/* ---- variable-size decoders ---- */

static size_t ansi(uint8_t *p, size_t cap, uint16_t declared, const void *s, size_t n)
{
	struct wbuf w;

	wbuf_init(&w, p, cap);
	wbuf_u16(&w, declared);
	wbuf_bytes(&w, s, n);
	assert_true(wbuf_ok(&w));
	return w.len;
}

static void test_dec_ansi(void **state)
{
	struct amthi_reply r;
	uint8_t p[64];
	char s[16];
	size_t n;

	(void)state;
	n = ansi(p, sizeof(p), 9, "intel.com", 9);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	assert_int_equal(amthi_dec_ansi(&r, s, sizeof(s)), 0);
	assert_string_equal(s, "intel.com");
	/* one trailing NUL counted in the length is stripped */
	n = ansi(p, sizeof(p), 10, "intel.com", 10);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	assert_int_equal(amthi_dec_ansi(&r, s, sizeof(s)), 0);
	assert_string_equal(s, "intel.com");
	n = ansi(p, sizeof(p), 0, "", 0);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	assert_int_equal(amthi_dec_ansi(&r, s, sizeof(s)), 0);
	assert_string_equal(s, "");
	n = ansi(p, sizeof(p), 5, "ab\0cd", 5);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_ansi(&r, s, sizeof(s)), &r, AMTHI_FAULT_FIELD,
		     "embedded NUL at 2");
	n = ansi(p, sizeof(p), 4, "ab\0\0", 4);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_ansi(&r, s, sizeof(s)), &r, AMTHI_FAULT_FIELD, "NUL");
	n = ansi(p, sizeof(p), 3, "a\nb", 3);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_ansi(&r, s, sizeof(s)), &r, AMTHI_FAULT_FIELD, "0x0A");
	n = ansi(p, sizeof(p), 3, "a\xc3\xa9", 3);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_ansi(&r, s, sizeof(s)), &r, AMTHI_FAULT_FIELD, NULL);
}

static void test_dec_ansi_cap_and_size(void **state)
{
	struct amthi_reply r;
	uint8_t p[64];
	char s[5];
	size_t n;

	(void)state;
	n = ansi(p, sizeof(p), 4, "abcd", 4);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	assert_int_equal(amthi_dec_ansi(&r, s, sizeof(s)), 0);
	assert_string_equal(s, "abcd");
	n = ansi(p, sizeof(p), 5, "abcde", 5);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_ansi(&r, s, sizeof(s)), &r, AMTHI_FAULT_FIELD,
				   "at most 4");
	/* "abcd" + NUL fits: the NUL is not part of the string */
	n = ansi(p, sizeof(p), 5, "abcd", 5);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	assert_int_equal(amthi_dec_ansi(&r, s, sizeof(s)), 0);
	n = ansi(p, sizeof(p), 9, "abcd", 4);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_ansi(&r, s, sizeof(s)), &r, AMTHI_FAULT_SIZE,
		     "needs 9 bytes, only 4");
	n = ansi(p, sizeof(p), 2, "abcd", 4);
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_ansi(&r, s, sizeof(s)), &r, AMTHI_FAULT_TRAILING,
		     "2 trailing bytes");
	testlib_amthi_parsed(AMTHI_GET_PKI_FQDN_SUFFIX, "\x00", 1, &r);
	testlib_amthi_expect_fault(amthi_dec_ansi(&r, s, sizeof(s)), &r, AMTHI_FAULT_SIZE, NULL);
}

static size_t handles(uint8_t *p, size_t cap, uint32_t count, size_t present)
{
	struct wbuf w;
	size_t i;

	wbuf_init(&w, p, cap);
	wbuf_u32(&w, count);
	for (i = 0; i < present; i++)
		wbuf_u32(&w, 0x100 + (uint32_t)i);
	assert_true(wbuf_ok(&w));
	return w.len;
}

static void test_dec_hash_handles(void **state)
{
	uint32_t h[AMT_HASH_HANDLES_MAX + 2];
	struct amthi_reply r;
	uint8_t p[512];
	size_t n, count = 99;

	(void)state;
	n = handles(p, sizeof(p), 3, 3);
	testlib_amthi_parsed(AMTHI_ENUMERATE_HASH_HANDLES, p, n, &r);
	assert_int_equal(amthi_dec_hash_handles(&r, h, AMT_HASH_HANDLES_MAX, &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(h[2], 0x102);
	n = handles(p, sizeof(p), 0, 0);
	testlib_amthi_parsed(AMTHI_ENUMERATE_HASH_HANDLES, p, n, &r);
	assert_int_equal(amthi_dec_hash_handles(&r, h, AMT_HASH_HANDLES_MAX, &count), 0);
	assert_int_equal(count, 0);
	n = handles(p, sizeof(p), 3, 2);
	testlib_amthi_parsed(AMTHI_ENUMERATE_HASH_HANDLES, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_hash_handles(&r, h, AMT_HASH_HANDLES_MAX, &count), &r,
		     AMTHI_FAULT_SIZE, NULL);
	n = handles(p, sizeof(p), 2, 3);
	testlib_amthi_parsed(AMTHI_ENUMERATE_HASH_HANDLES, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_hash_handles(&r, h, AMT_HASH_HANDLES_MAX, &count), &r,
		     AMTHI_FAULT_TRAILING, "4 trailing bytes");
	n = handles(p, sizeof(p), AMT_HASH_HANDLES_MAX + 1, AMT_HASH_HANDLES_MAX + 1);
	testlib_amthi_parsed(AMTHI_ENUMERATE_HASH_HANDLES, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_hash_handles(&r, h, AMT_HASH_HANDLES_MAX + 2, &count),
				   &r, AMTHI_FAULT_FIELD, "65 hash handles");
	n = handles(p, sizeof(p), 0xffffffff, 0);
	testlib_amthi_parsed(AMTHI_ENUMERATE_HASH_HANDLES, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_hash_handles(&r, h, AMT_HASH_HANDLES_MAX, &count), &r,
		     AMTHI_FAULT_FIELD, NULL);
	n = handles(p, sizeof(p), 3, 3);
	testlib_amthi_parsed(AMTHI_ENUMERATE_HASH_HANDLES, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_hash_handles(&r, h, 2, &count), &r, AMTHI_FAULT_FIELD,
		     "at most 2");
	testlib_amthi_parsed(AMTHI_ENUMERATE_HASH_HANDLES, p, 3, &r);
	testlib_amthi_expect_fault(amthi_dec_hash_handles(&r, h, AMT_HASH_HANDLES_MAX, &count), &r,
		     AMTHI_FAULT_SIZE, NULL);
}

static size_t certhash(uint8_t *p, size_t cap, uint32_t def, uint16_t name_len,
		       const char *name, size_t present)
{
	struct wbuf w;
	uint8_t hash[64];
	size_t i;

	for (i = 0; i < sizeof(hash); i++)
		hash[i] = (uint8_t)i;
	wbuf_init(&w, p, cap);
	wbuf_u32(&w, def);
	wbuf_u32(&w, 1);
	wbuf_bytes(&w, hash, sizeof(hash));
	wbuf_u8(&w, 2);
	wbuf_u16(&w, name_len);
	wbuf_bytes(&w, name, present);
	assert_true(wbuf_ok(&w));
	return w.len;
}

static void test_dec_certhash(void **state)
{
	static char longname[300];
	struct amt_certhash c;
	struct amthi_reply r;
	uint8_t p[512];
	size_t n;

	(void)state;
	n = certhash(p, sizeof(p), 1, 14, "VeriSign Root1", 14);
	assert_int_equal(n, 75 + 14);
	testlib_amthi_parsed(AMTHI_GET_CERTHASH_ENTRY, p, n, &r);
	assert_int_equal(amthi_dec_certhash(&r, &c), 0);
	assert_true(c.is_default);
	assert_true(c.is_active);
	assert_int_equal(c.algorithm, 2);
	assert_int_equal(c.hash[63], 63);
	assert_string_equal(c.name, "VeriSign Root1");
	n = certhash(p, sizeof(p), 5, 4, "Root", 4);
	testlib_amthi_parsed(AMTHI_GET_CERTHASH_ENTRY, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_certhash(&r, &c), &r, AMTHI_FAULT_FIELD,
				   "IsDefault is 5");
	memset(longname, 'x', sizeof(longname));
	n = certhash(p, sizeof(p), 0, 256, longname, 256);
	testlib_amthi_parsed(AMTHI_GET_CERTHASH_ENTRY, p, n, &r);
	assert_int_equal(amthi_dec_certhash(&r, &c), 0);
	assert_int_equal(strlen(c.name), 256);
	n = certhash(p, sizeof(p), 0, 257, longname, 257);
	testlib_amthi_parsed(AMTHI_GET_CERTHASH_ENTRY, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_certhash(&r, &c), &r, AMTHI_FAULT_FIELD,
				   "name length 257");
	n = certhash(p, sizeof(p), 0, 4, "Root....", 8);
	testlib_amthi_parsed(AMTHI_GET_CERTHASH_ENTRY, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_certhash(&r, &c), &r, AMTHI_FAULT_TRAILING, NULL);
	n = certhash(p, sizeof(p), 0, 8, "Root", 4);
	testlib_amthi_parsed(AMTHI_GET_CERTHASH_ENTRY, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_certhash(&r, &c), &r, AMTHI_FAULT_SIZE, NULL);
	testlib_amthi_parsed(AMTHI_GET_CERTHASH_ENTRY, p, 74, &r);
	testlib_amthi_expect_fault(amthi_dec_certhash(&r, &c), &r, AMTHI_FAULT_SIZE,
				   "fewer than 75");
	n = certhash(p, sizeof(p), 0, 4, "R\toot", 4);
	testlib_amthi_parsed(AMTHI_GET_CERTHASH_ENTRY, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_certhash(&r, &c), &r, AMTHI_FAULT_FIELD,
				   "non-printable");
}

static size_t fqdn(uint8_t *p, size_t cap, uint32_t ddns, uint32_t host_len,
		   uint16_t slen, const char *s, size_t present)
{
	struct wbuf w;

	wbuf_init(&w, p, cap);
	wbuf_u32(&w, 1);
	wbuf_u32(&w, ddns);
	wbuf_u32(&w, 1440);
	wbuf_u32(&w, 900);
	wbuf_u32(&w, host_len);
	wbuf_u16(&w, slen);
	wbuf_bytes(&w, s, present);
	assert_true(wbuf_ok(&w));
	return w.len;
}

static void test_dec_fqdn(void **state)
{
	static char longname[300];
	struct amthi_reply r;
	struct amt_fqdn f;
	uint8_t p[512];
	size_t n;

	(void)state;
	n = fqdn(p, sizeof(p), 0, 4, 14, "pc01.corp.test", 14);
	testlib_amthi_parsed(AMTHI_GET_FQDN, p, n, &r);
	assert_int_equal(amthi_dec_fqdn(&r, &f), 0);
	assert_true(f.shared);
	assert_false(f.ddns_update_enabled);
	assert_int_equal(f.ddns_interval, 1440);
	assert_int_equal(f.ddns_ttl, 900);
	assert_int_equal(f.hostname_len, 4);
	assert_string_equal(f.fqdn, "pc01.corp.test");
	n = fqdn(p, sizeof(p), 3, 4, 4, "pc01", 4);
	testlib_amthi_parsed(AMTHI_GET_FQDN, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_fqdn(&r, &f), &r, AMTHI_FAULT_FIELD,
				   "DDNSUpdateEnabled");
	n = fqdn(p, sizeof(p), 0, 300, 4, "pc01", 4);
	testlib_amthi_parsed(AMTHI_GET_FQDN, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_fqdn(&r, &f), &r, AMTHI_FAULT_FIELD,
				   "HostNameLength 300");
	n = fqdn(p, sizeof(p), 0, 4, 4, "pc01.", 5);
	testlib_amthi_parsed(AMTHI_GET_FQDN, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_fqdn(&r, &f), &r, AMTHI_FAULT_TRAILING, NULL);
	testlib_amthi_parsed(AMTHI_GET_FQDN, p, 21, &r);
	testlib_amthi_expect_fault(amthi_dec_fqdn(&r, &f), &r, AMTHI_FAULT_SIZE, NULL);
	memset(longname, 'a', sizeof(longname));
	n = fqdn(p, sizeof(p), 0, 4, 256, longname, 256);
	testlib_amthi_parsed(AMTHI_GET_FQDN, p, n, &r);
	assert_int_equal(amthi_dec_fqdn(&r, &f), 0);
	n = fqdn(p, sizeof(p), 0, 4, 257, longname, 257);
	testlib_amthi_parsed(AMTHI_GET_FQDN, p, n, &r);
	testlib_amthi_expect_fault(amthi_dec_fqdn(&r, &f), &r, AMTHI_FAULT_FIELD, "at most 256");
}

static void test_dec_remote_access(void **state)
{
	struct amt_remote_access ra;
	struct amthi_reply r;
	uint8_t p[128];
	struct wbuf w;

	(void)state;
	wbuf_init(&w, p, sizeof(p));
	wbuf_u32(&w, 2);
	wbuf_u32(&w, 1);
	wbuf_u32(&w, 3);
	wbuf_u16(&w, 16);
	wbuf_bytes(&w, "mps.example.com", 16);
	testlib_amthi_parsed(AMTHI_GET_REMOTE_ACCESS_CONNECTION_STATUS, p, w.len, &r);
	assert_int_equal(amthi_dec_remote_access(&r, &ra), 0);
	assert_int_equal(ra.network_status, 2);
	assert_int_equal(ra.connection_status, 1);
	assert_int_equal(ra.trigger, 3);
	assert_string_equal(ra.mps_hostname, "mps.example.com");
	testlib_amthi_parsed(AMTHI_GET_REMOTE_ACCESS_CONNECTION_STATUS, p, w.len - 1, &r);
	testlib_amthi_expect_fault(amthi_dec_remote_access(&r, &ra), &r, AMTHI_FAULT_SIZE, NULL);
	wbuf_u8(&w, 0);
	testlib_amthi_parsed(AMTHI_GET_REMOTE_ACCESS_CONNECTION_STATUS, p, w.len, &r);
	testlib_amthi_expect_fault(amthi_dec_remote_access(&r, &ra), &r, AMTHI_FAULT_TRAILING,
				   NULL);
	testlib_amthi_parsed(AMTHI_GET_REMOTE_ACCESS_CONNECTION_STATUS, p, 12, &r);
	testlib_amthi_expect_fault(amthi_dec_remote_access(&r, &ra), &r, AMTHI_FAULT_SIZE, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dec_empty),
		cmocka_unit_test(test_dec_uuid),
		cmocka_unit_test(test_dec_u32),
		cmocka_unit_test(test_dec_bool),
		cmocka_unit_test(test_dec_prov_mode),
		cmocka_unit_test(test_dec_pid),
		cmocka_unit_test(test_dec_lan),
		cmocka_unit_test(test_dec_ansi),
		cmocka_unit_test(test_dec_ansi_cap_and_size),
		cmocka_unit_test(test_dec_hash_handles),
		cmocka_unit_test(test_dec_certhash),
		cmocka_unit_test(test_dec_fqdn),
		cmocka_unit_test(test_dec_remote_access),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

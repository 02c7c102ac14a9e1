// SPDX-License-Identifier: MIT
/* Shared helpers for the emulator tests: models, control lines, AMTHI requests, state fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "testlib.h"
#include "testlib_fw.h"

#define REPLY_CAP 8192

const uint8_t testlib_amthi_guid[16] = { 0x28, 0x00, 0xf8, 0x12, 0xb7, 0xb4, 0x2d, 0x4b,
					 0xac, 0xa8, 0x46, 0xe0, 0xff, 0x65, 0x81, 0x4c };

struct fw *testlib_fw_new(const char *generation, const char *const *lines)
{
	char err[256];
	struct fw *fw = NULL;

	if (fw_new(&fw, generation, err, sizeof(err)) != 0)
		fail_msg("generation %s: %s", generation, err);
	for (; lines && *lines; lines++)
		testlib_fw_control(fw, *lines);
	return fw;
}

struct fw *testlib_fw_load(const char *name)
{
	char rel[256], path[4096], err[512];
	struct fw *fw = NULL;

	snprintf(rel, sizeof(rel), "profiles/machines/%s", name);
	if (fw_load(&fw, testlib_top_path(path, sizeof(path), rel), err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return fw;
}

void testlib_fw_control(struct fw *fw, const char *line)
{
	char out[4096];

	if (fw_control(fw, line, out, sizeof(out)) != 0)
		fail_msg("control \"%s\": %s", line, out);
}

void testlib_fw_write_default(const char *path)
{
	struct fw *fw = NULL;
	char err[256];
	char *json;

	assert_int_equal(fw_load(&fw, NULL, err, sizeof(err)), 0);
	json = fw_state_json(fw);
	assert_non_null(json);
	testlib_write_file(path, json, 0644);
	free(json);
	fw_free(fw);
}

size_t testlib_amthi_req(uint8_t *b, uint32_t cmd, uint32_t hdr_len, const void *body,
			 size_t n)
{
	memset(b, 0, 12);
	b[0] = 1;
	b[1] = 1;
	b[4] = (uint8_t)cmd;
	b[5] = (uint8_t)(cmd >> 8);
	b[6] = (uint8_t)(cmd >> 16);
	b[7] = (uint8_t)(cmd >> 24);
	b[8] = (uint8_t)hdr_len;
	b[9] = (uint8_t)(hdr_len >> 8);
	b[10] = (uint8_t)(hdr_len >> 16);
	b[11] = (uint8_t)(hdr_len >> 24);
	if (n)
		memcpy(b + 12, body, n);
	return 12 + n;
}

size_t testlib_fw_send(struct fw *fw, uint32_t cmd, const void *body, size_t n, uint8_t *rep,
		       size_t cap)
{
	uint8_t req[1024];
	size_t len, got = 0;

	assert_true(n <= sizeof(req) - 12);
	len = testlib_amthi_req(req, cmd, (uint32_t)n, body, n);
	assert_int_equal(fw_handle(fw, FW_CLIENT_AMTHI, req, len, rep, cap, &got), 0);
	return got;
}

size_t testlib_fw_call(struct fw *fw, uint32_t cmd, const void *body, size_t n, uint8_t *rep,
		       size_t cap)
{
	size_t got = testlib_fw_send(fw, cmd, body, n, rep, cap);

	assert_true(got >= 16);
	assert_int_equal(rep[0], 1);
	assert_int_equal(rep[1], 1);
	assert_int_equal(rep[2] | rep[3], 0);
	assert_int_equal(testlib_le32(rep + 4), cmd | 0x00800000u);
	assert_int_equal(testlib_le32(rep + 8), got - 12);
	return got;
}

uint32_t testlib_fw_status(struct fw *fw, uint32_t cmd, const void *body, size_t n)
{
	uint8_t rep[REPLY_CAP];

	assert_int_equal(testlib_fw_call(fw, cmd, body, n, rep, sizeof(rep)), 16);
	return testlib_le32(rep + 12);
}

uint32_t testlib_fw_status_ansi(struct fw *fw, uint32_t cmd, const char *s, size_t n)
{
	uint8_t body[1000];

	assert_true(n <= sizeof(body) - 2);
	body[0] = (uint8_t)n;
	body[1] = (uint8_t)(n >> 8);
	memcpy(body + 2, s, n);
	return testlib_fw_status(fw, cmd, body, 2 + n);
}

uint32_t testlib_fw_status_u32(struct fw *fw, uint32_t cmd, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	return testlib_fw_status(fw, cmd, b, 4);
}

double testlib_fw_num(const struct fw *fw, const char *obj, const char *key)
{
	char *s = fw_state_json(fw);
	cJSON *root = cJSON_Parse(s);
	double v;

	assert_non_null(root);
	v = testlib_json_num(root, obj ? obj : key, obj ? key : NULL);
	cJSON_Delete(root);
	free(s);
	return v;
}

const char *testlib_fw_str(const struct fw *fw, const char *obj, const char *key, char *buf,
			   size_t cap)
{
	char *s = fw_state_json(fw);
	cJSON *root = cJSON_Parse(s);

	assert_non_null(root);
	snprintf(buf, cap, "%s", testlib_json_str(root, obj ? obj : key, obj ? key : NULL));
	cJSON_Delete(root);
	free(s);
	return buf;
}

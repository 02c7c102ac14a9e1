/* SPDX-License-Identifier: MIT */
/* Shared helpers for the emulator tests: models, control lines, AMTHI requests, state fields. */
#ifndef AMTACT_TESTLIB_FW_H
#define AMTACT_TESTLIB_FW_H

#include <stddef.h>
#include <stdint.h>

#include "fw.h"

/* The AMTHI client's GUID, spelled out here so the emulator is not tested by its own table. */
extern const uint8_t testlib_amthi_guid[16];

/* A model of a generation ("16.1"), then each control line of `lines` (NULL-terminated, may
 * be NULL); any failure fails the test. */
struct fw *testlib_fw_new(const char *generation, const char *const *lines);

/* An example machine, profiles/machines/NAME, loaded; a failure fails the test. */
struct fw *testlib_fw_load(const char *name);

/* One control line ("set provisioning_state 2", "advance 60"); a failure fails the test. */
void testlib_fw_control(struct fw *fw, const char *line);

/* The built-in example machine written as a state file at path (for "sim:PATH" devices). */
void testlib_fw_write_default(const char *path);

/*
 * An AMTHI request header (version 1.1, reserved 0, cmd, Length hdr_len) and n body bytes
 * into b; returns 12 + n. Length is a parameter so tests can lie about it.
 */
size_t testlib_amthi_req(uint8_t *b, uint32_t cmd, uint32_t hdr_len, const void *body,
			 size_t n);

/* Send cmd with body (no check of the reply); returns the reply length (may be 0). */
size_t testlib_fw_send(struct fw *fw, uint32_t cmd, const void *body, size_t n, uint8_t *rep,
		       size_t cap);

/*
 * Send cmd with body and check the reply's framing: at least 16 bytes, version 1.1,
 * reserved 0, command | 0x00800000, Length = bytes - 12. Returns the reply length.
 */
size_t testlib_fw_call(struct fw *fw, uint32_t cmd, const void *body, size_t n, uint8_t *rep,
		       size_t cap);

/* testlib_fw_call for a status-only (16-byte) reply; returns the status. */
uint32_t testlib_fw_status(struct fw *fw, uint32_t cmd, const void *body, size_t n);

/* The same with an AMT_ANSI_STRING body (u16 length, then n bytes of s). */
uint32_t testlib_fw_status_ansi(struct fw *fw, uint32_t cmd, const char *s, size_t n);

/* The same with a u32 body. */
uint32_t testlib_fw_status_u32(struct fw *fw, uint32_t cmd, uint32_t v);

/* A field of the state the model serialises: obj.key, or key at the top when obj is NULL.
 * The test fails when the field is missing or of another type. */
double testlib_fw_num(const struct fw *fw, const char *obj, const char *key);
const char *testlib_fw_str(const struct fw *fw, const char *obj, const char *key, char *buf,
			   size_t cap);

#endif

/* SPDX-License-Identifier: MIT */
/* Shared helpers for the unit tests: a private temporary folder, files, bytes, JSON fields. */
#ifndef AMTACT_TESTLIB_H
#define AMTACT_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <cjson/cJSON.h>

/*
 * The test's own temporary folder, /tmp/amtact-test-PROGRAM.XXXXXX. make() creates it (0, or
 * -1 with errno); remove() deletes it and everything below it, without a shell, after making
 * folders a test locked down writable again (0 or -1). testlib_tmpdir() is "" before make().
 */
int testlib_tmpdir_make(void);
int testlib_tmpdir_remove(void);
const char *testlib_tmpdir(void);

/* cmocka group fixtures that only make and remove the temporary folder. */
int testlib_tmpdir_setup(void **state);
int testlib_tmpdir_teardown(void **state);

/* "TMPDIR/name" into buf (fails the test if it does not fit); returns buf. */
const char *testlib_tmp_path(char *buf, size_t cap, const char *name);

/* The source tree: $TOPDIR when set (tests/run.sh sets it), else the current folder. */
const char *testlib_topdir(void);

/* "TOPDIR/rel" into buf (fails the test if it does not fit); returns buf. */
const char *testlib_top_path(char *buf, size_t cap, const char *rel);

/*
 * The whole file, NUL-terminated, in a buffer the caller frees; its length in *len when len
 * is not NULL. NULL when the file cannot be opened; a read error fails the test.
 */
char *testlib_read_file(const char *path, size_t *len);

/*
 * Writes text to a new file at path (what was there is unlinked first, so a link planted
 * there is replaced, not followed), then sets mode; any failure fails the test.
 */
void testlib_write_file(const char *path, const char *text, mode_t mode);

/* testlib_write_file in the temporary folder; returns the path (valid until the next call). */
const char *testlib_tmp_file(const char *name, const char *text, mode_t mode);

/* A little-endian 32-bit value, as the firmware interfaces encode them. */
uint32_t testlib_le32(const uint8_t *p);

/* SHA-256 of p as 64 lower-case hex digits and a NUL. */
void testlib_sha256_hex(const void *p, size_t n, char out[65]);

/* Seconds since *start (CLOCK_MONOTONIC). */
double testlib_elapsed_s(const struct timespec *start);

/*
 * Fields of a parsed JSON document, doc.a or doc.a.b (b NULL for a top-level field); the
 * test fails when the field is missing or of another type.
 */
double testlib_json_num(const cJSON *doc, const char *a, const char *b);
const char *testlib_json_str(const cJSON *doc, const char *a, const char *b);
bool testlib_json_bool(const cJSON *doc, const char *a, const char *b);

/* A JSON file parsed; the test fails when it cannot be read or parsed. Free with cJSON_Delete. */
cJSON *testlib_json_load(const char *path);

#endif

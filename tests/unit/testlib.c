// SPDX-License-Identifier: MIT
/* Shared helpers for the unit tests: a private temporary folder, files, bytes, JSON fields. */
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "testlib.h"

static char tmpdir[96];

int testlib_tmpdir_make(void)
{
	int n = snprintf(tmpdir, sizeof(tmpdir), "/tmp/amtact-%s.XXXXXX",
			 program_invocation_short_name);

	if (n < 0 || (size_t)n >= sizeof(tmpdir) || !mkdtemp(tmpdir)) {
		tmpdir[0] = '\0';
		return -1;
	}
	return 0;
}

const char *testlib_tmpdir(void)
{
	return tmpdir;
}

/* Tests lock folders down (0000, 0555) to see refusals; open them again on the way in. */
static int unlock_dir(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int testlib_tmpdir_remove(void)
{
	int ret;

	if (strncmp(tmpdir, "/tmp/amtact-", 12) != 0)
		return -1;
	chmod(tmpdir, 0700);
	nftw(tmpdir, unlock_dir, 16, FTW_PHYS);
	ret = nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	tmpdir[0] = '\0';
	return ret == 0 ? 0 : -1;
}

int testlib_tmpdir_setup(void **state)
{
	(void)state;
	return testlib_tmpdir_make();
}

int testlib_tmpdir_teardown(void **state)
{
	(void)state;
	return testlib_tmpdir_remove();
}

static const char *join(char *buf, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(buf, cap, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= cap)
		fail_msg("path %s/%s does not fit in %zu bytes", dir, name, cap);
	return buf;
}

const char *testlib_tmp_path(char *buf, size_t cap, const char *name)
{
	assert_true(tmpdir[0] != '\0');
	return join(buf, cap, tmpdir, name);
}

const char *testlib_topdir(void)
{
	const char *t = getenv("TOPDIR");

	return t && *t ? t : ".";
}

const char *testlib_top_path(char *buf, size_t cap, const char *rel)
{
	return join(buf, cap, testlib_topdir(), rel);
}

char *testlib_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

void testlib_write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f;

	unlink(path);
	f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

const char *testlib_tmp_file(const char *name, const char *text, mode_t mode)
{
	static char path[512];

	testlib_write_file(testlib_tmp_path(path, sizeof(path), name), text, mode);
	return path;
}

uint32_t testlib_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void testlib_sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256(p, n, md);
	for (size_t i = 0; i < sizeof(md); i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static const cJSON *field(const cJSON *doc, const char *a, const char *b)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(doc, a);

	if (b)
		it = cJSON_GetObjectItemCaseSensitive(it, b);
	if (!it)
		fail_msg("JSON field %s%s%s is missing", a, b ? "." : "", b ? b : "");
	return it;
}

double testlib_json_num(const cJSON *doc, const char *a, const char *b)
{
	const cJSON *it = field(doc, a, b);

	assert_true(cJSON_IsNumber(it));
	return it->valuedouble;
}

const char *testlib_json_str(const cJSON *doc, const char *a, const char *b)
{
	const cJSON *it = field(doc, a, b);

	assert_true(cJSON_IsString(it));
	return it->valuestring;
}

bool testlib_json_bool(const cJSON *doc, const char *a, const char *b)
{
	const cJSON *it = field(doc, a, b);

	assert_true(cJSON_IsBool(it));
	return cJSON_IsTrue(it);
}

cJSON *testlib_json_load(const char *path)
{
	char *text = testlib_read_file(path, NULL);
	cJSON *doc;

	if (!text)
		fail_msg("cannot read %s", path);
	doc = cJSON_Parse(text);
	free(text);
	if (!doc)
		fail_msg("%s is not JSON", path);
	return doc;
}

double testlib_elapsed_s(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

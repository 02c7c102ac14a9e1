// SPDX-License-Identifier: MIT
/* Unit tests for spool.c: atomic private files, order, bounds, torn files, dead letters. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "exitcodes.h"
#include "spool.h"
#include "spool_entry.h"
#include "spool_fs.h"
#include "testlib.h"
#include "testlib_tls.h"

static char url[100];
static struct testlib_tls_id srv;
static int dir_n;

/* Ids in the order a flush tried them. */
static char seen[16][80];
static int nseen;

static void on_result(const char *id, const struct report_result *res, void *arg)
{
	(void)res;
	(void)arg;
	if (nseen < 16)
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", id);
}

static void new_spool(struct spool *sp, char *dir, size_t cap, const struct spool_limits *lim)
{
	snprintf(dir, cap, "%s/spool%d", testlib_tmpdir(), dir_n++);
	assert_int_equal(spool_open(sp, dir, lim), 0);
	sp->on_result = on_result;
	nseen = 0;
}

static void server_for(struct report_server *s, struct testlib_tls_server *fx)
{
	report_server_init(s);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/reports", fx->port);
	s->url = url;
	s->ca_file = srv.pem;
	s->proxy = "";
	s->max_attempts = 1;
	s->connect_timeout_ms = 2000;
	s->total_timeout_ms = 4000;
}

static int collect(const char *name, const char *id, void *arg)
{
	(void)name;
	(void)arg;
	if (nseen < 16)
		snprintf(seen[nseen++], sizeof(seen[0]), "%s", id);
	return 0;
}

static void test_put_private_ordered(void **state)
{
	char dir[300], path[400], buf[128];
	struct spool sp;
	struct stat st;
	struct spool_stats ss;
	FILE *f;

	(void)state;
	new_spool(&sp, dir, sizeof(dir), NULL);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(spool_put(&sp, "c-first", "{\"n\":1}", 7), 0);
	assert_int_equal(spool_put(&sp, "a-second", "{\"n\":2}", 7), 0);
	assert_int_equal(spool_put(&sp, "b-third", "{\"n\":3}", 7), 0);
	nseen = 0;
	assert_int_equal(spool_foreach(&sp, 0, collect, NULL), 0);
	assert_int_equal(nseen, 3);
	assert_string_equal(seen[0], "c-first");
	assert_string_equal(seen[1], "a-second");
	assert_string_equal(seen[2], "b-third");
	assert_int_equal(spool_stat(&sp, &ss), 0);
	assert_int_equal(ss.count, 3);
	/* Every file is 0600 and carries the header with length and CRC. */
	snprintf(path, sizeof(path), "find '%s' -maxdepth 1 -name '*.report' -perm 0600 | wc -l",
		 dir);
	f = popen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	pclose(f);
	assert_int_equal(strtol(buf, NULL, 10), 3);
	assert_int_equal(spool_put(&sp, "a-second", "{}", 2), -EEXIST);
	assert_int_equal(spool_put(&sp, "../evil", "{}", 2), -EINVAL);
	spool_close(&sp);
}

static void test_bounds_refuse_never_drop(void **state)
{
	struct spool_limits lim = { .max_count = 2, .max_bytes = 200, .max_report_bytes = 100 };
	char dir[300], big[101];
	struct spool sp;
	struct spool_stats ss;

	(void)state;
	memset(big, 'x', sizeof(big));
	new_spool(&sp, dir, sizeof(dir), &lim);
	assert_int_equal(spool_put(&sp, "r1", big, 101), -EMSGSIZE);
	assert_int_equal(spool_put(&sp, "r1", big, 60), 0);
	assert_int_equal(spool_put(&sp, "r2", big, 100), -ENOSPC);
	assert_int_equal(spool_put(&sp, "r2", big, 10), 0);
	assert_int_equal(spool_put(&sp, "r3", big, 1), -ENOSPC);
	assert_int_equal(spool_stat(&sp, &ss), 0);
	assert_int_equal(ss.count, 2);
	nseen = 0;
	spool_foreach(&sp, 0, collect, NULL);
	assert_string_equal(seen[0], "r1");
	assert_string_equal(seen[1], "r2");
	spool_close(&sp);
}

static void write_raw(const char *dir, const char *name, const char *text)
{
	char path[400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int exists(const char *dir, const char *name)
{
	char path[400];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

static void test_temp_cleaned_torn_never_sent(void **state)
{
	static const int st[] = { 201 };
	struct testlib_tls_server *fx = testlib_tls_start(&srv, st, 1, NULL);
	struct spool_flush_result fr;
	struct report_server s;
	struct spool sp;
	char dir[300];

	(void)state;
	new_spool(&sp, dir, sizeof(dir), NULL);
	write_raw(dir, ".tmp-1-deadbeef", "AMTACT-SPOOL 1 100 00000000\n{\"half");
	write_raw(dir, "00000000000000000001-torn.report", "AMTACT-SPOOL 1 9 00000000\n{\"a\":1}");
	write_raw(dir, "00000000000000000002-short.report", "AMTACT-SPOOL 1 50 ");
	write_raw(dir, "notes.txt", "not a report");
	spool_close(&sp);
	assert_int_equal(spool_open(&sp, dir, NULL), 0);
	assert_false(exists(dir, ".tmp-1-deadbeef"));
	assert_int_equal(spool_put(&sp, "good", "{\"ok\":1}", 8), 0);
	server_for(&s, fx);
	assert_int_equal(spool_flush(&sp, &s, &fr), 0);
	assert_int_equal(fr.corrupt, 2);
	assert_int_equal(fr.delivered, 1);
	assert_int_equal(fx->requests, 1);
	assert_string_equal(fx->last_body, "{\"ok\":1}");
	assert_true(exists(dir, "dead/00000000000000000001-torn.report"));
	assert_true(exists(dir, "dead/00000000000000000001-torn.report.reason"));
	assert_true(exists(dir, "notes.txt"));
	assert_int_equal(spool_exit_code(0, &fr), EXIT_REPORT_REJECTED);
	spool_close(&sp);
	testlib_tls_stop(fx);
}

/* A header with the right length and CRC of body, each after a prefix. */
static void write_header(const char *dir, const char *name, const char *len_prefix,
			 const char *crc_prefix, const char *body)
{
	char text[200];

	snprintf(text, sizeof(text), "AMTACT-SPOOL 1 %s%zu %s%08x\n%s", len_prefix,
		 strlen(body), crc_prefix, spool_fs_crc32(body, strlen(body)), body);
	write_raw(dir, name, text);
}

/* Only the header spool_put writes is accepted: no sign, blank, "0x" or wider CRC. */
static void test_header_strict(void **state)
{
	static const int st[] = { 201 };
	struct testlib_tls_server *fx = testlib_tls_start(&srv, st, 1, NULL);
	struct spool_flush_result fr;
	struct report_server s;
	struct spool sp;
	char dir[300];

	(void)state;
	new_spool(&sp, dir, sizeof(dir), NULL);
	write_header(dir, "00000000000000000001-plus.report", "+", "", "{\"a\":1}");
	write_header(dir, "00000000000000000002-blank.report", " ", "", "{\"a\":2}");
	write_header(dir, "00000000000000000003-hex.report", "", "0x", "{\"a\":3}");
	write_header(dir, "00000000000000000004-wide.report", "", "1", "{\"a\":4}");
	write_header(dir, "00000000000000000005-minus.report", "-", "", "{\"a\":5}");
	write_header(dir, "00000000000000000006-good.report", "", "", "{\"a\":6}");
	server_for(&s, fx);
	assert_int_equal(spool_flush(&sp, &s, &fr), 0);
	assert_int_equal(fr.corrupt, 5);
	assert_int_equal(fr.delivered, 1);
	assert_int_equal(fx->requests, 1);
	assert_string_equal(fx->last_body, "{\"a\":6}");
	assert_true(exists(dir, "dead/00000000000000000003-hex.report"));
	spool_close(&sp);
	testlib_tls_stop(fx);
}

/* The header is checked within the bytes given: an exact-size copy, nothing after it. */
static long header_of(const char *text)
{
	size_t n = strlen(text);
	char *p = malloc(n ? n : 1);
	long ret;

	assert_non_null(p);
	memcpy(p, text, n);
	ret = spool_entry_check_header(p, n);
	free(p);
	return ret;
}

static void test_header_bounded(void **state)
{
	(void)state;
	/* strtoull skipped the newline and read on past the end of the file's bytes */
	assert_int_equal(header_of("AMTACT-SPOOL 1 \n"), -EBADMSG);
	assert_int_equal(header_of("AMTACT-SPOOL 1 \n12"), -EBADMSG); /* ASan: overflow */
	assert_int_equal(header_of("AMTACT-SPOOL 1 0 \n"), -EBADMSG);
	assert_int_equal(header_of("AMTACT-SPOOL 1 0\n"), -EBADMSG);
	assert_int_equal(header_of("AMTACT-SPOOL 1 0 00000000"), -EBADMSG);
	assert_int_equal(header_of("AMTACT-SPOOL 1"), -EBADMSG);
	assert_int_equal(header_of(""), -EBADMSG);
	assert_int_equal(header_of("AMTACT-SPOOL 1 99999999999999999999999 00000000\n"),
			 -EBADMSG);
	assert_int_equal(header_of("AMTACT-SPOOL 1 000 00000000\n"), -EBADMSG);
	assert_int_equal(header_of("AMTACT-SPOOL 1 02 a3a6bf43\n{}"), -EBADMSG);
	assert_int_equal(header_of("AMTACT-SPOOL 1 0 00000000\n"), 26);
	assert_int_equal(header_of("AMTACT-SPOOL 1 2 A3A6BF43\n{}"), 26);
	assert_int_equal(header_of("AMTACT-SPOOL 1 2 a3a6bf43\n{}x"), -EBADMSG);
}

static void test_flush_dead_letter_and_order(void **state)
{
	static const int st[] = { 201, 400, 201 };
	struct testlib_tls_server *fx = testlib_tls_start(&srv, st, 3, NULL);
	struct spool_flush_result fr;
	struct report_server s;
	struct spool_stats ss;
	struct spool sp;
	char dir[300], path[400], reason[512] = "";
	FILE *f;

	(void)state;
	new_spool(&sp, dir, sizeof(dir), NULL);
	assert_int_equal(spool_put(&sp, "one", "{\"n\":1}", 7), 0);
	assert_int_equal(spool_put(&sp, "two", "{\"n\":2}", 7), 0);
	assert_int_equal(spool_put(&sp, "three", "{\"n\":3}", 7), 0);
	server_for(&s, fx);
	assert_int_equal(spool_flush(&sp, &s, &fr), 0);
	assert_int_equal(fr.delivered, 2);
	assert_int_equal(fr.dead, 1);
	assert_int_equal(nseen, 3);
	assert_string_equal(seen[0], "one");
	assert_string_equal(seen[1], "two");
	assert_string_equal(seen[2], "three");
	assert_int_equal(spool_stat(&sp, &ss), 0);
	assert_int_equal(ss.count, 0);
	assert_int_equal(ss.dead, 1);
	snprintf(path, sizeof(path), "find '%s/dead' -name '*-two.report.reason' -exec cat {} +",
		 dir);
	f = popen(path, "r");
	assert_non_null(f);
	assert_true(fread(reason, 1, sizeof(reason) - 1, f) > 0);
	pclose(f);
	assert_non_null(strstr(reason, "http_status: 400"));
	assert_non_null(strstr(reason, "answer!"));
	assert_int_equal(spool_exit_code(0, &fr), EXIT_REPORT_REJECTED);
	spool_close(&sp);
	testlib_tls_stop(fx);
}

static void test_temporary_stops_and_keeps(void **state)
{
	static const int st[] = { 201, 503, 201 };
	struct testlib_tls_server *fx = testlib_tls_start(&srv, st, 3, NULL);
	struct spool_flush_result fr;
	struct report_server s;
	struct spool sp;
	char dir[300];
	int ret;

	(void)state;
	new_spool(&sp, dir, sizeof(dir), NULL);
	assert_int_equal(spool_put(&sp, "one", "{}", 2), 0);
	assert_int_equal(spool_put(&sp, "two", "{}", 2), 0);
	assert_int_equal(spool_put(&sp, "three", "{}", 2), 0);
	server_for(&s, fx);
	ret = spool_flush(&sp, &s, &fr);
	assert_int_equal(ret, -EAGAIN);
	assert_int_equal(fr.delivered, 1);
	assert_int_equal(fr.remaining, 2);
	assert_string_equal(fr.last_id, "two");
	assert_int_equal(fr.last.cls, REPORT_TEMPORARY);
	assert_int_equal(spool_exit_code(ret, &fr), EXIT_QUEUED);
	nseen = 0;
	assert_int_equal(spool_flush(&sp, &s, &fr), 0);
	assert_int_equal(fr.delivered, 2);
	assert_string_equal(seen[0], "two");
	assert_string_equal(seen[1], "three");
	assert_int_equal(spool_exit_code(0, &fr), EXIT_OK);
	spool_close(&sp);
	testlib_tls_stop(fx);
}

static void test_submit_full_flushes_first(void **state)
{
	static const int st[] = { 201 };
	struct spool_limits lim = { .max_count = 1 };
	struct testlib_tls_server *fx = testlib_tls_start(&srv, st, 1, NULL);
	struct spool_flush_result fr;
	struct report_server s;
	struct spool sp;
	char dir[300];
	int saved = 0;

	(void)state;
	new_spool(&sp, dir, sizeof(dir), &lim);
	assert_int_equal(spool_put(&sp, "old", "{}", 2), 0);
	server_for(&s, fx);
	assert_int_equal(spool_submit(&sp, &s, "new", "{}", 2, &fr, &saved), 0);
	assert_int_equal(saved, 1);
	assert_int_equal(fx->requests, 2);
	assert_string_equal(seen[0], "old");
	assert_string_equal(seen[1], "new");
	spool_close(&sp);
	testlib_tls_stop(fx);
}

/* Full and the server down: the report is NOT saved, and the caller is told so. */
static void test_submit_full_never_silent(void **state)
{
	static const int st[] = { 503, 503, 503, 400 };
	struct spool_limits lim = { .max_count = 1 };
	struct testlib_tls_server *fx = testlib_tls_start(&srv, st, 4, NULL);
	struct spool_flush_result fr;
	struct report_server s;
	struct spool_stats ss;
	struct spool sp;
	char dir[300];
	int saved = 1;

	(void)state;
	new_spool(&sp, dir, sizeof(dir), &lim);
	assert_int_equal(spool_put(&sp, "old", "{}", 2), 0);
	server_for(&s, fx);
	assert_int_equal(spool_submit(&sp, &s, "new", "{}", 2, &fr, &saved), -ENOSPC);
	assert_int_equal(saved, 0);
	/* Refused on the direct send: kept in dead/ rather than dropped. */
	assert_int_equal(spool_submit(&sp, &s, "newer", "{}", 2, &fr, &saved), -EREMOTEIO);
	assert_int_equal(saved, 1);
	assert_int_equal(fr.dead, 1);
	assert_int_equal(spool_stat(&sp, &ss), 0);
	assert_int_equal(ss.count, 1);
	assert_int_equal(ss.dead, 1);
	spool_close(&sp);
	testlib_tls_stop(fx);
}

static void test_unsafe_dir_and_busy(void **state)
{
	struct spool_flush_result fr;
	struct report_server s;
	struct spool sp;
	char dir[300], lock[400];
	int fd;

	(void)state;
	new_spool(&sp, dir, sizeof(dir), NULL);
	snprintf(lock, sizeof(lock), "%s/.flush", dir);
	fd = open(lock, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	report_server_init(&s);
	s.url = "https://127.0.0.1:1/";
	assert_int_equal(spool_flush(&sp, &s, &fr), -EBUSY);
	assert_int_equal(spool_exit_code(-EBUSY, &fr), EXIT_BUSY);
	close(fd);
	spool_close(&sp);
	chmod(dir, 0777);
	assert_int_equal(spool_open(&sp, dir, NULL), -EPERM);
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	if (testlib_tmpdir_make() < 0 || report_global_init() < 0)
		return -1;
	return testlib_tls_id_make(&srv, "amtact test", "cert.pem", -1, 30);
}

static int teardown(void **state)
{
	(void)state;
	testlib_tls_id_free(&srv);
	report_global_cleanup();
	return testlib_tmpdir_remove();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_private_ordered),
		cmocka_unit_test(test_bounds_refuse_never_drop),
		cmocka_unit_test(test_temp_cleaned_torn_never_sent),
		cmocka_unit_test(test_header_strict),
		cmocka_unit_test(test_header_bounded),
		cmocka_unit_test(test_flush_dead_letter_and_order),
		cmocka_unit_test(test_temporary_stops_and_keeps),
		cmocka_unit_test(test_submit_full_flushes_first),
		cmocka_unit_test(test_submit_full_never_silent),
		cmocka_unit_test(test_unsafe_dir_and_busy),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

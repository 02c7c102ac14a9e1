// SPDX-License-Identifier: MIT
/* Unit tests for profiles: every field good and bad, the bad-profile corpus, lookup, permissions. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "profile.h"
#include "testlib.h"

#define PIN_A "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
#define PIN_B "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="

static const struct profile_load_opts no_owner = { false, 0 };

/* Writes `text` to TMPDIR/name with `mode` and returns the path in `path`. */
static void write_file(const char *name, const char *text, mode_t mode, char *path,
		       size_t pathlen)
{
	testlib_write_file(testlib_tmp_path(path, pathlen, name), text, mode);
}

static int load_text(struct profile *p, const char *text, char *err, size_t errlen)
{
	char path[PATH_MAX];

	write_file("t.json", text, 0644, path, sizeof(path));
	return profile_load_with(p, path, &no_owner, err, errlen);
}

static void load_ok(struct profile *p, const char *text)
{
	char err[512] = "";
	int ret = load_text(p, text, err, sizeof(err));

	if (ret)
		print_error("unexpected failure: %s\n", err);
	assert_int_equal(ret, 0);
}

static void load_bad(const char *text, const char *fragment)
{
	struct profile p;
	char err[512] = "";

	assert_int_equal(load_text(&p, text, err, sizeof(err)), -EINVAL);
	if (!strstr(err, fragment))
		print_error("message \"%s\" lacks \"%s\"\n", err, fragment);
	assert_non_null(strstr(err, fragment));
	assert_null(p.name);
	assert_null(p.spool_dir);
}

static void test_defaults(void **state)
{
	struct profile p;

	(void)state;
	load_ok(&p, "{\"schema\": 1, \"method\": \"remote_configuration\"}");
	assert_string_equal(p.name, "t");
	assert_int_equal(p.schema, 1);
	assert_non_null(strstr(p.path, "/t.json"));
	assert_false(p.server.present);
	assert_null(p.server.url);
	assert_int_equal(p.server.connect_timeout_ms, 10000);
	/* A boot storm's horizon: attempts that outlast the server, retries that outlast an
	   outage of several seconds, first attempts spread over 10 s. */
	assert_int_equal(p.server.timeout_ms, 90000);
	assert_int_equal(p.server.max_attempts, 6);
	assert_int_equal(p.server.backoff_base_ms, 1000);
	assert_int_equal(p.server.backoff_max_ms, 60000);
	assert_int_equal(p.server.first_delay_max_ms, 10000);
	assert_int_equal(p.method, PROFILE_METHOD_REMOTE_CONFIGURATION);
	assert_int_equal(p.otp.policy, PROFILE_OTP_NONE);
	assert_string_equal(p.otp.alphabet, PROFILE_OTP_ALPHABET_DEFAULT);
	assert_null(p.pki_dns_suffix);
	assert_int_equal(p.hello, PROFILE_HELLO_WHEN_NOT_OPEN);
	assert_int_equal(p.zero_touch, PROFILE_ZERO_TOUCH_LEAVE);
	assert_false(p.enable_amt);
	assert_false(p.check_provision_server); /* a boot waits for no DNS unless asked */
	assert_false(p.ignore_intermediate_errors);
	assert_int_equal(p.system_name.source, PROFILE_NAME_HOSTNAME);
	assert_null(p.report_file);
	assert_string_equal(p.spool_dir, "/var/spool/amtact");
	assert_string_equal(p.state_dir, "/var/lib/amtact");
	assert_int_equal(p.log.level, MSG_INFO);
	assert_null(p.log.file);
	assert_false(p.log.syslog);
	assert_int_equal(p.lock_timeout_ms, 30000);
	profile_free(&p);
	assert_null(p.name);
	profile_free(&p);
}

static void test_every_field(void **state)
{
	struct profile p;

	(void)state;
	load_ok(&p, "{\"schema\": 1, \"name\": \"corp-eu.v2_x\", \"method\": "
		"\"remote_configuration\", \"server\": {\"url\": \"https://[::1]:8443/r\", "
		"\"ca_file\": \"/etc/ca.pem\", \"pin_sha256\": [\"" PIN_A "\", \"" PIN_B "\"], "
		"\"client_cert\": \"/etc/c.pem\", \"client_key\": \"/etc/c.key\", "
		"\"token_file\": \"/etc/t\", \"proxy\": \"socks5h://proxy.example.com:1080\", "
		"\"report_cert\": \"/etc/r.pem\", \"connect_timeout_ms\": 100, "
		"\"timeout_ms\": 600000, \"max_attempts\": 20, \"backoff_base_ms\": 10, "
		"\"backoff_max_ms\": 3600000, \"first_delay_max_ms\": 0}, \"otp\": {\"policy\": "
		"\"random\", \"length\": 32, "
		"\"alphabet\": \"0123456789\"}, \"pki_dns_suffix\": \"Corp-1.Example.COM\", "
		"\"hello\": \"always\", \"zero_touch\": \"disable\", \"enable_amt\": true, "
		"\"ignore_intermediate_errors\": true, \"system_name\": {\"source\": \"fixed\", "
		"\"value\": \"pc-0042.corp.example.com\"}, \"spool_dir\": \"/srv/s\", "
		"\"state_dir\": \"/srv/st\", \"log\": "
		"{\"level\": \"debug\", \"file\": \"/var/log/amtact.log\", \"syslog\": true}, "
		"\"lock_timeout_ms\": 0}");
	assert_string_equal(p.name, "corp-eu.v2_x");
	assert_true(p.server.present);
	assert_string_equal(p.server.url, "https://[::1]:8443/r");
	assert_string_equal(p.server.ca_file, "/etc/ca.pem");
	assert_int_equal(p.server.pin_count, 2);
	assert_string_equal(p.server.pin_sha256[0], PIN_A);
	assert_string_equal(p.server.pin_sha256[1], PIN_B);
	assert_null(p.server.pin_sha256[2]);
	assert_string_equal(p.server.client_cert, "/etc/c.pem");
	assert_string_equal(p.server.client_key, "/etc/c.key");
	assert_string_equal(p.server.token_file, "/etc/t");
	assert_string_equal(p.server.proxy, "socks5h://proxy.example.com:1080");
	assert_string_equal(p.server.report_cert, "/etc/r.pem");
	assert_int_equal(p.server.connect_timeout_ms, 100);
	assert_int_equal(p.server.timeout_ms, 600000);
	assert_int_equal(p.server.max_attempts, 20);
	assert_int_equal(p.server.backoff_base_ms, 10);
	assert_int_equal(p.server.backoff_max_ms, 3600000);
	assert_int_equal(p.server.first_delay_max_ms, 0);
	assert_int_equal(p.otp.policy, PROFILE_OTP_RANDOM);
	assert_int_equal(p.otp.length, 32);
	assert_string_equal(p.otp.alphabet, "0123456789");
	assert_string_equal(p.pki_dns_suffix, "Corp-1.Example.COM");
	assert_int_equal(p.hello, PROFILE_HELLO_ALWAYS);
	assert_int_equal(p.zero_touch, PROFILE_ZERO_TOUCH_DISABLE);
	assert_true(p.enable_amt);
	assert_true(p.ignore_intermediate_errors);
	assert_int_equal(p.system_name.source, PROFILE_NAME_FIXED);
	assert_string_equal(p.system_name.value, "pc-0042.corp.example.com");
	assert_string_equal(p.spool_dir, "/srv/s");
	assert_string_equal(p.state_dir, "/srv/st");
	assert_int_equal(p.log.level, MSG_DEBUG);
	assert_string_equal(p.log.file, "/var/log/amtact.log");
	assert_true(p.log.syslog);
	assert_int_equal(p.lock_timeout_ms, 0);
	profile_free(&p);
}

static void test_field_variants(void **state)
{
	struct profile p;

	(void)state;
	load_ok(&p, "{\"schema\": 1, \"method\": \"psk\", \"server\": {\"url\": "
		"\"HTTPS://interim.example.com\", \"pin_sha256\": \"" PIN_A "\", \"proxy\": "
		"\"direct\"}, \"otp\": {\"policy\": \"none\"}, \"hello\": \"never\", "
		"\"zero_touch\": \"enable\", \"system_name\": {\"source\": \"hostname_short\"}, "
		"\"log\": {\"level\": \"error\"}}");
	assert_int_equal(p.method, PROFILE_METHOD_PSK);
	assert_int_equal(p.server.pin_count, 1);
	assert_string_equal(p.server.pin_sha256[0], PIN_A);
	assert_string_equal(p.server.proxy, "");
	assert_int_equal(p.hello, PROFILE_HELLO_NEVER);
	assert_int_equal(p.zero_touch, PROFILE_ZERO_TOUCH_ENABLE);
	assert_int_equal(p.system_name.source, PROFILE_NAME_HOSTNAME_SHORT);
	assert_int_equal(p.log.level, MSG_ERROR);
	profile_free(&p);

	load_ok(&p, "{\"schema\": 1, \"method\": \"remote_configuration\", \"otp\": "
		"{\"policy\": \"file\", \"file\": \"/media/usb/otp.txt\"}, \"hello\": "
		"\"when_not_open\", \"system_name\": {\"source\": \"ask\"}, \"log\": "
		"{\"level\": \"warn\"}, \"pki_dns_suffix\": \"x\"}");
	assert_int_equal(p.otp.policy, PROFILE_OTP_FILE);
	assert_string_equal(p.otp.file, "/media/usb/otp.txt");
	assert_int_equal(p.system_name.source, PROFILE_NAME_ASK);
	assert_int_equal(p.log.level, MSG_WARN);
	assert_string_equal(p.pki_dns_suffix, "x");
	profile_free(&p);

	/* report_only: no-op write values are accepted, and hello defaults to never. */
	load_ok(&p, "{\"schema\": 1, \"method\": \"report_only\", \"otp\": {\"policy\": "
		"\"none\"}, \"zero_touch\": \"leave\", \"enable_amt\": false, \"report_file\": "
		"\"/tmp/r.json\"}");
	assert_int_equal(p.method, PROFILE_METHOD_REPORT_ONLY);
	assert_int_equal(p.hello, PROFILE_HELLO_NEVER);
	assert_string_equal(p.report_file, "/tmp/r.json");
	profile_free(&p);
}

/* The bounds of every range are accepted, one past them refused. */
static void test_ranges(void **state)
{
	static const struct {
		const char *key;
		const char *obj;
		long min, max;
		const char *extra; /* what the other bounds need, so only this key is tested */
	} r[] = {
		{ "connect_timeout_ms", "server", 100, 120000, "\"timeout_ms\": 600000, " },
		{ "timeout_ms", "server", 1000, 600000, "\"connect_timeout_ms\": 100, " },
		{ "max_attempts", "server", 1, 20, "" },
		{ "backoff_base_ms", "server", 10, 600000, "\"backoff_max_ms\": 3600000, " },
		{ "backoff_max_ms", "server", 10, 3600000, "\"backoff_base_ms\": 10, " },
		{ "first_delay_max_ms", "server", 0, 600000, "" },
		{ "length", "otp", 8, 32, "\"policy\": \"random\", " },
		{ "lock_timeout_ms", NULL, 0, 600000, "" },
	};
	char text[512], frag[128];
	struct profile p;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		for (k = 0; k < 4; k++) {
			long v = k == 0 ? r[i].min : k == 1 ? r[i].max : k == 2 ? r[i].min - 1 :
				 r[i].max + 1;

			if (r[i].obj)
				snprintf(text, sizeof(text), "{\"schema\": 1, \"method\": "
					 "\"remote_configuration\", \"%s\": {%s%s\"%s\": %ld}}",
					 r[i].obj, strcmp(r[i].obj, "server") == 0 ?
					 "\"url\": \"https://a.example\", " : "", r[i].extra,
					 r[i].key, v);
			else
				snprintf(text, sizeof(text), "{\"schema\": 1, \"method\": "
					 "\"remote_configuration\", \"%s\": %ld}", r[i].key, v);
			if (k < 2) {
				load_ok(&p, text);
				profile_free(&p);
				continue;
			}
			snprintf(frag, sizeof(frag), "%s%s%s\": %ld is out of range (%ld..%ld)",
				 r[i].obj ? r[i].obj : "", r[i].obj ? "." : "", r[i].key, v,
				 r[i].min, r[i].max);
			load_bad(text, frag);
		}
	}
}

static int read_expect(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char *nl;

	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return buf[0] ? 0 : -1;
}

/* tests/profiles/bad: each NAME.json is refused with -EINVAL and NAME.expect's fragment. */
static void test_bad_corpus(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 256], expect[PATH_MAX + 256], frag[512], err[512];
	struct profile p;
	struct dirent *de;
	unsigned count = 0, failed = 0;
	DIR *d;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/profiles/bad", testlib_topdir());
	d = opendir(dir);
	if (!d)
		print_error("cannot open %s (run from the source tree or set TOPDIR)\n", dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		int ret;

		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(expect, sizeof(expect), "%s/%.*s.expect", dir, (int)(len - 5), de->d_name);
		assert_int_equal(read_expect(expect, frag, sizeof(frag)), 0);
		ret = profile_load_with(&p, path, &no_owner, err, sizeof(err));
		if (ret != -EINVAL || !strstr(err, frag) || strncmp(err, path, strlen(path)) != 0) {
			print_error("%s: ret %d, message \"%s\", expected \"%s\"\n", de->d_name, ret,
				    err, frag);
			failed++;
		}
		if (ret == 0)
			profile_free(&p);
		count++;
	}
	closedir(d);
	assert_int_equal(failed, 0);
	assert_true(count >= 100);
}

static void test_examples(void **state)
{
	static const struct {
		const char *file;
		enum profile_method method;
		enum profile_otp_policy otp;
		bool server;
	} ex[] = {
		{ "rcfg-delayed.json", PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_OTP_RANDOM, true },
		{ "psk.json", PROFILE_METHOD_PSK, PROFILE_OTP_NONE, true },
		{ "technician.json", PROFILE_METHOD_REMOTE_CONFIGURATION, PROFILE_OTP_RANDOM, true },
		{ "report-only.json", PROFILE_METHOD_REPORT_ONLY, PROFILE_OTP_NONE, false },
	};
	char path[PATH_MAX], err[512], name[64];
	struct profile p;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		snprintf(path, sizeof(path), "%s/profiles/%s", testlib_topdir(), ex[i].file);
		ret = profile_load_with(&p, path, &no_owner, err, sizeof(err));
		if (ret)
			print_error("%s\n", err);
		assert_int_equal(ret, 0);
		snprintf(name, sizeof(name), "%.*s", (int)(strlen(ex[i].file) - 5), ex[i].file);
		assert_string_equal(p.name, name);
		assert_int_equal(p.method, ex[i].method);
		assert_int_equal(p.otp.policy, ex[i].otp);
		assert_int_equal(p.server.present, ex[i].server);
		profile_free(&p);
	}
}

static void test_resolve(void **state)
{
	char path[PATH_MAX];

	(void)state;
	assert_int_equal(setenv("AMTACT_PROFILE_DIR", "/srv/profiles", 1), 0);
	assert_int_equal(profile_resolve("corp", path, sizeof(path)), 0);
	assert_string_equal(path, "/srv/profiles/corp.json");
	assert_int_equal(profile_resolve("corp.eu-1", path, sizeof(path)), 0);
	assert_string_equal(path, "/srv/profiles/corp.eu-1.json");
	assert_int_equal(profile_resolve("./corp", path, sizeof(path)), 0);
	assert_string_equal(path, "./corp");
	assert_int_equal(profile_resolve("corp.json", path, sizeof(path)), 0);
	assert_string_equal(path, "corp.json");
	assert_int_equal(profile_resolve("bad name", path, sizeof(path)), -EINVAL);
	assert_int_equal(profile_resolve("-corp", path, sizeof(path)), -EINVAL);
	assert_int_equal(profile_resolve("", path, sizeof(path)), -EINVAL);
	assert_int_equal(profile_resolve("corp", path, 10), -ENAMETOOLONG);
	assert_int_equal(unsetenv("AMTACT_PROFILE_DIR"), 0);
	assert_int_equal(profile_resolve("corp", path, sizeof(path)), 0);
	assert_string_equal(path, AMTACT_SYSCONFDIR "/amtact/profiles/corp.json");
}

static void test_lookup_by_name(void **state)
{
	char path[PATH_MAX], err[512];
	struct profile p;

	(void)state;
	write_file("corp.json", "{\"schema\": 1, \"method\": \"psk\"}", 0644, path,
		   sizeof(path));
	assert_int_equal(setenv("AMTACT_PROFILE_DIR", testlib_tmpdir(), 1), 0);
	assert_int_equal(profile_load_with(&p, "corp", &no_owner, err, sizeof(err)), 0);
	assert_string_equal(p.name, "corp");
	assert_string_equal(p.path, path);
	profile_free(&p);
	assert_int_equal(profile_load_with(&p, "nosuch", &no_owner, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no profile \"nosuch\""));
	assert_int_equal(profile_load_with(&p, "no such", &no_owner, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a profile name"));
	snprintf(path, sizeof(path), "%s/missing.json", testlib_tmpdir());
	assert_int_equal(profile_load_with(&p, path, &no_owner, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(unsetenv("AMTACT_PROFILE_DIR"), 0);
}

static void expect_access(const char *path, const struct profile_load_opts *o,
			  const char *frag)
{
	struct profile p;
	char err[512];

	assert_int_equal(profile_load_with(&p, path, o, err, sizeof(err)), -EACCES);
	if (!strstr(err, frag))
		print_error("message \"%s\" lacks \"%s\"\n", err, frag);
	assert_non_null(strstr(err, frag));
}

static void test_permissions(void **state)
{
	struct profile_load_opts me = { true, getuid() }, other = { true, getuid() + 1 };
	static const char text[] = "{\"schema\": 1, \"method\": \"psk\"}";
	char path[PATH_MAX], err[512];
	struct profile p;

	(void)state;
	assert_int_equal(chmod(testlib_tmpdir(), 0755), 0);
	write_file("p.json", text, 0644, path, sizeof(path));
	assert_int_equal(profile_load_with(&p, path, &me, err, sizeof(err)), 0);
	profile_free(&p);
	expect_access(path, &other, "owned by uid");
	write_file("p.json", text, 0664, path, sizeof(path));
	expect_access(path, &me, "writable by group or others (mode 0664");
	assert_int_equal(profile_load_with(&p, path, &no_owner, err, sizeof(err)), 0);
	profile_free(&p);
	write_file("p.json", text, 0646, path, sizeof(path));
	expect_access(path, &me, "writable by group or others (mode 0646");
	write_file("p.json", text, 0600, path, sizeof(path));
	assert_int_equal(chmod(testlib_tmpdir(), 0777), 0);
	expect_access(path, &me, "directory ");
	assert_int_equal(chmod(testlib_tmpdir(), 0700), 0);
	if (geteuid() != 0) {
		write_file("p.json", text, 0000, path, sizeof(path));
		assert_int_equal(profile_load_with(&p, path, &no_owner, err, sizeof(err)),
				 -EACCES);
		assert_non_null(strstr(err, "cannot open"));
	}
}

static void test_not_a_profile_file(void **state)
{
	char path[PATH_MAX], err[512], *big;
	struct profile p;

	(void)state;
	snprintf(path, sizeof(path), "%s/dir.json", testlib_tmpdir());
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(profile_load_with(&p, path, &no_owner, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
	big = malloc(PROFILE_FILE_MAX + 2);
	assert_non_null(big);
	memset(big, ' ', PROFILE_FILE_MAX + 1);
	big[PROFILE_FILE_MAX + 1] = '\0';
	write_file("big.json", big, 0644, path, sizeof(path));
	free(big);
	assert_int_equal(profile_load_with(&p, path, &no_owner, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "limit"));
	assert_int_equal(profile_parse(&p, "mem", "{\"schema\": 1}\0x", 15, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "mem: contains a NUL byte: not a text file");
}

static void test_check_files(void **state)
{
	struct profile_load_opts me = { true, getuid() };
	char text[1024], ca[160], key[160], err[1024];
	struct profile p;

	(void)state;
	write_file("ca.pem", "x", 0644, ca, sizeof(ca));
	write_file("c.key", "x", 0600, key, sizeof(key));
	snprintf(text, sizeof(text), "{\"schema\": 1, \"method\": \"psk\", \"server\": {\"url\": "
		 "\"https://a.example\", \"ca_file\": \"%s\", \"client_cert\": \"%s\", "
		 "\"client_key\": \"%s\"}}", ca, ca, key);
	load_ok(&p, text);
	assert_int_equal(profile_check_files(&p, &me, err, sizeof(err)), 0);
	assert_int_equal(chmod(key, 0640), 0);
	assert_int_equal(profile_check_files(&p, &me, err, sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "field \"server.client_key\""));
	assert_non_null(strstr(err, "a secret readable by group or others"));
	assert_int_equal(profile_check_files(&p, &no_owner, err, sizeof(err)), 0);
	assert_int_equal(chmod(ca, 0666), 0);
	assert_int_equal(profile_check_files(&p, &me, err, sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "field \"server.ca_file\""));
	assert_int_equal(unlink(ca), 0);
	assert_int_equal(profile_check_files(&p, &no_owner, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "t.json: field \"server.ca_file\""));
	profile_free(&p);
}

static void test_dns_name(void **state)
{
	static const char *const good[] = { "a", "corp.example.com", "x-1.y2", "EXAMPLE" };
	static const char *const bad[] = { "", ".", "a..b", "a.", ".a", "-a", "a-", "a_b",
					   "a b", "ex\xc3\xa4mple.com" };
	char why[160], long_label[80], long_name[260];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(profile_check_dns_name(good[i], 223, why, sizeof(why)), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(profile_check_dns_name(bad[i], 223, why, sizeof(why)), -EINVAL);
	memset(long_label, 'a', 63);
	long_label[63] = '\0';
	assert_int_equal(profile_check_dns_name(long_label, 223, why, sizeof(why)), 0);
	long_label[63] = 'a';
	long_label[64] = '\0';
	assert_int_equal(profile_check_dns_name(long_label, 223, why, sizeof(why)), -EINVAL);
	for (i = 0; i < 223; i++)
		long_name[i] = (i % 2) ? '.' : 'a';
	long_name[222] = 'a';
	long_name[223] = '\0';
	assert_int_equal(profile_check_dns_name(long_name, 223, why, sizeof(why)), 0);
	assert_int_equal(profile_check_dns_name(long_name, 222, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "at most 222"));
}

static void test_enum_names(void **state)
{
	(void)state;
	assert_string_equal(profile_method_name(PROFILE_METHOD_REMOTE_CONFIGURATION),
			    "remote_configuration");
	assert_string_equal(profile_method_name(PROFILE_METHOD_REPORT_ONLY), "report_only");
	assert_string_equal(profile_otp_policy_name(PROFILE_OTP_FILE), "file");
	assert_string_equal(profile_otp_policy_name(PROFILE_OTP_SERVER), "server");
	assert_string_equal(profile_hello_name(PROFILE_HELLO_WHEN_NOT_OPEN), "when_not_open");
	assert_string_equal(profile_zero_touch_name(PROFILE_ZERO_TOUCH_DISABLE), "disable");
	assert_string_equal(profile_name_source_name(PROFILE_NAME_HOSTNAME_SHORT),
			    "hostname_short");
	assert_string_equal(profile_log_level_name(MSG_DEBUG), "debug");
	assert_string_equal(profile_method_name((enum profile_method)7), "?");
}

static void test_name_from_file(void **state)
{
	char path[PATH_MAX], err[512];
	struct profile p;

	(void)state;
	write_file("Bad Name.json", "{\"schema\": 1, \"method\": \"psk\"}", 0644, path,
		   sizeof(path));
	assert_int_equal(profile_load_with(&p, path, &no_owner, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "field \"name\": is required"));
	write_file("Bad Name.json", "{\"schema\": 1, \"method\": \"psk\", \"name\": \"ok\"}",
		   0644, path, sizeof(path));
	assert_int_equal(profile_load_with(&p, path, &no_owner, err, sizeof(err)), 0);
	assert_string_equal(p.name, "ok");
	profile_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_field),
		cmocka_unit_test(test_field_variants),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_bad_corpus),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_lookup_by_name),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_not_a_profile_file),
		cmocka_unit_test(test_check_files),
		cmocka_unit_test(test_dns_name),
		cmocka_unit_test(test_enum_names),
		cmocka_unit_test(test_name_from_file),
	};

	return cmocka_run_group_tests(tests, testlib_tmpdir_setup, testlib_tmpdir_teardown);
}

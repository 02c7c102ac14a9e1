// SPDX-License-Identifier: MIT
/* Unit tests of the HECI transport: device strings, the sim backend, the Linux backend. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fw.h"
#include "heci.h"
#include "sim.h"
#include "testlib.h"
#include "testlib_fw.h"

#define TMO_MS 2000

/* doc/firmware.md TV2: GET_PROVISIONING_STATE request and the 20-byte reply's header. */
static const uint8_t tv2_req[12] = { 0x01, 0x01, 0x00, 0x00, 0x11, 0x00, 0x00, 0x04,
				     0x00, 0x00, 0x00, 0x00 };
static const uint8_t tv2_reply_hdr[16] = { 0x01, 0x01, 0x00, 0x00, 0x11, 0x00, 0x80, 0x04,
					   0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 };

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * The Linux backend has no MEI device here, so the test binary stands in for the driver
 * on FIFOs: the connect ioctl on a FIFO answers MTU 64 / protocol 3; everything else goes
 * to the kernel. A FIFO opened O_RDWR reads back what was written to it.
 */
#define FAKE_MTU 64
int ioctl(int fd, unsigned long req, ...);
int ioctl(int fd, unsigned long req, ...)
{
	struct stat st;
	va_list ap;
	uint8_t *arg;

	va_start(ap, req);
	arg = va_arg(ap, uint8_t *);
	va_end(ap);
	if (req == 0xC0104801UL && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
		memset(arg, 0, 16);
		arg[0] = FAKE_MTU;
		arg[4] = 3;
		return 0;
	}
	return (int)syscall(SYS_ioctl, fd, req, arg);
}

static void open_connect(struct heci **h, const char *dev, const uint8_t *guid,
			 struct heci_client *cl)
{
	assert_int_equal(heci_open(h, dev, NULL, 0), 0);
	assert_int_equal(heci_connect(*h, guid, 0, cl), 0);
}

static void check_tv2_reply(const uint8_t *reply, size_t got)
{
	assert_int_equal(got, 20);
	assert_memory_equal(reply, tv2_reply_hdr, sizeof(tv2_reply_hdr));
	assert_in_range(reply[16], 0, 2);
}

static void test_guids(void **state)
{
	static const uint8_t amthi_head[4] = { 0x28, 0x00, 0xf8, 0x12 };
	static const uint8_t wd_tail[4] = { 0x14, 0xcb, 0x32, 0xab };

	(void)state;
	assert_memory_equal(heci_guid_amthi, amthi_head, 4);
	assert_int_equal(heci_guid_mkhi[0], 0x15);
	assert_int_equal(heci_guid_mkhi[15], 0x0f);
	assert_memory_equal(heci_guid_wd + 12, wd_tail, 4);
}

static void test_device_from_env(void **state)
{
	(void)state;
	setenv("AMTACT_DEVICE", "sim", 1);
	assert_string_equal(heci_device_from_env(), "sim");
	setenv("AMTACT_DEVICE", "", 1);
	assert_null(heci_device_from_env());
	unsetenv("AMTACT_DEVICE");
	assert_null(heci_device_from_env());
}

static void test_sim_round_trip(void **state)
{
	struct heci *h;
	struct heci_client cl;
	uint8_t reply[64];
	size_t got = 0;

	(void)state;
	open_connect(&h, "sim", heci_guid_amthi, &cl);
	assert_int_equal(cl.max_msg_len, 5120);
	assert_string_equal(heci_device_name(h), "sim");
	assert_int_equal(heci_send(h, tv2_req, sizeof(tv2_req), TMO_MS), 0);
	assert_int_equal(heci_recv(h, reply, sizeof(reply), &got, TMO_MS), 0);
	check_tv2_reply(reply, got);
	/* Nothing more is queued: the next read times out. */
	assert_int_equal(heci_recv(h, reply, sizeof(reply), &got, 50), -ETIMEDOUT);
	assert_int_equal(got, 0);
	heci_close(h);
}

static void test_sim_partial_read(void **state)
{
	struct heci *h;
	uint8_t whole[64], part[64];
	size_t got = 0, got2 = 0;

	(void)state;
	open_connect(&h, "sim", heci_guid_amthi, NULL);
	assert_int_equal(heci_call(h, tv2_req, sizeof(tv2_req), whole, sizeof(whole), &got,
				   TMO_MS, 1, NULL), 0);
	check_tv2_reply(whole, got);
	assert_int_equal(heci_send(h, tv2_req, sizeof(tv2_req), TMO_MS), 0);
	assert_int_equal(heci_recv(h, part, 5, &got2, TMO_MS), 0);
	assert_int_equal(got2, 5);
	assert_int_equal(heci_recv(h, part + 5, sizeof(part) - 5, &got2, TMO_MS), 0);
	assert_int_equal(got2, 15);
	assert_memory_equal(part, whole, 20);
	heci_close(h);
}

static void test_sim_efbig(void **state)
{
	struct heci *h;
	struct heci_client cl;
	uint8_t *big;
	uint8_t reply[64];
	size_t got;

	(void)state;
	open_connect(&h, "sim", heci_guid_amthi, &cl);
	big = calloc(1, cl.max_msg_len + 1);
	assert_non_null(big);
	memcpy(big, tv2_req, sizeof(tv2_req));
	assert_int_equal(heci_send(h, big, cl.max_msg_len + 1, TMO_MS), -EFBIG);
	assert_non_null(strstr(heci_error(h), "5121"));
	/* Refused before the firmware saw it: nothing to read, and the handle still works. */
	assert_int_equal(heci_recv(h, reply, sizeof(reply), &got, 50), -ETIMEDOUT);
	assert_int_equal(heci_call(h, tv2_req, sizeof(tv2_req), reply, sizeof(reply), &got,
				   TMO_MS, 1, NULL), 0);
	check_tv2_reply(reply, got);
	free(big);
	heci_close(h);
}

static void test_sim_busy_retries(void **state)
{
	struct heci *h;
	char out[256];
	int64_t t0;

	(void)state;
	assert_int_equal(heci_open(&h, "sim", NULL, 0), 0);
	assert_non_null(sim_model(NULL));
	assert_int_equal(sim_control(NULL, "busy 2", out, sizeof(out)), 0);
	t0 = mono_ms();
	assert_int_equal(heci_connect(h, heci_guid_amthi, 2, NULL), 0);
	/* Two sleeps: 250 ms then 500 ms. */
	assert_true(mono_ms() - t0 >= 750);
	heci_close(h);

	assert_int_equal(heci_open(&h, "sim", NULL, 0), 0);
	assert_int_equal(sim_control(NULL, "busy 2", out, sizeof(out)), 0);
	t0 = mono_ms();
	assert_int_equal(heci_connect(h, heci_guid_amthi, 1, NULL), -EBUSY);
	assert_true(mono_ms() - t0 >= 250);
	assert_non_null(strstr(heci_error(h), "busy"));
	/* Both injected faults are used up: the next attempt connects at once. */
	assert_int_equal(heci_connect(h, heci_guid_amthi, 0, NULL), 0);
	heci_close(h);
}

static void test_sim_unknown_client(void **state)
{
	static const uint8_t nobody[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	struct heci *h;

	(void)state;
	assert_int_equal(heci_open(&h, "sim", NULL, 0), 0);
	assert_int_equal(heci_connect(h, nobody, 3, NULL), -ENOTTY);
	assert_true(heci_error(h)[0] != '\0');
	/* Like the kernel: a second connect on a connected handle is EBUSY. */
	assert_int_equal(heci_connect(h, heci_guid_mkhi, 0, NULL), 0);
	assert_int_equal(heci_connect(h, heci_guid_mkhi, 0, NULL), -EBUSY);
	heci_close(h);
}

static void test_sim_reset_recovery(void **state)
{
	struct heci *h, *other;
	char out[256];
	uint8_t reply[64];
	size_t got = 0;
	int reconnected = 0;

	(void)state;
	open_connect(&h, "sim", heci_guid_amthi, NULL);
	open_connect(&other, "sim", heci_guid_mkhi, NULL);
	assert_int_equal(sim_control(NULL, "reset-after 1 100", out, sizeof(out)), 0);
	assert_int_equal(heci_call(h, tv2_req, sizeof(tv2_req), reply, sizeof(reply), &got,
				   TMO_MS, 1, &reconnected), 0);
	assert_int_equal(reconnected, 1);
	check_tv2_reply(reply, got);
	/* The reset cut every connection of the shared model, not only this one. */
	assert_int_equal(heci_send(other, tv2_req, 4, TMO_MS), -ENODEV);
	assert_int_equal(heci_send(other, tv2_req, 4, TMO_MS), -ENODEV);
	/* ...and a plain call after recovery needs no reconnect. */
	assert_int_equal(heci_call(h, tv2_req, sizeof(tv2_req), reply, sizeof(reply), &got,
				   TMO_MS, 1, &reconnected), 0);
	assert_int_equal(reconnected, 0);
	heci_close(other);
	heci_close(h);
}

static void test_sim_non_idempotent_not_retried(void **state)
{
	struct heci *h;
	char out[256];
	uint8_t reply[64];
	size_t got = 1;
	int reconnected = 7;

	(void)state;
	open_connect(&h, "sim", heci_guid_amthi, NULL);
	assert_int_equal(sim_control(NULL, "reset-after 1 100", out, sizeof(out)), 0);
	assert_int_equal(heci_call(h, tv2_req, sizeof(tv2_req), reply, sizeof(reply), &got,
				   TMO_MS, 0, &reconnected), -ENODEV);
	assert_int_equal(reconnected, 0);
	assert_true(heci_error(h)[0] != '\0');
	/* Severed until reconnected; the device needs its recovery time first. */
	assert_int_equal(heci_send(h, tv2_req, sizeof(tv2_req), TMO_MS), -ENODEV);
	pause_ms(150);
	assert_int_equal(heci_connect(h, heci_guid_amthi, 0, NULL), 0);
	assert_int_equal(heci_call(h, tv2_req, sizeof(tv2_req), reply, sizeof(reply), &got,
				   TMO_MS, 0, &reconnected), 0);
	check_tv2_reply(reply, got);
	heci_close(h);
}

static void test_sim_no_reply_and_latency(void **state)
{
	struct heci *h;
	char out[256];
	uint8_t reply[64];
	size_t got;
	int64_t t0, dt;

	(void)state;
	open_connect(&h, "sim", heci_guid_amthi, NULL);
	assert_int_equal(sim_control(NULL, "noreply GET_PROVISIONING_STATE", out,
				     sizeof(out)), 0);
	t0 = mono_ms();
	assert_int_equal(heci_call(h, tv2_req, sizeof(tv2_req), reply, sizeof(reply), &got,
				   150, 1, NULL), -ETIMEDOUT);
	dt = mono_ms() - t0;
	assert_true(dt >= 150 && dt < 1500);
	assert_int_equal(sim_control(NULL, "clear", out, sizeof(out)), 0);
	assert_int_equal(sim_control(NULL, "latency 300", out, sizeof(out)), 0);
	assert_int_equal(heci_send(h, tv2_req, sizeof(tv2_req), TMO_MS), 0);
	/* Not there yet after 50 ms, but kept for the next read, which waits for it. */
	assert_int_equal(heci_recv(h, reply, sizeof(reply), &got, 50), -ETIMEDOUT);
	assert_int_equal(heci_recv(h, reply, sizeof(reply), &got, TMO_MS), 0);
	check_tv2_reply(reply, got);
	assert_true(mono_ms() - t0 >= 150 + 300);
	heci_close(h);
}

/* SET_DNS_SUFFIX (0x0400002F) with an AMT_ANSI_STRING payload (doc/firmware.md 4.5.7). */
static size_t set_suffix_req(uint8_t *req, const char *suffix)
{
	size_t n = strlen(suffix);

	memcpy(req, "\x01\x01\x00\x00\x2f\x00\x00\x04", 8);
	req[8] = (uint8_t)(2 + n);
	req[9] = req[10] = req[11] = 0;
	req[12] = (uint8_t)n;
	req[13] = 0;
	memcpy(req + 14, suffix, n);
	return 14 + n;
}

static void test_sim_state_file(void **state)
{
	char path[128], dev[160], dev2[160], dir[64], *text;
	uint8_t req[64], reply[64];
	struct heci *h, *h2;
	size_t got, len;

	(void)state;
	snprintf(path, sizeof(path), "%s/machine.json", testlib_tmpdir());
	snprintf(dev, sizeof(dev), "sim:%s", path);
	testlib_fw_write_default(path);
	text = testlib_read_file(path, NULL);
	assert_null(strstr(text, "persist.example.test"));
	free(text);
	open_connect(&h, dev, heci_guid_amthi, NULL);
	/* Another spelling of the same file shares the model. */
	snprintf(dev2, sizeof(dev2), "sim:%s/./machine.json", testlib_tmpdir());
	open_connect(&h2, dev2, heci_guid_wd, NULL);
	len = set_suffix_req(req, "persist.example.test");
	assert_int_equal(heci_call(h, req, len, reply, sizeof(reply), &got, TMO_MS, 0, NULL),
			 0);
	assert_int_equal(got, 16);
	assert_int_equal(reply[12], 0);
	/* Saved at once, before any handle is closed. */
	text = testlib_read_file(path, NULL);
	assert_non_null(strstr(text, "persist.example.test"));
	free(text);
	heci_close(h);
	assert_non_null(sim_model(path));
	heci_close(h2);
	assert_null(sim_model(path));

	/* A state file that disappears under the model: saving fails, loudly. */
	snprintf(path, sizeof(path), "%s/gone/machine.json", testlib_tmpdir());
	snprintf(dev, sizeof(dev), "sim:%s", path);
	snprintf(dir, sizeof(dir), "%s/gone", testlib_tmpdir());
	assert_int_equal(mkdir(dir, 0700), 0);
	testlib_fw_write_default(path);
	open_connect(&h, dev, heci_guid_amthi, NULL);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	len = set_suffix_req(req, "lost.example.test");
	assert_int_equal(heci_send(h, req, len, TMO_MS), -EIO);
	assert_true(heci_error(h)[0] != '\0');
	assert_int_equal(heci_recv(h, reply, sizeof(reply), &got, 50), -ETIMEDOUT);
	heci_close(h);
}

static void test_sim_bad_state(void **state)
{
	char err[512];
	char path[128], dev[160];
	struct heci *h = (struct heci *)&h;

	(void)state;
	snprintf(path, sizeof(path), "%s/broken.json", testlib_tmpdir());
	testlib_write_file(path, "{ \"generation\": ", 0644);
	snprintf(dev, sizeof(dev), "sim:%s", path);
	assert_int_equal(heci_open(&h, dev, err, sizeof(err)), -EINVAL);
	assert_null(h);
	assert_non_null(strstr(err, "broken.json"));
	assert_int_equal(heci_open(&h, "sim:/nonexistent/amtact/state.json", err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/amtact/state.json"));
	snprintf(dev, sizeof(dev), "sim:%s", testlib_tmpdir());
	assert_int_equal(heci_open(&h, dev, err, sizeof(err)), -EISDIR);
	assert_non_null(strstr(err, testlib_tmpdir()));
	assert_int_equal(heci_open(&h, "sim:", err, sizeof(err)), -EINVAL);
	assert_true(err[0] != '\0');
}

static void test_bad_device_paths(void **state)
{
	char err[512];
	struct heci *h = (struct heci *)&h;

	(void)state;
	assert_int_equal(heci_open(&h, "/nonexistent/amtact/mei0", err, sizeof(err)), -ENOENT);
	assert_null(h);
	assert_string_equal(err, "no MEI device: /nonexistent/amtact/mei0 does "
			    "not exist (is the mei_me driver loaded? is this an Intel vPro "
			    "machine?)");
	assert_int_equal(heci_open(&h, testlib_tmpdir(), err, sizeof(err)), -EISDIR);
	assert_non_null(strstr(err, testlib_tmpdir()));
	assert_int_equal(heci_open(&h, "", err, sizeof(err)), -ENOENT);

	/* /dev/null opens, but the connect ioctl is not there. */
	snprintf(err, sizeof(err), "earlier");
	assert_int_equal(heci_open(&h, "/dev/null", err, sizeof(err)), 0);
	assert_string_equal(err, "earlier");    /* a success leaves the caller's text alone */
	assert_int_equal(heci_connect(h, heci_guid_amthi, 2, NULL), -ENOTTY);
	assert_non_null(strstr(heci_error(h), "not a MEI device"));
	heci_close(h);
}

static void test_default_device(void **state)
{
	char err[512];
	struct heci *h;

	(void)state;
	if (access("/dev/mei0", F_OK) == 0 || access("/dev/mei", F_OK) == 0)
		skip();
	assert_int_equal(heci_open(&h, NULL, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "no MEI device: /dev/mei0 does not exist "
			    "(is the mei_me driver loaded? is this an Intel vPro machine?)");
}

static void test_needs_root(void **state)
{
	char err[512];
	char path[128];
	struct heci *h;

	(void)state;
	if (geteuid() == 0)
		skip();         /* root opens a mode-000 file anyway */
	snprintf(path, sizeof(path), "%s/locked", testlib_tmpdir());
	testlib_write_file(path, "", 0644);
	assert_int_equal(chmod(path, 0), 0);
	assert_int_equal(heci_open(&h, path, err, sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "needs root"));
}

static void test_linux_fifo(void **state)
{
	static const uint8_t msg[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	char path[128];
	uint8_t big[FAKE_MTU + 1] = { 0 }, back[32];
	struct heci_client cl;
	struct heci *h;
	size_t got;
	int64_t t0;

	(void)state;
	snprintf(path, sizeof(path), "%s/fifo", testlib_tmpdir());
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(heci_open(&h, path, NULL, 0), 0);
	assert_int_equal(heci_send(h, msg, sizeof(msg), TMO_MS), -ENODEV);  /* not connected */
	assert_int_equal(heci_connect(h, heci_guid_amthi, 0, &cl), 0);
	assert_int_equal(cl.max_msg_len, FAKE_MTU);
	assert_int_equal(cl.protocol_version, 3);
	assert_int_equal(heci_send(h, big, sizeof(big), TMO_MS), -EFBIG);
	t0 = mono_ms();
	assert_int_equal(heci_recv(h, back, sizeof(back), &got, 100), -ETIMEDOUT);
	assert_true(mono_ms() - t0 >= 100);
	assert_int_equal(heci_send(h, msg, sizeof(msg), TMO_MS), 0);
	assert_int_equal(heci_recv(h, back, sizeof(back), &got, TMO_MS), 0);
	assert_int_equal(got, sizeof(msg));
	assert_memory_equal(back, msg, sizeof(msg));
	heci_close(h);
	unlink(path);
}

static void test_device_is_sim(void **state)
{
	(void)state;
	assert_int_equal(heci_device_is_sim("sim"), 1);
	assert_int_equal(heci_device_is_sim("sim:/var/lib/state.json"), 1);
	assert_int_equal(heci_device_is_sim("sim:"), 1);   /* emulated, if unusable */
	assert_int_equal(heci_device_is_sim("simulator"), 0);
	assert_int_equal(heci_device_is_sim("si"), 0);
	assert_int_equal(heci_device_is_sim("/dev/sim"), 0);
	assert_int_equal(heci_device_is_sim(""), 0);
	assert_int_equal(heci_device_is_sim(NULL), 0);
}

static char logged[512];
static int log_calls;
static enum heci_log_level logged_level;

static void capture_log(enum heci_log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void capture_log(enum heci_log_level level, const char *fmt, va_list ap)
{
	log_calls++;
	logged_level = level;
	vsnprintf(logged, sizeof(logged), fmt, ap);
}

static void test_log_callback(void **state)
{
	struct heci *h;
	char out[256];

	(void)state;
	heci_set_log(capture_log);
	assert_int_equal(heci_open(&h, "sim", NULL, 0), 0);
	assert_int_equal(sim_control(NULL, "busy 1", out, sizeof(out)), 0);
	assert_int_equal(heci_connect(h, heci_guid_mkhi, 1, NULL), 0);
	assert_int_equal(log_calls, 1);
	assert_int_equal(logged_level, HECI_LOG_DEBUG);
	assert_string_equal(logged, "sim: MKHI client busy, retry 1 of 1 in 250 ms");
	heci_close(h);

	/* Without a callback the transport says nothing. */
	heci_set_log(NULL);
	assert_int_equal(heci_open(&h, "sim", NULL, 0), 0);
	assert_int_equal(sim_control(NULL, "busy 1", out, sizeof(out)), 0);
	assert_int_equal(heci_connect(h, heci_guid_mkhi, 1, NULL), 0);
	assert_int_equal(log_calls, 1);
	heci_close(h);
}

static void test_open_error_buffer(void **state)
{
	struct heci *h;
	char err[8];

	(void)state;
	/* The reason is cut to the caller's buffer, never past it. */
	memset(err, 'x', sizeof(err));
	assert_int_equal(heci_open(&h, "sim:", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "sim:: n");   /* of "sim:: no state file after ..." */
	/* No buffer at all is fine too. */
	assert_int_equal(heci_open(&h, "sim:", NULL, 0), -EINVAL);
	assert_null(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guids),
		cmocka_unit_test(test_device_from_env),
		cmocka_unit_test(test_sim_round_trip),
		cmocka_unit_test(test_sim_partial_read),
		cmocka_unit_test(test_sim_efbig),
		cmocka_unit_test(test_sim_busy_retries),
		cmocka_unit_test(test_sim_unknown_client),
		cmocka_unit_test(test_sim_reset_recovery),
		cmocka_unit_test(test_sim_non_idempotent_not_retried),
		cmocka_unit_test(test_sim_no_reply_and_latency),
		cmocka_unit_test(test_sim_state_file),
		cmocka_unit_test(test_sim_bad_state),
		cmocka_unit_test(test_bad_device_paths),
		cmocka_unit_test(test_default_device),
		cmocka_unit_test(test_needs_root),
		cmocka_unit_test(test_linux_fifo),
		cmocka_unit_test(test_device_is_sim),
		cmocka_unit_test(test_log_callback),
		cmocka_unit_test(test_open_error_buffer),
	};

	return cmocka_run_group_tests(tests, testlib_tmpdir_setup, testlib_tmpdir_teardown);
}

// SPDX-License-Identifier: MIT
/*
 * Unit tests of the Windows HECI backend (heci/windows.c) through the mocked Win32 layer
 * (tests/windows/mockwin.c): enumeration, open, connect, busy, client not found, reset,
 * short reads and writes, timeouts with cancellation. Built twice: on Linux against
 * tests/windows/fakewin/ (every `make check`, also under ASan/UBSan) and with mingw-w64
 * against the real Windows headers, run under wine (`make check-windows`).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mockwin.h"
#include "backend.h"

extern const struct heci_backend heci_backend_windows;
#define be heci_backend_windows

/* The driver's IOCTL encoding, CTL_CODE(DeviceType, Function, Method, Access). */
#define CTL(dev, fn, method, access) (((dev) << 16) | ((access) << 14) | ((fn) << 2) | (method))
#define FILE_DEVICE_HECI 0x8000u
#define HECI_FN_CONNECT 0x801u
#define ACCESS_READ_WRITE 3u    /* FILE_READ_ACCESS | FILE_WRITE_ACCESS */

/* GUID_DEVINTERFACE_HECI {E2D1FF34-3458-49A9-88DA-8E6915CE9BE5} (Intel's public.h). */
static const GUID heci_interface = {
	0xE2D1FF34, 0x3458, 0x49A9, { 0x88, 0xDA, 0x8E, 0x69, 0x15, 0xCE, 0x9B, 0xE5 }
};

/* Client GUIDs in the byte order the driver takes (the GUID struct): AMTHI, MKHI, WD. */
static const uint8_t guid_amthi[16] = { 0x28, 0x00, 0xf8, 0x12, 0xb7, 0xb4, 0x2d, 0x4b,
					0xac, 0xa8, 0x46, 0xe0, 0xff, 0x65, 0x81, 0x4c };
static const uint8_t guid_mkhi[16] = { 0x15, 0x67, 0x6a, 0x8e, 0xbc, 0x9a, 0x43, 0x40,
				       0x88, 0xef, 0x9e, 0x39, 0xc6, 0xf6, 0x3e, 0x0f };
static const uint8_t guid_wd[16] = { 0x6f, 0x9a, 0xb7, 0x05, 0x28, 0x46, 0x7f, 0x4d,
				     0x89, 0x9d, 0xa9, 0x15, 0x14, 0xcb, 0x32, 0xab };

#define MTU 4096u

static const uint8_t request[12] = { 0x01, 0x01, 0x00, 0x00, 0x11, 0x00, 0x00, 0x04 };

/* The driver's FW_CLIENT answer: u32 MaxMessageLength, u8 ProtocolVersion, packed. */
static void connect_reply(struct fake_op *op, uint32_t mtu, uint8_t version)
{
	op->data[0] = (uint8_t)mtu;
	op->data[1] = (uint8_t)(mtu >> 8);
	op->data[2] = (uint8_t)(mtu >> 16);
	op->data[3] = (uint8_t)(mtu >> 24);
	op->data[4] = version;
	op->len = 5;
}

static struct fake_op *push_read(enum fake_done how, DWORD error, size_t len)
{
	struct fake_op *op = mockwin_push(OP_READ, how, error);
	size_t i;

	for (i = 0; i < len; i++)
		op->data[i] = (uint8_t)(0xA0 + i);
	op->len = len;
	return op;
}

static int setup(void **state)
{
	(void)state;
	mockwin_reset();
	return 0;
}

/* Opens the enumerated device and connects to AMTHI with the driver's answer scripted. */
static void *open_connected(uint32_t mtu)
{
	struct heci_client cl = { 0 };
	void *ctx = NULL;

	connect_reply(mockwin_push(OP_CONNECT, DONE_SYNC, 0), mtu, 1);
	assert_int_equal(be.open(&ctx, NULL, NULL, 0), 0);
	assert_int_equal(be.connect(ctx, guid_amthi, &cl), 0);
	assert_int_equal(cl.max_msg_len, mtu);
	return ctx;
}

/* Everything the backend opened is closed, nothing is in flight, every op was used. */
static void close_all(void *ctx)
{
	be.close(ctx);
	assert_true(mockwin_done());
	assert_int_equal(mw.devs_open, 0);
	assert_int_equal(mw.events_open, 0);
	assert_int_equal(mw.sets_open, 0);
}

static void test_connect_enumerated(void **state)
{
	struct heci_client cl = { 0 };
	void *ctx = NULL;
	char err[256] = "";

	(void)state;
	connect_reply(mockwin_push(OP_CONNECT, DONE_SYNC, 0), MTU, 1);
	assert_int_equal(be.open(&ctx, NULL, err, sizeof(err)), 0);
	assert_memory_equal(&mw.class_guid, &heci_interface, sizeof(GUID));
	assert_int_equal(mw.classdevs_flags, DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);
	assert_int_equal(mw.sets_open, 0);
	assert_string_equal(mw.open_path, mw.path);
	assert_int_equal(mw.open_access, GENERIC_READ | GENERIC_WRITE);
	assert_int_equal(mw.open_share, FILE_SHARE_READ | FILE_SHARE_WRITE);
	assert_int_equal(mw.open_disposition, OPEN_EXISTING);
	assert_int_equal(mw.open_flags & FILE_FLAG_OVERLAPPED, FILE_FLAG_OVERLAPPED);

	assert_int_equal(be.connect(ctx, guid_amthi, &cl), 0);
	assert_int_equal(mw.ioctl_code, CTL(FILE_DEVICE_HECI, HECI_FN_CONNECT, 0, ACCESS_READ_WRITE));
	assert_int_equal(mw.ioctl_code, 0x8000E004u);
	assert_memory_equal(mw.ioctl_guid, guid_amthi, 16);
	assert_true(mw.ioctl_out_len >= 5);
	assert_int_equal(cl.max_msg_len, MTU);
	assert_int_equal(cl.protocol_version, 1);
	close_all(ctx);
}

/* The usual case on real hardware: the IOCTL pends and completes on the event. */
static void test_connect_pending(void **state)
{
	struct heci_client cl = { 0 };
	void *ctx = NULL;

	(void)state;
	connect_reply(mockwin_push(OP_CONNECT, DONE_PENDING, 0), 512, 2);
	assert_int_equal(be.open(&ctx, NULL, NULL, 0), 0);
	assert_int_equal(be.connect(ctx, guid_mkhi, &cl), 0);
	assert_memory_equal(mw.ioctl_guid, guid_mkhi, 16);
	assert_int_equal(cl.max_msg_len, 512);
	assert_int_equal(cl.protocol_version, 2);
	assert_true(mw.last_wait_ms != INFINITE);
	assert_int_equal(mw.cancels, 0);
	close_all(ctx);
}

static void test_explicit_path_skips_enumeration(void **state)
{
	void *ctx = NULL;

	(void)state;
	mw.present = 0;
	assert_int_equal(be.open(&ctx, "\\\\.\\HECI", NULL, 0), 0);
	assert_string_equal(mw.open_path, "\\\\.\\HECI");
	assert_int_equal(mw.classdevs_flags, 0);
	close_all(ctx);
}

static void test_no_device(void **state)
{
	void *ctx = (void *)1;
	char err[256] = "";

	(void)state;
	mw.present = 0;
	assert_int_equal(be.open(&ctx, NULL, err, sizeof(err)), -ENOENT);
	assert_null(ctx);
	assert_non_null(strstr(err, "no HECI device"));
	assert_int_equal(mw.sets_open, 0);
	assert_int_equal(mw.devs_open, 0);
	assert_int_equal(mw.events_open, 0);
}

static void test_no_device_class(void **state)
{
	void *ctx = NULL;
	char err[256] = "";

	(void)state;
	mw.classdevs_error = ERROR_NOT_FOUND;
	assert_int_equal(be.open(&ctx, NULL, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no HECI device"));
	assert_int_equal(mw.events_open, 0);
}

static void test_open_denied(void **state)
{
	void *ctx = NULL;
	char err[256] = "";

	(void)state;
	mw.open_error = ERROR_ACCESS_DENIED;
	assert_int_equal(be.open(&ctx, NULL, err, sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "access denied"));
	assert_int_equal(mw.events_open, 0);
	mw.open_error = ERROR_FILE_NOT_FOUND;
	assert_int_equal(be.open(&ctx, "\\\\.\\NoSuch", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "NoSuch"));
}

/* metee: CONNECT to a client the firmware lacks fails with ERROR_INVALID_HANDLE. */
static void test_client_not_found(void **state)
{
	struct heci_client cl = { 0 };
	void *ctx = NULL;

	(void)state;
	mockwin_push(OP_CONNECT, DONE_SYNC, ERROR_INVALID_HANDLE);
	mockwin_push(OP_CONNECT, DONE_PENDING, ERROR_INVALID_HANDLE);
	mockwin_push(OP_CONNECT, DONE_PENDING, ERROR_NOT_FOUND);
	assert_int_equal(be.open(&ctx, NULL, NULL, 0), 0);
	assert_int_equal(be.connect(ctx, guid_wd, &cl), -ENOTTY);
	assert_int_equal(be.connect(ctx, guid_wd, &cl), -ENOTTY);
	assert_int_equal(be.connect(ctx, guid_wd, &cl), -ENOTTY);
	close_all(ctx);
}

/* A held client reports a general failure; the same handle may try again. */
static void test_busy_then_free(void **state)
{
	struct heci_client cl = { 0 };
	void *ctx = NULL;

	(void)state;
	mockwin_push(OP_CONNECT, DONE_SYNC, ERROR_GEN_FAILURE);
	mockwin_push(OP_CONNECT, DONE_PENDING, ERROR_GEN_FAILURE);
	connect_reply(mockwin_push(OP_CONNECT, DONE_PENDING, 0), MTU, 1);
	assert_int_equal(be.open(&ctx, NULL, NULL, 0), 0);
	assert_int_equal(be.connect(ctx, guid_amthi, &cl), -EBUSY);
	assert_int_equal(be.connect(ctx, guid_amthi, &cl), -EBUSY);
	assert_int_equal(be.connect(ctx, guid_amthi, &cl), 0);
	assert_int_equal(cl.max_msg_len, MTU);
	close_all(ctx);
}

static void test_connect_short_answer(void **state)
{
	struct fake_op *op;
	struct heci_client cl = { 0 };
	void *ctx = NULL;

	(void)state;
	op = mockwin_push(OP_CONNECT, DONE_SYNC, 0);
	connect_reply(op, MTU, 1);
	op->len = 4;
	assert_int_equal(be.open(&ctx, NULL, NULL, 0), 0);
	assert_int_equal(be.connect(ctx, guid_amthi, &cl), -EIO);
	assert_non_null(strstr(be.last_error(ctx), "4 bytes"));
	assert_int_equal(be.send(ctx, request, sizeof(request), 1000), -ENODEV);
	close_all(ctx);
}

static void test_connect_timeout(void **state)
{
	struct heci_client cl = { 0 };
	void *ctx = NULL;

	(void)state;
	mockwin_push(OP_CONNECT, DONE_NEVER, 0);
	assert_int_equal(be.open(&ctx, NULL, NULL, 0), 0);
	assert_int_equal(be.connect(ctx, guid_amthi, &cl), -ETIMEDOUT);
	assert_int_equal(mw.cancels, 1);
	close_all(ctx);
}

static void test_send_recv(void **state)
{
	uint8_t buf[64];
	size_t got = 0;
	void *ctx;

	(void)state;
	ctx = open_connected(MTU);
	mockwin_push(OP_WRITE, DONE_PENDING, 0);
	push_read(DONE_PENDING, 0, 20);
	assert_int_equal(be.send(ctx, request, sizeof(request), 2000), 0);
	assert_int_equal(mw.written_len, sizeof(request));
	assert_memory_equal(mw.written, request, sizeof(request));
	assert_int_equal(mw.last_wait_ms, 2000);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 3000), 0);
	assert_int_equal(got, 20);
	assert_int_equal(buf[0], 0xA0);
	assert_int_equal(buf[19], 0xA0 + 19);
	assert_int_equal(mw.last_wait_ms, 3000);
	/* The driver fails a read into a buffer smaller than the message: offer the MTU. */
	assert_int_equal(mw.read_len, MTU);
	close_all(ctx);
}

/* A message longer than the caller's buffer comes out in pieces, like Linux's read(). */
static void test_short_reads(void **state)
{
	uint8_t buf[12];
	size_t got = 0;
	void *ctx;

	(void)state;
	ctx = open_connected(MTU);
	push_read(DONE_SYNC, 0, 20);
	push_read(DONE_SYNC, 0, 0);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 1000), 0);
	assert_int_equal(got, 12);
	assert_int_equal(buf[11], 0xA0 + 11);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 1000), 0);
	assert_int_equal(got, 8);
	assert_int_equal(buf[0], 0xA0 + 12);
	assert_int_equal(buf[7], 0xA0 + 19);
	assert_int_equal(mw.reads, 1);
	/* An empty message (firmware with AMT disabled answers so) is a message. */
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 1000), 0);
	assert_int_equal(got, 0);
	assert_int_equal(mw.reads, 2);
	close_all(ctx);
}

static void test_short_write(void **state)
{
	void *ctx;

	(void)state;
	ctx = open_connected(MTU);
	mockwin_push(OP_WRITE, DONE_PENDING, 0)->len = 5;
	assert_int_equal(be.send(ctx, request, sizeof(request), 1000), -EIO);
	assert_non_null(strstr(be.last_error(ctx), "short write"));
	close_all(ctx);
}

static void test_send_too_long(void **state)
{
	uint8_t big[17] = { 0 };
	void *ctx;

	(void)state;
	ctx = open_connected(16);
	assert_int_equal(be.send(ctx, big, sizeof(big), 1000), -EFBIG);
	assert_int_equal(mw.writes, 0);
	mockwin_push(OP_WRITE, DONE_SYNC, 0);
	assert_int_equal(be.send(ctx, big, 16, 1000), 0);
	assert_int_equal(mw.writes, 1);
	close_all(ctx);
}

static void test_not_connected(void **state)
{
	uint8_t buf[16];
	size_t got = 1;
	void *ctx = NULL;

	(void)state;
	assert_int_equal(be.open(&ctx, NULL, NULL, 0), 0);
	assert_int_equal(be.send(ctx, request, sizeof(request), 1000), -ENODEV);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 1000), -ENODEV);
	assert_int_equal(got, 0);
	assert_int_equal(mw.writes + mw.reads, 0);
	close_all(ctx);
}

/* A firmware reset or a removed device: the driver fails the I/O in flight. */
static void test_reset(void **state)
{
	uint8_t buf[64];
	size_t got = 0;
	void *ctx;

	(void)state;
	ctx = open_connected(MTU);
	push_read(DONE_PENDING, ERROR_DEVICE_NOT_CONNECTED, 0);
	mockwin_push(OP_WRITE, DONE_SYNC, ERROR_DEVICE_NOT_CONNECTED);
	push_read(DONE_SYNC, ERROR_NOT_READY, 0);
	mockwin_push(OP_WRITE, DONE_PENDING, ERROR_BAD_COMMAND);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 1000), -ENODEV);
	assert_int_equal(be.send(ctx, request, sizeof(request), 1000), -ENODEV);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 1000), -ENODEV);
	assert_int_equal(be.send(ctx, request, sizeof(request), 1000), -ENODEV);
	close_all(ctx);
}

/* No reply: the read is cancelled and reaped before returning, and the handle still works. */
static void test_read_timeout(void **state)
{
	uint8_t buf[64];
	size_t got = 1;
	void *ctx;

	(void)state;
	ctx = open_connected(MTU);
	push_read(DONE_NEVER, 0, 0);
	push_read(DONE_PENDING, 0, 16);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 250), -ETIMEDOUT);
	assert_int_equal(got, 0);
	assert_int_equal(mw.cancels, 1);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 250), 0);
	assert_int_equal(got, 16);
	assert_int_equal(buf[15], 0xA0 + 15);
	close_all(ctx);
}

static void test_write_timeout(void **state)
{
	void *ctx;

	(void)state;
	ctx = open_connected(MTU);
	mockwin_push(OP_WRITE, DONE_NEVER, 0);
	assert_int_equal(be.send(ctx, request, sizeof(request), 100), -ETIMEDOUT);
	assert_int_equal(mw.cancels, 1);
	close_all(ctx);
}

/* The reply lands just as the wait gives up: it is the answer, not a timeout. */
static void test_read_completes_at_cancel(void **state)
{
	uint8_t buf[64];
	size_t got = 0;
	void *ctx;

	(void)state;
	ctx = open_connected(MTU);
	push_read(DONE_RACE, 0, 24);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 250), 0);
	assert_int_equal(got, 24);
	assert_int_equal(buf[23], 0xA0 + 23);
	close_all(ctx);
}

/*
 * The driver ignores the cancel: nothing more goes to that handle (-ENODEV: the caller
 * reopens, as after a reset), and what the driver may still fill - the OVERLAPPED, the
 * buffers - is neither on the stack nor freed before closing the handle finished it.
 */
static void test_cancel_ignored_read(void **state)
{
	char mark;
	uint8_t buf[64];
	size_t got = 0;
	void *ctx;

	(void)state;
	ctx = open_connected(MTU);
	mw.stack_mark = (uintptr_t)&mark;
	push_read(DONE_STUCK, 0, 0);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 250), -ETIMEDOUT);
	assert_int_equal(mw.cancels, 1);
	assert_int_equal(be.send(ctx, request, sizeof(request), 1000), -ENODEV);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, 1000), -ENODEV);
	assert_non_null(strstr(be.last_error(ctx), "reopened"));
	assert_int_equal(mw.reads + mw.writes, 1);
	close_all(ctx);
}

static void test_cancel_ignored_connect(void **state)
{
	char mark;
	struct heci_client cl = { 0 };
	void *ctx = NULL;

	(void)state;
	mw.stack_mark = (uintptr_t)&mark;
	mockwin_push(OP_CONNECT, DONE_STUCK, 0);
	assert_int_equal(be.open(&ctx, NULL, NULL, 0), 0);
	assert_int_equal(be.connect(ctx, guid_amthi, &cl), -ETIMEDOUT);
	assert_int_equal(be.connect(ctx, guid_amthi, &cl), -ENODEV);
	assert_int_equal(mw.ioctls, 1);
	close_all(ctx);
}

/* A write the driver holds on to must not read the caller's buffer after the return. */
static void test_cancel_ignored_write(void **state)
{
	char mark;
	uint8_t msg[sizeof(request)];
	void *ctx;

	(void)state;
	ctx = open_connected(MTU);
	mw.stack_mark = (uintptr_t)&mark;
	memcpy(msg, request, sizeof(msg));
	mockwin_push(OP_WRITE, DONE_STUCK, 0);
	assert_int_equal(be.send(ctx, msg, sizeof(msg), 100), -ETIMEDOUT);
	assert_ptr_not_equal(mw.write_src, msg);
	assert_memory_equal(mw.written, request, sizeof(request));
	assert_int_equal(be.send(ctx, msg, sizeof(msg), 100), -ENODEV);
	assert_int_equal(mw.writes, 1);
	close_all(ctx);
}

static void test_read_forever(void **state)
{
	uint8_t buf[64];
	size_t got = 0;
	void *ctx;

	(void)state;
	ctx = open_connected(MTU);
	push_read(DONE_PENDING, 0, 4);
	assert_int_equal(be.recv(ctx, buf, sizeof(buf), &got, -1), 0);
	assert_int_equal(mw.last_wait_ms, INFINITE);
	assert_int_equal(got, 4);
	close_all(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_connect_enumerated, setup),
		cmocka_unit_test_setup(test_connect_pending, setup),
		cmocka_unit_test_setup(test_explicit_path_skips_enumeration, setup),
		cmocka_unit_test_setup(test_no_device, setup),
		cmocka_unit_test_setup(test_no_device_class, setup),
		cmocka_unit_test_setup(test_open_denied, setup),
		cmocka_unit_test_setup(test_client_not_found, setup),
		cmocka_unit_test_setup(test_busy_then_free, setup),
		cmocka_unit_test_setup(test_connect_short_answer, setup),
		cmocka_unit_test_setup(test_connect_timeout, setup),
		cmocka_unit_test_setup(test_send_recv, setup),
		cmocka_unit_test_setup(test_short_reads, setup),
		cmocka_unit_test_setup(test_short_write, setup),
		cmocka_unit_test_setup(test_send_too_long, setup),
		cmocka_unit_test_setup(test_not_connected, setup),
		cmocka_unit_test_setup(test_reset, setup),
		cmocka_unit_test_setup(test_read_timeout, setup),
		cmocka_unit_test_setup(test_write_timeout, setup),
		cmocka_unit_test_setup(test_read_completes_at_cancel, setup),
		cmocka_unit_test_setup(test_cancel_ignored_read, setup),
		cmocka_unit_test_setup(test_cancel_ignored_connect, setup),
		cmocka_unit_test_setup(test_cancel_ignored_write, setup),
		cmocka_unit_test_setup(test_read_forever, setup),
	};

	return cmocka_run_group_tests_name("heci_windows", tests, NULL, NULL);
}

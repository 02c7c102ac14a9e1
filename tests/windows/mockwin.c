// SPDX-License-Identifier: MIT
/*
 * A scripted fake of the Intel MEI driver behind the Win32 calls heci/windows.c makes:
 * SetupAPI enumeration, CreateFile, and overlapped DeviceIoControl / WriteFile / ReadFile
 * completed through one event, WaitForSingleObject, CancelIoEx and GetOverlappedResult.
 * Time is simulated: an operation that never completes makes a bounded wait time out at
 * once. Misuse of the API (no event, event not reset, two operations in flight, a wait
 * that could block forever) fails the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mockwin.h"

/* The fake handles: distinct addresses, never dereferenced by the backend. */
static char set_obj, dev_obj, event_obj;
static int event_signaled;

struct mockwin mw;

static struct fake_op *cur;          /* the operation in flight */
static OVERLAPPED *cur_ov;
static DWORD cur_result;            /* its final error (0: success) */
static DWORD cur_len;               /* and byte count */

void mockwin_reset(void)
{
	memset(&mw, 0, sizeof(mw));
	event_signaled = 0;
	cur = NULL;
	cur_ov = NULL;
	mw.present = 1;
	snprintf(mw.path, sizeof(mw.path), "%s", "\\\\?\\pci#ven_8086&dev_a3ba#3&11583659&0&b0");
}

struct fake_op *mockwin_push(enum fake_kind kind, enum fake_done how, DWORD error)
{
	struct fake_op *op;

	assert_true(mw.nops < MOCKWIN_MAX_OPS);
	op = &mw.ops[mw.nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->how = how;
	op->error = error;
	return op;
}

int mockwin_done(void)
{
	return cur == NULL && mw.next_op == mw.nops;
}

static void complete(DWORD error, DWORD len);

static BOOL fail_with(DWORD e)
{
	mw.last_error = e;
	return FALSE;
}

HDEVINFO mock_SetupDiGetClassDevsA(const GUID *cls, LPCSTR enumerator, void *parent,
				   DWORD flags)
{
	(void)enumerator;
	(void)parent;
	mw.classdevs_flags = flags;
	memcpy(&mw.class_guid, cls, sizeof(mw.class_guid));
	if (mw.classdevs_error) {
		mw.last_error = mw.classdevs_error;
		return INVALID_HANDLE_VALUE;
	}
	mw.sets_open++;
	return &set_obj;
}

BOOL mock_SetupDiEnumDeviceInterfaces(HDEVINFO set, void *devinfo, const GUID *cls,
				      DWORD index, SP_DEVICE_INTERFACE_DATA *ifd)
{
	(void)devinfo;
	assert_ptr_equal(set, &set_obj);
	assert_int_equal(ifd->cbSize, sizeof(*ifd));
	assert_memory_equal(cls, &mw.class_guid, sizeof(*cls));
	if (!mw.present || index > 0)
		return fail_with(ERROR_NO_MORE_ITEMS);
	return TRUE;
}

/* Two calls, as documented: the size query fails with ERROR_INSUFFICIENT_BUFFER. */
BOOL mock_SetupDiGetDeviceInterfaceDetailA(HDEVINFO set, SP_DEVICE_INTERFACE_DATA *ifd,
					   SP_DEVICE_INTERFACE_DETAIL_DATA_A *detail,
					   DWORD size, DWORD *need, void *devinfo)
{
	DWORD want = (DWORD)(offsetof(SP_DEVICE_INTERFACE_DETAIL_DATA_A, DevicePath) +
			     strlen(mw.path) + 1);

	(void)devinfo;
	(void)ifd;
	assert_ptr_equal(set, &set_obj);
	if (need)
		*need = want;
	if (!detail || size < want)
		return fail_with(ERROR_INSUFFICIENT_BUFFER);
	/* The classic mistake is cbSize = the allocation size; Windows wants the sizeof. */
	if (detail->cbSize != sizeof(*detail))
		return fail_with(ERROR_INVALID_USER_BUFFER);
	memcpy(detail->DevicePath, mw.path, strlen(mw.path) + 1);
	return TRUE;
}

BOOL mock_SetupDiDestroyDeviceInfoList(HDEVINFO set)
{
	assert_ptr_equal(set, &set_obj);
	mw.sets_open--;
	return TRUE;
}

HANDLE mock_CreateFileA(LPCSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
			DWORD disposition, DWORD flags, HANDLE tmpl)
{
	(void)sa;
	(void)tmpl;
	snprintf(mw.open_path, sizeof(mw.open_path), "%s", path);
	mw.open_access = access;
	mw.open_share = share;
	mw.open_disposition = disposition;
	mw.open_flags = flags;
	if (mw.open_error) {
		mw.last_error = mw.open_error;
		return INVALID_HANDLE_VALUE;
	}
	mw.devs_open++;
	return &dev_obj;
}

BOOL mock_CloseHandle(HANDLE h)
{
	if (h == &dev_obj) {
		assert_true(mw.devs_open > 0);
		mw.devs_open--;
		/* The driver's cleanup finishes what it would not cancel; nobody reaps it. */
		if (cur && !cur->completed) {
			complete(ERROR_OPERATION_ABORTED, 0);
			cur = NULL;
		}
		return TRUE;
	}
	assert_ptr_equal(h, &event_obj);
	assert_true(mw.events_open > 0);
	mw.events_open--;
	return TRUE;
}

HANDLE mock_CreateEventA(LPSECURITY_ATTRIBUTES sa, BOOL manual, BOOL initial, LPCSTR name)
{
	(void)sa;
	(void)name;
	/* The backend resets the event itself before each operation: it must be manual. */
	assert_true(manual);
	assert_int_equal(mw.events_open, 0);
	mw.events_open++;
	event_signaled = initial;
	return &event_obj;
}

BOOL mock_ResetEvent(HANDLE ev)
{
	assert_ptr_equal(ev, &event_obj);
	event_signaled = 0;
	return TRUE;
}

static void complete(DWORD error, DWORD len)
{
	if (!error && cur->out)
		memcpy(cur->out, cur->data, len);
	cur_result = error;
	cur_len = error ? 0 : len;
	cur->completed = 1;
	event_signaled = 1;
}

/* On the stack between this frame and the test's: the backend's, gone once it returns. */
static int on_backend_stack(const void *p)
{
	char here;
	uintptr_t a = (uintptr_t)p;

	return mw.stack_mark && a > (uintptr_t)&here && a < mw.stack_mark;
}

/*
 * Start the next scripted operation, which must be of `kind`. `out`/`cap`: where a
 * connect reply or a read lands; a read into a buffer smaller than the message fails,
 * as the driver's does. `src`: what a write sends.
 */
static BOOL start(enum fake_kind kind, HANDLE dev, LPOVERLAPPED ov, void *out, DWORD cap,
		  const void *src)
{
	struct fake_op *op;

	assert_ptr_equal(dev, &dev_obj);
	assert_non_null(ov);
	assert_ptr_equal(ov->hEvent, &event_obj);
	assert_false(event_signaled);           /* reset before the operation */
	assert_null(cur);                       /* one operation at a time */
	assert_true(mw.next_op < mw.nops);      /* the test scripted it */
	op = &mw.ops[mw.next_op++];
	assert_int_equal(op->kind, kind);
	if (op->how == DONE_STUCK) {
		/* The driver may still use these after the backend has returned. */
		assert_false(on_backend_stack(ov));
		assert_false(on_backend_stack(out));
		assert_false(on_backend_stack(src));
	}
	op->out = out;
	if (kind == OP_WRITE)
		op->done_len = op->len && op->len < cap ? (DWORD)op->len : cap;
	else
		op->done_len = op->len < cap ? (DWORD)op->len : cap;
	if (kind == OP_READ && !op->error && op->len > cap)
		op->error = ERROR_INSUFFICIENT_BUFFER;
	if (op->how == DONE_SYNC && op->error)
		return fail_with(op->error);
	cur = op;
	cur_ov = ov;
	if (op->how == DONE_SYNC) {
		complete(0, op->done_len);
		return TRUE;
	}
	return fail_with(ERROR_IO_PENDING);
}

BOOL mock_DeviceIoControl(HANDLE dev, DWORD code, LPVOID in, DWORD in_len, LPVOID out,
			  DWORD out_len, DWORD *returned, LPOVERLAPPED ov)
{
	(void)returned;
	mw.ioctl_code = code;
	assert_int_equal(in_len, 16);
	memcpy(mw.ioctl_guid, in, 16);
	mw.ioctl_out_len = out_len;
	mw.ioctls++;
	return start(OP_CONNECT, dev, ov, out, out_len, NULL);
}

BOOL mock_WriteFile(HANDLE dev, const void *buf, DWORD len, DWORD *written, LPOVERLAPPED ov)
{
	(void)written;
	assert_true(len <= sizeof(mw.written));
	memcpy(mw.written, buf, len);
	mw.written_len = len;
	mw.writes++;
	mw.write_src = buf;
	return start(OP_WRITE, dev, ov, NULL, len, buf);
}

BOOL mock_ReadFile(HANDLE dev, LPVOID buf, DWORD len, DWORD *got, LPOVERLAPPED ov)
{
	(void)got;
	mw.read_len = len;
	mw.reads++;
	return start(OP_READ, dev, ov, buf, len, NULL);
}

DWORD mock_WaitForSingleObject(HANDLE h, DWORD timeout_ms)
{
	assert_ptr_equal(h, &event_obj);
	mw.waits++;
	mw.last_wait_ms = timeout_ms;
	if (event_signaled)
		return WAIT_OBJECT_0;
	assert_non_null(cur);
	if (cur->how == DONE_PENDING) {
		complete(cur->error, cur->done_len);
		return WAIT_OBJECT_0;
	}
	/* NEVER, RACE, STUCK: nothing arrives; an endless wait would hang the agent. */
	assert_int_not_equal(timeout_ms, INFINITE);
	return WAIT_TIMEOUT;
}

BOOL mock_CancelIoEx(HANDLE dev, LPOVERLAPPED ov)
{
	assert_ptr_equal(dev, &dev_obj);
	mw.cancels++;
	if (!cur || cur->completed)
		return fail_with(ERROR_NOT_FOUND);
	assert_true(ov == NULL || ov == cur_ov);
	if (cur->how == DONE_STUCK)
		return TRUE;            /* accepted, and ignored */
	if (cur->how == DONE_RACE) {
		complete(cur->error, cur->done_len);
		return fail_with(ERROR_NOT_FOUND);
	}
	complete(ERROR_OPERATION_ABORTED, 0);
	return TRUE;
}

BOOL mock_GetOverlappedResult(HANDLE dev, LPOVERLAPPED ov, DWORD *n, BOOL wait)
{
	assert_ptr_equal(dev, &dev_obj);
	assert_non_null(cur);
	assert_ptr_equal(ov, cur_ov);
	if (!cur->completed) {
		assert_false(wait);             /* would block for good */
		return fail_with(ERROR_IO_INCOMPLETE);
	}
	cur = NULL;
	*n = cur_len;
	if (cur_result)
		return fail_with(cur_result);
	return TRUE;
}

DWORD mock_GetLastError(void)
{
	return mw.last_error;
}

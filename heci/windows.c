// SPDX-License-Identifier: MIT
/* The Windows HECI backend: the Intel MEI driver's device interface, overlapped I/O. */
#ifdef _WIN32
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <setupapi.h>

#include "backend.h"
#include "buf.h"

/*
 * doc/firmware.md 2: GUID_DEVINTERFACE_HECI, and the driver's IOCTLs, all
 * CTL_CODE(0x8000, fn, METHOD_BUFFERED, FILE_READ_ACCESS | FILE_WRITE_ACCESS).
 * CONNECT takes the 16-byte client GUID and answers FW_CLIENT: u32 MaxMessageLength,
 * u8 ProtocolVersion (5 bytes packed; MeshAgent passes a 16-byte buffer, as we do).
 */
static const GUID heci_if_guid = {
	0xE2D1FF34, 0x3458, 0x49A9, { 0x88, 0xDA, 0x8E, 0x69, 0x15, 0xCE, 0x9B, 0xE5 }
};
#define WIN_IOCTL_CONNECT 0x8000E004UL
#define WIN_FW_CLIENT_LEN 5
#define WIN_CONNECT_TIMEOUT_MS 15000    /* the Linux kernel's MEI_CL_CONNECT_TIMEOUT */
#define WIN_CANCEL_TIMEOUT_MS 5000      /* metee's CANCEL_TIMEOUT */
#define WIN_ERR_LEN 256

/*
 * Everything the driver may still write to or read from after a call returned - the
 * OVERLAPPED, the connect answer, the message buffers - lives here, not on the stack:
 * an operation the driver will not cancel can complete any time until the handle is
 * closed.
 */
struct win_dev {
	HANDLE dev;
	HANDLE event;           /* manual-reset, one operation at a time */
	OVERLAPPED ov;
	int connected;
	int stuck;              /* an operation outlived its cancel: no more I/O here */
	uint32_t mtu;
	uint8_t answer[16];     /* CONNECT's FW_CLIENT */
	/* The driver fails a read into a too-small buffer, so whole messages are read here
	 * and handed out in pieces, as the Linux kernel does. */
	uint8_t *rbuf;
	size_t rlen;
	size_t roff;
	uint8_t *wbuf;
	char err[WIN_ERR_LEN];
};

/* Win32 error -> negative errno (metee's mapping, in our terms). */
static int map_error(DWORD e, int connecting)
{
	switch (e) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_NO_MORE_ITEMS:
		return -ENOENT;
	case ERROR_ACCESS_DENIED:
		return -EACCES;
	case ERROR_INVALID_HANDLE:      /* metee: CONNECT to a missing client */
	case ERROR_NOT_FOUND:
		return connecting ? -ENOTTY : -ENODEV;
	case ERROR_GEN_FAILURE:         /* LMS: how a busy client is reported */
		return connecting ? -EBUSY : -EIO;
	case ERROR_DEVICE_NOT_CONNECTED:
	case ERROR_NOT_READY:
	case ERROR_BAD_COMMAND:
		return -ENODEV;
	case ERROR_INSUFFICIENT_BUFFER:
		return -EMSGSIZE;
	default:
		return -EIO;
	}
}

/* The first present HECI device interface (SetupDi, as rpc-go and MeshAgent do). */
static int find_device(char **path, char *err, size_t errlen)
{
	SP_DEVICE_INTERFACE_DATA ifd = { .cbSize = sizeof(ifd) };
	SP_DEVICE_INTERFACE_DETAIL_DATA_A *detail = NULL;
	DWORD need = 0;
	HDEVINFO set;
	int ret = -ENOENT;

	*path = NULL;
	set = SetupDiGetClassDevsA(&heci_if_guid, NULL, NULL,
				   DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);
	if (set == INVALID_HANDLE_VALUE)
		goto none;
	if (!SetupDiEnumDeviceInterfaces(set, NULL, &heci_if_guid, 0, &ifd))
		goto none;
	SetupDiGetDeviceInterfaceDetailA(set, &ifd, NULL, 0, &need, NULL);
	ret = -ENOMEM;
	if (need < sizeof(*detail) || !(detail = calloc(1, need)))
		goto out;
	detail->cbSize = sizeof(*detail);
	ret = -EIO;
	if (!SetupDiGetDeviceInterfaceDetailA(set, &ifd, detail, need, NULL, NULL))
		goto out;
	*path = strdup(detail->DevicePath);
	ret = *path ? 0 : -ENOMEM;
	goto out;
none:
	snprintf(err, errlen, "no HECI device (is the Intel Management Engine Interface "
		 "driver installed? is this an Intel vPro machine?)");
out:
	if (ret && ret != -ENOENT)
		snprintf(err, errlen, "HECI device lookup failed (error %lu)",
			 (unsigned long)GetLastError());
	free(detail);
	if (set != INVALID_HANDLE_VALUE)
		SetupDiDestroyDeviceInfoList(set);
	return ret;
}

static int open_path(struct win_dev *d, const char *path, char *err, size_t errlen)
{
	int ret;

	d->dev = CreateFileA(path, GENERIC_READ | GENERIC_WRITE,
			     FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
			     FILE_FLAG_OVERLAPPED, NULL);
	if (d->dev != INVALID_HANDLE_VALUE)
		return 0;
	ret = map_error(GetLastError(), 0);
	if (ret == -ENOENT)
		snprintf(err, errlen, "no HECI device: %s does not exist", path);
	else if (ret == -EACCES)
		snprintf(err, errlen, "cannot open %s: access denied (needs Administrator)",
			 path);
	else
		snprintf(err, errlen, "cannot open %s (error %lu)", path,
			 (unsigned long)GetLastError());
	return ret;
}

static void win_close(void *ctx)
{
	struct win_dev *d = ctx;

	if (!d)
		return;
	if (d->dev && d->dev != INVALID_HANDLE_VALUE)
		CloseHandle(d->dev);
	/* Closing the handle makes the driver finish what it would not cancel; until it
	 * has, it owns our buffers, which are then left allocated rather than freed. */
	if (d->stuck && WaitForSingleObject(d->event, WIN_CANCEL_TIMEOUT_MS) != WAIT_OBJECT_0)
		return;
	if (d->event)
		CloseHandle(d->event);
	free(d->rbuf);
	free(d->wbuf);
	free(d);
}

static int win_open(void **ctx, const char *path, char *err, size_t errlen)
{
	struct win_dev *d;
	char *found = NULL;
	int ret = -ENOMEM;

	*ctx = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		goto out;
	d->dev = INVALID_HANDLE_VALUE;
	d->event = CreateEventA(NULL, TRUE, FALSE, NULL);
	ret = -EIO;
	if (!d->event)
		goto out;
	if (!path) {
		ret = find_device(&found, err, errlen);
		if (ret)
			goto out;
		path = found;
	}
	ret = open_path(d, path, err, errlen);
	if (ret)
		goto out;
	*ctx = d;
	d = NULL;
out:
	free(found);
	win_close(d);
	return ret;
}

/*
 * The wait timed out: cancel the I/O and wait for it, so the driver never writes into
 * the buffer after we return. It may have completed just before the cancel reached
 * the driver; then its result stands (a reply read is not thrown away).
 */
static int cancel_io(struct win_dev *d, OVERLAPPED *ov, DWORD *n, int connecting)
{
	DWORD e;

	CancelIoEx(d->dev, ov);
	if (WaitForSingleObject(ov->hEvent, WIN_CANCEL_TIMEOUT_MS) != WAIT_OBJECT_0) {
		d->stuck = 1;
		return -ETIMEDOUT;
	}
	if (GetOverlappedResult(d->dev, ov, n, FALSE))
		return 0;
	e = GetLastError();
	return e == ERROR_OPERATION_ABORTED ? -ETIMEDOUT : map_error(e, connecting);
}

/*
 * Finish an overlapped operation started with `started` (the call's return).
 * `timeout_ms` < 0 waits forever.
 */
static int finish_io(struct win_dev *d, OVERLAPPED *ov, BOOL started, int timeout_ms,
		     DWORD *n, int connecting)
{
	DWORD w;

	if (!started && GetLastError() != ERROR_IO_PENDING)
		return map_error(GetLastError(), connecting);
	w = WaitForSingleObject(ov->hEvent, timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms);
	if (w == WAIT_TIMEOUT)
		return cancel_io(d, ov, n, connecting);
	if (w != WAIT_OBJECT_0)
		return -EIO;
	if (!GetOverlappedResult(d->dev, ov, n, FALSE))
		return map_error(GetLastError(), connecting);
	return 0;
}

/*
 * The OVERLAPPED for the next operation, or NULL (with -ENODEV for the caller) once an
 * operation outlived its cancel: the caller reopens the device, as after a reset.
 */
static OVERLAPPED *begin(struct win_dev *d)
{
	if (d->stuck) {
		snprintf(d->err, sizeof(d->err), "the HECI driver did not cancel a timed-out "
			 "operation; the device must be reopened");
		return NULL;
	}
	memset(&d->ov, 0, sizeof(d->ov));
	ResetEvent(d->event);
	d->ov.hEvent = d->event;
	return &d->ov;
}

/* Message buffers of the client's MTU (at least 1 byte). */
static int size_buffers(struct win_dev *d, uint32_t mtu)
{
	uint8_t *p;

	p = realloc(d->rbuf, mtu ? mtu : 1);
	if (!p)
		return -ENOMEM;
	d->rbuf = p;
	p = realloc(d->wbuf, mtu ? mtu : 1);
	if (!p)
		return -ENOMEM;
	d->wbuf = p;
	d->rlen = d->roff = 0;
	d->mtu = mtu;
	return 0;
}

static int win_connect(void *ctx, const uint8_t guid[16], struct heci_client *out)
{
	struct win_dev *d = ctx;
	OVERLAPPED *ov;
	DWORD n = 0;
	BOOL ok;
	int ret = -EBUSY;

	d->err[0] = '\0';
	if (d->connected)
		goto out;
	ret = -ENODEV;
	if (!(ov = begin(d)))
		goto out;
	memset(d->answer, 0, sizeof(d->answer));
	ok = DeviceIoControl(d->dev, WIN_IOCTL_CONNECT, (void *)guid, 16, d->answer,
			     sizeof(d->answer), NULL, ov);
	ret = finish_io(d, ov, ok, WIN_CONNECT_TIMEOUT_MS, &n, 1);
	if (ret)
		goto out;
	ret = -EIO;
	if (n < WIN_FW_CLIENT_LEN) {
		snprintf(d->err, sizeof(d->err), "HECI connect answered %lu bytes, not %d",
			 (unsigned long)n, WIN_FW_CLIENT_LEN);
		goto out;
	}
	ret = size_buffers(d, le32_load(d->answer));
	if (ret)
		goto out;
	d->connected = 1;
	out->max_msg_len = d->mtu;
	out->protocol_version = d->answer[4];
out:
	return ret;
}

static int win_send(void *ctx, const void *buf, size_t len, int timeout_ms)
{
	struct win_dev *d = ctx;
	OVERLAPPED *ov;
	DWORD n = 0;
	BOOL ok;
	int ret = -ENODEV;

	d->err[0] = '\0';
	if (!d->connected)
		goto out;
	ret = -EFBIG;
	if (len > d->mtu)
		goto out;
	ret = -ENODEV;
	if (!(ov = begin(d)))
		goto out;
	memcpy(d->wbuf, buf, len);
	ok = WriteFile(d->dev, d->wbuf, (DWORD)len, NULL, ov);
	ret = finish_io(d, ov, ok, timeout_ms, &n, 0);
	if (ret == 0 && n != len) {
		snprintf(d->err, sizeof(d->err), "short write: %lu of %zu bytes",
			 (unsigned long)n, len);
		ret = -EIO;
	}
out:
	return ret;
}

static int win_recv(void *ctx, void *buf, size_t cap, size_t *got, int timeout_ms)
{
	struct win_dev *d = ctx;
	OVERLAPPED *ov;
	DWORD n = 0;
	BOOL ok;
	size_t take;
	int ret = -ENODEV;

	d->err[0] = '\0';
	*got = 0;
	if (!d->connected)
		goto out;
	if (d->roff == d->rlen) {
		if (!(ov = begin(d)))
			goto out;
		ok = ReadFile(d->dev, d->rbuf, d->mtu, NULL, ov);
		ret = finish_io(d, ov, ok, timeout_ms, &n, 0);
		if (ret)
			goto out;
		d->rlen = n;
		d->roff = 0;
	}
	take = d->rlen - d->roff < cap ? d->rlen - d->roff : cap;
	memcpy(buf, d->rbuf + d->roff, take);
	d->roff += take;
	*got = take;
	ret = 0;
out:
	return ret;
}

static const char *win_last_error(void *ctx)
{
	struct win_dev *d = ctx;

	return d->err;
}

const struct heci_backend heci_backend_windows = {
	.name = "windows",
	.open = win_open,
	.connect = win_connect,
	.send = win_send,
	.recv = win_recv,
	.close = win_close,
	.last_error = win_last_error,
};
#endif

/* SPDX-License-Identifier: MIT */
/*
 * The thin mocked Win32 layer heci/windows.c is unit-tested through. Force-included
 * (-include) before heci/windows.c, it pulls in <windows.h> and <setupapi.h> - the real
 * mingw-w64 ones for the wine build, tests/windows/fakewin/ on Linux - and renames every
 * Win32 call the backend makes to mock_*, which tests/windows/mockwin.c implements as a
 * scripted fake of the Intel MEI driver (doc/firmware.md section 2 semantics).
 */
#ifndef AMTACT_MOCKWIN_H
#define AMTACT_MOCKWIN_H

#include <stddef.h>
#include <stdint.h>

#include <windows.h>
#include <setupapi.h>

HDEVINFO mock_SetupDiGetClassDevsA(const GUID *cls, LPCSTR enumerator, void *parent,
				   DWORD flags);
BOOL mock_SetupDiEnumDeviceInterfaces(HDEVINFO set, void *devinfo, const GUID *cls,
				      DWORD index, SP_DEVICE_INTERFACE_DATA *ifd);
BOOL mock_SetupDiGetDeviceInterfaceDetailA(HDEVINFO set, SP_DEVICE_INTERFACE_DATA *ifd,
					   SP_DEVICE_INTERFACE_DETAIL_DATA_A *detail,
					   DWORD size, DWORD *need, void *devinfo);
BOOL mock_SetupDiDestroyDeviceInfoList(HDEVINFO set);
HANDLE mock_CreateFileA(LPCSTR path, DWORD access, DWORD share, LPSECURITY_ATTRIBUTES sa,
			DWORD disposition, DWORD flags, HANDLE tmpl);
BOOL mock_CloseHandle(HANDLE h);
HANDLE mock_CreateEventA(LPSECURITY_ATTRIBUTES sa, BOOL manual, BOOL initial, LPCSTR name);
BOOL mock_ResetEvent(HANDLE ev);
BOOL mock_DeviceIoControl(HANDLE dev, DWORD code, LPVOID in, DWORD in_len, LPVOID out,
			  DWORD out_len, DWORD *returned, LPOVERLAPPED ov);
BOOL mock_WriteFile(HANDLE dev, const void *buf, DWORD len, DWORD *written, LPOVERLAPPED ov);
BOOL mock_ReadFile(HANDLE dev, LPVOID buf, DWORD len, DWORD *got, LPOVERLAPPED ov);
DWORD mock_WaitForSingleObject(HANDLE h, DWORD timeout_ms);
BOOL mock_CancelIoEx(HANDLE dev, LPOVERLAPPED ov);
BOOL mock_GetOverlappedResult(HANDLE dev, LPOVERLAPPED ov, DWORD *n, BOOL wait);
DWORD mock_GetLastError(void);

#define SetupDiGetClassDevsA mock_SetupDiGetClassDevsA
#define SetupDiEnumDeviceInterfaces mock_SetupDiEnumDeviceInterfaces
#define SetupDiGetDeviceInterfaceDetailA mock_SetupDiGetDeviceInterfaceDetailA
#define SetupDiDestroyDeviceInfoList mock_SetupDiDestroyDeviceInfoList
#define CreateFileA mock_CreateFileA
#define CloseHandle mock_CloseHandle
#define CreateEventA mock_CreateEventA
#define ResetEvent mock_ResetEvent
#define DeviceIoControl mock_DeviceIoControl
#define WriteFile mock_WriteFile
#define ReadFile mock_ReadFile
#define WaitForSingleObject mock_WaitForSingleObject
#define CancelIoEx mock_CancelIoEx
#define GetOverlappedResult mock_GetOverlappedResult
#define GetLastError mock_GetLastError

/* --- the test's side: script the driver, read what the backend did --------------------- */

enum fake_kind { OP_CONNECT = 1, OP_WRITE, OP_READ };

/* How the driver finishes an operation. */
enum fake_done {
	DONE_SYNC = 1,  /* at once: the call returns TRUE, or FALSE with `error` */
	DONE_PENDING,   /* ERROR_IO_PENDING, then completes during the wait */
	DONE_NEVER,     /* ERROR_IO_PENDING, completes only when cancelled (ABORTED) */
	DONE_RACE,      /* ERROR_IO_PENDING, the wait times out, but it completed (with
			 * `error`) just before CancelIoEx reached the driver */
	DONE_STUCK,     /* ERROR_IO_PENDING, the driver ignores the cancel too; closing
			 * the device handle finishes it (ABORTED) */
};

#define MOCKWIN_MAX_OPS 16
#define MOCKWIN_DATA 256

struct fake_op {
	enum fake_kind kind;
	enum fake_done how;
	DWORD error;                    /* 0: success */
	uint8_t data[MOCKWIN_DATA];     /* connect reply or message read */
	size_t len;                     /* its length; a write: bytes taken (0: all) */
	/* filled by the fake */
	void *out;
	DWORD done_len;
	int completed;
};

struct mockwin {
	int present;                    /* a HECI device interface is enumerated */
	DWORD classdevs_error;          /* SetupDiGetClassDevs fails with this */
	DWORD open_error;               /* CreateFile fails with this */
	char path[128];                 /* the interface's device path */
	struct fake_op ops[MOCKWIN_MAX_OPS];
	int nops, next_op;
	/* The address of a local in the test function: stack between the fake's frame and
	 * it belongs to the backend and is gone when it returns, so a DONE_STUCK operation
	 * must not be given any (0: not checked). */
	uintptr_t stack_mark;
	/* what the backend did */
	GUID class_guid;
	DWORD classdevs_flags;
	int sets_open, devs_open, events_open;
	char open_path[128];
	DWORD open_access, open_share, open_disposition, open_flags;
	DWORD ioctl_code, ioctl_out_len;
	int ioctls;
	const void *write_src;          /* the buffer WriteFile was given */
	uint8_t ioctl_guid[16];
	uint8_t written[MOCKWIN_DATA];
	DWORD written_len, read_len;
	int writes, reads, waits, cancels;
	DWORD last_wait_ms;
	DWORD last_error;
};

extern struct mockwin mw;

/* A present device with no operations scripted. */
void mockwin_reset(void);
/* Script the next operation (in order); returns it for data/len. */
struct fake_op *mockwin_push(enum fake_kind kind, enum fake_done how, DWORD error);
/* Nothing in flight and every scripted operation used. */
int mockwin_done(void);

#endif

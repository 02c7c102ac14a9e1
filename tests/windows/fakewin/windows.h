/* SPDX-License-Identifier: MIT */
/*
 * The few Win32 types and constants heci/windows.c uses, with the values and layouts of
 * the Windows SDK (x64), so the backend compiles on Linux for its mocked unit test. No
 * function is declared here: tests/windows/mockwin.h declares the mocked ones, so a Win32
 * call the mock layer lacks fails to compile instead of reaching anything real.
 */
#ifndef AMTACT_FAKE_WINDOWS_H
#define AMTACT_FAKE_WINDOWS_H

#include <stdint.h>

typedef void *HANDLE;
typedef uint32_t DWORD;
typedef int BOOL;
typedef unsigned long long ULONG_PTR;
typedef void *LPVOID;
typedef const char *LPCSTR;
typedef char CHAR;

#define WINAPI
#define TRUE 1
#define FALSE 0
#define INVALID_HANDLE_VALUE ((HANDLE)(intptr_t)-1)
#define INFINITE 0xFFFFFFFFu

typedef struct {
	uint32_t Data1;
	uint16_t Data2;
	uint16_t Data3;
	uint8_t Data4[8];
} GUID;

typedef struct {
	ULONG_PTR Internal;
	ULONG_PTR InternalHigh;
	union {
		struct {
			DWORD Offset;
			DWORD OffsetHigh;
		} s;
		LPVOID Pointer;
	} u;
	HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;

typedef struct {
	DWORD nLength;
	LPVOID lpSecurityDescriptor;
	BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define FILE_SHARE_READ 0x00000001u
#define FILE_SHARE_WRITE 0x00000002u
#define OPEN_EXISTING 3u
#define FILE_FLAG_OVERLAPPED 0x40000000u

#define WAIT_OBJECT_0 0x00000000u
#define WAIT_TIMEOUT 0x00000102u
#define WAIT_FAILED 0xFFFFFFFFu

#define ERROR_FILE_NOT_FOUND 2u
#define ERROR_PATH_NOT_FOUND 3u
#define ERROR_ACCESS_DENIED 5u
#define ERROR_INVALID_HANDLE 6u
#define ERROR_NOT_READY 21u
#define ERROR_BAD_COMMAND 22u
#define ERROR_GEN_FAILURE 31u
#define ERROR_INSUFFICIENT_BUFFER 122u
#define ERROR_NO_MORE_ITEMS 259u
#define ERROR_OPERATION_ABORTED 995u
#define ERROR_IO_INCOMPLETE 996u
#define ERROR_IO_PENDING 997u
#define ERROR_DEVICE_NOT_CONNECTED 1167u
#define ERROR_NOT_FOUND 1168u
#define ERROR_INVALID_USER_BUFFER 1784u

#endif

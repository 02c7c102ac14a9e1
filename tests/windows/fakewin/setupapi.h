/* SPDX-License-Identifier: MIT */
/* The SetupAPI types and flags heci/windows.c uses (Windows SDK values, x64 layout). */
#ifndef AMTACT_FAKE_SETUPAPI_H
#define AMTACT_FAKE_SETUPAPI_H

#include "windows.h"

typedef void *HDEVINFO;

#define DIGCF_PRESENT 0x00000002u
#define DIGCF_DEVICEINTERFACE 0x00000010u

typedef struct {
	DWORD cbSize;
	GUID InterfaceClassGuid;
	DWORD Flags;
	ULONG_PTR Reserved;
} SP_DEVICE_INTERFACE_DATA, *PSP_DEVICE_INTERFACE_DATA;

/* On x64, sizeof is 8 (DWORD + CHAR[1], padded): what cbSize must say. */
typedef struct {
	DWORD cbSize;
	CHAR DevicePath[1];
} SP_DEVICE_INTERFACE_DETAIL_DATA_A, *PSP_DEVICE_INTERFACE_DETAIL_DATA_A;

typedef struct SP_DEVINFO_DATA SP_DEVINFO_DATA, *PSP_DEVINFO_DATA;

#endif

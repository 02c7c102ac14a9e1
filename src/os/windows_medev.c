// SPDX-License-Identifier: MIT
/*
 * Why there is no HECI device on Windows (include/medev.h): the ME's host interface is a
 * present PCI device whose hardware IDs read PCI\VEN_8086&...&CC_0780 (Intel,
 * "communication controller, other"); the Management Engine Interface driver is the
 * service that takes it and offers the HECI device interface.
 */
#include <windows.h>
#include <setupapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medev.h"

/* A registry property of the device as UTF-8 text into out ("" when it has none). For
 * REG_MULTI_SZ values the strings are joined with '\n'. */
static void property(HDEVINFO set, SP_DEVINFO_DATA *dev, DWORD which, char *out, int cap)
{
	wchar_t w[1024];
	DWORD type = 0, need = 0;
	int n;

	out[0] = '\0';
	memset(w, 0, sizeof(w));
	if (!SetupDiGetDeviceRegistryPropertyW(set, dev, which, &type, (BYTE *)w,
					       sizeof(w) - 2 * sizeof(wchar_t), &need))
		return;
	for (size_t i = 0; type == REG_MULTI_SZ && i + 1 < sizeof(w) / sizeof(w[0]); i++)
		if (w[i] == L'\0' && w[i + 1] != L'\0')
			w[i] = L'\n';
	n = WideCharToMultiByte(CP_UTF8, 0, w, -1, out, cap, NULL, NULL);
	if (n <= 0)
		out[0] = '\0';
}

static bool is_me_interface(const char *ids)
{
	char up[1024];
	size_t i;

	for (i = 0; ids[i] && i + 1 < sizeof(up); i++)
		up[i] = (char)(ids[i] >= 'a' && ids[i] <= 'z' ? ids[i] - 32 : ids[i]);
	up[i] = '\0';
	return strstr(up, "VEN_8086") && strstr(up, "CC_0780");
}

/* Note one ME interface; one with a driver wins over one without. */
static void consider(HDEVINFO set, SP_DEVINFO_DATA *dev, struct medev_probe *out)
{
	char ids[1024], service[sizeof(out->driver)];

	property(set, dev, SPDRP_HARDWAREID, ids, sizeof(ids));
	if (!is_me_interface(ids))
		return;
	property(set, dev, SPDRP_SERVICE, service, sizeof(service));
	if (out->absence == MEDEV_NO_NODE || (out->absence == MEDEV_NO_DRIVER && !service[0]))
		return;
	property(set, dev, SPDRP_LOCATION_INFORMATION, out->pci, sizeof(out->pci));
	snprintf(out->driver, sizeof(out->driver), "%s", service);
	out->absence = service[0] ? MEDEV_NO_NODE : MEDEV_NO_DRIVER;
}

void medev_probe(const char *root, struct medev_probe *out)
{
	SP_DEVINFO_DATA dev = { .cbSize = sizeof(dev) };
	HDEVINFO set;
	DWORD i;

	(void)root;
	memset(out, 0, sizeof(*out));
	set = SetupDiGetClassDevsW(NULL, L"PCI", NULL, DIGCF_ALLCLASSES | DIGCF_PRESENT);
	if (set == INVALID_HANDLE_VALUE)
		return;
	for (i = 0; SetupDiEnumDeviceInfo(set, i, &dev); i++)
		consider(set, &dev, out);
	SetupDiDestroyDeviceInfoList(set);
	/* No PCI device at all is no answer (wine, or a system that hides them). */
	if (i > 0 && out->absence == MEDEV_UNKNOWN)
		out->absence = MEDEV_NO_HARDWARE;
}

void medev_os_text(const struct medev_probe *p, char *buf, size_t cap)
{
	const char *where = p->pci[0] ? p->pci : "PCI";

	if (p->absence == MEDEV_NO_DRIVER)
		snprintf(buf, cap, "the ME interface (%s) has no driver: install the Intel "
			 "Management Engine Interface driver", where);
	else
		snprintf(buf, cap, "the ME interface (%s) has its driver, %s, but it offers no "
			 "HECI device (Device Manager shows the device's state)", where, p->driver);
}

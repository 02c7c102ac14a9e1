// SPDX-License-Identifier: MIT
/*
 * USB network adapters on Windows (include/usbdev.h, diagnose): the adapters of
 * GetAdaptersAddresses, each mapped to its device node through the network class's
 * NetCfgInstanceId (the adapter's GUID name), whose instance id says whether it is on USB
 * (include/usbid.h), and the IPv4 default route from the route table. SetupAPI says all
 * this, so no USB library is asked, as on Linux.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <cfgmgr32.h>
#include <iphlpapi.h>
#include <setupapi.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_windows.h"
#include "usbdev.h"
#include "usbid.h"

/* GUID_DEVCLASS_NET (devguid.h), spelled here to need no GUID library. */
static const GUID net_class = {
	0x4d36e972, 0xe325, 0x11ce, { 0xbf, 0xc1, 0x08, 0x00, 0x2b, 0xe1, 0x03, 0x18 }
};

/* The interface index of the IPv4 default route with the lowest metric; 0 when none. */
static DWORD default_route_index(void)
{
	MIB_IPFORWARDTABLE *t = NULL;
	ULONG size = 0;
	DWORD best = 0, metric = 0;

	if (GetIpForwardTable(NULL, &size, FALSE) != ERROR_INSUFFICIENT_BUFFER ||
	    !(t = malloc(size)))
		return 0;
	if (GetIpForwardTable(t, &size, FALSE) == NO_ERROR) {
		for (DWORD i = 0; i < t->dwNumEntries; i++) {
			const MIB_IPFORWARDROW *r = &t->table[i];

			if (r->dwForwardDest != 0 || r->dwForwardMask != 0)
				continue;
			if (!best || r->dwForwardMetric1 < metric) {
				best = r->dwForwardIfIndex;
				metric = r->dwForwardMetric1;
			}
		}
	}
	free(t);
	return best;
}

/* The network device whose NetCfgInstanceId is `guid` ("{...}"), or 0. */
static DEVINST net_devnode(HDEVINFO set, const char *guid)
{
	SP_DEVINFO_DATA dev = { .cbSize = sizeof(dev) };

	for (DWORD i = 0; SetupDiEnumDeviceInfo(set, i, &dev); i++) {
		HKEY key = SetupDiOpenDevRegKey(set, &dev, DICS_FLAG_GLOBAL, 0, DIREG_DRV, KEY_READ);
		char id[64];
		DWORD size = sizeof(id) - 1, type;
		LONG rc;

		if (key == INVALID_HANDLE_VALUE)
			continue;
		rc = RegQueryValueExA(key, "NetCfgInstanceId", NULL, &type, (BYTE *)id, &size);
		RegCloseKey(key);
		if (rc != ERROR_SUCCESS || type != REG_SZ)
			continue;
		id[size] = 0;
		if (_stricmp(id, guid) == 0)
			return dev.DevInst;
	}
	return 0;
}

/* One adapter into n: name, state, and its device's USB facts. */
static void nic_of(HDEVINFO set, const IP_ADAPTER_ADDRESSES *a, struct usbdev_nic *n)
{
	char id[MAX_DEVICE_ID_LEN + 1], compat[1024], service[64], product[USBDEV_STR_MAX];
	char *name = os_win_utf8(a->FriendlyName);
	size_t compat_len;
	DEVINST dn;

	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name ? name : a->AdapterName);
	free(name);
	n->up = a->OperStatus == IfOperStatusUp;
	dn = set != INVALID_HANDLE_VALUE ? net_devnode(set, a->AdapterName) : 0;
	if (!dn || os_win_devnode_id(dn, id, sizeof(id)) < 0)
		return; /* a virtual adapter, or one Windows does not show */
	compat_len = os_win_devnode_prop(dn, CM_DRP_COMPATIBLEIDS, compat, sizeof(compat));
	os_win_devnode_prop(dn, CM_DRP_SERVICE, service, sizeof(service));
	os_win_devnode_product(dn, product, sizeof(product));
	usbid_nic_fill(n, id, compat, compat_len, service, product);
}

void usbdev_net_scan(const char *root, struct usbdev_net *out)
{
	IP_ADAPTER_ADDRESSES *list, *a;
	DWORD route_if;
	HDEVINFO set;

	(void)root;
	memset(out, 0, sizeof(*out));
	list = os_win_adapters();
	if (!list)
		return;
	route_if = default_route_index();
	set = SetupDiGetClassDevsW(&net_class, NULL, NULL, DIGCF_PRESENT);
	/* the default route's adapter first: Windows may have more adapters than are kept */
	for (int pass = 0; pass < 2; pass++) {
		for (a = list; a && out->count < USBDEV_NICS_MAX; a = a->Next) {
			struct usbdev_nic *n = &out->nic[out->count];
			bool routed = route_if && a->IfIndex == route_if;

			if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK || routed != (pass == 0))
				continue;
			nic_of(set, a, n);
			if (routed && !out->default_if[0])
				snprintf(out->default_if, sizeof(out->default_if), "%s", n->name);
			out->count++;
		}
	}
	if (set != INVALID_HANDLE_VALUE)
		SetupDiDestroyDeviceInfoList(set);
	free(list);
}

// SPDX-License-Identifier: MIT
/*
 * USB keys on Windows (include/usbdev.h): the drive's storage driver says whether the disk
 * is removable and on USB, SetupAPI and the configuration manager map the disk to its USB
 * device (USB\VID_xxxx&PID_yyyy\SERIAL, include/usbid.h), and libusb, which lists devices
 * from the hubs without opening them, confirms that device's descriptors. The names come
 * from Windows (the product string the device reported, the serial in its instance id, the
 * disk's vendor) when libusb cannot open a device the mass-storage driver holds, as is usual.
 */
#include <windows.h>
#include <cfgmgr32.h>
#include <setupapi.h>
#include <winioctl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_windows.h"
#include "usbdev.h"
#include "usbid.h"

#ifndef EMEDIUMTYPE
#define EMEDIUMTYPE 124
#endif

/* GUID_DEVINTERFACE_DISK (ntddstor.h), spelled here to need no GUID library. */
static const GUID disk_interface = {
	0x53f56307, 0xb6bf, 0x11d0, { 0x94, 0xf2, 0x00, 0xa0, 0xc9, 0x1e, 0xfb, 0x8b }
};
/* DEVPKEY_Device_BusReportedDeviceDesc (devpkey.h): the product string the device gave. */
static const DEVPROPKEY bus_desc_key = {
	{ 0x540b947e, 0x8b40, 0x45bc, { 0xa8, 0xa2, 0x6a, 0x0b, 0x89, 0x4c, 0xbd, 0xa2 } }, 4
};

#define FOUND_MAX 128

/* UTF-16 (n units, NULs inside kept) into UTF-8 out; returns the bytes written. */
static size_t utf8_n(const wchar_t *w, size_t n, char *out, size_t cap)
{
	int len = n ? WideCharToMultiByte(CP_UTF8, 0, w, (int)n, out, (int)cap - 1, NULL, NULL) : 0;

	len = len > 0 ? len : 0;
	out[len] = 0;
	return (size_t)len;
}

int os_win_devnode_id(unsigned long devinst, char *out, size_t cap)
{
	wchar_t w[MAX_DEVICE_ID_LEN + 1];

	out[0] = 0;
	if (CM_Get_Device_IDW(devinst, w, MAX_DEVICE_ID_LEN, 0) != CR_SUCCESS)
		return -ENOENT;
	w[MAX_DEVICE_ID_LEN] = 0;
	utf8_n(w, wcslen(w), out, cap);
	return 0;
}

size_t os_win_devnode_prop(unsigned long devinst, unsigned long prop, char *out, size_t cap)
{
	wchar_t w[1024];
	ULONG size = sizeof(w) - sizeof(wchar_t);

	out[0] = 0;
	if (CM_Get_DevNode_Registry_PropertyW(devinst, prop, NULL, w, &size, 0) != CR_SUCCESS)
		return 0;
	return utf8_n(w, size / sizeof(wchar_t), out, cap);
}

void os_win_devnode_product(unsigned long devinst, char *out, size_t cap)
{
	wchar_t w[256];
	ULONG size = sizeof(w) - sizeof(wchar_t);
	DEVPROPTYPE type;

	out[0] = 0;
	if (CM_Get_DevNode_PropertyW(devinst, &bus_desc_key, &type, (BYTE *)w, &size, 0) ==
	    CR_SUCCESS && type == DEVPROP_TYPE_STRING)
		utf8_n(w, wcsnlen(w, size / sizeof(wchar_t)), out, cap);
}

/* ---- the drive ------------------------------------------------------------------------- */

/* `target` as the root of its volume: k->mount, k->fstype; vol gets the volume's name. */
static int volume_of(const char *target, wchar_t *vol, size_t vol_cap, struct usbdev_key *k,
		     struct amt_err *e)
{
	wchar_t full[MAX_PATH + 2], root[MAX_PATH + 2], fs[64], *w;
	char drive[4];
	size_t n;
	UINT type;

	/* "E:" alone would be the current folder of drive E:; the drive is meant */
	if (strlen(target) == 2 && target[1] == ':')
		snprintf(drive, sizeof(drive), "%c:\\", target[0]);
	w = os_win_wide(strlen(target) == 2 && target[1] == ':' ? drive : target);
	if (!w)
		return err_set(e, -EINVAL, "%s: not a valid drive or folder name", target);
	n = GetFullPathNameW(w, MAX_PATH, full, NULL);
	free(w);
	if (n == 0 || n >= MAX_PATH)
		return err_set(e, -EINVAL, "%s: not a valid drive or folder name", target);
	if (full[n - 1] != L'\\') {
		full[n] = L'\\';
		full[n + 1] = 0;
	}
	if (!GetVolumePathNameW(full, root, MAX_PATH)) {
		int ret = os_win_errno(GetLastError());

		if (ret == -ENOENT)
			return err_set(e, -EINVAL, "%s is not mounted (insert the key; it gets a "
				       "drive letter)", target);
		return err_set(e, ret, "%s: %s", target, strerror(-ret));
	}
	utf8_n(root, wcslen(root), k->mount, sizeof(k->mount));
	if (_wcsicmp(full, root) != 0)
		return err_set(e, -EINVAL, "%s is not the root of a drive (give the key's drive, "
			       "such as E:, or the folder it is mounted on)", target);
	type = GetDriveTypeW(root);
	if (type == DRIVE_NO_ROOT_DIR || type == DRIVE_UNKNOWN)
		return err_set(e, -EINVAL, "%s is not mounted (insert the key; it gets a drive "
			       "letter)", target);
	if (type != DRIVE_REMOVABLE && type != DRIVE_FIXED)
		return err_set(e, -EMEDIUMTYPE, "%s is a %s, not a USB key", k->mount,
			       type == DRIVE_REMOTE ? "network drive" : type == DRIVE_CDROM ?
			       "CD or DVD drive" : "RAM disk");
	if (!GetVolumeNameForVolumeMountPointW(root, vol, (DWORD)vol_cap))
		return err_set(e, -ENODEV, "%s: Windows names no volume for it", k->mount);
	if (GetVolumeInformationW(root, NULL, 0, NULL, NULL, NULL, fs, 64))
		utf8_n(fs, wcslen(fs), k->fstype, sizeof(k->fstype));
	return 0;
}

struct storage {
	bool removable, usb;
	unsigned long disk;             /* the disk's number: \\.\PhysicalDriveN */
	char vendor[64];                /* what the disk says of its maker (SCSI vendor) */
};

/* `text` from offset `off` of a descriptor of `len` bytes, trimmed. */
static void desc_text(const BYTE *buf, DWORD len, DWORD off, char *out, size_t cap)
{
	size_t n;

	out[0] = 0;
	if (!off || off >= len)
		return;
	snprintf(out, cap, "%.*s", (int)strnlen((const char *)buf + off, len - off), buf + off);
	for (n = strlen(out); n && out[n - 1] == ' '; n--)
		out[n - 1] = 0;
}

/* What the storage driver says of the volume's disk: removable medium, bus, number. */
static int storage_of(const wchar_t *vol, const char *mount, struct storage *st,
		      struct amt_err *e)
{
	STORAGE_PROPERTY_QUERY q = { StorageDeviceProperty, PropertyStandardQuery, { 0 } };
	STORAGE_DEVICE_NUMBER num;
	BYTE buf[1024];
	STORAGE_DEVICE_DESCRIPTOR *d = (STORAGE_DEVICE_DESCRIPTOR *)buf;
	wchar_t path[64];
	DWORD got = 0;
	HANDLE h;
	size_t n;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	/* the volume without its final backslash is the volume device itself */
	n = wcsnlen(vol, 63);
	memcpy(path, vol, n * sizeof(*vol));
	path[n && vol[n - 1] == L'\\' ? n - 1 : n] = 0;
	h = CreateFileW(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return err_set(e, os_win_errno(GetLastError()), "%s: its disk cannot be asked: %s",
			       mount, strerror(-os_win_errno(GetLastError())));
	memset(buf, 0, sizeof(buf));
	if (!DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof(q), buf, sizeof(buf),
			     &got, NULL) || got < offsetof(STORAGE_DEVICE_DESCRIPTOR, RawDeviceProperties)) {
		ret = err_set(e, -EMEDIUMTYPE, "%s: its storage driver does not say what disk it "
			      "is on: refusing to write to it", mount);
		goto out;
	}
	st->removable = d->RemovableMedia;
	st->usb = d->BusType == BusTypeUsb;
	desc_text(buf, got, d->VendorIdOffset, st->vendor, sizeof(st->vendor));
	if (!DeviceIoControl(h, IOCTL_STORAGE_GET_DEVICE_NUMBER, NULL, 0, &num, sizeof(num), &got,
			     NULL) || num.DeviceType != FILE_DEVICE_DISK)
		ret = err_set(e, -EMEDIUMTYPE, "%s is not on one disk (a spanned volume?): refusing "
			      "to write to it", mount);
	else
		st->disk = num.DeviceNumber;
out:
	CloseHandle(h);
	return ret;
}

/* ---- the disk's USB device --------------------------------------------------------------- */

/* The disk's number behind a disk interface path; -1 if it cannot be asked. */
static long disk_number(const wchar_t *path)
{
	STORAGE_DEVICE_NUMBER num;
	DWORD got;
	HANDLE h = CreateFileW(path, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0,
			       NULL);
	long ret = -1;

	if (h == INVALID_HANDLE_VALUE)
		return -1;
	if (DeviceIoControl(h, IOCTL_STORAGE_GET_DEVICE_NUMBER, NULL, 0, &num, sizeof(num), &got,
			    NULL) && num.DeviceType == FILE_DEVICE_DISK)
		ret = (long)num.DeviceNumber;
	CloseHandle(h);
	return ret;
}

/* The device node of disk number `disk`, from the present disk interfaces. */
static int disk_devnode(unsigned long disk, DEVINST *out)
{
	HDEVINFO set = SetupDiGetClassDevsW(&disk_interface, NULL, NULL,
					    DIGCF_PRESENT | DIGCF_DEVICEINTERFACE);
	SP_DEVICE_INTERFACE_DATA ifd = { .cbSize = sizeof(ifd) };
	int ret = -ENODEV;

	if (set == INVALID_HANDLE_VALUE)
		return -ENODEV;
	for (DWORD i = 0; ret < 0 && SetupDiEnumDeviceInterfaces(set, NULL, &disk_interface, i, &ifd);
	     i++) {
		union {
			SP_DEVICE_INTERFACE_DETAIL_DATA_W d;
			BYTE b[sizeof(SP_DEVICE_INTERFACE_DETAIL_DATA_W) + 1024];
		} u;
		SP_DEVINFO_DATA dev = { .cbSize = sizeof(dev) };

		u.d.cbSize = sizeof(u.d);
		if (!SetupDiGetDeviceInterfaceDetailW(set, &ifd, &u.d, sizeof(u), NULL, &dev))
			continue;
		if (disk_number(u.d.DevicePath) == (long)disk) {
			*out = dev.DevInst;
			ret = 0;
		}
	}
	SetupDiDestroyDeviceInfoList(set);
	return ret;
}

/* The USB device above a disk: its id, the mass-storage function's class, its ports. */
struct usb_above {
	struct usbid id;
	char instance[MAX_DEVICE_ID_LEN + 1];
	bool have_class;
	uint8_t iface_class;
	uint8_t ports[USB_PORTS_MAX];
	int port_count;                 /* <= 0: Windows gave no location path */
	char product[USBDEV_STR_MAX];
};

/* Up from the disk: USBSTOR\... or SCSI\... (UAS), maybe USB\...&MI_xx, then USB\VID.... */
static int usb_device_above(DEVINST dn, struct usb_above *u)
{
	char text[2048];
	uint8_t sub;
	size_t len;

	memset(u, 0, sizeof(*u));
	for (int depth = 0; depth < 8 && CM_Get_Parent(&dn, dn, 0) == CR_SUCCESS; depth++) {
		struct usbid id;

		if (os_win_devnode_id(dn, u->instance, sizeof(u->instance)) < 0 ||
		    usbid_instance_parse(u->instance, &id) < 0)
			continue;
		len = os_win_devnode_prop(dn, CM_DRP_COMPATIBLEIDS, text, sizeof(text));
		if (!u->have_class)
			u->have_class = usbid_compat_class(text, len, &u->iface_class, &sub) == 0;
		if (id.mi >= 0)
			continue;
		u->id = id;
		len = os_win_devnode_prop(dn, CM_DRP_LOCATION_PATHS, text, sizeof(text));
		u->port_count = usbid_location_ports(text, len, u->ports, USB_PORTS_MAX);
		os_win_devnode_product(dn, u->product, sizeof(u->product));
		return 0;
	}
	return -ENODEV;
}

/* libusb's view of the device: descriptors read from the hub, strings if it can open it. */
static int descriptors(const struct usb_backend *usb, const struct usb_above *u,
		       struct usbdev_key *k, struct amt_err *e)
{
	struct usb_found *found;
	struct usb_desc d;
	size_t count = 0;
	int i, ret;

	if (!usb || !usb->list) {
		snprintf(k->note, sizeof(k->note), "no USB library: names as Windows read them");
		return 0;
	}
	found = calloc(FOUND_MAX, sizeof(*found));
	if (!found)
		return err_set(e, -ENOMEM, "out of memory");
	ret = usb->list(found, FOUND_MAX, &count);
	i = ret < 0 ? ret : u->port_count <= 0 ? -ENOENT :
	    usbid_match(found, count, u->id.vendor_id, u->id.product_id, u->ports,
			(size_t)u->port_count);
	if (i < 0) {
		snprintf(k->note, sizeof(k->note), "%s %s: names as Windows read them", usb->name,
			 ret < 0 ? "cannot list the USB devices" : i == -EEXIST ?
			 "lists two such devices at that port" : "does not list the device");
		free(found);
		return 0;
	}
	k->busnum = found[i].bus;
	k->devnum = found[i].address;
	if (found[i].config_read && !found[i].mass_storage) {
		free(found);
		return err_set(e, -EMEDIUMTYPE, "%s is on USB device %04x:%04x, whose descriptors "
			       "show no mass-storage interface (0x08)", k->mount, k->id.vendor_id,
			       k->id.product_id);
	}
	free(found);
	ret = usb->describe(k->busnum, k->devnum, &d);
	if (ret == 0 && d.vendor_id == k->id.vendor_id && d.product_id == k->id.product_id) {
		k->id = d;
		k->from_descriptors = true;
	} else {
		snprintf(k->note, sizeof(k->note), "%s cannot read its strings (%s): names as "
			 "Windows read them", usb->name, ret == -ENOTSUP ? "the mass-storage "
			 "driver holds it" : ret < 0 ? strerror(-ret) : "another device answered");
	}
	return 0;
}

static bool is_fat(const char *fs)
{
	return strcmp(fs, "FAT") == 0 || strcmp(fs, "FAT32") == 0;
}

int usbdev_find(const char *root, const char *target, const struct usb_backend *usb,
		struct usbdev_key *k, struct amt_err *e)
{
	wchar_t vol[64];
	struct storage st;
	struct usb_above u;
	DEVINST dn;
	int ret;

	(void)root;
	memset(k, 0, sizeof(*k));
	ret = volume_of(target, vol, 64, k, e);
	if (ret == 0)
		ret = storage_of(vol, k->mount, &st, e);
	if (ret < 0)
		return ret;
	snprintf(k->disk, sizeof(k->disk), "PhysicalDrive%lu", st.disk);
	snprintf(k->source, sizeof(k->source), "\\\\.\\%s", k->disk);
	if (!st.removable)
		return err_set(e, -EMEDIUMTYPE, "%s (disk %s) is not a removable disk: refusing to "
			       "write to a fixed disk", k->mount, k->disk);
	if (!st.usb)
		return err_set(e, -EMEDIUMTYPE, "%s (disk %s) is not on a USB device", k->mount,
			       k->disk);
	if (disk_devnode(st.disk, &dn) < 0 || usb_device_above(dn, &u) < 0)
		return err_set(e, -ENODEV, "%s (disk %s) is on USB, but Windows shows no USB "
			       "device above the disk (unplug the key and plug it in again)",
			       k->mount, k->disk);
	k->iface_class = u.iface_class;
	k->id.vendor_id = u.id.vendor_id;
	k->id.product_id = u.id.product_id;
	if (k->iface_class != 0x08)
		return err_set(e, -EMEDIUMTYPE, "%s is on USB device %04x:%04x, interface class "
			       "0x%02x, not mass storage (0x08)", k->mount, k->id.vendor_id,
			       k->id.product_id, k->iface_class);
	if (!is_fat(k->fstype))
		return err_set(e, -EINVAL, "%s is %s, not FAT: a BIOS reads setup.bin only from "
			       "FAT (prepare the key: amtact-usbkey(8))", k->mount,
			       k->fstype[0] ? k->fstype : "not formatted");
	snprintf(k->id.manufacturer, sizeof(k->id.manufacturer), "%s", st.vendor);
	snprintf(k->id.product, sizeof(k->id.product), "%s", u.product);
	snprintf(k->id.serial, sizeof(k->id.serial), "%s", u.id.serial);
	return descriptors(usb, &u, k, e);
}

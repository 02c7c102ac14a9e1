// SPDX-License-Identifier: MIT
/* USB facts on Linux (include/usbdev.h): the mounts and sysfs map a mount point, a block
 * device or a network interface to its USB device; libusb (usb_libusb.c) reads a key's
 * descriptors. Windows maps drives and adapters with SetupAPI instead (windows_usb.c). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usbdev.h"

/* USB interface class of mass storage (USB-IF, "Defined Class Codes"). */
#define USB_CLASS_MASS_STORAGE 0x08
#define PATH_CAP 1024

/* First line of dir/name into buf, without its newline. 0 or -errno. */
static int read_attr(const char *dir, const char *name, char *buf, size_t cap)
{
	char full[PATH_CAP + 64];
	FILE *f;
	size_t n;

	snprintf(full, sizeof(full), "%s/%s", dir, name);
	buf[0] = 0;
	f = fopen(full, "re");
	if (!f)
		return -errno;
	if (!fgets(buf, (int)cap, f))
		buf[0] = 0;
	fclose(f);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

/* Next space- or tab-separated field of *s (NUL-terminated in place), \ooo escapes undone. */
static char *field(char **s)
{
	char *start = *s, *o, *p;

	while (*start == ' ' || *start == '\t')
		start++;
	if (!*start || *start == '\n')
		return NULL;
	for (p = o = start; *p && *p != ' ' && *p != '\t' && *p != '\n'; p++) {
		/* /proc/self/mounts writes space, tab, newline and backslash as \ooo */
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*o++ = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*s = *p ? p + 1 : p;
	*o = 0;
	return start;
}

/*
 * The mount whose source (a /dev path) or mount point is `want`: fills source, mount and
 * fstype. The last match wins (a later mount hides an earlier one). 0, -ENOENT or -errno.
 */
static int find_mount(const char *root, const char *want, bool by_source, struct usbdev_key *k)
{
	char path[PATH_CAP], line[2048];
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/self/mounts", root);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *src = field(&p), *mnt = src ? field(&p) : NULL;
		char *fs = mnt ? field(&p) : NULL;

		if (!fs || strcmp(by_source ? src : mnt, want) != 0)
			continue;
		copy(k->source, sizeof(k->source), src);
		copy(k->mount, sizeof(k->mount), mnt);
		copy(k->fstype, sizeof(k->fstype), fs);
		ret = 0;
	}
	fclose(f);
	return ret;
}

/* Mount point or /dev path -> source, mount point, file system. */
static int resolve_target(const char *root, const char *target, struct usbdev_key *k,
			  struct amt_err *e)
{
	char *real = NULL;
	int ret;

	if (strncmp(target, "/dev/", 5) == 0) {
		ret = find_mount(root, target, true, k);
	} else {
		real = realpath(target, NULL);
		if (!real)
			return err_set(e, -errno, "%s: %s", target, strerror(errno));
		ret = find_mount(root, real, false, k);
	}
	if (ret == -ENOENT && real)
		err_set(e, -EINVAL, "%s is not a mount point (give the folder the key is mounted "
			"on, or its /dev name)", real);
	else if (ret == -ENOENT)
		err_set(e, -EINVAL, "%s is not mounted (mount the key's FAT partition first)",
			target);
	else if (ret < 0)
		err_set(e, ret, "the list of mounts cannot be read: %s", strerror(-ret));
	free(real);
	if (ret < 0)
		return ret == -ENOENT ? -EINVAL : ret;
	if (strncmp(k->source, "/dev/", 5) != 0 || strchr(k->source + 5, '/'))
		return err_set(e, -EINVAL, "%s is mounted from \"%s\", not from a disk",
			       k->mount, k->source);
	return 0;
}

/*
 * The sysfs folder of the disk holding block device `name` (its parent when `name` is a
 * partition), resolved through <root>/sys/class/block. 0 or -errno.
 */
static int disk_dir(const char *root, const char *name, char *out, size_t cap)
{
	char link[PATH_CAP], probe[16], *real, *slash;

	snprintf(link, sizeof(link), "%s/sys/class/block/%s", root, name);
	real = realpath(link, NULL);
	if (!real)
		return -errno;
	copy(out, cap, real);
	free(real);
	if (read_attr(out, "partition", probe, sizeof(probe)) == 0 && (slash = strrchr(out, '/')))
		*slash = 0;
	return 0;
}

/* The USB device folder above `dir` (the first one with idVendor), and the interface
 * folder right below it on the way. 0 or -ENODEV. */
static int usb_parent(const char *dir, char *dev, char *iface, size_t cap)
{
	char probe[16], *slash;

	copy(dev, cap, dir);
	iface[0] = 0;
	while ((slash = strrchr(dev, '/')) && slash != dev) {
		if (read_attr(dev, "idVendor", probe, sizeof(probe)) == 0)
			return iface[0] ? 0 : -ENODEV;
		copy(iface, cap, dev);
		*slash = 0;
	}
	return -ENODEV;
}

/* Identity as sysfs shows it: ids, bus and address, the strings the kernel read. */
static void sysfs_identity(const char *dev, const char *iface, struct usbdev_key *k)
{
	char v[USBDEV_STR_MAX];

	read_attr(dev, "idVendor", v, sizeof(v));
	k->id.vendor_id = (uint16_t)strtoul(v, NULL, 16);
	read_attr(dev, "idProduct", v, sizeof(v));
	k->id.product_id = (uint16_t)strtoul(v, NULL, 16);
	read_attr(dev, "busnum", v, sizeof(v));
	k->busnum = (unsigned)strtoul(v, NULL, 10);
	read_attr(dev, "devnum", v, sizeof(v));
	k->devnum = (unsigned)strtoul(v, NULL, 10);
	read_attr(iface, "bInterfaceClass", v, sizeof(v));
	k->iface_class = (uint8_t)strtoul(v, NULL, 16);
	read_attr(dev, "manufacturer", k->id.manufacturer, sizeof(k->id.manufacturer));
	read_attr(dev, "product", k->id.product, sizeof(k->id.product));
	read_attr(dev, "serial", k->id.serial, sizeof(k->id.serial));
}

/* The device's own descriptors where the USB library can read them; else sysfs's copies. */
static void descriptors(const struct usb_backend *usb, struct usbdev_key *k)
{
	struct usb_desc d;
	int ret;

	if (!usb) {
		copy(k->note, sizeof(k->note), "no USB library: names as the kernel read them");
		return;
	}
	memset(&d, 0, sizeof(d));
	ret = usb->describe(k->busnum, k->devnum, &d);
	if (ret == 0 && (d.vendor_id != k->id.vendor_id || d.product_id != k->id.product_id))
		ret = -ESTALE;
	if (ret < 0) {
		snprintf(k->note, sizeof(k->note), "%s could not read the descriptors (%s): names "
			 "as the kernel read them", usb->name,
			 ret == -ESTALE ? "another device at that address" : strerror(-ret));
		return;
	}
	k->id = d;
	k->from_descriptors = true;
}

int usbdev_find(const char *root, const char *target, const struct usb_backend *usb,
		struct usbdev_key *k, struct amt_err *e)
{
	char disk[PATH_CAP], dev[PATH_CAP], iface[PATH_CAP], v[16];
	int ret;

	memset(k, 0, sizeof(*k));
	ret = resolve_target(root, target, k, e);
	if (ret < 0)
		return ret;
	ret = disk_dir(root, k->source + 5, disk, sizeof(disk));
	if (ret < 0)
		return err_set(e, -ENODEV, "%s: no such block device in sysfs (%s)", k->source,
			       strerror(-ret));
	copy(k->disk, sizeof(k->disk), strrchr(disk, '/') + 1);
	if (read_attr(disk, "removable", v, sizeof(v)) < 0 || strcmp(v, "1") != 0)
		return err_set(e, -EMEDIUMTYPE, "%s (disk %s) is not a removable disk: refusing to write "
			       "to a fixed disk", k->source, k->disk);
	if (usb_parent(disk, dev, iface, sizeof(dev)) < 0)
		return err_set(e, -EMEDIUMTYPE, "%s (disk %s) is not on a USB device", k->source,
			       k->disk);
	sysfs_identity(dev, iface, k);
	if (k->iface_class != USB_CLASS_MASS_STORAGE)
		return err_set(e, -EMEDIUMTYPE, "%s is on USB device %04x:%04x, interface class 0x%02x, "
			       "not mass storage (0x08)", k->source, k->id.vendor_id,
			       k->id.product_id, k->iface_class);
	if (strcmp(k->fstype, "vfat") != 0)
		return err_set(e, -EINVAL, "%s on %s is %s, not FAT: a BIOS reads setup.bin only "
			       "from FAT (prepare the key: amtact-usbkey(8))", k->source, k->mount,
			       k->fstype);
	descriptors(usb, k);
	return 0;
}

/* ---- network interfaces ---------------------------------------------------------------- */

static void nic_usb(const char *root, struct usbdev_nic *n)
{
	char link[PATH_CAP], dev[PATH_CAP], iface[PATH_CAP], v[USBDEV_STR_MAX], *real;

	snprintf(link, sizeof(link), "%s/sys/class/net/%s/device/driver", root, n->name);
	real = realpath(link, NULL);
	if (real) {
		copy(n->driver, sizeof(n->driver), strrchr(real, '/') + 1);
		free(real);
	}
	snprintf(link, sizeof(link), "%s/sys/class/net/%s/device", root, n->name);
	real = realpath(link, NULL);
	if (!real)
		return; /* a virtual interface: no device */
	/* the link names the USB interface; the USB device is above it */
	if (usb_parent(real, dev, iface, sizeof(dev)) < 0) {
		free(real);
		return;
	}
	free(real);
	n->usb = true;
	read_attr(dev, "idVendor", v, sizeof(v));
	n->vendor_id = (uint16_t)strtoul(v, NULL, 16);
	read_attr(dev, "idProduct", v, sizeof(v));
	n->product_id = (uint16_t)strtoul(v, NULL, 16);
	read_attr(dev, "product", n->product, sizeof(n->product));
	read_attr(iface, "bInterfaceClass", v, sizeof(v));
	n->iface_class = (uint8_t)strtoul(v, NULL, 16);
	read_attr(iface, "bInterfaceSubClass", v, sizeof(v));
	n->iface_subclass = (uint8_t)strtoul(v, NULL, 16);
}

/* The interface of the IPv4 default route (destination 0, mask 0) in /proc/net/route. */
static void default_route(const char *root, char *out, size_t cap)
{
	char path[PATH_CAP], line[512];
	FILE *f;

	out[0] = 0;
	snprintf(path, sizeof(path), "%s/proc/net/route", root);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *ifname = field(&p), *dest = ifname ? field(&p) : NULL;
		char *fields[6];
		int k = 0;

		while (dest && k < 6 && (fields[k] = field(&p)))
			k++;
		/* Iface Destination Gateway Flags RefCnt Use Metric Mask: mask is field 8 */
		if (dest && k == 6 && strcmp(dest, "00000000") == 0 &&
		    strcmp(fields[5], "00000000") == 0 && !out[0])
			copy(out, cap, ifname);
	}
	fclose(f);
}

void usbdev_net_scan(const char *root, struct usbdev_net *out)
{
	char path[PATH_CAP], v[32];
	struct dirent *de;
	DIR *d;

	memset(out, 0, sizeof(*out));
	default_route(root, out->default_if, sizeof(out->default_if));
	snprintf(path, sizeof(path), "%s/sys/class/net", root);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && out->count < USBDEV_NICS_MAX) {
		struct usbdev_nic *n = &out->nic[out->count];
		char dir[PATH_CAP + USBDEV_IFNAME_MAX];

		if (de->d_name[0] == '.' || strcmp(de->d_name, "lo") == 0 ||
		    strlen(de->d_name) >= sizeof(n->name))
			continue;
		memset(n, 0, sizeof(*n));
		copy(n->name, sizeof(n->name), de->d_name);
		snprintf(dir, sizeof(dir), "%s/%s", path, n->name);
		n->up = read_attr(dir, "operstate", v, sizeof(v)) == 0 && strcmp(v, "up") == 0;
		nic_usb(root, n);
		out->count++;
	}
	closedir(d);
}

// SPDX-License-Identifier: MIT
/*
 * Unit tests for include/usbdev.h on a faked system: a private folder stands in for / with
 * proc/self/mounts and a sysfs tree (devices, class/block links) laid out as the Linux
 * kernel does, folders inside it stand in for mount points, and a fake USB backend for
 * libusb. A USB stick is accepted with its descriptors' names; a fixed disk, a USB device
 * without a mass-storage interface, a non-FAT key, an unmounted device and a folder that
 * is no mount point are refused, saying why; a backend that cannot read falls back to
 * sysfs's names and says so. Network interfaces map to their USB adapters (vendor NIC,
 * CDC ECM) or not (PCI), and the default route's interface is found.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "usbdev.h"

static char root[64];

#define USB1 "/sys/devices/pci0000:00/0000:00:14.0/usb1"
#define STICK USB1 "/1-2"
#define STICK_DISK STICK "/1-2:1.0/host6/target6:0:0/6:0:0:0/block/sdb"
#define CAM USB1 "/1-3"
#define CAM_DISK CAM "/1-3:1.0/host7/target7:0:0/7:0:0:0/block/sdd"
#define NIC USB1 "/1-4"
#define ECM USB1 "/1-5"
#define PCI_NIC "/sys/devices/pci0000:00/0000:00:1f.6"
#define ATA_DISK "/sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda"

static void mkdirs(const char *rel)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	for (char *s = p + strlen(root) + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0700);
			*s = '/';
		}
	}
	mkdir(p, 0700);
}

static void put(const char *dir, const char *name, const char *value)
{
	char p[1024];
	FILE *f;

	mkdirs(dir);
	snprintf(p, sizeof(p), "%s%s/%s", root, dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", value);
	fclose(f);
}

static void block_link(const char *name, const char *dir)
{
	char link[1024], to[1024];

	mkdirs("/sys/class/block");
	snprintf(link, sizeof(link), "%s/sys/class/block/%s", root, name);
	snprintf(to, sizeof(to), "%s%s", root, dir);
	assert_int_equal(symlink(to, link), 0);
}

static void usb_device(const char *dev, const char *vid, const char *pid, const char *devnum,
		       const char *iface, const char *cls)
{
	put(dev, "idVendor", vid);
	put(dev, "idProduct", pid);
	put(dev, "busnum", "1");
	put(dev, "devnum", devnum);
	put(dev, "manufacturer", "SanDisk");
	put(dev, "product", "Cruzer Blade");
	put(dev, "serial", "4C530001");
	put(iface, "bInterfaceClass", cls);
}

/* A network interface as sysfs shows it: class/net/NAME with operstate and a device link. */
static void net_if(const char *name, const char *device, const char *driver, const char *state)
{
	char dir[256], link[1024], to[1024];

	snprintf(dir, sizeof(dir), "/sys/class/net/%s", name);
	put(dir, "operstate", state);
	snprintf(link, sizeof(link), "%s%s/device", root, dir);
	snprintf(to, sizeof(to), "%s%s", root, device);
	assert_int_equal(symlink(to, link), 0);
	snprintf(dir, sizeof(dir), "/sys/bus/usb/drivers/%s", driver);
	mkdirs(dir);
	snprintf(link, sizeof(link), "%s%s/driver", root, device);
	snprintf(to, sizeof(to), "%s%s", root, dir);
	assert_int_equal(symlink(to, link), 0);
}

static void network(void)
{
	usb_device(NIC, "0bda", "8153", "6", NIC "/1-4:1.0", "ff");
	put(NIC, "product", "USB 10/100/1000 LAN");
	put(NIC "/1-4:1.0", "bInterfaceSubClass", "ff");
	usb_device(ECM, "0b95", "1790", "7", ECM "/1-5:2.0", "02");
	put(ECM "/1-5:2.0", "bInterfaceSubClass", "06");
	put(PCI_NIC, "vendor", "0x8086");
	net_if("enx00e04c680001", NIC "/1-4:1.0", "r8152", "up");
	net_if("enx000ec6000002", ECM "/1-5:2.0", "cdc_ether", "down");
	net_if("eno1", PCI_NIC, "e1000e", "down");
	put("/sys/class/net/lo", "operstate", "unknown");
	put("/proc/net", "route", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\t"
	    "Mask\t\tMTU\tWindow\tIRTT\n"
	    "enx00e04c680001\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n"
	    "enx00e04c680001\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0");
}

static int setup(void **state)
{
	char mounts[2048];

	(void)state;
	snprintf(root, sizeof(root), "/tmp/amtact-usbdev.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	usb_device(STICK, "0781", "5567", "4", STICK "/1-2:1.0", "08");
	put(STICK_DISK, "removable", "1");
	put(STICK_DISK "/sdb1", "partition", "1");
	put(STICK_DISK "/sdb2", "partition", "2");
	block_link("sdb1", STICK_DISK "/sdb1");
	block_link("sdb2", STICK_DISK "/sdb2");
	usb_device(CAM, "046d", "0825", "5", CAM "/1-3:1.0", "0e");
	put(CAM_DISK, "removable", "1");
	block_link("sdd", CAM_DISK);
	put(ATA_DISK, "removable", "0");
	put(ATA_DISK "/sda1", "partition", "1");
	block_link("sda1", ATA_DISK "/sda1");
	mkdirs("/media/key");
	mkdirs("/media/my key");
	mkdirs("/media/cam");
	mkdirs("/mnt/fixed");
	mkdirs("/media/other");
	snprintf(mounts, sizeof(mounts),
		 "sysfs /sys sysfs rw 0 0\n/dev/sda1 %s/mnt/fixed vfat rw 0 0\n"
		 "/dev/sdb1 %s/media/my\\040key vfat rw 0 0\n/dev/sdb2 %s/media/other ext4 rw 0 0\n"
		 "/dev/sdd %s/media/cam vfat rw 0 0\ntmpfs %s/media/key tmpfs rw 0 0\n",
		 root, root, root, root, root);
	put("/proc/self", "mounts", mounts);
	network();
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

static int describe_ok(unsigned bus, unsigned address, struct usb_desc *out)
{
	if (bus != 1 || address != 4)
		return -ENODEV;
	out->vendor_id = 0x0781;
	out->product_id = 0x5567;
	snprintf(out->manufacturer, sizeof(out->manufacturer), "SanDisk Corp.");
	snprintf(out->product, sizeof(out->product), "Cruzer Blade USB");
	snprintf(out->serial, sizeof(out->serial), "4C530001234");
	return 0;
}

static int describe_denied(unsigned bus, unsigned address, struct usb_desc *out)
{
	(void)bus;
	(void)address;
	(void)out;
	return -EACCES;
}

static int describe_other(unsigned bus, unsigned address, struct usb_desc *out)
{
	(void)bus;
	(void)address;
	out->vendor_id = 0x1234;
	out->product_id = 0x5678;
	return 0;
}

static const struct usb_backend fake_ok = { "fake", describe_ok, NULL };
static const struct usb_backend fake_denied = { "fake", describe_denied, NULL };
static const struct usb_backend fake_other = { "fake", describe_other, NULL };

static const char *at(const char *rel)
{
	static char p[1024];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	return p;
}

static void test_stick_by_mount_point(void **state)
{
	struct usbdev_key k;
	struct amt_err e;

	(void)state;
	assert_int_equal(usbdev_find(root, at("/media/my key"), &fake_ok, &k, &e), 0);
	assert_string_equal(k.source, "/dev/sdb1");
	assert_string_equal(k.disk, "sdb");
	assert_string_equal(k.fstype, "vfat");
	assert_int_equal(k.busnum, 1);
	assert_int_equal(k.devnum, 4);
	assert_int_equal(k.iface_class, 8);
	assert_true(k.from_descriptors);
	assert_int_equal(k.id.vendor_id, 0x0781);
	assert_string_equal(k.id.manufacturer, "SanDisk Corp.");
	assert_string_equal(k.id.serial, "4C530001234");
	assert_string_equal(k.note, "");
}

static void test_stick_by_device(void **state)
{
	struct usbdev_key k;
	struct amt_err e;

	(void)state;
	assert_int_equal(usbdev_find(root, "/dev/sdb1", &fake_denied, &k, &e), 0);
	assert_string_equal(k.mount, at("/media/my key"));
	/* The backend could not read: sysfs's names, and a note saying so. */
	assert_false(k.from_descriptors);
	assert_string_equal(k.id.manufacturer, "SanDisk");
	assert_string_equal(k.id.serial, "4C530001");
	assert_non_null(strstr(k.note, "fake could not read the descriptors"));
	assert_int_equal(usbdev_find(root, "/dev/sdb1", &fake_other, &k, &e), 0);
	assert_false(k.from_descriptors);
	assert_non_null(strstr(k.note, "another device at that address"));
	assert_int_equal(usbdev_find(root, "/dev/sdb1", NULL, &k, &e), 0);
	assert_int_equal(k.id.product_id, 0x5567);
}

static void refused(const char *target, int code, const char *words)
{
	struct usbdev_key k;
	struct amt_err e;

	err_clear(&e);
	assert_int_equal(usbdev_find(root, target, &fake_ok, &k, &e), code);
	if (!strstr(e.msg, words))
		fail_msg("%s: got \"%s\", expected \"%s\"", target, e.msg, words);
}

static void test_refusals(void **state)
{
	(void)state;
	refused(at("/mnt/fixed"), -EMEDIUMTYPE, "not a removable disk: refusing to write to a fixed");
	refused("/dev/sdd", -EMEDIUMTYPE, "interface class 0x0e, not mass storage");
	refused("/dev/sdb2", -EINVAL, "is ext4, not FAT");
	refused(at("/media/key"), -EINVAL, "mounted from \"tmpfs\", not from a disk");
	refused(at("/media"), -EINVAL, "is not a mount point");
	refused("/dev/sdc1", -EINVAL, "/dev/sdc1 is not mounted");
	refused(at("/media/none"), -ENOENT, "No such file");
}

static const struct usbdev_nic *nic(const struct usbdev_net *n, const char *name)
{
	for (size_t i = 0; i < n->count; i++)
		if (strcmp(n->nic[i].name, name) == 0)
			return &n->nic[i];
	fail_msg("no interface %s", name);
	return NULL;
}

static void test_network(void **state)
{
	struct usbdev_net net;
	const struct usbdev_nic *n;
	char buf[16];

	(void)state;
	usbdev_net_scan(root, &net);
	assert_int_equal(net.count, 3); /* lo left out */
	assert_string_equal(net.default_if, "enx00e04c680001");
	n = nic(&net, "enx00e04c680001");
	assert_true(n->usb && n->up);
	assert_int_equal(n->vendor_id, 0x0bda);
	assert_int_equal(n->product_id, 0x8153);
	assert_string_equal(n->driver, "r8152");
	assert_string_equal(n->product, "USB 10/100/1000 LAN");
	assert_string_equal(usbdev_nic_kind(n, buf, sizeof(buf)), "vendor-specific");
	n = nic(&net, "enx000ec6000002");
	assert_true(n->usb && !n->up);
	assert_string_equal(usbdev_nic_kind(n, buf, sizeof(buf)), "CDC ECM");
	assert_string_equal(n->driver, "cdc_ether");
	n = nic(&net, "eno1");
	assert_false(n->usb);
	assert_string_equal(n->driver, "e1000e");
	/* No sysfs at all: nothing, no failure. */
	usbdev_net_scan("/nonexistent-root", &net);
	assert_int_equal(net.count, 0);
	assert_string_equal(net.default_if, "");
}

/* The real backend on a bus and address no device has: "no such device", not a crash. */
static void test_libusb_absent(void **state)
{
	struct usb_desc d;
	int ret;

	(void)state;
	ret = usb_libusb.describe(255, 127, &d);
	if (ret == -EIO || ret == -ENOTSUP || ret == -EACCES)
		skip(); /* libusb cannot start here (no usbfs) */
	assert_int_equal(ret, -ENODEV);
	assert_string_equal(usb_libusb.name, "libusb");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stick_by_mount_point),
		cmocka_unit_test(test_stick_by_device),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_network),
		cmocka_unit_test(test_libusb_absent),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

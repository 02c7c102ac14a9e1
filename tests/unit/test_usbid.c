// SPDX-License-Identifier: MIT
/*
 * Windows's names of USB devices (src/usbid.c), the part of the Windows USB key and USB NIC
 * checks that needs no Windows: built and run on Linux, and under wine (make
 * check-windows). The strings are laid out as Microsoft documents them: device instance
 * ids "USB\VID_v&PID_p\serial" and "USB\VID_v&PID_p&MI_i\..." for a composite device's
 * function ("Standard USB Identifiers"; a serial Windows does not use gives a made-up
 * instance with "&"), compatible ids "USB\Class_c&SubClass_s&Prot_p", "USB\Class_c&SubClass_s",
 * "USB\Class_c" (the same page), location paths "PCIROOT(0)#PCI(1400)#USBROOT(0)#USB(2)"
 * (DEVPKEY_Device_LocationPaths), all as REG_MULTI_SZ lists where the API gives lists.
 * The ids of the devices are those of real products (SanDisk Cruzer Blade 0781:5567,
 * Realtek RTL8153 0bda:8153, ASIX AX88179A 0b95:1790).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "usbid.h"

/* A REG_MULTI_SZ literal: the strings with their NULs, and the list's final NUL. */
#define MULTI(s) s "\0", sizeof(s "\0")

static void test_instance_device(void **state)
{
	struct usbid id;

	(void)state;
	assert_int_equal(usbid_instance_parse("USB\\VID_0781&PID_5567\\4C530001231219115415",
					      &id), 0);
	assert_int_equal(id.vendor_id, 0x0781);
	assert_int_equal(id.product_id, 0x5567);
	assert_int_equal(id.mi, -1);
	assert_string_equal(id.serial, "4C530001231219115415");
	/* ids come in either case */
	assert_int_equal(usbid_instance_parse("usb\\vid_0bda&pid_8153\\000001000000", &id), 0);
	assert_int_equal(id.vendor_id, 0x0bda);
	assert_int_equal(id.product_id, 0x8153);
	assert_string_equal(id.serial, "000001000000");
}

static void test_instance_made_up(void **state)
{
	struct usbid id;

	(void)state;
	/* no usable serial: Windows names the instance by its place, with "&" */
	assert_int_equal(usbid_instance_parse("USB\\VID_090C&PID_1000\\5&1A2B3C4D&0&2", &id), 0);
	assert_int_equal(id.vendor_id, 0x090c);
	assert_string_equal(id.serial, "");
	/* a function of a composite device: its interface number, and never a serial */
	assert_int_equal(usbid_instance_parse("USB\\VID_0B95&PID_1790&MI_00\\6&2C3B1A0&0&0000",
					      &id), 0);
	assert_int_equal(id.product_id, 0x1790);
	assert_int_equal(id.mi, 0);
	assert_string_equal(id.serial, "");
	assert_int_equal(usbid_instance_parse("USB\\VID_0B95&PID_1790&MI_0a\\6&2C3B1A0&0&000a",
					      &id), 0);
	assert_int_equal(id.mi, 10);
}

static void test_instance_refused(void **state)
{
	static const char *const bad[] = {
		"USBSTOR\\DISK&VEN_SANDISK&PROD_CRUZER_BLADE&REV_1.00\\4C530001231219115415&0",
		"USB\\ROOT_HUB30\\4&2E5A4B0&0&0",
		"PCI\\VEN_8086&DEV_15BB&SUBSYS_07B41028&REV_10\\3&11583659&0&FE",
		"SCSI\\DISK&VEN_SAMSUNG&PROD_PORTABLE_SSD_T5\\7&1A8C3D&0&000000",
		"USB\\VID_781&PID_5567\\4C53",           /* three digits */
		"USB\\VID_0781&PID_55G7\\4C53",          /* not hex */
		"USB\\VID_0781&PID_5567",                /* no instance */
		"USB\\VID_0781&PID_5567\\",              /* empty instance */
		"USB\\VID_0781&PID_5567\\4C53\\0",       /* two instances */
		"USB\\VID_0781&PID_5567&REV_0100\\4C53", /* a hardware id, not an instance id */
		"USB\\VID_0B95&PID_1790&MI_0\\6&2C3B",   /* one digit */
		"",
	};
	struct usbid id;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		id.vendor_id = 0x1234;
		assert_int_equal(usbid_instance_parse(bad[i], &id), -EINVAL);
		assert_int_equal(id.vendor_id, 0);
	}
}

static void test_compat_class(void **state)
{
	uint8_t cls = 0, sub = 0;

	(void)state;
	assert_int_equal(usbid_compat_class(MULTI("USB\\Class_08&SubClass_06&Prot_50\0"
						  "USB\\Class_08&SubClass_06\0USB\\Class_08"),
					    &cls, &sub), 0);
	assert_int_equal(cls, 0x08);
	assert_int_equal(sub, 0x06);
	/* a device-class id first is passed over for the interface's */
	assert_int_equal(usbid_compat_class(MULTI("USB\\DevClass_00&SubClass_00\0"
						  "USB\\Class_02&SubClass_0d&Prot_00"), &cls, &sub),
			 0);
	assert_int_equal(cls, 0x02);
	assert_int_equal(sub, 0x0d);
	assert_int_equal(usbid_compat_class(MULTI("USB\\Class_e0&SubClass_01&Prot_03"), &cls, &sub),
			 0);
	assert_int_equal(cls, 0xe0);
	assert_int_equal(sub, 0x01);
	assert_int_equal(usbid_compat_class(MULTI("USB\\Class_FF"), &cls, &sub), 0);
	assert_int_equal(cls, 0xff);
	assert_int_equal(sub, 0);
	assert_int_equal(usbid_compat_class(MULTI("USB\\COMPOSITE"), &cls, &sub), -ENOENT);
	assert_int_equal(usbid_compat_class(MULTI("GenDisk\0USBSTOR\\Disk"), &cls, &sub), -ENOENT);
	assert_int_equal(usbid_compat_class("", 0, &cls, &sub), -ENOENT);
	/* a list cut short (no final NUL in the buffer) is read no further than its length */
	assert_int_equal(usbid_compat_class("USB\\Class_0", 11, &cls, &sub), -ENOENT);
}

static void test_location_ports(void **state)
{
	uint8_t p[USB_PORTS_MAX];

	(void)state;
	assert_int_equal(usbid_location_ports(MULTI("PCIROOT(0)#PCI(1400)#USBROOT(0)#USB(2)#USB(1)"
						    "\0ACPI(_SB_)#ACPI(PCI0)#ACPI(XHC_)#ACPI(RHUB)"),
					      p, USB_PORTS_MAX), 2);
	assert_int_equal(p[0], 2);
	assert_int_equal(p[1], 1);
	/* the first path with a root hub counts */
	assert_int_equal(usbid_location_ports(MULTI("ACPI(_SB_)#ACPI(PCI0)#ACPI(XHC_)\0"
						    "PCIROOT(0)#PCI(1400)#USBROOT(0)#USB(14)"),
					      p, USB_PORTS_MAX), 1);
	assert_int_equal(p[0], 14);
	/* a composite device's function: the ports end at its USBMI element */
	assert_int_equal(usbid_location_ports(MULTI("PCIROOT(0)#PCI(1400)#USBROOT(0)#USB(3)#USBMI(0)"),
					      p, USB_PORTS_MAX), 1);
	assert_int_equal(p[0], 3);
	/* the root hub itself, port 0, a chain too deep, no root hub */
	assert_int_equal(usbid_location_ports(MULTI("PCIROOT(0)#PCI(1400)#USBROOT(0)"), p,
					      USB_PORTS_MAX), -ENOENT);
	assert_int_equal(usbid_location_ports(MULTI("PCIROOT(0)#USBROOT(0)#USB(0)"), p,
					      USB_PORTS_MAX), -ENOENT);
	assert_int_equal(usbid_location_ports(MULTI("PCIROOT(0)#USBROOT(0)#USB(1)#USB(2)#USB(3)"), p,
					      2), -ENOENT);
	assert_int_equal(usbid_location_ports(MULTI("PCIROOT(0)#PCI(1400)"), p, USB_PORTS_MAX),
			 -ENOENT);
	assert_int_equal(usbid_location_ports("", 0, p, USB_PORTS_MAX), -ENOENT);
}

static void test_match(void **state)
{
	static const struct usb_found list[] = {
		{ .bus = 1, .address = 3, .vendor_id = 0x0781, .product_id = 0x5567,
		  .ports = { 2 }, .port_count = 1 },
		{ .bus = 1, .address = 4, .vendor_id = 0x0781, .product_id = 0x5567,
		  .ports = { 3, 1 }, .port_count = 2 },
		{ .bus = 2, .address = 2, .vendor_id = 0x0781, .product_id = 0x5567,
		  .ports = { 3, 1 }, .port_count = 2 },
		{ .bus = 1, .address = 5, .vendor_id = 0x0bda, .product_id = 0x8153,
		  .ports = { 4 }, .port_count = 1 },
		{ .bus = 1, .address = 6, .vendor_id = 0x0bda, .product_id = 0x8153 },
	};
	static const uint8_t at2[] = { 2 }, at31[] = { 3, 1 }, at4[] = { 4 }, at3[] = { 3 };

	(void)state;
	assert_int_equal(usbid_match(list, 5, 0x0781, 0x5567, at2, 1), 0);
	assert_int_equal(usbid_match(list, 5, 0x0bda, 0x8153, at4, 1), 3);
	/* the same key at the same ports of two host controllers: which one cannot be told */
	assert_int_equal(usbid_match(list, 5, 0x0781, 0x5567, at31, 2), -EEXIST);
	assert_int_equal(usbid_match(list, 2, 0x0781, 0x5567, at31, 2), 1);
	/* other ids at those ports, a prefix of a longer chain, no ports at all */
	assert_int_equal(usbid_match(list, 5, 0x0781, 0x5568, at2, 1), -ENOENT);
	assert_int_equal(usbid_match(list, 5, 0x0781, 0x5567, at3, 1), -ENOENT);
	assert_int_equal(usbid_match(list, 5, 0x0bda, 0x8153, at4, 0), -ENOENT);
	assert_int_equal(usbid_match(list, 0, 0x0781, 0x5567, at2, 1), -ENOENT);
}

static void test_nic_fill(void **state)
{
	struct usbdev_nic n;
	char kind[16];

	(void)state;
	/* a vendor NIC on its own device */
	memset(&n, 0, sizeof(n));
	usbid_nic_fill(&n, "USB\\VID_0BDA&PID_8153\\000001000000",
		       MULTI("USB\\Class_ff&SubClass_ff&Prot_00\0USB\\Class_ff&SubClass_ff\0"
			     "USB\\Class_ff"), "rtux64w10", "USB 10/100/1000 LAN");
	assert_true(n.usb);
	assert_int_equal(n.vendor_id, 0x0bda);
	assert_int_equal(n.product_id, 0x8153);
	assert_string_equal(n.driver, "rtux64w10");
	assert_string_equal(n.product, "USB 10/100/1000 LAN");
	assert_string_equal(usbdev_nic_kind(&n, kind, sizeof(kind)), "vendor-specific");
	/* a CDC NCM function of a composite device */
	memset(&n, 0, sizeof(n));
	usbid_nic_fill(&n, "USB\\VID_0B95&PID_1790&MI_00\\6&2C3B1A0&0&0000",
		       MULTI("USB\\Class_02&SubClass_0d&Prot_00"), "UsbNcm", "AX88179A");
	assert_true(n.usb);
	assert_int_equal(n.product_id, 0x1790);
	assert_string_equal(usbdev_nic_kind(&n, kind, sizeof(kind)), "CDC NCM");
	/* a built-in NIC: its driver, nothing of USB */
	memset(&n, 0, sizeof(n));
	usbid_nic_fill(&n, "PCI\\VEN_8086&DEV_15BB&SUBSYS_07B41028&REV_10\\3&11583659&0&FE",
		       MULTI("PCI\\VEN_8086&DEV_15BB&REV_10\0PCI\\CC_020000"), "e1dexpress",
		       "Ethernet Connection (7) I219-LM");
	assert_false(n.usb);
	assert_string_equal(n.driver, "e1dexpress");
	assert_int_equal(n.vendor_id, 0);
	assert_string_equal(n.product, "");
	/* nothing known of the device */
	memset(&n, 0, sizeof(n));
	usbid_nic_fill(&n, NULL, NULL, 0, NULL, NULL);
	assert_false(n.usb);
	assert_string_equal(n.driver, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instance_device),
		cmocka_unit_test(test_instance_made_up),
		cmocka_unit_test(test_instance_refused),
		cmocka_unit_test(test_compat_class),
		cmocka_unit_test(test_location_ports),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_nic_fill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

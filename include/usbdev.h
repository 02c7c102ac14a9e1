/* SPDX-License-Identifier: MIT */
/* Which USB key a mount point or block device is: sysfs for the mapping, libusb for the
 * device's own descriptors. */
#ifndef AMTACT_USBDEV_H
#define AMTACT_USBDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define USBDEV_STR_MAX 128

/* What a USB device says of itself in its descriptors. */
struct usb_desc {
	uint16_t vendor_id, product_id;
	char manufacturer[USBDEV_STR_MAX];
	char product[USBDEV_STR_MAX];
	char serial[USBDEV_STR_MAX];
};

/* Hub ports from the root hub down to a device: the USB 3 limit is 7 tiers. */
#define USB_PORTS_MAX 7

/* One device the USB library enumerated, from descriptors read without opening it. */
struct usb_found {
	unsigned bus, address;
	uint16_t vendor_id, product_id;
	uint8_t ports[USB_PORTS_MAX];
	size_t port_count;              /* 0: the library could not say */
	bool config_read;               /* its first configuration descriptor was read */
	bool mass_storage;              /* an interface of class 0x08 in that configuration */
	bool has_serial;                /* its device descriptor names a serial string */
};

/*
 * What amtact asks of a USB library:
 *   describe  the descriptors of the device at bus/address (device descriptor, string
 *             descriptors). Returns 0, -ENODEV (no such device), -EACCES (not allowed to
 *             open it), -ENOTSUP (its driver does not let the library open it) or another
 *             negative errno.
 *   list      every USB device, at most cap of them into out, *count set to how many.
 *             Returns 0 or a negative errno.
 * usb_libusb is the real one (src/usb_libusb.c, the only file that includes libusb); tests
 * pass their own.
 */
struct usb_backend {
	const char *name;
	int (*describe)(unsigned bus, unsigned address, struct usb_desc *out);
	int (*list)(struct usb_found *out, size_t cap, size_t *count);
};
extern const struct usb_backend usb_libusb;

/*
 * libusb and libudev are loaded only by the command that reads a key's descriptors: the
 * backend is the module amtact-usb.so (src/usb_libusb.c), which exports amtact_usb_1.
 * The Windows build links it in.
 */
#define USB_MODULE_ABI 2
#define USB_MODULE_SYMBOL "amtact_usb_1"
struct usb_module {
	unsigned abi;           /* USB_MODULE_ABI */
	size_t size, desc_size; /* sizeof(struct usb_module), sizeof(struct usb_desc) */
	const struct usb_backend *backend;
};
extern const struct usb_module amtact_usb_1;

/*
 * The USB library, loaded on first use (src/usb_load.c). NULL when the module is missing,
 * not trusted or from another version; why then says so and where it looked.
 */
const struct usb_backend *usb_backend_load(char *why, size_t cap);

struct usbdev_key {
	char source[256];       /* "/dev/sdb1"; Windows: \\.\PhysicalDrive2 */
	char disk[64];          /* "sdb"; Windows: "PhysicalDrive2" */
	char mount[512];        /* its mount point; Windows: the drive, E:\ */
	char fstype[32];        /* "vfat"; Windows: "FAT32" or "FAT" */
	unsigned busnum, devnum;
	uint8_t iface_class;    /* 8: mass storage */
	struct usb_desc id;     /* from the descriptors when from_descriptors, else sysfs */
	bool from_descriptors;
	char note[160];         /* why the descriptors could not be read ("" if they were) */
};

/*
 * Find the USB key behind `target`, a mount point or a block device ("/dev/sdb1"), and
 * check it is one amtact may write to: mounted, on a removable disk, a USB device with a
 * mass-storage interface, FAT (vfat). Linux: the mounts from <root>/proc/self/mounts, the
 * devices from <root>/sys (`root` "" is the running system; tests pass a faked tree).
 * `usb` (may be NULL) reads the descriptors; if it fails, sysfs's copies of the strings
 * are used and k->note says why. Windows: `target` is a drive (E: or E:\ or E:/) or a
 * folder a volume is mounted on, `root` is ignored; the storage driver and SetupAPI map it
 * to its USB device, `usb` lists the devices to read that device's descriptors, and
 * Windows's names stand in for strings the library cannot read. Returns 0, or
 * -EMEDIUMTYPE (not a removable USB mass-storage disk), -ENODEV, -EINVAL or another
 * negative errno, with e saying what the target is and why it is refused.
 */
int usbdev_find(const char *root, const char *target, const struct usb_backend *usb,
		struct usbdev_key *k, struct amt_err *e);

/* ---- network interfaces on USB (diagnose) -------------------------------------------- */

#define USBDEV_NICS_MAX 16
#define USBDEV_IFNAME_MAX 32

/* One network interface of the OS, and the USB device under it if there is one. */
struct usbdev_nic {
	char name[USBDEV_IFNAME_MAX];   /* "enx00e04c680001" */
	char driver[32];                /* "cdc_ether", "r8152" ("" unknown) */
	bool up;                        /* operstate "up" */
	bool usb;                       /* on a USB device */
	uint16_t vendor_id, product_id;
	uint8_t iface_class, iface_subclass; /* of its USB interface (CDC 0x02/0x06 ECM, 0x0d NCM) */
	char product[USBDEV_STR_MAX];
};

struct usbdev_net {
	size_t count;
	struct usbdev_nic nic[USBDEV_NICS_MAX];
	char default_if[USBDEV_IFNAME_MAX]; /* the interface of the IPv4 default route, "" none */
};

/*
 * The OS's network interfaces (but loopback) from <root>/sys/class/net, each mapped to its
 * USB device where it has one, and the default route's interface from
 * <root>/proc/net/route. Windows: the adapters of GetAdaptersAddresses (named by their
 * friendly name), mapped through SetupAPI, and the IPv4 route table. sysfs and SetupAPI say
 * all diagnose needs (ids, interface class, driver, product), so no USB library is asked. Never fails: what cannot be read is left
 * out (count 0 when there is no sysfs).
 */
void usbdev_net_scan(const char *root, struct usbdev_net *out);

/* "CDC ECM", "CDC NCM", "RNDIS", "vendor-specific" or "class 0xNN" for a NIC's interface. */
const char *usbdev_nic_kind(const struct usbdev_nic *n, char *buf, size_t cap);

#endif

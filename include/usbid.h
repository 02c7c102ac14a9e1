/* SPDX-License-Identifier: MIT */
/*
 * How Windows names USB devices, read without Windows: device instance ids
 * ("USB\VID_0781&PID_5567\4C530001231219115415"), compatible ids ("USB\Class_08&SubClass_06"),
 * location paths ("PCIROOT(0)#PCI(1400)#USBROOT(0)#USB(2)#USB(1)"), and the match between
 * a device Windows names and one the USB library lists. The Windows port layer
 * (src/os/windows_usb.c) asks SetupAPI for the strings; this decides what they mean.
 * Pure functions on text (UTF-8), no allocation.
 */
#ifndef AMTACT_USBID_H
#define AMTACT_USBID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "usbdev.h"

/* A USB device instance id, taken apart. */
struct usbid {
	uint16_t vendor_id, product_id;
	int mi;                         /* MI_xx: a function of a composite device; -1: the device */
	char serial[USBDEV_STR_MAX];    /* the device's serial number; "" when Windows made the
					   id up (no serial string, or one it would not use) */
};

/*
 * Parse a device instance id "USB\VID_vvvv&PID_pppp[&MI_ii]\INSTANCE" (letters in any case).
 * Returns 0, or -EINVAL when it is not a USB device's id (USBSTOR\..., PCI\..., a hub's
 * ROOT_HUB30, or malformed). Windows uses the serial string as INSTANCE when the device has
 * one it accepts; an INSTANCE it made up holds a "&", and gives serial "".
 */
int usbid_instance_parse(const char *id, struct usbid *out);

/*
 * The interface class in a list of compatible ids (a REG_MULTI_SZ: strings each ending in
 * NUL, `len` bytes in all), from "USB\Class_cc&SubClass_ss&Prot_pp" or the shorter forms.
 * Returns 0 with class and subclass (subclass 0 when not given), or -ENOENT.
 */
int usbid_compat_class(const char *ids, size_t len, uint8_t *cls, uint8_t *subclass);

/*
 * The hub ports from the root hub down to the device, from a list of location paths (a
 * REG_MULTI_SZ, `len` bytes): the "USB(n)" elements after "USBROOT(n)" in the first path
 * that has one. Returns the number of ports (1 to cap), or -ENOENT.
 */
int usbid_location_ports(const char *paths, size_t len, uint8_t *ports, size_t cap);

/*
 * The device in `list` (what the USB library enumerated) that has these ids and sits at
 * these ports. Returns its index, -ENOENT when none does, -EEXIST when more than one does
 * (two host controllers with the same device at the same ports: it cannot be told which).
 */
int usbid_match(const struct usb_found *list, size_t count, uint16_t vendor_id,
		uint16_t product_id, const uint8_t *ports, size_t port_count);

/*
 * A network adapter's USB facts from its device's strings: its instance id (the function's
 * when the adapter is one interface of a composite device), compatible ids (`compat`,
 * `compat_len`, may be empty), the driver's service name and the product name the device
 * reported. Sets n->usb, ids, interface class and subclass, driver and product; a device
 * that is not on USB only gets its driver.
 */
void usbid_nic_fill(struct usbdev_nic *n, const char *instance_id, const char *compat,
		    size_t compat_len, const char *service, const char *product);

#endif

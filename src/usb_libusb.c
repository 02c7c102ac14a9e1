// SPDX-License-Identifier: MIT
/* The USB library behind include/usbdev.h: libusb lists devices and reads their descriptors,
 * the same way on Linux and Windows. The only file that includes libusb; built as the module
 * amtact-usb.so (src/usb_load.c loads it), linked in on Windows. */
#include <errno.h>
#include <string.h>

#include <libusb.h>

#include "usbdev.h"

static int to_errno(int rc)
{
	switch (rc) {
	case LIBUSB_ERROR_ACCESS: return -EACCES;
	case LIBUSB_ERROR_NO_DEVICE:
	case LIBUSB_ERROR_NOT_FOUND: return -ENODEV;
	case LIBUSB_ERROR_BUSY: return -EBUSY;
	case LIBUSB_ERROR_NO_MEM: return -ENOMEM;
	case LIBUSB_ERROR_NOT_SUPPORTED: return -ENOTSUP;
	case LIBUSB_ERROR_TIMEOUT: return -ETIMEDOUT;
	default: return -EIO;
	}
}

/* A string descriptor in ASCII ("" when the device has none or will not say). */
static void string_desc(libusb_device_handle *h, uint8_t index, char *out, size_t cap)
{
	int n = index ? libusb_get_string_descriptor_ascii(h, index, (unsigned char *)out,
							   (int)cap - 1) : 0;

	out[n > 0 ? n : 0] = 0;
}

/*
 * The device descriptor is read without opening the device; the strings need it opened
 * (root, or a udev rule), and are left to sysfs's copies when that is refused.
 */
static int describe(unsigned bus, unsigned address, struct usb_desc *out)
{
	struct libusb_device_descriptor dd;
	libusb_device **list = NULL;
	libusb_device_handle *h = NULL;
	libusb_context *ctx = NULL;
	libusb_device *dev = NULL;
	ssize_t n;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = libusb_init(&ctx);
	if (ret < 0)
		return to_errno(ret);
	n = libusb_get_device_list(ctx, &list);
	for (ssize_t i = 0; i < n && !dev; i++)
		if (libusb_get_bus_number(list[i]) == bus &&
		    libusb_get_device_address(list[i]) == address)
			dev = list[i];
	ret = n < 0 ? to_errno((int)n) : dev ? 0 : -ENODEV;
	if (ret == 0)
		ret = to_errno(libusb_get_device_descriptor(dev, &dd));
	if (ret == 0) {
		out->vendor_id = dd.idVendor;
		out->product_id = dd.idProduct;
		ret = libusb_open(dev, &h);
		ret = ret < 0 ? to_errno(ret) : 0;
	}
	if (ret == 0) {
		string_desc(h, dd.iManufacturer, out->manufacturer, sizeof(out->manufacturer));
		string_desc(h, dd.iProduct, out->product, sizeof(out->product));
		string_desc(h, dd.iSerialNumber, out->serial, sizeof(out->serial));
		libusb_close(h);
	}
	if (n >= 0)
		libusb_free_device_list(list, 1);
	libusb_exit(ctx);
	return ret;
}

/* Does the first configuration have a mass-storage interface (USB-IF class 0x08)? */
static void mass_storage(libusb_device *dev, struct usb_found *f)
{
	struct libusb_config_descriptor *cfg;

	if (libusb_get_config_descriptor(dev, 0, &cfg) < 0)
		return;
	f->config_read = true;
	for (uint8_t i = 0; i < cfg->bNumInterfaces && !f->mass_storage; i++)
		for (int a = 0; a < cfg->interface[i].num_altsetting && !f->mass_storage; a++)
			f->mass_storage = cfg->interface[i].altsetting[a].bInterfaceClass == 0x08;
	libusb_free_config_descriptor(cfg);
}

/*
 * Every device with what its descriptors say, none opened: on Windows libusb reads them
 * from the hub, so this works for devices whose driver (the mass-storage one) it cannot open.
 */
static int list(struct usb_found *out, size_t cap, size_t *count)
{
	struct libusb_device_descriptor dd;
	libusb_device **devs = NULL;
	libusb_context *ctx = NULL;
	ssize_t n;
	int ret;

	*count = 0;
	ret = libusb_init(&ctx);
	if (ret < 0)
		return to_errno(ret);
	n = libusb_get_device_list(ctx, &devs);
	for (ssize_t i = 0; i < n && *count < cap; i++) {
		struct usb_found *f = &out[*count];
		int ports;

		if (libusb_get_device_descriptor(devs[i], &dd) < 0)
			continue;
		memset(f, 0, sizeof(*f));
		f->bus = libusb_get_bus_number(devs[i]);
		f->address = libusb_get_device_address(devs[i]);
		f->vendor_id = dd.idVendor;
		f->product_id = dd.idProduct;
		f->has_serial = dd.iSerialNumber != 0;
		ports = libusb_get_port_numbers(devs[i], f->ports, USB_PORTS_MAX);
		f->port_count = ports > 0 ? (size_t)ports : 0;
		mass_storage(devs[i], f);
		(*count)++;
	}
	ret = n < 0 ? to_errno((int)n) : 0;
	if (n >= 0)
		libusb_free_device_list(devs, 1);
	libusb_exit(ctx);
	return ret;
}

const struct usb_backend usb_libusb = { "libusb", describe, list };
const struct usb_module amtact_usb_1 = {
	USB_MODULE_ABI, sizeof(struct usb_module), sizeof(struct usb_desc), &usb_libusb
};

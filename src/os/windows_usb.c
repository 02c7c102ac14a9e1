// SPDX-License-Identifier: MIT
/* USB keys and USB network adapters on Windows: not read yet (include/usbdev.h). */
#include <errno.h>
#include <string.h>

#include "usbdev.h"

/* The Windows build has no USB library: libusb is not among its cross-built libraries. */
static int no_describe(unsigned bus, unsigned address, struct usb_desc *out)
{
	(void)bus;
	(void)address;
	memset(out, 0, sizeof(*out));
	return -ENOTSUP;
}

const struct usb_backend usb_libusb = { "none", no_describe };

int usbdev_find(const char *root, const char *target, const struct usb_backend *usb,
		struct usbdev_key *k, struct amt_err *e)
{
	(void)root;
	(void)usb;
	memset(k, 0, sizeof(*k));
	return err_set(e, -ENOTSUP, "%s: finding a USB key's device is not available in the "
		       "Windows build yet (write the file and copy it to the key)", target);
}

/* Nothing found: diagnose then says no USB network adapter was seen. */
void usbdev_net_scan(const char *root, struct usbdev_net *out)
{
	(void)root;
	memset(out, 0, sizeof(*out));
}

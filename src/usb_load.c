// SPDX-License-Identifier: MIT
/*
 * Loading the USB library module (include/usbdev.h): only `usbkey write --key` pays for
 * libusb and libudev; every other command starts without them. AMTACT_USB_STATIC (and
 * Windows) links src/usb_libusb.c in instead.
 */
#include <stdio.h>

#include "module.h"
#include "usbdev.h"

#if defined(_WIN32) && !defined(AMTACT_USB_STATIC)
#define AMTACT_USB_STATIC 1
#endif

#ifdef AMTACT_USB_STATIC
const struct usb_backend *usb_backend_load(char *why, size_t cap)
{
	if (cap)
		why[0] = 0;
	return &usb_libusb;
}
#else
static int fits(const void *sym)
{
	const struct usb_module *m = sym;

	return m->abi == USB_MODULE_ABI && m->size == sizeof(*m) &&
	       m->desc_size == sizeof(struct usb_desc) && m->backend;
}

const struct usb_backend *usb_backend_load(char *why, size_t cap)
{
	static const struct usb_module *loaded;
	static char error[512];
	static int ret = 1; /* 1: not tried yet */
	const void *sym;

	if (ret == 1) {
		ret = module_load("amtact-usb.so", "USB module", USB_MODULE_SYMBOL, fits, &sym,
				  error, sizeof(error));
		if (ret == 0)
			loaded = sym;
	}
	snprintf(why, cap, "%s", error);
	return loaded ? loaded->backend : NULL;
}
#endif

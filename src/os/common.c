// SPDX-License-Identifier: MIT
/* The port layer's rules that are the same on every system (os_int.h). */
#include <errno.h>
#include <stdio.h>

#include "os_int.h"
#include "usbdev.h"

int os_dir_verdict(const struct os_stat *st, unsigned flags)
{
	if (st->type != OS_TYPE_DIR)
		return -ENOTDIR;
	if ((flags & OS_DIR_PRIVATE) && (!st->owner_is_us || st->others_write))
		return -EPERM;
	return 0;
}

const char *usbdev_nic_kind(const struct usbdev_nic *n, char *buf, size_t cap)
{
	/* USB-IF class codes; CDC subclasses from the CDC 1.2 specification */
	if (n->iface_class == 0x02 && n->iface_subclass == 0x06)
		return "CDC ECM";
	if (n->iface_class == 0x02 && n->iface_subclass == 0x0d)
		return "CDC NCM";
	if (n->iface_class == 0xe0)
		return "RNDIS";
	if (n->iface_class == 0xff)
		return "vendor-specific";
	snprintf(buf, cap, "class 0x%02x", n->iface_class);
	return buf;
}

// SPDX-License-Identifier: MIT
/* Why there is no ME device, in names and words (include/medev.h); the looking, and the
 * words that name a system's driver, are the port layer's (src/os/posix_medev.c,
 * src/os/windows_medev.c). */
#include <stdio.h>

#include "medev.h"

const char *medev_absence_name(enum medev_absence a)
{
	switch (a) {
	case MEDEV_NO_HARDWARE:
		return "no_hardware";
	case MEDEV_NO_DRIVER:
		return "no_driver";
	case MEDEV_NO_NODE:
		return "no_node";
	default:
		return "unknown";
	}
}

const char *medev_text(const struct medev_probe *p, char *buf, size_t cap)
{
	switch (p->absence) {
	case MEDEV_NO_HARDWARE:
		snprintf(buf, cap, "no Intel ME interface among the PCI devices (a machine "
			 "without an Intel ME, or one hidden or switched off in the firmware "
			 "setup)");
		break;
	case MEDEV_NO_DRIVER:
	case MEDEV_NO_NODE:
		medev_os_text(p, buf, cap);
		break;
	default:
		snprintf(buf, cap, "the PCI devices could not be read to tell why");
		break;
	}
	return buf;
}

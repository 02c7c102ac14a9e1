/* SPDX-License-Identifier: MIT */
/*
 * Why there is no MEI/HECI device to open, as far as the operating system can tell: no ME
 * the system can see, an ME without its driver, or a driver whose device is not where it
 * was looked for. Read from the system's device tree (Linux: sysfs; Windows: SetupAPI's
 * PCI devices); used to say which of those a missing device is.
 */
#ifndef AMTACT_MEDEV_H
#define AMTACT_MEDEV_H

#include <stdbool.h>
#include <stddef.h>

enum medev_absence {
	MEDEV_UNKNOWN = 0,  /* the system's device tree could not be read */
	MEDEV_NO_HARDWARE,  /* no Intel ME interface (PCI class 0x0780) among the PCI devices */
	MEDEV_NO_DRIVER,    /* the ME interface is there, and no driver has taken it */
	MEDEV_NO_NODE,      /* a driver has taken it, but the device is not where it was
			       looked for (another --device path, or no device node made) */
};

struct medev_probe {
	enum medev_absence absence;
	char pci[80];         /* the ME interface's PCI address or location, "" when none */
	char driver[64];      /* the driver (service) that took it, "" when none */
	char node[64];        /* the device the driver made ("mei0"), "" when not known */
	bool module_loaded;   /* MEDEV_NO_DRIVER on Linux: mei_me is loaded all the same */
};

/*
 * Look. root is prepended to the system paths read ("" for the running system; tests give
 * a faked tree). Never fails: what cannot be read leaves MEDEV_UNKNOWN.
 * Implemented per system (src/os/posix_medev.c, src/os/windows_medev.c).
 */
void medev_probe(const char *root, struct medev_probe *out);

/* "unknown", "no_hardware", "no_driver", "no_node": stable names (report, --json). */
const char *medev_absence_name(enum medev_absence a);

/* The finding in words for people, into buf (no trailing period). Returns buf. */
const char *medev_text(const struct medev_probe *p, char *buf, size_t cap);

/* The words for MEDEV_NO_DRIVER and MEDEV_NO_NODE, which name the system's driver and what
 * to do about it: per system, as medev_probe. */
void medev_os_text(const struct medev_probe *p, char *buf, size_t cap);

#endif

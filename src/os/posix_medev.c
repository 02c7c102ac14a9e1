// SPDX-License-Identifier: MIT
/*
 * Why there is no MEI device on Linux (include/medev.h): the ME's host interface is a PCI
 * function of Intel's (vendor 0x8086) with class 0x0780 ("communication controller,
 * other"), which the mei_me driver takes and registers as /sys/class/mei/meiN.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "medev.h"

#define PATH_CAP 1024

/* dir/name into out; false when it does not fit (then it is not looked at). */
static bool join(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);

	return n > 0 && (size_t)n < cap;
}

/* Copy src into out, cut to fit (names here are short: a PCI address, a driver). */
static void copy(char *out, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = cap - 1;
	memcpy(out, src, n);
	out[n] = '\0';
}

/* The first line of path into buf, without its newline; "" when it cannot be read. */
static void read_line(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "re");
	size_t n;

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)cap, f))
		buf[0] = '\0';
	fclose(f);
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
}

static bool is_me_interface(const char *dev)
{
	char path[PATH_CAP], vendor[16], cls[16];

	if (!join(path, sizeof(path), dev, "vendor"))
		return false;
	read_line(path, vendor, sizeof(vendor));
	if (!join(path, sizeof(path), dev, "class"))
		return false;
	read_line(path, cls, sizeof(cls));
	return strcmp(vendor, "0x8086") == 0 && strncmp(cls, "0x0780", 6) == 0;
}

/* The name of the driver bound to dev (its "driver" link's last component), or "". */
static void bound_driver(const char *dev, char *out, size_t cap)
{
	char path[PATH_CAP], target[PATH_CAP];
	const char *slash;
	ssize_t n;

	out[0] = '\0';
	if (!join(path, sizeof(path), dev, "driver"))
		return;
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	slash = strrchr(target, '/');
	copy(out, cap, slash ? slash + 1 : target);
}

/* The first meiN the driver registered for dev, or "". */
static void mei_node(const char *dev, char *out, size_t cap)
{
	char path[PATH_CAP];
	struct dirent *e;
	DIR *d;

	out[0] = '\0';
	if (!join(path, sizeof(path), dev, "mei"))
		return;
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "mei", 3) == 0) {
			copy(out, cap, e->d_name);
			break;
		}
	closedir(d);
}

/* Note one ME interface; one with a driver wins over one without. */
static void consider(struct medev_probe *out, const char *dir, const char *name)
{
	char dev[PATH_CAP], driver[sizeof(out->driver)];

	if (!join(dev, sizeof(dev), dir, name) || !is_me_interface(dev))
		return;
	bound_driver(dev, driver, sizeof(driver));
	if (out->absence == MEDEV_NO_NODE || (out->absence == MEDEV_NO_DRIVER && !driver[0]))
		return;
	copy(out->pci, sizeof(out->pci), name);
	copy(out->driver, sizeof(out->driver), driver);
	out->absence = driver[0] ? MEDEV_NO_NODE : MEDEV_NO_DRIVER;
	if (driver[0])
		mei_node(dev, out->node, sizeof(out->node));
}

void medev_probe(const char *root, struct medev_probe *out)
{
	char dir[PATH_CAP], path[PATH_CAP];
	struct dirent *e;
	size_t seen = 0;
	DIR *d;

	memset(out, 0, sizeof(*out));
	if (!join(dir, sizeof(dir), root ? root : "", "sys/bus/pci/devices"))
		return;
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		seen++;
		consider(out, dir, e->d_name);
	}
	closedir(d);
	/* No PCI device at all is no answer (a container, or no sysfs mounted). */
	if (!seen)
		return;
	if (out->absence == MEDEV_UNKNOWN)
		out->absence = MEDEV_NO_HARDWARE;
	out->module_loaded = join(path, sizeof(path), root ? root : "", "sys/module/mei_me") &&
			     access(path, F_OK) == 0;
}

void medev_os_text(const struct medev_probe *p, char *buf, size_t cap)
{
	if (p->absence == MEDEV_NO_DRIVER)
		snprintf(buf, cap, "the ME interface (PCI %s) has no driver: %s", p->pci,
			 p->module_loaded ? "mei_me is loaded but did not take it (a kernel "
			 "older than this ME, or the ME did not start; the kernel log says which)" :
			 "the mei_me module is not loaded (modprobe mei_me)");
	else
		snprintf(buf, cap, "the ME interface (PCI %s) has its driver, %s%s%s, but its "
			 "device is not at the path looked at (/dev/%s is the usual one)", p->pci,
			 p->driver, p->node[0] ? ", as " : "", p->node,
			 p->node[0] ? p->node : "mei0");
}

// SPDX-License-Identifier: MIT
/*
 * Unit tests for include/medev.h on a faked sysfs: PCI devices laid out as the Linux kernel
 * does (vendor, class, a driver link, the mei/meiN folder). No PCI device readable: unknown;
 * no Intel 0x0780 function (an AMD machine's devices, an Intel NIC): no ME hardware; the ME
 * interface without a driver: no driver, telling a loaded mei_me from a missing one; with
 * mei_me bound: no device node. Names and words are checked too.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "medev.h"
#include "testlib.h"

#define PCI "/sys/bus/pci/devices"
#define ME_FN "0000:00:16.0"

/* A folder under the fake root, and the folders above it. */
static void mkdirs(const char *rel)
{
	char p[1024];

	testlib_tmp_path(p, sizeof(p), rel);
	for (char *s = p + strlen(testlib_tmpdir()) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	}
	mkdir(p, 0700);
}

/* A file under the fake root holding one line. */
static void put(const char *rel, const char *line)
{
	char p[1024], text[256];

	snprintf(text, sizeof(text), "%s\n", line);
	testlib_write_file(testlib_tmp_path(p, sizeof(p), rel), text, 0644);
}

static void pci_device(const char *name, const char *vendor, const char *cls)
{
	char dir[256], file[300];

	snprintf(dir, sizeof(dir), PCI "/%s", name);
	mkdirs(dir);
	snprintf(file, sizeof(file), "%s/vendor", dir);
	put(file, vendor);
	snprintf(file, sizeof(file), "%s/class", dir);
	put(file, cls);
}

/* name's driver link, to /sys/bus/pci/drivers/DRIVER as the kernel makes it. */
static void bind(const char *name, const char *driver)
{
	char rel[256], link[1024], to[1024];

	snprintf(rel, sizeof(rel), "/sys/bus/pci/drivers/%s", driver);
	mkdirs(rel);
	testlib_tmp_path(to, sizeof(to), rel);
	snprintf(rel, sizeof(rel), PCI "/%s/driver", name);
	testlib_tmp_path(link, sizeof(link), rel);
	assert_int_equal(symlink(to, link), 0);
}

/* Another machine's devices: a host bridge, an Intel NIC, AMD's PSP. */
static void other_devices(void)
{
	pci_device("0000:00:00.0", "0x1022", "0x060000");
	pci_device("0000:00:1f.6", "0x8086", "0x020000");
	pci_device("0000:05:00.2", "0x1022", "0x108000");
}

static int reset(void **state)
{
	(void)state;
	testlib_tmpdir_remove();
	return testlib_tmpdir_make();
}

static void test_unknown(void **state)
{
	struct medev_probe p;
	char text[300];

	(void)state;
	medev_probe(testlib_tmpdir(), &p);
	assert_int_equal(p.absence, MEDEV_UNKNOWN);
	mkdirs(PCI); /* sysfs there, no device in it: a container, not an answer */
	medev_probe(testlib_tmpdir(), &p);
	assert_int_equal(p.absence, MEDEV_UNKNOWN);
	assert_string_equal(medev_absence_name(p.absence), "unknown");
	assert_non_null(strstr(medev_text(&p, text, sizeof(text)), "could not be read"));
}

static void test_no_hardware(void **state)
{
	struct medev_probe p;
	char text[300];

	(void)state;
	other_devices();
	medev_probe(testlib_tmpdir(), &p);
	assert_int_equal(p.absence, MEDEV_NO_HARDWARE);
	assert_string_equal(p.pci, "");
	assert_string_equal(medev_absence_name(p.absence), "no_hardware");
	assert_non_null(strstr(medev_text(&p, text, sizeof(text)),
			       "no Intel ME interface among the PCI devices"));
}

static void test_no_driver(void **state)
{
	struct medev_probe p;
	char text[300];

	(void)state;
	other_devices();
	pci_device(ME_FN, "0x8086", "0x078000");
	medev_probe(testlib_tmpdir(), &p);
	assert_int_equal(p.absence, MEDEV_NO_DRIVER);
	assert_string_equal(p.pci, ME_FN);
	assert_string_equal(p.driver, "");
	assert_false(p.module_loaded);
	assert_string_equal(medev_absence_name(p.absence), "no_driver");
	medev_text(&p, text, sizeof(text));
	assert_non_null(strstr(text, "the ME interface (PCI " ME_FN ") has no driver"));
	assert_non_null(strstr(text, "modprobe mei_me"));
	/* The module is there and did not take it: loading it again would not help. */
	mkdirs("/sys/module/mei_me");
	medev_probe(testlib_tmpdir(), &p);
	assert_int_equal(p.absence, MEDEV_NO_DRIVER);
	assert_true(p.module_loaded);
	medev_text(&p, text, sizeof(text));
	assert_non_null(strstr(text, "mei_me is loaded but did not take it"));
	assert_null(strstr(text, "modprobe"));
}

static void test_no_node(void **state)
{
	struct medev_probe p;
	char text[300];

	(void)state;
	other_devices();
	/* A second ME function without a driver (HECI2) does not hide the first one's. */
	pci_device(ME_FN, "0x8086", "0x078000");
	pci_device("0000:00:16.1", "0x8086", "0x078000");
	bind(ME_FN, "mei_me");
	mkdirs(PCI "/" ME_FN "/mei/mei0");
	medev_probe(testlib_tmpdir(), &p);
	assert_int_equal(p.absence, MEDEV_NO_NODE);
	assert_string_equal(p.pci, ME_FN);
	assert_string_equal(p.driver, "mei_me");
	assert_string_equal(p.node, "mei0");
	assert_string_equal(medev_absence_name(p.absence), "no_node");
	medev_text(&p, text, sizeof(text));
	assert_non_null(strstr(text, "has its driver, mei_me, as mei0"));
	assert_non_null(strstr(text, "/dev/mei0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_unknown, reset),
		cmocka_unit_test_setup(test_no_hardware, reset),
		cmocka_unit_test_setup(test_no_driver, reset),
		cmocka_unit_test_setup(test_no_node, reset),
	};

	return cmocka_run_group_tests(tests, testlib_tmpdir_setup, testlib_tmpdir_teardown);
}

// SPDX-License-Identifier: MIT
/*
 * diagnose's network-path check (src/diag_usbnic.c): the OS's default route on a USB
 * Ethernet adapter while the ME's wired LAN has no link fails (the hellos leave only
 * through the ME's own wired LAN, doc/remote-config.md 2.1); with the ME's link up it is
 * fine; with the ME's LAN unknown it warns; a built-in NIC or no default route is fine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "diag_int.h"

static struct me_info in;
static struct diag_ctx d;
static struct usbdev_net net;

static void facts(bool usb, bool me_known, bool me_enabled, bool me_link)
{
	memset(&d, 0, sizeof(d));
	memset(&in, 0, sizeof(in));
	memset(&net, 0, sizeof(net));
	net.count = 2;
	memcpy(net.nic[0].name, "eno1", 5);
	memcpy(net.nic[1].name, "enx00e04c680001", 16);
	net.nic[1].usb = usb;
	net.nic[1].up = true;
	net.nic[1].vendor_id = 0x0bda;
	net.nic[1].product_id = 0x8153;
	net.nic[1].iface_class = 0x02;
	net.nic[1].iface_subclass = 0x0d;
	memcpy(net.nic[1].driver, "cdc_ncm", 8);
	memcpy(net.default_if, "enx00e04c680001", 16);
	in.lan_item[0].state = me_known ? ME_ITEM_OK : ME_ITEM_ERROR;
	in.lan[0].enabled = me_enabled;
	in.lan[0].link_up = me_link;
	d.in = &in;
}

static const struct diag_check *judged(void)
{
	diag_check_network_path(&d, &net);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.c[0].check, "network_path");
	return &d.c[0];
}

static void test_usb_nic_me_down(void **state)
{
	const struct diag_check *c;

	(void)state;
	facts(true, true, true, false);
	c = judged();
	assert_int_equal(c->result, DIAG_FAIL);
	assert_string_equal(c->id, "usb_nic_only");
	assert_non_null(strstr(c->message, "enx00e04c680001, a USB Ethernet adapter (0bda:8153, "
					   "CDC NCM, driver cdc_ncm)"));
	assert_non_null(strstr(c->message, "the ME's wired LAN has no link: the hellos will "
					   "never leave this box"));
	assert_non_null(strstr(c->hint, "built-in Ethernet port"));
	facts(true, true, false, false);
	c = judged();
	assert_int_equal(c->result, DIAG_FAIL);
	assert_non_null(strstr(c->message, "wired LAN is disabled"));
}

static void test_other_verdicts(void **state)
{
	(void)state;
	facts(true, true, true, true);
	assert_int_equal(judged()->result, DIAG_OK);
	facts(true, false, false, false);
	assert_int_equal(judged()->result, DIAG_WARN);
	assert_string_equal(d.c[0].id, "usb_nic");
	facts(false, true, true, false);
	assert_int_equal(judged()->result, DIAG_OK);
	assert_non_null(strstr(d.c[0].message, "not a USB adapter"));
	facts(true, true, true, false);
	net.default_if[0] = 0;
	assert_int_equal(judged()->result, DIAG_OK);
	assert_non_null(strstr(d.c[0].message, "no IPv4 default route"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usb_nic_me_down),
		cmocka_unit_test(test_other_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

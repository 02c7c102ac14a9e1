// SPDX-License-Identifier: MIT
/* diagnose's network-path check: the OS's network on a USB Ethernet adapter while the ME's
 * own wired LAN is down means the hellos never leave the box (doc/remote-config.md 2.1). */
#include <stdio.h>
#include <string.h>

#include "diag_int.h"

static const char hint_down[] =
	"connect the network cable to the computer's built-in Ethernet port: the ME sends its "
	"hellos only through its own wired LAN, never through a USB adapter or most docks";

void diag_check_network_path(struct diag_ctx *d, const struct usbdev_net *net)
{
	const struct usbdev_nic *n = NULL;
	const struct amt_lan *lan;
	char kind[16], what[300];
	bool known;

	for (size_t i = 0; i < net->count; i++)
		if (strcmp(net->nic[i].name, net->default_if) == 0)
			n = &net->nic[i];
	if (!n) {
		diag_add(d, DIAG_OK, "network_path", NULL, NULL, "no IPv4 default route through a "
			 "network interface: nothing to compare with the ME's LAN");
		return;
	}
	if (!n->usb) {
		diag_add(d, DIAG_OK, "network_path", NULL, NULL, "the operating system's network "
			 "is on %s (not a USB adapter)", n->name);
		return;
	}
	snprintf(what, sizeof(what), "%s, a USB Ethernet adapter (%04x:%04x%s%s, %s%s%s)",
		 n->name, n->vendor_id, n->product_id, n->product[0] ? " " : "", n->product,
		 usbdev_nic_kind(n, kind, sizeof(kind)), n->driver[0] ? ", driver " : "",
		 n->driver);
	known = d->in && d->in->lan_item[0].state == ME_ITEM_OK;
	lan = d->in ? &d->in->lan[0] : NULL;
	if (known && lan->enabled && lan->link_up)
		diag_add(d, DIAG_OK, "network_path", NULL, NULL, "the operating system's network "
			 "is on %s; the ME's own wired LAN has a link too", what);
	else if (known)
		diag_add(d, DIAG_FAIL, "network_path", "usb_nic_only", hint_down,
			 "the operating system's network is on %s while the ME's wired LAN %s: the "
			 "hellos will never leave this box", what,
			 lan->enabled ? "has no link" : "is disabled");
	else
		diag_add(d, DIAG_WARN, "network_path", "usb_nic", hint_down,
			 "the operating system's network is on %s and the ME's wired LAN could not "
			 "be read: if it has no link, the hellos never leave this box", what);
}

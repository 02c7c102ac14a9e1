// SPDX-License-Identifier: MIT
/* What must hold before remote configuration can work, and the names side by side. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag_int.h"
#include "prereq.h"
#include "rules.h"
#include "sysinfo.h"

struct diag_ctx *prereq_ctx_new(void)
{
	return calloc(1, sizeof(struct diag_ctx));
}

void prereq_names(struct diag_ctx *d, const struct me_info *in, const char *set_suffix)
{
	struct sysinfo_names names;
	const char *dhcp = NULL;

	d->in = in;
	d->major = me_info_major(in);
	d->now = time(NULL);
	d->pki_unreadable = in->pki_suffix_item.state != ME_ITEM_OK;
	diag_normalise(d->pki_unreadable ? "" : in->pki_suffix, d->pki, sizeof(d->pki));
	diag_normalise(set_suffix, d->pki_set, sizeof(d->pki_set));
	if (in->fqdn_item.state == ME_ITEM_OK)
		diag_normalise(in->fqdn.fqdn, d->amt_fqdn, sizeof(d->amt_fqdn));
	sysinfo_names(&names);
	snprintf(d->os_host, sizeof(d->os_host), "%s", names.hostname);
	snprintf(d->os_fqdn, sizeof(d->os_fqdn), "%s", names.fqdn);
	diag_normalise(names.dns_suffix, d->os, sizeof(d->os));
	diag_dhcp_scan(NULL, &d->leases);
	if (d->leases.newest >= 0)
		dhcp = d->leases.lease[d->leases.newest].domain;
	diag_normalise(dhcp, d->dhcp, sizeof(d->dhcp));
	d->src = diag_pick_suffix(d->pki_set[0] ? d->pki_set : d->pki, d->dhcp, d->used,
				  sizeof(d->used));
}

static bool have(const struct me_item *it)
{
	return it->state == ME_ITEM_OK;
}

/* Remote configuration (zero touch) off: the firmware sends no PKI hello at all. */
static void check_zero_touch(struct diag_ctx *d, const struct me_info *in,
			     const struct prereq_want *w)
{
	struct rule_result rr;

	if (w->method != PROFILE_METHOD_REMOTE_CONFIGURATION || !have(&in->zero_touch_item))
		return;
	if (in->zero_touch && w->zero_touch != PROFILE_ZERO_TOUCH_DISABLE) {
		diag_add(d, DIAG_OK, "remote_configuration", NULL, NULL, "remote configuration "
			 "(zero touch) is enabled in the firmware");
		return;
	}
	if (in->zero_touch) {
		diag_add(d, DIAG_FAIL, "remote_configuration", "zero_touch_disabled", "leave "
			 "\"zero_touch\" alone in a remote-configuration profile", "the profile "
			 "turns remote configuration (zero touch) off: no hello will ever go out");
		return;
	}
	rules_check(OP_ZERO_TOUCH_ENABLE, in, NULL, &rr);
	if (w->zero_touch == PROFILE_ZERO_TOUCH_ENABLE) {
		/* The profile's own step says whether the firmware takes it (and why not). */
		diag_add(d, rr.verdict == RULE_REFUSE ? DIAG_WARN : DIAG_OK, "remote_configuration",
			 "zero_touch_disabled", rr.verdict == RULE_REFUSE ? rr.rule : NULL,
			 "remote configuration (zero touch) is disabled; the profile turns it on "
			 "first");
		return;
	}
	diag_add(d, DIAG_FAIL, "remote_configuration", "zero_touch_disabled", "turn Remote "
		 "Configuration on in MEBx (Remote Setup and Configuration) or with a USB setup "
		 "file; from ME 12 host software may only turn it off (Intel AMT SDK, "
		 "CFG_SetZeroTouchEnabled)", "remote configuration (zero touch) is disabled in "
		 "the firmware: no hello will ever go out, whatever is set");
}

/* doc/remote-config.md 11.5: PSK only on 2.0, 2.1 and 2.5; PSK removed in 11.0. */
static bool psk_only(int major, int minor)
{
	return major == 2 && (minor == 0 || minor == 1 || minor == 5);
}

static void check_method(struct diag_ctx *d, const struct me_info *in,
			 const struct prereq_want *w)
{
	int major = me_info_major(in), minor = me_info_minor(in);

	if (major < 0)
		return;
	if (w->method == PROFILE_METHOD_PSK && major >= 11)
		diag_add(d, DIAG_FAIL, "provisioning_method", "psk_not_supported", "use a "
			 "remote-configuration profile (\"method\": \"remote_configuration\") "
			 "and a provisioning certificate", "this is AMT %d.%d: PSK (PID/PPS) "
			 "provisioning and its hellos were removed in AMT 11.0 (Intel AMT SDK, "
			 "Setup Mode Hello Messages)", major, minor);
	else if (w->method == PROFILE_METHOD_REMOTE_CONFIGURATION && psk_only(major, minor))
		diag_add(d, DIAG_FAIL, "provisioning_method", "pki_not_supported", "provision "
			 "it with PSK (\"method\": \"psk\"; PID/PPS in MEBx or a USB setup file)",
			 "this is AMT %d.%d, which knows only PSK (PID/PPS) provisioning: remote "
			 "configuration with certificates came with AMT 2.2, 2.6 and 3.0 (Intel "
			 "AMT SDK, Intel AMT and USB Versions)", major, minor);
	else if (w->method == PROFILE_METHOD_REMOTE_CONFIGURATION &&
		 have(&in->tls_mode_item) && in->tls_mode == AMT_TLS_MODE_PSK)
		diag_add(d, DIAG_WARN, "provisioning_state", "psk_mode", "these checks are for "
			 "PKI (certificate) remote configuration", "the firmware is set up for "
			 "PSK (PID/PPS) provisioning");
	else
		diag_add(d, DIAG_OK, "provisioning_method", NULL, NULL, "AMT %d.%d knows %s "
			 "provisioning", major, minor, w->method == PROFILE_METHOD_PSK ?
			 "PSK (PID/PPS)" : "remote configuration (PKI)");
}

/* doc/remote-config.md 2.1: hellos leave only on the Intel wired LAN, and need DHCP. */
static void check_lan(struct diag_ctx *d, const struct me_info *in)
{
	bool wifi_up = have(&in->lan_item[1]) && in->lan[1].link_up;

	if (!have(&in->lan_item[0]) || !in->lan[0].link_up) {
		if (!have(&in->lan_item[0]) && !wifi_up) {
			diag_add(d, DIAG_WARN, "wired_lan", "wired_lan_unknown", "amtact info "
				 "shows what the firmware answered", "the ME did not describe its "
				 "wired LAN interface");
			return;
		}
		diag_add(d, DIAG_FAIL, "wired_lan", wifi_up ? "wireless_only" : "wired_link_down",
			 "plug the box into the wired network (the Intel LAN port, or its dock) "
			 "and run again", "%s: the hellos and the provisioning server's call back "
			 "use only the Intel wired LAN", wifi_up ? "only the wireless LAN is up" :
			 "the wired LAN link is down");
		return;
	}
	if (!in->lan[0].dhcp_enabled) {
		diag_add(d, DIAG_FAIL, "wired_dhcp", "wired_no_dhcp", "turn DHCP on for the "
			 "wired interface in MEBx (Network Setup)", "AMT's wired interface has a "
			 "static address: without DHCP it gets no option 15 and refuses to start "
			 "remote configuration (Intel AMT SDK, CFG_StartConfigurationEx: NOT_READY)");
		return;
	}
	diag_add(d, DIAG_OK, "wired_lan", NULL, NULL, "the wired LAN link is up, with DHCP");
}

void prereq_check(struct diag_ctx *d, const struct me_info *in, const struct prereq_want *w)
{
	check_zero_touch(d, in, w);
	check_method(d, in, w);
	check_lan(d, in);
}

int prereq_first_blocking(const struct diag_ctx *d)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->c[i].result == DIAG_FAIL)
			return (int)i;
	return -1;
}

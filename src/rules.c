// SPDX-License-Identifier: MIT
/* The firmware's write rules as the agent knows them, each with its source. */
#include <stdbool.h>
#include <string.h>

#include "amt_status.h"
#include "rules.h"
#include "wd.h"

static const char *const op_names[OP_COUNT] = {
	"set-otp", "start-config", "stop-config", "set-suffix",
	"zero-touch-enable", "zero-touch-disable", "enable-amt", "unprovision",
};

const char *rules_op_name(enum op op)
{
	return op < OP_COUNT ? op_names[op] : "unknown";
}

static bool have(const struct me_item *it)
{
	return it->state == ME_ITEM_OK;
}

static void set(struct rule_result *out, enum rule_verdict v, const char *rule,
		const char *source, const char *hint, uint32_t status)
{
	out->verdict = v;
	out->rule = rule;
	out->source = source;
	out->hint = hint;
	out->expected_status = status;
}

const char *rules_dns_suffix_invalid(const char *s)
{
	size_t len = strlen(s), label = 0;

	if (len == 0)
		return "it is empty";
	if (len > 223)
		return "it is longer than 223 bytes";
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return "it has an empty label";
			if (s[i - 1] == '-')
				return "a label ends with a hyphen";
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return "it has a character other than letters, digits, hyphens and dots";
		if (c == '-' && label == 0)
			return "a label starts with a hyphen";
		if (++label > 63)
			return "a label is longer than 63 characters";
	}
	if (label == 0 && len > 1 && s[len - 2] == '.')
		return "it has an empty label";
	if (label > 0 && s[len - 1] == '-')
		return "a label ends with a hyphen";
	return NULL;
}

/* POST refuses; IN depends on the hello window, which the host cannot read. */
static void check_setup_write(const struct me_info *b, struct rule_result *out,
			      const char *what_post, const char *source)
{
	if (b->prov_state == AMT_PROV_STATE_POST) {
		set(out, RULE_REFUSE, what_post, source,
		    "unprovision the box first (from the management console, or amtact "
		    "unprovision in client control mode)", AMT_STATUS_INVALID_AMT_MODE);
		return;
	}
	if (b->prov_state == AMT_PROV_STATE_IN) {
		set(out, RULE_MAYBE,
		    "in provisioning the firmware accepts this only after the hello window has "
		    "elapsed; the host cannot read the window, so amtact sends it and reports "
		    "the answer", source, "", AMT_STATUS_INVALID_AMT_MODE);
		return;
	}
	set(out, RULE_ALLOW, "allowed before provisioning", source, "", 0);
}

static void check_suffix(const struct me_info *b, const char *suffix, struct rule_result *out)
{
	const char *bad = suffix ? rules_dns_suffix_invalid(suffix) : "no suffix given";

	if (bad) {
		set(out, RULE_REFUSE, bad, "RFC 1035 host names; 223-byte limit: Intel AMT SDK, CFG_SetPkiFQDNSuffix",
		    "give a DNS suffix such as corp.example.com", AMT_STATUS_INVALID_PARAMETER);
		return;
	}
	if (have(&b->prov_mode_item) && b->prov_mode == AMT_PROV_MODE_SMALL_BUSINESS) {
		set(out, RULE_REFUSE,
		    "the PKI DNS suffix cannot be set in small-business provisioning mode",
		    "Intel AMT SDK, CFG_SetPkiFQDNSuffix (not allowed in small business mode)",
		    "small-business mode does not use remote configuration",
		    AMT_STATUS_INVALID_AMT_MODE);
		return;
	}
	if (have(&b->pki_suffix_item) && strcmp(b->pki_suffix, suffix) == 0) {
		set(out, RULE_NO_CHANGE, "the firmware already has this PKI DNS suffix", "", "", 0);
		return;
	}
	check_setup_write(b, out, "the PKI DNS suffix cannot be changed once provisioned",
			  "Intel AMT SDK, CFG_SetPkiFQDNSuffix");
}

static void check_zero_touch(enum op op, const struct me_info *b, struct rule_result *out)
{
	bool enable = op == OP_ZERO_TOUCH_ENABLE;
	int major = me_info_major(b);

	if (have(&b->zero_touch_item) && (b->zero_touch == 1) == enable) {
		set(out, RULE_NO_CHANGE, enable ? "zero touch is already enabled" :
						  "zero touch is already disabled", "", "", 0);
		return;
	}
	if (major >= 0 && major < 12) {
		set(out, RULE_REFUSE,
		    "before ME 12 remote configuration is switched in BIOS/MEBx only; host "
		    "software may not switch it",
		    "Intel AMT SDK, CFG_SetZeroTouchEnabled (host software may use it from ME 12 "
		    "only, and only to disable)",
		    "switch it in MEBx or with a USB setup.bin (module 2 variable 5)",
		    AMT_STATUS_NOT_PERMITTED);
		return;
	}
	if (enable && major >= 12) {
		set(out, RULE_REFUSE,
		    "since ME 12 the host may only disable remote configuration, never enable it",
		    "Intel AMT SDK, CFG_SetZeroTouchEnabled (from ME 12 the host may only disable)",
		    "enable it in MEBx or with a USB setup.bin (module 2 variable 5)",
		    AMT_STATUS_NOT_PERMITTED);
		return;
	}
	if (b->prov_state == AMT_PROV_STATE_IN) {
		set(out, RULE_REFUSE,
		    "zero touch cannot be switched while the box is in provisioning",
		    "Intel AMT remote configuration use-case document (NOT_PERMITTED in "
		    "provisioning)", "stop the configuration first (stop-config)",
		    AMT_STATUS_NOT_PERMITTED);
		return;
	}
	if (!enable && b->prov_state != AMT_PROV_STATE_PRE) {
		set(out, RULE_REFUSE, "zero touch can be disabled only before provisioning",
		    "Intel AMT SDK, CFG_SetZeroTouchEnabled (the host may disable only before "
		    "provisioning)",
		    "unprovision first", AMT_STATUS_INVALID_AMT_MODE);
		return;
	}
	if (major < 0)
		set(out, RULE_MAYBE, "the firmware version is unknown", "", "", 0);
	else
		set(out, RULE_ALLOW, "allowed", "", "", 0);
}

static void check_hello(enum op op, const struct me_info *b, struct rule_result *out)
{
	if (op == OP_START_CONFIG) {
		check_setup_write(b, out,
				  "the hello packets cannot be restarted once provisioned",
				  "Intel AMT SDK, CFG_StartConfiguration and "
				  "CFG_StartConfigurationEx");
		return;
	}
	if (b->prov_state != AMT_PROV_STATE_IN) {
		set(out, RULE_REFUSE, "configuration can be stopped only while in provisioning",
		    "Intel's PTHI C library (PTHICommand.c, pthi_StopConfiguration): "
		    "INVALID_AMT_MODE outside in-provisioning",
		    b->prov_state == AMT_PROV_STATE_PRE ? "nothing is in progress" : "the box is provisioned",
		    AMT_STATUS_INVALID_AMT_MODE);
		return;
	}
	set(out, RULE_MAYBE,
	    "the firmware refuses this after the provisioning period has expired; the host "
	    "cannot read the window",
	    "Intel's PTHI C library (PTHICommand.c, pthi_StopConfiguration): INVALID_AMT_MODE "
	    "once the provisioning period has expired", "", AMT_STATUS_INVALID_AMT_MODE);
}

/*
 * Before ME 16.1 (IsChangeToAMTEnabled bit 7 clear) the one documented switch is the old
 * ChangeToAMT, deprecated in release 9.0 (doc/firmware.md 6; doc/remote-config.md 11.4).
 */
static void check_old_enable(const struct me_info *b, struct rule_result *out)
{
	int major = me_info_major(b);

	if (major < 0) {
		set(out, RULE_REFUSE, "switching AMT on from the host needs ME 16.1 or later "
		    "(IsChangeToAMTEnabled bit 7), and the firmware version could not be read",
		    "Intel LMS (MNGIsChangeToAMTEnabledCommand.h) and rpc-go: IsChangeToAMTEnabled "
		    "bit 7, ME 16.1 and later", "enable AMT in the BIOS/MEBx",
		    AMT_STATUS_INVALID_AMT_MODE);
	} else if (major >= 9) {
		set(out, RULE_REFUSE, "switching AMT on from the host needs ME 16.1 or later "
		    "(SetAmtOperationalState); releases 9.0 to 16.0 document no way at all: the "
		    "older ChangeToAMT was deprecated in release 9.0",
		    "Intel AMT SDK, STATE_INDEPENDENCE_ChangeToAMT (deprecated in 9.0) and "
		    "STATE_INDEPENDENCE_IsChangeToAMTEnabled (bit 7: the new method, ME 16.1)",
		    "enable AMT in the BIOS/MEBx",
		    AMT_STATUS_INVALID_AMT_MODE);
	} else if (!have(&b->wd_item)) {
		set(out, RULE_REFUSE, "before release 9.0 the host switches AMT on with "
		    "ChangeToAMT on the watchdog client, which this firmware does not offer now",
		    "Intel AMT SDK, STATE_INDEPENDENCE_ChangeToAMT", "enable AMT in the BIOS/MEBx",
		    AMT_STATUS_INVALID_AMT_MODE);
	} else if (!b->wd.change_allowed) {
		set(out, RULE_REFUSE, "the firmware does not allow changing the AMT state now",
		    "Intel AMT SDK, STATE_INDEPENDENCE_ChangeToAMT (0x9E when the change is not "
		    "allowed) and STATE_INDEPENDENCE_IsChangeToAMTEnabled (bit 0)",
		    "an OEM or BIOS policy locks it; check the BIOS", WD_STATUS_CHANGE_FAILED);
	} else {
		set(out, RULE_ALLOW, "before release 9.0 the host switches AMT on with ChangeToAMT",
		    "Intel AMT SDK, STATE_INDEPENDENCE_ChangeToAMT", "", 0);
	}
}

static void check_enable_amt(const struct me_info *b, struct rule_result *out)
{
	bool new_interface = have(&b->wd_item) && b->wd.new_interface;

	/* AMTHI answering is "AMT enabled" on every generation; WD bit 1 only from 16.1. */
	if ((b->amthi_state == 0 && !b->amt_disabled) || (new_interface && b->wd.amt_enabled)) {
		set(out, RULE_NO_CHANGE, "AMT is already enabled", "", "", 0);
		return;
	}
	if (!new_interface) {
		check_old_enable(b, out);
		return;
	}
	if (have(&b->prov_state_item) && b->prov_state != AMT_PROV_STATE_PRE) {
		set(out, RULE_REFUSE, "AMT can be switched on from the host only while it is "
		    "unprovisioned", "Intel AMT SDK, MHC_SetAmtOperationalState (INVALID_AMT_MODE "
		    "when AMT is not in the unprovisioned state)",
		    "unprovision the box first, or enable AMT in the BIOS/MEBx",
		    AMT_STATUS_INVALID_AMT_MODE);
		return;
	}
	if (!b->wd.change_allowed) {
		set(out, RULE_REFUSE, "the firmware does not allow changing the AMT state now",
		    "Intel AMT SDK, STATE_INDEPENDENCE_IsChangeToAMTEnabled (bit 0) and "
		    "MHC_SetAmtOperationalState (NOT_PERMITTED when the change is not allowed)",
		    "an OEM or BIOS policy locks it; check the BIOS", AMT_STATUS_NOT_PERMITTED);
		return;
	}
	set(out, RULE_ALLOW, "allowed", "Intel AMT SDK, MHC_SetAmtOperationalState", "", 0);
}

static void check_unprovision(const struct me_info *b, struct rule_result *out)
{
	if (b->prov_state == AMT_PROV_STATE_PRE) {
		set(out, RULE_NO_CHANGE, "the box is not provisioned", "", "", 0);
		return;
	}
	if (b->prov_state == AMT_PROV_STATE_IN) {
		set(out, RULE_REFUSE,
		    "only a provisioned box in client control mode can be unprovisioned; this "
		    "one is still in provisioning",
		    "Intel AMT SDK, CFG_Unprovision (only in client control mode); rpc-go stops a "
		    "box stuck in provisioning with STOP_CONFIGURATION",
		    "stop the unfinished configuration with amtact stop-config (within the hello "
		    "window)", AMT_STATUS_INVALID_AMT_MODE);
		return;
	}
	if (have(&b->control_mode_item) && b->control_mode == AMT_CONTROL_MODE_ADMIN) {
		set(out, RULE_REFUSE,
		    "admin control mode cannot be unprovisioned from the host",
		    "Intel AMT SDK, CFG_Unprovision (only in client control mode); rpc-go: admin "
		    "control mode answers INVALID_AMT_MODE",
		    "unprovision from the management console or in MEBx",
		    AMT_STATUS_INVALID_AMT_MODE);
		return;
	}
	if (have(&b->control_mode_item) && b->control_mode == AMT_CONTROL_MODE_CLIENT) {
		set(out, RULE_ALLOW, "client control mode can be unprovisioned from the host",
		    "Intel AMT SDK, CFG_Unprovision (available in client control mode)", "", 0);
		return;
	}
	set(out, RULE_MAYBE, "the control mode is not client control mode",
	    "Intel AMT SDK, CFG_Unprovision (only in client control mode)", "",
	    AMT_STATUS_INVALID_AMT_MODE);
}

void rules_check(enum op op, const struct me_info *b, const char *suffix,
		 struct rule_result *out)
{
	set(out, RULE_ALLOW, "", "", "", 0);
	switch (op) {
	case OP_SET_OTP:
		check_setup_write(b, out, "the OTP cannot be set once provisioned",
				  "Intel AMT SDK, CFG_SetProvisioningServerOTP");
		break;
	case OP_SET_SUFFIX:
		check_suffix(b, suffix, out);
		break;
	case OP_START_CONFIG:
	case OP_STOP_CONFIG:
		check_hello(op, b, out);
		break;
	case OP_ZERO_TOUCH_ENABLE:
	case OP_ZERO_TOUCH_DISABLE:
		check_zero_touch(op, b, out);
		break;
	case OP_ENABLE_AMT:
		check_enable_amt(b, out);
		break;
	case OP_UNPROVISION:
		check_unprovision(b, out);
		break;
	default:
		break;
	}
}

// SPDX-License-Identifier: MIT
/* What the firmware does by itself as the box comes up (AC power cycle, ME restart), and
 * the rules of a generation as the control command "facts" prints them. */
#include <stdio.h>

#include "fw_int.h"

enum { PRE = 0, POST = 2 };

/* Hellos leave only on the wired LAN (remote-config.md 2.1): it must be up. */
static bool networked(const struct fw *fw)
{
	const struct fw_lan *l = &fw->lan[0];

	return l->present && l->enabled && l->link_up;
}

/*
 * Powered up in setup mode, the system looks for its setup server at once, and PSK
 * systems keep looking at every power-up until provisioned (HP documents p. 17,
 * remote-config.md 2.5): a PSK box with a PID opens a 6 h window at every power-up. A
 * bare-metal PKI box (3.0 and later) with zero touch on opens its first 24 h window by
 * itself; once that was used only host software restarts hellos (HP p. 21: a power cycle
 * is not among the ways to reopen it; UNCONFIRMED). A PSK box without PID is not in setup
 * mode (UNCONFIRMED). Every connection dies (the epoch moves on).
 */
static const char *power_on(struct fw *fw)
{
	int64_t now = fw_now(fw);
	const char *silent;

	fw->epoch++;
	fw->reset_until_ms = 0;
	if (fw->edition == FW_ED_NONE || !fw->amt_enabled)
		return "AMT is off: nothing starts";
	if (fw->provisioning_state == POST)
		return "provisioned: no hellos";
	if (!networked(fw))
		return "no wired link: no hellos";
	if (fw_hello_psk(fw)) {
		if (!fw->pid[0])
			return "PSK box without a PID (not in setup mode): no hellos";
		fw_hello_arm(fw, now, FW_HELLO_LATER_S);
		return "PSK hellos for 6 h";
	}
	if (fw->gen->rcfg != FW_RCFG_BARE_METAL)
		return "PKI hellos wait for host software (START_CONFIGURATION)";
	silent = fw_hello_silent(fw);
	if (silent)
		return silent;
	if (fw->hello_starts)
		return "the first window was used: host software restarts hellos";
	fw_key_use(fw);
	fw_hello_arm(fw, now, FW_HELLO_FIRST_S);
	return "PKI hellos for 24 h (the first window)";
}

/*
 * Until the key pair exists START_CONFIGURATION answers CERTIFICATE_NOT_READY, the TLS
 * mode query 0 and no hello goes out (doc/remote-config.md 7, doc/firmware.md 8.4); the
 * field documents give up to seven minutes. That it starts at the first power-up of a
 * factory-fresh box with AMT on is UNCONFIRMED.
 */
void fw_key_first_power_on(struct fw *fw)
{
	if (fw->provisioning_state != PRE || fw->hello_starts || !fw->key_gen_s ||
	    fw->edition == FW_ED_NONE || !fw->amt_enabled)
		return;
	/* Not saved for this alone: a session that writes nothing leaves the file as it was
	 * (dry runs, reads), and the next one powers the box up afresh. */
	fw->cert_ready_at = fw_now(fw) + fw->key_gen_s;
}

bool fw_key_ready(const struct fw *fw)
{
	return !fw->key_discarded && fw_now(fw) >= fw->cert_ready_at;
}

void fw_key_use(struct fw *fw)
{
	if (!fw->key_discarded)
		return;
	fw->key_discarded = false;
	fw->cert_ready_at = fw_now(fw) + fw->key_gen_s;
	fw->dirty = 1;
}

/*
 * After a full unprovision the box is back at its factory setting; whether that includes a
 * new TLS key pair, and when it is made, no public source says (UNCONFIRMED). The default
 * is the most plausible reading of "factory setting": the key is discarded and made again
 * when it is first needed, as a factory-fresh box makes its own. A generation that makes
 * no key (PSK only, key_generation_s 0) has nothing to discard.
 */
void fw_key_unprovisioned(struct fw *fw)
{
	if (fw->unprov_key == FW_UNPROV_KEY_KEEP || !fw->key_gen_s)
		return;
	fw->key_discarded = true;
	if (fw->unprov_key == FW_UNPROV_KEY_AT_ONCE)
		fw_key_use(fw);
}

/* With a USB key inserted the MEBx applies its next record first (doc/setup-bin.md 6). */
int fw_power_cycle(struct fw *fw, char *out, size_t outlen)
{
	char key[300];

	fw_usbkey_power_on(fw, key, sizeof(key));
	snprintf(out, outlen, "ok: %s%s%s", key, key[0] ? "; " : "", power_on(fw));
	fw->dirty = 1;
	return 0;
}

static const char *const rcfg_names[] = { "psk-only", "host-started-pki", "bare-metal-pki" };

/* One "name value" line per rule of this model's generation (man/amtsim.5, FIRMWARE MODEL). */
int fw_facts(const struct fw *fw, char *out, size_t outlen)
{
	const struct fw_gen *g = fw->gen;

	snprintf(out, outlen,
		 "generation %s\nremote_configuration %s\npsk %s\nwildcard_certificates %s\n"
		 "zero_touch_query %s\nhost_zero_touch %s\nfirst_window_s %d\nlater_window_s %d\n"
		 "psk_window_s %d\nmkhi_version_blocks %u\nfw_status_registers %u",
		 g->name, rcfg_names[g->rcfg], g->major < 11 ? "yes" : "no",
		 g->wildcard ? "yes" : "no",
		 fw_gen_supports(g, FW_GET_ZERO_TOUCH_ENABLED) ? "yes" : "no",
		 !fw_gen_supports(g, FW_SET_ZERO_TOUCH_ENABLED) ? "none" :
		 fw_gen_at_least(g, 12, 0) ? "disable-only" : "enable-and-disable",
		 FW_HELLO_FIRST_S, FW_HELLO_LATER_S, FW_HELLO_LATER_S, g->mkhi_blocks,
		 fw_dev_fwsts_count(g));
	return 0;
}

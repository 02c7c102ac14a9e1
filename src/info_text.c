// SPDX-License-Identifier: MIT
/* `info` for people: the same facts as the JSON, grouped, in plain words. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "amt.h"
#include "amt_status.h"
#include "info.h"

#define LABEL "  %-22s "

static bool ok(const struct me_item *it)
{
	return it->state == ME_ITEM_OK;
}

/* Why an item has no value, in a few words. */
static const char *why_not(const struct me_item *it)
{
	if (it->state == ME_ITEM_STATUS)
		return it->fw_status == AMT_STATUS_INTERFACE_DOES_NOT_EXIST ? "not present" :
		       it->fw_status == AMT_STATUS_INVALID_COMMAND ?
		       "not supported by this firmware" : amt_status_name(it->fw_status);
	if (it->state == ME_ITEM_UNSUPPORTED)
		return "not supported by this firmware";
	if (it->state == ME_ITEM_ERROR)
		return it->err.code == -ETIMEDOUT ? "no answer" :
		       it->err.code == -EBADMSG   ? "malformed reply" :
		       it->err.code == -ENOTTY    ? "not available" : "error";
	return "not read";
}

static const char *version_of(const struct amt_code_versions *v, const char *desc)
{
	for (uint32_t i = 0; i < v->count && i < AMT_VERSIONS_MAX; i++)
		if (strcmp(v->v[i].desc, desc) == 0)
			return v->v[i].ver;
	return "?";
}

static void print_amt(FILE *f, const struct me_info *in)
{
	fprintf(f, "Intel AMT\n");
	if (in->amthi_state == -ENOTTY)
		fprintf(f, LABEL "%s\n", "present", "no (this ME has no AMT host interface)");
	else
		fprintf(f, LABEL "%s\n", "enabled",
			in->amt_disabled ? "no (the firmware answers nothing: AMT is disabled)" :
					   "yes");
	if (ok(&in->wd_item))
		fprintf(f, LABEL "%s%s\n", "operational state",
			!in->wd.new_interface ? "not switchable from the host" :
			in->wd.amt_enabled   ? "enabled" : "disabled",
			in->wd.new_interface && in->wd.change_allowed ? " (can be changed)" : "");
	if (ok(&in->versions_item)) {
		fprintf(f, LABEL "%s (build %s)\n", "AMT version",
			version_of(&in->versions, "AMT"), version_of(&in->versions, "Build Number"));
		fprintf(f, LABEL "%s\n", "BIOS version", in->versions.bios);
	}
	if (ok(&in->mkhi_item)) {
		char s[64];

		mkhi_block_str(&in->fw.code, s, sizeof(s));
		fprintf(f, LABEL "%s\n", "ME firmware", s);
	}
	if (in->sku_known) {
		const char *names[32];
		char unknown[32][8];
		size_t n = amt_sku_features(in->sku, names, 32, unknown);

		fprintf(f, LABEL "%u (", "SKU", in->sku);
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%s%s", i ? ", " : "", names[i]);
		fprintf(f, ")\n");
	}
	if (ok(&in->uuid_item)) {
		const char *bad = amt_uuid_invalid(in->uuid);
		char s[37];

		amt_uuid_str(in->uuid, s);
		fprintf(f, LABEL "%s%s%s%s\n", "UUID", s, bad ? " (INVALID: " : "", bad ? bad : "",
			bad ? ")" : "");
	}
}

static void print_enum(FILE *f, const char *label, const struct me_item *it, const char *v)
{
	fprintf(f, LABEL "%s\n", label, ok(it) ? v : why_not(it));
}

static void print_provisioning(FILE *f, const struct me_info *in)
{
	char state[64];

	snprintf(state, sizeof(state), "%s%s", amt_prov_state_text(in->prov_state),
		 in->prov_state == AMT_PROV_STATE_PRE ? " (pre-provisioning)" : "");
	fprintf(f, "Provisioning\n");
	print_enum(f, "state", &in->prov_state_item, state);
	print_enum(f, "control mode", &in->control_mode_item,
		   amt_control_mode_name(in->control_mode));
	print_enum(f, "mode", &in->prov_mode_item, amt_prov_mode_name(in->prov_mode));
	print_enum(f, "TLS mode", &in->tls_mode_item, amt_tls_mode_name(in->tls_mode));
	print_enum(f, "unprovisioning", &in->unprov_item, amt_unprov_state_name(in->unprov_state));
	print_enum(f, "zero touch (RCFG)", &in->zero_touch_item,
		   in->zero_touch ? "enabled" : "disabled");
	print_enum(f, "PKI DNS suffix", &in->pki_suffix_item,
		   in->pki_suffix[0] ? in->pki_suffix : "(none)");
	print_enum(f, "PID (PSK)", &in->pid_item, in->pid[0] ? in->pid : "(none)");
	print_enum(f, "AMT FQDN", &in->fqdn_item, in->fqdn.fqdn[0] ? in->fqdn.fqdn : "(none)");
}

static void print_lan(FILE *f, const struct me_info *in)
{
	static const char *const names[2] = { "wired", "wireless" };

	fprintf(f, "Network\n");
	for (int i = 0; i < 2; i++) {
		const struct amt_lan *l = &in->lan[i];
		char mac[18], ip[16];

		if (!ok(&in->lan_item[i])) {
			fprintf(f, LABEL "%s\n", names[i], why_not(&in->lan_item[i]));
			continue;
		}
		info_mac_str(l->mac, mac);
		info_ipv4_str(l->ipv4, ip);
		fprintf(f, LABEL "%s, link %s, MAC %s, %s %s\n", names[i],
			l->enabled ? "enabled" : "disabled", l->link_up ? "up" : "down", mac,
			l->dhcp_enabled ? "DHCP" : "static", ip);
	}
}

static void print_hashes(FILE *f, const struct me_info *in)
{
	size_t active = 0;

	if (!ok(&in->hashes_item)) {
		fprintf(f, "Root certificate hashes: %s\n", why_not(&in->hashes_item));
		return;
	}
	for (size_t i = 0; i < in->hash_count; i++)
		active += ok(&in->hash_item[i]) && in->hashes[i].is_active;
	fprintf(f, "Root certificate hashes (%zu, %zu active)\n", in->hash_count, active);
	for (size_t i = 0; i < in->hash_count; i++) {
		const struct amt_certhash *h = &in->hashes[i];
		const char *alg = amthi_hash_name(h->algorithm);
		char hex[129];

		if (!ok(&in->hash_item[i])) {
			fprintf(f, "  [%2u] %s\n", in->hash_handles[i], why_not(&in->hash_item[i]));
			continue;
		}
		info_hex(h->hash, amthi_hash_len(h->algorithm), hex, sizeof(hex));
		fprintf(f, "  [%2u] %-8s %-7s %-6s %s\n         %s\n", in->hash_handles[i],
			h->is_active ? "active" : "inactive", h->is_default ? "default" : "custom",
			alg ? alg : "?", h->name, hex);
	}
}

/*
 * A firmware that does not know a command (INVALID_COMMAND: GET_PID after PSK was dropped)
 * or a machine without that interface (no wireless) is what this box is, not a problem:
 * its row already says "not supported by this firmware" or "not present". The remote
 * access status has no row, so it stays listed.
 */
static bool is_problem(const char *key, const struct me_item *it)
{
	if (it->state == ME_ITEM_STATUS)
		return strcmp(key, "remote_access") == 0 ||
		       (it->fw_status != AMT_STATUS_INVALID_COMMAND &&
			it->fw_status != AMT_STATUS_INTERFACE_DOES_NOT_EXIST);
	return it->state == ME_ITEM_ERROR;
}

static void print_problem(const char *key, const char *command, const struct me_item *it,
			  void *ctx)
{
	FILE *f = ctx;

	if (!is_problem(key, it))
		return;
	if (it->state == ME_ITEM_STATUS)
		fprintf(f, "  %s: firmware answered %s (%s)\n", command,
			amt_status_name(it->fw_status), amt_status_lookup(it->fw_status)->meaning);
	else if (it->state == ME_ITEM_ERROR)
		fprintf(f, "  %s: %s\n", command, err_text(&it->err));
}

static void count_problem(const char *key, const char *command, const struct me_item *it,
			  void *ctx)
{
	(void)command;
	if (is_problem(key, it))
		(*(int *)ctx)++;
}

void info_print_text(FILE *f, const struct me_info *in)
{
	int problems = 0;

	print_amt(f, in);
	if (in->amthi_state == 0 && !in->amt_disabled) {
		print_provisioning(f, in);
		print_lan(f, in);
		print_hashes(f, in);
	}
	info_each_item(in, count_problem, &problems);
	if (problems) {
		fprintf(f, "Not available or failed\n");
		info_each_item(in, print_problem, f);
	}
}

// SPDX-License-Identifier: MIT
/* The `info` JSON document: stable keys, enums as strings, null plus a problem when unknown. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "amt.h"
#include "amt_status.h"
#include "info_json.h"

void info_mac_str(const uint8_t m[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

void info_ipv4_str(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
		 ip & 0xff);
}

void info_hex(const uint8_t *p, size_t len, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len && 2 * i + 2 < cap; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	if (cap)
		out[2 * i < cap ? 2 * i : cap - 1] = '\0';
}

void info_each_item(const struct me_info *in, info_item_fn *fn, void *ctx)
{
	static const char *const lan_key[2] = { "lan.wired", "lan.wireless" };

	fn("firmware.versions", "GET_CODE_VERSIONS", &in->versions_item, ctx);
	fn("uuid", "GET_UUID", &in->uuid_item, ctx);
	fn("provisioning.state", "GET_PROVISIONING_STATE", &in->prov_state_item, ctx);
	fn("provisioning.mode", "GET_PROVISIONING_MODE", &in->prov_mode_item, ctx);
	fn("provisioning.control_mode", "GET_CONTROL_MODE", &in->control_mode_item, ctx);
	fn("remote_configuration.zero_touch_enabled", "GET_ZERO_TOUCH_ENABLED",
	   &in->zero_touch_item, ctx);
	fn("provisioning.tls_mode", "GET_PROVISIONING_TLS_MODE", &in->tls_mode_item, ctx);
	fn("provisioning.unprovisioning", "GET_UNPROVISIONING_STATE", &in->unprov_item, ctx);
	fn("remote_configuration.pki_dns_suffix", "GET_PKI_FQDN_SUFFIX", &in->pki_suffix_item,
	   ctx);
	fn("remote_configuration.pid", "GET_PID", &in->pid_item, ctx);
	fn("fqdn", "GET_FQDN", &in->fqdn_item, ctx);
	fn("remote_access", "GET_REMOTE_ACCESS_CONNECTION_STATUS", &in->ras_item, ctx);
	for (int i = 0; i < 2; i++)
		fn(lan_key[i], "GET_LAN_INTERFACE_SETTINGS", &in->lan_item[i], ctx);
	fn("cert_hashes", "ENUMERATE_HASH_HANDLES", &in->hashes_item, ctx);
	for (size_t i = 0; i < in->hash_count; i++)
		fn("cert_hashes[]", "GET_CERTHASH_ENTRY", &in->hash_item[i], ctx);
	fn("firmware.me_version", "MKHI GET_FW_VERSION", &in->mkhi_item, ctx);
	fn("amt.operational_state", "WD IsChangeToAMTEnabled", &in->wd_item, ctx);
}

static void add_problem(const char *key, const char *command, const struct me_item *it,
			void *ctx)
{
	cJSON *arr = ctx, *p;

	if (it->state != ME_ITEM_STATUS && it->state != ME_ITEM_ERROR)
		return;
	p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "item", key);
	cJSON_AddStringToObject(p, "command", command);
	if (it->state == ME_ITEM_STATUS) {
		const struct amt_status_info *s = amt_status_lookup(it->fw_status);

		cJSON_AddStringToObject(p, "kind", "firmware_status");
		cJSON_AddNumberToObject(p, "status", it->fw_status);
		cJSON_AddStringToObject(p, "status_name", s->name);
		cJSON_AddStringToObject(p, "message", s->meaning);
	} else {
		cJSON_AddStringToObject(p, "kind", it->err.code == -EBADMSG ? "malformed_reply" :
						   it->err.code == -ETIMEDOUT ? "timeout" : "transport");
		cJSON_AddNullToObject(p, "status");
		cJSON_AddNullToObject(p, "status_name");
		cJSON_AddStringToObject(p, "message", err_text(&it->err));
	}
	cJSON_AddItemToArray(arr, p);
}

cJSON *info_problems_json(const struct me_info *info)
{
	cJSON *arr = cJSON_CreateArray();

	info_each_item(info, add_problem, arr);
	return arr;
}

static void count_error(const char *key, const char *command, const struct me_item *it,
			void *ctx)
{
	(void)command;
	/* A busy watchdog client (the kernel's mei_wdt holds it) is listed, not a failure:
	 * what amtact asks it is optional. */
	if (it->state == ME_ITEM_ERROR && it->err.code != -ENOTTY &&
	    !(it->err.code == -EBUSY && strcmp(key, "amt.operational_state") == 0))
		(*(int *)ctx)++;
}

int info_error_count(const struct me_info *info)
{
	int n = 0;

	info_each_item(info, count_error, &n);
	return n;
}

static bool ok(const struct me_item *it)
{
	return it->state == ME_ITEM_OK;
}

static void add_str(cJSON *o, const char *key, bool have, const char *v)
{
	if (have)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static void add_bool(cJSON *o, const char *key, bool have, bool v)
{
	if (have)
		cJSON_AddBoolToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static void add_num(cJSON *o, const char *key, bool have, double v)
{
	if (have)
		cJSON_AddNumberToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

static const char *version_of(const struct amt_code_versions *v, const char *desc)
{
	for (uint32_t i = 0; i < v->count && i < AMT_VERSIONS_MAX; i++)
		if (strcmp(v->v[i].desc, desc) == 0)
			return v->v[i].ver;
	return NULL;
}

static cJSON *amt_json(const struct me_info *in)
{
	cJSON *o = cJSON_CreateObject(), *op;
	bool wd = ok(&in->wd_item);

	cJSON_AddBoolToObject(o, "present", in->amthi_state != -ENOTTY);
	cJSON_AddBoolToObject(o, "enabled", in->amthi_state == 0 && !in->amt_disabled);
	op = cJSON_AddObjectToObject(o, "operational_state");
	add_bool(op, "interface_supported", wd, in->wd.new_interface);
	add_bool(op, "enabled", wd && in->wd.new_interface, in->wd.amt_enabled);
	add_bool(op, "change_allowed", wd, in->wd.change_allowed);
	add_num(op, "flags", wd, in->wd.raw);
	return o;
}

static cJSON *uuid_json(const struct me_info *in)
{
	cJSON *o = cJSON_CreateObject();
	const char *bad = ok(&in->uuid_item) ? amt_uuid_invalid(in->uuid) : NULL;
	char s[37];

	amt_uuid_str(in->uuid, s);
	add_str(o, "value", ok(&in->uuid_item), s);
	add_bool(o, "valid", ok(&in->uuid_item), !bad);
	add_str(o, "problem", bad != NULL, bad);
	return o;
}

static cJSON *firmware_json(const struct me_info *in)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	bool v = ok(&in->versions_item), m = ok(&in->mkhi_item);
	const char *amt = v ? version_of(&in->versions, "AMT") : NULL;
	const char *build = v ? version_of(&in->versions, "Build Number") : NULL;
	char s[64];

	add_str(o, "bios_version", v, in->versions.bios);
	add_str(o, "amt_version", amt != NULL, amt);
	add_str(o, "build_number", build != NULL, build);
	mkhi_block_str(&in->fw.code, s, sizeof(s));
	add_str(o, "me_version", m, s);
	mkhi_block_str(&in->fw.recovery, s, sizeof(s));
	add_str(o, "recovery_version", m, s);
	mkhi_block_str(&in->fw.fitc, s, sizeof(s));
	add_str(o, "fitc_version", m && in->fw.has_fitc, s);
	if (!v) {
		cJSON_AddNullToObject(o, "versions");
		return o;
	}
	arr = cJSON_AddArrayToObject(o, "versions");
	for (uint32_t i = 0; i < in->versions.count && i < AMT_VERSIONS_MAX; i++) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "name", in->versions.v[i].desc);
		cJSON_AddStringToObject(e, "version", in->versions.v[i].ver);
		cJSON_AddItemToArray(arr, e);
	}
	return o;
}

static cJSON *sku_json(const struct me_info *in)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	const char *names[32];
	char unknown[32][8];
	size_t n;

	add_num(o, "value", in->sku_known, in->sku);
	add_str(o, "edition", in->sku_known, amt_edition_name(amt_sku_edition(in->sku)));
	if (!in->sku_known) {
		cJSON_AddNullToObject(o, "features");
		return o;
	}
	arr = cJSON_AddArrayToObject(o, "features");
	n = amt_sku_features(in->sku, names, 32, unknown);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(names[i]));
	return o;
}

static cJSON *provisioning_json(const struct me_info *in)
{
	cJSON *o = cJSON_CreateObject();

	add_str(o, "state", ok(&in->prov_state_item), amt_prov_state_name(in->prov_state));
	add_str(o, "mode", ok(&in->prov_mode_item), amt_prov_mode_name(in->prov_mode));
	add_bool(o, "legacy_mode", ok(&in->prov_mode_item), in->legacy_mode);
	add_str(o, "control_mode", ok(&in->control_mode_item),
		amt_control_mode_name(in->control_mode));
	add_str(o, "tls_mode", ok(&in->tls_mode_item), amt_tls_mode_name(in->tls_mode));
	add_str(o, "unprovisioning", ok(&in->unprov_item),
		amt_unprov_state_name(in->unprov_state));
	return o;
}

static cJSON *rcfg_json(const struct me_info *in)
{
	cJSON *o = cJSON_CreateObject();

	add_bool(o, "zero_touch_enabled", ok(&in->zero_touch_item), in->zero_touch == 1);
	add_str(o, "pki_dns_suffix", ok(&in->pki_suffix_item), in->pki_suffix);
	add_str(o, "pid", ok(&in->pid_item), in->pid);
	return o;
}

static cJSON *fqdn_json(const struct me_info *in)
{
	const struct amt_fqdn *f = &in->fqdn;
	cJSON *o;

	if (!ok(&in->fqdn_item))
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "fqdn", f->fqdn);
	cJSON_AddBoolToObject(o, "shared", f->shared);
	cJSON_AddBoolToObject(o, "ddns_update_enabled", f->ddns_update_enabled);
	cJSON_AddNumberToObject(o, "ddns_update_interval", f->ddns_interval);
	cJSON_AddNumberToObject(o, "ddns_ttl", f->ddns_ttl);
	cJSON_AddNumberToObject(o, "hostname_length", f->hostname_len);
	return o;
}

static cJSON *lan_one(const struct me_info *in, int i)
{
	const struct amt_lan *l = &in->lan[i];
	char mac[18], ip[16];
	cJSON *o;

	if (!ok(&in->lan_item[i]))
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	info_mac_str(l->mac, mac);
	info_ipv4_str(l->ipv4, ip);
	cJSON_AddBoolToObject(o, "enabled", l->enabled);
	cJSON_AddStringToObject(o, "link", l->link_up ? "up" : "down");
	cJSON_AddStringToObject(o, "mac", mac);
	cJSON_AddStringToObject(o, "ipv4", ip);
	cJSON_AddBoolToObject(o, "dhcp_enabled", l->dhcp_enabled);
	cJSON_AddStringToObject(o, "dhcp_mode", amt_dhcp_mode_name(l->dhcp_mode));
	return o;
}

static cJSON *hashes_json(const struct me_info *in)
{
	cJSON *arr;

	if (!ok(&in->hashes_item))
		return cJSON_CreateNull();
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < in->hash_count; i++) {
		const struct amt_certhash *h = &in->hashes[i];
		const char *alg = amthi_hash_name(h->algorithm);
		char hex[129];
		cJSON *e;

		if (!ok(&in->hash_item[i]))
			continue;
		e = cJSON_CreateObject();
		info_hex(h->hash, amthi_hash_len(h->algorithm), hex, sizeof(hex));
		cJSON_AddNumberToObject(e, "handle", in->hash_handles[i]);
		cJSON_AddStringToObject(e, "name", h->name);
		cJSON_AddStringToObject(e, "algorithm", alg ? alg : "unknown");
		cJSON_AddStringToObject(e, "hash", hex);
		cJSON_AddBoolToObject(e, "default", h->is_default);
		cJSON_AddBoolToObject(e, "active", h->is_active);
		cJSON_AddItemToArray(arr, e);
	}
	return arr;
}

static cJSON *ras_json(const struct me_info *in)
{
	const struct amt_remote_access *r = &in->ras;
	cJSON *o;

	if (!ok(&in->ras_item))
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "network", amt_ras_network_name(r->network_status));
	cJSON_AddStringToObject(o, "connection", amt_ras_connection_name(r->connection_status));
	/* Sources disagree on trigger values 2 and 3 (doc/firmware.md 10.5): raw number only. */
	cJSON_AddNumberToObject(o, "trigger", r->trigger);
	cJSON_AddStringToObject(o, "mps_hostname", r->mps_hostname);
	return o;
}

cJSON *info_json(const struct me_info *in)
{
	cJSON *o = cJSON_CreateObject(), *lan;

	cJSON_AddNumberToObject(o, "schema_version", INFO_SCHEMA_VERSION);
	cJSON_AddItemToObject(o, "amt", amt_json(in));
	cJSON_AddItemToObject(o, "uuid", uuid_json(in));
	cJSON_AddItemToObject(o, "firmware", firmware_json(in));
	cJSON_AddItemToObject(o, "sku", sku_json(in));
	cJSON_AddItemToObject(o, "provisioning", provisioning_json(in));
	cJSON_AddItemToObject(o, "remote_configuration", rcfg_json(in));
	cJSON_AddItemToObject(o, "fqdn", fqdn_json(in));
	lan = cJSON_AddObjectToObject(o, "lan");
	cJSON_AddItemToObject(lan, "wired", lan_one(in, 0));
	cJSON_AddItemToObject(lan, "wireless", lan_one(in, 1));
	cJSON_AddItemToObject(o, "cert_hashes", hashes_json(in));
	cJSON_AddItemToObject(o, "remote_access", ras_json(in));
	cJSON_AddItemToObject(o, "problems", info_problems_json(in));
	return o;
}

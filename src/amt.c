// SPDX-License-Identifier: MIT
/* I/O-free AMT facts: SKU bits (doc/firmware.md 4.5.1), UUID form (4.5.2), enum names (8). */
#include <stdio.h>
#include <string.h>

#include "amt.h"

static const struct {
	uint32_t bit;
	const char *name;
} sku_bits[] = {
	{ AMT_SKU_QST, "qst" },
	{ AMT_SKU_ASF, "asf" },
	{ AMT_SKU_AMT, "amt" },
	{ AMT_SKU_ISM, "standard_manageability" },
	{ AMT_SKU_RPAT, "rpat" },
	{ AMT_SKU_AT, "anti_theft" },
	{ AMT_SKU_CORPORATE, "corporate" },
	{ AMT_SKU_L3_UPGRADE, "l3_upgrade" },
	{ AMT_SKU_SBT, "small_business" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *pick(const char *const *names, size_t count, uint32_t v)
{
	return v < count && names[v] ? names[v] : "unknown";
}

enum amt_edition amt_sku_edition(uint32_t sku)
{
	if (sku & AMT_SKU_AMT)
		return AMT_EDITION_AMT;
	if (sku & AMT_SKU_ISM)
		return AMT_EDITION_ISM;
	return AMT_EDITION_NONE;
}

const char *amt_edition_name(enum amt_edition e)
{
	switch (e) {
	case AMT_EDITION_AMT:
		return "amt";
	case AMT_EDITION_ISM:
		return "standard_manageability";
	case AMT_EDITION_NONE:
		return "none";
	}
	return "unknown";
}

static const char *sku_bit_name(uint32_t bit)
{
	size_t i;

	for (i = 0; i < COUNT(sku_bits); i++)
		if (sku_bits[i].bit == bit)
			return sku_bits[i].name;
	return NULL;
}

size_t amt_sku_features(uint32_t sku, const char **names, size_t cap, char unknown[][8])
{
	size_t n = 0;
	unsigned i;

	for (i = 0; i < 32 && n < cap; i++) {
		uint32_t bit = 1u << i;
		const char *name;

		if (!(sku & bit))
			continue;
		name = sku_bit_name(bit);
		if (!name) {
			if (!unknown)
				continue;
			snprintf(unknown[n], sizeof(unknown[n]), "bit%u", i);
			name = unknown[n];
		}
		names[n++] = name;
	}
	return n;
}

void amt_uuid_str(const uint8_t u[16], char out[37])
{
	/* first three fields little-endian, the last two as stored (SMBIOS/GUID order) */
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[3], u[2], u[1], u[0], u[5], u[4], u[7], u[6], u[8], u[9], u[10], u[11],
		 u[12], u[13], u[14], u[15]);
}

const char *amt_uuid_invalid(const uint8_t uuid[16])
{
	static const char placeholder[] = "03000200-0400-0500-0006-000700080009";
	char s[37];
	size_t zeros = 0, ffs = 0, i;

	for (i = 0; i < 16; i++) {
		zeros += uuid[i] == 0x00;
		ffs += uuid[i] == 0xff;
	}
	if (zeros == 16)
		return "all zeros";
	if (ffs == 16)
		return "all ff";
	/* rpc-go lists the placeholder in display form, so compare in display form */
	amt_uuid_str(uuid, s);
	if (strcmp(s, placeholder) == 0)
		return "known firmware placeholder (corrupted or invalid state)";
	return NULL;
}

/* One row per provisioning state: the stable name and the words for people. */
static const struct {
	const char *name;
	const char *text;
} prov_states[] = {
	[AMT_PROV_STATE_PRE] = { "pre", "not provisioned" },
	[AMT_PROV_STATE_IN] = { "in", "in provisioning" },
	[AMT_PROV_STATE_POST] = { "post", "provisioned" },
};

const char *amt_prov_state_name(enum amt_prov_state v)
{
	return (uint32_t)v < COUNT(prov_states) ? prov_states[v].name : "unknown";
}

const char *amt_prov_state_text(enum amt_prov_state v)
{
	return (uint32_t)v < COUNT(prov_states) ? prov_states[v].text : "unknown";
}

const char *amt_prov_mode_name(enum amt_prov_mode v)
{
	static const char *const names[] = {
		[AMT_PROV_MODE_NONE] = "none",
		[AMT_PROV_MODE_ENTERPRISE] = "enterprise",
		[AMT_PROV_MODE_SMALL_BUSINESS] = "small_business",
		[AMT_PROV_MODE_REMOTE_ASSISTANCE] = "remote_assistance",
	};
	return pick(names, COUNT(names), v);
}

const char *amt_control_mode_name(enum amt_control_mode v)
{
	static const char *const names[] = {
		[AMT_CONTROL_MODE_NONE] = "none",
		[AMT_CONTROL_MODE_CLIENT] = "ccm",
		[AMT_CONTROL_MODE_ADMIN] = "acm",
		[AMT_CONTROL_MODE_REMOTE_ASSISTANCE] = "remote_assistance",
	};
	return pick(names, COUNT(names), v);
}

const char *amt_tls_mode_name(enum amt_tls_mode v)
{
	static const char *const names[] = {
		[AMT_TLS_MODE_NOT_READY] = "not_ready",
		[AMT_TLS_MODE_PSK] = "psk",
		[AMT_TLS_MODE_PKI] = "pki",
	};
	return pick(names, COUNT(names), v);
}

const char *amt_unprov_state_name(enum amt_unprov_state v)
{
	static const char *const names[] = {
		[AMT_UNPROV_STATE_NONE] = "none",
		[AMT_UNPROV_STATE_IN_PROGRESS] = "in_progress",
	};
	return pick(names, COUNT(names), v);
}

const char *amt_dhcp_mode_name(enum amt_dhcp_mode v)
{
	static const char *const names[] = {
		[AMT_DHCP_MODE_ACTIVE] = "active",
		[AMT_DHCP_MODE_PASSIVE] = "passive",
	};
	return pick(names, COUNT(names), v);
}

const char *amt_ras_network_name(enum amt_ras_network v)
{
	static const char *const names[] = {
		[AMT_RAS_NETWORK_DIRECT] = "direct",
		[AMT_RAS_NETWORK_VPN] = "vpn",
		[AMT_RAS_NETWORK_OUTSIDE_ENTERPRISE] = "outside_enterprise",
		[AMT_RAS_NETWORK_UNKNOWN] = "unknown",
	};
	return pick(names, COUNT(names), v);
}

const char *amt_ras_connection_name(enum amt_ras_connection v)
{
	static const char *const names[] = {
		[AMT_RAS_NOT_CONNECTED] = "not_connected",
		[AMT_RAS_CONNECTING] = "connecting",
		[AMT_RAS_CONNECTED] = "connected",
	};
	return pick(names, COUNT(names), v);
}

/* SPDX-License-Identifier: MIT */
/* Facts about an AMT machine that need no I/O: SKU bits, UUID form and validity, enums. */
#ifndef AMTACT_AMT_H
#define AMTACT_AMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* doc/firmware.md 4.5.1, the `Sku` code-version entry (a decimal bitmask) */
#define AMT_SKU_QST (1u << 1)
#define AMT_SKU_ASF (1u << 2)
#define AMT_SKU_AMT (1u << 3)
#define AMT_SKU_ISM (1u << 4)
#define AMT_SKU_RPAT (1u << 8)
#define AMT_SKU_AT (1u << 13)
#define AMT_SKU_CORPORATE (1u << 14)
#define AMT_SKU_L3_UPGRADE (1u << 15)
#define AMT_SKU_SBT (1u << 16)

enum amt_edition {
	AMT_EDITION_NONE = 0,  /* neither AMT nor Standard Manageability */
	AMT_EDITION_AMT,       /* full Intel AMT */
	AMT_EDITION_ISM,       /* Intel Standard Manageability */
};

enum amt_edition amt_sku_edition(uint32_t sku);
/* "amt", "standard_manageability", "none" */
const char *amt_edition_name(enum amt_edition e);
/*
 * Names of the set bits, lowest first ("qst", "asf", "amt", "standard_manageability",
 * "rpat", "anti_theft", "corporate", "l3_upgrade", "small_business"), written into
 * names[] (at most cap), returns how many. Unknown bits are reported as "bitN", written
 * into unknown[i] for the same index i (unknown has cap rows); if unknown is NULL, unknown
 * bits are skipped.
 */
size_t amt_sku_features(uint32_t sku, const char **names, size_t cap, char unknown[][8]);

/* "1c113fd2-3325-4594-a272-54b2038beb07" from the 16 wire bytes (first three fields LE). */
void amt_uuid_str(const uint8_t uuid[16], char out[37]);

/*
 * NULL if the UUID is usable, else why not: "all zeros", "all ff",
 * "known firmware placeholder (corrupted or invalid state)".
 */
const char *amt_uuid_invalid(const uint8_t uuid[16]);

/*
 * The firmware's enumerations (doc/firmware.md 8.1-8.5). Each enum lists the values the
 * firmware documents, numbered as on the wire; a field of one of these types holds the
 * value the firmware sent, so it may hold a value the enum does not list. Each has one name
 * table: the _name() functions return the stable lower_snake name that JSON, logs and the
 * state file use, and "unknown" for a value the table does not know.
 */
enum amt_prov_state {
	AMT_PROV_STATE_PRE = 0,   /* not provisioned (pre-provisioning) */
	AMT_PROV_STATE_IN = 1,    /* in provisioning: the hello packets may be running */
	AMT_PROV_STATE_POST = 2,  /* provisioned */
};

enum amt_prov_mode {
	AMT_PROV_MODE_NONE = 0,
	AMT_PROV_MODE_ENTERPRISE = 1,
	AMT_PROV_MODE_SMALL_BUSINESS = 2,
	AMT_PROV_MODE_REMOTE_ASSISTANCE = 3,
};

enum amt_control_mode {
	AMT_CONTROL_MODE_NONE = 0,
	AMT_CONTROL_MODE_CLIENT = 1,  /* "ccm" */
	AMT_CONTROL_MODE_ADMIN = 2,   /* "acm" */
	AMT_CONTROL_MODE_REMOTE_ASSISTANCE = 3,
};

/* The TLS mode of remote configuration; "not ready" while the firmware makes its key. */
enum amt_tls_mode {
	AMT_TLS_MODE_NOT_READY = 0,
	AMT_TLS_MODE_PSK = 1,
	AMT_TLS_MODE_PKI = 2,
};

enum amt_unprov_state {
	AMT_UNPROV_STATE_NONE = 0,
	AMT_UNPROV_STATE_IN_PROGRESS = 1,
};

enum amt_dhcp_mode {
	AMT_DHCP_MODE_ACTIVE = 1,
	AMT_DHCP_MODE_PASSIVE = 2,
};

/* Remote access (CIRA): where the box is, and whether it reached its MPS. */
enum amt_ras_network {
	AMT_RAS_NETWORK_DIRECT = 0,
	AMT_RAS_NETWORK_VPN = 1,
	AMT_RAS_NETWORK_OUTSIDE_ENTERPRISE = 2,
	AMT_RAS_NETWORK_UNKNOWN = 3,
};

enum amt_ras_connection {
	AMT_RAS_NOT_CONNECTED = 0,
	AMT_RAS_CONNECTING = 1,
	AMT_RAS_CONNECTED = 2,
};

const char *amt_prov_state_name(enum amt_prov_state v);     /* pre, in, post */
const char *amt_prov_mode_name(enum amt_prov_mode v);       /* none, enterprise,
								small_business, remote_assistance */
const char *amt_control_mode_name(enum amt_control_mode v); /* none, ccm, acm,
								remote_assistance */
const char *amt_tls_mode_name(enum amt_tls_mode v);         /* not_ready, psk, pki */
const char *amt_unprov_state_name(enum amt_unprov_state v); /* none, in_progress */
const char *amt_dhcp_mode_name(enum amt_dhcp_mode v);       /* active, passive */
const char *amt_ras_network_name(enum amt_ras_network v);   /* direct, vpn,
								outside_enterprise, unknown */
const char *amt_ras_connection_name(enum amt_ras_connection v); /* not_connected,
								   connecting, connected */

/*
 * The provisioning state in words for people, from the same table: "not provisioned",
 * "in provisioning", "provisioned", or "unknown".
 */
const char *amt_prov_state_text(enum amt_prov_state v);

#endif

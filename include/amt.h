/* SPDX-License-Identifier: MIT */
/* Facts about an AMT machine that need no I/O: SKU bits, UUID form and validity, enums. */
#ifndef AMTACT_AMT_H
#define AMTACT_AMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* protocol.md 4.5.1, the `Sku` code-version entry (a decimal bitmask) */
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

/* protocol.md 8.1-8.5; each returns a stable lower_snake name, "unknown" if out of range */
const char *amt_prov_state_name(uint32_t v);   /* pre, in, post */
const char *amt_prov_mode_name(uint32_t v);    /* none, enterprise, small_business, remote_assistance */
const char *amt_control_mode_name(uint32_t v); /* none, ccm, acm, remote_assistance */
const char *amt_tls_mode_name(uint32_t v);     /* not_ready, psk, pki */
const char *amt_unprov_state_name(uint32_t v); /* none, in_progress */
const char *amt_dhcp_mode_name(uint8_t v);     /* active, passive */

#endif

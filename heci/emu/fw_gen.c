// SPDX-License-Identifier: MIT
/* The firmware generations the emulator models: versions, MKHI blocks, commands, tables. */
#include <stdio.h>
#include <string.h>

#include "fw_int.h"

/*
 * Command sets. Which AMTHI command appeared in which release is mostly UNCONFIRMED
 * (firmware.md 4.6); the cuts below follow what is sourced:
 *  - PSK-only releases (2.0, 2.1, 2.5) have no PKI remote configuration: no hash table,
 *    zero touch, PKI suffix, OTP, TLS-mode query or start/stop (UNCONFIRMED which of
 *    these commands they answer; GetZeroTouchConfigurationMode is documented from 2.2,
 *    remote-config.md 11.5).
 *  - GET_CONTROL_MODE: control modes arrived with CCM/ACM ("0 = RPAT on 6.x",
 *    firmware.md 4.5.5), so 6.x answers it, 2.x-5.x do not (UNCONFIRMED).
 *  - GET_PID: PSK provisioning was removed in AMT 11.0 (remote-config.md 5), so 11+ no
 *    longer answers GET_PID (UNCONFIRMED that the command went too).
 *  - GET_FQDN, GET_REMOTE_ACCESS_CONNECTION_STATUS, GET_LOCAL_SYSTEM_ACCOUNT: not before
 *    6.x (host FQDN, CIRA and the local system account are later features; UNCONFIRMED).
 */
#define CMDS_BASE                                                                       \
	FW_GET_AMT_STATE, FW_GET_PROVISIONING_MODE, FW_UNPROVISION,                     \
	FW_GET_PROVISIONING_STATE, FW_GET_CODE_VERSIONS, FW_GET_LAN_INTERFACE_SETTINGS,  \
	FW_GET_UUID, FW_GET_UNPROVISIONING_STATE
#define CMDS_COMMON                                                                     \
	CMDS_BASE, FW_START_CONFIGURATION, FW_SET_PROVISIONING_SERVER_OTP,              \
	FW_GET_PROVISIONING_TLS_MODE, FW_ENUMERATE_HASH_HANDLES, FW_GET_CERTHASH_ENTRY,  \
	FW_SET_DNS_SUFFIX, FW_GET_ZERO_TOUCH_ENABLED, FW_GET_PKI_FQDN_SUFFIX,            \
	FW_SET_ZERO_TOUCH_ENABLED, FW_STOP_CONFIGURATION

static const enum fw_cmd cmds_psk_only[] = { CMDS_BASE, FW_GET_PID, 0 };
static const enum fw_cmd cmds_26[] = { CMDS_COMMON, FW_GET_PID, 0 };
static const enum fw_cmd cmds_psk[] = {
	CMDS_COMMON, FW_GET_PID, FW_GET_CONTROL_MODE, FW_GET_FQDN,
	FW_GET_REMOTE_ACCESS_CONNECTION_STATUS, FW_GET_LOCAL_SYSTEM_ACCOUNT, 0
};
static const enum fw_cmd cmds_pki[] = {
	CMDS_COMMON, FW_GET_CONTROL_MODE, FW_GET_FQDN,
	FW_GET_REMOTE_ACCESS_CONNECTION_STATUS, FW_GET_LOCAL_SYSTEM_ACCOUNT, 0
};

#define PSK_ONLY FW_RCFG_PSK_ONLY
#define AGENT FW_RCFG_AGENT
#define BARE FW_RCFG_BARE_METAL

/*
 * Versions: 9.1.45/3000 and Sku 16 (ISM) are a real device's (firmware.md 11 TV5);
 * 16.1.25/3425/16392 are rpc-go's test fixture values (firmware.md 4.5.1); 11.8.50/3425
 * is the rps fixture device (remote-config.md 0). The others are realistic-looking picks
 * (UNCONFIRMED). Sku 8 = AMT; 16392 = AMT + Corporate (bit 14), firmware.md 4.5.1.
 * Remote configuration (remote-config.md 11.5): PSK only on 2.0, 2.1 and 2.5; PKI started
 * by host software on 2.2 and 2.6; bare-metal PKI from 3.0. Wildcard provisioning
 * certificates from 2.6 and 3.2 (not 2.2, 3.0). MKHI GET_FW_VERSION: 3 blocks (code,
 * recovery, FITC) from 6.x, the 28-byte reply metee's and coreboot's readers expect; 2
 * before 6 (the ICH era; UNCONFIRMED: LMS reads only the first two on any generation).
 * Key generation (the last column, seconds): the field documents say the firmware takes up
 * to seven minutes to make its key pair; the per-generation values, slower on older
 * firmware, are UNCONFIRMED picks inside that bound. PSK-only releases make none (no PKI
 * remote configuration).
 */
static const struct fw_gen gens[] = {
	{ "2.0", 2, 0, "2.0.10", "1039", 2, 8, FW_HASH_NONE, "2AKT22AUS", cmds_psk_only,
	  PSK_ONLY, false, 0 },
	{ "2.1", 2, 1, "2.1.20", "1064", 2, 8, FW_HASH_NONE, "2AKT28AUS", cmds_psk_only,
	  PSK_ONLY, false, 0 },
	{ "2.2", 2, 2, "2.2.30", "1103", 2, 8, FW_HASH_SHA1_26, "2AKT31AUS", cmds_26, AGENT,
	  false, 420 },
	{ "2.5", 2, 5, "2.5.10", "1040", 2, 8, FW_HASH_NONE, "7LET47WW (1.13 )",
	  cmds_psk_only, PSK_ONLY, false, 0 },
	{ "2.6", 2, 6, "2.6.3", "1196", 2, 8, FW_HASH_SHA1_26, "7LET52WW (1.22 )", cmds_26,
	  AGENT, true, 420 },
	{ "3.0", 3, 0, "3.0.20", "1136", 2, 8, FW_HASH_SHA1_26, "DPQ3510J.86A.0709",
	  cmds_26, BARE, false, 360 },
	{ "3.2", 3, 2, "3.2.10", "1017", 2, 8, FW_HASH_SHA1_26, "DPQ3510J.86A.0928",
	  cmds_26, BARE, true, 360 },
	{ "4.0", 4, 0, "4.0.30", "1116", 2, 8, FW_HASH_SHA1_26, "7UET63WW (3.13 )", cmds_26,
	  BARE, true, 300 },
	{ "5.0", 5, 0, "5.0.3", "1075", 2, 8, FW_HASH_SHA1_26, "786G2 v01.17", cmds_26, BARE,
	  true, 300 },
	{ "6.2", 6, 2, "6.2.61", "3535", 3, 16392, FW_HASH_SHA1_7, "J01 v02.18",
	  cmds_psk, BARE, true, 240 },
	{ "7.0", 7, 0, "7.0.20", "1171", 3, 16392, FW_HASH_SHA1_7, "8CET53WW (1.33 )",
	  cmds_psk, BARE, true, 240 },
	{ "9.1", 9, 1, "9.1.45", "3000", 3, 16392, FW_HASH_SHA1_9, "A22", cmds_psk, BARE,
	  true, 180 },
	{ "10.0", 10, 0, "10.0.55", "3000", 3, 16392, FW_HASH_SHA1_9, "N10ET49W (1.28 )",
	  cmds_psk, BARE, true, 180 },
	{ "11.8", 11, 8, "11.8.50", "3425", 3, 16392, FW_HASH_SHA256_118,
	  "N1CET75W (1.43 )", cmds_pki, BARE, true, 120 },
	{ "12.0", 12, 0, "12.0.90", "2072", 3, 16392, FW_HASH_SHA256_NEW,
	  "P01 Ver. 02.40", cmds_pki, BARE, true, 120 },
	{ "16.1", 16, 1, "16.1.25", "3425", 3, 16392, FW_HASH_SHA256_NEW,
	  "N3HET79W (1.52 )", cmds_pki, BARE, true, 90 },
	{ "19.0", 19, 0, "19.0.5", "1988", 3, 16392, FW_HASH_SHA256_NEW,
	  "R2AET41W (1.16 )", cmds_pki, BARE, true, 60 },
};

#define GEN_COUNT (sizeof(gens) / sizeof(gens[0]))

static const char *const gen_names[] = { "2.0", "2.1", "2.2", "2.5", "2.6", "3.0", "3.2",
					 "4.0", "5.0", "6.2", "7.0", "9.1", "10.0", "11.8",
					 "12.0", "16.1", "19.0", NULL };

const char *const *fw_generations(void)
{
	return gen_names;
}

const struct fw_gen *fw_gen_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < GEN_COUNT; i++)
		if (strcmp(gens[i].name, name) == 0)
			return &gens[i];
	return NULL;
}

bool fw_gen_supports(const struct fw_gen *g, uint32_t cmd)
{
	const enum fw_cmd *c;

	for (c = g->cmds; *c; c++)
		if ((uint32_t)*c == cmd)
			return true;
	return false;
}

bool fw_gen_at_least(const struct fw_gen *g, unsigned major, unsigned minor)
{
	return g->major > major || (g->major == major && g->minor >= minor);
}

void fw_gen_known_list(char *out, size_t cap)
{
	size_t i, off = 0;
	int n;

	if (cap)
		out[0] = '\0';
	for (i = 0; i < GEN_COUNT && off < cap; i++) {
		n = snprintf(out + off, cap - off, "%s%s", i ? ", " : "", gens[i].name);
		if (n < 0)
			return;
		off += (size_t)n;
	}
}

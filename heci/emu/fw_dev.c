// SPDX-License-Identifier: MIT
/* Device facts MEI clients read outside HECI: the firmware status registers, the firmware
 * version and the character device number, as the kernel's sysfs shows them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fw_int.h"

/* The char device's major is dynamic; a typical one (UNCONFIRMED for any given box). */
#define MEI_DEV_MAJOR 239u

/*
 * Register values by era. ME 16: a 16.1.27 box's six registers (canonical/secboot test
 * data); ME 12: MEInfo 12.0.70 on a Cannon Lake desktop (a public forum dump). ME 11 takes
 * the ME 12 set, 6.x-10 and 5.x a healthy HFSTS1/HFSTS2 pair in the older layout, zeros
 * where their chipsets have no register (all UNCONFIRMED). State fields fw_status.hfsts1-6
 * change them per machine.
 */
static const struct {
	unsigned from_major;
	uint32_t r[FW_FWSTS_MAX];
} eras[] = {
	{ 16, { 0x94000245, 0x09F10506, 0x00000020, 0x00004000, 0x00041F03, 0xC7E003CB } },
	{ 11, { 0x94000245, 0x69000506, 0x00000030, 0x00004000, 0x00001F01, 0x47C00BC9 } },
	{ 6, { 0x1E000245, 0x30280106, 0, 0, 0, 0 } },
	{ 0, { 0x1E000245, 0x30280106, 0, 0, 0, 0 } },
};

void fw_dev_defaults(struct fw *fw)
{
	size_t i;

	for (i = 0; i < sizeof(eras) / sizeof(eras[0]); i++)
		if (fw->gen->major >= eras[i].from_major) {
			memcpy(fw->fwsts, eras[i].r, sizeof(fw->fwsts));
			return;
		}
}

/*
 * How many registers the kernel's mei_me driver shows (drivers/misc/mei/pci-me.c, the
 * MEI_CFG_*_HFS counts): none on ICH8/ICH9 (AMT 2.x-4.x), 1 on ICH10 (5.x), 2 on the 5-7
 * series PCH (6.x-8.x), 6 from the 8 series (ME 9 and later).
 */
unsigned fw_dev_fwsts_count(const struct fw_gen *g)
{
	if (g->major >= 9)
		return 6;
	if (g->major >= 6)
		return 2;
	return g->major == 5 ? 1 : 0;
}

static int put(char *out, size_t outlen, size_t *used, const char *line)
{
	int n = snprintf(out + *used, outlen - *used, "%s", line);

	if (n < 0 || (size_t)n >= outlen - *used)
		return -ENOSPC;
	*used += (size_t)n;
	return 0;
}

/*
 * "fw_status": one "%08X\n" line per register the kernel shows (fw_status_show);
 * "fw_ver": one "platform:major.minor.hotfix.build\n" line per MKHI version block, three
 * lines, zero where the firmware sends no block (fw_ver_show, firmware.md 1.6); "dev":
 * "MAJOR:0\n". Returns 0, or -EINVAL for another attribute (reason in out).
 */
int fw_dev_sysfs(const struct fw *fw, const char *attr, char *out, size_t outlen)
{
	char line[48];
	uint16_t v[4];
	size_t used = 0;
	unsigned i;
	int ret = 0;

	if (outlen)
		out[0] = '\0';
	if (strcmp(attr, "fw_status") == 0) {
		for (i = 0; i < fw_dev_fwsts_count(fw->gen) && ret == 0; i++) {
			snprintf(line, sizeof(line), "%08X\n", fw->fwsts[i]);
			ret = put(out, outlen, &used, line);
		}
	} else if (strcmp(attr, "fw_ver") == 0) {
		fw_mkhi_version(fw->gen, v);
		for (i = 0; i < 3 && ret == 0; i++) {
			if (i < fw->mkhi_blocks)
				snprintf(line, sizeof(line), "0:%u.%u.%u.%u\n", v[1], v[0], v[3], v[2]);
			else
				snprintf(line, sizeof(line), "0:0.0.0.0\n");
			ret = put(out, outlen, &used, line);
		}
	} else if (strcmp(attr, "dev") == 0) {
		snprintf(line, sizeof(line), "%u:0\n", MEI_DEV_MAJOR);
		ret = put(out, outlen, &used, line);
	} else {
		snprintf(out, outlen, "sysfs: no attribute \"%s\" (fw_status, fw_ver, dev)", attr);
		return -EINVAL;
	}
	return ret;
}

/* SPDX-License-Identifier: MIT */
/* The firmware clients the agent talks to, named by the GUIDs both sides of the wire use. */
#ifndef AMTACT_FWCLIENT_H
#define AMTACT_FWCLIENT_H

#include <stdint.h>

/*
 * Firmware client GUIDs in the byte order the driver takes (uuid_le on Linux, the
 * GUID struct on Windows): doc/firmware.md section 3.
 */
extern const uint8_t heci_guid_amthi[16];
extern const uint8_t heci_guid_mkhi[16];
extern const uint8_t heci_guid_wd[16];

#endif

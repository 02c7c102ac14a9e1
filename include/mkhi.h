/* SPDX-License-Identifier: MIT */
/* MKHI codec: the 4-byte header and GET_FW_VERSION (doc/firmware.md section 7). */
#ifndef AMTACT_MKHI_H
#define AMTACT_MKHI_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define MKHI_HDR_LEN 4u
#define MKHI_GROUP_GEN 0xFFu
#define MKHI_GEN_GET_FW_VERSION 0x02u

struct mkhi_fw_block {
	uint16_t major, minor, hotfix, build;
};

struct mkhi_fw_version {
	struct mkhi_fw_block code;
	struct mkhi_fw_block recovery;
	int has_fitc;
	struct mkhi_fw_block fitc;
};

/* Build a request with no payload. Returns length (4) or 0 if cap < 4. */
size_t mkhi_build(uint8_t *buf, size_t cap, uint8_t group, uint8_t cmd);

/*
 * Validate the 4-byte header of a reply to (group, cmd): group echo, command | 0x80,
 * reserved 0, then result. Returns 0 (result 0), -ENODATA (empty), -EBADMSG (e says
 * what), or -EPROTO with *result set (and e->fw_status). result and e may be NULL; e is
 * cleared on success.
 */
int mkhi_check_hdr(const uint8_t *msg, size_t len, uint8_t group, uint8_t cmd,
		   uint8_t *result, struct amt_err *e);

/*
 * Validate and decode a GET_FW_VERSION reply: group echo, command | 0x80, reserved 0,
 * result 0, then exactly 2 or 3 blocks of 4 x u16 {minor, major, build, hotfix}.
 * Returns 0, -ENODATA (empty), -EBADMSG (e says what), or -EPROTO with *result set
 * when the firmware answered a non-zero MKHI result. e as for mkhi_check_hdr().
 */
int mkhi_dec_fw_version(const uint8_t *msg, size_t len, struct mkhi_fw_version *out,
			uint8_t *result, struct amt_err *e);

/* "16.1.25.2049" */
void mkhi_block_str(const struct mkhi_fw_block *b, char *out, size_t cap);

#endif

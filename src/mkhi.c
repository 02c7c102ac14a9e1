// SPDX-License-Identifier: MIT
/* MKHI codec: 4-byte header checks and the GET_FW_VERSION reply (doc/firmware.md 7). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "mkhi.h"

#define MKHI_RESP_BIT 0x80u
#define FW_BLOCK_LEN 8u

size_t mkhi_build(uint8_t *buf, size_t cap, uint8_t group, uint8_t cmd)
{
	if (!buf || cap < MKHI_HDR_LEN)
		return 0;
	buf[0] = group;
	buf[1] = cmd & 0x7f;
	buf[2] = 0;
	buf[3] = 0;
	return MKHI_HDR_LEN;
}

int mkhi_check_hdr(const uint8_t *msg, size_t len, uint8_t group, uint8_t cmd,
		   uint8_t *result, struct amt_err *e)
{
	uint8_t want = (uint8_t)((cmd & 0x7f) | MKHI_RESP_BIT);

	if (result)
		*result = 0;
	err_clear(e);
	if (!msg || len == 0)
		return err_set(e, -ENODATA, "MKHI reply to 0x%02X/0x%02X: empty reply", group,
			       cmd);
	if (len < MKHI_HDR_LEN)
		return err_set(e, -EBADMSG, "MKHI reply to 0x%02X/0x%02X: %zu bytes, fewer than "
			       "the 4 of the header", group, cmd, len);
	if (msg[0] != group || msg[1] != want)
		return err_set(e, -EBADMSG, "MKHI reply to 0x%02X/0x%02X: header %02X %02X, "
			       "expected %02X %02X", group, cmd, msg[0], msg[1], group, want);
	if (msg[2] != 0)
		return err_set(e, -EBADMSG, "MKHI reply to 0x%02X/0x%02X: reserved byte is 0x%02X, "
			       "not 0", group, cmd, msg[2]);
	if (result)
		*result = msg[3];
	if (msg[3] != 0) {
		/* the firmware's answer, kept apart from the local code */
		err_set_fw_status(e, msg[3]);
		return err_set(e, -EPROTO, "MKHI reply to 0x%02X/0x%02X: firmware result 0x%02X",
			       group, cmd, msg[3]);
	}
	return 0;
}

/* Each block on the wire is 4 x u16 {minor, major, build, hotfix}. */
static void block(struct rbuf *b, struct mkhi_fw_block *out)
{
	out->minor = rbuf_u16(b);
	out->major = rbuf_u16(b);
	out->build = rbuf_u16(b);
	out->hotfix = rbuf_u16(b);
}

int mkhi_dec_fw_version(const uint8_t *msg, size_t len, struct mkhi_fw_version *out,
			uint8_t *result, struct amt_err *e)
{
	struct rbuf b;
	size_t body;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = mkhi_check_hdr(msg, len, MKHI_GROUP_GEN, MKHI_GEN_GET_FW_VERSION, result, e);
	if (ret)
		return ret;
	body = len - MKHI_HDR_LEN;
	/* two blocks (LMS) or three with FITC (coreboot, metee): nothing else */
	if (body != 2 * FW_BLOCK_LEN && body != 3 * FW_BLOCK_LEN)
		return err_set(e, -EBADMSG, "MKHI reply to GET_FW_VERSION: %zu bytes after the "
			       "header, expected 16 or 24", body);
	rbuf_init(&b, msg + MKHI_HDR_LEN, body);
	block(&b, &out->code);
	block(&b, &out->recovery);
	out->has_fitc = body == 3 * FW_BLOCK_LEN;
	if (out->has_fitc)
		block(&b, &out->fitc);
	return 0;
}

void mkhi_block_str(const struct mkhi_fw_block *b, char *out, size_t cap)
{
	if (!out || cap == 0)
		return;
	snprintf(out, cap, "%u.%u.%u.%u", b->major, b->minor, b->hotfix, b->build);
}

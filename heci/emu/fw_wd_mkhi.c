// SPDX-License-Identifier: MIT
/* MKHI (GET_FW_VERSION) and watchdog-client "state independence" messages of the emulator. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fw_int.h"

#define MKHI_GEN 0xFFu
#define MKHI_GET_FW_VERSION 0x02u
#define MKHI_SIZE_ERROR 0x05u      /* doc/firmware.md 7.4 */
#define MKHI_INVALID_COMMAND 0x8Du /* doc/firmware.md 7.4 */

#define WD_CMD 0x05u
#define WD_VERSION 0x10u
#define WD_IS_CHANGE 0x51u
#define WD_CHANGE_TO_AMT 0x52u
#define WD_SET_STATE 0x53u
#define WD_STATUS_FAILURE 0x9Eu    /* SDK ChangeToAMT page: STATUS_FAILURE (9Eh) */

static uint16_t field(const char **p)
{
	char *end;
	unsigned long v = strtoul(*p, &end, 10);

	*p = *end == '.' ? end + 1 : end;
	return (uint16_t)(v > 0xFFFF ? 0xFFFF : v);
}

void fw_mkhi_version(const struct fw_gen *g, uint16_t v[4])
{
	const char *p = g->version, *b = g->build;

	v[1] = field(&p);
	v[0] = field(&p);
	v[3] = field(&p);
	v[2] = field(&b);
}

/* One block: 4 x u16 {minor, major, build, hotfix} (firmware.md 7.3, LMS/metee). */
static void put_block(struct wbuf *w, const struct fw_gen *g)
{
	uint16_t v[4];

	fw_mkhi_version(g, v);
	for (unsigned i = 0; i < 4; i++)
		wbuf_u16(w, v[i]);
}

static void mkhi_hdr(struct wbuf *w, uint8_t group, uint8_t cmd, uint8_t result)
{
	wbuf_u8(w, group);
	wbuf_u8(w, (uint8_t)(cmd | 0x80u));
	wbuf_u8(w, 0);
	wbuf_u8(w, result);
}

/*
 * GET_FW_VERSION: code, recovery and FITC blocks, as many as the state's mkhi_blocks (the
 * generation's default: 3 from 6.x as metee and coreboot read, 2 before; firmware.md 7.3,
 * 10.12; UNCONFIRMED cut). Any other MKHI command: header-only reply with result 0x8D
 * INVALID_COMMAND (doc/firmware.md 7.4, UNCONFIRMED that firmware uses it so). A request
 * shorter than the header, or GET_FW_VERSION with a body: 0x05 SIZE_ERROR (UNCONFIRMED).
 */
int fw_mkhi_handle(struct fw *fw, const uint8_t *req, size_t len, uint8_t *reply,
		   size_t cap, size_t *reply_len)
{
	struct wbuf w;
	uint8_t group = len > 0 ? req[0] : 0, cmd = len > 1 ? (req[1] & 0x7Fu) : 0;
	unsigned i;

	wbuf_init(&w, reply, cap);
	if (len < 4 || (group == MKHI_GEN && cmd == MKHI_GET_FW_VERSION && len != 4)) {
		mkhi_hdr(&w, group, cmd, MKHI_SIZE_ERROR);
	} else if (group == MKHI_GEN && cmd == MKHI_GET_FW_VERSION) {
		mkhi_hdr(&w, group, cmd, 0);
		for (i = 0; i < fw->mkhi_blocks; i++)
			put_block(&w, fw->gen);
	} else {
		mkhi_hdr(&w, group, cmd, MKHI_INVALID_COMMAND);
	}
	*reply_len = wbuf_ok(&w) ? w.len : 0;
	return wbuf_ok(&w) ? 0 : -EMSGSIZE;
}

uint32_t fw_wd_pseudo(const uint8_t *req, size_t len)
{
	return len >= 3 && req[0] == WD_CMD ? 0x05000000u | req[2] : 0;
}

/* IsChangeToAMTEnabled flag byte (doc/firmware.md 6): bit7 new interface (16.1+), bit1 AMT
 * enabled (reported on every generation), bit0 transition allowed. */
static uint8_t wd_flags(const struct fw *fw)
{
	uint8_t f = 0;

	if (fw_gen_at_least(fw->gen, 16, 1))
		f |= 0x80;
	if (fw->amt_enabled)
		f |= 0x02;
	if (fw->amt_change_allowed)
		f |= 0x01;
	return f;
}

/*
 * SetAmtOperationalState (16.1+ only; older firmware answers INVALID_COMMAND, UNCONFIRMED):
 * value > 1 INVALID_PARAMETER; only while unprovisioned, either way: INVALID_AMT_MODE
 * otherwise (SDK "MHC_SetAmtOperationalState"; rpc-go fixture, TV6); transition not
 * allowed (flag bit0 clear) NOT_PERMITTED. Which of the two comes first: UNCONFIRMED.
 */
static uint32_t set_state(struct fw *fw, uint8_t v)
{
	if (!fw_gen_at_least(fw->gen, 16, 1))
		return FW_ST_INVALID_COMMAND;
	if (v > 1)
		return FW_ST_INVALID_PARAMETER;
	if (fw->amt_enabled == (v == 1))
		return FW_ST_SUCCESS;
	if (fw->provisioning_state != 0)
		return FW_ST_INVALID_AMT_MODE;
	if (!fw->amt_change_allowed)
		return FW_ST_NOT_PERMITTED;
	fw->amt_enabled = v == 1;
	fw->dirty = 1;
	return FW_ST_SUCCESS;
}

/* Legacy ChangeToAMT (deprecated in 9.0): u32 status, 0 or STATUS_FAILURE 0x9E. */
static uint32_t change_to_amt(struct fw *fw)
{
	if (!fw->amt_change_allowed)
		return WD_STATUS_FAILURE;
	if (!fw->amt_enabled) {
		fw->amt_enabled = true;
		fw->dirty = 1;
	}
	return 0;
}

/*
 * Watchdog client. Unknown or malformed messages are answered with a u32 STATUS_FAILURE
 * (0x9E), the shape of the ChangeToAMT reply (UNCONFIRMED).
 */
int fw_wd_handle(struct fw *fw, const uint8_t *req, size_t len, uint8_t *reply,
		 size_t cap, size_t *reply_len)
{
	struct wbuf w;
	bool ok = len >= 4 && req[0] == WD_CMD && req[3] == WD_VERSION &&
		  req[1] == len - 2;

	wbuf_init(&w, reply, cap);
	if (ok && req[2] == WD_IS_CHANGE && len == 4) {
		wbuf_u8(&w, wd_flags(fw));
	} else if (ok && req[2] == WD_SET_STATE && len == 5) {
		wbuf_bytes(&w, req, 4);
		wbuf_u32(&w, set_state(fw, req[4]));
	} else if (ok && req[2] == WD_CHANGE_TO_AMT && len == 4) {
		wbuf_u32(&w, change_to_amt(fw));
	} else {
		wbuf_u32(&w, WD_STATUS_FAILURE);
	}
	*reply_len = wbuf_ok(&w) ? w.len : 0;
	return wbuf_ok(&w) ? 0 : -EMSGSIZE;
}

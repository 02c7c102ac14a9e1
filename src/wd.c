// SPDX-License-Identifier: MIT
/* Watchdog-client AMT operational-state messages: requests and strict replies (doc/firmware.md 6). */
#include <errno.h>
#include <stdio.h>

#include "buf.h"
#include "wd.h"

#define WD_FLAG_CHANGE_ALLOWED 0x01u
#define WD_FLAG_AMT_ENABLED 0x02u
#define WD_FLAG_TLS_LOCAL_PORTS 0x40u
#define WD_FLAG_NEW_INTERFACE 0x80u

size_t wd_build_is_change_enabled(uint8_t *buf, size_t cap)
{
	struct wbuf w;

	wbuf_init(&w, buf, cap);
	wbuf_u8(&w, WD_CMD_STATE_INDEPENDENCE);
	wbuf_u8(&w, 2); /* ByteCount: bytes after itself */
	wbuf_u8(&w, WD_SUB_IS_CHANGE_TO_AMT_ENABLED);
	wbuf_u8(&w, WD_VERSION);
	return wbuf_ok(&w) ? w.len : 0;
}

size_t wd_build_set_operational_state(uint8_t *buf, size_t cap, bool enable)
{
	struct wbuf w;

	wbuf_init(&w, buf, cap);
	wbuf_u8(&w, WD_CMD_STATE_INDEPENDENCE);
	wbuf_u8(&w, 3);
	wbuf_u8(&w, WD_SUB_SET_AMT_OPERATIONAL_STATE);
	wbuf_u8(&w, WD_VERSION);
	wbuf_u8(&w, enable ? 1 : 0);
	return wbuf_ok(&w) ? w.len : 0;
}

size_t wd_build_change_to_amt(uint8_t *buf, size_t cap)
{
	struct wbuf w;

	wbuf_init(&w, buf, cap);
	wbuf_u8(&w, WD_CMD_STATE_INDEPENDENCE);
	wbuf_u8(&w, 2);
	wbuf_u8(&w, WD_SUB_CHANGE_TO_AMT);
	wbuf_u8(&w, WD_VERSION);
	return wbuf_ok(&w) ? w.len : 0;
}

static const struct {
	uint8_t sub;
	const char *name;    /* as the firmware interface names it */
	const char *command; /* in results and messages */
} requests[] = {
	{ WD_SUB_IS_CHANGE_TO_AMT_ENABLED, "IsChangeToAMTEnabled", "WD IsChangeToAMTEnabled" },
	{ WD_SUB_SET_AMT_OPERATIONAL_STATE, "SetAmtOperationalState",
	  "WD SetAmtOperationalState" },
	{ WD_SUB_CHANGE_TO_AMT, "ChangeToAMT", "WD ChangeToAMT" },
};

static int request_index(const uint8_t *req, size_t len)
{
	if (!req || len < 3 || req[0] != WD_CMD_STATE_INDEPENDENCE)
		return -1;
	for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++)
		if (requests[i].sub == req[2])
			return (int)i;
	return -1;
}

const char *wd_request_name(const uint8_t *req, size_t len)
{
	int i = request_index(req, len);

	return i < 0 ? "WD request" : requests[i].command;
}

void wd_request_describe(const uint8_t *req, size_t len, char *out, size_t cap)
{
	size_t n;
	int i, k;

	if (!out || cap == 0)
		return;
	i = request_index(req, len);
	k = snprintf(out, cap, "WD client %s:", i < 0 ? "request" : requests[i].name);
	for (size_t j = 0; j < len && k >= 0 && (n = (size_t)k) < cap; j++)
		k += snprintf(out + n, cap - n, " %02X", req[j]);
}

int wd_dec_is_change_enabled(const uint8_t *msg, size_t len, struct wd_amt_state *out,
			     struct amt_err *e)
{
	uint8_t f;

	err_clear(e);
	out->raw = 0;
	out->change_allowed = out->new_interface = false;
	out->amt_enabled = out->tls_local_ports = false;
	if (!msg || len == 0)
		return err_set(e, -ENODATA, "IsChangeToAMTEnabled reply: empty reply");
	/* the reply length beyond the flag byte is unconfirmed: only byte 0 is read */
	f = msg[0];
	out->raw = f;
	out->change_allowed = f & WD_FLAG_CHANGE_ALLOWED;
	out->new_interface = f & WD_FLAG_NEW_INTERFACE;
	/* bits 1 and 6 carry meaning only on the new interface (ME 16.1+) */
	out->amt_enabled = out->new_interface && (f & WD_FLAG_AMT_ENABLED);
	out->tls_local_ports = out->new_interface && (f & WD_FLAG_TLS_LOCAL_PORTS);
	return 0;
}

int wd_dec_set_operational_state(const uint8_t *msg, size_t len, uint32_t *status,
				 struct amt_err *e)
{
	static const uint8_t echo[4] = { WD_CMD_STATE_INDEPENDENCE, 3,
					 WD_SUB_SET_AMT_OPERATIONAL_STATE, WD_VERSION };
	struct rbuf b;
	uint8_t got[4];

	err_clear(e);
	*status = 0;
	if (!msg || len == 0)
		return err_set(e, -ENODATA, "SetAmtOperationalState reply: empty reply");
	if (len != 8)
		return err_set(e, -EBADMSG, "SetAmtOperationalState reply: %zu bytes, expected "
			       "exactly 8", len);
	rbuf_init(&b, msg, len);
	rbuf_bytes(&b, got, sizeof(got));
	for (size_t i = 0; i < sizeof(echo); i++) {
		if (got[i] != echo[i])
			return err_set(e, -EBADMSG, "SetAmtOperationalState reply: header %02X "
				       "%02X %02X %02X, expected 05 03 53 10", got[0], got[1],
				       got[2], got[3]);
	}
	*status = rbuf_u32(&b);
	return 0;
}

int wd_dec_change_to_amt(const uint8_t *msg, size_t len, uint32_t *status, struct amt_err *e)
{
	struct rbuf b;

	err_clear(e);
	*status = 0;
	if (!msg || len == 0)
		return err_set(e, -ENODATA, "ChangeToAMT reply: empty reply");
	if (len != 4)
		return err_set(e, -EBADMSG, "ChangeToAMT reply: %zu bytes, expected exactly 4 "
			       "(a u32 status)", len);
	rbuf_init(&b, msg, len);
	*status = rbuf_u32(&b);
	return 0;
}

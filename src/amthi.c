// SPDX-License-Identifier: MIT
/* AMTHI requests, strict reply-header validation (doc/firmware.md 4.1-4.2) and command names. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "amthi.h"
#include "amthi_int.h"
#include "buf.h"

static const struct {
	uint32_t code;
	const char *name;
} cmd_table[] = {
	{ AMTHI_GET_PROVISIONING_MODE, "GET_PROVISIONING_MODE" },
	{ AMTHI_UNPROVISION, "UNPROVISION" },
	{ AMTHI_GET_PROVISIONING_STATE, "GET_PROVISIONING_STATE" },
	{ AMTHI_GET_CODE_VERSIONS, "GET_CODE_VERSIONS" },
	{ AMTHI_START_CONFIGURATION, "START_CONFIGURATION" },
	{ AMTHI_SET_PROVISIONING_SERVER_OTP, "SET_PROVISIONING_SERVER_OTP" },
	{ AMTHI_GET_PROVISIONING_TLS_MODE, "GET_PROVISIONING_TLS_MODE" },
	{ AMTHI_ENUMERATE_HASH_HANDLES, "ENUMERATE_HASH_HANDLES" },
	{ AMTHI_GET_CERTHASH_ENTRY, "GET_CERTHASH_ENTRY" },
	{ AMTHI_SET_DNS_SUFFIX, "SET_DNS_SUFFIX" },
	{ AMTHI_GET_ZERO_TOUCH_ENABLED, "GET_ZERO_TOUCH_ENABLED" },
	{ AMTHI_GET_PKI_FQDN_SUFFIX, "GET_PKI_FQDN_SUFFIX" },
	{ AMTHI_SET_ZERO_TOUCH_ENABLED, "SET_ZERO_TOUCH_ENABLED" },
	{ AMTHI_GET_PID, "GET_PID" },
	{ AMTHI_GET_REMOTE_ACCESS_CONNECTION_STATUS, "GET_REMOTE_ACCESS_CONNECTION_STATUS" },
	{ AMTHI_GET_LAN_INTERFACE_SETTINGS, "GET_LAN_INTERFACE_SETTINGS" },
	{ AMTHI_GET_FQDN, "GET_FQDN" },
	{ AMTHI_GET_UUID, "GET_UUID" },
	{ AMTHI_STOP_CONFIGURATION, "STOP_CONFIGURATION" },
	{ AMTHI_GET_UNPROVISIONING_STATE, "GET_UNPROVISIONING_STATE" },
	{ AMTHI_GET_CONTROL_MODE, "GET_CONTROL_MODE" },
};

#define CMD_COUNT (sizeof(cmd_table) / sizeof(cmd_table[0]))

static const char *const fault_names[] = {
	[AMTHI_FAULT_NONE] = "none",         [AMTHI_FAULT_EMPTY] = "empty",
	[AMTHI_FAULT_SHORT] = "short",       [AMTHI_FAULT_LENGTH] = "length",
	[AMTHI_FAULT_COMMAND] = "command",   [AMTHI_FAULT_RESERVED] = "reserved",
	[AMTHI_FAULT_VERSION] = "version",   [AMTHI_FAULT_SIZE] = "size",
	[AMTHI_FAULT_TRAILING] = "trailing", [AMTHI_FAULT_FIELD] = "field",
};

const char *amthi_cmd_name(uint32_t cmd)
{
	size_t i;

	for (i = 0; i < CMD_COUNT; i++)
		if (cmd_table[i].code == cmd)
			return cmd_table[i].name;
	return NULL;
}

uint32_t amthi_cmd_by_name(const char *name)
{
	size_t i;

	if (!name)
		return 0;
	for (i = 0; i < CMD_COUNT; i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			return cmd_table[i].code;
	return 0;
}

const char *amthi_fault_name(enum amthi_fault f)
{
	if ((unsigned)f >= sizeof(fault_names) / sizeof(fault_names[0]))
		return "unknown";
	return fault_names[f];
}

size_t amthi_build(uint8_t *buf, size_t cap, uint32_t cmd, const void *payload,
		   size_t payload_len)
{
	struct wbuf w;

	if (payload_len > UINT32_MAX - AMTHI_HDR_LEN || (payload_len && !payload))
		return 0;
	wbuf_init(&w, buf, cap);
	wbuf_u8(&w, 1);
	wbuf_u8(&w, 1);
	wbuf_u16(&w, 0);
	wbuf_u32(&w, cmd);
	wbuf_u32(&w, (uint32_t)payload_len);
	wbuf_bytes(&w, payload, payload_len);
	return wbuf_ok(&w) ? w.len : 0;
}

int amthi_fail(struct amthi_reply *r, enum amthi_fault f, const char *fmt, ...)
{
	const char *name = amthi_cmd_name(r->cmd);
	char defect[AMT_ERR_MSG_MAX];
	va_list ap;

	r->fault = f;
	va_start(ap, fmt);
	vsnprintf(defect, sizeof(defect), fmt, ap);
	va_end(ap);
	if (name)
		return err_set(&r->err, -EBADMSG, "reply to %s: %s", name, defect);
	return err_set(&r->err, -EBADMSG, "reply to command 0x%08X: %s", r->cmd, defect);
}

int amthi_parse(const uint8_t *msg, size_t len, uint32_t cmd, struct amthi_reply *r)
{
	struct rbuf b;
	uint8_t major, minor;
	uint16_t reserved;
	uint32_t got_cmd, length, status;

	memset(r, 0, sizeof(*r));
	r->cmd = cmd;
	if (!msg || len == 0) {
		amthi_fail(r, AMTHI_FAULT_EMPTY, "empty reply (AMT is disabled)");
		return r->err.code = -ENODATA;
	}
	if (len < AMTHI_HDR_LEN + 4)
		return amthi_fail(r, AMTHI_FAULT_SHORT,
				  "%zu bytes received, fewer than the 16 of header and status",
				  len);
	rbuf_init(&b, msg, len);
	major = rbuf_u8(&b);
	minor = rbuf_u8(&b);
	reserved = rbuf_u16(&b);
	got_cmd = rbuf_u32(&b);
	length = rbuf_u32(&b);
	status = rbuf_u32(&b);
	if (length != len - AMTHI_HDR_LEN)
		return amthi_fail(r, AMTHI_FAULT_LENGTH,
				  "header Length %u does not match %zu bytes received "
				  "(expected %zu + 12)", length, len, len - AMTHI_HDR_LEN);
	if (got_cmd != (cmd | AMTHI_RESP_BIT))
		return amthi_fail(r, AMTHI_FAULT_COMMAND,
				  "command 0x%08X is not the expected response 0x%08X",
				  got_cmd, cmd | AMTHI_RESP_BIT);
	if (reserved != 0)
		return amthi_fail(r, AMTHI_FAULT_RESERVED, "reserved field is 0x%04X, not 0",
				  reserved);
	if (major != 1 || minor < 1)
		return amthi_fail(r, AMTHI_FAULT_VERSION,
				  "header version %u.%u, expected 1.1 or a later 1.x", major,
				  minor);
	r->status = status;
	r->payload = msg + AMTHI_HDR_LEN + 4;
	r->payload_len = len - AMTHI_HDR_LEN - 4;
	return 0;
}

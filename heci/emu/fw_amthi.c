// SPDX-License-Identifier: MIT
/* AMTHI side of the emulator: request validation, reply framing and the read commands. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "fw_int.h"

#define BODY_ANSI (-1) /* AMT_ANSI_STRING body: u16 n + n bytes */

/* A read handler writes the payload after Status and returns the AMT status. */
struct read_cmd {
	uint32_t code;
	const char *name;   /* doc/firmware.md 4.4 without the AMT_ prefix */
	int body_len;       /* exact request payload size, or BODY_ANSI */
	uint32_t (*read)(struct fw *fw, struct rbuf *body, struct wbuf *w);
};

static void put_ansi(struct wbuf *w, const char *s)
{
	size_t n = strlen(s);

	wbuf_u16(w, (uint16_t)n);
	wbuf_bytes(w, s, n);
}

static void put_fixed(struct wbuf *w, const char *s, size_t field)
{
	size_t n = strnlen(s, field);

	wbuf_bytes(w, s, n);
	wbuf_zeros(w, field - n);
}

/* doc/firmware.md 4.5.1: {u16 DescLen, Desc[20], u16 VerLen, Ver[20]}, Ver NUL-terminated. */
static void put_version(struct wbuf *w, const char *desc, const char *ver)
{
	wbuf_u16(w, (uint16_t)strnlen(desc, 20));
	put_fixed(w, desc, 20);
	wbuf_u16(w, (uint16_t)strnlen(ver, 19));
	put_fixed(w, ver, 19);
	wbuf_u8(w, 0);
}

static uint32_t rd_code_versions(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	const struct fw_gen *g = fw->gen;
	char sku[16];

	(void)body;
	/* ISM reports Sku 16 = Standard Manageability (doc/firmware.md 11 TV5) */
	snprintf(sku, sizeof(sku), "%u", fw->edition == FW_ED_ISM ? 16u : g->sku_corporate);
	put_fixed(w, fw->bios_version, 65);
	wbuf_u32(w, 10);
	put_version(w, "Flash", g->version);
	put_version(w, "Netstack", g->version);
	put_version(w, "AMTApps", g->version);
	put_version(w, "AMT", g->version);
	put_version(w, "Sku", sku);
	put_version(w, "VendorID", "8086");
	put_version(w, "Build Number", g->build);
	put_version(w, "Recovery Version", g->version);
	put_version(w, "Recovery Build Num", g->build);
	put_version(w, "Legacy Mode", fw->legacy_mode ? "True" : "False");
	return FW_ST_SUCCESS;
}

static uint32_t rd_uuid(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)body;
	wbuf_bytes(w, fw->uuid, 16);
	return FW_ST_SUCCESS;
}

static uint32_t rd_prov_state(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)body;
	wbuf_u32(w, fw->provisioning_state);
	return FW_ST_SUCCESS;
}

static uint32_t rd_prov_mode(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)body;
	wbuf_u32(w, fw->provisioning_mode);
	wbuf_u32(w, fw->legacy_mode);
	return FW_ST_SUCCESS;
}

static uint32_t rd_control_mode(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)body;
	wbuf_u32(w, fw->control_mode);
	return FW_ST_SUCCESS;
}

static uint32_t rd_zero_touch(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)body;
	wbuf_u32(w, fw->zero_touch_enabled);
	return FW_ST_SUCCESS;
}

/* 0 "not ready" until the key pair exists (doc/remote-config.md 7; doc/firmware.md 8.4). */
static uint32_t rd_tls_mode(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)body;
	wbuf_u32(w, fw_key_ready(fw) ? fw->tls_mode : 0);
	return FW_ST_SUCCESS;
}

static uint32_t rd_pki_suffix(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)body;
	put_ansi(w, fw->pki_dns_suffix);
	return FW_ST_SUCCESS;
}

/*
 * Index 0 wired, 1 wireless (doc/firmware.md 8.5). Index > 1: INVALID_PARAMETER (UNCONFIRMED).
 * A box without wireless answers INTERFACE_DOES_NOT_EXIST (2501, LMS
 * StatusCodeDefinitions.h, where it names a missing IPv6 interface; its use here is
 * UNCONFIRMED).
 */
static uint32_t rd_lan(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	uint32_t index = rbuf_u32(body);
	const struct fw_lan *l;

	if (index > 1)
		return FW_ST_INVALID_PARAMETER;
	l = &fw->lan[index];
	if (!l->present)
		return FW_ST_INTERFACE_DOES_NOT_EXIST;
	wbuf_u32(w, l->enabled);
	wbuf_u32(w, l->ipv4);
	wbuf_u32(w, l->dhcp_enabled);
	wbuf_u8(w, l->dhcp_mode);
	wbuf_u8(w, l->link_up);
	wbuf_bytes(w, l->mac, 6);
	return FW_ST_SUCCESS;
}

static uint32_t rd_hash_handles(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	size_t i;

	(void)body;
	wbuf_u32(w, (uint32_t)fw->hash_count);
	for (i = 0; i < fw->hash_count; i++)
		wbuf_u32(w, fw->hashes[i].handle);
	return FW_ST_SUCCESS;
}

/* Unknown handle: INVALID_HANDLE 0x805 ("the handle specified in the command is invalid"). */
static uint32_t rd_certhash(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	uint32_t handle = rbuf_u32(body);
	const struct fw_hash *h = NULL;
	size_t i, n;

	for (i = 0; i < fw->hash_count; i++)
		if (fw->hashes[i].handle == handle)
			h = &fw->hashes[i];
	if (!h)
		return FW_ST_INVALID_HANDLE;
	n = fw_hash_len(h->algorithm);
	wbuf_u32(w, h->is_default);
	wbuf_u32(w, h->active);
	wbuf_bytes(w, h->hash, n);
	wbuf_zeros(w, 64 - n);
	wbuf_u8(w, h->algorithm);
	put_ansi(w, h->name);
	return FW_ST_SUCCESS;
}

/* A box without a PID answers 8 zero bytes (UNCONFIRMED). */
static uint32_t rd_pid(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)body;
	put_fixed(w, fw->pid, 8);
	return FW_ST_SUCCESS;
}

/* doc/firmware.md 4.5.17; HostNameLength = length of the first label (UNCONFIRMED). */
static uint32_t rd_fqdn(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	const char *dot = strchr(fw->fqdn, '.');

	(void)body;
	wbuf_u32(w, fw->fqdn_shared);
	wbuf_u32(w, fw->ddns_update_enabled);
	wbuf_u32(w, fw->ddns_interval);
	wbuf_u32(w, fw->ddns_ttl);
	wbuf_u32(w, (uint32_t)(dot ? (size_t)(dot - fw->fqdn) : strlen(fw->fqdn)));
	put_ansi(w, fw->fqdn);
	return FW_ST_SUCCESS;
}

static uint32_t rd_unprov_state(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)body;
	wbuf_u32(w, fw->unprovisioning_state);
	return FW_ST_SUCCESS;
}

static uint32_t rd_remote_access(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)body;
	wbuf_u32(w, fw->ra_network);
	wbuf_u32(w, fw->ra_connection);
	wbuf_u32(w, fw->ra_trigger);
	put_ansi(w, fw->mps_hostname);
	return FW_ST_SUCCESS;
}

/*
 * Username[33] + Password[33] + 2 bytes: the 68-byte payload MeshAgent insists on
 * (doc/firmware.md 4.5.14, 10.3; UNCONFIRMED). A fixed fake account: nothing real to leak.
 */
static uint32_t rd_local_account(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	(void)fw;
	(void)body;
	put_fixed(w, "$$OsAdmin", 33);
	put_fixed(w, "Emulated-LSA-0nly!", 33);
	wbuf_zeros(w, 2);
	return FW_ST_SUCCESS;
}

/* Link-state variable: 15 zero bytes then 0x01 (doc/firmware.md 4.5.24). */
static uint32_t rd_amt_state(struct fw *fw, struct rbuf *body, struct wbuf *w)
{
	static const uint8_t link_id[16] = { [15] = 1 };
	const uint8_t *id = rbuf_ptr(body, 16);

	if (!id || memcmp(id, link_id, 16) != 0)
		return FW_ST_INVALID_PARAMETER;
	wbuf_bytes(w, link_id, 16);
	wbuf_u32(w, 5);
	wbuf_u8(w, fw->lan[0].link_up);
	wbuf_u8(w, 0);
	wbuf_u8(w, 1); /* crypto fuse enabled */
	wbuf_u8(w, 1); /* flash protection enabled */
	wbuf_u8(w, 0); /* last ME reset: none */
	return FW_ST_SUCCESS;
}

static const struct read_cmd cmds[] = {
	{ FW_GET_AMT_STATE, "GET_AMT_STATE", 16, rd_amt_state },
	{ FW_GET_PROVISIONING_MODE, "GET_PROVISIONING_MODE", 0, rd_prov_mode },
	{ FW_UNPROVISION, "UNPROVISION", 4, NULL },
	{ FW_GET_PROVISIONING_STATE, "GET_PROVISIONING_STATE", 0, rd_prov_state },
	{ FW_GET_CODE_VERSIONS, "GET_CODE_VERSIONS", 0, rd_code_versions },
	{ FW_START_CONFIGURATION, "START_CONFIGURATION", 0, NULL },
	{ FW_SET_PROVISIONING_SERVER_OTP, "SET_PROVISIONING_SERVER_OTP", BODY_ANSI, NULL },
	{ FW_GET_PROVISIONING_TLS_MODE, "GET_PROVISIONING_TLS_MODE", 0, rd_tls_mode },
	{ FW_ENUMERATE_HASH_HANDLES, "ENUMERATE_HASH_HANDLES", 0, rd_hash_handles },
	{ FW_GET_CERTHASH_ENTRY, "GET_CERTHASH_ENTRY", 4, rd_certhash },
	{ FW_SET_DNS_SUFFIX, "SET_DNS_SUFFIX", BODY_ANSI, NULL },
	{ FW_GET_ZERO_TOUCH_ENABLED, "GET_ZERO_TOUCH_ENABLED", 0, rd_zero_touch },
	{ FW_GET_PKI_FQDN_SUFFIX, "GET_PKI_FQDN_SUFFIX", 0, rd_pki_suffix },
	{ FW_SET_ZERO_TOUCH_ENABLED, "SET_ZERO_TOUCH_ENABLED", 4, NULL },
	{ FW_GET_PID, "GET_PID", 0, rd_pid },
	{ FW_GET_REMOTE_ACCESS_CONNECTION_STATUS, "GET_REMOTE_ACCESS_CONNECTION_STATUS", 0,
	  rd_remote_access },
	{ FW_GET_LAN_INTERFACE_SETTINGS, "GET_LAN_INTERFACE_SETTINGS", 4, rd_lan },
	{ FW_GET_FQDN, "GET_FQDN", 0, rd_fqdn },
	{ FW_GET_UUID, "GET_UUID", 0, rd_uuid },
	{ FW_STOP_CONFIGURATION, "STOP_CONFIGURATION", 0, NULL },
	{ FW_GET_LOCAL_SYSTEM_ACCOUNT, "GET_LOCAL_SYSTEM_ACCOUNT", 40, rd_local_account },
	{ FW_GET_UNPROVISIONING_STATE, "GET_UNPROVISIONING_STATE", 0, rd_unprov_state },
	{ FW_GET_CONTROL_MODE, "GET_CONTROL_MODE", 0, rd_control_mode },
};

#define CMD_COUNT (sizeof(cmds) / sizeof(cmds[0]))

static const struct {
	uint32_t code;
	const char *name;
} pseudo_names[] = {
	{ FW_PSEUDO_MKHI_FW_VERSION, "GET_FW_VERSION" },
	{ FW_PSEUDO_WD_IS_CHANGE, "IS_CHANGE_TO_AMT_ENABLED" },
	{ FW_PSEUDO_WD_SET_STATE, "SET_AMT_OPERATIONAL_STATE" },
	{ FW_PSEUDO_ALL, "all" },
};

static const struct read_cmd *find_cmd(uint32_t code)
{
	size_t i;

	for (i = 0; i < CMD_COUNT; i++)
		if (cmds[i].code == code)
			return &cmds[i];
	return NULL;
}

uint32_t fw_cmd_by_name(const char *name)
{
	size_t i;

	if (strncmp(name, "AMT_", 4) == 0)
		name += 4;
	for (i = 0; i < CMD_COUNT; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return cmds[i].code;
	for (i = 0; i < sizeof(pseudo_names) / sizeof(pseudo_names[0]); i++)
		if (strcmp(pseudo_names[i].name, name) == 0)
			return pseudo_names[i].code;
	return 0;
}

const char *fw_cmd_name(uint32_t code)
{
	const struct read_cmd *c = find_cmd(code);
	size_t i;

	if (c)
		return c->name;
	for (i = 0; i < sizeof(pseudo_names) / sizeof(pseudo_names[0]); i++)
		if (pseudo_names[i].code == code)
			return pseudo_names[i].name;
	return "";
}

/* Header 1.1, reserved 0, command | 0x00800000, Length 4, Status (doc/firmware.md 4.1-4.2). */
size_t fw_reply_status(uint8_t *reply, size_t cap, uint32_t cmd, uint32_t status)
{
	struct wbuf w;

	wbuf_init(&w, reply, cap);
	wbuf_u8(&w, 1);
	wbuf_u8(&w, 1);
	wbuf_u16(&w, 0);
	wbuf_u32(&w, cmd | FW_RESPONSE_BIT);
	wbuf_u32(&w, 4);
	wbuf_u32(&w, status);
	return wbuf_ok(&w) ? w.len : 0;
}

static void run_read(struct fw *fw, const struct read_cmd *c, const uint8_t *body,
		     size_t body_len, uint8_t *reply, size_t cap, size_t *reply_len)
{
	struct rbuf r;
	struct wbuf w;
	uint32_t status;

	rbuf_init(&r, body, body_len);
	wbuf_init(&w, reply, cap);
	*reply_len = fw_reply_status(reply, cap, c->code, 0);
	w.len = *reply_len;
	status = c->read(fw, &r, &w);
	if (status != FW_ST_SUCCESS || !wbuf_ok(&w)) {
		*reply_len = fw_reply_status(reply, cap, c->code, status ? status : 1);
		return;
	}
	le32_store(reply + 8, (uint32_t)(w.len - FW_HDR_LEN));
	*reply_len = w.len;
}

/*
 * The header Length must equal the bytes after the header (firmware.md 4.1) and the
 * body must have the command's size. Lenient default: a fixed-size request whose Length
 * says 12 (the header size) is accepted when its body has the command's size, as Intel's
 * own INTEL-SA-00075 tools send every request, UNPROVISION with its 4-byte body included,
 * and real firmware acted on them (firmware.md 10.9); `strict` rejects them.
 * AMT_ANSI_STRING bodies must be exactly 2 + n bytes (UNCONFIRMED: no source shows a
 * firmware answer to a wrong string length).
 */
static bool length_ok(const struct fw *fw, const struct read_cmd *c, uint32_t hdr_len,
		      const uint8_t *body, size_t body_len)
{
	if (hdr_len != body_len)
		return !fw->strict && hdr_len == FW_HDR_LEN && c->body_len != BODY_ANSI &&
		       body_len == (size_t)c->body_len;
	if (c->body_len == BODY_ANSI)
		return body_len >= 2 && body_len == 2u + le16_load(body);
	return body_len == (size_t)c->body_len;
}

int fw_amthi_handle(struct fw *fw, const uint8_t *req, size_t len, uint8_t *reply,
		    size_t cap, size_t *reply_len)
{
	const struct read_cmd *c;
	uint32_t cmd;

	*reply_len = 0;
	/* AMT disabled: the AMTHI client answers every request with an empty message
	 * (doc/firmware.md 4.5.1, "empty read = AMT disabled") */
	if (!fw->amt_enabled)
		return 0;
	cmd = len >= 8 ? le32_load(req + 4) : 0;
	if (len < FW_HDR_LEN) {
		*reply_len = fw_reply_status(reply, cap, cmd, FW_ST_INVALID_MESSAGE_LENGTH);
		return 0;
	}
	/* Wrong major version: UNSUPPORTED_VERSION; reserved != 0: INVALID_PARAMETER.
	 * Both UNCONFIRMED (no source shows firmware's answer); the minor is not checked. */
	if (req[0] != 1) {
		*reply_len = fw_reply_status(reply, cap, cmd, FW_ST_UNSUPPORTED_VERSION);
		return 0;
	}
	if (le16_load(req + 2) != 0) {
		*reply_len = fw_reply_status(reply, cap, cmd, FW_ST_INVALID_PARAMETER);
		return 0;
	}
	c = find_cmd(cmd);
	/* Unknown or generation-unsupported: INVALID_COMMAND 0x803 (UNCONFIRMED, man amtsim.5) */
	if (!c || !fw_gen_supports(fw->gen, cmd)) {
		*reply_len = fw_reply_status(reply, cap, cmd, FW_ST_INVALID_COMMAND);
		return 0;
	}
	if (!length_ok(fw, c, le32_load(req + 8), req + FW_HDR_LEN, len - FW_HDR_LEN)) {
		*reply_len = fw_reply_status(reply, cap, cmd, FW_ST_INVALID_MESSAGE_LENGTH);
		return 0;
	}
	if (c->read)
		run_read(fw, c, req + FW_HDR_LEN, len - FW_HDR_LEN, reply, cap, reply_len);
	else
		fw_write_handle(fw, cmd, req + FW_HDR_LEN, len - FW_HDR_LEN, reply, cap,
				reply_len);
	return 0;
}

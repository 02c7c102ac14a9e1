// SPDX-License-Identifier: MIT
/* AMTHI write commands of the emulator and the firmware rules that gate them (doc/remote-config.md 11). */
#include <string.h>

#include "buf.h"
#include "fw_int.h"

enum { PRE = 0, IN = 1, POST = 2 };
enum { CM_NONE = 0, CM_CCM = 1, CM_ACM = 2 };

/*
 * Shared gate of OTP, suffix and START_CONFIGURATION: refused once provisioned, and in
 * IN_PROVISION only after the provisioning period elapsed (doc/remote-config.md 7 SDK "CFG_SetProvisioningServerOTP"; doc/remote-config.md 2.5
 * SDK "CFG_StartConfiguration"/SDK "CFG_StartConfigurationEx"). Both refusals are INVALID_AMT_MODE (SDK "CFG_StartConfiguration": "not in pre-provision").
 */
static uint32_t gate_setup(const struct fw *fw)
{
	if (fw->provisioning_state == POST)
		return FW_ST_INVALID_AMT_MODE;
	if (fw->provisioning_state == IN && fw_window_open(fw))
		return FW_ST_INVALID_AMT_MODE;
	return FW_ST_SUCCESS;
}

/* An AMT_ANSI_STRING body (length already checked); a trailing NUL counted in the length
 * is dropped, as LMS sends one (doc/firmware.md 10.8). */
static size_t ansi_body(const uint8_t *body, const uint8_t **s)
{
	size_t n = le16_load(body);

	*s = body + 2;
	if (n > 0 && (*s)[n - 1] == '\0')
		n--;
	return n;
}

/*
 * SET_PROVISIONING_SERVER_OTP (doc/remote-config.md 7): INVALID_AMT_MODE in POST or in IN while the
 * window is open; INVALID_PARAMETER for an empty, over-32-character (LMS bound) or
 * non-printable OTP. Only SHA-256 and length are kept, the OTP copy is wiped.
 */
static uint32_t set_otp(struct fw *fw, const uint8_t *body)
{
	uint8_t otp[32];
	const uint8_t *s;
	uint32_t status;
	size_t n, i;

	status = gate_setup(fw);
	if (status)
		return status;
	n = ansi_body(body, &s);
	if (n == 0 || n > sizeof(otp))
		return FW_ST_INVALID_PARAMETER;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return FW_ST_INVALID_PARAMETER;
	memcpy(otp, s, n);
	fw_sha256_hex(otp, n, fw->otp_sha256);
	explicit_bzero(otp, sizeof(otp));
	fw->otp_len = (uint32_t)n;
	fw->dirty = 1;
	return FW_ST_SUCCESS;
}

/*
 * START_CONFIGURATION: opens the hello window, 24 h the first time and 6 h on every
 * later start (remote-config.md 2.5, Altiris p. 68); a PSK (PID/PPS) box always 6 h
 * (HP white paper p. 21, remote-config.md 2.5). PRE -> IN is UNCONFIRMED (firmware.md
 * 8.9). Before the key pair exists the answer is CERTIFICATE_NOT_READY, which still counts
 * as started (firmware.md 4.5.18); a key pair a full unprovision discarded is made now.
 * A PKI box with zero touch off sends no hellos whatever this answers (fw_hello_silent);
 * the answer itself is rules.start_zero_touch_off (default SUCCESS, UNCONFIRMED).
 */
static uint32_t start_configuration(struct fw *fw)
{
	int64_t now = fw_now(fw);
	uint32_t status = gate_setup(fw);
	bool later = fw->hello_starts || fw_hello_psk(fw);

	if (status)
		return status;
	fw_key_use(fw);
	fw_hello_arm(fw, now, later ? FW_HELLO_LATER_S : FW_HELLO_FIRST_S);
	if (!fw_hello_psk(fw) && !fw->zero_touch_enabled && fw->start_zt_off_status)
		return fw->start_zt_off_status;
	return fw_key_ready(fw) ? FW_ST_SUCCESS : FW_ST_CERTIFICATE_NOT_READY;
}

/* STOP_CONFIGURATION: only IN within the window, else INVALID_AMT_MODE (doc/firmware.md
 * 4.5.20, Intel C). IN -> PRE and the window closes (UNCONFIRMED: the PRE target). */
static uint32_t stop_configuration(struct fw *fw)
{
	if (fw->provisioning_state != IN || !fw_window_open(fw))
		return FW_ST_INVALID_AMT_MODE;
	fw->provisioning_state = PRE;
	fw->hello_until = fw_now(fw);
	fw->dirty = 1;
	return FW_ST_SUCCESS;
}

static bool dns_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

/*
 * SET_DNS_SUFFIX: same gate as the OTP (Intel AMT SDK, CFG_SetPkiFQDNSuffix); refused in small-business mode
 * (INVALID_AMT_MODE, status UNCONFIRMED). At most 223 bytes (the SDK page; the stored field
 * stays 255, what setup.bin may fill, doc/remote-config.md 6.5 var 2/3); longer:
 * INVALID_PARAMETER (status UNCONFIRMED, doc/firmware.md 4.5.7). Characters outside
 * letters/digits/-/.: INVALID_DOMAIN_NAME (UNCONFIRMED). Empty clears the suffix.
 */
static uint32_t set_dns_suffix(struct fw *fw, const uint8_t *body)
{
	const uint8_t *s;
	uint32_t status;
	size_t n, i;

	status = gate_setup(fw);
	if (status)
		return status;
	if (fw->provisioning_mode == 2)
		return FW_ST_INVALID_AMT_MODE;
	n = ansi_body(body, &s);
	if (n > FW_SUFFIX_SET_MAX)
		return FW_ST_INVALID_PARAMETER;
	for (i = 0; i < n; i++)
		if (!dns_char(s[i]))
			return FW_ST_INVALID_DOMAIN_NAME;
	memcpy(fw->pki_dns_suffix, s, n);
	fw->pki_dns_suffix[n] = '\0';
	fw->dirty = 1;
	return FW_ST_SUCCESS;
}

/*
 * SET_ZERO_TOUCH_ENABLED 0x0400003A, AMT_BOOLEAN body (doc/firmware.md 10.14). While in
 * provisioning: NOT_PERMITTED, both ways (Intel's remote-configuration use-case document,
 * remote-config.md 11.2). The host may use it only from ME 12, and only to disable (SDK
 * "CFG_SetZeroTouchEnabled"): before 12 NOT_PERMITTED both ways, enabling on 12+
 * NOT_PERMITTED (statuses UNCONFIRMED, remote-config.md 11.2); disabling only in PRE, so in
 * POST INVALID_AMT_MODE. Values other than 0/1: INVALID_PARAMETER.
 */
static uint32_t set_zero_touch(struct fw *fw, const uint8_t *body)
{
	uint32_t v = le32_load(body);

	if (v > 1)
		return FW_ST_INVALID_PARAMETER;
	if (fw->provisioning_state == IN)
		return FW_ST_NOT_PERMITTED;
	if (v == 1 || !fw_gen_at_least(fw->gen, 12, 0))
		return FW_ST_NOT_PERMITTED;
	if (v == 0 && fw->provisioning_state != PRE)
		return FW_ST_INVALID_AMT_MODE;
	if (fw->zero_touch_enabled != (v == 1)) {
		fw->zero_touch_enabled = v == 1;
		fw->dirty = 1;
	}
	return FW_ST_SUCCESS;
}

/*
 * UNPROVISION: the Mode field is ignored (SDK "CFG_Unprovision"; Intel C's refusal of other
 * values is the library's own check, doc/firmware.md 10.16). Only a provisioned box in
 * client control mode (before 6.2, which has no CCM/ACM: any provisioned box not marked
 * ACM; control modes from AMT 6.2, doc/firmware.md 8.2); ACM and
 * every other case: INVALID_AMT_MODE (doc/firmware.md 4.5.15, 8.2). Back to PRE, control
 * none; clears OTP, custom hashes (doc/remote-config.md 4.1 OAT docs), PKI suffix and the window.
 * The provisioning mode is kept whatever Mode says (UNCONFIRMED). A full unprovision
 * restores the factory setting, first 24 h window included (doc/remote-config.md 2.5, the
 * 5.0.2 thread; that every later generation does so is UNCONFIRMED): the window count
 * starts again, so the next START_CONFIGURATION or power-up opens 24 h, not 6 h. The TLS
 * key pair: as rules.unprovision_key says (default: discarded, made again at its first
 * use; UNCONFIRMED, fw_key_unprovisioned).
 */
static uint32_t unprovision(struct fw *fw)
{
	size_t i, kept = 0;
	bool has_modes = fw_gen_at_least(fw->gen, 6, 2);

	if (fw->provisioning_state != POST || fw->control_mode == CM_ACM ||
	    (has_modes && fw->control_mode != CM_CCM))
		return FW_ST_INVALID_AMT_MODE;
	fw->provisioning_state = PRE;
	fw->control_mode = CM_NONE;
	fw->pki_dns_suffix[0] = '\0';
	explicit_bzero(fw->otp_sha256, sizeof(fw->otp_sha256));
	fw->otp_len = 0;
	fw->hello_until = 0;
	fw->hello_started_at = 0;
	fw->hello_starts = 0;
	fw->hello_attempts = 0;
	fw->hello_attempts_window = 0;
	for (i = 0; i < fw->hash_count; i++)
		if (fw->hashes[i].is_default)
			fw->hashes[kept++] = fw->hashes[i];
	fw->hash_count = kept;
	fw_key_unprovisioned(fw);
	fw->dirty = 1;
	return FW_ST_SUCCESS;
}

int fw_write_handle(struct fw *fw, uint32_t cmd, const uint8_t *body, size_t body_len,
		    uint8_t *reply, size_t cap, size_t *reply_len)
{
	uint32_t status;

	(void)body_len; /* sizes were checked against the command table */
	switch (cmd) {
	case FW_SET_PROVISIONING_SERVER_OTP: status = set_otp(fw, body); break;
	case FW_START_CONFIGURATION: status = start_configuration(fw); break;
	case FW_STOP_CONFIGURATION: status = stop_configuration(fw); break;
	case FW_SET_DNS_SUFFIX: status = set_dns_suffix(fw, body); break;
	case FW_SET_ZERO_TOUCH_ENABLED: status = set_zero_touch(fw, body); break;
	case FW_UNPROVISION: status = unprovision(fw); break;
	default: status = FW_ST_INVALID_COMMAND; break;
	}
	*reply_len = fw_reply_status(reply, cap, cmd, status);
	return 1;
}

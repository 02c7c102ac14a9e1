// SPDX-License-Identifier: MIT
/* Firmware emulator core: model defaults, client connect, request dispatch and faults. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "fwclient.h"
#include "fw_int.h"

/* 1c113fd2-3325-4594-a272-54b2038beb07 in wire order (doc/firmware.md 11 TV3). */
static const uint8_t default_uuid[16] = { 0xd2, 0x3f, 0x11, 0x1c, 0x25, 0x33, 0x94, 0x45,
					  0xa2, 0x72, 0x54, 0xb2, 0x03, 0x8b, 0xeb, 0x07 };

uint64_t fw_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int64_t fw_now(const struct fw *fw)
{
	return (int64_t)time(NULL) + fw->clock_offset;
}

bool fw_window_open(const struct fw *fw)
{
	return fw->hello_until != 0 && fw_now(fw) < fw->hello_until;
}

/* A factory-fresh corporate box of generation g (the built-in default is g = 16.1). */
void fw_defaults(struct fw *fw, const struct fw_gen *g)
{
	static const uint8_t mac0[6] = { 0x54, 0xee, 0x75, 0x49, 0xb2, 0x19 };
	static const uint8_t mac1[6] = { 0x54, 0xee, 0x75, 0x49, 0xb2, 0x1a };

	memset(fw, 0, sizeof(*fw));
	fw->gen = g;
	fw->edition = FW_ED_CORPORATE;
	fw->amt_enabled = true;
	fw->amt_change_allowed = true;
	snprintf(fw->bios_version, sizeof(fw->bios_version), "%s", g->bios_version);
	memcpy(fw->uuid, default_uuid, 16);
	fw->provisioning_mode = 1;  /* enterprise */
	fw->zero_touch_enabled = true;
	/* PSK boxes before 11 report PSK, later ones PKI (doc/remote-config.md 5, 7) */
	fw->tls_mode = g->major < 11 ? 1 : 2;
	fw->ddns_interval = 1440;
	fw->ddns_ttl = 900;
	fw->lan[0] = (struct fw_lan){ true, true, true, true, 0xc0a8012a, 1, { 0 } };
	memcpy(fw->lan[0].mac, mac0, 6);
	fw->lan[1] = (struct fw_lan){ true, true, true, false, 0, 2, { 0 } };
	memcpy(fw->lan[1].mac, mac1, 6);
	fw->ra_network = 0;
	fw->faults.recovery_ms = 500;
	fw->mkhi_blocks = g->mkhi_blocks;
	fw->key_gen_s = g->key_gen_s;
	fw_dev_defaults(fw);
	fw_hashes_default(fw);
}

int fw_new(struct fw **out, const char *generation, char *err, size_t errlen)
{
	const struct fw_gen *g = fw_gen_find(generation);
	char known[128];
	struct fw *fw;

	*out = NULL;
	if (!g) {
		fw_gen_known_list(known, sizeof(known));
		snprintf(err, errlen, "unknown generation \"%s\" (known: %s)",
			 generation ? generation : "", known);
		return -EINVAL;
	}
	fw = malloc(sizeof(*fw));
	if (!fw) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fw_defaults(fw, g);
	*out = fw;
	return 0;
}

void fw_free(struct fw *fw)
{
	if (!fw)
		return;
	free(fw->path);
	explicit_bzero(fw->otp_sha256, sizeof(fw->otp_sha256));
	free(fw);
}

int fw_dirty(const struct fw *fw)
{
	return fw->dirty;
}

unsigned fw_latency_ms(const struct fw *fw)
{
	return fw->last_latency_ms;
}

unsigned fw_epoch(const struct fw *fw)
{
	return fw->epoch;
}

int fw_ready(struct fw *fw)
{
	if (fw->reset_until_ms && fw_mono_ms() < fw->reset_until_ms)
		return -ENODEV;
	fw->reset_until_ms = 0;
	return 0;
}

/*
 * The WD client while AMT is off: the kernel's iamt.rst says it is not enumerated, the SDK
 * ("STATE_INDEPENDENCE_IsChangeToAMTEnabled") that it is always active while the MEI driver
 * runs (doc/firmware.md 10.18, UNCONFIRMED). By default the emulator keeps it where the SDK
 * documents a host command that needs it (ChangeToAMT before 9.0, SetAmtOperationalState
 * from 16.1) and follows iamt.rst in between; rules.wd_client_amt_off picks either reading.
 */
static bool wd_when_amt_off(const struct fw *fw)
{
	switch (fw->wd_amt_off) {
	case FW_WD_OFF_PRESENT:
		return true;
	case FW_WD_OFF_ABSENT:
		return false;
	default:
		return fw_gen_at_least(fw->gen, 16, 1) || !fw_gen_at_least(fw->gen, 9, 0);
	}
}

static int client_present(const struct fw *fw, enum fw_client c)
{
	switch (c) {
	case FW_CLIENT_AMTHI:
		return fw->edition != FW_ED_NONE;
	case FW_CLIENT_WD:
		return fw->edition != FW_ED_NONE && (fw->amt_enabled || wd_when_amt_off(fw));
	default:
		return 1;
	}
}

int fw_connect(struct fw *fw, const uint8_t guid[16], enum fw_client *client,
	       struct fw_client_props *props)
{
	enum fw_client c;
	uint32_t mtu;

	if (fw_ready(fw))
		return -ENODEV;
	if (memcmp(guid, heci_guid_amthi, 16) == 0) {
		c = FW_CLIENT_AMTHI;
		mtu = FW_MTU_AMTHI;
	} else if (memcmp(guid, heci_guid_mkhi, 16) == 0) {
		c = FW_CLIENT_MKHI;
		mtu = FW_MTU_MKHI;
	} else if (memcmp(guid, heci_guid_wd, 16) == 0) {
		c = FW_CLIENT_WD;
		mtu = FW_MTU_WD;
	} else {
		return -ENOTTY;
	}
	if (!client_present(fw, c))
		return -ENOTTY;
	if (fw->faults.busy &&
	    (fw->faults.busy_client == 0 || fw->faults.busy_client == 1u + (unsigned)c)) {
		fw->faults.busy--;
		return -EBUSY;
	}
	if (client)
		*client = c;
	if (props) {
		props->max_msg_len = mtu;
		props->protocol_version = 1;
	}
	return 0;
}

/* The code a fault names for this request (AMTHI command, or an MKHI/WD pseudo code). */
static uint32_t request_code(enum fw_client client, const uint8_t *req, size_t len)
{
	if (client == FW_CLIENT_AMTHI)
		return len >= 8 ? le32_load(req + 4) : 0;
	if (client == FW_CLIENT_MKHI)
		return len >= 2 ? 0xFF000000u | (uint32_t)req[0] << 8 | (req[1] & 0x7Fu) : 0;
	return fw_wd_pseudo(req, len);
}

static bool fault_matches(uint32_t want, uint32_t code)
{
	return want && (want == FW_PSEUDO_ALL || want == code);
}

static void apply_malformed(enum fw_malformed m, enum fw_client client, uint8_t *reply,
			    size_t cap, size_t *len)
{
	bool amthi = client == FW_CLIENT_AMTHI && *len >= FW_HDR_LEN;

	switch (m) {
	case FW_MAL_EMPTY: *len = 0; break;
	case FW_MAL_SHORT: *len = *len > 4 ? *len - 4 : 0; break;
	case FW_MAL_LENGTH:
		if (amthi)
			le32_store(reply + 8, le32_load(reply + 8) + 1);
		break;
	case FW_MAL_COMMAND:
		if (amthi)
			le32_store(reply + 4, le32_load(reply + 4) & ~FW_RESPONSE_BIT);
		else if (*len >= 2)
			reply[client == FW_CLIENT_MKHI ? 1 : 2] ^= 0x80;
		break;
	case FW_MAL_RESERVED:
		if (amthi)
			reply[2] = 1;
		else if (client == FW_CLIENT_MKHI && *len >= 3)
			reply[2] = 1;
		break;
	case FW_MAL_VERSION:
		if (amthi) {
			reply[0] = 2;
			reply[1] = 0;
		}
		break;
	case FW_MAL_SIZE: /* consistent header, wrong size for the command */
		if (*len + 4 <= cap) {
			memset(reply + *len, 0, 4);
			*len += 4;
			if (amthi)
				le32_store(reply + 8, (uint32_t)(*len - FW_HDR_LEN));
		}
		break;
	case FW_MAL_TRAILING: /* one padding byte the header does not count */
		if (*len + 1 <= cap)
			reply[(*len)++] = 0xA5;
		break;
	case FW_MAL_NONE: break;
	}
}

static int dispatch(struct fw *fw, enum fw_client client, const uint8_t *req, size_t len,
		    uint8_t *reply, size_t cap, size_t *reply_len)
{
	switch (client) {
	case FW_CLIENT_AMTHI:
		return fw_amthi_handle(fw, req, len, reply, cap, reply_len);
	case FW_CLIENT_MKHI:
		return fw_mkhi_handle(fw, req, len, reply, cap, reply_len);
	case FW_CLIENT_WD:
		return fw_wd_handle(fw, req, len, reply, cap, reply_len);
	default:
		return -EINVAL;
	}
}

int fw_handle(struct fw *fw, enum fw_client client, const uint8_t *req, size_t len,
	      uint8_t *reply, size_t cap, size_t *reply_len)
{
	uint32_t code;
	int ret;

	*reply_len = 0;
	fw->last_latency_ms = fw->faults.latency_ms;
	if (fw_ready(fw))
		return -ENODEV;
	if (fw->faults.reset_after && --fw->faults.reset_after == 0) {
		fw->epoch++;
		fw->reset_until_ms = fw_mono_ms() + fw->faults.recovery_ms;
		return -ENODEV;
	}
	code = request_code(client, req, len);
	if (fault_matches(fw->faults.noreply, code))
		return FW_NO_REPLY;
	ret = dispatch(fw, client, req, len, reply, cap, reply_len);
	if (ret == 0 && fw->faults.malformed && fault_matches(fw->faults.malformed_cmd, code))
		apply_malformed(fw->faults.malformed, client, reply, cap, reply_len);
	return ret;
}

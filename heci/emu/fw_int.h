/* SPDX-License-Identifier: MIT */
/* Private model of the firmware emulator: state, generations, faults, handler helpers. */
#ifndef AMTACT_FW_INT_H
#define AMTACT_FW_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw.h"

/* AMT status codes the emulator answers (doc/firmware.md 5; LMS StatusCodeDefinitions.h). */
#define FW_ST_SUCCESS 0x000u
#define FW_ST_INVALID_AMT_MODE 0x003u
#define FW_ST_INVALID_MESSAGE_LENGTH 0x004u
#define FW_ST_NOT_PERMITTED 0x010u
#define FW_ST_INVALID_DOMAIN_NAME 0x01Cu
#define FW_ST_UNSUPPORTED_VERSION 0x01Du
#define FW_ST_INVALID_PARAMETER 0x024u
#define FW_ST_CERTIFICATE_NOT_READY 0x031u
#define FW_ST_INVALID_COMMAND 0x803u
#define FW_ST_INVALID_HANDLE 0x805u
#define FW_ST_INTERFACE_DOES_NOT_EXIST 2501u

#define FW_MTU_AMTHI 5120u
#define FW_MTU_MKHI 2048u
#define FW_MTU_WD 5120u

#define FW_HDR_LEN 12u
#define FW_RESPONSE_BIT 0x00800000u
#define FW_NAME_MAX 33u
#define FW_SUFFIX_MAX 255u
/* Whether the WD client is listed while AMT is off (doc/firmware.md 10.18, UNCONFIRMED). */
enum fw_wd_amt_off {
	FW_WD_OFF_BY_GEN = 0, /* before 9.0 and from 16.1 (the host's enable commands), else not */
	FW_WD_OFF_PRESENT,    /* always: the SDK's "always active while the MEI driver runs" */
	FW_WD_OFF_ABSENT,     /* never: the kernel's iamt.rst */
};
/*
 * What a full unprovision does to the TLS key pair the box uses while it is provisioned
 * (rules.unprovision_key; no public source says, UNCONFIRMED, doc/remote-config.md 11.3).
 */
enum fw_unprov_key {
	FW_UNPROV_KEY_FIRST_USE = 0, /* discarded; a new one is made at its first use (the next
					START_CONFIGURATION or hello power-up), key_generation_s */
	FW_UNPROV_KEY_KEEP,          /* kept: the next start finds it ready */
	FW_UNPROV_KEY_AT_ONCE,       /* a new one is made from the unprovision on */
};
/* What SET_DNS_SUFFIX takes (Intel AMT SDK, CFG_SetPkiFQDNSuffix; doc/firmware.md 4.5.7). */
#define FW_SUFFIX_SET_MAX 223u
#define FW_STR_MAX 256u
#define FW_HASH_MAX 32u
#define FW_CUSTOM_HASH_MAX 3u
#define FW_FWSTS_MAX 6u
#define FW_KEY_PATH_MAX 1024u
#define FW_HELLO_FIRST_S (24 * 3600)
#define FW_HELLO_LATER_S (6 * 3600)

enum fw_edition { FW_ED_NONE = 0, FW_ED_CORPORATE, FW_ED_ISM };

/* AMTHI command codes the emulator knows (doc/firmware.md 4.4). */
enum fw_cmd {
	FW_GET_AMT_STATE = 0x01000001,
	FW_GET_PROVISIONING_MODE = 0x04000008,
	FW_UNPROVISION = 0x04000010,
	FW_GET_PROVISIONING_STATE = 0x04000011,
	FW_GET_CODE_VERSIONS = 0x0400001A,
	FW_START_CONFIGURATION = 0x04000029,
	FW_SET_PROVISIONING_SERVER_OTP = 0x0400002A,
	FW_GET_PROVISIONING_TLS_MODE = 0x0400002B,
	FW_ENUMERATE_HASH_HANDLES = 0x0400002C,
	FW_GET_CERTHASH_ENTRY = 0x0400002D,
	FW_SET_DNS_SUFFIX = 0x0400002F,
	FW_GET_ZERO_TOUCH_ENABLED = 0x04000030,
	FW_GET_PKI_FQDN_SUFFIX = 0x04000036,
	FW_SET_ZERO_TOUCH_ENABLED = 0x0400003A,
	FW_GET_PID = 0x0400003B,
	FW_GET_REMOTE_ACCESS_CONNECTION_STATUS = 0x04000046,
	FW_GET_LAN_INTERFACE_SETTINGS = 0x04000048,
	FW_GET_FQDN = 0x04000056,
	FW_GET_UUID = 0x0400005C,
	FW_STOP_CONFIGURATION = 0x0400005E,
	FW_GET_LOCAL_SYSTEM_ACCOUNT = 0x04000067,
	FW_GET_UNPROVISIONING_STATE = 0x04000068,
	FW_GET_CONTROL_MODE = 0x0400006B,
};

/* Pseudo codes naming MKHI and WD messages in fault commands ("noreply GET_FW_VERSION"). */
#define FW_PSEUDO_MKHI_FW_VERSION 0xFF00FF02u
#define FW_PSEUDO_WD_IS_CHANGE 0x05000051u
#define FW_PSEUDO_WD_SET_STATE 0x05000053u
#define FW_PSEUDO_ALL 0xFFFFFFFFu

struct fw_hash {
	uint32_t handle;
	char name[FW_NAME_MAX];
	uint8_t algorithm;     /* doc/firmware.md 8.6: 1 SHA-1, 2 SHA-256 */
	uint8_t hash[FW_HASH_MAX];
	bool is_default;
	bool active;
};

/* One default table row (fw_hashes.c). */
struct fw_hash_row {
	const char *hex;
	const char *name;
};

enum fw_hash_era { FW_HASH_NONE, FW_HASH_SHA1_26, FW_HASH_SHA1_7, FW_HASH_SHA1_9, FW_HASH_SHA256_118,
		   FW_HASH_SHA256_NEW };

/* How a generation is configured remotely (remote-config.md 11.5). */
enum fw_rcfg {
	FW_RCFG_PSK_ONLY = 0,     /* PID/PPS only: no PKI remote configuration, no hashes */
	FW_RCFG_AGENT,            /* PKI hellos only when host software starts them */
	FW_RCFG_BARE_METAL        /* also by itself, the first time it is powered and networked */
};

struct fw_gen {
	const char *name;         /* "16.1" */
	unsigned major, minor;
	const char *version;      /* code version "16.1.25" */
	const char *build;        /* "3425" */
	unsigned mkhi_blocks;     /* GET_FW_VERSION blocks: 2 before 6.x, 3 from 6.x */
	unsigned sku_corporate;   /* decimal bitmask, doc/firmware.md 4.5.1 */
	enum fw_hash_era hashes;
	const char *bios_version;
	const enum fw_cmd *cmds;  /* supported AMTHI commands, 0-terminated */
	enum fw_rcfg rcfg;
	bool wildcard;            /* accepts a wildcard provisioning certificate */
	unsigned key_gen_s;       /* default key-generation time (seconds) */
};

enum fw_malformed {
	FW_MAL_NONE = 0, FW_MAL_EMPTY, FW_MAL_SHORT, FW_MAL_LENGTH, FW_MAL_COMMAND,
	FW_MAL_RESERVED, FW_MAL_VERSION, FW_MAL_SIZE, FW_MAL_TRAILING
};

struct fw_faults {
	unsigned busy;            /* next N connects -> -EBUSY */
	unsigned busy_client;     /* 0: any client; 1 + enum fw_client: only that one */
	unsigned reset_after;     /* the Nth next request resets (0 = off) */
	unsigned recovery_ms;
	uint32_t noreply;         /* command code, FW_PSEUDO_ALL, or 0 */
	uint32_t malformed_cmd;
	enum fw_malformed malformed;
	unsigned latency_ms;
};

struct fw_lan {
	bool present, enabled, dhcp_enabled, link_up;
	uint32_t ipv4;            /* 1.2.3.4 = 0x01020304 */
	uint8_t dhcp_mode;
	uint8_t mac[6];
};

struct fw {
	const struct fw_gen *gen;
	char *path;
	int dirty;
	/* state (JSON names in fw_state.c) */
	enum fw_edition edition;
	bool amt_enabled, amt_change_allowed, legacy_mode, zero_touch_enabled, strict;
	char bios_version[66];
	uint8_t uuid[16];         /* wire order */
	uint32_t provisioning_state, provisioning_mode, control_mode, tls_mode;
	char pki_dns_suffix[FW_SUFFIX_MAX + 1];
	bool fqdn_shared, ddns_update_enabled;
	uint32_t ddns_interval, ddns_ttl;
	char fqdn[FW_STR_MAX];
	struct fw_lan lan[2];
	char pid[9];
	bool mebx_password_changed; /* false: still the factory "admin" */
	char prov_server[FW_STR_MAX]; /* from a USB key (2/4 or 2/17); "": ProvisionServer.<suffix> */
	uint32_t prov_port;
	char usb_key[FW_KEY_PATH_MAX]; /* the setup.bin "inserted" ("": none) */
	uint32_t unprovisioning_state;
	uint32_t ra_network, ra_connection, ra_trigger;
	char mps_hostname[FW_STR_MAX];
	struct fw_hash hashes[40];
	size_t hash_count;
	int64_t clock_offset, hello_started_at, hello_until, cert_ready_at;
	uint32_t hello_starts;
	/* hello attempts (fw_hello.c): counted for window number attempts_window (= starts) */
	uint32_t hello_attempts, hello_delivered, hello_failed;
	int64_t hello_attempts_window, hello_last_at;
	char otp_sha256[65];
	uint32_t otp_len;
	uint32_t start_zt_off_status; /* START_CONFIGURATION's answer with zero touch off */
	uint32_t wd_amt_off;          /* the WD client with AMT off: enum fw_wd_amt_off */
	uint32_t unprov_key;          /* rules.unprovision_key: enum fw_unprov_key */
	bool key_discarded;       /* no key pair: a full unprovision discarded it, and its
				     first use makes a new one (fw_key_use) */
	uint32_t mkhi_blocks;     /* GET_FW_VERSION version blocks (default: the generation's) */
	uint32_t key_gen_s;       /* key generation at the first power-up (default: the
				     generation's); sets cert_ready_at (fw_key_first_power_on) */
	uint32_t fwsts[FW_FWSTS_MAX]; /* the host-visible firmware status registers */
	struct fw_faults faults;
	/* runtime only */
	unsigned epoch;
	uint64_t reset_until_ms;
	unsigned last_latency_ms;
};

/* fw_gen.c */
const struct fw_gen *fw_gen_find(const char *name);
bool fw_gen_supports(const struct fw_gen *g, uint32_t cmd);
bool fw_gen_at_least(const struct fw_gen *g, unsigned major, unsigned minor);
void fw_gen_known_list(char *out, size_t cap);

/* fw_hashes.c */
void fw_hashes_default(struct fw *fw);
int fw_hex_decode(const char *hex, uint8_t *out, size_t cap, size_t *len);
void fw_hex_encode(const uint8_t *in, size_t len, char *out, size_t cap);
size_t fw_hash_len(uint8_t algorithm);

/* fw.c */
void fw_defaults(struct fw *fw, const struct fw_gen *g);
uint64_t fw_mono_ms(void);
bool fw_window_open(const struct fw *fw);

/* fw_state.c: field table; value is a cJSON item */
void *fw_state_to_cjson(const struct fw *fw, bool with_faults);
int fw_state_apply(struct fw *fw, const char *path, const void *value, const char **why);

/* fw_load.c */
int fw_state_from_json(struct fw *fw, const char *text, const char *file, char *err,
		       size_t errlen);
int fw_state_set(struct fw *fw, const char *path, const char *value, char *err,
		 size_t errlen);

/* fw_amthi.c: reply helpers and read commands */
size_t fw_reply_status(uint8_t *reply, size_t cap, uint32_t cmd, uint32_t status);
int fw_amthi_handle(struct fw *fw, const uint8_t *req, size_t len, uint8_t *reply,
		    size_t cap, size_t *reply_len);
uint32_t fw_cmd_by_name(const char *name);
const char *fw_cmd_name(uint32_t code);

/* fw_write.c: write commands; return 1 if cmd was a write command (reply built) */
int fw_write_handle(struct fw *fw, uint32_t cmd, const uint8_t *body, size_t body_len,
		    uint8_t *reply, size_t cap, size_t *reply_len);

/* fw_wd_mkhi.c */
int fw_mkhi_handle(struct fw *fw, const uint8_t *req, size_t len, uint8_t *reply,
		   size_t cap, size_t *reply_len);
int fw_wd_handle(struct fw *fw, const uint8_t *req, size_t len, uint8_t *reply,
		 size_t cap, size_t *reply_len);
uint32_t fw_wd_pseudo(const uint8_t *req, size_t len);

/* fw_hello.c: the box sends version-2 (PSK) hellos; open a window of `seconds` at `now`
 * (PRE -> IN, a new window number) */
bool fw_hello_psk(const struct fw *fw);
void fw_hello_arm(struct fw *fw, int64_t now, int64_t seconds);

/* fw_power.c: the control commands "power-cycle" and "facts" (answer in out) */
int fw_power_cycle(struct fw *fw, char *out, size_t outlen);

/* fw_usbkey.c: apply the next record of the inserted key (out: what happened, "" if none). */
void fw_usbkey_power_on(struct fw *fw, char *out, size_t cap);
/* Control command "usb-key FILE|none": insert a key (its real path is kept) or pull it. */
int fw_usbkey_insert(struct fw *fw, const char *path, char *out, size_t outlen);

/*
 * A machine file that says nothing of its key (no cert_ready_at) is powered up now: a
 * factory-fresh box (PRE, hellos never started) starts making its key pair, ready after
 * key_generation_s; any other box made it long ago.
 */
void fw_key_first_power_on(struct fw *fw);
/* The key pair is there and ready to use (not discarded, not still being made). */
bool fw_key_ready(const struct fw *fw);
/* The key is about to be used (START_CONFIGURATION, a hello power-up): a discarded one is
 * made now, ready key_generation_s later. */
void fw_key_use(struct fw *fw);
/* A full unprovision: the key pair as rules.unprovision_key says. */
void fw_key_unprovisioned(struct fw *fw);
int fw_facts(const struct fw *fw, char *out, size_t outlen);

/* fw_wd_mkhi.c: {minor, major, build, hotfix} of the generation's code version */
void fw_mkhi_version(const struct fw_gen *g, uint16_t v[4]);

/* fw_dev.c: device facts outside HECI (sysfs); defaults per generation */
void fw_dev_defaults(struct fw *fw);
unsigned fw_dev_fwsts_count(const struct fw_gen *g);
int fw_dev_sysfs(const struct fw *fw, const char *attr, char *out, size_t outlen);

/* fw_sha256.c */
void fw_sha256_hex(const uint8_t *data, size_t len, char out[65]);

/*
 * fw_file_posix.c / fw_file_windows.c: the machine file. Read it whole (at most max
 * bytes; *text malloc'd, NUL-terminated); replace it atomically and durably (temp file
 * beside it, flushed, renamed over it). 0 or -errno with err = "PATH: reason".
 */
int fw_file_read(const char *path, size_t max, char **text, char *err, size_t errlen);
int fw_file_replace(const char *path, const char *text, char *err, size_t errlen);
/*
 * fw_file.c, for fw_file_read on each system. fw_file_buffer: *buf = a zeroed buffer for a
 * file of `size` bytes and its NUL; -EINVAL (larger than max) or -ENOMEM, err saying which.
 * fw_file_loaded: the read into *buf ended with read_ret (0, -EIO for a short read, or
 * another -errno); on 0 *buf becomes *text (and *buf NULL), else err says what failed.
 */
int fw_file_buffer(const char *path, uint64_t size, size_t max, char **buf, char *err,
		   size_t errlen);
int fw_file_loaded(const char *path, char **buf, int read_ret, char **text, char *err,
		   size_t errlen);

/* fw_control.c */
const char *fw_malformed_name(enum fw_malformed m);
int fw_malformed_parse(const char *s, enum fw_malformed *m);

#endif

/* SPDX-License-Identifier: MIT */
/* AMTHI (PTHI) codec: request building, strict reply validation and field decoders. */
#ifndef AMTACT_AMTHI_H
#define AMTACT_AMTHI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* doc/firmware.md 4.1 */
#define AMTHI_HDR_LEN 12u
#define AMTHI_RESP_BIT 0x00800000u
#define AMTHI_MAX_MSG 5120u

/* doc/firmware.md 4.4; response code = request | AMTHI_RESP_BIT. */
enum amthi_cmd {
	AMTHI_GET_PROVISIONING_MODE = 0x04000008,
	AMTHI_UNPROVISION = 0x04000010,
	AMTHI_GET_PROVISIONING_STATE = 0x04000011,
	AMTHI_GET_CODE_VERSIONS = 0x0400001A,
	AMTHI_START_CONFIGURATION = 0x04000029,
	AMTHI_SET_PROVISIONING_SERVER_OTP = 0x0400002A,
	AMTHI_GET_PROVISIONING_TLS_MODE = 0x0400002B,
	AMTHI_ENUMERATE_HASH_HANDLES = 0x0400002C,
	AMTHI_GET_CERTHASH_ENTRY = 0x0400002D,
	AMTHI_SET_DNS_SUFFIX = 0x0400002F,
	AMTHI_GET_ZERO_TOUCH_ENABLED = 0x04000030,
	AMTHI_GET_PKI_FQDN_SUFFIX = 0x04000036,
	AMTHI_SET_ZERO_TOUCH_ENABLED = 0x0400003A,
	AMTHI_GET_PID = 0x0400003B,
	AMTHI_GET_REMOTE_ACCESS_CONNECTION_STATUS = 0x04000046,
	AMTHI_GET_LAN_INTERFACE_SETTINGS = 0x04000048,
	AMTHI_GET_FQDN = 0x04000056,
	AMTHI_GET_UUID = 0x0400005C,
	AMTHI_STOP_CONFIGURATION = 0x0400005E,
	AMTHI_GET_UNPROVISIONING_STATE = 0x04000068,
	AMTHI_GET_CONTROL_MODE = 0x0400006B,
};

/* Name of a command ("GET_UUID"), or NULL if unknown. */
const char *amthi_cmd_name(uint32_t cmd);
/* Inverse of amthi_cmd_name(); 0 if unknown. */
uint32_t amthi_cmd_by_name(const char *name);

/*
 * Build a request: header (version 1.1, reserved 0, cmd, Length = payload_len) then
 * payload. Returns the total length, or 0 if it does not fit in cap.
 */
size_t amthi_build(uint8_t *buf, size_t cap, uint32_t cmd, const void *payload,
		   size_t payload_len);

/*
 * The write requests (amthi_enc.c). Each encoder fills *rq with the command code and its
 * body (the bytes after the header), returns 0, or -EMSGSIZE when the body cannot fit (rq
 * then holds the command and no body). A body may hold a secret (the OTP): wipe it with
 * amthi_req_wipe() on every path.
 */
#define AMTHI_REQ_BODY_MAX 300u

struct amthi_request {
	uint32_t cmd;
	size_t len;                        /* body length */
	size_t secret_from;                /* body offset where the secret starts; len: none */
	uint8_t body[AMTHI_REQ_BODY_MAX];
};

/* SET_PROVISIONING_SERVER_OTP: the OTP as an AMT_ANSI_STRING, all of it secret. */
int amthi_req_set_otp(struct amthi_request *rq, const char *otp, size_t len);
/* SET_DNS_SUFFIX: the suffix (NUL-terminated) as an AMT_ANSI_STRING. */
int amthi_req_set_dns_suffix(struct amthi_request *rq, const char *suffix);
/* SET_ZERO_TOUCH_ENABLED: u32 1 or 0. */
int amthi_req_set_zero_touch(struct amthi_request *rq, bool enable);
/* START_CONFIGURATION and STOP_CONFIGURATION: no body. */
int amthi_req_start_configuration(struct amthi_request *rq);
int amthi_req_stop_configuration(struct amthi_request *rq);
/* UNPROVISION: u32 mode 0. */
int amthi_req_unprovision(struct amthi_request *rq);
void amthi_req_wipe(struct amthi_request *rq);

/*
 * What the request would send, in words, read from its body, never showing the secret:
 * "SET_DNS_SUFFIX (0x0400002F), payload u16 11 + \"example.com\"",
 * "SET_PROVISIONING_SERVER_OTP (0x0400002A), payload u16 8 + <redacted 8 bytes>",
 * "START_CONFIGURATION (0x04000029), no payload". Truncated to cap.
 */
void amthi_req_describe(const struct amthi_request *rq, char *out, size_t cap);

/* Why a reply was rejected (doc/firmware.md 4.2, in the order the checks run). */
enum amthi_fault {
	AMTHI_FAULT_NONE = 0,
	AMTHI_FAULT_EMPTY,     /* 0 bytes: AMT disabled */
	AMTHI_FAULT_SHORT,     /* fewer than 16 bytes */
	AMTHI_FAULT_LENGTH,    /* header Length != bytes - 12 */
	AMTHI_FAULT_COMMAND,   /* not request | 0x00800000 */
	AMTHI_FAULT_RESERVED,  /* reserved != 0 */
	AMTHI_FAULT_VERSION,   /* major != 1 or minor < 1 */
	AMTHI_FAULT_SIZE,      /* fixed reply of the wrong size */
	AMTHI_FAULT_TRAILING,  /* bytes after the last field of a variable reply */
	AMTHI_FAULT_FIELD,     /* a field out of range (count, string length, ...) */
};

/* "empty", "short", "length", "command", "reserved", "version", "size", "trailing",
 * "field" ("none" for AMTHI_FAULT_NONE, "unknown" out of range); for JSON and tests. */
const char *amthi_fault_name(enum amthi_fault f);

/* A validated reply: status and the payload after it (only meaningful if status == 0). */
struct amthi_reply {
	uint32_t cmd;           /* the request code it answers */
	uint32_t status;        /* AMT status (amt_status.h) */
	const uint8_t *payload; /* points into the message */
	size_t payload_len;
	enum amthi_fault fault;
	struct amt_err err;     /* a refused reply: -EBADMSG and what was wrong and where */
};

/*
 * Validate the reply `msg` (len bytes) to request `cmd`: size >= 16, Length == len - 12,
 * command, reserved, version, then status. Returns 0 with r->status set (the caller
 * decides what a non-zero status means), -ENODATA for an empty reply (AMT disabled),
 * or -EBADMSG with r->fault and r->err describing the defect.
 */
int amthi_parse(const uint8_t *msg, size_t len, uint32_t cmd, struct amthi_reply *r);

/* Decoded payloads. Each decoder takes a reply with status 0 and returns 0 or -EBADMSG
 * (with r->fault/r->err set: exact size, trailing bytes, field range). A reply with a
 * non-zero status is refused with -EINVAL (a caller bug: check r->status first). A payload
 * shorter than its fields need is AMTHI_FAULT_SIZE; on failure *out is unspecified.
 * Strings are printable ASCII (0x20..0x7e); one trailing NUL is allowed and stripped. */

#define AMT_VERSIONS_MAX 50
#define AMT_VERSION_STR 21 /* 20 bytes on the wire + NUL */

struct amt_code_versions {
	char bios[66];
	uint32_t count;
	struct {
		char desc[AMT_VERSION_STR];
		char ver[AMT_VERSION_STR];
	} v[AMT_VERSIONS_MAX];
};

struct amt_lan {
	bool enabled;
	uint32_t ipv4;   /* host order: 0x01020304 is 1.2.3.4 */
	bool dhcp_enabled;
	uint8_t dhcp_mode; /* 1 active, 2 passive */
	uint8_t link_up;
	uint8_t mac[6];
};

#define AMT_HASH_HANDLES_MAX 64
#define AMT_HASH_NAME_MAX 256

struct amt_certhash {
	bool is_default;
	bool is_active;
	uint8_t hash[64];
	uint8_t algorithm;  /* doc/firmware.md 8.6: 0 MD5, 1 SHA1, 2 SHA256, 3 SHA512 (see 10.4) */
	char name[AMT_HASH_NAME_MAX + 1];
};

#define AMT_FQDN_MAX 256

struct amt_fqdn {
	bool shared;
	bool ddns_update_enabled;
	uint32_t ddns_interval;
	uint32_t ddns_ttl;
	uint32_t hostname_len;
	char fqdn[AMT_FQDN_MAX + 1];
};

struct amt_remote_access {
	uint32_t network_status;
	uint32_t connection_status;
	uint32_t trigger;
	char mps_hostname[AMT_FQDN_MAX + 1];
};

/* Replies that carry only the status (START/STOP_CONFIGURATION, SET_*, UNPROVISION):
 * the payload must be empty. */
int amthi_dec_empty(struct amthi_reply *r);
/* One AMT_BOOLEAN (GET_ZERO_TOUCH_ENABLED); values other than 0 and 1 are FIELD faults. */
int amthi_dec_bool(struct amthi_reply *r, bool *out);
int amthi_dec_code_versions(struct amthi_reply *r, struct amt_code_versions *out);
int amthi_dec_uuid(struct amthi_reply *r, uint8_t uuid[16]);
/* Fixed replies of one u32: provisioning state, control mode, TLS mode, unprovisioning
 * state, zero-touch enabled (AMT_BOOLEAN). */
int amthi_dec_u32(struct amthi_reply *r, uint32_t *out);
int amthi_dec_prov_mode(struct amthi_reply *r, uint32_t *mode, bool *legacy);
/* AMT_ANSI_STRING; refuses embedded NULs except one trailing NUL, and strings >= cap. */
int amthi_dec_ansi(struct amthi_reply *r, char *out, size_t cap);
int amthi_dec_lan(struct amthi_reply *r, struct amt_lan *out);
int amthi_dec_hash_handles(struct amthi_reply *r, uint32_t *handles, size_t cap,
			   size_t *count);
int amthi_dec_certhash(struct amthi_reply *r, struct amt_certhash *out);
/* 8 bytes, returned NUL-terminated */
int amthi_dec_pid(struct amthi_reply *r, char pid[9]);
int amthi_dec_fqdn(struct amthi_reply *r, struct amt_fqdn *out);
int amthi_dec_remote_access(struct amthi_reply *r, struct amt_remote_access *out);

/* Hash length in bytes for a GET_CERTHASH_ENTRY algorithm (0 if unknown). */
size_t amthi_hash_len(uint8_t algorithm);
/* "md5", "sha1", "sha256", "sha512", or NULL */
const char *amthi_hash_name(uint8_t algorithm);

#endif

/* SPDX-License-Identifier: MIT */
/* The AMT status codes firmware returns, with names, plain meanings and hints. */
#ifndef AMTACT_AMT_STATUS_H
#define AMTACT_AMT_STATUS_H

#include <stdint.h>

enum amt_status {
	AMT_STATUS_SUCCESS = 0x000,
	AMT_STATUS_INTERNAL_ERROR = 0x001,
	AMT_STATUS_NOT_READY = 0x002,
	AMT_STATUS_INVALID_AMT_MODE = 0x003,
	AMT_STATUS_INVALID_MESSAGE_LENGTH = 0x004,
	AMT_STATUS_NOT_PERMITTED = 0x010,
	AMT_STATUS_MAX_LIMIT_REACHED = 0x017,
	AMT_STATUS_INVALID_DOMAIN_NAME = 0x01C,
	AMT_STATUS_UNSUPPORTED_VERSION = 0x01D,
	AMT_STATUS_REQUEST_UNEXPECTED = 0x01E,
	AMT_STATUS_INVALID_PROVISIONING_STATE = 0x020,
	AMT_STATUS_INVALID_INDEX = 0x023,
	AMT_STATUS_INVALID_PARAMETER = 0x024,
	AMT_STATUS_RNG_NOT_READY = 0x030,
	AMT_STATUS_CERTIFICATE_NOT_READY = 0x031,
	AMT_STATUS_DISABLED_BY_POLICY = 0x400,
	AMT_STATUS_INVALID_COMMAND = 0x803,
	AMT_STATUS_INVALID_HANDLE = 0x805,
	AMT_STATUS_DATA_MISSING = 0x809,
	AMT_STATUS_UNSUPPORTED = 0x812,
	AMT_STATUS_NOT_FOUND = 0x814,
	AMT_STATUS_BLOCKING_COMPONENT = 0x81C,
	AMT_STATUS_INTERFACE_DOES_NOT_EXIST = 0x9C5,
};

struct amt_status_info {
	uint32_t code;
	const char *name;    /* "INVALID_AMT_MODE" (no AMT_STATUS_ prefix) */
	const char *meaning; /* plain words */
	const char *hint;    /* what to do; may be "" */
};

/*
 * Every code of doc/firmware.md section 5. Unknown codes get a generic entry whose name is
 * "UNKNOWN" (never NULL).
 */
const struct amt_status_info *amt_status_lookup(uint32_t code);
const char *amt_status_name(uint32_t code);
/* The whole table (for tests and `amtact help status`), terminated by name == NULL. */
const struct amt_status_info *amt_status_table(void);

#endif

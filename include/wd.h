/* SPDX-License-Identifier: MIT */
/* Watchdog-client "state independence" messages: AMT operational state (doc/firmware.md 6). */
#ifndef AMTACT_WD_H
#define AMTACT_WD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define WD_CMD_STATE_INDEPENDENCE 0x05u
#define WD_SUB_IS_CHANGE_TO_AMT_ENABLED 0x51u
#define WD_SUB_CHANGE_TO_AMT 0x52u
#define WD_SUB_SET_AMT_OPERATIONAL_STATE 0x53u
/* ChangeToAMT's failure status: the change is not allowed now (doc/firmware.md 6). */
#define WD_STATUS_CHANGE_FAILED 0x9Eu
#define WD_VERSION 0x10u

struct wd_amt_state {
	uint8_t raw;          /* the flag byte */
	bool change_allowed;  /* bit 0 */
	bool new_interface;   /* bit 7: ME 16.1+, SetAmtOperationalState supported */
	bool amt_enabled;     /* bit 1, valid only with new_interface */
	bool tls_local_ports; /* bit 6, valid only with new_interface */
};

/* 05 02 51 10 */
size_t wd_build_is_change_enabled(uint8_t *buf, size_t cap);
/* 05 03 53 10 <enable> */
size_t wd_build_set_operational_state(uint8_t *buf, size_t cap, bool enable);
/* 05 02 52 10: the switch to AMT before release 9.0 (deprecated there). */
size_t wd_build_change_to_amt(uint8_t *buf, size_t cap);

/* The name of a request in results and messages: "WD SetAmtOperationalState". */
const char *wd_request_name(const uint8_t *req, size_t len);
/* What a request holds, for --dry-run: "WD client SetAmtOperationalState: 05 03 53 10 01". */
void wd_request_describe(const uint8_t *req, size_t len, char *out, size_t cap);

/*
 * The decoders return 0, -ENODATA (empty) or -EBADMSG, with e (may be NULL) saying what
 * was wrong, or cleared on success.
 */
/* The IsChangeToAMTEnabled reply (flag byte first). */
int wd_dec_is_change_enabled(const uint8_t *msg, size_t len, struct wd_amt_state *out,
			     struct amt_err *e);
/* The SetAmtOperationalState reply: 05 03 53 10 + u32 AMT status. */
int wd_dec_set_operational_state(const uint8_t *msg, size_t len, uint32_t *status,
				 struct amt_err *e);

/* The ChangeToAMT reply: a u32 status alone (0 success, WD_STATUS_CHANGE_FAILED). */
int wd_dec_change_to_amt(const uint8_t *msg, size_t len, uint32_t *status, struct amt_err *e);

#endif

/* SPDX-License-Identifier: MIT */
/* The OTP write-ahead record: an OTP is on disk before the firmware is given it. */
#ifndef AMTACT_OTP_PENDING_H
#define AMTACT_OTP_PENDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "secret.h"

/*
 * <state_dir>/otp.pending, mode 0600, replaced atomically (run_state_write_file). `run`
 * writes it before SET_PROVISIONING_SERVER_OTP and removes it once the report carrying the
 * OTP is saved (spool, file or server), or when the firmware refused the OTP. A run killed
 * in between leaves it behind; the next run reports the OTP under the interrupted run's
 * report id (an idempotency key: the server stores it once however often it comes).
 *
 * Format (exactly what otp_pending_save writes, nothing else is accepted):
 *   "AMTACT-OTP 1 <report id> <intent|set> <clear|cms>\n" then the value to the end.
 * "intent": written before sending, the firmware's answer unknown; "set": it accepted it.
 * "cms": the value is the OTP sealed to server.report_cert (PEM CMS, which this agent
 * cannot open); "clear": the OTP itself (no report certificate in the profile).
 */
#define OTP_PENDING_FILE "otp.pending"

struct otp_pending {
	char report_id[37];
	bool set;             /* the firmware accepted it (else: its answer is unknown) */
	bool sealed;          /* value is a PEM CMS, else the OTP in clear */
	struct secret value;  /* wiped by otp_pending_wipe */
	int64_t saved_at;     /* otp_pending_load: when the record was last written (its
				 file's time, UNIX seconds); 0 when not known. Not in the format */
};

/*
 * Parse `len` bytes (not NUL-terminated; nothing past len is read). 0, or -EBADMSG for
 * anything otp_pending_save would not have written (p is wiped then).
 */
int otp_pending_parse(const char *buf, size_t len, struct otp_pending *p);

/* Write the record into dir (which must exist and be ours). 0 or -errno. */
int otp_pending_save(const char *dir, const struct otp_pending *p);

/*
 * Read dir/otp.pending (never through a link, never blocking on a FIFO) and remove
 * leftover temp files of a save that was interrupted. Returns 0, -ENOENT when there is
 * none, -EBADMSG when it is not a record, -EINVAL when it is not a regular file, or
 * another -errno. p is wiped on failure.
 */
int otp_pending_load(const char *dir, struct otp_pending *p);

/* Remove the record (durably). 0, or -errno (-ENOENT is 0). */
int otp_pending_remove(const char *dir);

/* Keep a record that cannot be read as dir/otp.pending.bad for a person. 0 or -errno. */
int otp_pending_set_aside(const char *dir);

void otp_pending_wipe(struct otp_pending *p);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * One error context: filled once where a failure is known (what, where, why), then carried
 * up by pointer to the command that reports it, never re-formatted into a buffer per layer.
 */
#ifndef AMTACT_ERR_H
#define AMTACT_ERR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AMT_ERR_MSG_MAX 256

/* The mark that ends a message cut to fit AMT_ERR_MSG_MAX. */
#define AMT_ERR_CUT "..."

/*
 * A local failure is `code` (a negative errno) with `msg` saying what failed and where. A
 * firmware answer is not a local failure: it travels in fw_status (have_fw_status set), so
 * a caller tells "the firmware said no" from "we could not ask". Zeroed = no error.
 */
struct amt_err {
	int code;               /* 0 or a negative errno */
	uint32_t fw_status;     /* the AMT/MKHI status the firmware answered */
	bool have_fw_status;
	char msg[AMT_ERR_MSG_MAX]; /* "" or one line, NUL-terminated; cut ones end in "..." */
};

/* No error: code 0, no firmware status, empty message. A NULL e is allowed (nothing). */
void err_clear(struct amt_err *e);

/*
 * Record a failure: code (a negative errno, or 0 when only the words matter) and the
 * message, replacing what was there. A message longer than the buffer is cut and ends in
 * AMT_ERR_CUT. Returns code, so `return err_set(e, -EIO, ...);` reads naturally. A NULL e
 * records nothing (a caller that wants only the code).
 */
int err_set(struct amt_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Put "<formatted>: " in front of the message (the caller adding where, once), keeping
 * code and firmware status; an empty message becomes just the formatted text. Cut as
 * err_set. Returns e->code.
 */
int err_prefix(struct amt_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record what the firmware answered (kept apart from code); NULL e: nothing. */
void err_set_fw_status(struct amt_err *e, uint32_t status);

/* The message, or strerror(-code) when there is none, or "" when there is no error. */
const char *err_text(const struct amt_err *e);

/* True when a message or a code is recorded. */
bool err_is_set(const struct amt_err *e);

#endif

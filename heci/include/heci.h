/* SPDX-License-Identifier: MIT */
/* The HECI/MEI transport: one handle is one connection to one firmware client. */
#ifndef AMTACT_HECI_H
#define AMTACT_HECI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "fwclient.h"

struct heci;

/*
 * The transport's own log lines (busy retries, reset recovery) go to one callback the
 * program installs; without one they are dropped. `level` says how much detail the line
 * is; the callback decides whether to show it. Not thread-safe: install it once, early.
 */
enum heci_log_level { HECI_LOG_WARN = 1, HECI_LOG_INFO, HECI_LOG_DEBUG };
typedef void (*heci_log_fn)(enum heci_log_level level, const char *fmt, va_list ap);
void heci_set_log(heci_log_fn fn);

/* What connect() learnt about the client. */
struct heci_client {
	uint32_t max_msg_len;    /* MTU: largest message either way */
	uint8_t protocol_version;
};

/*
 * Default device when neither --device nor AMTACT_DEVICE names one.
 * heci_device_from_env() returns getenv("AMTACT_DEVICE") or NULL.
 */
const char *heci_device_from_env(void);

/* 1 when `device` names the in-process emulator ("sim" or "sim:FILE"), else 0. */
int heci_device_is_sim(const char *device);

/*
 * Open a device. `device` is:
 *   NULL            the platform default (Linux: /dev/mei0, then /dev/mei, /dev/mei1..3)
 *   "sim"           the in-process emulator on its built-in example machine (not persisted)
 *   "sim:PATH"      the in-process emulator on the state file PATH (writes are persisted)
 *   anything else   a path to a MEI character device (or an amtsim file)
 * Returns 0 or a negative errno:
 *   -ENOENT   no device (no driver loaded, or the path does not exist)
 *   -EACCES   not allowed to open it (needs root)
 *   -EISDIR / -ENOTTY  the path is not a MEI device
 *   -EINVAL   a sim state file that cannot be used
 * On failure *out is NULL and err (errlen bytes, may be 0) says what and where, e.g.
 * "state.json: field \"generation\": unknown generation \"7.5\""; on success err is left
 * as it was (a caller may keep an earlier error there). Does not connect.
 */
int heci_open(struct heci **out, const char *device, char *err, size_t errlen);

/*
 * Connect the handle to a firmware client. Retries -EBUSY (another program holds the
 * client) with bounded backoff: up to `busy_retries` extra attempts, sleeping
 * 250 ms * attempt between them. Returns 0 or a negative errno:
 *   -ENOTTY  the firmware has no such client (e.g. no AMT on this ME)
 *   -EBUSY   still busy after the retries
 *   -ENODEV  the device is resetting or gone
 */
int heci_connect(struct heci *h, const uint8_t guid[16], int busy_retries,
		 struct heci_client *out);

/*
 * Send one message. Refuses len > max_msg_len with -EFBIG before touching the device.
 * Returns 0 or a negative errno (-ENODEV after a firmware reset, -ETIMEDOUT, -EIO).
 */
int heci_send(struct heci *h, const void *buf, size_t len, int timeout_ms);

/*
 * Receive one message into buf (cap bytes). Waits at most timeout_ms (< 0: forever),
 * retrying EINTR. On success *got is the number of bytes received; 0 is a legal,
 * empty message (firmware with AMT disabled answers so). Returns 0 or a negative errno:
 *   -ETIMEDOUT  no reply in time
 *   -ENODEV     firmware reset (POLLERR / ENODEV): see heci_call()
 */
int heci_recv(struct heci *h, void *buf, size_t cap, size_t *got, int timeout_ms);

/*
 * Send a request and receive its reply. If the exchange fails with -ENODEV (firmware
 * reset) and `idempotent` is non-zero, the handle is reopened, reconnected to the same
 * client and the exchange retried once. Never retries a non-idempotent command.
 * *reconnected is set to 1 if that happened (may be NULL).
 */
int heci_call(struct heci *h, const void *req, size_t req_len, void *reply, size_t cap,
	      size_t *got, int timeout_ms, int idempotent, int *reconnected);

/* Close the handle (disconnects the client). NULL is fine. */
void heci_close(struct heci *h);

/* The device as opened ("/dev/mei0", "sim", "sim:/path"), for messages. */
const char *heci_device_name(const struct heci *h);

/*
 * The last detailed error of this handle (e.g. "state.json: field \"generation\":
 * unknown generation \"7.5\""), or "" if none. Valid until the next call on h.
 */
const char *heci_error(const struct heci *h);

#endif

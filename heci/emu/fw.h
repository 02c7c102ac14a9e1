/* SPDX-License-Identifier: MIT */
/* The firmware emulator core: one model of an Intel ME, answering HECI messages byte-exact. */
#ifndef AMTACT_FW_H
#define AMTACT_FW_H

#include <stddef.h>
#include <stdint.h>

#include "heci.h"

/*
 * One core serves two front ends: heci/sim.c (in-process, `--device sim[:FILE]`) and
 * heci/fuse/amtsim.c (a MEI-compatible device file). Neither the agent nor the front ends
 * look inside struct fw; they go through these calls. Not thread-safe: a front end that
 * serves several threads holds one lock around every call.
 */
struct fw;

enum fw_client {
	FW_CLIENT_AMTHI = 0,
	FW_CLIENT_MKHI,
	FW_CLIENT_WD,
	FW_CLIENT_COUNT
};

/*
 * Load the model. `path` NULL: the built-in example machine (a factory-fresh AMT 16
 * corporate laptop), never saved. Otherwise a JSON state file (documented in
 * man/amtsim.5, STATE FILE); fields it leaves out take the defaults of its generation.
 * On error returns a negative errno and writes "FILE: field \"X\": reason" to err:
 *   -ENOENT missing file, -EISDIR a directory, -EINVAL bad JSON / field / generation.
 */
int fw_load(struct fw **out, const char *path, char *err, size_t errlen);

/* Build a model of a named generation with all defaults ("2.6", "11.8", "16.1", ...). */
int fw_new(struct fw **out, const char *generation, char *err, size_t errlen);

/*
 * Save the state to the file it was loaded from (temp file, fsync, rename). No-op
 * (returns 0) for a model without a path. Front ends call it after every request that
 * changed state (fw_dirty()).
 */
int fw_save(struct fw *fw, char *err, size_t errlen);
int fw_dirty(const struct fw *fw);

/* Serialise the whole state as JSON (caller frees with free()). */
char *fw_state_json(const struct fw *fw);

void fw_free(struct fw *fw);

/*
 * Which client a connect GUID names, with its properties (MTU, protocol version).
 * Returns 0, or:
 *   -ENOTTY  no such client on this machine (unknown GUID; AMTHI on a box without AMT;
 *            WD where the generation hides it while AMT is disabled)
 *   -EBUSY   an injected "busy" fault consumed one connect
 *   -ENODEV  the firmware is resetting (injected reset, not yet recovered)
 */
int fw_connect(struct fw *fw, const uint8_t guid[16], enum fw_client *client,
	       struct heci_client *props);

/*
 * Handle one request message on a client. On return 0, reply[0..*reply_len) is the
 * exact reply (no padding; *reply_len may be 0: "empty read", AMT disabled).
 * Other returns:
 *   FW_NO_REPLY  the firmware stays silent (injected fault): the reader times out
 *   -ENODEV      this request triggered an injected firmware reset: no reply, every
 *                existing connection is severed (see fw_epoch), the device is not
 *                ready until the recovery delay has passed (fw_ready)
 * `cap` must be at least the client's MTU.
 */
#define FW_NO_REPLY 1
int fw_handle(struct fw *fw, enum fw_client client, const uint8_t *req, size_t len,
	      uint8_t *reply, size_t cap, size_t *reply_len);

/* Injected latency for the last handled request, in ms (0 normally). */
unsigned fw_latency_ms(const struct fw *fw);

/* Incremented by every reset; a connection made in an older epoch is dead (ENODEV). */
unsigned fw_epoch(const struct fw *fw);

/* 0 when the device is enabled, -ENODEV while it recovers from a reset. */
int fw_ready(struct fw *fw);

/* The emulated wall clock (UNIX seconds): real time plus a persisted offset. */
int64_t fw_now(const struct fw *fw);

/*
 * The control language shared by tests, `amtsim ctl` and the FUSE control file: one
 * command per line, e.g. "busy 2", "reset-after 1 500", "noreply GET_UUID",
 * "malformed GET_UUID length", "latency 10", "advance 86400", "set provisioning_state 2",
 * "show", "clear". Writes a human-readable answer (for "show": the state JSON) to out.
 * Returns 0 or -EINVAL with the reason in out. Documented in man/amtsim.5
 * (CONTROL COMMANDS).
 */
int fw_control(struct fw *fw, const char *line, char *out, size_t outlen);

/* Names of the generations the model knows, NULL-terminated, oldest first. */
const char *const *fw_generations(void);

#endif

/* SPDX-License-Identifier: MIT */
/* The firmware emulator core: one model of an Intel ME, answering HECI messages byte-exact. */
#ifndef AMTACT_FW_H
#define AMTACT_FW_H

#include <stddef.h>
#include <stdint.h>


/*
 * One core serves two front ends: heci/sim.c (in-process, `--device sim[:FILE]`) and
 * heci/fuse/amtsim.c (a MEI-compatible device file). Neither the agent nor the front ends
 * look inside struct fw; they go through these calls. Not thread-safe: a front end that
 * serves several threads holds one lock around every call.
 */
struct fw;

/* What a connect learns about a client (the transport copies it into its own struct). */
struct fw_client_props {
	uint32_t max_msg_len;    /* MTU: largest message either way */
	uint8_t protocol_version;
};

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
	       struct fw_client_props *props);

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

/*
 * Remote-configuration "hello" (doc/remote-config.md 2, man/amtsim.5 HELLO). The core only builds the
 * packet and keeps the schedule's bookkeeping; a front end with a network (amtsim
 * --hello-to) does the sending. All of these are pure with respect to the clock: the
 * caller passes `now` (normally fw_now()).
 */
#define FW_HELLO_MAX 1024u      /* largest packet: 25 + 40 x (2 + 32) bytes */
#define FW_HELLO_SCHED_MAX 16u  /* steps in a schedule */

/* Attempts in a row: `count` attempts, each `delay_s` seconds after the one before. */
struct fw_hello_step {
	unsigned count;
	unsigned delay_s;
};

/* A retry schedule; the first attempt is delay_s of step 0 after the window opened. */
struct fw_hello_sched {
	unsigned steps;
	struct fw_hello_step step[FW_HELLO_SCHED_MAX];
};

/*
 * Build the hello the model sends now: version 3 (PKI) with the active hashes, or
 * version 2 (PSK, 32 bytes, PID) before ME 11 in PSK mode. `retry` goes into the retry
 * count field. Returns 0, or -ENOSPC when `cap` is too small (FW_HELLO_MAX always fits).
 */
int fw_hello_build(const struct fw *fw, unsigned retry, uint8_t *out, size_t cap,
		   size_t *len);

/* The default schedule (Realtek's, doc/remote-config.md 2.5): 5x12,5x120,5x1200,25x2160. */
const struct fw_hello_sched *fw_hello_sched_default(void);

/*
 * Parse "COUNTxSECONDS[,COUNTxSECONDS...]" (e.g. "1x1,3x2"); count 1-1000, seconds
 * 0-86400, at most FW_HELLO_SCHED_MAX steps. Returns 0 or -EINVAL (reason in err).
 */
int fw_hello_sched_parse(const char *spec, struct fw_hello_sched *s, char *err,
			 size_t errlen);
void fw_hello_sched_format(const struct fw_hello_sched *s, char *out, size_t cap);

/* 1 while the hello window is open at `now` and the box sends hellos (fw_hello_silent). */
int fw_hello_open(const struct fw *fw, int64_t now);

/*
 * Why this box sends no hello whatever its window (a PKI box with zero touch disabled),
 * as a sentence for the user; NULL when it sends while the window is open.
 */
const char *fw_hello_silent(const struct fw *fw);

/*
 * When the next scheduled attempt is due (emulated UNIX seconds, may be <= now: due
 * already). `s` NULL: the default schedule. Returns 0, or -ENOENT: none (window closed,
 * schedule used up, or the next one would fall after the window's end).
 */
int fw_hello_next(const struct fw *fw, const struct fw_hello_sched *s, int64_t now,
		  int64_t *due_at);

/* Attempts made so far in the current window = the retry count of the next hello. */
unsigned fw_hello_retry(const struct fw *fw);

/* The window an attempt belongs to (its number, hello.starts); pass it to fw_hello_mark. */
int64_t fw_hello_window(const struct fw *fw);

/*
 * Record one attempt made at `at` for `window`: counts it in that window (if it is still
 * the current one) and in the delivered / failed totals. Marks the model dirty.
 */
void fw_hello_mark(struct fw *fw, int64_t window, int64_t at, int delivered);

/*
 * The name the firmware looks up for its provisioning server (doc/remote-config.md 2.1):
 * "ProvisionServer.<PKI DNS suffix>", or bare "ProvisionServer" without a suffix.
 */
void fw_hello_server_name(const struct fw *fw, char *out, size_t cap);

/* Names of the generations the model knows, NULL-terminated, oldest first. */
const char *const *fw_generations(void);

#endif

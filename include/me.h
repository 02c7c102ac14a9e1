/* SPDX-License-Identifier: MIT */
/* A session with the ME: one connection per firmware client for the whole run. */
#ifndef AMTACT_ME_H
#define AMTACT_ME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "amt.h"
#include "amthi.h"
#include "err.h"
#include "heci.h"
#include "mkhi.h"
#include "wd.h"

#define ME_DEFAULT_TIMEOUT_MS 5000
#define ME_BUSY_RETRIES 8

/*
 * An open session. Clients are connected lazily on first use and kept until me_close(),
 * so a run makes one connection per client and never repeats a command needlessly.
 * A client the firmware does not have (-ENOTTY) is remembered as absent.
 */
struct me {
	const char *device;     /* as given (NULL: default) */
	int timeout_ms;
	struct heci *h[3];      /* AMTHI, MKHI, WD */
	int state[3];           /* 0 not tried, 1 connected, or the negative errno of connect */
	struct heci_client props[3];
	int reconnects;         /* firmware resets survived */
	unsigned round_trips;   /* requests answered (or failed) since me_open */
	unsigned connects;      /* client connections made */
	uint64_t wait_us;       /* time spent in those requests */
	struct amt_err err;     /* the last failure: filled once where it happened (the
				   transport's words at the boundary), read by the command */
};

enum me_client { ME_AMTHI = 0, ME_MKHI = 1, ME_WD = 2 };

/*
 * Check that the device opens (no client connected yet). Returns 0 or a negative errno
 * (heci_open's); me->err holds it with the transport's words.
 */
int me_open(struct me *me, const char *device, int timeout_ms);
void me_close(struct me *me);

/* The words of the last failure (me->err), or strerror(-rc) when none were recorded. */
const char *me_error_text(const struct me *me, int rc);

/* Connect a client if not yet done. 0 or negative errno (-ENOTTY: no such client). */
int me_client(struct me *me, enum me_client c);

/*
 * One AMTHI exchange: build the request, send, receive, validate (amthi_parse). `buf`
 * (cap >= AMTHI_MAX_MSG) holds the reply r points into. Read-only commands pass
 * idempotent = true and are retried once after a firmware reset.
 * Returns 0 (r->status is the AMT status, maybe non-zero), -ENODATA (empty reply: AMT
 * disabled), -EBADMSG (malformed: r->why), or a transport errno. `secret_from` is the
 * payload offset from which debug hex dumps redact (payload_len for none).
 */
int me_amthi(struct me *me, uint32_t cmd, const void *payload, size_t payload_len,
	     size_t secret_from, bool idempotent, uint8_t *buf, size_t cap,
	     struct amthi_reply *r);

/* Raw exchange on MKHI or WD; *got is the reply length. */
int me_raw(struct me *me, enum me_client c, const void *req, size_t len, bool idempotent,
	   uint8_t *buf, size_t cap, size_t *got);

/* How a single item of information fared. */
enum me_item_state {
	ME_ITEM_UNREAD = 0,  /* not asked */
	ME_ITEM_OK,          /* value valid */
	ME_ITEM_STATUS,      /* firmware answered a non-zero status (fw_status) */
	ME_ITEM_ERROR,       /* transport or malformed reply (err) */
	ME_ITEM_UNSUPPORTED, /* not asked: this firmware generation has no such command */
};

struct me_item {
	enum me_item_state state;
	uint32_t fw_status;
	/*
	 * When state == ME_ITEM_ERROR: the session's error context as it stood when this
	 * item failed (code, what and where). Kept per item because it is a result of the
	 * read: `info` shows each unreadable item with its own reason, and the session's
	 * context only holds the last failure.
	 */
	struct amt_err err;
};

#define ME_HASHES_MAX AMT_HASH_HANDLES_MAX

/*
 * Everything `amtact info` shows. Secrets are never read (no local system account).
 * The enum fields hold what the firmware sent (see amt.h: possibly a value not listed).
 */
struct me_info {
	int amthi_state;     /* me->state[ME_AMTHI] after connecting */
	bool amt_disabled;   /* AMTHI answered with empty replies */

	struct me_item versions_item;
	struct amt_code_versions versions;
	uint32_t sku;                /* parsed from the "Sku" entry */
	bool sku_known;

	struct me_item uuid_item;
	uint8_t uuid[16];

	struct me_item prov_state_item;
	enum amt_prov_state prov_state;
	struct me_item prov_mode_item;
	enum amt_prov_mode prov_mode;
	bool legacy_mode;
	struct me_item control_mode_item;
	enum amt_control_mode control_mode;
	struct me_item zero_touch_item;
	uint32_t zero_touch;
	struct me_item tls_mode_item;
	enum amt_tls_mode tls_mode;
	struct me_item pki_suffix_item;
	char pki_suffix[256];
	struct me_item lan_item[2];  /* 0 wired, 1 wireless */
	struct amt_lan lan[2];
	struct me_item hashes_item;
	size_t hash_count;
	uint32_t hash_handles[ME_HASHES_MAX];
	struct me_item hash_item[ME_HASHES_MAX];
	struct amt_certhash hashes[ME_HASHES_MAX];
	struct me_item pid_item;
	char pid[9];
	struct me_item fqdn_item;
	struct amt_fqdn fqdn;
	struct me_item unprov_item;
	enum amt_unprov_state unprov_state;
	struct me_item ras_item;
	struct amt_remote_access ras;

	struct me_item mkhi_item;
	struct mkhi_fw_version fw;
	struct me_item wd_item;
	struct wd_amt_state wd;
};

/* How much me_read() asks. */
enum me_read_level {
	ME_READ_STATUS = 0, /* provisioning state and control mode */
	ME_READ_STATE,      /* + versions, modes, zero touch, TLS mode, PKI suffix, MKHI, WD */
	ME_READ_FULL,       /* everything `info` shows */
};

/*
 * Read into *info (zeroed first) what `level` covers; same returns as me_read_info().
 */
int me_read(struct me *me, struct me_info *info, enum me_read_level level);

/*
 * Complete an earlier read of *info up to `level`, asking only for what was not asked
 * yet (nothing is asked twice). flags: ME_READ_NO_REMOTE_ACCESS leaves out the remote
 * access status (text `info` never shows it). Same returns as me_read_info().
 */
#define ME_READ_NO_REMOTE_ACCESS 1u
int me_read_more(struct me *me, struct me_info *info, enum me_read_level level,
		 unsigned flags);

/*
 * Read into *info (zeroed first) only the facts that decide whether `run` has something
 * new to report (include/run_facts.h): AMT present and enabled, the code versions, the
 * provisioning state and control mode, zero touch, the PKI DNS suffix, the UUID, the AMT
 * FQDN and the wired LAN settings. me_read_more() completes it when the run acts or
 * reports. Same returns as me_read_info().
 */
int me_read_facts(struct me *me, struct me_info *info);

/* One more item into an earlier read, unless it was asked already. 0 or -errno. */
enum me_info_item { ME_INFO_TLS_MODE, ME_INFO_LAN_WIRED, ME_INFO_LAN_WIRELESS };
int me_read_item(struct me *me, struct me_info *info, enum me_info_item which);

/*
 * Copy into `dst` (a fuller read) every item that ME_READ_STATE covers from `src` (a
 * later read at that level): the state after a write without asking for the rest again.
 */
void me_info_merge_state(struct me_info *dst, const struct me_info *src);

/* The AMT major version (from the code versions, else MKHI), or -1 if unknown. */
int me_info_major(const struct me_info *info);
/* The AMT minor version (of the same source as me_info_major), or -1 if unknown. */
int me_info_minor(const struct me_info *info);

/*
 * Read everything into *info (zeroed first). Returns 0 if AMTHI answered (individual
 * items may still carry statuses or errors), else the negative errno that stopped it:
 * -ENOTTY no AMTHI client (no AMT), -ENODATA AMT disabled (empty replies), -EBUSY,
 * -ENODEV, -ETIMEDOUT, -EBADMSG ...
 */
int me_read_info(struct me *me, struct me_info *info);

/* Read only what `status` needs (provisioning state, control mode, AMT state). */
int me_read_status(struct me *me, struct me_info *info);

#endif

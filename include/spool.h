/* SPDX-License-Identifier: MIT */
/* The on-disk spool of reports waiting for the interim server, and its dead-letter area. */
#ifndef AMTACT_SPOOL_H
#define AMTACT_SPOOL_H

#include <limits.h>
#include <stddef.h>

#include "report.h"

/*
 * Layout of a spool directory (created 0700; an existing one must be ours and not group- or
 * world-writable):
 *   <dir>/<20-digit µs time>-<report id>.report   queued reports, oldest first by name
 *   <dir>/dead/<same name>                         reports the server refused
 *   <dir>/dead/<same name>.reason                  why (HTTP status and server answer)
 *   <dir>/.tmp-*                                   writes in progress; removed at next open
 *   <dir>/.lock, <dir>/.flush                      locks (puts share .lock; one flush)
 * Each report file is "AMTACT-SPOOL 1 <length> <crc32 hex>\n" followed by the body, mode
 * 0600, written to a temp name, fsynced, renamed and the directory fsynced, so a crash
 * leaves either the old state or the complete file. A file whose header, length or CRC do
 * not check out is never sent: flush moves it to dead/ with the class "set_aside". So does
 * an entry named like a report that is not a regular file (a FIFO, symlink, device or
 * directory): it is never opened in a way that could block or follow it.
 * The time part never goes backwards within a spool (a new name is always after the newest
 * queued one), so the order stays the order of spool_put even if the clock jumps.
 *
 * Bounds policy: the queue holds at most max_count reports and max_bytes of files. When a
 * put would exceed either, it is refused with -ENOSPC and nothing is dropped or replaced;
 * the caller still holds the report and must say so ("report NOT saved: spool full").
 * spool_submit() flushes first to make room. dead/ is not bounded: every entry in it is
 * a server refusal that an administrator must look at (`amtact report --list`).
 *
 * The body is stored as given: the report builder seals the OTP (seal.h) before spool_put
 * so the spool never holds it in clear. Bodies read back are wiped after sending.
 * Test hook: AMTACT_CRASH_AT=<point> kills the process with SIGKILL at a named point
 * (put-tmp put-half put-written put-synced put-renamed flush-before-send flush-sent
 * flush-unlinked dead-reason dead-moved).
 */
struct spool_limits {
	unsigned max_count;          /* 0: 1000 */
	unsigned long long max_bytes; /* 0: 16 MiB */
	size_t max_report_bytes;     /* 0: 1 MiB; larger bodies are -EMSGSIZE */
};

struct os_dir;

struct spool {
	struct os_dir *dir;
	struct os_dir *dead;
	struct spool_limits lim;
	char path[4096];
	/* Optional, set after spool_open: called after each report a flush tried to send
	   (delivered, refused or stopped at), e.g. to print one message per report. */
	void (*on_result)(const char *report_id, const struct report_result *res, void *arg);
	void *on_result_arg;
	/* Optional: called by spool_submit once the new report is saved (queued, delivered
	   directly or kept in dead/), before anything is sent from the queue. */
	void (*on_saved)(const char *report_id, void *arg);
	void *on_saved_arg;
};

struct spool_stats {
	unsigned count;               /* queued reports */
	unsigned long long bytes;     /* their file sizes */
	unsigned dead;                /* reports in dead/ */
};

struct spool_flush_result {
	unsigned delivered;     /* sent and removed */
	unsigned dead;          /* refused by the server, moved to dead/ */
	unsigned corrupt;       /* torn files and non-regular entries moved to dead/ */
	unsigned remaining;     /* still queued when the flush stopped */
	char last_id[65];       /* the report the last result is about */
	struct report_result last;
};

/*
 * Open (creating if needed) the spool at `dir`; `lim` may be NULL for the defaults.
 * Removes leftover temp files when no put is in progress. Returns 0, -EPERM if the
 * directory is not ours or is group/world-writable, -ENOTDIR, or another -errno.
 */
int spool_open(struct spool *sp, const char *dir, const struct spool_limits *lim);
void spool_close(struct spool *sp);

/*
 * Queue one report durably. Returns 0 once it is on disk (renamed and the directory
 * fsynced); -EINVAL for a bad id, -EEXIST if that id is already queued, -EMSGSIZE if the
 * body is larger than max_report_bytes, -ENOSPC when the bounds are reached (see policy),
 * or another -errno from the file system (nothing is left behind but a temp file).
 */
int spool_put(struct spool *sp, const char *report_id, const void *body, size_t len);

int spool_stat(struct spool *sp, struct spool_stats *st);

/*
 * Call fn(name, report_id, arg) for each queued report (dead == 0) or each report in dead/
 * (dead == 1), oldest first; stops early when fn returns non-zero. Returns 0 or -errno.
 * A dead report's reason is in dead/<name>.reason.
 */
int spool_foreach(struct spool *sp, int dead,
		  int (*fn)(const char *name, const char *report_id, void *arg), void *arg);

/*
 * Send queued reports oldest first through report_send(). Delivered: removed. Refused
 * (permanent): moved to dead/ with a .reason file, and the flush goes on; a second refusal
 * in the same flush stops it with that report kept (one refusal dead-letters one report:
 * a server refusing everything must not empty the queue into dead/). Temporary, TLS,
 * configuration (401, 403, redirect) or local failure: stop and keep that report and all
 * later ones.
 * Returns 0 when the queue is empty afterwards (fr->dead may still be > 0), -EAGAIN when
 * reports remain (fr->last says why), -EBUSY if another flush is running, or -errno for a
 * spool I/O error. `fr` is always filled.
 */
int spool_flush(struct spool *sp, const struct report_server *srv,
		struct spool_flush_result *fr);

/*
 * Deliver a new report the safe way: put it in the spool first, then flush everything
 * oldest first. When the spool is full it flushes and retries the put, then sends the
 * report directly. `*saved` is set to 1 if the report is delivered or queued on disk,
 * 0 if it is neither (spool full and server unreachable: the caller must say the report
 * was NOT saved). Returns like spool_flush, or the spool_put error when not saved.
 */
int spool_submit(struct spool *sp, const struct report_server *srv, const char *report_id,
		 const void *body, size_t len, struct spool_flush_result *fr, int *saved);

/*
 * Move dead letters back into the queue (their .reason files are removed): the one with
 * `report_id`, or all of them when it is NULL. They keep their names, so they go first at
 * the next flush. Entries that are not regular files stay where they are (*skipped counts
 * them). Returns 0 with *count moved, -ENOENT when report_id is not in dead/, -EEXIST
 * when it is queued already, or another -errno.
 */
int spool_requeue(struct spool *sp, const char *report_id, unsigned *count,
		  unsigned *skipped);

/*
 * The exit code (exitcodes.h) for a flush: EXIT_DELIVERY_CONFIG when it stopped at a TLS or
 * configuration failure (the reports stay queued until the settings are fixed), else
 * EXIT_REPORT_REJECTED if anything went to dead/ in it, else EXIT_QUEUED if reports remain, EXIT_BUSY for -EBUSY, EXIT_PERMISSION for
 * -EACCES/-EPERM, EXIT_OK when everything was delivered, else EXIT_FAILURE_INTERNAL.
 */
int spool_exit_code(int flush_ret, const struct spool_flush_result *fr);

#endif

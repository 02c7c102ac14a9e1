/* SPDX-License-Identifier: MIT */
/* What `amtact run` remembers between boots, and the lock that keeps runs one at a time. */
#ifndef AMTACT_RUN_STATE_H
#define AMTACT_RUN_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run_facts.h"

/*
 * <state_dir>/state.json (mode 0600, written atomically). Missing file = first run.
 * Nothing secret is stored here (not the OTP). The directory must be ours (euid) and not
 * writable by group or others, else load, save and the lock refuse it with -EPERM.
 */
struct run_state {
	bool present;               /* the file existed */
	int64_t last_run;           /* UNIX seconds of the previous run */
	char last_prov_state[16];   /* "pre" / "in" / "post" seen by the previous run */
	char reported_fingerprint[65]; /* sha-less digest of the facts last reported */
	char reported_id[65];       /* the report that carried them */
	int64_t hello_started_at;   /* when this agent last started the hellos (0: never) */
	int hello_starts;           /* how many times it did (first window 24 h, then 6 h);
				       at least 2 once the firmware had a window before */
	struct run_facts reported;  /* the facts of the last report ("reported_facts");
				       not known when an older agent wrote the file */
};

/*
 * Load <dir>/state.json. Returns 0 (st->present false when missing), -EPERM (err set) for
 * an unsafe directory, or -EINVAL with err = "FILE: field \"X\": reason" for a corrupt
 * or non-regular file (the caller warns and starts fresh:
 * a broken memory must not stop provisioning), or another -errno.
 */
int run_state_load(struct run_state *st, const char *dir, char *err, size_t errlen);

/* Save atomically (temp, fsync, rename, fsync dir), creating dir 0700. 0 or -errno. */
int run_state_save(const struct run_state *st, const char *dir);

/*
 * When the hello window the agent opened closes: started + 24 h for the first start, 6 h
 * for later ones (doc/remote-config.md 2.5). 0 if the agent never started one.
 */
int64_t run_state_hello_until(const struct run_state *st);

/*
 * Take <dir>/run.lock (flock), waiting up to timeout_ms. Returns an fd >= 0 (release with
 * run_lock_release), -EBUSY if another run holds it past the timeout, or -errno.
 */
int run_lock_take(const char *dir, unsigned timeout_ms);
void run_lock_release(int fd);

struct os_dir;

/*
 * Open the state directory (created private with its parents when `create`) without
 * following a link in its last component. Returns 0 with *d set (os_dir_close it), -EPERM
 * when it is not ours or is writable by anyone else, -ENOTDIR, or another -errno.
 */
int run_state_dir_open(struct os_dir **d, const char *dir, bool create);

/*
 * Replace `name` in d atomically and durably: a private temp file (O_EXCL, never through
 * a link), fsync, rename over `name`, sync of the directory. A crash leaves the old file
 * or the new one, never a torn one. 0 or -errno.
 */
int run_state_write_file(struct os_dir *d, const char *name, const void *data, size_t len);

/* Create a directory (and missing parents) with mode 0700. 0 or -errno. */
int run_mkdirs(const char *dir);

#endif

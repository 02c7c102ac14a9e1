/* SPDX-License-Identifier: MIT */
/* The FUSE front of amtsim: MOUNTPOINT/<name> (the MEI device) and MOUNTPOINT/control. */
#ifndef AMTACT_FSOPS_H
#define AMTACT_FSOPS_H

#include "simdev.h"

/* How simdev wakes pollers: fuse_lowlevel_notify_poll() / fuse_pollhandle_destroy(). */
extern const struct simdev_poll_ops fsops_poll_ops;

/* Largest answer the control file keeps (the "show" state JSON fits). */
#define FSOPS_ANSWER_MAX (256u * 1024u)

/*
 * Mount the file system on `mountpoint` (device file `name`, plus "control"), detach
 * into the background unless `foreground`, and serve `d` with a multi-threaded loop
 * until SIGTERM, SIGINT or SIGHUP or an unmount; then stop every waiter and unmount.
 * Blocking. Returns 0 or a negative errno (mount failed: the reason went to `log`).
 */
int fsops_serve(struct simdev *d, const char *mountpoint, const char *name, int foreground,
		simdev_log_fn log);

#endif

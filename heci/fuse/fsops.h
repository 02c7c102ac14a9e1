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
 * Work that runs beside the FUSE loop (the hello sender): started once the daemon has
 * detached (threads do not survive fuse_daemonize's fork), stopped after the loop ends
 * and before the device is freed. start returns 0 or a negative errno.
 */
struct fsops_worker {
	int (*start)(void *arg);
	void (*stop)(void *arg);
	void *arg;
};

/*
 * Mount the file system on `mountpoint` (device file `name`, plus "control"), detach
 * into the background unless `foreground`, and serve `d` with a multi-threaded loop
 * until SIGTERM, SIGINT or SIGHUP or an unmount; then stop every waiter and unmount.
 * `worker` (NULL: none) runs alongside. Blocking. Returns 0 or a negative errno (mount
 * failed, or the worker did not start: the reason went to `log`).
 */
int fsops_serve(struct simdev *d, const char *mountpoint, const char *name, int foreground,
		simdev_log_fn log, const struct fsops_worker *worker);

#endif

/* SPDX-License-Identifier: MIT */
/* `amtsim exec`: run a program that sees an amtsim device at /dev/mei0, host untouched. */
#ifndef AMTACT_NSEXEC_H
#define AMTACT_NSEXEC_H

#include <stddef.h>

struct nsexec_opts {
	const char *mountpoint;  /* where amtsim serves */
	const char *name;        /* device file in the mount, and /dev/<name>: "mei0" */
	int mei_alias;           /* also bind it on /dev/mei */
	int sysfs;               /* fake /sys/class/mei/<name>/{kind,fw_status,fw_ver,dev,...} */
	const char *fw_status;   /* fw_status file contents ("%08X\n" lines); NULL: default */
	const char *fw_ver;      /* fw_ver file contents; NULL: no such file */
	const char *dev;         /* dev file contents ("MAJOR:MINOR\n"); NULL: no such file */
};

/*
 * In a private mount namespace of this process: an overlay on /dev (lower: the real /dev,
 * upper in a private tmpfs; /dev's submounts bound back), <mountpoint>/<name> bind-mounted
 * on /dev/<name> (and /dev/mei), optionally the fake sysfs directory; then run argv and
 * wait for it. Nothing in the host's /dev or /sys is created or changed: every mount lives
 * in the new namespace only. Needs root (CAP_SYS_ADMIN).
 *
 * Returns the program's exit status (0..255; 128+N if killed by signal N; 127 if it was
 * not found, 126 if it could not be executed), or a negative errno when the namespace could not be set up, with the
 * reason in err.
 */
int nsexec_run(const struct nsexec_opts *o, char *const argv[], char *err, size_t errlen);

#endif

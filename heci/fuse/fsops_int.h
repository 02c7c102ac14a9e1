/* SPDX-License-Identifier: MIT */
/* Private to amtsim's FUSE front: the mount's state, one open file, and the files' handlers. */
#ifndef AMTACT_FSOPS_INT_H
#define AMTACT_FSOPS_INT_H

#ifndef FUSE_USE_VERSION
#error "define FUSE_USE_VERSION before including fsops_int.h"
#endif

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <fuse_lowlevel.h>

#include "fsops.h"

struct fs {
	struct simdev *d;
	struct fuse_session *se;
	const char *name;
	simdev_log_fn log;
	time_t t0;
	pthread_mutex_t ans_lock; /* last_answer, each fh->ans, the list of open files */
	char *last_answer;
	size_t last_len;
	struct fh *files;
	atomic_int ticker_stop; /* set by the main thread once the loop has ended */
	const struct fsops_worker *worker;
};

struct fh {
	struct fh *next;
	struct fh *prev;
	int is_ctl;
	struct simdev_conn *conn;
	char *ans;
	size_t ans_len;
};

static inline struct fs *req_fs(fuse_req_t req)
{
	return fuse_req_userdata(req);
}

/*
 * The control file (fsops_ctl.c). Every function replies to `req`. fh->ans and
 * fs->last_answer are only touched under fs->ans_lock.
 */
/* A new open starts with the last answer given on any open. Returns 0. */
int fsops_ctl_open(struct fs *fs, struct fh *fh);
void fsops_ctl_read(fuse_req_t req, struct fh *fh, size_t size, off_t off);
/* Runs the written control lines; their answer becomes this open's and the last one. */
void fsops_ctl_write(fuse_req_t req, struct fh *fh, const char *buf, size_t size);
/* Always readable and writable; `ph` (may be NULL) is destroyed at once. */
void fsops_ctl_poll(fuse_req_t req, struct fuse_pollhandle *ph);

/*
 * The MEI device file (fsops_dev.c). Every function replies to `req`; read and write may
 * block in simdev until the client's request is interrupted or the device stops.
 */
void fsops_dev_read(fuse_req_t req, struct fh *fh, size_t size, int nonblock);
void fsops_dev_write(fuse_req_t req, struct fh *fh, const char *buf, size_t size,
		     int nonblock);
/* The IOCTL_MEI_* commands, on an open of the device file (not the control file). */
void fsops_dev_ioctl(fuse_req_t req, struct fh *fh, unsigned int cmd, const void *in_buf,
		     size_t in_bufsz, size_t out_bufsz);
/* `ph` (may be NULL): ownership passes to simdev. */
void fsops_dev_poll(fuse_req_t req, struct fh *fh, struct fuse_pollhandle *ph);

#endif

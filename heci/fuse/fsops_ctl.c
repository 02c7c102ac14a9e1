// SPDX-License-Identifier: MIT
/* amtsim's control file: a write runs control lines, a read returns that open's answer. */
#define FUSE_USE_VERSION 312

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fsops_int.h"

static void set_answer(struct fs *fs, struct fh *fh, const char *ans)
{
	size_t n = strlen(ans);
	char *copy = strdup(ans);
	char *copy2 = strdup(ans);

	pthread_mutex_lock(&fs->ans_lock);
	free(fh->ans);
	fh->ans = copy;
	fh->ans_len = copy ? n : 0;
	free(fs->last_answer);
	fs->last_answer = copy2;
	fs->last_len = copy2 ? n : 0;
	pthread_mutex_unlock(&fs->ans_lock);
}

int fsops_ctl_open(struct fs *fs, struct fh *fh)
{
	fh->is_ctl = 1;
	pthread_mutex_lock(&fs->ans_lock);
	if (fs->last_answer) {
		fh->ans = strdup(fs->last_answer);
		fh->ans_len = fh->ans ? fs->last_len : 0;
	}
	pthread_mutex_unlock(&fs->ans_lock);
	return 0;
}

/*
 * Replies from a copy taken under the lock: a write on the same open file (another thread,
 * or a forked child sharing the descriptor) replaces fh->ans meanwhile, and once the
 * kernel has the reply the reader may close the file and its release free fh->ans.
 */
void fsops_ctl_read(fuse_req_t req, struct fh *fh, size_t size, off_t off)
{
	struct fs *fs = req_fs(req);
	char *copy = NULL;
	size_t n = 0;
	int ret = 0;

	pthread_mutex_lock(&fs->ans_lock);
	if (off >= 0 && (size_t)off < fh->ans_len) {
		n = fh->ans_len - (size_t)off;
		if (n > size)
			n = size;
		copy = malloc(n ? n : 1);
		if (copy)
			memcpy(copy, fh->ans + off, n);
		else
			ret = ENOMEM;
	}
	pthread_mutex_unlock(&fs->ans_lock);
	if (ret)
		fuse_reply_err(req, ret);
	else
		fuse_reply_buf(req, copy, copy ? n : 0);
	free(copy);
}

void fsops_ctl_write(fuse_req_t req, struct fh *fh, const char *buf, size_t size)
{
	struct fs *fs = req_fs(req);
	char *ans = malloc(FSOPS_ANSWER_MAX);
	int ret;

	if (!ans) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	ret = simdev_control(fs->d, buf, size, ans, FSOPS_ANSWER_MAX);
	set_answer(fs, fh, ans);
	free(ans);
	if (ret < 0)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_write(req, size);
}

void fsops_ctl_poll(fuse_req_t req, struct fuse_pollhandle *ph)
{
	if (ph)
		fuse_pollhandle_destroy(ph);
	fuse_reply_poll(req, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

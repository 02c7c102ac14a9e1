// SPDX-License-Identifier: MIT
/* amtsim's FUSE session: the directory, opening and releasing files, the op table, the loop. */
#define FUSE_USE_VERSION 312

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fuse_lowlevel.h>

#include "fsops_int.h"

#define INO_ROOT 1
#define INO_DEV 2
#define INO_CTL 3

/* Worker threads: a client blocked in read holds one; interrupts need a free one. */
#define MAX_THREADS 256
/* How often the ticker looks whether the FUSE session has ended. */
#define EXIT_CHECK_MS 50

static struct fh *file_fh(const struct fuse_file_info *fi)
{
	return (struct fh *)(uintptr_t)fi->fh;
}

static int fill_attr(const struct fs *fs, fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_atime = st->st_mtime = st->st_ctime = fs->t0;
	switch (ino) {
	case INO_ROOT:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	case INO_DEV:
	case INO_CTL:
		/* Root only, like the kernel's /dev/mei0 (doc/firmware.md 1.1). */
		st->st_mode = S_IFREG | 0600;
		st->st_nlink = 1;
		return 0;
	default:
		return -ENOENT;
	}
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fs *fs = req_fs(req);
	struct fuse_entry_param e;

	memset(&e, 0, sizeof(e));
	if (parent != INO_ROOT) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (strcmp(name, fs->name) == 0)
		e.ino = INO_DEV;
	else if (strcmp(name, "control") == 0)
		e.ino = INO_CTL;
	else {
		fuse_reply_err(req, ENOENT);
		return;
	}
	fill_attr(fs, e.ino, &e.attr);
	e.attr_timeout = 1.0;
	e.entry_timeout = 1.0;
	fuse_reply_entry(req, &e);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;

	(void)fi;
	if (fill_attr(req_fs(req), ino, &st) < 0)
		fuse_reply_err(req, ENOENT);
	else
		fuse_reply_attr(req, &st, 1.0);
}

/* `echo cmd > control` truncates first: accept a size change, refuse anything else. */
static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		       struct fuse_file_info *fi)
{
	struct stat st;

	(void)attr;
	(void)fi;
	if (fill_attr(req_fs(req), ino, &st) < 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (to_set & ~(FUSE_SET_ATTR_SIZE | FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME |
		       FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW | FUSE_SET_ATTR_CTIME)) {
		fuse_reply_err(req, EPERM);
		return;
	}
	fuse_reply_attr(req, &st, 1.0);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct fs *fs = req_fs(req);
	const char *names[4] = { ".", "..", fs->name, "control" };
	const fuse_ino_t inos[4] = { INO_ROOT, INO_ROOT, INO_DEV, INO_CTL };
	char buf[512];
	size_t used = 0, n;
	struct stat st;
	off_t i;

	(void)fi;
	if (ino != INO_ROOT) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	if (size > sizeof(buf))
		size = sizeof(buf);
	for (i = off; i < 4; i++) {
		fill_attr(fs, inos[i], &st);
		n = fuse_add_direntry(req, buf + used, size - used, names[i], &st, i + 1);
		if (n > size - used)
			break;
		used += n;
	}
	fuse_reply_buf(req, buf, used);
}

static void files_add(struct fs *fs, struct fh *fh)
{
	pthread_mutex_lock(&fs->ans_lock);
	fh->prev = NULL;
	fh->next = fs->files;
	if (fs->files)
		fs->files->prev = fh;
	fs->files = fh;
	pthread_mutex_unlock(&fs->ans_lock);
}

/* Unlink and free an open file's state (release, or files left open at shutdown). */
static void fh_free(struct fs *fs, struct fh *fh)
{
	pthread_mutex_lock(&fs->ans_lock);
	if (fh->prev)
		fh->prev->next = fh->next;
	else if (fs->files == fh)
		fs->files = fh->next;
	if (fh->next)
		fh->next->prev = fh->prev;
	pthread_mutex_unlock(&fs->ans_lock);
	if (fh->conn)
		simdev_close(fs->d, fh->conn);
	free(fh->ans);
	free(fh);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fs *fs = req_fs(req);
	struct fh *fh;
	int ret = -ENOMEM;

	if (ino != INO_DEV && ino != INO_CTL) {
		fuse_reply_err(req, ino == INO_ROOT ? EISDIR : ENOENT);
		return;
	}
	fh = calloc(1, sizeof(*fh));
	if (!fh)
		goto out;
	if (ino == INO_DEV)
		ret = simdev_open(fs->d, &fh->conn);
	else
		ret = fsops_ctl_open(fs, fh);
	if (ret < 0)
		goto out;
	/* The device is a stream: every read and write reaches us, lseek() gives ESPIPE. */
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fi->nonseekable = ino == INO_DEV;
	fi->fh = (uint64_t)(uintptr_t)fh;
	files_add(fs, fh);
	/* -ENOENT: the opener was interrupted and no release will come. */
	if (fuse_reply_open(req, fi) == -ENOENT)
		fh_free(fs, fh);
	return;
out:
	free(fh);
	fuse_reply_err(req, -ret);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct fh *fh = file_fh(fi);

	(void)ino;
	if (fh)
		fh_free(req_fs(req), fh);
	fuse_reply_err(req, 0);
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct fh *fh = file_fh(fi);

	(void)ino;
	if (fh->is_ctl)
		fsops_ctl_read(req, fh, size, off);
	else
		fsops_dev_read(req, fh, size, (fi->flags & O_NONBLOCK) != 0);
}

static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct fh *fh = file_fh(fi);

	(void)ino;
	(void)off;
	if (fh->is_ctl)
		fsops_ctl_write(req, fh, buf, size);
	else
		fsops_dev_write(req, fh, buf, size, (fi->flags & O_NONBLOCK) != 0);
}

static void op_ioctl(fuse_req_t req, fuse_ino_t ino, unsigned int cmd, void *arg,
		     struct fuse_file_info *fi, unsigned flags, const void *in_buf,
		     size_t in_bufsz, size_t out_bufsz)
{
	struct fh *fh = file_fh(fi);

	(void)arg;
	if (ino != INO_DEV || (flags & FUSE_IOCTL_DIR) || !fh || fh->is_ctl) {
		fuse_reply_err(req, ENOTTY);
		return;
	}
	fsops_dev_ioctl(req, fh, cmd, in_buf, in_bufsz, out_bufsz);
}

static void op_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph)
{
	struct fh *fh = file_fh(fi);

	(void)ino;
	if (fh->is_ctl)
		fsops_ctl_poll(req, ph);
	else
		fsops_dev_poll(req, fh, ph);
}

static const struct fuse_lowlevel_ops ops = {
	.lookup = op_lookup,
	.getattr = op_getattr,
	.setattr = op_setattr,
	.readdir = op_readdir,
	.open = op_open,
	.release = op_release,
	.read = op_read,
	.write = op_write,
	.ioctl = op_ioctl,
	.poll = op_poll,
};

/* Wakes pollers of delayed replies when due, and every waiter once the session is exiting. */
static void *ticker(void *arg)
{
	struct fs *fs = arg;

	simdev_worker_signals();
	while (!atomic_load(&fs->ticker_stop)) {
		if (fuse_session_exited(fs->se))
			simdev_stop(fs->d);
		simdev_tick(fs->d, EXIT_CHECK_MS);
	}
	return NULL;
}

static int run_loop(struct fs *fs)
{
	struct fuse_loop_config *cfg;
	pthread_t tid;
	int ret;

	cfg = fuse_loop_cfg_create();
	if (!cfg)
		return -ENOMEM;
	fuse_loop_cfg_set_max_threads(cfg, MAX_THREADS);
	fuse_loop_cfg_set_clone_fd(cfg, 0);
	if (fs->worker && (ret = fs->worker->start(fs->worker->arg)) < 0) {
		fs->log("the hello sender did not start");
		fuse_loop_cfg_destroy(cfg);
		return ret;
	}
	ret = pthread_create(&tid, NULL, ticker, fs);
	if (ret) {
		if (fs->worker)
			fs->worker->stop(fs->worker->arg);
		fuse_loop_cfg_destroy(cfg);
		return -ret;
	}
	ret = fuse_session_loop_mt(fs->se, cfg);
	simdev_stop(fs->d);
	atomic_store(&fs->ticker_stop, 1);
	pthread_join(tid, NULL);
	if (fs->worker)
		fs->worker->stop(fs->worker->arg);
	fuse_loop_cfg_destroy(cfg);
	/* A positive value is the signal that ended the loop: a normal stop. */
	return ret < 0 ? ret : 0;
}

static struct fuse_session *new_session(struct fs *fs)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse_session *se = NULL;

	if (fuse_opt_add_arg(&args, "amtsim") == 0 && fuse_opt_add_arg(&args, "-o") == 0 &&
	    fuse_opt_add_arg(&args, "fsname=amtsim,subtype=amtsim,default_permissions,"
			     "allow_other") == 0)
		se = fuse_session_new(&args, &ops, sizeof(ops), fs);
	fuse_opt_free_args(&args);
	return se;
}

int fsops_serve(struct simdev *d, const char *mountpoint, const char *name, int foreground,
		simdev_log_fn log, const struct fsops_worker *worker)
{
	struct fs fs = { 0 };
	int ret = -EIO;

	fs.d = d;
	fs.name = name;
	fs.log = log;
	fs.worker = worker;
	fs.t0 = time(NULL);
	pthread_mutex_init(&fs.ans_lock, NULL);
	fs.se = new_session(&fs);
	if (!fs.se)
		goto out;
	if (fuse_set_signal_handlers(fs.se) != 0)
		goto out_session;
	if (fuse_session_mount(fs.se, mountpoint) != 0) {
		log("mounting the FUSE file system failed (see the message above)");
		goto out_signals;
	}
	ret = fuse_daemonize(foreground) == 0 ? run_loop(&fs) : -errno;
	fuse_session_unmount(fs.se);
out_signals:
	fuse_remove_signal_handlers(fs.se);
out_session:
	fuse_session_destroy(fs.se);
out:
	/* Files still open when the session ended get no release. */
	while (fs.files)
		fh_free(&fs, fs.files);
	free(fs.last_answer);
	pthread_mutex_destroy(&fs.ans_lock);
	return ret;
}

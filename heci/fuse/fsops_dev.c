// SPDX-License-Identifier: MIT
/* amtsim's MEI device file: read, write, ioctl and poll, waiting interruptibly in simdev. */
#define FUSE_USE_VERSION 312

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fsops_int.h"

/* IOCTL numbers of include/uapi/linux/mei.h (doc/firmware.md 1.2). */
#define MEI_CONNECT_CLIENT 0xC0104801u
#define MEI_NOTIFY_SET 0x40044802u
#define MEI_NOTIFY_GET 0x80044803u
#define MEI_CONNECT_CLIENT_VTAG 0xC0144804u

/* A request blocked in simdev, and how an interrupt reaches it. */
struct intr {
	struct simdev_wait w;
	struct simdev *d;
	fuse_req_t req;
};

static void poll_notify(void *ph)
{
	fuse_lowlevel_notify_poll(ph);
}

static void poll_release(void *ph)
{
	fuse_pollhandle_destroy(ph);
}

const struct simdev_poll_ops fsops_poll_ops = { poll_notify, poll_release };

static void on_interrupt(fuse_req_t req, void *data)
{
	struct intr *it = data;

	(void)req;
	simdev_interrupt(it->d, &it->w);
}

static int intr_check(void *arg)
{
	struct intr *it = arg;

	return fuse_req_interrupted(it->req);
}

static void intr_begin(struct intr *it, struct simdev *d, fuse_req_t req)
{
	memset(it, 0, sizeof(*it));
	it->d = d;
	it->req = req;
	it->w.check = intr_check;
	it->w.arg = it;
	fuse_req_interrupt_func(req, on_interrupt, it);
}

/* Must run before replying: waits out an interrupt callback still using `it`. */
static void intr_end(fuse_req_t req)
{
	fuse_req_interrupt_func(req, NULL, NULL);
}

void fsops_dev_read(fuse_req_t req, struct fh *fh, size_t size, int nonblock)
{
	struct fs *fs = req_fs(req);
	struct intr it;
	char *buf;
	long n;

	buf = malloc(size ? size : 1);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	intr_begin(&it, fs->d, req);
	n = simdev_read(fs->d, fh->conn, buf, size, nonblock, &it.w);
	intr_end(req);
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_buf(req, buf, (size_t)n);
	free(buf);
}

void fsops_dev_write(fuse_req_t req, struct fh *fh, const char *buf, size_t size,
		     int nonblock)
{
	struct fs *fs = req_fs(req);
	struct intr it;
	long n;

	intr_begin(&it, fs->d, req);
	n = simdev_write(fs->d, fh->conn, buf, size, nonblock, &it.w);
	intr_end(req);
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_write(req, (size_t)n);
}

/*
 * IOCTL_MEI_CONNECT_CLIENT: the kernel writes max_msg_length and protocol_version into
 * the 16-byte union and copies the whole union back, so bytes 5..15 keep the caller's
 * UUID bytes (drivers/misc/mei/main.c, mei_ioctl_connect_client()).
 */
static void ioctl_connect(fuse_req_t req, struct fh *fh, const void *in, size_t in_len,
			  size_t out_len)
{
	struct fw_client_props props;
	uint8_t data[16];
	int ret;

	if (in_len < sizeof(data) || out_len < sizeof(data)) {
		fuse_reply_err(req, EFAULT);
		return;
	}
	memcpy(data, in, sizeof(data));
	ret = simdev_connect(req_fs(req)->d, fh->conn, data, &props);
	if (ret < 0) {
		fuse_reply_err(req, -ret);
		return;
	}
	le32_store(data, props.max_msg_len);
	data[4] = props.protocol_version;
	fuse_reply_ioctl(req, 0, data, sizeof(data));
}

/* Notifications: this device announces none (mei_cl_notify_request/get order). */
static int ioctl_notify(struct simdev *d, struct fh *fh, unsigned cmd, const void *in,
			size_t in_len)
{
	uint32_t v;

	if (cmd == MEI_NOTIFY_SET) {
		if (in_len < 4)
			return -EFAULT;
		v = le32_load(in);
		if (v > 1)
			return -EINVAL;
	}
	if (!simdev_connected(d, fh->conn))
		return -ENODEV;
	return -EOPNOTSUPP;
}

void fsops_dev_ioctl(fuse_req_t req, struct fh *fh, unsigned int cmd, const void *in_buf,
		     size_t in_bufsz, size_t out_bufsz)
{
	struct simdev *d = req_fs(req)->d;
	int ret;

	/* mei_ioctl() refuses every command while the device is not enabled. */
	ret = simdev_ready(d);
	if (ret == 0 && cmd == MEI_CONNECT_CLIENT) {
		ioctl_connect(req, fh, in_buf, in_bufsz, out_bufsz);
		return;
	}
	if (ret == 0) {
		if (cmd == MEI_NOTIFY_SET || cmd == MEI_NOTIFY_GET)
			ret = ioctl_notify(d, fh, cmd, in_buf, in_bufsz);
		else if (cmd == MEI_CONNECT_CLIENT_VTAG)
			ret = -EOPNOTSUPP; /* no vtag support (mei_vt_support_check) */
		else
			ret = -ENOTTY; /* ENOIOCTLCMD as user space sees it */
	}
	fuse_reply_err(req, -ret);
}

void fsops_dev_poll(fuse_req_t req, struct fh *fh, struct fuse_pollhandle *ph)
{
	unsigned mask;

	mask = simdev_poll(req_fs(req)->d, fh->conn, ph);
	fuse_reply_poll(req, mask);
}

// SPDX-License-Identifier: MIT
/* The Linux HECI backend: one MEI character device fd (or an amtsim file) per connection. */
#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "buf.h"

/*
 * IOCTL_MEI_CONNECT_CLIENT = _IOWR('H', 0x01, 16-byte union): in, the client uuid_le;
 * out, u32 max_msg_length + u8 protocol_version + 3 reserved (doc/firmware.md 1.2). The
 * union is handled as plain bytes so nothing is cast onto them.
 */
#define MEI_CONNECT_LEN 16
#define MEI_IOCTL_CONNECT _IOWR('H', 0x01, uint8_t[MEI_CONNECT_LEN])
_Static_assert(MEI_IOCTL_CONNECT == 0xC0104801UL, "IOCTL_MEI_CONNECT_CLIENT encoding");

#define LINUX_DEFAULT_NODE "/dev/mei0"
#define LINUX_ERR_LEN 256

struct linux_dev {
	int fd;
	int connected;
	uint32_t mtu;
	char err[LINUX_ERR_LEN];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int open_errno(const char *path, int e, char *err, size_t errlen)
{
	switch (e) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		/* ENXIO/ENODEV: the node is there but no driver stands behind it. */
		snprintf(err, errlen, "no MEI device: %s does not exist (is the mei_me driver "
			 "loaded? is this an Intel vPro machine?)", path);
		return -ENOENT;
	case EACCES:
	case EPERM:
		snprintf(err, errlen, "cannot open %s: permission denied (needs root)", path);
		return -EACCES;
	case EISDIR:
		snprintf(err, errlen, "%s is a directory, not a MEI device", path);
		return -EISDIR;
	default:
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(e));
		return -e;
	}
}

static int linux_open(void **ctx, const char *path, char *err, size_t errlen)
{
	struct linux_dev *d = NULL;
	int ret = -ENOMEM;
	int fd;

	*ctx = NULL;
	if (!path)
		path = LINUX_DEFAULT_NODE;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = open_errno(path, errno, err, errlen);
		goto out;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	d->fd = fd;
	*ctx = d;
	ret = 0;
out:
	return ret;
}

static int linux_connect(void *ctx, const uint8_t guid[16], struct heci_client *out)
{
	struct linux_dev *d = ctx;
	uint8_t data[MEI_CONNECT_LEN];
	int ret = -EIO;
	int rc;

	d->err[0] = '\0';
	memcpy(data, guid, MEI_CONNECT_LEN);
	do {
		rc = ioctl(d->fd, MEI_IOCTL_CONNECT, data);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		/* ENOTTY also comes from any file that is not a MEI device (/dev/null). */
		ret = -errno;
		goto out;
	}
	d->mtu = le32_load(data);
	d->connected = 1;
	out->max_msg_len = d->mtu;
	out->protocol_version = data[4];
	ret = 0;
out:
	return ret;
}

/*
 * write() only queues the message (the kernel blocks only when 50 messages are already
 * queued on the client, and kernels before 4.17 cannot poll for writability), so the
 * timeout is not used here: LMS passes 0 on Linux for the same reason.
 */
static int linux_send(void *ctx, const void *buf, size_t len, int timeout_ms)
{
	struct linux_dev *d = ctx;
	ssize_t n;
	int ret = -ENODEV;

	(void)timeout_ms;
	d->err[0] = '\0';
	if (!d->connected)
		goto out;
	ret = -EFBIG;
	if (len > d->mtu)
		goto out;
	do {
		n = write(d->fd, buf, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		ret = -errno;
		goto out;
	}
	ret = (size_t)n == len ? 0 : -EIO;
	if (ret)
		snprintf(d->err, sizeof(d->err), "short write: %zd of %zu bytes", n, len);
out:
	return ret;
}

static int remaining_ms(int64_t deadline, int forever)
{
	int64_t rem;

	if (forever)
		return -1;
	rem = deadline - now_ms();
	return rem <= 0 ? 0 : rem > 0x7fffffff ? 0x7fffffff : (int)rem;
}

/* Wait for POLLIN until the deadline: 0, -ETIMEDOUT, or -ENODEV on POLLERR (reset). */
static int wait_readable(int fd, int64_t deadline, int forever)
{
	struct pollfd pfd;
	int rc;

	do {
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		rc = poll(&pfd, 1, remaining_ms(deadline, forever));
	} while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return -errno;
	if (rc == 0)
		return -ETIMEDOUT;
	if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
		return -ENODEV;
	return 0;
}

static int linux_recv(void *ctx, void *buf, size_t cap, size_t *got, int timeout_ms)
{
	struct linux_dev *d = ctx;
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	ssize_t n;
	int ret = -ENODEV;

	d->err[0] = '\0';
	*got = 0;
	if (!d->connected)
		goto out;
	for (;;) {
		ret = wait_readable(d->fd, deadline, timeout_ms < 0);
		if (ret)
			goto out;
		n = read(d->fd, buf, cap);
		if (n >= 0)
			break;
		/* A signal between poll and read: wait again for what is left. */
		if (errno != EINTR && errno != EAGAIN) {
			ret = -errno;
			goto out;
		}
	}
	*got = (size_t)n;
	ret = 0;
out:
	return ret;
}

static void linux_close(void *ctx)
{
	struct linux_dev *d = ctx;

	if (!d)
		return;
	close(d->fd);
	free(d);
}

static const char *linux_last_error(void *ctx)
{
	struct linux_dev *d = ctx;

	return d->err;
}

const struct heci_backend heci_backend_linux = {
	.name = "linux",
	.open = linux_open,
	.connect = linux_connect,
	.send = linux_send,
	.recv = linux_recv,
	.close = linux_close,
	.last_error = linux_last_error,
};
#endif

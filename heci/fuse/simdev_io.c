// SPDX-License-Identifier: MIT
/* simdev's per-open data path: the write queue, the firmware pump, blocking read, poll. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "simdev_int.h"

/* Longest a blocked call sleeps before it looks at interrupts and shutdown again. */
#define SLICE_MS 50

/* --strict: report requests whose header Length does not match their body (SA-00075 tools sends 12). */
static void strict_check(struct simdev *d, const struct simdev_conn *c,
			 const struct simdev_msg *m)
{
	uint32_t len_field;

	if (!d->strict || c->client != FW_CLIENT_AMTHI)
		return;
	if (m->len < 12) {
		simdev_logf(d,
			    "strict: AMTHI request of %zu bytes is shorter than its 12-byte header",
			    m->len);
		return;
	}
	len_field = le32_load(m->data + 8);
	if (len_field != m->len - 12)
		simdev_logf(d, "strict: AMTHI request 0x%08X: header Length %u, but %zu body bytes",
			    (unsigned)le32_load(m->data + 4), (unsigned)len_field, m->len - 12);
}

/* Hand queued requests to the firmware while it is free; one reply outstanding at a time. */
static void pump(struct simdev *d, struct simdev_conn *c)
{
	struct simdev_msg *m;
	size_t rlen;
	int rc;

	while (!c->inflight && c->tx_head && simdev_conn_alive(d, c)) {
		m = c->tx_head;
		c->tx_head = m->next;
		if (!c->tx_head)
			c->tx_tail = NULL;
		c->tx_count--;
		strict_check(d, c, m);
		rlen = 0;
		rc = fw_handle(d->fw, c->client, m->data, m->len, c->reply, c->mtu, &rlen);
		free(m);
		simdev_save_if_dirty(d);
		c->inflight = 1;
		if (rc == 0) {
			c->have_reply = 1;
			c->reply_len = rlen;
			c->reply_off = 0;
			c->ready_ms = simdev_now_ms() + fw_latency_ms(d->fw);
			c->announced = 0;
		} else if (rc == -ENODEV) {
			simdev_check_epoch(d);
			return;
		} else if (rc != FW_NO_REPLY) {
			simdev_logf(d, "firmware core refused a request: %s", strerror(-rc));
		}
	}
	if (c->have_reply && !c->announced && c->ready_ms <= simdev_now_ms()) {
		c->announced = 1;
		simdev_notify(d, c);
	}
	pthread_cond_broadcast(&d->cond);
}

/* One slice of a blocking wait: 0 to look again, or why the caller must give up. */
static int wait_slice(struct simdev *d, struct simdev_wait *w, uint64_t deadline_ms)
{
	uint64_t now, until;

	if (w && (w->interrupted || (w->check && w->check(w->arg))))
		return -EINTR;
	if (d->stopping)
		return -ENODEV;
	now = simdev_now_ms();
	until = now + SLICE_MS;
	if (deadline_ms && deadline_ms < until)
		until = deadline_ms;
	if (until > now)
		simdev_wait_until(d, until);
	return 0;
}

static int enqueue(struct simdev_conn *c, const void *buf, size_t len)
{
	struct simdev_msg *m = malloc(sizeof(*m) + len);

	if (!m)
		return -ENOMEM;
	m->next = NULL;
	m->len = len;
	memcpy(m->data, buf, len);
	if (c->tx_tail)
		c->tx_tail->next = m;
	else
		c->tx_head = m;
	c->tx_tail = m;
	c->tx_count++;
	return 0;
}

long simdev_write(struct simdev *d, struct simdev_conn *c, const void *buf, size_t len,
		  int nonblock, struct simdev_wait *w)
{
	long ret;

	pthread_mutex_lock(&d->lock);
	/* Order of the kernel's mei_write(): connected, MTU, empty, queue limit. */
	for (;;) {
		ret = -ENODEV;
		if (!simdev_conn_alive(d, c))
			break;
		ret = -EFBIG;
		if (len > c->mtu)
			break;
		ret = 0;
		if (len == 0)
			break;
		if (c->tx_count < SIMDEV_TX_QUEUE_LIMIT) {
			ret = enqueue(c, buf, len);
			if (ret == 0) {
				pump(d, c);
				ret = (long)len;
			}
			break;
		}
		ret = -EAGAIN;
		if (nonblock)
			break;
		ret = wait_slice(d, w, 0);
		if (ret)
			break;
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

/* Copy out of the current reply; a fully read reply frees the firmware for the next. */
static long take(struct simdev *d, struct simdev_conn *c, void *buf, size_t cap)
{
	size_t n = c->reply_len - c->reply_off;

	if (n > cap)
		n = cap;
	memcpy(buf, c->reply + c->reply_off, n);
	c->reply_off += n;
	if (c->reply_off == c->reply_len) {
		c->have_reply = 0;
		c->inflight = 0;
		pump(d, c);
		simdev_notify(d, c);
	}
	return (long)n;
}

long simdev_read(struct simdev *d, struct simdev_conn *c, void *buf, size_t cap,
		 int nonblock, struct simdev_wait *w)
{
	long ret;

	pthread_mutex_lock(&d->lock);
	for (;;) {
		ret = -ENODEV;
		if (!simdev_conn_alive(d, c))
			break;
		if (c->have_reply && c->ready_ms <= simdev_now_ms()) {
			ret = take(d, c, buf, cap);
			break;
		}
		ret = -EAGAIN;
		if (nonblock)
			break;
		ret = wait_slice(d, w, c->have_reply ? c->ready_ms : 0);
		if (ret)
			break;
	}
	pthread_mutex_unlock(&d->lock);
	return ret;
}

unsigned simdev_poll(struct simdev *d, struct simdev_conn *c, void *ph)
{
	unsigned mask = 0;

	pthread_mutex_lock(&d->lock);
	if (ph) {
		if (c->ph && c->ph != ph && d->pops.release)
			d->pops.release(c->ph);
		c->ph = ph;
	}
	/* mei_poll(): POLLERR while the device is down or the fd is not connected. */
	if (!simdev_conn_alive(d, c)) {
		mask = SIMDEV_POLLERR;
		goto out;
	}
	if (c->have_reply && c->ready_ms <= simdev_now_ms())
		mask |= SIMDEV_POLLIN | SIMDEV_POLLRDNORM;
	if (c->tx_count < SIMDEV_TX_QUEUE_LIMIT)
		mask |= SIMDEV_POLLOUT | SIMDEV_POLLWRNORM;
out:
	pthread_mutex_unlock(&d->lock);
	return mask;
}

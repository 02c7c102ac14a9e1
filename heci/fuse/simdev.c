// SPDX-License-Identifier: MIT
/* simdev's device: life cycle, resets, opens, connects, stop and interrupt wake-ups. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "simdev_int.h"

uint64_t simdev_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void simdev_logf(struct simdev *d, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!d->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	d->log(line);
}

void simdev_notify(struct simdev *d, struct simdev_conn *c)
{
	if (c->ph && d->pops.notify)
		d->pops.notify(c->ph);
}

int simdev_conn_alive(struct simdev *d, const struct simdev_conn *c)
{
	return c->connected && c->epoch == fw_epoch(d->fw);
}

static void drop_queue(struct simdev_conn *c)
{
	struct simdev_msg *m;

	while ((m = c->tx_head)) {
		c->tx_head = m->next;
		free(m);
	}
	c->tx_tail = NULL;
	c->tx_count = 0;
	c->inflight = 0;
	c->have_reply = 0;
	c->reply_len = 0;
	c->reply_off = 0;
}

/* A reset severs every connection: wake all readers, writers and pollers (POLLERR). */
void simdev_check_epoch(struct simdev *d)
{
	struct simdev_conn *c;

	if (fw_epoch(d->fw) == d->seen_epoch)
		return;
	d->seen_epoch = fw_epoch(d->fw);
	for (c = d->conns; c; c = c->next) {
		if (c->connected && c->epoch != d->seen_epoch)
			drop_queue(c);
		simdev_notify(d, c);
	}
	pthread_cond_broadcast(&d->cond);
}

void simdev_save_if_dirty(struct simdev *d)
{
	char err[256] = "";

	if (fw_dirty(d->fw) && fw_save(d->fw, err, sizeof(err)) < 0)
		simdev_logf(d, "saving the state failed: %s", err[0] ? err : "error");
}

int simdev_new(struct simdev **out, struct fw *fw, int strict,
	       const struct simdev_poll_ops *pops, simdev_log_fn log)
{
	pthread_condattr_t attr;
	struct simdev *d;
	char ans[256];
	int ret = -ENOMEM;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		goto out;
	if (strict) {
		ret = fw_control(fw, "strict on", ans, sizeof(ans));
		if (ret < 0) {
			free(d);
			goto out;
		}
	}
	pthread_mutex_init(&d->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cond, &attr);
	pthread_condattr_destroy(&attr);
	d->fw = fw;
	d->strict = strict;
	d->seen_epoch = fw_epoch(fw);
	if (pops)
		d->pops = *pops;
	d->log = log;
	*out = d;
	ret = 0;
out:
	return ret;
}

void simdev_free(struct simdev *d)
{
	if (!d)
		return;
	while (d->conns)
		simdev_close(d, d->conns);
	fw_free(d->fw);
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

void simdev_stop(struct simdev *d)
{
	pthread_mutex_lock(&d->lock);
	d->stopping = 1;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

void simdev_interrupt(struct simdev *d, struct simdev_wait *w)
{
	pthread_mutex_lock(&d->lock);
	w->interrupted = 1;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

void simdev_wait_until(struct simdev *d, uint64_t until_ms)
{
	struct timespec ts = { .tv_sec = (time_t)(until_ms / 1000u),
			       .tv_nsec = (long)(until_ms % 1000u) * 1000000L };

	pthread_cond_timedwait(&d->cond, &d->lock, &ts);
}

void simdev_tick(struct simdev *d, unsigned max_ms)
{
	struct simdev_conn *c;
	uint64_t now, next;

	pthread_mutex_lock(&d->lock);
	simdev_check_epoch(d);
	now = simdev_now_ms();
	next = now + max_ms;
	for (c = d->conns; c; c = c->next) {
		if (!c->have_reply || c->announced)
			continue;
		if (c->ready_ms <= now) {
			c->announced = 1;
			simdev_notify(d, c);
		} else if (c->ready_ms < next) {
			next = c->ready_ms;
		}
	}
	/* pump() and simdev_stop() broadcast: a new reply or a stop ends the wait early. */
	simdev_wait_until(d, next);
	pthread_mutex_unlock(&d->lock);
}

int simdev_ready(struct simdev *d)
{
	int ret;

	pthread_mutex_lock(&d->lock);
	ret = fw_ready(d->fw);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

int simdev_connected(struct simdev *d, struct simdev_conn *c)
{
	int ret;

	pthread_mutex_lock(&d->lock);
	ret = simdev_conn_alive(d, c);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

int simdev_open(struct simdev *d, struct simdev_conn **out)
{
	struct simdev_conn *c;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	pthread_mutex_lock(&d->lock);
	c->next = d->conns;
	d->conns = c;
	pthread_mutex_unlock(&d->lock);
	*out = c;
	return 0;
}

void simdev_close(struct simdev *d, struct simdev_conn *c)
{
	struct simdev_conn **pp;

	if (!c)
		return;
	pthread_mutex_lock(&d->lock);
	for (pp = &d->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	drop_queue(c);
	if (c->ph && d->pops.release)
		d->pops.release(c->ph);
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	free(c->reply);
	free(c);
}

int simdev_connect(struct simdev *d, struct simdev_conn *c, const uint8_t guid[16],
		   struct fw_client_props *props)
{
	struct fw_client_props p = { 0 };
	enum fw_client client;
	uint8_t *buf;
	int ret;

	pthread_mutex_lock(&d->lock);
	/* Order of the kernel's mei_ioctl_connect_client(): device state, fd state, client. */
	ret = fw_ready(d->fw);
	if (ret < 0)
		goto out;
	ret = -EBUSY;
	if (simdev_conn_alive(d, c))
		goto out;
	ret = fw_connect(d->fw, guid, &client, &p);
	if (ret < 0)
		goto out;
	ret = -EIO;
	if (p.max_msg_len == 0)
		goto out;
	ret = -ENOMEM;
	buf = realloc(c->reply, p.max_msg_len);
	if (!buf)
		goto out;
	c->reply = buf;
	drop_queue(c);
	c->connected = 1;
	c->client = client;
	c->mtu = p.max_msg_len;
	c->epoch = fw_epoch(d->fw);
	*props = p;
	ret = 0;
out:
	pthread_mutex_unlock(&d->lock);
	return ret;
}

void simdev_worker_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

// SPDX-License-Identifier: MIT
/* MEI character-device semantics over one emulator core: connections, queues, waits. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "simdev.h"

/* Longest a blocked call sleeps before it looks at interrupts and shutdown again. */
#define SLICE_MS 50
#define LINE_MAX_LEN 1024

struct msg {
	struct msg *next;
	size_t len;
	uint8_t data[];
};

struct simdev_conn {
	struct simdev_conn *next;
	int connected;
	enum fw_client client;
	uint32_t mtu;
	unsigned epoch;
	/* Written, not yet taken by the firmware (the kernel's TX queue). */
	struct msg *tx_head;
	struct msg *tx_tail;
	unsigned tx_count;
	/* The firmware holds one request until the host has read its whole reply. */
	int inflight;
	int have_reply;
	uint8_t *reply;
	size_t reply_len;
	size_t reply_off;
	uint64_t ready_ms;
	int announced;
	void *ph;
};

struct simdev {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct fw *fw;
	int strict;
	int stopping;
	unsigned seen_epoch;
	struct simdev_conn *conns;
	struct simdev_poll_ops pops;
	simdev_log_fn log;
	int hello_attached;
	int hello_now;            /* "hello-now" asked for an attempt */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

__attribute__((format(printf, 2, 3)))
static void logf_line(struct simdev *d, const char *fmt, ...)
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

static void notify(struct simdev *d, struct simdev_conn *c)
{
	if (c->ph && d->pops.notify)
		d->pops.notify(c->ph);
}

static int conn_alive(struct simdev *d, const struct simdev_conn *c)
{
	return c->connected && c->epoch == fw_epoch(d->fw);
}

static void drop_queue(struct simdev_conn *c)
{
	struct msg *m;

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
static void check_epoch(struct simdev *d)
{
	struct simdev_conn *c;

	if (fw_epoch(d->fw) == d->seen_epoch)
		return;
	d->seen_epoch = fw_epoch(d->fw);
	for (c = d->conns; c; c = c->next) {
		if (c->connected && c->epoch != d->seen_epoch)
			drop_queue(c);
		notify(d, c);
	}
	pthread_cond_broadcast(&d->cond);
}

static void save_if_dirty(struct simdev *d)
{
	char err[256] = "";

	if (fw_dirty(d->fw) && fw_save(d->fw, err, sizeof(err)) < 0)
		logf_line(d, "saving the state failed: %s", err[0] ? err : "error");
}

/* --strict: report requests whose header Length does not match their body (SA75 sends 12). */
static void strict_check(struct simdev *d, const struct simdev_conn *c, const struct msg *m)
{
	uint32_t len_field;

	if (!d->strict || c->client != FW_CLIENT_AMTHI)
		return;
	if (m->len < 12) {
		logf_line(d, "strict: AMTHI request of %zu bytes is shorter than its 12-byte header",
			  m->len);
		return;
	}
	len_field = le32_load(m->data + 8);
	if (len_field != m->len - 12)
		logf_line(d, "strict: AMTHI request 0x%08X: header Length %u, but %zu body bytes",
			  (unsigned)le32_load(m->data + 4), (unsigned)len_field, m->len - 12);
}

/* Hand queued requests to the firmware while it is free; one reply outstanding at a time. */
static void pump(struct simdev *d, struct simdev_conn *c)
{
	struct msg *m;
	size_t rlen;
	int rc;

	while (!c->inflight && c->tx_head && conn_alive(d, c)) {
		m = c->tx_head;
		c->tx_head = m->next;
		if (!c->tx_head)
			c->tx_tail = NULL;
		c->tx_count--;
		strict_check(d, c, m);
		rlen = 0;
		rc = fw_handle(d->fw, c->client, m->data, m->len, c->reply, c->mtu, &rlen);
		free(m);
		save_if_dirty(d);
		c->inflight = 1;
		if (rc == 0) {
			c->have_reply = 1;
			c->reply_len = rlen;
			c->reply_off = 0;
			c->ready_ms = now_ms() + fw_latency_ms(d->fw);
			c->announced = 0;
		} else if (rc == -ENODEV) {
			check_epoch(d);
			return;
		} else if (rc != FW_NO_REPLY) {
			logf_line(d, "firmware core refused a request: %s", strerror(-rc));
		}
	}
	if (c->have_reply && !c->announced && c->ready_ms <= now_ms()) {
		c->announced = 1;
		notify(d, c);
	}
	pthread_cond_broadcast(&d->cond);
}

/* One slice of a blocking wait: 0 to look again, or why the caller must give up. */
static int wait_slice(struct simdev *d, struct simdev_wait *w, uint64_t deadline_ms)
{
	struct timespec ts;
	uint64_t now, until;

	if (w && (w->interrupted || (w->check && w->check(w->arg))))
		return -EINTR;
	if (d->stopping)
		return -ENODEV;
	now = now_ms();
	until = now + SLICE_MS;
	if (deadline_ms && deadline_ms < until)
		until = deadline_ms;
	if (until <= now)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)((until - now) / 1000u);
	ts.tv_nsec += (long)((until - now) % 1000u) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&d->cond, &d->lock, &ts);
	return 0;
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

void simdev_tick(struct simdev *d)
{
	struct simdev_conn *c;
	uint64_t now = now_ms();

	pthread_mutex_lock(&d->lock);
	check_epoch(d);
	for (c = d->conns; c; c = c->next) {
		if (c->have_reply && !c->announced && c->ready_ms <= now) {
			c->announced = 1;
			notify(d, c);
		}
	}
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
	ret = conn_alive(d, c);
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
		   struct heci_client *props)
{
	struct heci_client p = { 0 };
	enum fw_client client;
	uint8_t *buf;
	int ret;

	pthread_mutex_lock(&d->lock);
	/* Order of the kernel's mei_ioctl_connect_client(): device state, fd state, client. */
	ret = fw_ready(d->fw);
	if (ret < 0)
		goto out;
	ret = -EBUSY;
	if (conn_alive(d, c))
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

static int enqueue(struct simdev_conn *c, const void *buf, size_t len)
{
	struct msg *m = malloc(sizeof(*m) + len);

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
		if (!conn_alive(d, c))
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
		notify(d, c);
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
		if (!conn_alive(d, c))
			break;
		if (c->have_reply && c->ready_ms <= now_ms()) {
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
	if (!conn_alive(d, c)) {
		mask = SIMDEV_POLLERR;
		goto out;
	}
	if (c->have_reply && c->ready_ms <= now_ms())
		mask |= SIMDEV_POLLIN | SIMDEV_POLLRDNORM;
	if (c->tx_count < SIMDEV_TX_QUEUE_LIMIT)
		mask |= SIMDEV_POLLOUT | SIMDEV_POLLWRNORM;
out:
	pthread_mutex_unlock(&d->lock);
	return mask;
}

/* Append src to out (always NUL-terminated, truncating). */
static void append(char *out, size_t outlen, const char *src)
{
	size_t have = strnlen(out, outlen);
	size_t n = strlen(src);

	if (have + 1 >= outlen)
		return;
	if (n > outlen - have - 1)
		n = outlen - have - 1;
	memcpy(out + have, src, n);
	out[have + n] = '\0';
}

/* "hello-now" with a sender attached: one attempt as soon as the sender looks. */
static int hello_now(struct simdev *d, char *out, size_t outlen)
{
	if (!fw_hello_open(d->fw, fw_now(d->fw))) {
		append(out, outlen, "the hello window is closed (START_CONFIGURATION opens it)\n");
		return -EINVAL;
	}
	d->hello_now = 1;
	append(out, outlen, "ok\n");
	return 0;
}

/* Run one line; its answer (newline-terminated) is appended to out. */
static int control_line(struct simdev *d, const char *line, char *out, size_t outlen)
{
	char *ans;
	size_t alen;
	int ret;

	if (d->hello_attached && strcmp(line, "hello-now") == 0)
		return hello_now(d, out, outlen);

	alen = outlen > 256 ? outlen : 256;
	ans = calloc(1, alen);
	if (!ans)
		return -ENOMEM;
	ret = fw_control(d->fw, line, ans, alen);
	if (ret < 0 && !ans[0])
		snprintf(ans, alen, "error: %s", strerror(-ret));
	append(out, outlen, ans);
	if (ans[0] && ans[strlen(ans) - 1] != '\n')
		append(out, outlen, "\n");
	free(ans);
	return ret < 0 ? -EINVAL : 0;
}

int simdev_control(struct simdev *d, const char *text, size_t len, char *out, size_t outlen)
{
	char line[LINE_MAX_LEN];
	const char *start;
	size_t i = 0, n;
	int ret = 0;

	if (outlen)
		out[0] = '\0';
	pthread_mutex_lock(&d->lock);
	while (i < len && ret == 0) {
		n = 0;
		while (i < len && text[i] != '\n') {
			if (n + 1 < sizeof(line))
				line[n++] = text[i];
			i++;
		}
		i++;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		line[n] = '\0';
		start = line + strspn(line, " \t");
		if (!*start)
			continue;
		ret = control_line(d, start, out, outlen);
	}
	save_if_dirty(d);
	check_epoch(d);
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

void simdev_hello_attach(struct simdev *d)
{
	pthread_mutex_lock(&d->lock);
	d->hello_attached = 1;
	pthread_mutex_unlock(&d->lock);
}

int simdev_hello_take(struct simdev *d, const struct fw_hello_sched *sched,
		      struct simdev_hello *h)
{
	int64_t now, due;
	int ret = 0;

	pthread_mutex_lock(&d->lock);
	now = fw_now(d->fw);
	if (!fw_hello_open(d->fw, now))
		d->hello_now = 0;
	if (!d->hello_now && (fw_hello_next(d->fw, sched, now, &due) < 0 || due > now))
		goto out;
	d->hello_now = 0;
	h->retry = fw_hello_retry(d->fw);
	h->window = fw_hello_window(d->fw);
	h->at = now;
	fw_hello_server_name(d->fw, h->server, sizeof(h->server));
	ret = fw_hello_build(d->fw, h->retry, h->pkt, sizeof(h->pkt), &h->len) == 0;
out:
	pthread_mutex_unlock(&d->lock);
	return ret;
}

void simdev_hello_done(struct simdev *d, const struct simdev_hello *h, int delivered)
{
	pthread_mutex_lock(&d->lock);
	fw_hello_mark(d->fw, h->window, h->at, delivered);
	save_if_dirty(d);
	pthread_mutex_unlock(&d->lock);
}

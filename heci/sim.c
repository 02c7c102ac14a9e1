// SPDX-License-Identifier: MIT
/* The in-process emulator backend: handles of one process share one firmware model. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "fw.h"
#include "sim.h"

#define SIM_ERR_LEN 512
/* Room for the reply even if a model ever announced a tiny MTU. */
#define SIM_MIN_REPLY_CAP 4096

/* One loaded model, shared by every handle that opened the same state file. */
struct sim_model {
	struct sim_model *next;
	char *key;              /* canonical state path; NULL for the built-in machine */
	struct fw *fw;
	unsigned refs;
};

/* One queued reply; `off` is how much earlier short reads already took. */
struct sim_msg {
	struct sim_msg *next;
	int64_t ready_ms;       /* injected latency: not readable before this */
	size_t len;
	size_t off;
	uint8_t data[];
};

struct sim_conn {
	struct sim_model *model;
	int connected;
	unsigned epoch;         /* fw_epoch() at connect: an older one means severed */
	enum fw_client client;
	struct fw_client_props props;
	struct sim_msg *head;
	struct sim_msg *tail;
	char err[SIM_ERR_LEN];
};

/* fw is not thread-safe; one lock covers the registry and every call into a model. */
static pthread_mutex_t sim_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sim_model *sim_models;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The registry key: the real path when the file exists, so spellings agree. */
static char *model_key(const char *path)
{
	char *key;

	if (!path)
		return NULL;
#ifdef _WIN32
	key = _fullpath(NULL, path, 0);
#else
	key = realpath(path, NULL);
#endif
	return key ? key : strdup(path);
}

static struct sim_model *find_model(const char *key)
{
	struct sim_model *m;

	for (m = sim_models; m; m = m->next) {
		if (!key ? !m->key : m->key && strcmp(m->key, key) == 0)
			return m;
	}
	return NULL;
}

static void put_model(struct sim_model *m)
{
	struct sim_model **pp;

	if (--m->refs)
		return;
	for (pp = &sim_models; *pp; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	}
	fw_free(m->fw);
	free(m->key);
	free(m);
}

/* Called with sim_lock held. */
static int get_model(struct sim_model **out, const char *path, char *err, size_t errlen)
{
	struct sim_model *m = NULL;
	char *key = model_key(path);
	int ret = -ENOMEM;

	if (path && !key)
		goto out;
	m = find_model(key);
	if (m) {
		m->refs++;
		ret = 0;
		goto out;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		goto out;
	ret = fw_load(&m->fw, path, err, errlen);
	if (ret) {
		free(m);
		m = NULL;
		goto out;
	}
	m->key = key;
	key = NULL;
	m->refs = 1;
	m->next = sim_models;
	sim_models = m;
out:
	if (ret == -ENOMEM && !err[0])
		snprintf(err, errlen, "%s: out of memory", path ? path : "sim");
	free(key);
	*out = m;
	return ret;
}

/*
 * "FILE,usbkey=KEY": the box is powered on with the setup.bin KEY inserted (doc/setup-bin.md
 * 6); the model is saved so the next run sees what the key did. Called with sim_lock held.
 */
static int power_on_with_key(struct fw *fw, const char *key, char *err, size_t errlen)
{
	char line[1100], ans[512];
	int ret;

	snprintf(line, sizeof(line), "usb-key %s", key);
	ret = fw_control(fw, line, ans, sizeof(ans));
	if (ret == 0)
		ret = fw_control(fw, "power-cycle", ans, sizeof(ans));
	if (ret < 0) {
		snprintf(err, errlen, "sim: usbkey=%s: %s", key, ans);
		return ret;
	}
	return fw_save(fw, err, errlen);
}

static int sim_open(void **ctx, const char *path, char *err, size_t errlen)
{
	const char *opt = path ? strstr(path, ",usbkey=") : NULL;
	char *model = opt ? strndup(path, (size_t)(opt - path)) : NULL;
	struct sim_conn *c;
	int ret = -ENOMEM;

	*ctx = NULL;
	c = calloc(1, sizeof(*c));
	if (!c || (opt && !model)) {
		snprintf(err, errlen, "sim: out of memory");
		free(c);
		goto out;
	}
	pthread_mutex_lock(&sim_lock);
	ret = get_model(&c->model, opt ? model : path, err, errlen);
	if (ret == 0 && opt && (ret = power_on_with_key(c->model->fw, opt + 8, err, errlen)))
		put_model(c->model);
	pthread_mutex_unlock(&sim_lock);
	if (ret) {
		free(c);
		goto out;
	}
	*ctx = c;
out:
	free(model);
	return ret;
}

static void drop_queue(struct sim_conn *c)
{
	struct sim_msg *m;

	while ((m = c->head)) {
		c->head = m->next;
		free(m);
	}
	c->tail = NULL;
}

/* Called with sim_lock held: 1 if a reset has cut this connection. */
static int severed(struct sim_conn *c)
{
	struct fw *fw = c->model->fw;

	if (c->connected && (c->epoch != fw_epoch(fw) || fw_ready(fw) != 0)) {
		c->connected = 0;
		drop_queue(c);
		snprintf(c->err, sizeof(c->err), "the firmware reset; the connection is "
			 "gone until reconnected");
		return 1;
	}
	return !c->connected;
}

static int sim_connect(void *ctx, const uint8_t guid[16], struct heci_client *out)
{
	struct sim_conn *c = ctx;
	struct fw_client_props props = { 0 };
	enum fw_client client;
	int ret = -EBUSY;

	pthread_mutex_lock(&sim_lock);
	c->err[0] = '\0';
	/* Like the kernel: a connected fd is busy, a severed one may connect again. */
	if (c->connected && !severed(c))
		goto out;
	c->err[0] = '\0';
	ret = fw_connect(c->model->fw, guid, &client, &props);
	if (ret)
		goto out;
	drop_queue(c);
	c->connected = 1;
	c->epoch = fw_epoch(c->model->fw);
	c->client = client;
	c->props = props;
	out->max_msg_len = props.max_msg_len;
	out->protocol_version = props.protocol_version;
out:
	pthread_mutex_unlock(&sim_lock);
	return ret;
}

/* Called with sim_lock held: persist a state change; a failure is the caller's error. */
static int save_if_dirty(struct fw *fw, char *err, size_t errlen)
{
	int ret;

	if (!fw_dirty(fw))
		return 0;
	ret = fw_save(fw, err, errlen);
	return ret ? -EIO : 0;
}

/* Called with sim_lock held. */
static int handle(struct sim_conn *c, const void *buf, size_t len)
{
	struct fw *fw = c->model->fw;
	size_t cap = c->props.max_msg_len;
	struct sim_msg *m;
	int ret = -ENOMEM;

	if (cap < SIM_MIN_REPLY_CAP)
		cap = SIM_MIN_REPLY_CAP;
	m = calloc(1, sizeof(*m) + cap);
	if (!m)
		goto out;
	ret = fw_handle(fw, c->client, buf, len, m->data, cap, &m->len);
	if (ret == 0) {
		m->ready_ms = now_ms() + fw_latency_ms(fw);
		if (c->tail)
			c->tail->next = m;
		else
			c->head = m;
		c->tail = m;
		m = NULL;
	} else if (ret == FW_NO_REPLY) {
		ret = 0;        /* the reader waits out its timeout */
	} else if (ret == -ENODEV) {
		severed(c);
	}
out:
	free(m);
	return ret;
}

static int sim_send(void *ctx, const void *buf, size_t len, int timeout_ms)
{
	struct sim_conn *c = ctx;
	int ret = -ENODEV;
	int saved;

	(void)timeout_ms;
	pthread_mutex_lock(&sim_lock);
	c->err[0] = '\0';
	if (severed(c))
		goto out;
	ret = -EFBIG;
	if (len > c->props.max_msg_len)
		goto out;
	ret = handle(c, buf, len);
	saved = save_if_dirty(c->model->fw, c->err, sizeof(c->err));
	if (saved) {
		/* The caller sees the error, so it must not find a reply afterwards. */
		drop_queue(c);
		ret = saved;
	}
out:
	pthread_mutex_unlock(&sim_lock);
	return ret;
}

/* Take the next readable message part: 0, or 1 with *wait_ms to wait (-1: none queued). */
static int take(struct sim_conn *c, void *buf, size_t cap, size_t *got, int64_t *wait_ms)
{
	struct sim_msg *m = c->head;
	int64_t now = now_ms();
	size_t n;

	if (!m || m->ready_ms > now) {
		*wait_ms = m ? m->ready_ms - now : -1;
		return 1;
	}
	/* A short read takes what fits and leaves the rest for the next read. */
	n = m->len - m->off;
	if (n > cap)
		n = cap;
	memcpy(buf, m->data + m->off, n);
	m->off += n;
	*got = n;
	if (m->off == m->len) {
		c->head = m->next;
		if (!c->head)
			c->tail = NULL;
		free(m);
	}
	return 0;
}

static int sim_recv(void *ctx, void *buf, size_t cap, size_t *got, int timeout_ms)
{
	struct sim_conn *c = ctx;
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int64_t wait_ms, left;
	int ret;

	*got = 0;
	for (;;) {
		pthread_mutex_lock(&sim_lock);
		c->err[0] = '\0';
		ret = severed(c) ? -ENODEV : take(c, buf, cap, got, &wait_ms);
		pthread_mutex_unlock(&sim_lock);
		if (ret <= 0)
			break;
		left = deadline - now_ms();
		if (timeout_ms >= 0 && left <= 0) {
			ret = -ETIMEDOUT;
			break;
		}
		if (wait_ms < 0 || (timeout_ms >= 0 && wait_ms > left))
			wait_ms = timeout_ms >= 0 ? left : 1000;
		sleep_ms(wait_ms);
	}
	return ret;
}

static void sim_close(void *ctx)
{
	struct sim_conn *c = ctx;

	if (!c)
		return;
	pthread_mutex_lock(&sim_lock);
	drop_queue(c);
	put_model(c->model);
	pthread_mutex_unlock(&sim_lock);
	free(c);
}

static const char *sim_last_error(void *ctx)
{
	struct sim_conn *c = ctx;

	return c->err;
}

const struct heci_backend heci_backend_sim = {
	.name = "sim",
	.open = sim_open,
	.connect = sim_connect,
	.send = sim_send,
	.recv = sim_recv,
	.close = sim_close,
	.last_error = sim_last_error,
};

struct fw *sim_model(const char *state_path)
{
	struct sim_model *m;
	char *key = model_key(state_path);

	pthread_mutex_lock(&sim_lock);
	m = find_model(key);
	pthread_mutex_unlock(&sim_lock);
	free(key);
	return m ? m->fw : NULL;
}

int sim_control(const char *state_path, const char *line, char *out, size_t outlen)
{
	struct sim_model *m;
	char *key = model_key(state_path);
	int ret = -ENOENT;

	if (outlen)
		out[0] = '\0';
	pthread_mutex_lock(&sim_lock);
	m = find_model(key);
	if (!m)
		goto out;
	ret = fw_control(m->fw, line, out, outlen);
	if (ret == 0)
		ret = save_if_dirty(m->fw, out, outlen);
out:
	pthread_mutex_unlock(&sim_lock);
	free(key);
	return ret;
}

// SPDX-License-Identifier: MIT
/* The generic HECI layer: device strings to backends, busy backoff, reset recovery, errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#include <windows.h>
#endif

#include "backend.h"
#include "heci.h"

#define HECI_ERR_LEN 512

/*
 * Busy backoff: attempt k (1-based) sleeps 250 ms * k, and at most 8 retries are made
 * whatever the caller asks (rpc-go also gives up after 8 attempts). Worst case sleeping
 * is 250 * (1 + ... + 8) ms = 9 s, plus the connect calls themselves (the kernel bounds
 * each by MEI_CL_CONNECT_TIMEOUT, 15 s, though a busy answer comes back at once).
 */
#define BUSY_STEP_MS 250
#define BUSY_RETRIES_MAX 8

/*
 * Reset recovery: pause 300 ms as rpc-go does on POLLERR, then retry open+connect
 * every 250 ms while the device answers ENODEV (still resetting) or EBUSY (the old
 * connection not yet torn down), for at most 5 s in total.
 */
#define RESET_PAUSE_MS 300
#define RECOVER_STEP_MS 250
#define RECOVER_BUDGET_MS 5000

struct heci {
	const struct heci_backend *be;
	void *ctx;              /* NULL after a failed recovery: calls answer -ENODEV */
	char *path;             /* what be->open takes again on recovery (NULL: default) */
	char *name;             /* for messages */
	uint8_t guid[16];
	int have_guid;
	struct heci_client client;
	char err[HECI_ERR_LEN];
};

static heci_log_fn log_fn;

void heci_set_log(heci_log_fn fn)
{
	log_fn = fn;
}

static void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_fn)
		return;
	va_start(ap, fmt);
	log_fn(HECI_LOG_DEBUG, fmt, ap);
	va_end(ap);
}

#ifdef _WIN32
#define PLATFORM_BACKEND (&heci_backend_windows)

static int64_t now_ms(void)
{
	return (int64_t)GetTickCount64();
}

static void sleep_ms(int ms)
{
	Sleep((DWORD)ms);
}
#else
#define PLATFORM_BACKEND (&heci_backend_linux)

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
#endif

const char *heci_device_from_env(void)
{
	const char *dev = getenv("AMTACT_DEVICE");

	return dev && dev[0] ? dev : NULL;
}

static const char *client_name(const uint8_t guid[16])
{
	if (memcmp(guid, heci_guid_amthi, 16) == 0)
		return "AMTHI";
	if (memcmp(guid, heci_guid_mkhi, 16) == 0)
		return "MKHI";
	if (memcmp(guid, heci_guid_wd, 16) == 0)
		return "watchdog";
	return "requested";
}

/* The backend's own detail if it has one, else the generic text. */
static void set_error(struct heci *h, const char *generic)
{
	const char *detail = NULL;

	if (h->ctx && h->be->last_error)
		detail = h->be->last_error(h->ctx);
	snprintf(h->err, sizeof(h->err), "%s", detail && detail[0] ? detail : generic);
}

static int open_as(struct heci *h, const struct heci_backend *be, const char *path,
		   const char *name)
{
	int ret = -ENOMEM;

	h->be = be;
	h->err[0] = '\0';
	free(h->path);
	free(h->name);
	h->path = path ? strdup(path) : NULL;
	h->name = strdup(name);
	if ((path && !h->path) || !h->name) {
		snprintf(h->err, sizeof(h->err), "%s: out of memory", name);
		goto out;
	}
	ret = be->open(&h->ctx, path, h->err, sizeof(h->err));
	if (ret && !h->err[0])
		snprintf(h->err, sizeof(h->err), "%s: cannot open: %s", name, strerror(-ret));
out:
	if (ret)
		h->ctx = NULL;
	return ret;
}

#ifdef _WIN32
static int open_default(struct heci *h)
{
	return open_as(h, PLATFORM_BACKEND, NULL, "HECI driver");
}
#else
/*
 * The nodes real systems have, in the order LMS tries them, with the old kernels'
 * /dev/mei right after the usual /dev/mei0. A missing node is skipped; if some node
 * exists but fails (e.g. EACCES), that failure is what the caller sees.
 */
static int open_default(struct heci *h)
{
	static const char *const nodes[] = {
		"/dev/mei0", "/dev/mei", "/dev/mei1", "/dev/mei2", "/dev/mei3"
	};
	char first[HECI_ERR_LEN] = "";
	int first_ret = 0;
	int ret = -ENOENT;
	size_t i;

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		ret = open_as(h, PLATFORM_BACKEND, nodes[i], nodes[i]);
		if (ret == 0)
			goto out;
		if (ret != -ENOENT && !first_ret) {
			first_ret = ret;
			memcpy(first, h->err, sizeof(first));
		}
	}
	if (first_ret) {
		ret = first_ret;
		memcpy(h->err, first, sizeof(first));
	} else {
		ret = -ENOENT;
		snprintf(h->err, sizeof(h->err), "no MEI device: /dev/mei0 does not exist "
			 "(is the mei_me driver loaded? is this an Intel vPro machine?)");
	}
out:
	return ret;
}
#endif

int heci_device_is_sim(const char *device)
{
	return device && strncmp(device, "sim", 3) == 0 && (device[3] == '\0' || device[3] == ':');
}

/* Pick the backend for a device name and open it; the reason goes to h->err. */
static int open_device(struct heci *h, const char *device)
{
	if (!device)
		return open_default(h);
	if (heci_device_is_sim(device)) {
		if (!device[3])
			return open_as(h, &heci_backend_sim, NULL, device);
		if (device[4])
			return open_as(h, &heci_backend_sim, device + 4, device);
		snprintf(h->err, sizeof(h->err), "%s: no state file after \"sim:\"", device);
		return -EINVAL;
	}
	if (!device[0]) {
		snprintf(h->err, sizeof(h->err), "no MEI device: the device name is empty");
		return -ENOENT;
	}
	return open_as(h, PLATFORM_BACKEND, device, device);
}

int heci_open(struct heci **out, const char *device, char *err, size_t errlen)
{
	struct heci *h;
	int ret = -ENOMEM;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (!h) {
		if (errlen)
			snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = open_device(h, device);
	if (ret) {
		if (errlen)
			snprintf(err, errlen, "%s", h->err);
		heci_close(h);
		goto out;
	}
	*out = h;
out:
	return ret;
}

static void connect_error(struct heci *h, const uint8_t guid[16], int ret)
{
	char generic[HECI_ERR_LEN];
	const char *cl = client_name(guid);

	if (ret == -ENOTTY)
		snprintf(generic, sizeof(generic), "the firmware has no %s client "
			 "(or this is not a MEI device)", cl);
	else if (ret == -EBUSY)
		snprintf(generic, sizeof(generic), "the %s client is busy: another agent or "
			 "the Intel manageability service (LMS) holds it", cl);
	else if (ret == -ENODEV)
		snprintf(generic, sizeof(generic), "the device is resetting or gone");
	else
		snprintf(generic, sizeof(generic), "connect to the %s client: %s", cl,
			 strerror(-ret));
	set_error(h, generic);
}

int heci_connect(struct heci *h, const uint8_t guid[16], int busy_retries,
		 struct heci_client *out)
{
	struct heci_client client = { 0 };
	int ret = -ENODEV;
	int attempt;

	h->err[0] = '\0';
	if (!h->ctx) {
		connect_error(h, guid, ret);
		goto out;
	}
	if (busy_retries < 0)
		busy_retries = 0;
	if (busy_retries > BUSY_RETRIES_MAX)
		busy_retries = BUSY_RETRIES_MAX;
	for (attempt = 1;; attempt++) {
		ret = h->be->connect(h->ctx, guid, &client);
		if (ret != -EBUSY || attempt > busy_retries)
			break;
		log_debug("%s: %s client busy, retry %d of %d in %d ms", h->name,
			  client_name(guid), attempt, busy_retries, BUSY_STEP_MS * attempt);
		sleep_ms(BUSY_STEP_MS * attempt);
	}
	if (ret) {
		connect_error(h, guid, ret);
		goto out;
	}
	memcpy(h->guid, guid, sizeof(h->guid));
	h->have_guid = 1;
	h->client = client;
	if (out)
		*out = client;
out:
	return ret;
}

int heci_send(struct heci *h, const void *buf, size_t len, int timeout_ms)
{
	char generic[HECI_ERR_LEN];
	int ret = -ENODEV;

	h->err[0] = '\0';
	if (h->ctx && h->have_guid && len > h->client.max_msg_len)
		ret = -EFBIG;
	else if (h->ctx)
		ret = h->be->send(h->ctx, buf, len, timeout_ms);
	if (ret == 0)
		goto out;
	if (ret == -EFBIG)
		snprintf(generic, sizeof(generic), "a message of %zu bytes exceeds the "
			 "client's limit of %u", len, (unsigned)h->client.max_msg_len);
	else if (ret == -ENODEV)
		snprintf(generic, sizeof(generic), "send: the firmware reset (or the "
			 "client is not connected)");
	else
		snprintf(generic, sizeof(generic), "send: %s", strerror(-ret));
	set_error(h, generic);
out:
	return ret;
}

int heci_recv(struct heci *h, void *buf, size_t cap, size_t *got, int timeout_ms)
{
	char generic[HECI_ERR_LEN];
	size_t n = 0;
	int ret = -ENODEV;

	h->err[0] = '\0';
	if (h->ctx)
		ret = h->be->recv(h->ctx, buf, cap, &n, timeout_ms);
	if (got)
		*got = ret ? 0 : n;
	if (ret == 0)
		goto out;
	if (ret == -ETIMEDOUT)
		snprintf(generic, sizeof(generic), "no reply from the firmware within "
			 "%d ms", timeout_ms);
	else if (ret == -ENODEV)
		snprintf(generic, sizeof(generic), "receive: the firmware reset (or the "
			 "client is not connected)");
	else
		snprintf(generic, sizeof(generic), "receive: %s", strerror(-ret));
	set_error(h, generic);
out:
	return ret;
}

/*
 * Reopen and reconnect after a reset. The new connection is made before the dead one
 * is closed: a dead MEI fd holds nothing, but the in-process emulator keeps its model
 * (with the reset in progress and any injected faults) only while a handle refers to it.
 */
static int recover(struct heci *h)
{
	struct heci_client client = { 0 };
	int64_t deadline = now_ms() + RECOVER_BUDGET_MS;
	void *fresh = NULL;
	int ret;

	log_debug("%s: firmware reset; reconnecting the %s client", h->name,
		  client_name(h->guid));
	sleep_ms(RESET_PAUSE_MS);
	for (;;) {
		ret = h->be->open(&fresh, h->path, h->err, sizeof(h->err));
		if (ret == 0) {
			ret = h->be->connect(fresh, h->guid, &client);
			if (ret) {
				h->be->close(fresh);
				fresh = NULL;
			}
		}
		if ((ret != -ENODEV && ret != -EBUSY) ||
		    now_ms() + RECOVER_STEP_MS > deadline)
			break;
		sleep_ms(RECOVER_STEP_MS);
	}
	h->be->close(h->ctx);
	h->ctx = fresh;
	if (ret) {
		snprintf(h->err, sizeof(h->err), "the firmware reset and the %s client "
			 "did not come back within %d ms: %s", client_name(h->guid),
			 RESET_PAUSE_MS + RECOVER_BUDGET_MS, strerror(-ret));
		goto out;
	}
	h->client = client;
	log_debug("%s: reconnected after the reset", h->name);
out:
	return ret;
}

static int exchange(struct heci *h, const void *req, size_t req_len, void *reply,
		    size_t cap, size_t *got, int timeout_ms)
{
	int ret;

	ret = heci_send(h, req, req_len, timeout_ms);
	if (ret == 0)
		ret = heci_recv(h, reply, cap, got, timeout_ms);
	return ret;
}

int heci_call(struct heci *h, const void *req, size_t req_len, void *reply, size_t cap,
	      size_t *got, int timeout_ms, int idempotent, int *reconnected)
{
	int ret;

	if (reconnected)
		*reconnected = 0;
	ret = exchange(h, req, req_len, reply, cap, got, timeout_ms);
	if (ret != -ENODEV || !idempotent || !h->have_guid)
		goto out;
	ret = recover(h);
	if (ret)
		goto out;
	if (reconnected)
		*reconnected = 1;
	ret = exchange(h, req, req_len, reply, cap, got, timeout_ms);
out:
	return ret;
}

void heci_close(struct heci *h)
{
	if (!h)
		return;
	if (h->ctx)
		h->be->close(h->ctx);
	free(h->path);
	free(h->name);
	free(h);
}

const char *heci_device_name(const struct heci *h)
{
	return h && h->name ? h->name : "";
}

const char *heci_error(const struct heci *h)
{
	return h ? h->err : "";
}

// SPDX-License-Identifier: MIT
/* An ME session: lazily connected clients kept for the whole run, one exchange helper each. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "me.h"
#include "msg.h"
#include "os.h"

static const uint8_t *const client_guid[3] = { heci_guid_amthi, heci_guid_mkhi, heci_guid_wd };
static const char *const client_name[3] = { "AMTHI", "MKHI", "WD" };

/* The transport's own lines (busy retries, reset recovery) go to the agent's log. */
static void heci_log(enum heci_log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void heci_log(enum heci_log_level level, const char *fmt, va_list ap)
{
	msg_vlog(level == HECI_LOG_WARN ? MSG_WARN :
		 level == HECI_LOG_INFO ? MSG_INFO : MSG_DEBUG, fmt, ap);
}

/* The transport's boundary: its words go into the context once, with the errno. */
static int open_handle(struct me *me, struct heci **h)
{
	int rc = heci_open(h, me->device, me->err.msg, sizeof(me->err.msg));

	if (rc < 0)
		me->err.code = rc;
	return rc;
}

int me_open(struct me *me, const char *device, int timeout_ms)
{
	heci_set_log(heci_log);
	memset(me, 0, sizeof(*me));
	me->device = device;
	me->timeout_ms = timeout_ms > 0 ? timeout_ms : ME_DEFAULT_TIMEOUT_MS;
	return open_handle(me, &me->h[ME_AMTHI]);
}

void me_close(struct me *me)
{
	/* What the firmware cost this command (make bench reads it at -vv). */
	if (me->round_trips || me->connects)
		msg_debug("firmware: %u round trips, %u connects, %.1f ms", me->round_trips,
			  me->connects, (double)me->wait_us / 1000.0);
	me->round_trips = me->connects = 0;
	me->wait_us = 0;
	for (int i = 0; i < 3; i++) {
		heci_close(me->h[i]);
		me->h[i] = NULL;
		me->state[i] = 0;
	}
}

const char *me_error_text(const struct me *me, int rc)
{
	return me->err.msg[0] ? me->err.msg : strerror(-rc);
}

int me_client(struct me *me, enum me_client c)
{
	int rc;

	if (me->state[c] == 1)
		return 0;
	if (me->state[c] < 0)
		return me->state[c];
	if (!me->h[c]) {
		rc = open_handle(me, &me->h[c]);
		if (rc < 0) {
			me->state[c] = rc;
			return rc;
		}
	}
	/*
	 * The kernel's own watchdog driver (mei_wdt) may hold the WD client for good; what
	 * amtact asks it is optional, so one retry only, not a long wait at every run.
	 */
	rc = heci_connect(me->h[c], client_guid[c], c == ME_WD ? 1 : ME_BUSY_RETRIES,
			  &me->props[c]);
	if (rc < 0) {
		err_set(&me->err, rc, "connecting to the %s client: %s%s", client_name[c],
			heci_error(me->h[c])[0] ? heci_error(me->h[c]) : strerror(-rc),
			c == ME_WD && rc == -EBUSY ?
				" (the kernel's mei_wdt watchdog driver may hold it)" : "");
		me->state[c] = rc;
		return rc;
	}
	me->connects++;
	msg_debug("%s client connected: max message %u bytes, protocol %u", client_name[c],
		  me->props[c].max_msg_len, me->props[c].protocol_version);
	me->state[c] = 1;
	return 0;
}

/*
 * After a timeout the reply may still come and would be read as the answer to the next
 * request; dropping the connection (the next use reconnects) keeps requests and replies
 * paired.
 */
static void drop_after_timeout(struct me *me, enum me_client c, int rc)
{
	if (rc != -ETIMEDOUT)
		return;
	heci_close(me->h[c]);
	me->h[c] = NULL;
	me->state[c] = 0;
}

static int exchange(struct me *me, enum me_client c, const char *label, const void *req,
		    size_t len, size_t secret_from, bool idempotent, uint8_t *buf, size_t cap,
		    size_t *got)
{
	int reconnected = 0;
	int rc = me_client(me, c);
	uint64_t t0;

	if (rc < 0)
		return rc;
	msg_hexdump(label, req, len, secret_from);
	t0 = os_time_us();
	rc = heci_call(me->h[c], req, len, buf, cap, got, me->timeout_ms, idempotent,
		       &reconnected);
	me->wait_us += os_time_us() - t0;
	me->round_trips++;
	if (reconnected) {
		me->reconnects++;
		msg_info("the firmware reset during %s; reconnected and asked again", label);
	}
	if (rc < 0) {
		err_set(&me->err, rc, "%s: %s", label,
			heci_error(me->h[c])[0] ? heci_error(me->h[c]) : strerror(-rc));
		drop_after_timeout(me, c, rc);
		return rc;
	}
	msg_hexdump("reply", buf, *got, *got);
	return 0;
}

int me_raw(struct me *me, enum me_client c, const void *req, size_t len, bool idempotent,
	   uint8_t *buf, size_t cap, size_t *got)
{
	return exchange(me, c, client_name[c], req, len, len, idempotent, buf, cap, got);
}

int me_amthi(struct me *me, uint32_t cmd, const void *payload, size_t payload_len,
	     size_t secret_from, bool idempotent, uint8_t *buf, size_t cap,
	     struct amthi_reply *r)
{
	uint8_t req[AMTHI_HDR_LEN + 512];
	const char *name = amthi_cmd_name(cmd) ? amthi_cmd_name(cmd) : "AMTHI request";
	size_t len, got = 0;
	int ret = -EINVAL;

	len = amthi_build(req, sizeof(req), cmd, payload, payload_len);
	if (!len)
		goto out;
	ret = exchange(me, ME_AMTHI, name, req, len, AMTHI_HDR_LEN + secret_from, idempotent,
		       buf, cap, &got);
	if (ret < 0)
		goto out;
	ret = amthi_parse(buf, got, cmd, r);
	if (ret == -EBADMSG)
		me->err = r->err;
out:
	explicit_bzero(req, sizeof(req));
	return ret;
}

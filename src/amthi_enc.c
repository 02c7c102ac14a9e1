// SPDX-License-Identifier: MIT
/* AMTHI write requests: their bodies, and what a body holds in words for --dry-run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "amthi.h"
#include "buf.h"

/* How a request body is laid out, so that its description is read from the bytes sent. */
enum body_shape {
	BODY_NONE,
	BODY_U32,
	BODY_ANSI, /* AMT_ANSI_STRING: u16 length, then the bytes, no NUL */
};

static const struct {
	uint32_t cmd;
	enum body_shape shape;
} shapes[] = {
	{ AMTHI_UNPROVISION, BODY_U32 },
	{ AMTHI_SET_PROVISIONING_SERVER_OTP, BODY_ANSI },
	{ AMTHI_SET_DNS_SUFFIX, BODY_ANSI },
	{ AMTHI_SET_ZERO_TOUCH_ENABLED, BODY_U32 },
};

static enum body_shape shape_of(uint32_t cmd)
{
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (shapes[i].cmd == cmd)
			return shapes[i].shape;
	return BODY_NONE;
}

static void start(struct amthi_request *rq, uint32_t cmd, struct wbuf *w)
{
	explicit_bzero(rq, sizeof(*rq));
	rq->cmd = cmd;
	wbuf_init(w, rq->body, sizeof(rq->body));
}

static int finish(struct amthi_request *rq, const struct wbuf *w, size_t secret_from)
{
	if (!wbuf_ok(w)) {
		explicit_bzero(rq->body, sizeof(rq->body));
		rq->len = rq->secret_from = 0;
		return -EMSGSIZE;
	}
	rq->len = w->len;
	rq->secret_from = secret_from < w->len ? secret_from : w->len;
	return 0;
}

/* An AMT_ANSI_STRING without a NUL, as Intel's own host library sends it. */
static int ansi(struct amthi_request *rq, uint32_t cmd, const char *s, size_t len,
		bool secret)
{
	struct wbuf w;

	start(rq, cmd, &w);
	if (len > UINT16_MAX)
		return -EMSGSIZE;
	wbuf_u16(&w, (uint16_t)len);
	wbuf_bytes(&w, s, len);
	return finish(rq, &w, secret ? 0 : SIZE_MAX);
}

static int u32_body(struct amthi_request *rq, uint32_t cmd, uint32_t v)
{
	struct wbuf w;

	start(rq, cmd, &w);
	wbuf_u32(&w, v);
	return finish(rq, &w, SIZE_MAX);
}

static int empty_body(struct amthi_request *rq, uint32_t cmd)
{
	struct wbuf w;

	start(rq, cmd, &w);
	return finish(rq, &w, SIZE_MAX);
}

int amthi_req_set_otp(struct amthi_request *rq, const char *otp, size_t len)
{
	return ansi(rq, AMTHI_SET_PROVISIONING_SERVER_OTP, otp, len, true);
}

int amthi_req_set_dns_suffix(struct amthi_request *rq, const char *suffix)
{
	return ansi(rq, AMTHI_SET_DNS_SUFFIX, suffix, strlen(suffix), false);
}

int amthi_req_set_zero_touch(struct amthi_request *rq, bool enable)
{
	return u32_body(rq, AMTHI_SET_ZERO_TOUCH_ENABLED, enable ? 1 : 0);
}

int amthi_req_start_configuration(struct amthi_request *rq)
{
	return empty_body(rq, AMTHI_START_CONFIGURATION);
}

int amthi_req_stop_configuration(struct amthi_request *rq)
{
	return empty_body(rq, AMTHI_STOP_CONFIGURATION);
}

int amthi_req_unprovision(struct amthi_request *rq)
{
	/* mode 0 (none): the only mode any host tool sends */
	return u32_body(rq, AMTHI_UNPROVISION, 0);
}

void amthi_req_wipe(struct amthi_request *rq)
{
	explicit_bzero(rq, sizeof(*rq));
}

static void describe_ansi(const struct amthi_request *rq, char *out, size_t cap)
{
	struct rbuf b;
	size_t n;

	rbuf_init(&b, rq->body, rq->len);
	n = rbuf_u16(&b);
	if (!rbuf_ok(&b) || rbuf_left(&b) != n)
		snprintf(out, cap, "payload of %zu bytes", rq->len);
	else if (rq->secret_from < rq->len)
		snprintf(out, cap, "payload u16 %zu + <redacted %zu bytes>", n, n);
	else
		snprintf(out, cap, "payload u16 %zu + \"%.*s\"", n, (int)n,
			 (const char *)rbuf_ptr(&b, n));
}

void amthi_req_describe(const struct amthi_request *rq, char *out, size_t cap)
{
	const char *name = amthi_cmd_name(rq->cmd);
	int n;

	if (!out || cap == 0)
		return;
	n = snprintf(out, cap, "%s (0x%08X), ", name ? name : "command", rq->cmd);
	if (n < 0 || (size_t)n >= cap)
		return;
	out += n;
	cap -= (size_t)n;
	if (rq->len == 0)
		snprintf(out, cap, "no payload");
	else if (shape_of(rq->cmd) == BODY_U32 && rq->len == 4)
		snprintf(out, cap, "payload u32 %u", le32_load(rq->body));
	else if (shape_of(rq->cmd) == BODY_ANSI)
		describe_ansi(rq, out, cap);
	else
		snprintf(out, cap, "payload of %zu bytes", rq->len);
}

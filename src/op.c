// SPDX-License-Identifier: MIT
/* The write-operation engine: state before, rule check, one exchange, state after, the diff. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "amt.h"
#include "amt_status.h"
#include "buf.h"
#include "exitcodes.h"
#include "msg.h"
#include "op.h"

static const char *const heci_command[OP_COUNT] = {
	"SET_PROVISIONING_SERVER_OTP", "START_CONFIGURATION", "STOP_CONFIGURATION",
	"SET_DNS_SUFFIX", "SET_ZERO_TOUCH_ENABLED", "SET_ZERO_TOUCH_ENABLED",
	"WD SetAmtOperationalState", "UNPROVISION",
};

/* Operations that need the AMT host interface answering (all but enable-amt). */
static bool needs_amthi(enum op op)
{
	return op != OP_ENABLE_AMT;
}

/* Payload of an AMTHI write; *secret_from is where redaction starts in hex dumps. */
static int build_payload(const struct op_request *req, struct wbuf *w, size_t *secret_from)
{
	*secret_from = SIZE_MAX;
	switch (req->op) {
	case OP_SET_OTP:
		/* AMT_ANSI_STRING without a NUL, as Intel's C library sends it (protocol.md 4.5.25) */
		wbuf_u16(w, (uint16_t)req->otp->len);
		*secret_from = 0;
		wbuf_bytes(w, req->otp->buf, req->otp->len);
		break;
	case OP_SET_SUFFIX:
		wbuf_u16(w, (uint16_t)strlen(req->suffix));
		wbuf_bytes(w, req->suffix, strlen(req->suffix));
		break;
	case OP_ZERO_TOUCH_ENABLE:
	case OP_ZERO_TOUCH_DISABLE:
		wbuf_u32(w, req->op == OP_ZERO_TOUCH_ENABLE);
		break;
	case OP_UNPROVISION:
		wbuf_u32(w, 0); /* mode NONE, as every peer sends (protocol.md 4.5.15) */
		break;
	default:
		break;
	}
	return wbuf_ok(w) ? 0 : -EMSGSIZE;
}

static uint32_t amthi_code(enum op op)
{
	static const uint32_t codes[OP_COUNT] = {
		AMTHI_SET_PROVISIONING_SERVER_OTP, AMTHI_START_CONFIGURATION,
		AMTHI_STOP_CONFIGURATION, AMTHI_SET_DNS_SUFFIX, AMTHI_SET_ZERO_TOUCH_ENABLED,
		AMTHI_SET_ZERO_TOUCH_ENABLED, 0, AMTHI_UNPROVISION,
	};
	return codes[op];
}

static int send_amthi(struct me *me, const struct op_request *req, struct op_outcome *out)
{
	uint8_t payload[300], *buf = malloc(AMTHI_MAX_MSG);
	struct amthi_reply r;
	size_t secret_from;
	struct wbuf w;
	int rc = -ENOMEM;

	if (!buf)
		goto out;
	wbuf_init(&w, payload, sizeof(payload));
	rc = build_payload(req, &w, &secret_from);
	if (rc < 0)
		goto out;
	rc = me_amthi(me, amthi_code(req->op), payload, w.len,
		      secret_from == SIZE_MAX ? w.len : secret_from, false, buf, AMTHI_MAX_MSG,
		      &r);
	if (rc == 0)
		out->fw_status = r.status;
out:
	explicit_bzero(payload, sizeof(payload));
	free(buf);
	return rc;
}

static int send_wd_enable(struct me *me, struct op_outcome *out)
{
	uint8_t req[8], reply[64];
	char why[160] = "";
	size_t got = 0, len = wd_build_set_operational_state(req, sizeof(req), true);
	int rc = me_raw(me, ME_WD, req, len, false, reply, sizeof(reply), &got);

	if (rc == 0)
		rc = wd_dec_set_operational_state(reply, got, &out->fw_status, why, sizeof(why));
	if (rc < 0 && why[0])
		snprintf(me->err, sizeof(me->err), "WD SetAmtOperationalState: %s", why);
	return rc;
}

/* While the firmware makes its key, GET_PROVISIONING_TLS_MODE answers 0 "not ready". */
static void wait_for_key(struct me *me, const struct op_request *req, struct op_outcome *out)
{
	struct timespec start, now, pause = { 2, 0 };
	uint8_t *buf = malloc(AMTHI_MAX_MSG);
	struct amthi_reply r;
	uint32_t mode = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (buf) {
		if (me_amthi(me, AMTHI_GET_PROVISIONING_TLS_MODE, NULL, 0, 0, true, buf,
			     AMTHI_MAX_MSG, &r) == 0 && r.status == 0 &&
		    amthi_dec_u32(&r, &mode) == 0 && mode != 0) {
			out->key_ready = true;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= req->wait_s)
			break;
		msg_warn("the firmware is still generating its key (%ld s of at most %d s)",
			 (long)(now.tv_sec - start.tv_sec), req->wait_s);
		nanosleep(&pause, NULL);
	}
	free(buf);
}

static void add_change(struct op_outcome *out, const char *item, const char *before,
		       const char *after)
{
	struct op_change *c;

	if (strcmp(before, after) == 0 || out->change_count >= OP_MAX_CHANGES)
		return;
	c = &out->changes[out->change_count++];
	c->item = item;
	snprintf(c->before, sizeof(c->before), "%s", before);
	snprintf(c->after, sizeof(c->after), "%s", after);
}

static const char *enum_or(const struct me_item *it, const char *v)
{
	return it->state == ME_ITEM_OK ? v : "unknown";
}

static void diff_states(const struct me_info *a, const struct me_info *b, struct op_outcome *out)
{
	add_change(out, "provisioning.state",
		   enum_or(&a->prov_state_item, amt_prov_state_name(a->prov_state)),
		   enum_or(&b->prov_state_item, amt_prov_state_name(b->prov_state)));
	add_change(out, "provisioning.control_mode",
		   enum_or(&a->control_mode_item, amt_control_mode_name(a->control_mode)),
		   enum_or(&b->control_mode_item, amt_control_mode_name(b->control_mode)));
	add_change(out, "provisioning.mode",
		   enum_or(&a->prov_mode_item, amt_prov_mode_name(a->prov_mode)),
		   enum_or(&b->prov_mode_item, amt_prov_mode_name(b->prov_mode)));
	add_change(out, "provisioning.tls_mode",
		   enum_or(&a->tls_mode_item, amt_tls_mode_name(a->tls_mode)),
		   enum_or(&b->tls_mode_item, amt_tls_mode_name(b->tls_mode)));
	add_change(out, "remote_configuration.zero_touch_enabled",
		   enum_or(&a->zero_touch_item, a->zero_touch ? "true" : "false"),
		   enum_or(&b->zero_touch_item, b->zero_touch ? "true" : "false"));
	add_change(out, "remote_configuration.pki_dns_suffix",
		   enum_or(&a->pki_suffix_item, a->pki_suffix),
		   enum_or(&b->pki_suffix_item, b->pki_suffix));
	add_change(out, "amt.enabled", a->amt_disabled ? "false" : "true",
		   b->amt_disabled ? "false" : "true");
}

static int read_state(struct me *me, struct me_info **info, enum op op)
{
	int rc;

	*info = calloc(1, sizeof(**info));
	if (!*info)
		return -ENOMEM;
	rc = me_read(me, *info, ME_READ_STATE);
	if (rc == -ENODATA && !needs_amthi(op))
		rc = 0;
	return rc;
}

static void send_failed(struct me *me, int rc, struct op_outcome *out)
{
	out->kind = OP_FAILED;
	out->err = rc;
	if (me->err[0])
		snprintf(out->detail, sizeof(out->detail), "%s", me->err);
	else
		snprintf(out->detail, sizeof(out->detail), "reply to %s: %s", out->command,
			 rc == -ENODATA ? "empty message (AMT disabled or reset?)" : strerror(-rc));
}

static void send_and_verify(struct me *me, const struct op_request *req,
			    struct op_outcome *out)
{
	int rc;

	me->err[0] = '\0'; /* a detail left by the reads before is not this failure's */
	rc = req->op == OP_ENABLE_AMT ? send_wd_enable(me, out) : send_amthi(me, req, out);
	if (rc < 0) {
		send_failed(me, rc, out);
	} else {
		out->key_pending = req->op == OP_START_CONFIG &&
				   out->fw_status == AMT_STATUS_CERTIFICATE_NOT_READY;
		/* CERTIFICATE_NOT_READY still means "started" (protocol.md 4.5.18). */
		out->kind = out->fw_status == 0 || out->key_pending ? OP_DONE : OP_REFUSED;
		if (out->key_pending && req->wait_s > 0)
			wait_for_key(me, req, out);
	}
	/* Re-read even after a failed exchange: the firmware may have applied the write. */
	rc = read_state(me, &out->after, req->op);
	if (rc == 0)
		diff_states(out->before, out->after, out);
	else
		msg_warn("re-reading the state after %s failed: %s", out->command, me->err);
}

int op_run(struct me *me, const struct op_request *req, struct op_outcome *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->command = heci_command[req->op];
	if (req->state) {
		out->before = malloc(sizeof(*out->before));
		if (!out->before)
			return -ENOMEM;
		memcpy(out->before, req->state, sizeof(*out->before));
	} else {
		rc = read_state(me, &out->before, req->op);
		if (rc < 0)
			return rc;
	}
	rules_check(req->op, out->before, req->suffix, &out->rule);
	if (out->rule.verdict == RULE_NO_CHANGE) {
		out->kind = OP_NO_CHANGE;
		return 0;
	}
	if (out->rule.verdict == RULE_REFUSE && !req->force) {
		out->kind = OP_PREDICTED_REFUSAL;
		out->fw_status = out->rule.expected_status;
		return 0;
	}
	if (req->dry_run) {
		out->kind = OP_DRY_RUN;
		return 0;
	}
	send_and_verify(me, req, out);
	return 0;
}

void op_outcome_free(struct op_outcome *out)
{
	free(out->before);
	free(out->after);
	out->before = out->after = NULL;
}

int op_exit_code(const struct op_outcome *out)
{
	switch (out->kind) {
	case OP_DONE:
	case OP_NO_CHANGE:
		return EXIT_OK;
	case OP_DRY_RUN:
		return EXIT_OK;
	case OP_PREDICTED_REFUSAL:
	case OP_REFUSED:
		return EXIT_REFUSED;
	default:
		return out->err == -EBUSY ? EXIT_BUSY : EXIT_FIRMWARE;
	}
}

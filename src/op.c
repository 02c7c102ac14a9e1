// SPDX-License-Identifier: MIT
/* The write-operation engine: state before, rule check, one exchange, state after, the diff. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amt.h"
#include "amt_status.h"
#include "amthi.h"
#include "exitcodes.h"
#include "msg.h"
#include "os.h"
#include "op.h"
#include "wd.h"

/* The request as it goes on the wire, built by the codec that owns its bytes. */
struct wire {
	struct amthi_request amthi; /* every operation but OP_ENABLE_AMT */
	uint8_t wd[8];              /* OP_ENABLE_AMT */
	size_t wd_len;
};

/* Operations that need the AMT host interface answering (all but enable-amt). */
static bool needs_amthi(enum op op)
{
	return op != OP_ENABLE_AMT;
}

/*
 * The host's switch to AMT by generation (doc/firmware.md 6): SetAmtOperationalState where
 * IsChangeToAMTEnabled sets bit 7 (ME 16.1+), else the older ChangeToAMT.
 */
static bool new_enable_method(const struct me_info *before)
{
	return before && before->wd_item.state == ME_ITEM_OK && before->wd.new_interface;
}

static int encode(const struct op_request *req, const struct me_info *before, struct wire *w)
{
	switch (req->op) {
	case OP_SET_OTP:
		return amthi_req_set_otp(&w->amthi, req->otp->buf, req->otp->len);
	case OP_SET_SUFFIX:
		return amthi_req_set_dns_suffix(&w->amthi, req->suffix);
	case OP_ZERO_TOUCH_ENABLE:
	case OP_ZERO_TOUCH_DISABLE:
		return amthi_req_set_zero_touch(&w->amthi, req->op == OP_ZERO_TOUCH_ENABLE);
	case OP_START_CONFIG:
		return amthi_req_start_configuration(&w->amthi);
	case OP_STOP_CONFIG:
		return amthi_req_stop_configuration(&w->amthi);
	case OP_UNPROVISION:
		return amthi_req_unprovision(&w->amthi);
	case OP_ENABLE_AMT:
		w->wd_len = new_enable_method(before) ?
			    wd_build_set_operational_state(w->wd, sizeof(w->wd), true) :
			    wd_build_change_to_amt(w->wd, sizeof(w->wd));
		return w->wd_len ? 0 : -EMSGSIZE;
	default:
		return -EINVAL;
	}
}

static const char *wire_name(const struct op_request *req, const struct wire *w)
{
	if (!needs_amthi(req->op))
		return wd_request_name(w->wd, w->wd_len);
	return amthi_cmd_name(w->amthi.cmd) ? amthi_cmd_name(w->amthi.cmd) : "AMTHI request";
}

static void wire_describe(const struct op_request *req, const struct wire *w, char *out,
			  size_t cap)
{
	if (!needs_amthi(req->op))
		wd_request_describe(w->wd, w->wd_len, out, cap);
	else
		amthi_req_describe(&w->amthi, out, cap);
}

static int send_amthi(struct me *me, const struct amthi_request *rq, struct op_outcome *out)
{
	uint8_t *buf = malloc(AMTHI_MAX_MSG);
	struct amthi_reply r;
	int rc;

	if (!buf)
		return -ENOMEM;
	rc = me_amthi(me, rq->cmd, rq->body, rq->len, rq->secret_from, false, buf,
		      AMTHI_MAX_MSG, &r);
	if (rc == 0)
		out->fw_status = r.status;
	free(buf);
	return rc;
}

static int send_wd(struct me *me, const struct wire *w, struct op_outcome *out)
{
	uint8_t reply[64];
	struct amt_err dec = { 0 };
	size_t got = 0;
	int rc = me_raw(me, ME_WD, w->wd, w->wd_len, false, reply, sizeof(reply), &got);

	if (rc == 0 && w->wd[2] == WD_SUB_CHANGE_TO_AMT)
		rc = wd_dec_change_to_amt(reply, got, &out->fw_status, &dec);
	else if (rc == 0)
		rc = wd_dec_set_operational_state(reply, got, &out->fw_status, &dec);
	if (rc < 0 && dec.msg[0]) {
		me->err = dec;
		err_prefix(&me->err, "%s", out->command);
	}
	return rc;
}

/* While the firmware makes its key, GET_PROVISIONING_TLS_MODE answers 0 "not ready". */
static void wait_for_key(struct me *me, const struct op_request *req, struct op_outcome *out)
{
	long start = (long)(os_mono_ms() / 1000), now = start;
	uint8_t *buf = malloc(AMTHI_MAX_MSG);
	struct amthi_reply r;
	uint32_t mode = 0;

	/* A console gets one line updated in place; a log or a pipe a line now and at the end. */
	if (!msg_progress_live())
		msg_notice("the firmware is still generating its key; waiting at most %d s",
			   req->wait_s);
	while (buf) {
		if (me_amthi(me, AMTHI_GET_PROVISIONING_TLS_MODE, NULL, 0, 0, true, buf,
			     AMTHI_MAX_MSG, &r) == 0 && r.status == 0 &&
		    amthi_dec_u32(&r, &mode) == 0 && mode != 0)
			out->key_ready = true;
		now = (long)(os_mono_ms() / 1000);
		if (out->key_ready || now - start >= req->wait_s)
			break;
		msg_progress("the firmware is generating its key: %ld s of at most %d s",
			     now - start, req->wait_s);
		os_sleep_ms(1000);
	}
	free(buf);
	if (out->key_ready)
		msg_notice("the firmware's key is ready after %ld s", now - start);
	else
		msg_notice("the firmware's key is still not ready after %ld s; it starts the "
			   "hello packets by itself once the key is made", now - start);
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

/*
 * After a write, only what it can change is asked again; the rest of the state is the
 * one it was checked against. ENABLE_AMT and UNPROVISION change too much for that: the
 * whole state is read again.
 */
static bool forget_changed(enum op op, struct me_info *in)
{
	switch (op) {
	case OP_SET_SUFFIX:
		in->pki_suffix_item.state = ME_ITEM_UNREAD;
		return true;
	case OP_SET_OTP:
		return true; /* the firmware never shows the OTP */
	case OP_START_CONFIG:
	case OP_STOP_CONFIG:
		/* The TLS mode reads 0 while the firmware makes its key for the hellos. */
		in->prov_state_item.state = ME_ITEM_UNREAD;
		in->tls_mode_item.state = ME_ITEM_UNREAD;
		return true;
	case OP_ZERO_TOUCH_ENABLE:
	case OP_ZERO_TOUCH_DISABLE:
		in->zero_touch_item.state = ME_ITEM_UNREAD;
		return true;
	default:
		return false;
	}
}

static int read_after(struct me *me, enum op op, const struct me_info *before,
		      struct me_info **after)
{
	int rc;

	*after = malloc(sizeof(**after));
	if (!*after)
		return -ENOMEM;
	memcpy(*after, before, sizeof(**after));
	if (!forget_changed(op, *after)) {
		free(*after);
		return read_state(me, after, op);
	}
	rc = me_read_more(me, *after, ME_READ_STATE, 0);
	if (rc == -ENODATA && !needs_amthi(op))
		rc = 0;
	return rc;
}

static void send_failed(struct me *me, const struct op_request *req, int rc,
			struct op_outcome *out)
{
	out->kind = OP_FAILED;
	if (rc == -ENOTTY && !needs_amthi(req->op))
		err_set(&out->err, rc, "the firmware offers no watchdog client (the ME's "
			"state-independence interface) while AMT is off, so the host cannot switch "
			"AMT on; enable AMT in the BIOS/MEBx");
	else if (me->err.msg[0])
		out->err = me->err;
	else
		err_set(&out->err, rc, "reply to %s: %s", out->command,
			rc == -ENODATA ? "empty message (AMT disabled or reset?)" : strerror(-rc));
	out->err.code = rc;
}

/* enc_rc: what encoding the request returned (a request that does not fit is not sent). */
static void send_and_verify(struct me *me, const struct op_request *req,
			    const struct wire *w, int enc_rc, struct op_outcome *out)
{
	int rc = enc_rc;

	err_clear(&me->err); /* what the reads before left is not this failure's */
	if (rc == 0)
		rc = needs_amthi(req->op) ? send_amthi(me, &w->amthi, out) : send_wd(me, w, out);
	if (rc < 0) {
		send_failed(me, req, rc, out);
	} else {
		out->key_pending = req->op == OP_START_CONFIG &&
				   out->fw_status == AMT_STATUS_CERTIFICATE_NOT_READY;
		/* CERTIFICATE_NOT_READY still means "started" (doc/firmware.md 4.5.18). */
		out->kind = out->fw_status == 0 || out->key_pending ? OP_DONE : OP_REFUSED;
		if (out->key_pending && req->wait_s > 0)
			wait_for_key(me, req, out);
	}
	/* Re-read even after a failed exchange: the firmware may have applied the write. */
	rc = read_after(me, req->op, out->before, &out->after);
	if (rc == 0)
		diff_states(out->before, out->after, out);
	else
		msg_warn("re-reading the state after %s failed: %s", out->command, me->err.msg);
}

/* The state before: the caller's copy, or read now. */
static int state_before(struct me *me, const struct op_request *req, struct op_outcome *out)
{
	if (!req->state)
		return read_state(me, &out->before, req->op);
	out->before = malloc(sizeof(*out->before));
	if (!out->before)
		return -ENOMEM;
	memcpy(out->before, req->state, sizeof(*out->before));
	return 0;
}

int op_run(struct me *me, const struct op_request *req, struct op_outcome *out)
{
	struct wire w;
	int rc, enc_rc;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	rc = state_before(me, req, out);
	enc_rc = encode(req, rc == 0 ? out->before : NULL, &w);
	out->command = wire_name(req, &w);
	if (rc < 0)
		goto out;
	rules_check(req->op, out->before, req->suffix, &out->rule);
	if (out->rule.verdict == RULE_NO_CHANGE) {
		out->kind = OP_NO_CHANGE;
	} else if (out->rule.verdict == RULE_REFUSE && !req->force) {
		out->kind = OP_PREDICTED_REFUSAL;
		out->fw_status = out->rule.expected_status;
	} else if (req->dry_run) {
		out->kind = OP_DRY_RUN;
		wire_describe(req, &w, out->would_send, sizeof(out->would_send));
	} else {
		send_and_verify(me, req, &w, enc_rc, out);
	}
out:
	amthi_req_wipe(&w.amthi);
	return rc;
}

void op_outcome_free(struct op_outcome *out)
{
	free(out->before);
	free(out->after);
	out->before = out->after = NULL;
}

/* What a successful operation is expected to change, for --dry-run. */
const char *op_expected_change(enum op op)
{
	switch (op) {
	case OP_SET_OTP:
		return "nothing visible: the firmware never reports the OTP";
	case OP_START_CONFIG:
		return "provisioning.state pre -> in; the hello window opens (24 h the first "
		       "time, 6 h on later starts)";
	case OP_STOP_CONFIG:
		return "provisioning.state in -> pre; the hello packets stop";
	case OP_SET_SUFFIX:
		return "remote_configuration.pki_dns_suffix -> the new suffix";
	case OP_ZERO_TOUCH_ENABLE:
		return "remote_configuration.zero_touch_enabled false -> true";
	case OP_ZERO_TOUCH_DISABLE:
		return "remote_configuration.zero_touch_enabled true -> false";
	case OP_ENABLE_AMT:
		return "amt.enabled false -> true";
	case OP_UNPROVISION:
		return "provisioning.state -> pre; control_mode ccm -> none";
	default:
		return "";
	}
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
		return out->err.code == -EBUSY ? EXIT_BUSY : EXIT_FIRMWARE;
	}
}

const char *op_kind_name(enum op_kind kind)
{
	static const char *const names[] = {
		[OP_DONE] = "done",
		[OP_NO_CHANGE] = "no_change",
		[OP_PREDICTED_REFUSAL] = "predicted_refusal",
		[OP_REFUSED] = "refused",
		[OP_DRY_RUN] = "dry_run",
		[OP_FAILED] = "failed",
	};

	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

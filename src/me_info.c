// SPDX-License-Identifier: MIT
/*
 * Reads what `info`, `status` and `run` need, each command at most once on one AMTHI
 * connection: a read can be completed later (me_read_more) without asking again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "me.h"

/*
 * Ask one read-only AMTHI question. Returns 0 when the reply carries status 0 and is ready
 * for decoding, 1 when the firmware answered a status (recorded in the item), or a
 * negative errno (recorded; -ENODATA means AMT is disabled).
 */
static int ask(struct me *me, uint32_t cmd, const void *payload, size_t len,
	       struct me_item *it, uint8_t *buf, struct amthi_reply *r)
{
	int rc;

	/* Asked before (an earlier, smaller read of the same info): its outcome stands. */
	if (it->state != ME_ITEM_UNREAD)
		return 1;
	rc = me_amthi(me, cmd, payload, len, len, true, buf, AMTHI_MAX_MSG, r);

	if (rc < 0) {
		it->state = ME_ITEM_ERROR;
		it->err = me->err;
		it->err.code = rc;
		return rc;
	}
	if (r->status) {
		it->state = ME_ITEM_STATUS;
		it->fw_status = r->status;
		return 1;
	}
	return 0;
}

/* Record the outcome of a decoder. */
static void decoded(struct me *me, struct me_item *it, struct amthi_reply *r, int rc)
{
	if (rc == 0) {
		it->state = ME_ITEM_OK;
		return;
	}
	it->state = ME_ITEM_ERROR;
	me->err = r->err;
	me->err.code = rc;
	it->err = me->err;
}

/* Transport failures that end the whole read (the firmware is not answering at all). */
static int fatal(int rc)
{
	return rc == -ENODATA || rc == -EBUSY || rc == -ENODEV || rc == -EIO ||
	       rc == -EACCES || rc == -ENOTTY;
}

#define ASK_BOOL(cmd, item, field)                                              \
	do {                                                                    \
		bool b_ = false;                                                \
		rc = ask(me, cmd, NULL, 0, &info->item, buf, &r);               \
		if (rc == 0) {                                                  \
			decoded(me, &info->item, &r, amthi_dec_bool(&r, &b_));  \
			info->field = b_;                                       \
		} else if (rc < 0 && fatal(rc)) {                               \
			goto out;                                               \
		}                                                               \
	} while (0)

/* The field may be one of amt.h's enums: it takes the raw value the firmware sent. */
#define ASK_U32(cmd, item, field)                                               \
	do {                                                                    \
		uint32_t v_ = 0;                                                \
		rc = ask(me, cmd, NULL, 0, &info->item, buf, &r);               \
		if (rc == 0) {                                                  \
			decoded(me, &info->item, &r, amthi_dec_u32(&r, &v_));   \
			info->field = v_;                                       \
		} else if (rc < 0 && fatal(rc)) {                               \
			goto out;                                               \
		}                                                               \
	} while (0)

static uint32_t sku_of(const struct amt_code_versions *v, bool *known)
{
	for (uint32_t i = 0; i < v->count && i < AMT_VERSIONS_MAX; i++) {
		char *end;
		unsigned long n;

		if (strcmp(v->v[i].desc, "Sku") != 0)
			continue;
		n = strtoul(v->v[i].ver, &end, 10);
		if (end != v->v[i].ver && !*end && n <= UINT32_MAX) {
			*known = true;
			return (uint32_t)n;
		}
	}
	*known = false;
	return 0;
}

static int read_versions(struct me *me, struct me_info *info, uint8_t *buf)
{
	struct amthi_reply r;
	int rc = ask(me, AMTHI_GET_CODE_VERSIONS, NULL, 0, &info->versions_item, buf, &r);

	if (rc == 0) {
		decoded(me, &info->versions_item, &r,
			amthi_dec_code_versions(&r, &info->versions));
		if (info->versions_item.state == ME_ITEM_OK)
			info->sku = sku_of(&info->versions, &info->sku_known);
	}
	return rc < 0 ? rc : 0;
}

static int read_lan(struct me *me, struct me_info *info, uint8_t *buf, uint32_t index)
{
	struct amthi_reply r;
	uint8_t payload[4];
	int rc;

	le32_store(payload, index);
	rc = ask(me, AMTHI_GET_LAN_INTERFACE_SETTINGS, payload, sizeof(payload),
		 &info->lan_item[index], buf, &r);
	if (rc == 0)
		decoded(me, &info->lan_item[index], &r, amthi_dec_lan(&r, &info->lan[index]));
	return rc < 0 && fatal(rc) ? rc : 0;
}

static int read_hashes(struct me *me, struct me_info *info, uint8_t *buf)
{
	struct amthi_reply r;
	int rc = ask(me, AMTHI_ENUMERATE_HASH_HANDLES, NULL, 0, &info->hashes_item, buf, &r);

	/* (Asked before: the entries were read with it.) */
	if (rc != 0)
		return rc < 0 && fatal(rc) ? rc : 0;
	decoded(me, &info->hashes_item, &r,
		amthi_dec_hash_handles(&r, info->hash_handles, ME_HASHES_MAX,
				       &info->hash_count));
	if (info->hashes_item.state != ME_ITEM_OK)
		return 0;
	for (size_t i = 0; i < info->hash_count; i++) {
		uint8_t payload[4];

		le32_store(payload, info->hash_handles[i]);
		rc = ask(me, AMTHI_GET_CERTHASH_ENTRY, payload, sizeof(payload),
			 &info->hash_item[i], buf, &r);
		if (rc == 0)
			decoded(me, &info->hash_item[i], &r,
				amthi_dec_certhash(&r, &info->hashes[i]));
		else if (rc < 0 && fatal(rc))
			return rc;
	}
	return 0;
}

static int read_suffix(struct me *me, struct me_info *info, uint8_t *buf)
{
	struct amthi_reply r;
	int rc = ask(me, AMTHI_GET_PKI_FQDN_SUFFIX, NULL, 0, &info->pki_suffix_item, buf, &r);

	if (rc == 0)
		decoded(me, &info->pki_suffix_item, &r,
			amthi_dec_ansi(&r, info->pki_suffix, sizeof(info->pki_suffix)));
	return rc < 0 && fatal(rc) ? rc : 0;
}

static int read_uuid(struct me *me, struct me_info *info, uint8_t *buf)
{
	struct amthi_reply r;
	int rc = ask(me, AMTHI_GET_UUID, NULL, 0, &info->uuid_item, buf, &r);

	if (rc == 0)
		decoded(me, &info->uuid_item, &r, amthi_dec_uuid(&r, info->uuid));
	return rc < 0 && fatal(rc) ? rc : 0;
}

static int read_fqdn(struct me *me, struct me_info *info, uint8_t *buf)
{
	struct amthi_reply r;
	int rc = ask(me, AMTHI_GET_FQDN, NULL, 0, &info->fqdn_item, buf, &r);

	if (rc == 0)
		decoded(me, &info->fqdn_item, &r, amthi_dec_fqdn(&r, &info->fqdn));
	return rc < 0 && fatal(rc) ? rc : 0;
}

/*
 * GET_PID: PSK provisioning was removed in AMT 11.0 (doc/remote-config.md 5) and with it
 * the command; asking 11+ only earns INVALID_COMMAND, so it is not asked there.
 */
static int read_pid(struct me *me, struct me_info *info, uint8_t *buf)
{
	struct amthi_reply r;
	int rc;

	if (info->pid_item.state == ME_ITEM_UNREAD && me_info_major(info) >= 11) {
		info->pid_item.state = ME_ITEM_UNSUPPORTED;
		return 0;
	}
	rc = ask(me, AMTHI_GET_PID, NULL, 0, &info->pid_item, buf, &r);
	if (rc == 0)
		decoded(me, &info->pid_item, &r, amthi_dec_pid(&r, info->pid));
	return rc < 0 && fatal(rc) ? rc : 0;
}

static int read_strings(struct me *me, struct me_info *info, uint8_t *buf, unsigned flags)
{
	struct amthi_reply r;
	int rc;

	if ((rc = read_pid(me, info, buf)) < 0 || (rc = read_fqdn(me, info, buf)) < 0)
		return rc;
	if (flags & ME_READ_NO_REMOTE_ACCESS)
		return 0;
	rc = ask(me, AMTHI_GET_REMOTE_ACCESS_CONNECTION_STATUS, NULL, 0, &info->ras_item, buf,
		 &r);
	if (rc == 0)
		decoded(me, &info->ras_item, &r, amthi_dec_remote_access(&r, &info->ras));
	else if (rc < 0 && fatal(rc))
		return rc;
	return 0;
}

static void read_mkhi(struct me *me, struct me_info *info, uint8_t *buf)
{
	uint8_t req[MKHI_HDR_LEN], result = 0;
	struct amt_err dec = { 0 };
	size_t got = 0;
	int rc;

	if (info->mkhi_item.state != ME_ITEM_UNREAD)
		return;
	mkhi_build(req, sizeof(req), MKHI_GROUP_GEN, MKHI_GEN_GET_FW_VERSION);
	rc = me_raw(me, ME_MKHI, req, sizeof(req), true, buf, AMTHI_MAX_MSG, &got);
	if (rc == 0)
		rc = mkhi_dec_fw_version(buf, got, &info->fw, &result, &dec);
	if (rc == 0) {
		info->mkhi_item.state = ME_ITEM_OK;
		return;
	}
	info->mkhi_item.state = rc == -EPROTO ? ME_ITEM_STATUS : ME_ITEM_ERROR;
	info->mkhi_item.fw_status = result;
	if (dec.msg[0]) {
		me->err = dec;
		err_prefix(&me->err, "MKHI GET_FW_VERSION");
	}
	info->mkhi_item.err = me->err;
	info->mkhi_item.err.code = rc;
}

/* The watchdog client's AMT state matters on ME 12+ and whenever AMT looks disabled. */
static bool want_wd(const struct me_info *info)
{
	if (info->amthi_state == -ENOTTY)
		return false;
	if (info->amt_disabled)
		return true;
	return info->mkhi_item.state == ME_ITEM_OK && info->fw.code.major > 11;
}

static void read_wd(struct me *me, struct me_info *info, uint8_t *buf)
{
	uint8_t req[8];
	struct amt_err dec = { 0 };
	size_t got = 0, len = wd_build_is_change_enabled(req, sizeof(req));
	int rc;

	if (!want_wd(info) || info->wd_item.state != ME_ITEM_UNREAD)
		return;
	rc = me_raw(me, ME_WD, req, len, true, buf, AMTHI_MAX_MSG, &got);
	if (rc == 0)
		rc = wd_dec_is_change_enabled(buf, got, &info->wd, &dec);
	info->wd_item.state = rc == 0 ? ME_ITEM_OK : ME_ITEM_ERROR;
	if (dec.msg[0]) {
		me->err = dec;
		err_prefix(&me->err, "WD IsChangeToAMTEnabled");
	}
	if (rc < 0)
		info->wd_item.err = me->err;
	info->wd_item.err.code = rc;
}

/* GET_PROVISIONING_MODE: the mode and the legacy flag. 0, 1 (a status) or -errno. */
static int read_prov_mode(struct me *me, struct me_info *info, uint8_t *buf)
{
	struct amthi_reply r;
	uint32_t mode = 0;
	int rc = ask(me, AMTHI_GET_PROVISIONING_MODE, NULL, 0, &info->prov_mode_item, buf, &r);

	if (rc == 0) {
		decoded(me, &info->prov_mode_item, &r,
			amthi_dec_prov_mode(&r, &mode, &info->legacy_mode));
		info->prov_mode = mode;
	}
	return rc;
}

/* The AMTHI part; returns 0 or the errno that ended it. */
static int read_amthi(struct me *me, struct me_info *info, uint8_t *buf,
		      enum me_read_level level, unsigned flags)
{
	struct amthi_reply r;
	int rc = 0;

	if (level >= ME_READ_STATE) {
		rc = read_versions(me, info, buf);
		if (rc < 0 && fatal(rc))
			goto out;
	}
	ASK_U32(AMTHI_GET_PROVISIONING_STATE, prov_state_item, prov_state);
	ASK_U32(AMTHI_GET_CONTROL_MODE, control_mode_item, control_mode);
	if (level < ME_READ_STATE)
		goto out;
	if ((rc = read_prov_mode(me, info, buf)) < 0 && fatal(rc))
		goto out;
	ASK_BOOL(AMTHI_GET_ZERO_TOUCH_ENABLED, zero_touch_item, zero_touch);
	ASK_U32(AMTHI_GET_PROVISIONING_TLS_MODE, tls_mode_item, tls_mode);
	if ((rc = read_suffix(me, info, buf)) < 0 || level < ME_READ_FULL)
		goto out;
	if ((rc = read_uuid(me, info, buf)) < 0)
		goto out;
	ASK_U32(AMTHI_GET_UNPROVISIONING_STATE, unprov_item, unprov_state);
	if ((rc = read_strings(me, info, buf, flags)) < 0)
		goto out;
	if ((rc = read_lan(me, info, buf, 0)) < 0 || (rc = read_lan(me, info, buf, 1)) < 0)
		goto out;
	rc = read_hashes(me, info, buf);
out:
	return rc < 0 && fatal(rc) ? rc : 0;
}

/* The facts that decide whether `run` has something new (run_facts.h), and no more. */
static int read_facts(struct me *me, struct me_info *info, uint8_t *buf)
{
	struct amthi_reply r;
	int rc = read_versions(me, info, buf);

	if (rc < 0 && fatal(rc))
		goto out;
	ASK_U32(AMTHI_GET_PROVISIONING_STATE, prov_state_item, prov_state);
	ASK_U32(AMTHI_GET_CONTROL_MODE, control_mode_item, control_mode);
	ASK_BOOL(AMTHI_GET_ZERO_TOUCH_ENABLED, zero_touch_item, zero_touch);
	if ((rc = read_suffix(me, info, buf)) < 0 || (rc = read_uuid(me, info, buf)) < 0 ||
	    (rc = read_fqdn(me, info, buf)) < 0)
		goto out;
	rc = read_lan(me, info, buf, 0);
out:
	return rc < 0 && fatal(rc) ? rc : 0;
}

/* A level past ME_READ_FULL stands for "the facts" (me_read_facts). */
#define FACTS ((enum me_read_level)(ME_READ_FULL + 1))

static int read_any(struct me *me, struct me_info *info, enum me_read_level level,
		    unsigned flags)
{
	uint8_t *buf = malloc(AMTHI_MAX_MSG);
	int ret = -ENOMEM;

	if (!buf)
		return ret;
	info->amthi_state = me_client(me, ME_AMTHI);
	ret = info->amthi_state;
	if (ret < 0 && ret != -ENOTTY)
		goto out;
	if (ret == 0) {
		ret = level == FACTS ? read_facts(me, info, buf) :
				       read_amthi(me, info, buf, level, flags);
		info->amt_disabled = ret == -ENODATA;
		/* An empty reply is how firmware says "AMT disabled": not a failed item. */
		if (info->amt_disabled) {
			memset(&info->versions_item, 0, sizeof(info->versions_item));
			memset(&info->prov_state_item, 0, sizeof(info->prov_state_item));
		}
		if (ret < 0 && ret != -ENODATA)
			goto out;
	}
	if ((level >= ME_READ_STATE && level != FACTS) || info->amt_disabled ||
	    info->amthi_state == -ENOTTY)
		read_mkhi(me, info, buf);
	/* ENOTTY from every client's connect: the ioctl itself is unknown, not a MEI device. */
	if (info->amthi_state == -ENOTTY && info->mkhi_item.state == ME_ITEM_ERROR &&
	    info->mkhi_item.err.code == -ENOTTY) {
		ret = err_set(&me->err, -ENXIO, "%s knows neither the AMTHI nor the MKHI client: "
			      "it is not a MEI device", me->device ? me->device : "the device");
		goto out;
	}
	read_wd(me, info, buf);
	ret = info->amthi_state == -ENOTTY ? -ENOTTY : info->amt_disabled ? -ENODATA : 0;
out:
	free(buf);
	return ret;
}

int me_read(struct me *me, struct me_info *info, enum me_read_level level)
{
	memset(info, 0, sizeof(*info));
	return read_any(me, info, level, 0);
}

int me_read_more(struct me *me, struct me_info *info, enum me_read_level level,
		 unsigned flags)
{
	return read_any(me, info, level, flags);
}

int me_read_item(struct me *me, struct me_info *info, enum me_info_item which)
{
	uint8_t *buf = malloc(AMTHI_MAX_MSG);
	struct amthi_reply r;
	int rc = -ENOMEM;

	if (!buf)
		return rc;
	if (which == ME_INFO_TLS_MODE)
		ASK_U32(AMTHI_GET_PROVISIONING_TLS_MODE, tls_mode_item, tls_mode);
	else
		rc = read_lan(me, info, buf, which == ME_INFO_LAN_WIRED ? 0 : 1);
out:
	free(buf);
	return rc < 0 ? rc : 0;
}

int me_read_facts(struct me *me, struct me_info *info)
{
	memset(info, 0, sizeof(*info));
	return read_any(me, info, FACTS, 0);
}

int me_read_info(struct me *me, struct me_info *info)
{
	return me_read(me, info, ME_READ_FULL);
}

int me_read_status(struct me *me, struct me_info *info)
{
	return me_read(me, info, ME_READ_STATUS);
}

int me_info_major(const struct me_info *info)
{
	if (info->versions_item.state == ME_ITEM_OK) {
		for (uint32_t i = 0; i < info->versions.count && i < AMT_VERSIONS_MAX; i++) {
			char *end;
			long v;

			if (strcmp(info->versions.v[i].desc, "AMT") != 0)
				continue;
			v = strtol(info->versions.v[i].ver, &end, 10);
			if (end != info->versions.v[i].ver && v >= 0 && v < 1000)
				return (int)v;
		}
	}
	if (info->mkhi_item.state == ME_ITEM_OK)
		return info->fw.code.major;
	return -1;
}

int me_info_minor(const struct me_info *info)
{
	if (info->versions_item.state == ME_ITEM_OK) {
		for (uint32_t i = 0; i < info->versions.count && i < AMT_VERSIONS_MAX; i++) {
			const char *dot = strchr(info->versions.v[i].ver, '.');
			char *end;
			long v;

			if (strcmp(info->versions.v[i].desc, "AMT") != 0 || !dot)
				continue;
			v = strtol(dot + 1, &end, 10);
			if (end != dot + 1 && v >= 0 && v < 1000)
				return (int)v;
		}
	}
	if (info->mkhi_item.state == ME_ITEM_OK)
		return info->fw.code.minor;
	return -1;
}

void me_info_merge_state(struct me_info *dst, const struct me_info *src)
{
	dst->amthi_state = src->amthi_state;
	dst->amt_disabled = src->amt_disabled;
	dst->versions_item = src->versions_item;
	dst->versions = src->versions;
	dst->sku = src->sku;
	dst->sku_known = src->sku_known;
	dst->prov_state_item = src->prov_state_item;
	dst->prov_state = src->prov_state;
	dst->prov_mode_item = src->prov_mode_item;
	dst->prov_mode = src->prov_mode;
	dst->legacy_mode = src->legacy_mode;
	dst->control_mode_item = src->control_mode_item;
	dst->control_mode = src->control_mode;
	dst->zero_touch_item = src->zero_touch_item;
	dst->zero_touch = src->zero_touch;
	dst->tls_mode_item = src->tls_mode_item;
	dst->tls_mode = src->tls_mode;
	dst->pki_suffix_item = src->pki_suffix_item;
	memcpy(dst->pki_suffix, src->pki_suffix, sizeof(dst->pki_suffix));
	dst->mkhi_item = src->mkhi_item;
	dst->fw = src->fw;
	dst->wd_item = src->wd_item;
	dst->wd = src->wd;
}

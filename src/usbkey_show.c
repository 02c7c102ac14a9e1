// SPDX-License-Identifier: MIT
/* `usbkey show`: a decoded setup.bin as text or JSON, secrets redacted unless asked. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "setupbin.h"
#include "usbkey_json.h"

static const char *const algo_names[] = { "?", "sha1", "sha256", "sha384" };

static void hex(const uint8_t *p, size_t len, char *out, size_t cap)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len && o + 3 <= cap; i++) {
		out[o++] = digits[p[i] >> 4];
		out[o++] = digits[p[i] & 15];
	}
	out[cap ? o : 0] = 0;
}

static int printable(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return 0;
	return 1;
}

static uint32_t le_number(const uint8_t *p, size_t len)
{
	uint32_t v = 0;

	for (size_t i = len; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

/* 1 when the value is a number of its declared width. */
static int is_number(const struct setupbin_var *v, size_t len)
{
	return v && ((v->vtype == SETUPBIN_U8 && len == 1) || (v->vtype == SETUPBIN_U16 && len == 2) ||
		     (v->vtype == SETUPBIN_U32 && len == 4));
}

/* The value as words: a number, a string, an address, a hash, or hex. */
static void value_text(const struct setupbin_var *v, const uint8_t *p, size_t len, char *out,
		       size_t cap)
{
	const uint8_t *hash;
	const char *name;
	size_t hl, nl;
	unsigned algo;
	char hx[100];

	if (is_number(v, len)) {
		snprintf(out, cap, "%u", (unsigned)le_number(p, len));
	} else if (v && v->vtype == SETUPBIN_IPV4 && len == 4) {
		/* doc/remote-config.md 6.5: stored reversed */
		snprintf(out, cap, "%u.%u.%u.%u", p[3], p[2], p[1], p[0]);
	} else if (v && v->vtype == SETUPBIN_HASH &&
		   setupbin_hash_decode(p, len, &algo, &hash, &hl, &name, &nl, NULL) == 0) {
		hex(hash, hl, hx, sizeof(hx));
		snprintf(out, cap, "%s %s \"%.*s\"", algo_names[algo], hx, (int)nl, name);
	} else if (v && v->vtype == SETUPBIN_STR && printable(p, len)) {
		snprintf(out, cap, "%.*s", (int)len, (const char *)p);
	} else {
		hex(p, len, out, cap);
	}
}

static void text_record(FILE *out, const struct setupbin_header *h,
			const struct setupbin_record *r, uint32_t i, bool secrets)
{
	char val[600];
	bool used = !(h->flags & SETUPBIN_FILE_NO_CONSUME) && i < h->consumed;

	fprintf(out, "record %u of %u%s: %s, %s%s\n", (unsigned)i + 1, (unsigned)h->record_count,
		used ? " (used)" : "", r->type == SETUPBIN_RECORD_DATA ? "data" : "invalid",
		r->flags & SETUPBIN_REC_VALID ? "valid" : "not valid",
		r->flags & SETUPBIN_REC_SCRAMBLED ? ", scrambled" : "");
	for (size_t k = 0; k < r->entry_count; k++) {
		const struct setupbin_entry *en = &r->entries[k];
		const struct setupbin_var *v = setupbin_var_find(en->module, en->var);

		if (v && v->secret && !secrets)
			snprintf(val, sizeof(val), "(secret, %u bytes; --show-secrets shows it)",
				 en->len);
		else
			value_text(v, r->data + en->off, en->len, val, sizeof(val));
		fprintf(out, "  %u/%-3u %s: %s\n", en->module, en->var,
			v ? v->name : "unknown variable", val);
	}
	secret_cleanse(val, sizeof(val));
}

static const char *version_name(const struct setupbin_header *h)
{
	static char buf[16];

	snprintf(buf, sizeof(buf), "%u.%u", h->type, h->minor);
	return buf;
}

/* Decode every record; render each with `fn`; the first error is kept in e. */
static int each_record(const uint8_t *file, size_t len, const struct setupbin_header *h,
		       struct amt_err *e,
		       void (*fn)(void *ctx, uint32_t i, const struct setupbin_record *r,
				  const char *error),
		       void *ctx)
{
	struct setupbin_record *r = malloc(sizeof(*r));
	struct setupbin_err se;
	int ret = 0;

	if (!r)
		return err_set(e, -ENOMEM, "out of memory");
	for (uint32_t i = 0; i < h->record_count; i++) {
		char why[200];

		if (setupbin_record_decode(file, len, h, i, r, &se) < 0) {
			snprintf(why, sizeof(why), "offset %zu: %s", se.offset, se.msg);
			if (ret == 0)
				ret = err_set(e, -EINVAL, "record %u: %s", (unsigned)i + 1, why);
			fn(ctx, i, NULL, why);
			continue;
		}
		fn(ctx, i, r, NULL);
	}
	secret_cleanse(r, sizeof(*r));
	free(r);
	return ret;
}

struct text_ctx {
	FILE *out;
	const struct setupbin_header *h;
	bool secrets;
};

static void text_one(void *ctx, uint32_t i, const struct setupbin_record *r, const char *error)
{
	struct text_ctx *t = ctx;

	if (r)
		text_record(t->out, t->h, r, i, t->secrets);
	else
		fprintf(t->out, "record %u of %u: unreadable: %s\n", (unsigned)i + 1,
			(unsigned)t->h->record_count, error);
}

int usbkey_show_text(FILE *out, const char *name, const uint8_t *file, size_t len,
		     bool secrets, struct amt_err *e)
{
	struct setupbin_header h;
	struct setupbin_err se;
	struct text_ctx t = { out, &h, secrets };

	if (setupbin_header_decode(file, len, &h, &se) < 0)
		return err_set(e, -EINVAL, "%s: offset %zu: %s", name, se.offset, se.msg);
	fprintf(out, "%s: setup.bin version %s, %u records, ", name, version_name(&h),
		(unsigned)h.record_count);
	if (h.flags & SETUPBIN_FILE_NO_CONSUME)
		fprintf(out, "not consumed (every box applies the first record)\n");
	else
		fprintf(out, "%u used, %u left\n", (unsigned)h.consumed,
			(unsigned)setupbin_records_left(&h));
	return each_record(file, len, &h, e, text_one, &t);
}

static cJSON *json_value(const struct setupbin_var *v, const uint8_t *p, size_t len)
{
	const uint8_t *hash;
	const char *name;
	size_t hl, nl;
	unsigned algo;
	char buf[600];
	cJSON *o;

	if (is_number(v, len))
		return cJSON_CreateNumber(le_number(p, len));
	if (v && v->vtype == SETUPBIN_HASH &&
	    setupbin_hash_decode(p, len, &algo, &hash, &hl, &name, &nl, NULL) == 0) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "algorithm", algo_names[algo]);
		hex(hash, hl, buf, sizeof(buf));
		cJSON_AddStringToObject(o, "hash", buf);
		snprintf(buf, sizeof(buf), "%.*s", (int)nl, name);
		cJSON_AddStringToObject(o, "name", buf);
		return o;
	}
	value_text(v, p, len, buf, sizeof(buf));
	o = cJSON_CreateString(buf);
	secret_cleanse(buf, sizeof(buf));
	return o;
}

struct json_ctx {
	cJSON *records;
	const struct setupbin_header *h;
	bool secrets;
};

static void json_one(void *ctx, uint32_t i, const struct setupbin_record *r, const char *error)
{
	struct json_ctx *j = ctx;
	cJSON *o = cJSON_CreateObject(), *arr;

	cJSON_AddItemToArray(j->records, o);
	cJSON_AddNumberToObject(o, "index", i + 1);
	cJSON_AddBoolToObject(o, "used", !(j->h->flags & SETUPBIN_FILE_NO_CONSUME) &&
				       i < j->h->consumed);
	if (!r) {
		cJSON_AddStringToObject(o, "error", error);
		return;
	}
	cJSON_AddNumberToObject(o, "number", r->number);
	cJSON_AddStringToObject(o, "type", r->type == SETUPBIN_RECORD_DATA ? "data" : "invalid");
	cJSON_AddBoolToObject(o, "valid", r->flags & SETUPBIN_REC_VALID);
	cJSON_AddBoolToObject(o, "scrambled", r->flags & SETUPBIN_REC_SCRAMBLED);
	arr = cJSON_AddArrayToObject(o, "entries");
	for (size_t k = 0; k < r->entry_count; k++) {
		const struct setupbin_entry *en = &r->entries[k];
		const struct setupbin_var *v = setupbin_var_find(en->module, en->var);
		cJSON *x = cJSON_CreateObject();

		cJSON_AddItemToArray(arr, x);
		cJSON_AddNumberToObject(x, "module", en->module);
		cJSON_AddNumberToObject(x, "variable", en->var);
		cJSON_AddStringToObject(x, "key", v ? v->key : "unknown");
		cJSON_AddStringToObject(x, "name", v ? v->name : "unknown variable");
		cJSON_AddNumberToObject(x, "length", en->len);
		if (v && v->secret && !j->secrets)
			cJSON_AddBoolToObject(x, "redacted", 1);
		else
			cJSON_AddItemToObject(x, "value", json_value(v, r->data + en->off, en->len));
	}
}

int usbkey_show_json(cJSON **doc, const char *name, const uint8_t *file, size_t len,
		     bool secrets, struct amt_err *e)
{
	struct setupbin_header h;
	struct setupbin_err se;
	struct json_ctx j = { NULL, &h, secrets };
	cJSON *d, *mods;

	*doc = NULL;
	if (setupbin_header_decode(file, len, &h, &se) < 0)
		return err_set(e, -EINVAL, "%s: offset %zu: %s", name, se.offset, se.msg);
	d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "schema_version", USBKEY_SCHEMA_VERSION);
	cJSON_AddStringToObject(d, "file", name);
	cJSON_AddStringToObject(d, "version", version_name(&h));
	cJSON_AddNumberToObject(d, "file_type", h.type);
	cJSON_AddNumberToObject(d, "minor", h.minor);
	cJSON_AddBoolToObject(d, "consume", !(h.flags & SETUPBIN_FILE_NO_CONSUME));
	cJSON_AddNumberToObject(d, "record_count", h.record_count);
	cJSON_AddNumberToObject(d, "consumed", h.consumed);
	cJSON_AddNumberToObject(d, "left", setupbin_records_left(&h));
	mods = cJSON_AddArrayToObject(d, "modules");
	for (size_t i = 0; i < h.module_count; i++)
		cJSON_AddItemToArray(mods, cJSON_CreateNumber(h.modules[i]));
	j.records = cJSON_AddArrayToObject(d, "records");
	*doc = d;
	return each_record(file, len, &h, e, json_one, &j);
}

// SPDX-License-Identifier: MIT
/* The strict JSON walk of a profile: one table per object, every key known, every value checked. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile_int.h"

enum kind {
	K_STR,      /* free text without control characters */
	K_PATH,     /* absolute path */
	K_UINT,     /* integer in [min, max] */
	K_BOOL,
	K_ENUM,     /* one of `names`, stored as an int-sized enum */
	K_OBJ,      /* nested object described by `sub` */
	K_URL,      /* https URL */
	K_PROXY,    /* proxy URL or "direct" */
	K_PINS,     /* one pin or an array of 1..PROFILE_MAX_PINS pins */
	K_DNS,      /* DNS name of at most `max` bytes */
	K_NAME,     /* profile name */
	K_ALPHABET, /* OTP alphabet */
};

struct field {
	const char *key;
	enum kind kind;
	size_t off;               /* into struct profile; K_OBJ: a bool set true, or NO_FLAG */
	unsigned min, max;
	const char *const *names; /* K_ENUM: NULL-terminated, index = enum value */
	const struct field *sub;  /* K_OBJ: table ending with a NULL key */
};

#define NO_FLAG ((size_t)-1)
#define OFF(m) offsetof(struct profile, m)
#define STR_MAX 1024

_Static_assert(sizeof(enum profile_method) == sizeof(int), "enums are stored as int");
_Static_assert(sizeof(enum msg_level) == sizeof(int), "enums are stored as int");
_Static_assert(sizeof(enum profile_delivery) == sizeof(int), "enums are stored as int");

static const char *const method_names[] = { "remote_configuration", "psk", "report_only", NULL };
static const char *const otp_names[] = { "none", "random", "file", "server", NULL };
static const char *const hello_names[] = { "when_not_open", "always", "never", NULL };
static const char *const zt_names[] = { "leave", "disable", "enable", NULL };
static const char *const source_names[] = { "hostname", "hostname_short", "fixed", "ask", NULL };
static const char *const level_names[] = { "error", "warn", "info", "debug", NULL };
static const char *const delivery_names[] = { "spool", "must", NULL };

static const struct field server_fields[] = {
	{ "url", K_URL, OFF(server.url), 0, 2048, NULL, NULL },
	{ "ca_file", K_PATH, OFF(server.ca_file), 0, 0, NULL, NULL },
	{ "pin_sha256", K_PINS, OFF(server.pin_sha256), 0, 0, NULL, NULL },
	{ "client_cert", K_PATH, OFF(server.client_cert), 0, 0, NULL, NULL },
	{ "client_key", K_PATH, OFF(server.client_key), 0, 0, NULL, NULL },
	{ "token_file", K_PATH, OFF(server.token_file), 0, 0, NULL, NULL },
	{ "proxy", K_PROXY, OFF(server.proxy), 0, 2048, NULL, NULL },
	{ "report_cert", K_PATH, OFF(server.report_cert), 0, 0, NULL, NULL },
	{ "connect_timeout_ms", K_UINT, OFF(server.connect_timeout_ms), 100, 120000, NULL, NULL },
	{ "timeout_ms", K_UINT, OFF(server.timeout_ms), 1000, 600000, NULL, NULL },
	{ "max_attempts", K_UINT, OFF(server.max_attempts), 1, 20, NULL, NULL },
	{ "backoff_base_ms", K_UINT, OFF(server.backoff_base_ms), 10, 600000, NULL, NULL },
	{ "backoff_max_ms", K_UINT, OFF(server.backoff_max_ms), 10, 3600000, NULL, NULL },
	{ "first_delay_max_ms", K_UINT, OFF(server.first_delay_max_ms), 0, 600000, NULL, NULL },
	{ NULL, K_STR, 0, 0, 0, NULL, NULL },
};

static const struct field otp_fields[] = {
	{ "policy", K_ENUM, OFF(otp.policy), 0, 0, otp_names, NULL },
	{ "file", K_PATH, OFF(otp.file), 0, 0, NULL, NULL },
	{ "length", K_UINT, OFF(otp.length), PROFILE_OTP_LENGTH_MIN, PROFILE_OTP_LENGTH_MAX,
	  NULL, NULL },
	{ "alphabet", K_ALPHABET, OFF(otp.alphabet), 0, 0, NULL, NULL },
	{ NULL, K_STR, 0, 0, 0, NULL, NULL },
};

static const struct field system_name_fields[] = {
	{ "source", K_ENUM, OFF(system_name.source), 0, 0, source_names, NULL },
	{ "value", K_DNS, OFF(system_name.value), 0, 253, NULL, NULL },
	{ NULL, K_STR, 0, 0, 0, NULL, NULL },
};

static const struct field log_fields[] = {
	{ "level", K_ENUM, OFF(log.level), 0, 0, level_names, NULL },
	{ "file", K_PATH, OFF(log.file), 0, 0, NULL, NULL },
	{ "syslog", K_BOOL, OFF(log.syslog), 0, 0, NULL, NULL },
	{ NULL, K_STR, 0, 0, 0, NULL, NULL },
};

static const struct field root_fields[] = {
	{ "schema", K_UINT, OFF(schema), PROFILE_SCHEMA, PROFILE_SCHEMA, NULL, NULL },
	{ "name", K_NAME, OFF(name), 0, 0, NULL, NULL },
	{ "server", K_OBJ, OFF(server.present), 0, 0, NULL, server_fields },
	{ "method", K_ENUM, OFF(method), 0, 0, method_names, NULL },
	{ "otp", K_OBJ, NO_FLAG, 0, 0, NULL, otp_fields },
	{ "pki_dns_suffix", K_DNS, OFF(pki_dns_suffix), 0, PROFILE_DNS_SUFFIX_MAX, NULL, NULL },
	{ "hello", K_ENUM, OFF(hello), 0, 0, hello_names, NULL },
	{ "key_wait_s", K_UINT, OFF(key_wait_s), 0, 3600, NULL, NULL },
	{ "zero_touch", K_ENUM, OFF(zero_touch), 0, 0, zt_names, NULL },
	{ "enable_amt", K_BOOL, OFF(enable_amt), 0, 0, NULL, NULL },
	{ "ignore_intermediate_errors", K_BOOL, OFF(ignore_intermediate_errors), 0, 0, NULL, NULL },
	{ "check_provision_server", K_BOOL, OFF(check_provision_server), 0, 0, NULL, NULL },
	{ "system_name", K_OBJ, NO_FLAG, 0, 0, NULL, system_name_fields },
	{ "delivery", K_ENUM, OFF(delivery), 0, 0, delivery_names, NULL },
	{ "report_file", K_PATH, OFF(report_file), 0, 0, NULL, NULL },
	{ "spool_dir", K_PATH, OFF(spool_dir), 0, 0, NULL, NULL },
	{ "state_dir", K_PATH, OFF(state_dir), 0, 0, NULL, NULL },
	{ "log", K_OBJ, NO_FLAG, 0, 0, NULL, log_fields },
	{ "lock_timeout_ms", K_UINT, OFF(lock_timeout_ms), 0, 600000, NULL, NULL },
	{ NULL, K_STR, 0, 0, 0, NULL, NULL },
};

static const char *const *const enum_tables[] = {
	method_names, otp_names, hello_names, zt_names, source_names, level_names, delivery_names,
};

static const char *enum_name(int table, int v)
{
	const char *const *names = enum_tables[table];
	int i;

	for (i = 0; names[i]; i++)
		if (i == v)
			return names[i];
	return "?";
}

const char *profile_method_name(enum profile_method m) { return enum_name(0, (int)m); }
const char *profile_otp_policy_name(enum profile_otp_policy o) { return enum_name(1, (int)o); }
const char *profile_hello_name(enum profile_hello h) { return enum_name(2, (int)h); }
const char *profile_zero_touch_name(enum profile_zero_touch z) { return enum_name(3, (int)z); }
const char *profile_name_source_name(enum profile_name_source s) { return enum_name(4, (int)s); }
const char *profile_log_level_name(enum msg_level l) { return enum_name(5, (int)l); }
const char *profile_delivery_name(enum profile_delivery d) { return enum_name(6, (int)d); }

int profile_fail(struct profile_ctx *c, const char *field, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(c->err, c->errlen, "%s: field \"%s\": ", c->origin, field);
	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

static int want(struct profile_ctx *c, const char *field, const cJSON *v, int ok,
		const char *what)
{
	if (ok)
		return 0;
	return profile_fail(c, field, "expected %s, got %s", what, type_name(v));
}

static int store_str(char **dst, const char *s)
{
	char *d = strdup(s);

	if (!d)
		return -ENOMEM;
	free(*dst);
	*dst = d;
	return 0;
}

/* Text fields: not empty, no control characters, bounded. */
static int check_text(struct profile_ctx *c, const char *field, const char *s, size_t max)
{
	size_t i, len = strlen(s);

	if (len == 0)
		return profile_fail(c, field, "must not be empty");
	if (len > max)
		return profile_fail(c, field, "is %zu bytes long, at most %zu allowed", len, max);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return profile_fail(c, field, "contains a control character at byte %zu", i);
	return 0;
}

static int parse_uint(struct profile_ctx *c, const char *field, const cJSON *v,
		      const struct field *f, struct profile *p)
{
	double d = v->valuedouble;
	unsigned u;
	int ret;

	ret = want(c, field, v, cJSON_IsNumber(v), "a number");
	if (ret)
		return ret;
	if (!isfinite(d) || d != floor(d))
		return profile_fail(c, field, "%g is not a whole number", d);
	if (d < f->min || d > f->max) {
		if (f->min == f->max)
			return profile_fail(c, field, "%.15g is not supported (this amtact reads %u)",
					    d, f->min);
		return profile_fail(c, field, "%.15g is out of range (%u..%u)", d, f->min, f->max);
	}
	u = (unsigned)d;
	memcpy((char *)p + f->off, &u, sizeof(u));
	return 0;
}

static int parse_enum(struct profile_ctx *c, const char *field, const cJSON *v,
		      const struct field *f, struct profile *p)
{
	char list[256];
	size_t n = 0;
	int i, ret;

	ret = want(c, field, v, cJSON_IsString(v), "a string");
	if (ret)
		return ret;
	for (i = 0; f->names[i]; i++) {
		if (strcmp(v->valuestring, f->names[i]) == 0) {
			memcpy((char *)p + f->off, &i, sizeof(i));
			return 0;
		}
		ret = snprintf(list + n, sizeof(list) - n, "%s\"%s\"", i ? ", " : "", f->names[i]);
		if (ret > 0 && (size_t)ret < sizeof(list) - n)
			n += (size_t)ret;
	}
	if (check_text(c, field, v->valuestring, 64))
		return profile_fail(c, field, "is not one of %s", list);
	return profile_fail(c, field, "\"%s\" is not one of %s", v->valuestring, list);
}

static int parse_pins(struct profile_ctx *c, const char *field, const cJSON *v,
		      struct profile *p)
{
	char sub[96], why[128];
	const cJSON *e;
	unsigned n = 0;
	int ret;

	if (cJSON_IsString(v)) {
		if (profile_check_pin(v->valuestring, why, sizeof(why)))
			return profile_fail(c, field, "\"%s\" %s", v->valuestring, why);
		p->server.pin_count = 1;
		return store_str(&p->server.pin_sha256[0], v->valuestring);
	}
	ret = want(c, field, v, cJSON_IsArray(v), "a string or an array of strings");
	if (ret)
		return ret;
	if (cJSON_GetArraySize(v) < 1 || cJSON_GetArraySize(v) > PROFILE_MAX_PINS)
		return profile_fail(c, field, "must hold 1..%d pins, has %d", PROFILE_MAX_PINS,
				    cJSON_GetArraySize(v));
	cJSON_ArrayForEach(e, v) {
		snprintf(sub, sizeof(sub), "%s[%u]", field, n);
		ret = want(c, sub, e, cJSON_IsString(e), "a string");
		if (ret)
			return ret;
		if (profile_check_pin(e->valuestring, why, sizeof(why)))
			return profile_fail(c, sub, "\"%s\" %s", e->valuestring, why);
		ret = store_str(&p->server.pin_sha256[n], e->valuestring);
		if (ret)
			return ret;
		p->server.pin_count = ++n;
	}
	return 0;
}

typedef int (*string_check)(const char *s, char *why, size_t whylen);

/* Every string-valued kind: type, text rules, then the kind's own check. */
static int parse_string(struct profile_ctx *c, const char *field, const cJSON *v,
			const struct field *f, struct profile *p)
{
	size_t max = f->max ? f->max : STR_MAX;
	string_check check = NULL;
	char why[160];
	int ret;

	ret = want(c, field, v, cJSON_IsString(v), "a string");
	if (ret)
		return ret;
	if (f->kind == K_PATH)
		max = PATH_MAX - 1;
	ret = check_text(c, field, v->valuestring, max);
	if (ret)
		return ret;
	switch (f->kind) {
	case K_PATH: check = profile_check_path; break;
	case K_URL: check = profile_check_https_url; break;
	case K_PROXY: check = profile_check_proxy; break;
	case K_ALPHABET: check = profile_check_alphabet; break;
	default: break;
	}
	if (f->kind == K_DNS)
		ret = profile_check_dns_name(v->valuestring, max, why, sizeof(why));
	else if (f->kind == K_NAME)
		ret = profile_check_name(v->valuestring);
	else if (check)
		ret = check(v->valuestring, why, sizeof(why));
	if (ret && f->kind == K_NAME)
		return profile_fail(c, field, "\"%s\" is not a valid profile name (letters, digits, "
				    "'.', '_', '-', not starting with '.', '_' or '-', at most "
				    "%d bytes)", v->valuestring, PROFILE_NAME_MAX);
	if (ret)
		return profile_fail(c, field, "\"%s\" %s", v->valuestring, why);
	if (f->kind == K_PROXY && strcmp(v->valuestring, "direct") == 0)
		return store_str((char **)((char *)p + f->off), "");
	return store_str((char **)((char *)p + f->off), v->valuestring);
}

static int parse_object(struct profile_ctx *c, const char *prefix, const cJSON *obj,
			const struct field *table, struct profile *p);

static int parse_value(struct profile_ctx *c, const char *field, const cJSON *v,
		       const struct field *f, struct profile *p)
{
	bool b;
	int ret;

	switch (f->kind) {
	case K_UINT:
		return parse_uint(c, field, v, f, p);
	case K_BOOL:
		ret = want(c, field, v, cJSON_IsBool(v), "true or false");
		if (ret)
			return ret;
		b = cJSON_IsTrue(v);
		memcpy((char *)p + f->off, &b, sizeof(b));
		return 0;
	case K_ENUM:
		return parse_enum(c, field, v, f, p);
	case K_PINS:
		return parse_pins(c, field, v, p);
	case K_OBJ:
		ret = want(c, field, v, cJSON_IsObject(v), "an object");
		if (ret)
			return ret;
		if (f->off != NO_FLAG) {
			b = true;
			memcpy((char *)p + f->off, &b, sizeof(b));
		}
		return parse_object(c, field, v, f->sub, p);
	default:
		return parse_string(c, field, v, f, p);
	}
}

/* Edit distance capped at 3, for "did you mean". */
static unsigned distance(const char *a, const char *b)
{
	unsigned row[40], i, j, prev, tmp, best;
	size_t la = strlen(a), lb = strlen(b);

	if (la >= 40 || lb >= 40)
		return 3;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb] < 3 ? row[lb] : 3;
}

static int unknown_key(struct profile_ctx *c, const char *field, const char *key,
		       const struct field *table)
{
	const struct field *f, *near = NULL;

	for (f = table; f->key; f++)
		if (distance(key, f->key) <= 2 && (!near || distance(key, f->key) <
						     distance(key, near->key)))
			near = f;
	if (near)
		return profile_fail(c, field, "unknown key (did you mean \"%s\"?)", near->key);
	return profile_fail(c, field, "unknown key");
}

static int parse_object(struct profile_ctx *c, const char *prefix, const cJSON *obj,
			const struct field *table, struct profile *p)
{
	const struct field *f;
	const cJSON *v, *w;
	char field[128];
	int ret;

	cJSON_ArrayForEach(v, obj) {
		snprintf(field, sizeof(field), "%s%s%s", prefix, *prefix ? "." : "", v->string);
		for (w = obj->child; w != v; w = w->next)
			if (strcmp(w->string, v->string) == 0)
				return profile_fail(c, field, "appears twice");
		for (f = table; f->key; f++)
			if (strcmp(f->key, v->string) == 0)
				break;
		if (!f->key)
			return unknown_key(c, field, v->string, table);
		ret = parse_value(c, field, v, f, p);
		if (ret)
			return ret;
	}
	return 0;
}

static int syntax_error(struct profile_ctx *c, const char *text, size_t len, const char *end)
{
	size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0, i;
	unsigned line = 1, col = 1;

	for (i = 0; i < off; i++) {
		col++;
		if (text[i] == '\n') {
			line++;
			col = 1;
		}
	}
	snprintf(c->err, c->errlen, "%s: line %u, column %u: not valid JSON", c->origin, line,
		 col);
	return -EINVAL;
}

/* cJSON would cut a string at an escaped NUL and hide the rest of the value: refuse it. */
static int has_escaped_nul(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (text[i] != '\\')
			continue;
		if (text[i + 1] == 'u' && i + 6 <= len && strncmp(text + i + 2, "0000", 4) == 0)
			return 1;
		i++;
	}
	return 0;
}

/* "schema" first: a newer file deserves "unsupported schema", not "unknown key". */
static int parse_root(struct profile_ctx *c, const cJSON *root, struct profile *p)
{
	const cJSON *schema;
	int ret;

	if (!cJSON_IsObject(root)) {
		snprintf(c->err, c->errlen, "%s: expected a JSON object at the top, got %s",
			 c->origin, type_name(root));
		return -EINVAL;
	}
	schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
	if (!schema)
		return profile_fail(c, "schema", "is required (set it to %d)", PROFILE_SCHEMA);
	ret = parse_value(c, "schema", schema, &root_fields[0], p);
	if (ret)
		return ret;
	ret = parse_object(c, "", root, root_fields, p);
	if (ret)
		return ret;
	if (!cJSON_GetObjectItemCaseSensitive(root, "method"))
		return profile_fail(c, "method", "is required (one of \"remote_configuration\", "
				    "\"psk\", \"report_only\")");
	return profile_check_conflicts(p, root, c);
}

int profile_parse(struct profile *p, const char *origin, const char *text, size_t len,
		  char *err, size_t errlen)
{
	struct profile_ctx c = { origin, err, errlen };
	const char *end = NULL;
	cJSON *root = NULL;
	char *copy = NULL;
	int ret = -EINVAL;

	memset(p, 0, sizeof(*p));
	if (errlen)
		err[0] = '\0';
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: contains a NUL byte: not a text file", origin);
		goto out;
	}
	if (has_escaped_nul(text, len)) {
		snprintf(err, errlen, "%s: contains \\u0000 (a NUL character)", origin);
		goto out;
	}
	/* cJSON wants the terminating NUL inside the length to accept the end of input. */
	ret = -ENOMEM;
	copy = malloc(len + 1);
	if (!copy)
		goto out;
	memcpy(copy, text, len);
	copy[len] = '\0';
	root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
	if (!root) {
		ret = syntax_error(&c, copy, len, end ? end : cJSON_GetErrorPtr());
		goto out;
	}
	ret = profile_set_defaults(p);
	if (ret)
		goto out;
	ret = parse_root(&c, root, p);
	if (ret)
		goto out;
	ret = store_str(&p->path, origin);
out:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", origin);
	if (ret)
		profile_free(p);
	cJSON_Delete(root);
	free(copy);
	return ret;
}

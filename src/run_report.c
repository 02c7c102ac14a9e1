// SPDX-License-Identifier: MIT
/* Builds the run's report: machine, ME state, actions; the OTP only in a wipeable buffer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "info_json.h"
#include "os.h"
#include "run_json.h"
#include "run_report.h"
#include "sysinfo.h"

int run_report_new_id(char out[37])
{
	uint8_t b[16];
	int rc = os_random(b, sizeof(b), 0);

	if (rc < 0)
		return rc;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
	return 0;
}

static void fnv(uint64_t *h, const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++) {
		*h ^= b[i];
		*h *= 0x100000001b3ull;
	}
	*h ^= 0xff; /* field separator */
	*h *= 0x100000001b3ull;
}

void run_report_fingerprint(const struct me_info *in, char out[17])
{
	uint64_t h = 0xcbf29ce484222325ull;
	uint32_t v[6] = { in->prov_state, in->control_mode, in->zero_touch,
			  (uint32_t)in->amt_disabled, (uint32_t)in->amthi_state,
			  (uint32_t)me_info_major(in) };

	fnv(&h, in->uuid, sizeof(in->uuid));
	fnv(&h, v, sizeof(v));
	fnv(&h, in->pki_suffix, strlen(in->pki_suffix));
	fnv(&h, &in->fw.code, sizeof(in->fw.code));
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static cJSON *addrs_json(const struct sysinfo_addrs *a)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < a->count; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(a->v[i]));
	return arr;
}

/* [{"name","mac","ipv4":[...],"ipv6":[...]}]; "mac" is null when there is none; "dns_suffix"
   only where the system keeps one per connection (Windows). */
static cJSON *interfaces_json(void)
{
	struct sysinfo_ifaces l;
	cJSON *arr = cJSON_CreateArray();

	sysinfo_interfaces(&l);
	for (size_t i = 0; i < l.count; i++) {
		const struct sysinfo_iface *f = &l.v[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "name", f->name);
		if (f->mac[0])
			cJSON_AddStringToObject(o, "mac", f->mac);
		else
			cJSON_AddNullToObject(o, "mac");
		cJSON_AddItemToObject(o, "ipv4", addrs_json(&f->ipv4));
		cJSON_AddItemToObject(o, "ipv6", addrs_json(&f->ipv6));
		if (f->dns_suffix[0])
			cJSON_AddStringToObject(o, "dns_suffix", f->dns_suffix);
		cJSON_AddItemToArray(arr, o);
	}
	sysinfo_ifaces_free(&l);
	return arr;
}

static cJSON *system_json(const char *system_name)
{
	struct sysinfo_names n;
	cJSON *o = cJSON_CreateObject();

	sysinfo_names(&n);
	cJSON_AddStringToObject(o, "name", system_name ? system_name : "");
	cJSON_AddStringToObject(o, "hostname", n.hostname);
	cJSON_AddStringToObject(o, "fqdn", n.fqdn);
	cJSON_AddStringToObject(o, "dns_suffix", n.dns_suffix);
	cJSON_AddItemToObject(o, "interfaces", interfaces_json());
	return o;
}

/* The report without any secret. Caller frees. */
static cJSON *report_doc(const struct run_report_in *in)
{
	cJSON *doc = cJSON_CreateObject(), *me;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	cJSON_AddNumberToObject(doc, "schema_version", RUN_REPORT_SCHEMA);
	cJSON_AddStringToObject(doc, "report_id", in->report_id);
	cJSON_AddStringToObject(doc, "agent", "amtact " AMTACT_VERSION);
	cJSON_AddStringToObject(doc, "time", stamp);
	cJSON_AddStringToObject(doc, "profile", in->profile);
	cJSON_AddItemToObject(doc, "system", system_json(in->system_name));
	if (in->info) {
		me = info_json(in->info);
		cJSON_DeleteItemFromObject(me, "schema_version");
		cJSON_AddItemToObject(doc, "me", me);
	} else {
		cJSON_AddNullToObject(doc, "me");
	}
	if (in->me_error)
		cJSON_AddStringToObject(doc, "me_error", in->me_error);
	else
		cJSON_AddNullToObject(doc, "me_error");
	cJSON_AddItemToObject(doc, "me_device", run_me_device_json(in->me_device));
	cJSON_AddBoolToObject(doc, "unprovisioned_since_last_run",
			      in->unprovisioned_since_last_run);
	cJSON_AddItemToObject(doc, "identity", run_identity_json(in->facts, in->identity));
	cJSON_AddItemToObject(doc, "changes", run_changes_json(in->changes, in->change_count));
	cJSON_AddItemToObject(doc, "actions", run_actions_json(in->actions, in->action_count));
	cJSON_AddItemToObject(doc, "errors", run_errors_json(in->errors, in->error_count));
	run_checks_json(doc, in->pre, in->checked, in->blocked);
	return doc;
}

/* JSON string escaping for the OTP (printable ASCII only: quote and backslash matter). */
static size_t escaped_len(const struct secret *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->len; i++)
		n += (s->buf[i] == '"' || s->buf[i] == '\\') ? 2 : 1;
	return n;
}

/* The document as sent, with "otp_cms" when the OTP was sealed. NULL: out of memory. */
static char *print_doc(const struct run_report_in *in, const char *otp_cms)
{
	cJSON *doc = report_doc(in);
	char *text = NULL;

	if (doc && (!otp_cms || cJSON_AddStringToObject(doc, "otp_cms", otp_cms)))
		text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	return text;
}

char *run_report_body(const struct run_report_in *in, const struct secret *otp,
		      const char *otp_cms, size_t *len, int *secret)
{
	char *base, *body;
	size_t blen, cap, at;

	*secret = 0;
	base = print_doc(in, otp_cms);
	if (!base)
		return NULL;
	blen = strlen(base);
	if (!otp || otp_cms || otp->len == 0) {
		*len = blen;
		return base;
	}
	/* Splice ,"otp":"..." before the closing brace, in our own buffer only. */
	cap = blen + 10 + escaped_len(otp) + 1;
	body = malloc(cap);
	if (!body) {
		free(base);
		return NULL;
	}
	at = blen - 1;
	memcpy(body, base, at);
	memcpy(body + at, ",\"otp\":\"", 8);
	at += 8;
	for (size_t i = 0; i < otp->len; i++) {
		if (otp->buf[i] == '"' || otp->buf[i] == '\\')
			body[at++] = '\\';
		body[at++] = otp->buf[i];
	}
	memcpy(body + at, "\"}", 3);
	*len = at + 2;
	*secret = 1;
	free(base);
	return body;
}

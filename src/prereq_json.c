// SPDX-License-Identifier: MIT
/* The names side by side and the checks as JSON (include/prereq_json.h). */
#include "diag_int.h"
#include "prereq_json.h"

cJSON *prereq_names_json(const struct diag_ctx *d)
{
	cJSON *o = cJSON_CreateObject();
	const char *lease = d->leases.newest >= 0 ? d->leases.lease[d->leases.newest].path : NULL;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "os_hostname", d->os_host);
	cJSON_AddStringToObject(o, "os_fqdn", d->os_fqdn);
	cJSON_AddStringToObject(o, "pki_dns_suffix", d->pki);
	if (d->pki_set[0])
		cJSON_AddStringToObject(o, "pki_dns_suffix_set", d->pki_set);
	cJSON_AddStringToObject(o, "dhcp_option_15", d->dhcp);
	if (lease)
		cJSON_AddStringToObject(o, "dhcp_lease_file", lease);
	else
		cJSON_AddNullToObject(o, "dhcp_lease_file");
	cJSON_AddStringToObject(o, "os_dns_suffix", d->os);
	cJSON_AddStringToObject(o, "amt_fqdn", d->amt_fqdn);
	cJSON_AddStringToObject(o, "used", d->used);
	cJSON_AddStringToObject(o, "used_from", diag_suffix_source_name(d->src));
	return o;
}

static const char *result_word(enum diag_result r, bool blocking)
{
	if (r == DIAG_FAIL)
		return blocking ? "blocked" : "fail";
	return r == DIAG_WARN ? "warn" : "ok";
}

cJSON *prereq_checks_json(const struct diag_ctx *d, bool blocking)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr && i < d->n; i++) {
		const struct diag_check *c = &d->c[i];
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "id", c->id);
		cJSON_AddStringToObject(e, "check", c->check);
		cJSON_AddStringToObject(e, "result", result_word(c->result, blocking));
		cJSON_AddStringToObject(e, "message", c->message);
		cJSON_AddStringToObject(e, "hint", c->hint);
		cJSON_AddItemToArray(arr, e);
	}
	return arr;
}

/* SPDX-License-Identifier: MIT */
/* What the operating system says about the machine's names and network, for the report. */
#ifndef AMTACT_SYSINFO_H
#define AMTACT_SYSINFO_H

#include <cjson/cJSON.h>

#define SYSINFO_NAME_MAX 256

struct sysinfo_names {
	char hostname[SYSINFO_NAME_MAX];    /* as the kernel has it (may be an FQDN) */
	char short_name[SYSINFO_NAME_MAX];  /* hostname without the domain */
	char fqdn[SYSINFO_NAME_MAX];        /* canonical name from the resolver, or hostname */
	char dns_suffix[SYSINFO_NAME_MAX];  /* FQDN domain, else resolv.conf domain/search */
};

/* Fill the names; never fails (missing parts are empty strings). */
void sysinfo_names(struct sysinfo_names *n);

/*
 * The domain and search lists of a resolv.conf file ("domain" first, then the first
 * "search" entry) into out; "" if none. Exposed for tests.
 */
void sysinfo_resolv_domain(const char *path, char *out, size_t cap);

/*
 * The network interfaces (not loopback) as a JSON array of
 * {"name","mac","ipv4":[...],"ipv6":[...]}. Caller frees.
 */
cJSON *sysinfo_interfaces_json(void);

#endif

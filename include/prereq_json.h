/* SPDX-License-Identifier: MIT */
/* The names side by side and the checks (prereq.h) as JSON, for diagnose, run and the report. */
#ifndef AMTACT_PREREQ_JSON_H
#define AMTACT_PREREQ_JSON_H

#include <stdbool.h>

#include <cjson/cJSON.h>

struct diag_ctx;

/*
 * {"os_hostname", "os_fqdn", "os_dns_suffix", "amt_fqdn", "pki_dns_suffix", "pki_dns_suffix_set",
 * "dhcp_option_15", "dhcp_lease_file", "used", "used_from"}: "used" is the suffix the
 * firmware will use, "used_from" where it comes from. NULL on out of memory.
 */
cJSON *prereq_names_json(const struct diag_ctx *d);

/*
 * [{"id", "check", "result", "message", "hint"}]: result "ok", "warn", or for a failed
 * check "blocked" when `blocking` (run, about to act) else "fail".
 */
cJSON *prereq_checks_json(const struct diag_ctx *d, bool blocking);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The facts that decide whether `amtact run` has something new to report, and what
 * changed (old -> new). The list is short and fixed on purpose: a boot where none of them
 * changed (and nothing was done) is quiet, so the quiet path needs to read only these.
 */
#ifndef AMTACT_RUN_FACTS_H
#define AMTACT_RUN_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "me.h"
#include "medev.h"

/* In the order they are listed in "changes". */
enum run_fact {
	RUN_FACT_AMT = 0,        /* ME: "enabled", "disabled", "absent" (no AMT), "unreadable",
				    or no ME device: "no_me", "no_me_driver", "no_me_device" */
	RUN_FACT_ME_UUID,        /* ME: GET_UUID */
	RUN_FACT_AMT_VERSION,    /* ME: GET_CODE_VERSIONS, the "AMT" entry */
	RUN_FACT_PROV_STATE,     /* ME: "pre" / "in" / "post" */
	RUN_FACT_CONTROL_MODE,   /* ME: "none" / "ccm" / "acm" */
	RUN_FACT_ZERO_TOUCH,     /* ME: "enabled" / "disabled" */
	RUN_FACT_PKI_SUFFIX,     /* ME: the PKI DNS suffix */
	RUN_FACT_AMT_FQDN,       /* ME: GET_FQDN, the name AMT answers to */
	RUN_FACT_AMT_IP,         /* ME: the wired LAN interface's IPv4 address */
	RUN_FACT_HOSTNAME,       /* OS: host name */
	RUN_FACT_FQDN,           /* OS: fully qualified name */
	RUN_FACT_IPV4,           /* OS: IPv4 addresses of the interfaces, sorted, ", " */
	RUN_FACT_MAC,            /* OS: MACs of the interfaces with an IPv4 address, sorted */
	RUN_FACT_SMBIOS_UUID,    /* OS: SMBIOS system UUID */
	RUN_FACT_COUNT
};

/* "amt", "me_uuid", "amt_version", "provisioning_state", "control_mode", "zero_touch",
 * "pki_dns_suffix", "amt_fqdn", "amt_ip", "hostname", "fqdn", "ipv4", "mac",
 * "smbios_uuid": the stable key of a fact (state file, report, --json), or NULL. */
const char *run_fact_key(enum run_fact f);

/* Whether the fact is read from the ME (else from the operating system). */
bool run_fact_from_me(enum run_fact f);

#define RUN_FACT_LEN 512 /* longer values (many addresses) are cut, the same way each time */

struct run_facts {
	bool known;                          /* filled (a state file may have none) */
	char v[RUN_FACT_COUNT][RUN_FACT_LEN]; /* "" when the fact is unknown or empty */
};

/*
 * Fill every fact: the ME's from `in` as `me_rc` (0, -ENODATA AMT disabled, -ENOTTY no AMT,
 * other: unreadable, in may then be NULL) left it, the OS's read now. Never fails.
 */
void run_facts_collect(struct run_facts *f, int me_rc, const struct me_info *in);

/* There was no ME device to open: the "amt" fact says why (run_fact values above). */
void run_facts_no_device(struct run_facts *f, enum medev_absence why);

/* One fact that differs: pointers into the two run_facts compared. */
struct run_fact_change {
	enum run_fact fact;
	const char *old;
	const char *now;
};

/*
 * The facts that differ between old and now, in enum order, into out (room for
 * RUN_FACT_COUNT). None when old is not known (a first run, or an older state file).
 */
size_t run_facts_diff(const struct run_facts *old, const struct run_facts *now,
		      struct run_fact_change out[RUN_FACT_COUNT]);

/* The machine's two identities side by side: the SMBIOS system UUID and the ME's. */
enum run_identity {
	RUN_IDENTITY_OK = 0,       /* the same, or only one of them known */
	RUN_IDENTITY_PLACEHOLDER,  /* the ME's UUID is a placeholder (zeros, ff, known one) */
	RUN_IDENTITY_DIFFER,       /* both known, and they differ */
};

/* Compare them; in (may be NULL) is what the facts were collected from. */
enum run_identity run_facts_identity(const struct run_facts *f, const struct me_info *in);

/* NULL, "me_uuid_placeholder", "uuids_differ": the flag in the report and --json. */
const char *run_identity_flag(enum run_identity id);

/* Words for people (the report's "problem", the text), or NULL for RUN_IDENTITY_OK. */
const char *run_identity_text(enum run_identity id);

#endif

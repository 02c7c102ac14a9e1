/* SPDX-License-Identifier: MIT */
/* The DNS side of `amtact diagnose`: which suffix the firmware uses, DHCP leases, domain rules. */
#ifndef AMTACT_DIAG_H
#define AMTACT_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define DIAG_NAME_MAX 256
#define DIAG_PATH_MAX 512
#define DIAG_LEASES_MAX 16
#define DIAG_ADDRS_MAX 4
#define DIAG_RESOLVE_TIMEOUT_MS 5000

/*
 * Where the OS keeps its DHCP leases, as a colon-separated list of glob(7) patterns.
 * AMTACT_DHCP_LEASES (same syntax) replaces the whole list.
 */
#define DIAG_DHCP_LEASES_DEFAULT \
	"/var/lib/dhcp/dhclient*.leases:/var/lib/dhclient/*.leases:" \
	"/run/systemd/netif/leases/*:/var/lib/NetworkManager/*.lease"
#define DIAG_DHCP_LEASES_ENV "AMTACT_DHCP_LEASES"

/* Where the suffix the firmware uses comes from (doc/remote-config.md 2.1, 3.1 rule 4). */
enum diag_suffix_source {
	DIAG_SUFFIX_NONE = 0,   /* neither: AMT asks for bare "ProvisionServer" */
	DIAG_SUFFIX_PKI,        /* the PKI DNS suffix set in the ME (MEBx, USB or set-suffix) */
	DIAG_SUFFIX_DHCP,       /* DHCP option 15 */
};

/*
 * The firmware's suffix: `pki` if non-empty, else `dhcp` (either may be NULL), normalised
 * (lower case, no trailing dot) into out ("" for none). Returns where it came from.
 */
enum diag_suffix_source diag_pick_suffix(const char *pki, const char *dhcp, char *out,
					 size_t cap);

/* "pki_dns_suffix", "dhcp_option_15" or "none". */
const char *diag_suffix_source_name(enum diag_suffix_source src);

/* Lower case, no trailing dot, surrounding blanks removed, into out (truncated to cap). */
void diag_normalise(const char *in, char *out, size_t cap);

/*
 * The domain name in one lease file: dhclient's `option domain-name "x";` (dhclient,
 * NetworkManager with dhclient) or `DOMAINNAME=x` (systemd-networkd, NetworkManager's
 * internal client). The last one in the file wins (dhclient appends newer leases).
 * Returns 0 (out set), -ENODATA (the file names no domain) or a negative errno from open.
 */
int diag_lease_domain(const char *path, char *out, size_t cap);

struct diag_lease {
	char path[DIAG_PATH_MAX];
	char domain[DIAG_NAME_MAX];   /* "" when the lease carries no option 15 */
	time_t mtime;
};

struct diag_leases {
	size_t count;                 /* lease files found (at most DIAG_LEASES_MAX) */
	struct diag_lease lease[DIAG_LEASES_MAX];
	int newest;                   /* index of the newest lease with a domain, or -1 */
	bool differ;                  /* leases name different domains */
};

/*
 * Read every regular file matching the colon-separated glob patterns (NULL: the
 * AMTACT_DHCP_LEASES environment variable, else DIAG_DHCP_LEASES_DEFAULT). Never fails;
 * unreadable files are skipped.
 */
void diag_dhcp_scan(const char *patterns, struct diag_leases *out);

/* true if `name` is `suffix` or ends with "." + suffix (whole labels, case-insensitive). */
bool diag_name_under(const char *name, const char *suffix);

/*
 * Labels the extended top-level-domain rule keeps for `name`'s TLD (doc/remote-config.md 3.1, TLD
 * table: 2 for com/net/org/..., 3 for uk/fr/co/...), or 0 for an unlisted TLD.
 */
int diag_tld_depth(const char *name);

/* How a certificate name covers the suffix the firmware uses (doc/remote-config.md 3.1 rules 4, 4a, 4b). */
enum diag_domain_match {
	DIAG_DOMAIN_NONE = 0,
	DIAG_DOMAIN_SUFFIX,    /* the suffix is the name or a whole-label suffix of it */
	DIAG_DOMAIN_WILDCARD,  /* "*.x": the suffix is x or a whole-label suffix of x */
	DIAG_DOMAIN_TLD_RULE,  /* same registered domain at the TLD's depth (4b) */
};

/* Whether the certificate identifier `cert_name` (CN or DNS SAN) covers `suffix`. */
enum diag_domain_match diag_domain_match(const char *suffix, const char *cert_name);

/* diag_resolve() and diag_dhcp_scan() are the port layer's (src/os/posix_dns.c,
   src/os/windows_dns.c); the rest of this header is src/diag_dns.c's. */
#define DIAG_RESOLVE_NOT_STARTED (-100000) /* rc when the lookup could not be started */
struct diag_resolve {
	int rc;              /* 0 resolved, else an EAI_* code (EAI_AGAIN on timeout) */
	bool timed_out;
	size_t addr_count;   /* addresses kept (at most DIAG_ADDRS_MAX) */
	char addr[DIAG_ADDRS_MAX][48];
};

/*
 * Resolve `name` through the system resolver (getaddrinfo, so /etc/hosts and nsswitch
 * apply), waiting at most timeout_ms. Blocks up to that long. Returns 0 or -ENOMEM/-EAGAIN
 * when the lookup could not be started; the answer is in *out.
 */
int diag_resolve(const char *name, int timeout_ms, struct diag_resolve *out);

/* Add one address in text form to out unless it is there already or out is full. */
void diag_resolve_keep(struct diag_resolve *out, const char *addr);

/* Why a lookup failed, in the resolver's words ("no answer in time" on a timeout). */
const char *diag_resolve_error(const struct diag_resolve *r);

#endif

/* SPDX-License-Identifier: MIT */
/* What `amtact diagnose` collected and the checks it judged, shared by its two source files. */
#ifndef AMTACT_DIAG_INT_H
#define AMTACT_DIAG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "certcheck.h"
#include "diag.h"
#include "me.h"
#include "sysinfo.h"
#include "usbdev.h"

enum diag_result { DIAG_OK = 0, DIAG_WARN, DIAG_FAIL };

#define DIAG_CHECKS_MAX 96

struct diag_check {
	const char *check;      /* stable check name ("root_hash") */
	const char *id;         /* stable cause code for warn/fail, the check name for ok */
	enum diag_result result;
	char message[640];
	char hint[320];
};

struct diag_ctx {
	const struct me_info *in;       /* NULL: no firmware facts (unit tests) */
	int major;                      /* AMT major version, -1 unknown */
	time_t now;
	char pki[DIAG_NAME_MAX];        /* ME PKI DNS suffix, normalised */
	bool pki_unreadable;
	char pki_set[DIAG_NAME_MAX];    /* the suffix the caller is about to set, or "" */
	char amt_fqdn[DIAG_NAME_MAX];
	char os_host[DIAG_NAME_MAX];    /* OS host name */
	char os_fqdn[DIAG_NAME_MAX];    /* OS FQDN (the resolver's canonical name) */
	char os[DIAG_NAME_MAX];         /* OS DNS suffix */
	struct diag_leases leases;
	char dhcp[DIAG_NAME_MAX];       /* newest lease's option 15 */
	char used[DIAG_NAME_MAX];       /* the suffix the firmware uses */
	enum diag_suffix_source src;
	const char *server_fqdn;        /* --server-fqdn, or NULL */
	char ps_name[DIAG_NAME_MAX + 32]; /* the name looked up */
	struct diag_resolve ps;
	bool ps_checked;
	const struct certcheck_chain *chain; /* --cert-chain, or NULL */
	const struct amt_certhash *hashes;   /* the readable firmware hash entries */
	size_t hash_count;
	bool hashes_known;
	size_t n;
	struct diag_check c[DIAG_CHECKS_MAX];
};

/* Append a check; the message is printf-formatted. Extra checks beyond the max are dropped. */
void diag_add(struct diag_ctx *d, enum diag_result r, const char *check, const char *id,
	      const char *hint, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* The DNS checks: suffix choice and mismatches, --server-fqdn, ProvisionServer lookup. */
void diag_check_suffixes(struct diag_ctx *d);
void diag_check_provision_server(struct diag_ctx *d, int timeout_ms);

/*
 * The network path: the OS's default route on a USB Ethernet adapter while the ME's own
 * wired LAN (d->in) has no link fails (check "network_path", id "usb_nic_only").
 */
void diag_check_network_path(struct diag_ctx *d, const struct usbdev_net *net);

/* The certificate checks (d->chain set): validity, EKU, OID/OU, domain, path, hash, crypto. */
void diag_check_chain(struct diag_ctx *d);

#endif

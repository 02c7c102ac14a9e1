/* SPDX-License-Identifier: MIT */
/*
 * What must hold before remote configuration can work on this box, and the names the
 * firmware and the OS use, side by side: shared by `run` (before it acts) and `diagnose`.
 */
#ifndef AMTACT_PREREQ_H
#define AMTACT_PREREQ_H

#include <stdbool.h>
#include <stddef.h>

#include "me.h"
#include "profile.h"

struct diag_ctx; /* the checks and names (src/diag_int.h) */

/* What the caller is about to ask of the box. */
struct prereq_want {
	enum profile_method method;          /* diagnose: remote configuration */
	enum profile_zero_touch zero_touch;  /* what the profile does to zero touch */
	const char *pki_dns_suffix;          /* the suffix the profile sets, or NULL */
};

/*
 * The names side by side into d: the OS host name, FQDN and DNS suffix, the AMT FQDN, the
 * PKI DNS suffix in the ME, DHCP option 15 from the OS's lease files, and the suffix the
 * firmware will use (set_suffix when the caller is about to set one, else the ME's, else
 * option 15). Never fails; missing names are empty.
 */
void prereq_names(struct diag_ctx *d, const struct me_info *in, const char *set_suffix);

/*
 * The prerequisite checks, added to d->c with stable ids (man/amtact.8, PREREQUISITES):
 * remote configuration (zero touch) on, the provisioning method the firmware knows, the
 * wired LAN up with DHCP. A check that fails (DIAG_FAIL) blocks: whatever is asked, the
 * box will not be provisioned. d must have been filled by prereq_names() (and d->in set).
 */
void prereq_check(struct diag_ctx *d, const struct me_info *in, const struct prereq_want *w);

/* The first check that blocks (DIAG_FAIL), or -1. */
int prereq_first_blocking(const struct diag_ctx *d);

/* A d freshly allocated (zeroed), or NULL. Free with free(). */
struct diag_ctx *prereq_ctx_new(void);

#endif

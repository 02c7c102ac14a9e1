/* SPDX-License-Identifier: MIT */
/* Internal contract between src/profile*.c: the message context and the value checks. */
#ifndef AMTACT_PROFILE_INT_H
#define AMTACT_PROFILE_INT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "profile.h"

/* Where a message goes and which file it is about. */
struct profile_ctx {
	const char *origin;
	char *err;
	size_t errlen;
};

/* Writes "<origin>: field \"<field>\": <reason>" and returns -EINVAL. */
int profile_fail(struct profile_ctx *c, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Value checks: 0, or -EINVAL with a reason (no file or field name) in `why`. */
int profile_check_https_url(const char *s, char *why, size_t whylen);
int profile_check_proxy(const char *s, char *why, size_t whylen);
int profile_check_pin(const char *s, char *why, size_t whylen);
int profile_check_alphabet(const char *s, char *why, size_t whylen);
int profile_check_path(const char *s, char *why, size_t whylen);

/* Cross-field rules and method-dependent defaults, after every field parsed alone. */
int profile_check_conflicts(struct profile *p, const cJSON *root, struct profile_ctx *c);

/* Fills the defaults that do not depend on other fields. 0 or -ENOMEM. */
int profile_set_defaults(struct profile *p);

#endif

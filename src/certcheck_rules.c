// SPDX-License-Identifier: MIT
/*
 * The firmware's rules on a described certificate (include/certcheck.h): validity times and
 * the hash table lookup. Plain data, no OpenSSL: diagnose applies them in the agent, while
 * reading the chain (certcheck.c) is in the crypto module.
 */
#include <string.h>

#include "certcheck.h"

enum certcheck_validity certcheck_validity(const struct certcheck_cert *c, time_t now,
					   int warn_days)
{
	if (now < c->not_before)
		return CERTCHECK_NOT_YET_VALID;
	if (now > c->not_after)
		return CERTCHECK_EXPIRED;
	if (c->not_after - now < (time_t)warn_days * 86400)
		return CERTCHECK_EXPIRING;
	return CERTCHECK_VALID;
}

static bool zero_tail(const uint8_t *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i])
			return false;
	return true;
}

static bool hash_matches(const struct certcheck_cert *c, const struct amt_certhash *h)
{
	const char *alg = amthi_hash_name(h->algorithm);

	if (!alg)
		return false;
	if (strcmp(alg, "sha1") == 0)
		return memcmp(h->hash, c->sha1, sizeof(c->sha1)) == 0;
	if (strcmp(alg, "sha256") == 0)
		return memcmp(h->hash, c->sha256, sizeof(c->sha256)) == 0;
	if (strcmp(alg, "sha512") == 0 && memcmp(h->hash, c->sha512, sizeof(c->sha512)) == 0)
		return true;
	/* Value 3 is SHA-384 to rpc-go (doc/firmware.md 10.4): a 48-byte hash, zero-padded. */
	return h->algorithm == 3 && zero_tail(h->hash, 48, 64) &&
	       memcmp(h->hash, c->sha384, sizeof(c->sha384)) == 0;
}

enum certcheck_hash_state certcheck_hash_lookup(const struct certcheck_cert *c,
						const struct amt_certhash *table, size_t count,
						size_t *index)
{
	enum certcheck_hash_state best = CERTCHECK_HASH_MISSING;

	for (size_t i = 0; i < count; i++) {
		enum certcheck_hash_state s;

		if (!hash_matches(c, &table[i]))
			continue;
		s = table[i].is_active ? CERTCHECK_HASH_ACTIVE : CERTCHECK_HASH_INACTIVE;
		if (s > best) {
			best = s;
			if (index)
				*index = i;
		}
	}
	return best;
}

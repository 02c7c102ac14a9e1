// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the DHCP lease reader of `diagnose` (diag_lease_domain, dhclient and
 * systemd-networkd formats; a lease is data from the network) and the name rules the
 * domain found there meets (diag_normalise, diag_domain_match, diag_name_under,
 * diag_tld_depth, diag_pick_suffix). Input: the lease file's bytes; its first line is also
 * a certificate name matched against the suffix read. Invariants: 0 or -ENODATA; a found
 * domain is a plain lower-case name (letters, digits, '-', '.') that fits the buffer.
 */
#include <errno.h>
#include <string.h>

#include "diag.h"
#include "fuzzlib.h"

static void check_plain(const char *s)
{
	for (; *s; s++)
		FUZZ_CHECK((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
			   *s == '.');
}

static void check_rules(const char *suffix, const char *cert_name)
{
	char norm[DIAG_NAME_MAX], picked[DIAG_NAME_MAX], small[8];
	enum diag_domain_match m;
	int depth;

	diag_normalise(cert_name, norm, sizeof(norm));
	FUZZ_CHECK(fuzz_terminated(norm, sizeof(norm)));
	diag_normalise(cert_name, small, sizeof(small));
	FUZZ_CHECK(fuzz_terminated(small, sizeof(small)));
	m = diag_domain_match(suffix, cert_name);
	FUZZ_CHECK(m >= DIAG_DOMAIN_NONE && m <= DIAG_DOMAIN_TLD_RULE);
	depth = diag_tld_depth(cert_name);
	FUZZ_CHECK(depth == 0 || depth == 2 || depth == 3);
	diag_name_under(cert_name, suffix);
	diag_name_under(suffix, cert_name);
	FUZZ_CHECK(diag_pick_suffix(cert_name, suffix, picked, sizeof(picked)) <=
		   DIAG_SUFFIX_DHCP);
	FUZZ_CHECK(fuzz_terminated(picked, sizeof(picked)));
	FUZZ_CHECK(diag_suffix_source_name(diag_pick_suffix(NULL, suffix, small,
							    sizeof(small))) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path("dhclient.leases");
	char out[DIAG_NAME_MAX], tiny[6], *first;
	const uint8_t *rest;
	size_t rest_len;
	int ret;

	fuzz_write_file(path, data, size);
	ret = diag_lease_domain(path, out, sizeof(out));
	FUZZ_CHECK(ret == 0 || ret == -ENODATA);
	FUZZ_CHECK(fuzz_terminated(out, sizeof(out)));
	if (ret == 0) {
		FUZZ_CHECK(out[0] != '\0');
		check_plain(out);
	}
	ret = diag_lease_domain(path, tiny, sizeof(tiny));
	FUZZ_CHECK(ret == 0 || ret == -ENODATA);
	FUZZ_CHECK(fuzz_terminated(tiny, sizeof(tiny)));
	fuzz_split(data, size, &first, &rest, &rest_len);
	check_rules(out, first);
	free(first);
	return 0;
}

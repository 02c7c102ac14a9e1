// SPDX-License-Identifier: MIT
/* The judgements of `amtact diagnose`: each firmware rule (doc/remote-config.md 2.1, 3.1) as ok/warn/fail. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag_int.h"

#define EXPIRY_WARN_DAYS 30

void diag_add(struct diag_ctx *d, enum diag_result r, const char *check, const char *id,
	      const char *hint, const char *fmt, ...)
{
	struct diag_check *c;
	va_list ap;

	if (d->n >= DIAG_CHECKS_MAX)
		return;
	c = &d->c[d->n++];
	c->check = check;
	c->id = r == DIAG_OK ? check : id;
	c->result = r;
	snprintf(c->hint, sizeof(c->hint), "%s", hint ? hint : "");
	va_start(ap, fmt);
	vsnprintf(c->message, sizeof(c->message), fmt, ap);
	va_end(ap);
}

static const char *shown(const char *s)
{
	return s && s[0] ? s : "(none)";
}

static void check_selection(struct diag_ctx *d)
{
	static const char *const fix = "set option 15 (domain name) on the DHCP server, or the PKI "
				       "DNS suffix with amtact set-suffix DOMAIN";

	if (d->pki_unreadable)
		diag_add(d, DIAG_WARN, "pki_suffix", "pki_suffix_unreadable", "amtact info shows "
			 "what the firmware answered", "the ME did not give its PKI DNS suffix; "
			 "assuming none is set");
	if (d->src == DIAG_SUFFIX_PKI && d->pki_set[0] && strcmp(d->pki_set, d->pki) != 0) {
		diag_add(d, DIAG_OK, "dns_suffix", NULL, NULL, "the firmware will use the PKI DNS "
			 "suffix \"%s\" the profile sets (DHCP option 15 only counts when it is "
			 "empty)", d->used);
	} else if (d->src == DIAG_SUFFIX_PKI) {
		diag_add(d, DIAG_OK, "dns_suffix", NULL, NULL, "the firmware uses the PKI DNS suffix "
			 "\"%s\" set in the ME (DHCP option 15 only counts when it is empty)", d->used);
	} else if (d->src == DIAG_SUFFIX_DHCP) {
		diag_add(d, DIAG_OK, "dns_suffix", NULL, "AMT takes option 15 from its own DHCP "
			 "exchange on the wired NIC; the OS lease is the evidence we have",
			 "no PKI DNS suffix is set: the firmware uses DHCP option 15 \"%s\" (%s)",
			 d->used, d->leases.lease[d->leases.newest].path);
	} else if (d->leases.count) {
		diag_add(d, DIAG_FAIL, "dns_suffix", "dns_suffix_missing", fix, "no PKI DNS suffix "
			 "and the DHCP lease (%s) has no option 15: AMT looks up a bare "
			 "\"ProvisionServer\" and no certificate can match an empty suffix",
			 d->leases.lease[0].path);
	} else {
		diag_add(d, DIAG_WARN, "dns_suffix", "dns_suffix_unknown", "AMTACT_DHCP_LEASES "
			 "names lease files in other places; or set the PKI DNS suffix with amtact "
			 "set-suffix DOMAIN", "no PKI DNS suffix and no DHCP lease file found: the "
			 "firmware uses whatever option 15 its own DHCP exchange brings");
	}
}

static void check_mismatches(struct diag_ctx *d)
{
	if (!d->used[0])
		return;
	if (strcmp(d->os, d->used) == 0)
		diag_add(d, DIAG_OK, "os_suffix", NULL, NULL, "the OS DNS suffix is the same, \"%s\"",
			 d->os);
	else if (!d->os[0])
		diag_add(d, DIAG_WARN, "os_suffix", "dns_suffix_mismatch", "the provisioning server "
			 "and the certificate must fit the firmware's suffix, not the OS's",
			 "the OS has no DNS suffix; the firmware uses \"%s\"", d->used);
	else
		diag_add(d, DIAG_WARN, "os_suffix", "dns_suffix_mismatch", "the provisioning server "
			 "and the certificate must fit the firmware's suffix, not the OS's",
			 "the OS DNS suffix \"%s\" differs from the suffix the firmware uses, \"%s\"",
			 d->os, d->used);
	if (d->src == DIAG_SUFFIX_PKI && d->dhcp[0] && strcmp(d->dhcp, d->used) != 0)
		diag_add(d, DIAG_WARN, "dhcp_suffix", "dhcp_suffix_mismatch", "the firmware tries "
			 "ProvisionServer.<DHCP suffix> only when the PKI suffix's lookup fails",
			 "DHCP option 15 \"%s\" differs from the PKI DNS suffix \"%s\"", d->dhcp,
			 d->used);
	if (d->leases.differ)
		diag_add(d, DIAG_WARN, "dhcp_suffix", "dhcp_suffix_mismatch", "AMTACT_DHCP_LEASES "
			 "limits which lease files are read", "the DHCP lease files name different "
			 "domains; the newest (%s) was taken", d->leases.lease[d->leases.newest].path);
	if (d->amt_fqdn[0] && !diag_name_under(d->amt_fqdn, d->used))
		diag_add(d, DIAG_WARN, "amt_fqdn", "amt_fqdn_mismatch", "the provisioning server "
			 "may reach the box under its AMT FQDN", "the AMT FQDN \"%s\" is not under "
			 "\"%s\"", d->amt_fqdn, d->used);
}

static void check_server_fqdn(struct diag_ctx *d)
{
	if (!d->server_fqdn)
		return;
	if (d->used[0] && diag_name_under(d->server_fqdn, d->used) &&
	    strlen(d->server_fqdn) > strlen(d->used))
		diag_add(d, DIAG_OK, "server_fqdn", NULL, NULL, "%s is under \"%s\"", d->server_fqdn,
			 d->used);
	else
		diag_add(d, DIAG_FAIL, "server_fqdn", "server_fqdn_outside_suffix", "name the "
			 "server in the firmware's domain or change the suffix (amtact set-suffix)",
			 "%s is not a name under the suffix the firmware uses (\"%s\")",
			 d->server_fqdn, d->used);
}

void diag_check_suffixes(struct diag_ctx *d)
{
	check_selection(d);
	check_mismatches(d);
	check_server_fqdn(d);
}

static void addr_list(const struct diag_resolve *r, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < r->addr_count && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", r->addr[i]);
}

static int lookup(const char *name, int timeout_ms, struct diag_resolve *r)
{
	if (diag_resolve(name, timeout_ms, r) != 0) {
		r->rc = DIAG_RESOLVE_NOT_STARTED;
		return -1;
	}
	return r->rc == 0 ? 0 : -1;
}

static const char *why(const struct diag_resolve *r)
{
	return diag_resolve_error(r);
}

void diag_check_provision_server(struct diag_ctx *d, int timeout_ms)
{
	struct diag_resolve fb;
	char addrs[256], fb_name[DIAG_NAME_MAX + 32];

	snprintf(d->ps_name, sizeof(d->ps_name), "ProvisionServer%s%s", d->used[0] ? "." : "",
		 d->used);
	d->ps_checked = true;
	if (lookup(d->ps_name, timeout_ms, &d->ps) == 0) {
		addr_list(&d->ps, addrs, sizeof(addrs));
		if (d->used[0])
			diag_add(d, DIAG_OK, "provision_server", NULL, NULL, "%s resolves to %s",
				 d->ps_name, addrs);
		else
			diag_add(d, DIAG_WARN, "provision_server", "provision_server_bare", "give "
				 "the box a DNS suffix; most DNS servers ignore single-label names",
				 "with no suffix AMT looks up bare \"ProvisionServer\"; here it "
				 "resolves to %s", addrs);
		return;
	}
	snprintf(fb_name, sizeof(fb_name), "ProvisionServer.%s", d->dhcp);
	if (d->src == DIAG_SUFFIX_PKI && d->dhcp[0] && strcmp(d->dhcp, d->used) != 0 &&
	    lookup(fb_name, timeout_ms, &fb) == 0) {
		addr_list(&fb, addrs, sizeof(addrs));
		diag_add(d, DIAG_WARN, "provision_server", "provision_server_unresolvable",
			 "add ProvisionServer to the PKI suffix's DNS zone", "%s does not resolve "
			 "(%s); the firmware falls back to %s, which resolves to %s", d->ps_name,
			 why(&d->ps), fb_name, addrs);
		return;
	}
	diag_add(d, DIAG_FAIL, "provision_server", "provision_server_unresolvable", "add a DNS "
		 "record (or alias) for it, or enter the server's IP in MEBx", "%s does not "
		 "resolve (%s): the box cannot find the provisioning server", d->ps_name,
		 why(&d->ps));
}

static void day(time_t t, char out[16])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 16, "%Y-%m-%d", &tm))
		snprintf(out, 16, "?");
}

static void check_validity(struct diag_ctx *d, const struct certcheck_cert *c)
{
	char nb[16], na[16];

	day(c->not_before, nb);
	day(c->not_after, na);
	switch (certcheck_validity(c, d->now, EXPIRY_WARN_DAYS)) {
	case CERTCHECK_EXPIRED:
		diag_add(d, DIAG_FAIL, "cert_validity", "cert_expired", "renew it and install "
			 "the new chain on the provisioning server", "certificate %d (%s) expired "
			 "on %s", c->file_index, c->subject, na);
		break;
	case CERTCHECK_NOT_YET_VALID:
		diag_add(d, DIAG_FAIL, "cert_validity", "cert_not_yet_valid", "check the issuing "
			 "CA's clock and this machine's", "certificate %d (%s) is valid only from "
			 "%s", c->file_index, c->subject, nb);
		break;
	case CERTCHECK_EXPIRING:
		diag_add(d, DIAG_WARN, "cert_validity", "cert_expiring", "renew it soon",
			 "certificate %d (%s) expires on %s, within %d days", c->file_index,
			 c->subject, na, EXPIRY_WARN_DAYS);
		break;
	default:
		diag_add(d, DIAG_OK, "cert_validity", NULL, NULL, "certificate %d (%s) is valid "
			 "until %s", c->file_index, c->subject, na);
	}
}

static void check_leaf_usage(struct diag_ctx *d, const struct certcheck_cert *leaf)
{
	if (leaf->eku_server_auth)
		diag_add(d, DIAG_OK, "cert_server_auth", NULL, NULL, "the leaf's extended key "
			 "usage has serverAuth");
	else
		diag_add(d, DIAG_FAIL, "cert_server_auth", "cert_no_server_auth", "request the "
			 "certificate with the SSL server usage (1.3.6.1.5.5.7.3.1)", "the leaf "
			 "(%s) %s", leaf->subject, leaf->has_eku ? "has no serverAuth in its "
			 "extended key usage" : "has no extended key usage at all");
	if (leaf->eku_amt_oid || leaf->ou_amt)
		diag_add(d, DIAG_OK, "cert_amt_oid_or_ou", NULL, NULL, "the leaf has %s",
			 leaf->eku_amt_oid ? "the AMT provisioning OID " CERTCHECK_AMT_OID :
					     "the OU \"" CERTCHECK_AMT_OU "\"");
	else
		diag_add(d, DIAG_FAIL, "cert_amt_oid_or_ou", "cert_no_amt_oid_or_ou", "a vPro "
			 "provisioning certificate carries the EKU " CERTCHECK_AMT_OID " or the OU \""
			 CERTCHECK_AMT_OU "\" (exact, case-sensitive)", "the leaf (%s) has neither "
			 "the AMT provisioning OID nor the Intel OU", leaf->subject);
}

static const char *match_rule(enum diag_domain_match m)
{
	switch (m) {
	case DIAG_DOMAIN_WILDCARD:
		return "wildcard";
	case DIAG_DOMAIN_TLD_RULE:
		return "same registered domain (TLD rule)";
	default:
		return "suffix";
	}
}

static void check_domain(struct diag_ctx *d, const struct certcheck_cert *leaf)
{
	enum diag_domain_match m = diag_domain_match(d->used, leaf->cn);
	const char *by = leaf->cn;

	for (size_t i = 0; i < leaf->san_count && m == DIAG_DOMAIN_NONE; i++) {
		m = diag_domain_match(d->used, leaf->san[i]);
		by = leaf->san[i];
	}
	if (!d->used[0])
		diag_add(d, DIAG_WARN, "cert_domain", "cert_domain_unchecked", "see dns_suffix",
			 "the firmware's suffix is not known, so the leaf's names (CN %s) cannot "
			 "be matched", shown(leaf->cn));
	else if (m != DIAG_DOMAIN_NONE)
		diag_add(d, DIAG_OK, "cert_domain", NULL, NULL, "\"%s\" covers the suffix \"%s\" "
			 "(%s)", by, d->used, match_rule(m));
	else
		diag_add(d, DIAG_FAIL, "cert_domain", "cert_domain_mismatch", "the certificate's "
			 "CN or a DNS name must end in the suffix the firmware uses", "neither the "
			 "leaf's CN \"%s\" nor its %zu DNS name(s) cover the suffix \"%s\"",
			 leaf->cn, leaf->san_count, d->used);
}

static void check_path(struct diag_ctx *d)
{
	const struct certcheck_chain *ch = d->chain;

	if (!ch->has_root)
		diag_add(d, DIAG_FAIL, "cert_chain", "cert_chain_no_root", "put the whole chain, "
			 "root CA included, in the file", "%s", ch->verify_error);
	else if (!ch->verified)
		diag_add(d, DIAG_FAIL, "cert_chain", "cert_chain_broken", "the file must hold "
			 "the leaf and every CA up to its root", "the chain does not verify: %s",
			 ch->verify_error);
	else
		diag_add(d, DIAG_OK, "cert_chain", NULL, NULL, "%zu certificate(s) verify up to "
			 "the self-signed root %s", ch->path_len, ch->cert[ch->path_len - 1].subject);
	if (ch->count > ch->path_len)
		diag_add(d, DIAG_WARN, "cert_chain", "cert_chain_extra", "leave them out",
			 "%zu certificate(s) in the file are not on the leaf's path, starting with "
			 "certificate %d", ch->count - ch->path_len, ch->cert[ch->path_len].file_index);
}

static void hex(const uint8_t *p, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = '\0';
}

static void check_root_hash(struct diag_ctx *d)
{
	const struct certcheck_cert *root = &d->chain->cert[d->chain->path_len - 1];
	char h256[65], h1[41];
	size_t i = 0;

	if (!d->chain->has_root)
		return;
	if (!d->hashes_known) {
		diag_add(d, DIAG_WARN, "root_hash", "root_hash_unknown", "amtact info shows what "
			 "the firmware answered", "the firmware's certificate hash table could not "
			 "be read");
		return;
	}
	switch (certcheck_hash_lookup(root, d->hashes, d->hash_count, &i)) {
	case CERTCHECK_HASH_ACTIVE:
		diag_add(d, DIAG_OK, "root_hash", NULL, NULL, "root hash present and active "
			 "(\"%s\")", d->hashes[i].name);
		break;
	case CERTCHECK_HASH_INACTIVE:
		diag_add(d, DIAG_FAIL, "root_hash", "root_hash_inactive", "activate the hash in "
			 "MEBx (Manage Certificate Hashes) or chain to an active root",
			 "root hash present but INACTIVE (\"%s\"): the firmware will not trust %s",
			 d->hashes[i].name, root->subject);
		break;
	default:
		hex(root->sha256, sizeof(root->sha256), h256);
		hex(root->sha1, sizeof(root->sha1), h1);
		diag_add(d, DIAG_FAIL, "root_hash", "root_hash_missing", "chain to a root in the "
			 "firmware's table (amtact info lists it) or add the hash with a USB setup "
			 "file", "root hash not in the firmware: %s (SHA-256 %s, SHA-1 %s)",
			 root->subject, h256, h1);
	}
}

/* doc/remote-config.md 3.1 rule 5: refused from ME 16 (ME 15 on H platforms); advice before that. */
static enum diag_result generation_rule(const struct diag_ctx *d)
{
	return d->major >= 16 ? DIAG_FAIL : DIAG_WARN;
}

static void check_crypto(struct diag_ctx *d)
{
	const struct certcheck_chain *ch = d->chain;
	char gen[48];
	bool sha1 = false, rsa = false;

	snprintf(gen, sizeof(gen), d->major < 0 ? "AMT version unknown" : "this is AMT %d",
		 d->major);
	for (size_t i = 0; i < ch->path_len; i++) {
		const struct certcheck_cert *c = &ch->cert[i];

		if (c->sig_sha1_or_weaker) {
			sha1 = true;
			diag_add(d, generation_rule(d), "cert_signature", "cert_sha1_on_me16",
				 "reissue the chain with SHA-256 or better, root included",
				 "certificate %d (%s) is signed with %s: refused from ME 16 on "
				 "(ME 15 H); %s", c->file_index, c->subject, c->sig_alg, gen);
		}
		if (strcmp(c->key_type, "RSA") == 0 && c->key_bits < 2048) {
			rsa = true;
			diag_add(d, generation_rule(d), "cert_key_size", "cert_rsa_too_short",
				 "use RSA keys of 2048 bits or more", "certificate %d (%s) has an "
				 "RSA %d-bit key: refused from ME 16 on; %s", c->file_index,
				 c->subject, c->key_bits, gen);
		}
	}
	if (!sha1)
		diag_add(d, DIAG_OK, "cert_signature", NULL, NULL, "no certificate on the path is "
			 "signed with SHA-1 or weaker");
	if (!rsa)
		diag_add(d, DIAG_OK, "cert_key_size", NULL, NULL, "no RSA key on the path is "
			 "shorter than 2048 bits");
}

void diag_check_chain(struct diag_ctx *d)
{
	const struct certcheck_cert *leaf = &d->chain->cert[0];

	for (size_t i = 0; i < d->chain->count; i++)
		check_validity(d, &d->chain->cert[i]);
	check_leaf_usage(d, leaf);
	check_domain(d, leaf);
	check_path(d);
	check_root_hash(d);
	check_crypto(d);
}

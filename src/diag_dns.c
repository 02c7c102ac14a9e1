// SPDX-License-Identifier: MIT
/* The DNS side of `amtact diagnose`: suffix choice, lease file contents, domain rules. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "os.h"

void diag_normalise(const char *in, char *out, size_t cap)
{
	size_t n = 0, len;

	if (!cap)
		return;
	if (!in)
		in = "";
	while (*in == ' ' || *in == '\t')
		in++;
	len = strlen(in);
	while (len && (in[len - 1] == ' ' || in[len - 1] == '\t' || in[len - 1] == '\r' ||
		       in[len - 1] == '\n' || in[len - 1] == '.'))
		len--;
	for (; n < len && n + 1 < cap; n++)
		out[n] = (char)tolower((unsigned char)in[n]);
	out[n] = '\0';
}

enum diag_suffix_source diag_pick_suffix(const char *pki, const char *dhcp, char *out,
					 size_t cap)
{
	diag_normalise(pki, out, cap);
	if (out[0])
		return DIAG_SUFFIX_PKI;
	diag_normalise(dhcp, out, cap);
	return out[0] ? DIAG_SUFFIX_DHCP : DIAG_SUFFIX_NONE;
}

const char *diag_suffix_source_name(enum diag_suffix_source src)
{
	switch (src) {
	case DIAG_SUFFIX_PKI:
		return "pki_dns_suffix";
	case DIAG_SUFFIX_DHCP:
		return "dhcp_option_15";
	default:
		return "none";
	}
}

/* The value after `key` on a lease line, quotes and the closing ';' removed; NULL if none. */
static const char *lease_value(char *line, const char *key, size_t key_len)
{
	char *p = line, *end;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, key, key_len) != 0)
		return NULL;
	p += key_len;
	if (key[key_len - 1] != '=' && *p != ' ' && *p != '\t')
		return NULL;  /* "option domain-name-servers" is another option */
	while (*p == ' ' || *p == '\t' || *p == '"')
		p++;
	end = p + strcspn(p, "\";\r\n");
	*end = '\0';
	/* A list ("a.example b.example") is not option 15's shape; keep the first name. */
	end = p + strcspn(p, " \t,");
	*end = '\0';
	return p;
}

/*
 * A lease is data from the network: keep the first name of a list and only a name made of
 * letters, digits, hyphens and dots, so nothing else reaches the output.
 */
static int plain_name(char *s)
{
	s[strcspn(s, " \t,;")] = '\0';
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	return s[0] != '\0';
}

int diag_lease_domain(const char *path, char *out, size_t cap)
{
	static const char dhclient_key[] = "option domain-name";
	static const char networkd_key[] = "DOMAINNAME=";
	char line[1024];
	const char *v;
	FILE *f = os_fopen(path, "re");
	int ret = -ENODATA;

	out[0] = '\0';
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		v = lease_value(line, dhclient_key, sizeof(dhclient_key) - 1);
		if (!v)
			v = lease_value(line, networkd_key, sizeof(networkd_key) - 1);
		if (v && *v) {
			char name[256];

			diag_normalise(v, name, sizeof(name));
			if (plain_name(name)) {
				snprintf(out, cap, "%s", name);
				ret = 0;
			}
		}
	}
	fclose(f);
	return ret;
}

bool diag_name_under(const char *name, const char *suffix)
{
	char n[DIAG_NAME_MAX], s[DIAG_NAME_MAX];
	size_t nl, sl;

	diag_normalise(name, n, sizeof(n));
	diag_normalise(suffix, s, sizeof(s));
	nl = strlen(n);
	sl = strlen(s);
	if (!sl || sl > nl)
		return false;
	if (strcmp(n + nl - sl, s) != 0)
		return false;
	return nl == sl || n[nl - sl - 1] == '.';
}

/* doc/remote-config.md 3.1, the TLD depth table shared by MeshCentral and the SDK rule set. */
static const char *const tld2[] = { "com", "net", "org", "gov", "edu", "de", "ch", "dk",
				    "cz", "cl", "ua" };
static const char *const tld3[] = { "arpa", "fr", "cn", "nl", "br", "mx", "uk", "pl", "tw",
				    "ca", "fi", "be", "ru", "se", "ar", "es", "no", "at", "in",
				    "tr", "ro", "hu", "nz", "pt", "il", "gr", "co", "ie", "za",
				    "th", "sg", "hk", "lt", "id", "hr", "ee", "bg" };

int diag_tld_depth(const char *name)
{
	char n[DIAG_NAME_MAX];
	const char *tld;
	size_t i;

	diag_normalise(name, n, sizeof(n));
	tld = strrchr(n, '.');
	tld = tld ? tld + 1 : n;
	for (i = 0; i < sizeof(tld2) / sizeof(tld2[0]); i++)
		if (strcmp(tld, tld2[i]) == 0)
			return 2;
	for (i = 0; i < sizeof(tld3) / sizeof(tld3[0]); i++)
		if (strcmp(tld, tld3[i]) == 0)
			return 3;
	return 0;
}

/* The last `labels` labels of name, or NULL if it has fewer. */
static const char *last_labels(const char *name, int labels)
{
	const char *p = name + strlen(name);
	int seen = 0;

	while (p > name) {
		p--;
		if (*p == '.' && ++seen == labels)
			return p + 1;
	}
	return seen + 1 == labels ? name : NULL;
}

enum diag_domain_match diag_domain_match(const char *suffix, const char *cert_name)
{
	char s[DIAG_NAME_MAX], n[DIAG_NAME_MAX];
	const char *base, *a, *b;
	bool wildcard;
	int depth;

	diag_normalise(suffix, s, sizeof(s));
	diag_normalise(cert_name, n, sizeof(n));
	if (!s[0] || !n[0])
		return DIAG_DOMAIN_NONE;
	wildcard = strncmp(n, "*.", 2) == 0;
	base = wildcard ? n + 2 : n;
	if (!base[0] || strchr(base, '*'))
		return DIAG_DOMAIN_NONE;
	if (diag_name_under(base, s))
		return wildcard ? DIAG_DOMAIN_WILDCARD : DIAG_DOMAIN_SUFFIX;
	depth = diag_tld_depth(base);
	if (!depth || diag_tld_depth(s) != depth)
		return DIAG_DOMAIN_NONE;
	a = last_labels(base, depth);
	b = last_labels(s, depth);
	return a && b && strcmp(a, b) == 0 ? DIAG_DOMAIN_TLD_RULE : DIAG_DOMAIN_NONE;
}

void diag_resolve_keep(struct diag_resolve *out, const char *addr)
{
	for (size_t i = 0; i < out->addr_count; i++)
		if (strcmp(out->addr[i], addr) == 0)
			return;
	if (out->addr_count < DIAG_ADDRS_MAX)
		snprintf(out->addr[out->addr_count++], sizeof(out->addr[0]), "%s", addr);
}

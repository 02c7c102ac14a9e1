// SPDX-License-Identifier: MIT
/* The DNS side of `amtact diagnose`: suffix choice, DHCP lease files, domain rules, lookups. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "diag.h"

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
	FILE *f = fopen(path, "re");
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

static void scan_one(const char *path, struct diag_leases *out)
{
	struct diag_lease *l;
	struct stat st;
	size_t i;

	if (out->count >= DIAG_LEASES_MAX || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	for (i = 0; i < out->count; i++)
		if (strcmp(out->lease[i].path, path) == 0)
			return;
	l = &out->lease[out->count];
	snprintf(l->path, sizeof(l->path), "%s", path);
	l->mtime = st.st_mtime;
	if (diag_lease_domain(path, l->domain, sizeof(l->domain)) == -EACCES)
		return;
	out->count++;
}

static void scan_pattern(const char *pattern, struct diag_leases *out)
{
	glob_t g;

	memset(&g, 0, sizeof(g));
	if (glob(pattern, 0, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc; i++)
			scan_one(g.gl_pathv[i], out);
	globfree(&g);
}

void diag_dhcp_scan(const char *patterns, struct diag_leases *out)
{
	char list[4096], *save = NULL, *p;

	memset(out, 0, sizeof(*out));
	out->newest = -1;
	if (!patterns)
		patterns = getenv(DIAG_DHCP_LEASES_ENV);
	if (!patterns)
		patterns = DIAG_DHCP_LEASES_DEFAULT;
	snprintf(list, sizeof(list), "%s", patterns);
	for (p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
		scan_pattern(p, out);
	for (size_t i = 0; i < out->count; i++) {
		const struct diag_lease *l = &out->lease[i];

		if (!l->domain[0])
			continue;
		if (out->newest < 0) {
			out->newest = (int)i;
			continue;
		}
		if (strcmp(l->domain, out->lease[out->newest].domain) != 0)
			out->differ = true;
		if (l->mtime > out->lease[out->newest].mtime)
			out->newest = (int)i;
	}
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

static void keep_addresses(const struct addrinfo *res, struct diag_resolve *out)
{
	for (; res && out->addr_count < DIAG_ADDRS_MAX; res = res->ai_next) {
		char buf[48];
		const void *a;
		size_t i;

		if (res->ai_family == AF_INET)
			a = &((const struct sockaddr_in *)(const void *)res->ai_addr)->sin_addr;
		else if (res->ai_family == AF_INET6)
			a = &((const struct sockaddr_in6 *)(const void *)res->ai_addr)->sin6_addr;
		else
			continue;
		if (!inet_ntop(res->ai_family, a, buf, sizeof(buf)))
			continue;
		for (i = 0; i < out->addr_count; i++)
			if (strcmp(out->addr[i], buf) == 0)
				break;
		if (i == out->addr_count)
			memcpy(out->addr[out->addr_count++], buf, sizeof(buf));
	}
}

int diag_resolve(const char *name, int timeout_ms, struct diag_resolve *out)
{
	struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };
	struct gaicb *req = calloc(1, sizeof(*req));
	struct addrinfo *hints = calloc(1, sizeof(*hints));
	const struct gaicb *list[1];
	char *host = strdup(name);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!req || !hints || !host) {
		free(req);
		free(hints);
		free(host);
		return -ENOMEM;
	}
	hints->ai_family = AF_UNSPEC;
	hints->ai_socktype = SOCK_STREAM;
	req->ar_name = host;
	req->ar_request = hints;
	list[0] = req;
	if (getaddrinfo_a(GAI_NOWAIT, (struct gaicb **)list, 1, NULL) != 0) {
		free(req);
		free(hints);
		free(host);
		return -EAGAIN;
	}
	while ((rc = gai_suspend(list, 1, &ts)) == EAI_INTR)
		;
	if (rc == EAI_AGAIN && gai_cancel(req) != EAI_CANCELED) {
		/* The lookup thread still owns the request: it is left to it, not freed. */
		out->rc = EAI_AGAIN;
		out->timed_out = true;
		return 0;
	}
	out->rc = gai_error(req);
	out->timed_out = rc == EAI_AGAIN;
	if (out->rc == 0)
		keep_addresses(req->ar_result, out);
	if (req->ar_result)
		freeaddrinfo(req->ar_result);
	free(req);
	free(hints);
	free(host);
	return 0;
}

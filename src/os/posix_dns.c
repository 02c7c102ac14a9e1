// SPDX-License-Identifier: MIT
/* The diagnosis's system side on Linux: DHCP lease files and the bounded resolver lookup. */
#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "diag.h"

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

static void keep_addresses(const struct addrinfo *res, struct diag_resolve *out)
{
	for (; res && out->addr_count < DIAG_ADDRS_MAX; res = res->ai_next) {
		char buf[48];
		const void *a;

		if (res->ai_family == AF_INET)
			a = &((const struct sockaddr_in *)(const void *)res->ai_addr)->sin_addr;
		else if (res->ai_family == AF_INET6)
			a = &((const struct sockaddr_in6 *)(const void *)res->ai_addr)->sin6_addr;
		else
			continue;
		if (inet_ntop(res->ai_family, a, buf, sizeof(buf)))
			diag_resolve_keep(out, buf);
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

const char *diag_resolve_error(const struct diag_resolve *r)
{
	if (r->timed_out)
		return "no answer in time";
	return gai_strerror(r->rc == DIAG_RESOLVE_NOT_STARTED ? EAI_SYSTEM : r->rc);
}

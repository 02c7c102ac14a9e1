// SPDX-License-Identifier: MIT
/* The diagnosis's system side on Windows: adapters' DHCP domains, the bounded lookup. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "os_windows.h"

/* Windows keeps no lease files: each DHCP adapter's suffix is its lease's domain. */
void diag_dhcp_scan(const char *patterns, struct diag_leases *out)
{
	ULONG len = 32 * 1024;
	IP_ADAPTER_ADDRESSES *all = malloc(len), *p;

	(void)patterns;
	memset(out, 0, sizeof(*out));
	out->newest = -1;
	if (!all || GetAdaptersAddresses(AF_UNSPEC, GAA_FLAG_SKIP_ANYCAST |
					 GAA_FLAG_SKIP_MULTICAST, NULL, all, &len) != 0) {
		free(all);
		return;
	}
	for (p = all; p && out->count < DIAG_LEASES_MAX; p = p->Next) {
		struct diag_lease *l = &out->lease[out->count];
		char *name, *suffix;

		if (!(p->Flags & IP_ADAPTER_DHCP_ENABLED) || p->IfType == IF_TYPE_SOFTWARE_LOOPBACK)
			continue;
		name = os_win_utf8(p->FriendlyName);
		suffix = p->DnsSuffix ? os_win_utf8(p->DnsSuffix) : NULL;
		snprintf(l->path, sizeof(l->path), "adapter \"%s\"", name ? name : "");
		if (suffix)
			diag_normalise(suffix, l->domain, sizeof(l->domain));
		free(name);
		free(suffix);
		if (l->domain[0] && out->newest < 0)
			out->newest = (int)out->count;
		else if (l->domain[0] && strcmp(l->domain, out->lease[out->newest].domain) != 0)
			out->differ = true;
		out->count++;
	}
	free(all);
}

/* A lookup on its own thread, so the caller can stop waiting; the last owner frees it. */
struct job {
	LONG refs;
	char *name;
	struct diag_resolve r;
};

static void job_put(struct job *j)
{
	if (InterlockedDecrement(&j->refs) == 0) {
		free(j->name);
		free(j);
	}
}

/* Each address in numeric form (getnameinfo), once. */
static void keep_addresses(const struct addrinfo *res, struct diag_resolve *out)
{
	char buf[64];

	for (; res; res = res->ai_next)
		if ((res->ai_family == AF_INET || res->ai_family == AF_INET6) &&
		    getnameinfo(res->ai_addr, (socklen_t)res->ai_addrlen, buf, sizeof(buf), NULL, 0,
				NI_NUMERICHOST) == 0)
			diag_resolve_keep(out, buf);
}

static DWORD WINAPI lookup(void *arg)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	struct job *j = arg;

	j->r.rc = getaddrinfo(j->name, NULL, &hints, &res);
	if (j->r.rc == 0)
		keep_addresses(res, &j->r);
	if (res)
		freeaddrinfo(res);
	job_put(j);
	return 0;
}

int diag_resolve(const char *name, int timeout_ms, struct diag_resolve *out)
{
	static WSADATA wsa;
	static int started;
	struct job *j = calloc(1, sizeof(*j));
	HANDLE t;

	memset(out, 0, sizeof(*out));
	if (!started)
		started = WSAStartup(MAKEWORD(2, 2), &wsa) == 0;
	if (!j || !(j->name = strdup(name))) {
		free(j);
		return -ENOMEM;
	}
	j->refs = 2;
	t = CreateThread(NULL, 0, lookup, j, 0, NULL);
	if (!t) {
		free(j->name);
		free(j);
		return -EAGAIN;
	}
	if (WaitForSingleObject(t, timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms) ==
	    WAIT_OBJECT_0) {
		*out = j->r;
	} else {
		out->rc = EAI_AGAIN;
		out->timed_out = true;
	}
	CloseHandle(t);
	job_put(j);
	return 0;
}

const char *diag_resolve_error(const struct diag_resolve *r)
{
	static char text[256];
	size_t len;

	if (r->timed_out)
		return "no answer in time";
	if (r->rc == DIAG_RESOLVE_NOT_STARTED)
		return "System error";
	/* Windows's message is a sentence ("Host not found. "): drop its end, as glibc has none. */
	snprintf(text, sizeof(text), "%s", gai_strerrorA(r->rc));
	len = strlen(text);
	while (len && (text[len - 1] == ' ' || text[len - 1] == '.' || text[len - 1] == '\n' ||
		       text[len - 1] == '\r'))
		text[--len] = '\0';
	return text;
}

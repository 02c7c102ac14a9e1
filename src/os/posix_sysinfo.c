// SPDX-License-Identifier: MIT
/* The report's OS side on Linux: host names, DNS suffix, interfaces with MACs and addresses. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netdb.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sysinfo.h"

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

void sysinfo_names(struct sysinfo_names *n)
{
	struct addrinfo hints = { .ai_flags = AI_CANONNAME, .ai_family = AF_UNSPEC };
	struct addrinfo *res = NULL;
	char *dot;

	memset(n, 0, sizeof(*n));
	if (gethostname(n->hostname, sizeof(n->hostname) - 1) != 0)
		n->hostname[0] = '\0';
	copy(n->short_name, sizeof(n->short_name), n->hostname);
	dot = strchr(n->short_name, '.');
	if (dot)
		*dot = '\0';
	copy(n->fqdn, sizeof(n->fqdn), n->hostname);
	if (!strchr(n->hostname, '.') && n->hostname[0] &&
	    getaddrinfo(n->hostname, NULL, &hints, &res) == 0 && res && res->ai_canonname)
		copy(n->fqdn, sizeof(n->fqdn), res->ai_canonname);
	if (res)
		freeaddrinfo(res);
	dot = strchr(n->fqdn, '.');
	if (dot && dot[1])
		copy(n->dns_suffix, sizeof(n->dns_suffix), dot + 1);
	else
		sysinfo_resolv_domain("/etc/resolv.conf", n->dns_suffix, sizeof(n->dns_suffix));
}

int sysinfo_smbios_uuid(char out[37])
{
	const char *path = getenv(SYSINFO_SMBIOS_UUID_ENV);

	return sysinfo_uuid_file(path && path[0] ? path : "/sys/class/dmi/id/product_uuid", out);
}

static struct sysinfo_iface *find_or_add(struct sysinfo_ifaces *l, const char *name)
{
	struct sysinfo_iface *grown;

	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	grown = realloc(l->v, (l->count + 1) * sizeof(*l->v));
	if (!grown)
		return NULL;
	l->v = grown;
	memset(&grown[l->count], 0, sizeof(*grown));
	copy(grown[l->count].name, sizeof(grown->name), name);
	return &grown[l->count++];
}

/* Append one address in text form; -ENOMEM when the list cannot grow. */
static int add_text(struct sysinfo_addrs *a, const char *text)
{
	char (*grown)[SYSINFO_ADDR_MAX] = realloc(a->v, (a->count + 1) * sizeof(*a->v));

	if (!grown)
		return -ENOMEM;
	a->v = grown;
	copy(grown[a->count++], sizeof(*grown), text);
	return 0;
}

static int add_address(struct sysinfo_iface *iface, const struct sockaddr *sa)
{
	char buf[SYSINFO_ADDR_MAX] = "";

	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
			  sizeof(buf));
		return add_text(&iface->ipv4, buf);
	}
	if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  buf, sizeof(buf));
		return add_text(&iface->ipv6, buf);
	}
	if (sa->sa_family == AF_PACKET) {
		const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(const void *)sa;

		if (ll->sll_halen == 6)
			snprintf(iface->mac, sizeof(iface->mac), "%02x:%02x:%02x:%02x:%02x:%02x",
				 ll->sll_addr[0], ll->sll_addr[1], ll->sll_addr[2],
				 ll->sll_addr[3], ll->sll_addr[4], ll->sll_addr[5]);
	}
	return 0;
}

int sysinfo_interfaces(struct sysinfo_ifaces *list)
{
	struct ifaddrs *ifa = NULL, *p;
	struct sysinfo_iface *iface;
	int rc = 0;

	memset(list, 0, sizeof(*list));
	if (getifaddrs(&ifa) != 0)
		return 0;
	for (p = ifa; p && rc == 0; p = p->ifa_next) {
		if (!p->ifa_addr || (p->ifa_flags & IFF_LOOPBACK))
			continue;
		iface = find_or_add(list, p->ifa_name);
		rc = iface ? add_address(iface, p->ifa_addr) : -ENOMEM;
	}
	freeifaddrs(ifa);
	return rc;
}

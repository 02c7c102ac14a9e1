// SPDX-License-Identifier: MIT
/* The OS side of the report: host names, DNS suffix and interfaces with MACs and addresses. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sysinfo.h"

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

void sysinfo_resolv_domain(const char *path, char *out, size_t cap)
{
	char line[512], domain[256] = "", search[256] = "";
	FILE *f = fopen(path, "re");

	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *key = strtok_r(line, " \t\r\n", &save);
		char *val = key ? strtok_r(NULL, " \t\r\n", &save) : NULL;

		if (!val)
			continue;
		if (strcmp(key, "domain") == 0)
			copy(domain, sizeof(domain), val);
		else if (strcmp(key, "search") == 0 && !search[0])
			copy(search, sizeof(search), val);
	}
	fclose(f);
	copy(out, cap, domain[0] ? domain : search);
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

static cJSON *find_or_add(cJSON *arr, const char *name)
{
	cJSON *it, *o;

	cJSON_ArrayForEach(it, arr) {
		cJSON *n = cJSON_GetObjectItemCaseSensitive(it, "name");

		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return it;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddNullToObject(o, "mac");
	cJSON_AddArrayToObject(o, "ipv4");
	cJSON_AddArrayToObject(o, "ipv6");
	cJSON_AddItemToArray(arr, o);
	return o;
}

static void add_address(cJSON *iface, const struct sockaddr *sa)
{
	char buf[INET6_ADDRSTRLEN], mac[18];

	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
			  sizeof(buf));
		cJSON_AddItemToArray(cJSON_GetObjectItem(iface, "ipv4"), cJSON_CreateString(buf));
	} else if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  buf, sizeof(buf));
		cJSON_AddItemToArray(cJSON_GetObjectItem(iface, "ipv6"), cJSON_CreateString(buf));
	} else if (sa->sa_family == AF_PACKET) {
		const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(const void *)sa;

		if (ll->sll_halen != 6)
			return;
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", ll->sll_addr[0],
			 ll->sll_addr[1], ll->sll_addr[2], ll->sll_addr[3], ll->sll_addr[4],
			 ll->sll_addr[5]);
		cJSON_ReplaceItemInObject(iface, "mac", cJSON_CreateString(mac));
	}
}

cJSON *sysinfo_interfaces_json(void)
{
	struct ifaddrs *ifa = NULL, *p;
	cJSON *arr = cJSON_CreateArray();

	if (getifaddrs(&ifa) != 0)
		return arr;
	for (p = ifa; p; p = p->ifa_next) {
		if (!p->ifa_addr || (p->ifa_flags & IFF_LOOPBACK))
			continue;
		add_address(find_or_add(arr, p->ifa_name), p->ifa_addr);
	}
	freeifaddrs(ifa);
	return arr;
}

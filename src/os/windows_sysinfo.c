// SPDX-License-Identifier: MIT
/* The report's OS side on Windows: computer names, adapters with their DNS suffix, MACs, IPs. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_windows.h"
#include "sysinfo.h"

static void computer_name(COMPUTER_NAME_FORMAT which, char *out, size_t cap)
{
	wchar_t w[SYSINFO_NAME_MAX];
	DWORD n = SYSINFO_NAME_MAX;
	char *s;

	out[0] = '\0';
	if (!GetComputerNameExW(which, w, &n))
		return;
	s = os_win_utf8(w);
	if (s)
		snprintf(out, cap, "%s", s);
	free(s);
}

IP_ADAPTER_ADDRESSES *os_win_adapters(void)
{
	ULONG flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
	ULONG len = 16 * 1024, rc;
	IP_ADAPTER_ADDRESSES *a = NULL;

	for (int tries = 0; tries < 3; tries++) {
		free(a);
		a = malloc(len);
		if (!a)
			return NULL;
		rc = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, a, &len);
		if (rc == ERROR_SUCCESS)
			return a;
		if (rc != ERROR_BUFFER_OVERFLOW)
			break;
	}
	free(a);
	return NULL;
}

void sysinfo_names(struct sysinfo_names *n)
{
	IP_ADAPTER_ADDRESSES *list, *p;
	char *s;

	memset(n, 0, sizeof(*n));
	computer_name(ComputerNameDnsHostname, n->hostname, sizeof(n->hostname));
	snprintf(n->short_name, sizeof(n->short_name), "%s", n->hostname);
	computer_name(ComputerNameDnsFullyQualified, n->fqdn, sizeof(n->fqdn));
	if (!n->fqdn[0])
		snprintf(n->fqdn, sizeof(n->fqdn), "%s", n->hostname);
	computer_name(ComputerNameDnsDomain, n->dns_suffix, sizeof(n->dns_suffix));
	if (n->dns_suffix[0] || !(list = os_win_adapters()))
		return;
	/* No primary suffix: the first connected adapter's own, as the resolver would use. */
	for (p = list; p && !n->dns_suffix[0]; p = p->Next) {
		if (p->IfType == IF_TYPE_SOFTWARE_LOOPBACK || p->OperStatus != IfOperStatusUp ||
		    !p->DnsSuffix || !p->DnsSuffix[0] || !(s = os_win_utf8(p->DnsSuffix)))
			continue;
		snprintf(n->dns_suffix, sizeof(n->dns_suffix), "%s", s);
		free(s);
	}
	free(list);
}

static int add_text(struct sysinfo_addrs *a, const char *text)
{
	char (*grown)[SYSINFO_ADDR_MAX] = realloc(a->v, (a->count + 1) * sizeof(*a->v));

	if (!grown)
		return -ENOMEM;
	a->v = grown;
	snprintf(grown[a->count++], sizeof(*grown), "%s", text);
	return 0;
}

static int add_addresses(struct sysinfo_iface *f, const IP_ADAPTER_UNICAST_ADDRESS *u)
{
	char buf[SYSINFO_ADDR_MAX];
	int rc = 0;

	for (; u && rc == 0; u = u->Next) {
		const struct sockaddr *sa = u->Address.lpSockaddr;
		const void *a;

		if (sa->sa_family == AF_INET)
			a = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
		else if (sa->sa_family == AF_INET6)
			a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		else
			continue;
		if (!inet_ntop(sa->sa_family, a, buf, sizeof(buf)))
			continue;
		rc = add_text(sa->sa_family == AF_INET ? &f->ipv4 : &f->ipv6, buf);
	}
	return rc;
}

static void fill_iface(struct sysinfo_iface *f, const IP_ADAPTER_ADDRESSES *p)
{
	char *s = os_win_utf8(p->FriendlyName);

	snprintf(f->name, sizeof(f->name), "%s", s ? s : "");
	free(s);
	s = p->DnsSuffix ? os_win_utf8(p->DnsSuffix) : NULL;
	snprintf(f->dns_suffix, sizeof(f->dns_suffix), "%s", s ? s : "");
	free(s);
	if (p->PhysicalAddressLength == 6)
		snprintf(f->mac, sizeof(f->mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 p->PhysicalAddress[0], p->PhysicalAddress[1], p->PhysicalAddress[2],
			 p->PhysicalAddress[3], p->PhysicalAddress[4], p->PhysicalAddress[5]);
}

int sysinfo_interfaces(struct sysinfo_ifaces *list)
{
	IP_ADAPTER_ADDRESSES *all = os_win_adapters(), *p;
	struct sysinfo_iface *grown;
	int rc = 0;

	memset(list, 0, sizeof(*list));
	for (p = all; p && rc == 0; p = p->Next) {
		if (p->IfType == IF_TYPE_SOFTWARE_LOOPBACK)
			continue;
		grown = realloc(list->v, (list->count + 1) * sizeof(*list->v));
		if (!grown) {
			rc = -ENOMEM;
			break;
		}
		list->v = grown;
		memset(&grown[list->count], 0, sizeof(*grown));
		fill_iface(&grown[list->count], p);
		rc = add_addresses(&grown[list->count++], p->FirstUnicastAddress);
	}
	free(all);
	return rc;
}

/* The raw SMBIOS table provider, 'RSMB' as a big-endian four-character code. */
#define RSMB ((DWORD)'R' << 24 | (DWORD)'S' << 16 | (DWORD)'M' << 8 | (DWORD)'B')

/* SMBIOS 2.6+ stores the first three UUID fields little-endian (DMTF DSP0134, 7.2.1). */
static void uuid_of(const BYTE *u, char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[3], u[2], u[1], u[0], u[5], u[4], u[7], u[6], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}

/* The System Information structure (type 1) in the raw table: its UUID, or -ENOENT. */
static int find_uuid(const BYTE *t, size_t len, char out[37])
{
	static const BYTE unset[2][16] = { { 0 }, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	size_t off = 0;

	while (off + 4 <= len && t[off] != 127) {
		size_t slen = t[off + 1], end = off + slen;

		if (slen < 4 || end > len)
			break;
		if (t[off] == 1 && slen >= 0x19) {
			if (!memcmp(t + off + 8, unset[0], 16) || !memcmp(t + off + 8, unset[1], 16))
				return -ENOENT;
			uuid_of(t + off + 8, out);
			return 0;
		}
		/* The strings after the formatted part end with two NULs. */
		while (end + 1 < len && (t[end] || t[end + 1]))
			end++;
		off = end + 2;
	}
	return -ENOENT;
}

int sysinfo_smbios_uuid(char out[37])
{
	const char *path = getenv(SYSINFO_SMBIOS_UUID_ENV);
	UINT n = 0;
	BYTE *raw;
	int rc = -ENOENT;

	out[0] = '\0';
	if (path && path[0])
		return sysinfo_uuid_file(path, out);
	n = GetSystemFirmwareTable(RSMB, 0, NULL, 0);
	raw = n > 8 ? malloc(n) : NULL;
	/* RawSMBIOSData: 4 bytes of version, a DWORD length, then the table. */
	if (raw && GetSystemFirmwareTable(RSMB, 0, raw, n) == n) {
		DWORD len;

		memcpy(&len, raw + 4, sizeof(len));
		if (len <= n - 8)
			rc = find_uuid(raw + 8, len, out);
	}
	free(raw);
	return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * What the operating system says about the machine's names and network, for the report.
 * Part of the port layer: sysinfo_names() and sysinfo_interfaces() live in
 * src/os/posix_sysinfo.c and src/os/windows_sysinfo.c, the rest in src/sysinfo.c.
 */
#ifndef AMTACT_SYSINFO_H
#define AMTACT_SYSINFO_H

#include <stddef.h>

#define SYSINFO_NAME_MAX 256

struct sysinfo_names {
	char hostname[SYSINFO_NAME_MAX];    /* as the kernel has it (may be an FQDN) */
	char short_name[SYSINFO_NAME_MAX];  /* hostname without the domain */
	char fqdn[SYSINFO_NAME_MAX];        /* canonical name from the resolver, or hostname */
	char dns_suffix[SYSINFO_NAME_MAX];  /* FQDN domain, else resolv.conf domain/search */
};

/* Fill the names; never fails (missing parts are empty strings). */
void sysinfo_names(struct sysinfo_names *n);

/*
 * The domain and search lists of a resolv.conf file ("domain" first, then the first
 * "search" entry) into out; "" if none. Exposed for tests.
 */
void sysinfo_resolv_domain(const char *path, char *out, size_t cap);

/*
 * The SMBIOS system UUID ("4c4c4544-0051-4810-8039-b4c04f4b3733", lower case) from
 * Linux's /sys/class/dmi/id/product_uuid (root only), or from the file named by the
 * environment variable SYSINFO_SMBIOS_UUID_ENV when set (tests). Returns 0, -ENOENT when
 * the system has none, -EACCES when it may not be read, -EINVAL when the file does not
 * hold a UUID; out is "" unless 0.
 */
#define SYSINFO_SMBIOS_UUID_ENV "AMTACT_SMBIOS_UUID_FILE"
int sysinfo_smbios_uuid(char out[37]);

/* The UUID in the first line of a file (sysinfo_smbios_uuid's reader): same returns. On
   Windows the UUID comes from the firmware's SMBIOS table unless the variable is set. */
int sysinfo_uuid_file(const char *path, char out[37]);

#define SYSINFO_ADDR_MAX 46 /* an IPv6 address in text form, with its NUL */

/* IP addresses in text form ("192.0.2.7", "fe80::1"). */
struct sysinfo_addrs {
	size_t count;
	char (*v)[SYSINFO_ADDR_MAX];
};

/* One network interface with its hardware address and IP addresses. */
struct sysinfo_iface {
	char name[SYSINFO_NAME_MAX];
	char mac[18];           /* "aa:bb:cc:dd:ee:ff", or "" when it has none */
	char dns_suffix[SYSINFO_NAME_MAX]; /* the connection's own DNS suffix (DHCP option 15
					      or set by hand), "" when none or not known (Linux) */
	struct sysinfo_addrs ipv4;
	struct sysinfo_addrs ipv6;
};

struct sysinfo_ifaces {
	size_t count;
	struct sysinfo_iface *v;
};

/*
 * The network interfaces (not loopback), in the order the system lists them, each
 * address in the order found. Returns 0, or -ENOMEM with what was found so far kept;
 * a system that cannot list them gives none. Free with sysinfo_ifaces_free().
 */
int sysinfo_interfaces(struct sysinfo_ifaces *list);
void sysinfo_ifaces_free(struct sysinfo_ifaces *list);

#endif

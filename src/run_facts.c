// SPDX-License-Identifier: MIT
/* The facts that decide "something new" for `amtact run` (include/run_facts.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amt.h"
#include "run_facts.h"
#include "sysinfo.h"

static const struct {
	const char *key;
	bool from_me;
} defs[RUN_FACT_COUNT] = {
	[RUN_FACT_AMT] = { "amt", true },
	[RUN_FACT_ME_UUID] = { "me_uuid", true },
	[RUN_FACT_AMT_VERSION] = { "amt_version", true },
	[RUN_FACT_PROV_STATE] = { "provisioning_state", true },
	[RUN_FACT_CONTROL_MODE] = { "control_mode", true },
	[RUN_FACT_ZERO_TOUCH] = { "zero_touch", true },
	[RUN_FACT_PKI_SUFFIX] = { "pki_dns_suffix", true },
	[RUN_FACT_AMT_FQDN] = { "amt_fqdn", true },
	[RUN_FACT_AMT_IP] = { "amt_ip", true },
	[RUN_FACT_HOSTNAME] = { "hostname", false },
	[RUN_FACT_FQDN] = { "fqdn", false },
	[RUN_FACT_IPV4] = { "ipv4", false },
	[RUN_FACT_MAC] = { "mac", false },
	[RUN_FACT_SMBIOS_UUID] = { "smbios_uuid", false },
};

const char *run_fact_key(enum run_fact f)
{
	return (unsigned)f < RUN_FACT_COUNT ? defs[f].key : NULL;
}

bool run_fact_from_me(enum run_fact f)
{
	return (unsigned)f < RUN_FACT_COUNT && defs[f].from_me;
}

static void put(struct run_facts *f, enum run_fact k, const char *v)
{
	snprintf(f->v[k], sizeof(f->v[k]), "%s", v ? v : "");
}

static bool ok(const struct me_item *item)
{
	return item->state == ME_ITEM_OK;
}

static const char *amt_version(const struct me_info *in)
{
	for (uint32_t i = 0; ok(&in->versions_item) && i < in->versions.count &&
			     i < AMT_VERSIONS_MAX; i++)
		if (strcmp(in->versions.v[i].desc, "AMT") == 0)
			return in->versions.v[i].ver;
	return "";
}

static const char *amt_state(int me_rc, const struct me_info *in)
{
	if (me_rc == -ENOTTY)
		return "absent";
	if (me_rc == -ENODATA || (me_rc == 0 && in->amt_disabled))
		return "disabled";
	return me_rc == 0 ? "enabled" : "unreadable";
}

void run_facts_no_device(struct run_facts *f, enum medev_absence why)
{
	put(f, RUN_FACT_AMT, why == MEDEV_NO_HARDWARE ? "no_me" :
			     why == MEDEV_NO_DRIVER ? "no_me_driver" : "no_me_device");
}

static void me_facts(struct run_facts *f, const struct me_info *in)
{
	const struct amt_lan *lan = &in->lan[0];
	char s[64];

	if (ok(&in->uuid_item)) {
		amt_uuid_str(in->uuid, s);
		put(f, RUN_FACT_ME_UUID, s);
	}
	put(f, RUN_FACT_AMT_VERSION, amt_version(in));
	if (ok(&in->prov_state_item))
		put(f, RUN_FACT_PROV_STATE, amt_prov_state_name(in->prov_state));
	if (ok(&in->control_mode_item))
		put(f, RUN_FACT_CONTROL_MODE, amt_control_mode_name(in->control_mode));
	if (ok(&in->zero_touch_item))
		put(f, RUN_FACT_ZERO_TOUCH, in->zero_touch ? "enabled" : "disabled");
	if (ok(&in->pki_suffix_item))
		put(f, RUN_FACT_PKI_SUFFIX, in->pki_suffix);
	if (ok(&in->fqdn_item))
		put(f, RUN_FACT_AMT_FQDN, in->fqdn.fqdn);
	if (ok(&in->lan_item[0]) && lan->ipv4) {
		snprintf(s, sizeof(s), "%u.%u.%u.%u", lan->ipv4 >> 24, (lan->ipv4 >> 16) & 0xff,
			 (lan->ipv4 >> 8) & 0xff, lan->ipv4 & 0xff);
		put(f, RUN_FACT_AMT_IP, s);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort the strings and join them with ", " into the fact, cut at its size. */
static void put_sorted(struct run_facts *f, enum run_fact k, const char **v, size_t n)
{
	size_t at = 0;

	qsort(v, n, sizeof(*v), cmp_str);
	f->v[k][0] = '\0';
	for (size_t i = 0; i < n && at < RUN_FACT_LEN; i++) {
		int w = snprintf(f->v[k] + at, RUN_FACT_LEN - at, "%s%s", i ? ", " : "", v[i]);

		if (w < 0)
			break;
		at += (size_t)w;
	}
}

/*
 * IPv4 only: IPv6 privacy addresses are replaced every day and would make every boot
 * "new". MACs of interfaces with an IPv4 address only: the connected ones, not every
 * virtual interface that comes and goes.
 */
static void os_net_facts(struct run_facts *f)
{
	struct sysinfo_ifaces l;
	const char **ips = NULL, **macs = NULL;
	size_t nip = 0, nmac = 0, total = 0;

	sysinfo_interfaces(&l);
	for (size_t i = 0; i < l.count; i++)
		total += l.v[i].ipv4.count;
	ips = calloc(total + 1, sizeof(*ips));
	macs = calloc(l.count + 1, sizeof(*macs));
	for (size_t i = 0; ips && macs && i < l.count; i++) {
		for (size_t j = 0; j < l.v[i].ipv4.count; j++)
			ips[nip++] = l.v[i].ipv4.v[j];
		if (l.v[i].ipv4.count && l.v[i].mac[0])
			macs[nmac++] = l.v[i].mac;
	}
	put_sorted(f, RUN_FACT_IPV4, ips, nip);
	put_sorted(f, RUN_FACT_MAC, macs, nmac);
	free(ips);
	free(macs);
	sysinfo_ifaces_free(&l);
}

void run_facts_collect(struct run_facts *f, int me_rc, const struct me_info *in)
{
	struct sysinfo_names n;
	char uuid[37];

	memset(f, 0, sizeof(*f));
	f->known = true;
	put(f, RUN_FACT_AMT, amt_state(me_rc, in));
	if (in && me_rc == 0)
		me_facts(f, in);
	sysinfo_names(&n);
	put(f, RUN_FACT_HOSTNAME, n.hostname);
	put(f, RUN_FACT_FQDN, n.fqdn);
	os_net_facts(f);
	if (sysinfo_smbios_uuid(uuid) == 0)
		put(f, RUN_FACT_SMBIOS_UUID, uuid);
}

size_t run_facts_diff(const struct run_facts *old, const struct run_facts *now,
		      struct run_fact_change out[RUN_FACT_COUNT])
{
	size_t n = 0;

	if (!old->known || !now->known)
		return 0;
	for (int k = 0; k < RUN_FACT_COUNT; k++) {
		if (strcmp(old->v[k], now->v[k]) == 0)
			continue;
		out[n].fact = (enum run_fact)k;
		out[n].old = old->v[k];
		out[n].now = now->v[k];
		n++;
	}
	return n;
}

enum run_identity run_facts_identity(const struct run_facts *f, const struct me_info *in)
{
	const char *me = f->v[RUN_FACT_ME_UUID], *smbios = f->v[RUN_FACT_SMBIOS_UUID];

	if (!me[0] || !in)
		return RUN_IDENTITY_OK;
	if (amt_uuid_invalid(in->uuid))
		return RUN_IDENTITY_PLACEHOLDER;
	return smbios[0] && strcmp(me, smbios) != 0 ? RUN_IDENTITY_DIFFER : RUN_IDENTITY_OK;
}

const char *run_identity_flag(enum run_identity id)
{
	return id == RUN_IDENTITY_PLACEHOLDER ? "me_uuid_placeholder" :
	       id == RUN_IDENTITY_DIFFER ? "uuids_differ" : NULL;
}

const char *run_identity_text(enum run_identity id)
{
	if (id == RUN_IDENTITY_PLACEHOLDER)
		return "the ME's UUID is a placeholder, not this machine's: identify it by the "
		       "SMBIOS system UUID";
	if (id == RUN_IDENTITY_DIFFER)
		return "the ME's UUID differs from the SMBIOS system UUID (a replaced board or "
		       "a badly programmed BIOS): the provisioning server may not match the box";
	return NULL;
}

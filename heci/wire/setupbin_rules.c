// SPDX-License-Identifier: MIT
/* setup.bin variables and the rules a record meets: PID/PPS, MEBx password, order. */
#include <errno.h>
#include <string.h>

#include "setupbin.h"

/*
 * doc/remote-config.md 6.5 (IDs, types, lengths); the version each variable came with is
 * doc/remote-config.md 6.2 where the SDK names it, else doc/setup-bin.md 2 (our choice).
 */
static const struct setupbin_var vars[] = {
	{ 1, 1, SETUPBIN_STR, SETUPBIN_PASSWORD_MAX, 10, 1, "current_mebx_password",
	  "Current MEBx password" },
	{ 1, 2, SETUPBIN_STR, SETUPBIN_PASSWORD_MAX, 10, 1, "new_mebx_password",
	  "New MEBx password" },
	{ 1, 3, SETUPBIN_U8, 1, 10, 0, "manageability", "Manageability feature selection" },
	{ 1, 4, SETUPBIN_U8, 1, 21, 0, "fw_local_update", "Firmware local update" },
	{ 1, 5, SETUPBIN_U8, 1, 21, 0, "fw_update_qualifier", "Firmware update qualifier" },
	{ 1, 6, SETUPBIN_GUIDV, 16, 21, 0, "power_package", "Power package" },
	{ 2, 1, SETUPBIN_STR, SETUPBIN_PID_LEN + 1, 10, 0, "pid",
	  "Provisioning ID (PID)" },
	{ 2, 2, SETUPBIN_STR, SETUPBIN_PPS_LEN + 7, 10, 1, "pps",
	  "Provisioning passphrase (PPS)" },
	{ 2, 3, SETUPBIN_STR, 255, 20, 0, "pki_dns_suffix", "PKI DNS suffix" },
	{ 2, 4, SETUPBIN_STR, 255, 20, 0, "server_fqdn", "Configuration server FQDN" },
	{ 2, 5, SETUPBIN_U8, 1, 20, 0, "remote_configuration", "Remote configuration" },
	{ 2, 6, SETUPBIN_U8, 1, 20, 0, "default_certificates",
	  "Pre-installed certificates" },
	{ 2, 7, SETUPBIN_U8, 1, 20, 0, "user_certificates",
	  "User-defined certificate configuration" },
	{ 2, 8, SETUPBIN_HASH, 2 + 48 + SETUPBIN_CERT_NAME_MAX, 20, 0, "certificate_hash",
	  "User-defined certificate hash" },
	{ 2, 10, SETUPBIN_U8, 1, 20, 0, "sol_ider", "SOL/IDE-R redirection" },
	{ 2, 11, SETUPBIN_STR, 63, 21, 0, "hostname", "Host name" },
	{ 2, 12, SETUPBIN_STR, 255, 21, 0, "domain", "Domain name" },
	{ 2, 13, SETUPBIN_U8, 1, 21, 0, "dhcp", "DHCP" },
	{ 2, 14, SETUPBIN_U8, 1, 21, 0, "secure_fw_update", "Secure firmware update" },
	{ 2, 15, SETUPBIN_STR, 255, 21, 0, "ito", "ITO" },
	{ 2, 16, SETUPBIN_U8, 1, 21, 0, "provisioning_mode", "Provisioning mode" },
	{ 2, 17, SETUPBIN_IPV4, 4, 21, 0, "server_address", "Provisioning server address" },
	{ 2, 18, SETUPBIN_U16, 2, 21, 0, "server_port", "Provisioning server port" },
	{ 2, 19, SETUPBIN_STR, 255, 21, 0, "static_ipv4", "Static IPv4 settings" },
	{ 2, 20, SETUPBIN_STR, 255, 21, 0, "vlan", "VLAN" },
	{ 2, 21, SETUPBIN_STR, 255, 21, 0, "password_policy", "Password policy" },
	{ 2, 22, SETUPBIN_STR, 204, 30, 0, "ipv6", "IPv6 settings" },
	{ 2, 23, SETUPBIN_U8, 1, 21, 0, "shared_fqdn", "Shared/dedicated FQDN" },
	{ 2, 24, SETUPBIN_U8, 1, 21, 0, "dynamic_dns", "Dynamic DNS update" },
	{ 2, 25, SETUPBIN_U8, 1, 30, 0, "kvm", "KVM state" },
	{ 2, 26, SETUPBIN_U8, 1, 30, 0, "user_consent", "User consent" },
	{ 2, 27, SETUPBIN_U8, 1, 30, 0, "remote_it_consent", "Remote IT consent policy" },
	{ 2, 28, SETUPBIN_U8, 1, 30, 0, "provisioning_start",
	  "Provisioning halt/activate" },
	{ 2, 29, SETUPBIN_U8, 1, 30, 0, "manual_setup", "Manual setup and configuration" },
	{ 2, 30, SETUPBIN_U32, 4, 21, 0, "support_channel_id", "Support channel ID" },
	{ 2, 31, SETUPBIN_STR, 60, 21, 0, "support_channel", "Support channel description" },
	{ 2, 32, SETUPBIN_STR, 32, 21, 0, "service_account", "Service account number" },
	{ 2, 33, SETUPBIN_STR, 32, 21, 1, "enrollment_passcode", "Enrollment passcode" },
	{ 2, 34, SETUPBIN_U32, 4, 21, 0, "service_type", "Service type" },
	{ 2, 35, SETUPBIN_GUIDV, 16, 21, 0, "service_provider", "Service provider ID" },
};

const struct setupbin_var *setupbin_var_find(uint16_t module, uint16_t var)
{
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (vars[i].module == module && vars[i].var == var)
			return &vars[i];
	return NULL;
}

unsigned setupbin_version_code(unsigned type, uint8_t minor)
{
	if (type == 2 && minor >= 1)
		return 21;
	return type * 10;
}

static int alnum_upper(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Characters A-Z 0-9 (lower case raised), a dash allowed after every 4th one. */
static int psk_parse(const char *what, const char *in, size_t len, char *out, size_t want,
		     struct setupbin_err *e)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (c == '-' && n > 0 && n % 4 == 0 && n < want && i + 1 < len &&
		    in[i + 1] != '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!alnum_upper(c))
			return setupbin_err_set(e, -EINVAL, i, "%s: character %zu is not A-Z or "
						"0-9 (a dash may follow every 4 characters)", what,
						i + 1);
		if (n == want)
			return setupbin_err_set(e, -EINVAL, i, "%s: more than %zu characters", what,
						want);
		out[n++] = c;
	}
	out[n] = 0;
	if (n != want)
		return setupbin_err_set(e, -EINVAL, len, "%s: %zu characters, expected %zu "
					"(A-Z 0-9)", what, n, want);
	return 0;
}

int setupbin_pid_parse(const char *in, size_t len, char out[SETUPBIN_PID_LEN + 1],
		       struct setupbin_err *e)
{
	return psk_parse("PID", in, len, out, SETUPBIN_PID_LEN, e);
}

int setupbin_pps_parse(const char *in, size_t len, char out[SETUPBIN_PPS_LEN + 1],
		       struct setupbin_err *e)
{
	int ret = psk_parse("PPS", in, len, out, SETUPBIN_PPS_LEN, e);

	if (ret < 0)
		memset(out, 0, SETUPBIN_PPS_LEN + 1);
	return ret;
}

int setupbin_password_check(const char *pw, size_t len, struct setupbin_err *e)
{
	int upper = 0, lower = 0, digit = 0, symbol = 0;

	if (len < SETUPBIN_PASSWORD_MIN || len > SETUPBIN_PASSWORD_MAX)
		return setupbin_err_set(e, -EINVAL, len, "MEBx password: %zu characters, expected "
					"%d to %d", len, SETUPBIN_PASSWORD_MIN,
					SETUPBIN_PASSWORD_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)pw[i];

		if (c < 0x21 || c > 0x7e || c == ':' || c == '"' || c == '_')
			return setupbin_err_set(e, -EINVAL, i, "MEBx password: character %zu is "
						"not allowed (printable ASCII without space, "
						"':', '\"' or '_')", i + 1);
		if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else
			symbol = 1;
	}
	if (!upper || !lower || !digit || !symbol)
		return setupbin_err_set(e, -EINVAL, 0, "MEBx password: needs an upper-case letter, "
					"a lower-case letter, a digit and a symbol (missing %s)",
					!upper ? "upper case" : !lower ? "lower case" :
					!digit ? "a digit" : "a symbol");
	return 0;
}

size_t setupbin_hash_len(unsigned algo)
{
	switch (algo) {
	case 1: return 20;
	case 2: return 32;
	case 3: return 48;
	default: return 0;
	}
}

static int name_ok(const char *name, size_t len)
{
	if (len < 1 || len > SETUPBIN_CERT_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] > 0x7e)
			return 0;
	return 1;
}

int setupbin_hash_encode(uint8_t *out, size_t cap, unsigned algo, const uint8_t *hash,
			 size_t hash_len, const char *name, struct setupbin_err *e)
{
	size_t name_len = strlen(name), need = 2 + hash_len + name_len;

	if (!setupbin_hash_len(algo) || hash_len != setupbin_hash_len(algo))
		return setupbin_err_set(e, -EINVAL, 0, "certificate hash: %zu bytes do not match "
					"algorithm %u (SHA-1 20, SHA-256 32, SHA-384 48)",
					hash_len, algo);
	if (!name_ok(name, name_len))
		return setupbin_err_set(e, -EINVAL, 0, "certificate hash name: 1 to %d printable "
					"ASCII characters", SETUPBIN_CERT_NAME_MAX);
	if (cap < need)
		return setupbin_err_set(e, -EMSGSIZE, 0, "certificate hash needs %zu bytes", need);
	out[0] = (uint8_t)algo;
	memcpy(out + 1, hash, hash_len);
	out[1 + hash_len] = (uint8_t)name_len;
	memcpy(out + 2 + hash_len, name, name_len);
	return (int)need;
}

int setupbin_hash_decode(const uint8_t *val, size_t len, unsigned *algo, const uint8_t **hash,
			 size_t *hash_len, const char **name, size_t *name_len,
			 struct setupbin_err *e)
{
	size_t hl;

	if (len < 1 || !(hl = setupbin_hash_len(val[0])))
		return setupbin_err_set(e, -EINVAL, 0, "certificate hash: unknown algorithm %u",
					len ? val[0] : 0u);
	if (len < 2 + hl || len != 2 + hl + val[1 + hl])
		return setupbin_err_set(e, -EINVAL, 1 + hl, "certificate hash: %zu bytes do not "
					"hold algorithm, %zu-byte hash, name length and name",
					len, hl);
	if (!name_ok((const char *)val + 2 + hl, val[1 + hl]))
		return setupbin_err_set(e, -EINVAL, 2 + hl, "certificate hash name: 1 to %d "
					"printable ASCII characters", SETUPBIN_CERT_NAME_MAX);
	*algo = val[0];
	*hash = val + 1;
	*hash_len = hl;
	*name = (const char *)val + 2 + hl;
	*name_len = val[1 + hl];
	return 0;
}

/* Length and content of one value against its table row. */
static int check_value(const struct setupbin_record *r, const struct setupbin_entry *en,
		       const struct setupbin_var *v, unsigned vcode, size_t i,
		       struct setupbin_err *e)
{
	const uint8_t *val = r->data + en->off;
	char pid[SETUPBIN_PPS_LEN + 1];
	const uint8_t *hash;
	const char *name;
	size_t hl, nl;
	unsigned algo;
	int ret = 0;

	if (v->vtype == SETUPBIN_STR || v->vtype == SETUPBIN_HASH ? en->len > v->max_len
								  : en->len != v->max_len)
		return setupbin_err_set(e, -EINVAL, i, "%s: %u bytes (%s %u)", v->name, en->len,
					v->vtype == SETUPBIN_STR || v->vtype == SETUPBIN_HASH ?
					"at most" : "expected", v->max_len);
	if (v->module == SETUPBIN_MOD_CM && v->var == SETUPBIN_CM_PID)
		ret = setupbin_pid_parse((const char *)val, en->len, pid, e);
	else if (v->module == SETUPBIN_MOD_CM && v->var == SETUPBIN_CM_PPS)
		ret = setupbin_pps_parse((const char *)val, en->len, pid, e);
	else if (v->module == SETUPBIN_MOD_ME && v->var == SETUPBIN_ME_NEW_PASSWORD)
		ret = setupbin_password_check((const char *)val, en->len, e);
	else if (v->vtype == SETUPBIN_HASH) {
		ret = setupbin_hash_decode(val, en->len, &algo, &hash, &hl, &name, &nl, e);
		if (ret == 0 && algo > 1 && vcode < 30)
			ret = setupbin_err_set(e, -EINVAL, i, "%s: SHA-256 and SHA-384 need file "
					       "version 3 or later", v->name);
	}
	memset(pid, 0, sizeof(pid));
	if (ret < 0 && e)
		e->offset = i;
	return ret;
}

/* Index of the first entry module/var, or -1. */
static long entry_index(const struct setupbin_record *r, uint16_t module, uint16_t var)
{
	for (size_t i = 0; i < r->entry_count; i++)
		if (r->entries[i].module == module && r->entries[i].var == var)
			return (long)i;
	return -1;
}

/*
 * The order rules of doc/remote-config.md 6.5, entry by entry. "2/7 before 2/8" is from the
 * version-2 notes only: version-3 and 4 files that BIOSes accepted carry 2/8 without 2/7.
 */
static int check_order(const struct setupbin_record *r, size_t i, unsigned vcode,
		       struct setupbin_err *e)
{
	const struct setupbin_entry *en = &r->entries[i];
	long k;

	if (en->module == SETUPBIN_MOD_ME && en->var <= SETUPBIN_ME_MANAGEABILITY) {
		for (size_t j = 0; j < i; j++)
			if (r->entries[j].module != SETUPBIN_MOD_ME ||
			    r->entries[j].var >= en->var)
				return setupbin_err_set(e, -EINVAL, i, "entry %zu (1/%u) must come "
							"first, after only the MEBx passwords",
							i + 1, en->var);
	}
	if (vcode < 30 && en->module == SETUPBIN_MOD_CM && en->var == SETUPBIN_CM_USER_CERT_ADD) {
		k = entry_index(r, SETUPBIN_MOD_CM, SETUPBIN_CM_USER_CERTS);
		if (k < 0 || (size_t)k > i || r->data[r->entries[k].off] != 1)
			return setupbin_err_set(e, -EINVAL, i, "entry %zu: a certificate hash "
						"needs user-defined certificates enabled (2/7 = 1) "
						"before it", i + 1);
	}
	if (en->module == SETUPBIN_MOD_CM && en->var == SETUPBIN_CM_PROVISION_START) {
		static const uint16_t before[] = { SETUPBIN_CM_PKI_SUFFIX, SETUPBIN_CM_SERVER_FQDN,
						   SETUPBIN_CM_SERVER_ADDRESS };

		for (size_t b = 0; b < sizeof(before) / sizeof(before[0]); b++)
			if (entry_index(r, SETUPBIN_MOD_CM, before[b]) > (long)i)
				return setupbin_err_set(e, -EINVAL, i, "entry %zu: provisioning "
							"halt/activate must come after 2/%u",
							i + 1, before[b]);
	}
	return 0;
}

int setupbin_record_check(const struct setupbin_record *r, unsigned vcode,
			  struct setupbin_err *e)
{
	const struct setupbin_entry *cur;
	const struct setupbin_var *v;
	int ret;

	for (size_t i = 0; i < r->entry_count; i++) {
		const struct setupbin_entry *en = &r->entries[i];

		v = setupbin_var_find(en->module, en->var);
		if (!v)
			return setupbin_err_set(e, -EINVAL, i, "entry %zu: unknown variable %u/%u",
						i + 1, en->module, en->var);
		if (v->since > vcode)
			return setupbin_err_set(e, -EINVAL, i, "entry %zu: %s needs file version "
						"%u.%u", i + 1, v->name, v->since / 10,
						v->since % 10);
		if (v->vtype != SETUPBIN_HASH && entry_index(r, en->module, en->var) != (long)i)
			return setupbin_err_set(e, -EINVAL, i, "entry %zu: %s appears twice",
						i + 1, v->name);
		ret = check_value(r, en, v, vcode, i, e);
		if (ret == 0)
			ret = check_order(r, i, vcode, e);
		if (ret < 0)
			return ret;
	}
	cur = setupbin_record_find(r, SETUPBIN_MOD_ME, SETUPBIN_ME_CURRENT_PASSWORD);
	if (vcode >= 20 && cur && cur->len == strlen(SETUPBIN_FACTORY_PASSWORD) &&
	    memcmp(r->data + cur->off, SETUPBIN_FACTORY_PASSWORD, cur->len) == 0 &&
	    !setupbin_record_find(r, SETUPBIN_MOD_ME, SETUPBIN_ME_NEW_PASSWORD))
		return setupbin_err_set(e, -EINVAL, 0, "the factory MEBx password must be "
					"followed by a new one");
	return 0;
}

// SPDX-License-Identifier: MIT
/* Emulator state as JSON (cJSON): load with per-field validation, serialise, atomic save. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fw_int.h"

enum ftype { F_BOOL, F_U32, F_U8, F_UINT, F_I64, F_STR, F_UUID, F_IPV4, F_MAC, F_EDITION,
	     F_CMD, F_MALFORMED, F_SHA256, F_HEX32 };

struct field {
	const char *path;
	enum ftype type;
	size_t off;
	size_t size;    /* F_STR: buffer size */
	uint32_t max;   /* F_U32/F_U8/F_UINT: largest value */
};

#define O(m) offsetof(struct fw, m)
#define LAN(i, p)                                                                         \
	{ p ".present", F_BOOL, O(lan[i].present), 0, 0 },                              \
	{ p ".enabled", F_BOOL, O(lan[i].enabled), 0, 0 },                              \
	{ p ".ipv4", F_IPV4, O(lan[i].ipv4), 0, 0 },                                    \
	{ p ".dhcp_enabled", F_BOOL, O(lan[i].dhcp_enabled), 0, 0 },                    \
	{ p ".dhcp_mode", F_U8, O(lan[i].dhcp_mode), 0, 2 },                            \
	{ p ".link_up", F_BOOL, O(lan[i].link_up), 0, 0 },                              \
	{ p ".mac", F_MAC, O(lan[i].mac), 0, 0 }

/* Every state field by its JSON name (man/amtsim.5, STATE FILE). */
static const struct field fields[] = {
	{ "edition", F_EDITION, O(edition), 0, 0 },
	{ "amt_enabled", F_BOOL, O(amt_enabled), 0, 0 },
	{ "amt_change_allowed", F_BOOL, O(amt_change_allowed), 0, 0 },
	{ "bios_version", F_STR, O(bios_version), 66, 0 },
	{ "uuid", F_UUID, O(uuid), 0, 0 },
	{ "provisioning_state", F_U32, O(provisioning_state), 0, 2 },
	{ "provisioning_mode", F_U32, O(provisioning_mode), 0, 3 },
	{ "legacy_mode", F_BOOL, O(legacy_mode), 0, 0 },
	{ "control_mode", F_U32, O(control_mode), 0, 2 },
	{ "zero_touch_enabled", F_BOOL, O(zero_touch_enabled), 0, 0 },
	{ "tls_mode", F_U32, O(tls_mode), 0, 2 },
	{ "pki_dns_suffix", F_STR, O(pki_dns_suffix), FW_SUFFIX_MAX + 1, 0 },
	{ "fqdn.name", F_STR, O(fqdn), FW_STR_MAX, 0 },
	{ "fqdn.shared", F_BOOL, O(fqdn_shared), 0, 0 },
	{ "fqdn.ddns_update_enabled", F_BOOL, O(ddns_update_enabled), 0, 0 },
	{ "fqdn.ddns_interval", F_U32, O(ddns_interval), 0, UINT32_MAX },
	{ "fqdn.ddns_ttl", F_U32, O(ddns_ttl), 0, UINT32_MAX },
	LAN(0, "lan_wired"),
	LAN(1, "lan_wireless"),
	{ "pid", F_STR, O(pid), 9, 0 },
	{ "mebx_password_changed", F_BOOL, O(mebx_password_changed), 0, 0 },
	{ "provisioning_server.name", F_STR, O(prov_server), FW_STR_MAX, 0 },
	{ "provisioning_server.port", F_U32, O(prov_port), 0, 65535 },
	{ "usb_key", F_STR, O(usb_key), FW_KEY_PATH_MAX, 0 },
	{ "unprovisioning_state", F_U32, O(unprovisioning_state), 0, 1 },
	{ "remote_access.network", F_U32, O(ra_network), 0, 3 },
	{ "remote_access.connection", F_U32, O(ra_connection), 0, 2 },
	{ "remote_access.trigger", F_U32, O(ra_trigger), 0, 3 },
	{ "remote_access.mps_hostname", F_STR, O(mps_hostname), FW_STR_MAX, 0 },
	{ "clock_offset", F_I64, O(clock_offset), 0, 0 },
	{ "hello.started_at", F_I64, O(hello_started_at), 0, 0 },
	{ "hello.until", F_I64, O(hello_until), 0, 0 },
	{ "hello.starts", F_U32, O(hello_starts), 0, UINT32_MAX },
	{ "hello.attempts", F_U32, O(hello_attempts), 0, UINT32_MAX },
	{ "hello.attempts_window", F_I64, O(hello_attempts_window), 0, 0 },
	{ "hello.last_attempt_at", F_I64, O(hello_last_at), 0, 0 },
	{ "hello.delivered", F_U32, O(hello_delivered), 0, UINT32_MAX },
	{ "hello.failed", F_U32, O(hello_failed), 0, UINT32_MAX },
	{ "otp.sha256", F_SHA256, O(otp_sha256), 65, 0 },
	{ "otp.length", F_U32, O(otp_len), 0, 32 },
	{ "cert_ready_at", F_I64, O(cert_ready_at), 0, 0 },
	{ "key_generation_s", F_U32, O(key_gen_s), 0, 3600 },
	{ "key_discarded", F_BOOL, O(key_discarded), 0, 0 },
	{ "strict", F_BOOL, O(strict), 0, 0 },
	{ "rules.start_zero_touch_off", F_U32, O(start_zt_off_status), 0, 0xFFFF },
	{ "rules.wd_client_amt_off", F_U32, O(wd_amt_off), 0, FW_WD_OFF_ABSENT },
	{ "rules.unprovision_key", F_U32, O(unprov_key), 0, FW_UNPROV_KEY_AT_ONCE },
	{ "mkhi_version_blocks", F_U32, O(mkhi_blocks), 0, 3 },
	{ "fw_status.hfsts1", F_HEX32, O(fwsts[0]), 0, 0 },
	{ "fw_status.hfsts2", F_HEX32, O(fwsts[1]), 0, 0 },
	{ "fw_status.hfsts3", F_HEX32, O(fwsts[2]), 0, 0 },
	{ "fw_status.hfsts4", F_HEX32, O(fwsts[3]), 0, 0 },
	{ "fw_status.hfsts5", F_HEX32, O(fwsts[4]), 0, 0 },
	{ "fw_status.hfsts6", F_HEX32, O(fwsts[5]), 0, 0 },
	{ "faults.busy", F_UINT, O(faults.busy), 0, 1000000 },
	{ "faults.busy_client", F_UINT, O(faults.busy_client), 0, 3 },
	{ "faults.reset_after", F_UINT, O(faults.reset_after), 0, 1000000 },
	{ "faults.recovery_ms", F_UINT, O(faults.recovery_ms), 0, 600000 },
	{ "faults.noreply", F_CMD, O(faults.noreply), 0, 0 },
	{ "faults.malformed_command", F_CMD, O(faults.malformed_cmd), 0, 0 },
	{ "faults.malformed", F_MALFORMED, O(faults.malformed), 0, 0 },
	{ "faults.latency_ms", F_UINT, O(faults.latency_ms), 0, 600000 },
};

#define FIELD_COUNT (sizeof(fields) / sizeof(fields[0]))

static const char *const editions[] = { "none", "corporate", "ism" };

static const struct field *find_field(const char *path)
{
	size_t i;

	for (i = 0; i < FIELD_COUNT; i++)
		if (strcmp(fields[i].path, path) == 0)
			return &fields[i];
	return NULL;
}

/* "1c113fd2-3325-4594-a272-54b2038beb07" <-> wire order (first three groups LE). */
static int uuid_parse(const char *s, uint8_t out[16])
{
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	uint8_t raw[16];
	char hex[33];
	size_t i, j = 0, len;

	if (strlen(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
		return -1;
	for (i = 0; i < 36; i++)
		if (s[i] != '-')
			hex[j++] = s[i];
	hex[j] = '\0';
	if (j != 32 || fw_hex_decode(hex, raw, 16, &len))
		return -1;
	for (i = 0; i < 16; i++)
		out[i] = raw[order[i]];
	return 0;
}

static void uuid_format(const uint8_t u[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[3], u[2], u[1], u[0], u[5], u[4], u[7], u[6], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}

static int ipv4_parse(const char *s, uint32_t *out)
{
	unsigned long v;
	uint32_t ip = 0;
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = strtoul(s, &end, 10);
		if (v > 255 || end - s > 3 || (i < 3 ? *end != '.' : *end != '\0'))
			return -1;
		ip = ip << 8 | (uint32_t)v;
		s = end + (i < 3);
	}
	*out = ip;
	return 0;
}

static int mac_parse(const char *s, uint8_t out[6])
{
	char hex[13];
	size_t i, j = 0, len;

	if (strlen(s) != 17)
		return -1;
	for (i = 0; i < 17; i++) {
		if (i % 3 == 2) {
			if (s[i] != ':' && s[i] != '-')
				return -1;
		} else {
			hex[j++] = s[i];
		}
	}
	hex[j] = '\0';
	return fw_hex_decode(hex, out, 6, &len) || len != 6 ? -1 : 0;
}

static int set_str(const struct field *f, struct fw *fw, const cJSON *v, const char **why)
{
	char *dst = (char *)fw + f->off;
	uint8_t tmp[32];
	size_t n, len;
	uint32_t u;
	enum fw_malformed m;

	if (!cJSON_IsString(v)) {
		*why = "expected a string";
		return -1;
	}
	n = strlen(v->valuestring);
	switch (f->type) {
	case F_STR:
		if (n >= f->size) {
			*why = "string too long";
			return -1;
		}
		memcpy(dst, v->valuestring, n + 1);
		return 0;
	case F_HEX32:
		*why = "expected 8 hex digits like \"94000245\"";
		if (n != 8 || fw_hex_decode(v->valuestring, tmp, 4, &len))
			return -1;
		*(uint32_t *)(void *)dst = (uint32_t)tmp[0] << 24 | (uint32_t)tmp[1] << 16 |
					   (uint32_t)tmp[2] << 8 | tmp[3];
		return 0;
	case F_SHA256:
		if (n != 0 && (n != 64 || fw_hex_decode(v->valuestring, tmp, 32, &len))) {
			*why = "expected 64 hex digits or \"\"";
			return -1;
		}
		memcpy(dst, v->valuestring, n + 1);
		return 0;
	case F_UUID:
		*why = "expected a UUID like 1c113fd2-3325-4594-a272-54b2038beb07";
		return uuid_parse(v->valuestring, (uint8_t *)dst);
	case F_IPV4:
		*why = "expected a dotted IPv4 address";
		return ipv4_parse(v->valuestring, (uint32_t *)(void *)dst);
	case F_MAC:
		*why = "expected a MAC address like 54:ee:75:49:b2:19";
		return mac_parse(v->valuestring, (uint8_t *)dst);
	case F_EDITION:
		for (u = 0; u < 3; u++)
			if (strcmp(v->valuestring, editions[u]) == 0) {
				*(enum fw_edition *)(void *)dst = (enum fw_edition)u;
				return 0;
			}
		*why = "expected \"corporate\", \"ism\" or \"none\"";
		return -1;
	case F_CMD:
		u = n ? fw_cmd_by_name(v->valuestring) : 0;
		*(uint32_t *)(void *)dst = u;
		*why = "unknown command name";
		return n && !u ? -1 : 0;
	case F_MALFORMED:
		*why = "expected one of empty short length command reserved version size trailing";
		if (!n) {
			*(enum fw_malformed *)(void *)dst = FW_MAL_NONE;
			return 0;
		}
		if (fw_malformed_parse(v->valuestring, &m))
			return -1;
		*(enum fw_malformed *)(void *)dst = m;
		return 0;
	default:
		*why = "internal: bad field type";
		return -1;
	}
}

static int set_field(const struct field *f, struct fw *fw, const cJSON *v, const char **why)
{
	char *dst = (char *)fw + f->off;
	double d;

	if (f->type == F_BOOL) {
		*why = "expected true or false";
		if (!cJSON_IsBool(v))
			return -1;
		*(bool *)(void *)dst = cJSON_IsTrue(v);
		return 0;
	}
	if (f->type != F_U32 && f->type != F_U8 && f->type != F_UINT && f->type != F_I64)
		return set_str(f, fw, v, why);
	*why = "expected an integer";
	if (!cJSON_IsNumber(v))
		return -1;
	d = v->valuedouble;
	/* converting a double outside int64_t's range is undefined (C11 6.3.1.4): 1e300 */
	if (!(d >= -0x1p63 && d < 0x1p63)) {
		*why = "out of range";
		return -1;
	}
	if (d != (double)(int64_t)d)
		return -1;
	if (f->type == F_I64) {
		*(int64_t *)(void *)dst = (int64_t)d;
		return 0;
	}
	*why = "out of range";
	if (d < 0 || d > (double)f->max)
		return -1;
	if (f->type == F_U8)
		*(uint8_t *)dst = (uint8_t)d;
	else if (f->type == F_U32)
		*(uint32_t *)(void *)dst = (uint32_t)d;
	else
		*(unsigned *)(void *)dst = (unsigned)d;
	return 0;
}

static cJSON *field_json(const struct field *f, const struct fw *fw)
{
	const char *src = (const char *)fw + f->off;
	char buf[64];
	const uint8_t *b = (const uint8_t *)src;
	uint32_t u;

	switch (f->type) {
	case F_BOOL: return cJSON_CreateBool(*(const bool *)(const void *)src);
	case F_U32: return cJSON_CreateNumber(*(const uint32_t *)(const void *)src);
	case F_U8: return cJSON_CreateNumber(*b);
	case F_UINT: return cJSON_CreateNumber(*(const unsigned *)(const void *)src);
	case F_I64: return cJSON_CreateNumber((double)*(const int64_t *)(const void *)src);
	case F_STR: case F_SHA256: return cJSON_CreateString(src);
	case F_HEX32:
		snprintf(buf, sizeof(buf), "%08X", *(const uint32_t *)(const void *)src);
		return cJSON_CreateString(buf);
	case F_UUID: uuid_format(b, buf); return cJSON_CreateString(buf);
	case F_IPV4:
		u = *(const uint32_t *)(const void *)src;
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u", u >> 24, u >> 16 & 255, u >> 8 & 255,
			 u & 255);
		return cJSON_CreateString(buf);
	case F_MAC:
		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2],
			 b[3], b[4], b[5]);
		return cJSON_CreateString(buf);
	case F_EDITION:
		return cJSON_CreateString(editions[*(const enum fw_edition *)(const void *)src]);
	case F_CMD: return cJSON_CreateString(fw_cmd_name(*(const uint32_t *)(const void *)src));
	case F_MALFORMED:
		return cJSON_CreateString(
			fw_malformed_name(*(const enum fw_malformed *)(const void *)src));
	}
	return NULL;
}

static cJSON *hashes_json(const struct fw *fw)
{
	cJSON *arr = cJSON_CreateArray(), *o;
	char hex[2 * FW_HASH_MAX + 1];
	size_t i;

	for (i = 0; arr && i < fw->hash_count; i++) {
		const struct fw_hash *h = &fw->hashes[i];

		o = cJSON_CreateObject();
		fw_hex_encode(h->hash, fw_hash_len(h->algorithm), hex, sizeof(hex));
		cJSON_AddNumberToObject(o, "handle", h->handle);
		cJSON_AddStringToObject(o, "name", h->name);
		cJSON_AddNumberToObject(o, "algorithm", h->algorithm);
		cJSON_AddStringToObject(o, "hash", hex);
		cJSON_AddBoolToObject(o, "default", h->is_default);
		cJSON_AddBoolToObject(o, "active", h->active);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

void *fw_state_to_cjson(const struct fw *fw, bool with_faults)
{
	cJSON *root = cJSON_CreateObject(), *parent, *obj;
	char name[64];
	const char *dot;
	size_t i;

	if (!root)
		return NULL;
	cJSON_AddStringToObject(root, "generation", fw->gen->name);
	for (i = 0; i < FIELD_COUNT; i++) {
		if (!with_faults && strncmp(fields[i].path, "faults.", 7) == 0)
			continue;
		dot = strchr(fields[i].path, '.');
		parent = root;
		if (dot) {
			snprintf(name, sizeof(name), "%.*s", (int)(dot - fields[i].path),
				 fields[i].path);
			obj = cJSON_GetObjectItemCaseSensitive(root, name);
			parent = obj ? obj : cJSON_AddObjectToObject(root, name);
		}
		cJSON_AddItemToObject(parent, dot ? dot + 1 : fields[i].path,
				      field_json(&fields[i], fw));
	}
	cJSON_AddItemToObject(root, "cert_hashes", hashes_json(fw));
	return root;
}

char *fw_state_json(const struct fw *fw)
{
	cJSON *root = fw_state_to_cjson(fw, true);
	char *s = root ? cJSON_Print(root) : NULL;

	cJSON_Delete(root);
	return s;
}

/* Set one field from JSON. Returns 0, -1 (bad value, *why says why), -2 unknown field. */
int fw_state_apply(struct fw *fw, const char *path, const void *value, const char **why)
{
	const struct field *f = find_field(path);

	if (!f) {
		*why = "unknown field";
		return -2;
	}
	return set_field(f, fw, value, why) ? -1 : 0;
}
